/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hg-enum-types.h"
#include "hg-models-private.h"
#include "hg-model-props.h"

/* HgStaff */

const FieldSpec hg_staff_fields[] = {
  STRING (HgStaff, id, "id"),
  STRING (HgStaff, name, "name"),
  ENUM (HgStaff, role, "role", hg_role_get_type),
  STRING (HgStaff, specialty, "specialty"),
  STRING (HgStaff, ward, "ward"),
  BOOLEAN (HgStaff, on_duty, "on-duty"),
  BOOLEAN (HgStaff, available, "available"),
  BOOLEAN (HgStaff, logged_in, "logged-in"),
  BOOLEAN (HgStaff, disabled, "disabled"),
  UINT (HgStaff, workload, "workload"),
  INT64 (HgStaff, last_assigned_at, "last-assigned-at"),
};
const guint hg_staff_n_fields = G_N_ELEMENTS (hg_staff_fields);

#define STAFF_N_PROPS (G_N_ELEMENTS (hg_staff_fields) + 1)
static GParamSpec *staff_properties[STAFF_N_PROPS];

G_DEFINE_FINAL_TYPE (HgStaff, hg_staff, G_TYPE_OBJECT)

static void
hg_staff_finalize (GObject *object)
{
  HgStaff *self = HG_STAFF (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->specialty, g_free);
  g_clear_pointer (&self->ward, g_free);

  G_OBJECT_CLASS (hg_staff_parent_class)->finalize (object);
}

static void
hg_staff_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  if (!hg_model_get_table_property (object, hg_staff_fields, G_N_ELEMENTS (hg_staff_fields), prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
hg_staff_class_init (HgStaffClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hg_staff_finalize;
  object_class->get_property = hg_staff_get_property;

  hg_model_install_fields (hg_staff_fields, G_N_ELEMENTS (hg_staff_fields), staff_properties);
  g_object_class_install_properties (object_class, STAFF_N_PROPS, staff_properties);
}

static void
hg_staff_init (HgStaff *self)
{
  /* Someone just added is ready for work until they say otherwise. */
  self->available = TRUE;
}

HgStaff *
hg_staff_new (const char *id)
{
  HgStaff *self = g_object_new (HG_TYPE_STAFF, NULL);

  self->id = g_strdup (id);
  return self;
}

const char *
hg_staff_get_id (HgStaff *self)
{
  g_return_val_if_fail (HG_IS_STAFF (self), NULL);
  return self->id;
}

const char *
hg_staff_get_name (HgStaff *self)
{
  g_return_val_if_fail (HG_IS_STAFF (self), NULL);
  return self->name;
}

HgRole
hg_staff_get_role (HgStaff *self)
{
  g_return_val_if_fail (HG_IS_STAFF (self), HG_ROLE_NURSE);
  return self->role;
}

const char *
hg_staff_get_specialty (HgStaff *self)
{
  g_return_val_if_fail (HG_IS_STAFF (self), NULL);
  return self->specialty;
}

const char *
hg_staff_get_ward (HgStaff *self)
{
  g_return_val_if_fail (HG_IS_STAFF (self), NULL);
  return self->ward;
}

gboolean
hg_staff_get_on_duty (HgStaff *self)
{
  g_return_val_if_fail (HG_IS_STAFF (self), FALSE);
  return self->on_duty;
}

gboolean
hg_staff_get_available (HgStaff *self)
{
  g_return_val_if_fail (HG_IS_STAFF (self), FALSE);
  return self->available;
}

gboolean
hg_staff_get_logged_in (HgStaff *self)
{
  g_return_val_if_fail (HG_IS_STAFF (self), FALSE);
  return self->logged_in;
}

guint
hg_staff_get_workload (HgStaff *self)
{
  g_return_val_if_fail (HG_IS_STAFF (self), 0);
  return self->workload;
}
