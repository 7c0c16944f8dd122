/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hg-enum-types.h"
#include "hg-models-private.h"
#include "hg-model-props.h"

/* HgAlert */

static const FieldSpec alert_fields[] = {
  INT64 (HgAlert, id, "id"),
  INT64 (HgAlert, incident_id, "incident-id"),
  STRING (HgAlert, alert_type, "alert-type"),
  STRING (HgAlert, patient_id, "patient-id"),
  STRING (HgAlert, ward, "ward"),
  STRING (HgAlert, room, "room"),
  STRING (HgAlert, bed, "bed"),
  ENUM (HgAlert, severity, "severity", hg_severity_get_type),
  BOOLEAN (HgAlert, has_severity, "has-severity"),
  STRING (HgAlert, message, "message"),
  STRING (HgAlert, source, "source"),
  STRING (HgAlert, dedup_key, "dedup-key"),
  ENUM (HgAlert, phase, "phase", hg_alert_phase_get_type),
  INT64 (HgAlert, occurred_at, "occurred-at"),
  INT64 (HgAlert, received_at, "received-at"),
};

#define ALERT_N_PROPS (G_N_ELEMENTS (alert_fields) + 1)
static GParamSpec *alert_properties[ALERT_N_PROPS];

G_DEFINE_FINAL_TYPE (HgAlert, hg_alert, G_TYPE_OBJECT)

static void
hg_alert_finalize (GObject *object)
{
  HgAlert *self = HG_ALERT (object);

  g_clear_pointer (&self->alert_type, g_free);
  g_clear_pointer (&self->patient_id, g_free);
  g_clear_pointer (&self->ward, g_free);
  g_clear_pointer (&self->room, g_free);
  g_clear_pointer (&self->bed, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_pointer (&self->dedup_key, g_free);

  G_OBJECT_CLASS (hg_alert_parent_class)->finalize (object);
}

static void
hg_alert_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  if (!hg_model_get_table_property (object, alert_fields, G_N_ELEMENTS (alert_fields), prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
hg_alert_class_init (HgAlertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hg_alert_finalize;
  object_class->get_property = hg_alert_get_property;

  hg_model_install_fields (alert_fields, G_N_ELEMENTS (alert_fields), alert_properties);
  g_object_class_install_properties (object_class, ALERT_N_PROPS, alert_properties);
}

static void
hg_alert_init (HgAlert *self)
{
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->phase = HG_ALERT_PHASE_START;
  self->has_severity = FALSE;
}

HgAlert *
hg_alert_new (const char *type)
{
  HgAlert *self = g_object_new (HG_TYPE_ALERT, NULL);

  self->alert_type = g_strdup (type);
  return self;
}

gint64
hg_alert_get_id (HgAlert *self)
{
  g_return_val_if_fail (HG_IS_ALERT (self), 0);
  return self->id;
}

gint64
hg_alert_get_incident_id (HgAlert *self)
{
  g_return_val_if_fail (HG_IS_ALERT (self), 0);
  return self->incident_id;
}

const char *
hg_alert_get_alert_type (HgAlert *self)
{
  g_return_val_if_fail (HG_IS_ALERT (self), NULL);
  return self->alert_type;
}

const char *
hg_alert_get_patient_id (HgAlert *self)
{
  g_return_val_if_fail (HG_IS_ALERT (self), NULL);
  return self->patient_id;
}

HgSeverity
hg_alert_get_severity (HgAlert *self)
{
  g_return_val_if_fail (HG_IS_ALERT (self), HG_SEVERITY_LOW);
  return self->severity;
}

const char *
hg_alert_get_message (HgAlert *self)
{
  g_return_val_if_fail (HG_IS_ALERT (self), NULL);
  return self->message;
}

const char *
hg_alert_get_dedup_key (HgAlert *self)
{
  g_return_val_if_fail (HG_IS_ALERT (self), NULL);
  return self->dedup_key;
}

HgAlertPhase
hg_alert_get_phase (HgAlert *self)
{
  g_return_val_if_fail (HG_IS_ALERT (self), HG_ALERT_PHASE_START);
  return self->phase;
}
