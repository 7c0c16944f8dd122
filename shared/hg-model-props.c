/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hg-enum-types.h"
#include "hg-models-private.h"
#include "hg-model-props.h"

#define FIELD_PTR(obj, spec, ctype) ((ctype *) (gpointer) ((guint8 *) (obj) + (spec)->offset))

static GParamSpec *
field_param_spec (const FieldSpec *spec)
{
  switch (spec->kind)
    {
    case FIELD_STRING:
      return g_param_spec_string (spec->name, NULL, NULL, NULL, PARAM_FLAGS);
    case FIELD_INT64:
      return g_param_spec_int64 (spec->name, NULL, NULL, G_MININT64, G_MAXINT64, 0, PARAM_FLAGS);
    case FIELD_UINT:
      return g_param_spec_uint (spec->name, NULL, NULL, 0, G_MAXUINT, 0, PARAM_FLAGS);
    case FIELD_BOOLEAN:
      return g_param_spec_boolean (spec->name, NULL, NULL, FALSE, PARAM_FLAGS);
    case FIELD_ENUM:
      /* Every enum of hg-types.h has a valid 0. */
      return g_param_spec_enum (spec->name, NULL, NULL, spec->enum_type (), 0, PARAM_FLAGS);
    default:
      g_assert_not_reached ();
    }
}

/* Fills properties[1..n_specs]; property ids are table index + 1. */
void
hg_model_install_fields (const FieldSpec *specs,
                         guint            n_specs,
                         GParamSpec     **properties)
{
  for (guint i = 0; i < n_specs; i++)
    properties[i + 1] = field_param_spec (&specs[i]);
}

static void
get_field (gconstpointer    obj,
           const FieldSpec *spec,
           GValue          *value)
{
  switch (spec->kind)
    {
    case FIELD_STRING:
      g_value_set_string (value, *FIELD_PTR (obj, spec, char *));
      break;
    case FIELD_INT64:
      g_value_set_int64 (value, *FIELD_PTR (obj, spec, gint64));
      break;
    case FIELD_UINT:
      g_value_set_uint (value, *FIELD_PTR (obj, spec, guint));
      break;
    case FIELD_BOOLEAN:
      g_value_set_boolean (value, *FIELD_PTR (obj, spec, gboolean));
      break;
    case FIELD_ENUM:
      g_value_set_enum (value, *FIELD_PTR (obj, spec, int));
      break;
    default:
      g_assert_not_reached ();
    }
}

gboolean
hg_model_field_equal (gconstpointer    a,
                      gconstpointer    b,
                      const FieldSpec *spec)
{
  switch (spec->kind)
    {
    case FIELD_STRING:
      return g_strcmp0 (*FIELD_PTR (a, spec, char *), *FIELD_PTR (b, spec, char *)) == 0;
    case FIELD_INT64:
      return *FIELD_PTR (a, spec, gint64) == *FIELD_PTR (b, spec, gint64);
    case FIELD_UINT:
      return *FIELD_PTR (a, spec, guint) == *FIELD_PTR (b, spec, guint);
    case FIELD_BOOLEAN:
      /* Any non-zero gboolean is TRUE. */
      return !*FIELD_PTR (a, spec, gboolean) == !*FIELD_PTR (b, spec, gboolean);
    case FIELD_ENUM:
      return *FIELD_PTR (a, spec, int) == *FIELD_PTR (b, spec, int);
    default:
      g_assert_not_reached ();
    }
}

void
hg_model_copy_field (gpointer         dest,
                     gconstpointer    src,
                     const FieldSpec *spec)
{
  switch (spec->kind)
    {
    case FIELD_STRING:
      g_free (*FIELD_PTR (dest, spec, char *));
      *FIELD_PTR (dest, spec, char *) = g_strdup (*FIELD_PTR (src, spec, char *));
      break;
    case FIELD_INT64:
      *FIELD_PTR (dest, spec, gint64) = *FIELD_PTR (src, spec, gint64);
      break;
    case FIELD_UINT:
      *FIELD_PTR (dest, spec, guint) = *FIELD_PTR (src, spec, guint);
      break;
    case FIELD_BOOLEAN:
      *FIELD_PTR (dest, spec, gboolean) = *FIELD_PTR (src, spec, gboolean);
      break;
    case FIELD_ENUM:
      *FIELD_PTR (dest, spec, int) = *FIELD_PTR (src, spec, int);
      break;
    default:
      g_assert_not_reached ();
    }
}

gboolean
hg_model_fields_equal (gconstpointer    a,
                       gconstpointer    b,
                       const FieldSpec *specs,
                       guint            n_specs)
{
  for (guint i = 0; i < n_specs; i++)
    {
      if (!hg_model_field_equal (a, b, &specs[i]))
        return FALSE;
    }
  return TRUE;
}

/* Reads a table-described property; FALSE when @prop_id is not one. */
gboolean
hg_model_get_table_property (GObject         *object,
                             const FieldSpec *specs,
                             guint            n_specs,
                             guint            prop_id,
                             GValue          *value)
{
  if (prop_id == 0 || prop_id > n_specs)
    return FALSE;
  get_field (object, &specs[prop_id - 1], value);
  return TRUE;
}
