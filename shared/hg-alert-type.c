/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hg-enum-types.h"
#include "hg-models-private.h"
#include "hg-model-props.h"

/* HgAlertType */

static const FieldSpec alert_type_fields[] = {
  STRING (HgAlertType, code, "code"),
  STRING (HgAlertType, name, "name"),
  STRING (HgAlertType, category, "category"),
  ENUM (HgAlertType, severity, "severity", hg_severity_get_type),
  ENUM (HgAlertType, required_role, "required-role", hg_role_get_type),
  STRING (HgAlertType, specialty, "specialty"),
};

#define ALERT_TYPE_N_PROPS (G_N_ELEMENTS (alert_type_fields) + 1)
static GParamSpec *alert_type_properties[ALERT_TYPE_N_PROPS];

G_DEFINE_FINAL_TYPE (HgAlertType, hg_alert_type, G_TYPE_OBJECT)

static void
hg_alert_type_finalize (GObject *object)
{
  HgAlertType *self = HG_ALERT_TYPE (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->specialty, g_free);
  g_clear_pointer (&self->fallback_roles, g_array_unref);

  G_OBJECT_CLASS (hg_alert_type_parent_class)->finalize (object);
}

static void
hg_alert_type_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  if (!hg_model_get_table_property (object, alert_type_fields, G_N_ELEMENTS (alert_type_fields), prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
hg_alert_type_class_init (HgAlertTypeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hg_alert_type_finalize;
  object_class->get_property = hg_alert_type_get_property;

  hg_model_install_fields (alert_type_fields, G_N_ELEMENTS (alert_type_fields), alert_type_properties);
  g_object_class_install_properties (object_class, ALERT_TYPE_N_PROPS, alert_type_properties);
}

static void
hg_alert_type_init (HgAlertType *self)
{
  self->fallback_roles = g_array_new (FALSE, FALSE, sizeof (HgRole));
}

HgAlertType *
hg_alert_type_new (const char *code)
{
  HgAlertType *self = g_object_new (HG_TYPE_ALERT_TYPE, NULL);

  self->code = g_strdup (code);
  return self;
}

const char *
hg_alert_type_get_code (HgAlertType *self)
{
  g_return_val_if_fail (HG_IS_ALERT_TYPE (self), NULL);
  return self->code;
}

const char *
hg_alert_type_get_name (HgAlertType *self)
{
  g_return_val_if_fail (HG_IS_ALERT_TYPE (self), NULL);
  return self->name;
}

const char *
hg_alert_type_get_category (HgAlertType *self)
{
  g_return_val_if_fail (HG_IS_ALERT_TYPE (self), NULL);
  return self->category;
}

HgSeverity
hg_alert_type_get_severity (HgAlertType *self)
{
  g_return_val_if_fail (HG_IS_ALERT_TYPE (self), HG_SEVERITY_LOW);
  return self->severity;
}

HgRole
hg_alert_type_get_required_role (HgAlertType *self)
{
  g_return_val_if_fail (HG_IS_ALERT_TYPE (self), HG_ROLE_NURSE);
  return self->required_role;
}

const char *
hg_alert_type_get_specialty (HgAlertType *self)
{
  g_return_val_if_fail (HG_IS_ALERT_TYPE (self), NULL);
  return self->specialty;
}

const HgRole *
hg_alert_type_get_fallback_roles (HgAlertType *self,
                                  guint       *n_roles)
{
  g_return_val_if_fail (HG_IS_ALERT_TYPE (self), NULL);

  if (n_roles != NULL)
    *n_roles = self->fallback_roles->len;
  return (const HgRole *) (gpointer) self->fallback_roles->data;
}
