/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hg-enum-types.h"
#include "hg-models-private.h"
#include "hg-model-props.h"

/* HgIncident */

static const FieldSpec incident_fields[] = {
  INT64 (HgIncident, id, "id"),
  INT64 (HgIncident, version, "version"),
  ENUM (HgIncident, status, "status", hg_incident_status_get_type),
  ENUM (HgIncident, severity, "severity", hg_severity_get_type),
  STRING (HgIncident, title, "title"),
  STRING (HgIncident, alert_type, "alert-type"),
  STRING (HgIncident, ward, "ward"),
  STRING (HgIncident, room, "room"),
  STRING (HgIncident, bed, "bed"),
  ENUM (HgIncident, required_role, "required-role", hg_role_get_type),
  STRING (HgIncident, required_specialty, "required-specialty"),
  STRING (HgIncident, dedup_key, "dedup-key"),
  UINT (HgIncident, alert_count, "alert-count"),
  UINT (HgIncident, escalation_level, "escalation-level"),
  INT64 (HgIncident, created_at, "created-at"),
  INT64 (HgIncident, assigned_at, "assigned-at"),
  INT64 (HgIncident, acknowledged_at, "acknowledged-at"),
  INT64 (HgIncident, started_at, "started-at"),
  INT64 (HgIncident, resolved_at, "resolved-at"),
};

/* The properties that are not plain fields follow the table's. */
enum {
  PROP_INCIDENT_PATIENT = G_N_ELEMENTS (incident_fields) + 1,
  PROP_INCIDENT_PATIENT_NAME,
  PROP_INCIDENT_ASSIGNEE,
  PROP_INCIDENT_ASSIGNEE_NAME,
  INCIDENT_N_PROPS
};

static GParamSpec *incident_properties[INCIDENT_N_PROPS];

G_DEFINE_FINAL_TYPE (HgIncident, hg_incident, G_TYPE_OBJECT)

static void
hg_incident_dispose (GObject *object)
{
  HgIncident *self = HG_INCIDENT (object);

  g_clear_object (&self->patient);
  g_clear_object (&self->assignee);
  /* The alerts are objects too: let go of them as early as the rest. */
  g_clear_pointer (&self->alerts, g_ptr_array_unref);

  G_OBJECT_CLASS (hg_incident_parent_class)->dispose (object);
}

static void
hg_incident_finalize (GObject *object)
{
  HgIncident *self = HG_INCIDENT (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->alert_type, g_free);
  g_clear_pointer (&self->ward, g_free);
  g_clear_pointer (&self->room, g_free);
  g_clear_pointer (&self->bed, g_free);
  g_clear_pointer (&self->required_specialty, g_free);
  g_clear_pointer (&self->dedup_key, g_free);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->timeline, g_ptr_array_unref);

  G_OBJECT_CLASS (hg_incident_parent_class)->finalize (object);
}

static void
hg_incident_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HgIncident *self = HG_INCIDENT (object);

  if (hg_model_get_table_property (object, incident_fields, G_N_ELEMENTS (incident_fields), prop_id, value))
    return;

  switch (prop_id)
    {
    case PROP_INCIDENT_PATIENT:
      g_value_set_object (value, self->patient);
      break;
    case PROP_INCIDENT_PATIENT_NAME:
      g_value_set_string (value, self->patient != NULL ? self->patient->name : NULL);
      break;
    case PROP_INCIDENT_ASSIGNEE:
      g_value_set_object (value, self->assignee);
      break;
    case PROP_INCIDENT_ASSIGNEE_NAME:
      g_value_set_string (value, self->assignee != NULL ? self->assignee->name : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_incident_class_init (HgIncidentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hg_incident_dispose;
  object_class->finalize = hg_incident_finalize;
  object_class->get_property = hg_incident_get_property;

  hg_model_install_fields (incident_fields, G_N_ELEMENTS (incident_fields), incident_properties);

  incident_properties[PROP_INCIDENT_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, HG_TYPE_PATIENT, PARAM_FLAGS);
  /* For list rows that show a name without following the object. */
  incident_properties[PROP_INCIDENT_PATIENT_NAME] =
    g_param_spec_string ("patient-name", NULL, NULL, NULL, PARAM_FLAGS);
  incident_properties[PROP_INCIDENT_ASSIGNEE] =
    g_param_spec_object ("assignee", NULL, NULL, HG_TYPE_STAFF, PARAM_FLAGS);
  incident_properties[PROP_INCIDENT_ASSIGNEE_NAME] =
    g_param_spec_string ("assignee-name", NULL, NULL, NULL, PARAM_FLAGS);

  g_object_class_install_properties (object_class, INCIDENT_N_PROPS, incident_properties);
}

static void
hg_incident_init (HgIncident *self)
{
  self->status = HG_INCIDENT_STATUS_OPEN;
}

HgIncident *
hg_incident_new (void)
{
  return g_object_new (HG_TYPE_INCIDENT, NULL);
}

gint64
hg_incident_get_id (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), 0);
  return self->id;
}

gint64
hg_incident_get_version (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), 0);
  return self->version;
}

HgIncidentStatus
hg_incident_get_status (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), HG_INCIDENT_STATUS_OPEN);
  return self->status;
}

HgSeverity
hg_incident_get_severity (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), HG_SEVERITY_LOW);
  return self->severity;
}

const char *
hg_incident_get_title (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), NULL);
  return self->title;
}

const char *
hg_incident_get_alert_type (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), NULL);
  return self->alert_type;
}

HgPatient *
hg_incident_get_patient (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), NULL);
  return self->patient;
}

HgStaff *
hg_incident_get_assignee (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), NULL);
  return self->assignee;
}

const char *
hg_incident_get_ward (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), NULL);
  return self->ward;
}

const char *
hg_incident_get_room (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), NULL);
  return self->room;
}

guint
hg_incident_get_alert_count (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), 0);
  return self->alert_count;
}

guint
hg_incident_get_escalation_level (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), 0);
  return self->escalation_level;
}

gint64
hg_incident_get_created_at (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), 0);
  return self->created_at;
}

GPtrArray *
hg_incident_get_alerts (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), NULL);
  return self->alerts;
}

GPtrArray *
hg_incident_get_notes (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), NULL);
  return self->notes;
}

GPtrArray *
hg_incident_get_timeline (HgIncident *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT (self), NULL);
  return self->timeline;
}

/* Updating from a newer copy */

static void
notify (HgIncident *self,
        guint       prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), incident_properties[prop_id]);
}

static gboolean
update_plain_fields (HgIncident *self,
                     HgIncident *newer)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (incident_fields); i++)
    {
      if (hg_model_field_equal (self, newer, &incident_fields[i]))
        continue;
      hg_model_copy_field (self, newer, &incident_fields[i]);
      notify (self, i + 1);
      changed = TRUE;
    }

  return changed;
}

/* A newer incident usually comes from JSON with fresh patient and assignee
 * objects: comparing pointers would notify on every event, so the contents
 * are compared and the old object kept while they are the same. */
static gboolean
same_patient (HgPatient *a,
              HgPatient *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return hg_model_fields_equal (a, b, hg_patient_fields, hg_patient_n_fields);
}

static gboolean
same_staff (HgStaff *a,
            HgStaff *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return hg_model_fields_equal (a, b, hg_staff_fields, hg_staff_n_fields);
}

static gboolean
update_patient (HgIncident *self,
                HgIncident *newer)
{
  const char *old_name = self->patient != NULL ? self->patient->name : NULL;
  const char *new_name = newer->patient != NULL ? newer->patient->name : NULL;
  gboolean name_changed = g_strcmp0 (old_name, new_name) != 0;

  if (same_patient (self->patient, newer->patient))
    return FALSE;

  g_set_object (&self->patient, newer->patient);
  notify (self, PROP_INCIDENT_PATIENT);
  if (name_changed)
    notify (self, PROP_INCIDENT_PATIENT_NAME);
  return TRUE;
}

static gboolean
update_assignee (HgIncident *self,
                 HgIncident *newer)
{
  const char *old_name = self->assignee != NULL ? self->assignee->name : NULL;
  const char *new_name = newer->assignee != NULL ? newer->assignee->name : NULL;
  gboolean name_changed = g_strcmp0 (old_name, new_name) != 0;

  if (same_staff (self->assignee, newer->assignee))
    return FALSE;

  g_set_object (&self->assignee, newer->assignee);
  notify (self, PROP_INCIDENT_ASSIGNEE);
  if (name_changed)
    notify (self, PROP_INCIDENT_ASSIGNEE_NAME);
  return TRUE;
}

static gpointer
copy_alert_ref (gconstpointer src,
                gpointer      user_data)
{
  return g_object_ref ((gpointer) src);
}

static gpointer
copy_note (gconstpointer src,
           gpointer      user_data)
{
  return hg_note_copy (src);
}

static gpointer
copy_timeline_entry (gconstpointer src,
                     gpointer      user_data)
{
  return hg_timeline_entry_copy (src);
}

static gint64
alert_id_at (GPtrArray *array, guint i)
{
  return ((HgAlert *) g_ptr_array_index (array, i))->id;
}

static gint64
note_id_at (GPtrArray *array, guint i)
{
  return ((HgNote *) g_ptr_array_index (array, i))->id;
}

static gint64
timeline_id_at (GPtrArray *array, guint i)
{
  return ((HgTimelineEntry *) g_ptr_array_index (array, i))->id;
}

/* Detail rows are append-only on the server, so equal ids mean equal rows. */
static gboolean
same_ids (GPtrArray *a,
          GPtrArray *b,
          gint64   (*id_at) (GPtrArray *, guint))
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      if (id_at (a, i) != id_at (b, i))
        return FALSE;
    }
  return TRUE;
}

/* A newer incident without detail (a list event) must not wipe the detail
 * a page already loaded, so only arrays that @newer has are copied. */
static gboolean
update_detail (GPtrArray     **dest,
               GPtrArray      *src,
               gint64        (*id_at) (GPtrArray *, guint),
               GCopyFunc       copy,
               GDestroyNotify  free_func)
{
  gboolean changed;

  if (src == NULL)
    return FALSE;

  changed = !same_ids (*dest, src, id_at);
  g_clear_pointer (dest, g_ptr_array_unref);
  *dest = g_ptr_array_copy (src, copy, NULL);
  g_ptr_array_set_free_func (*dest, free_func);
  return changed;
}

gboolean
hg_incident_update_from (HgIncident *self,
                         HgIncident *newer)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (HG_IS_INCIDENT (self), FALSE);
  g_return_val_if_fail (HG_IS_INCIDENT (newer), FALSE);

  if (self == newer)
    return FALSE;

  /* One burst of notifications, after every field holds its new value. */
  g_object_freeze_notify (G_OBJECT (self));

  changed |= update_plain_fields (self, newer);
  changed |= update_patient (self, newer);
  changed |= update_assignee (self, newer);
  changed |= update_detail (&self->alerts, newer->alerts, alert_id_at,
                            copy_alert_ref, g_object_unref);
  changed |= update_detail (&self->notes, newer->notes, note_id_at,
                            copy_note, (GDestroyNotify) hg_note_free);
  changed |= update_detail (&self->timeline, newer->timeline, timeline_id_at,
                            copy_timeline_entry, (GDestroyNotify) hg_timeline_entry_free);

  g_object_thaw_notify (G_OBJECT (self));

  return changed;
}
