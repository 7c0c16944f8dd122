/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hg-enum-types.h"
#include "hg-models-private.h"

/* Every plain field of a model is a read-only property. Rather than five
 * hand-written get_property switches and a field-by-field update, each type
 * describes its plain fields once (name, kind, offset) and the generic code
 * below installs, reads, compares and copies them: a field added to the
 * struct and to its table cannot be forgotten in one of those places. */

typedef enum {
  FIELD_STRING,
  FIELD_INT64,
  FIELD_UINT,
  FIELD_BOOLEAN,
  FIELD_ENUM,
} FieldKind;

typedef struct {
  const char *name;
  FieldKind   kind;
  gsize       offset;
  GType     (*enum_type) (void);
} FieldSpec;

#define PARAM_FLAGS (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

#define STRING(T, f, n)   { n, FIELD_STRING,  G_STRUCT_OFFSET (T, f), NULL }
#define INT64(T, f, n)    { n, FIELD_INT64,   G_STRUCT_OFFSET (T, f), NULL }
#define UINT(T, f, n)     { n, FIELD_UINT,    G_STRUCT_OFFSET (T, f), NULL }
#define BOOLEAN(T, f, n)  { n, FIELD_BOOLEAN, G_STRUCT_OFFSET (T, f), NULL }
#define ENUM(T, f, n, g)  { n, FIELD_ENUM,    G_STRUCT_OFFSET (T, f), g }

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
static void
install_fields (const FieldSpec *specs,
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

static gboolean
field_equal (gconstpointer    a,
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

static void
copy_field (gpointer         dest,
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

static gboolean
fields_equal (gconstpointer    a,
              gconstpointer    b,
              const FieldSpec *specs,
              guint            n_specs)
{
  for (guint i = 0; i < n_specs; i++)
    {
      if (!field_equal (a, b, &specs[i]))
        return FALSE;
    }
  return TRUE;
}

/* Reads a table-described property; FALSE when @prop_id is not one. */
static gboolean
get_table_property (GObject         *object,
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

/* HgPatient */

static const FieldSpec patient_fields[] = {
  STRING (HgPatient, id, "id"),
  STRING (HgPatient, name, "name"),
  STRING (HgPatient, ward, "ward"),
  STRING (HgPatient, room, "room"),
  STRING (HgPatient, bed, "bed"),
};

#define PATIENT_N_PROPS (G_N_ELEMENTS (patient_fields) + 1)
static GParamSpec *patient_properties[PATIENT_N_PROPS];

G_DEFINE_FINAL_TYPE (HgPatient, hg_patient, G_TYPE_OBJECT)

static void
hg_patient_finalize (GObject *object)
{
  HgPatient *self = HG_PATIENT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->ward, g_free);
  g_clear_pointer (&self->room, g_free);
  g_clear_pointer (&self->bed, g_free);

  G_OBJECT_CLASS (hg_patient_parent_class)->finalize (object);
}

static void
hg_patient_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  if (!get_table_property (object, patient_fields, G_N_ELEMENTS (patient_fields), prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
hg_patient_class_init (HgPatientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hg_patient_finalize;
  object_class->get_property = hg_patient_get_property;

  install_fields (patient_fields, G_N_ELEMENTS (patient_fields), patient_properties);
  g_object_class_install_properties (object_class, PATIENT_N_PROPS, patient_properties);
}

static void
hg_patient_init (HgPatient *self)
{
}

HgPatient *
hg_patient_new (const char *id)
{
  HgPatient *self = g_object_new (HG_TYPE_PATIENT, NULL);

  self->id = g_strdup (id);
  return self;
}

const char *
hg_patient_get_id (HgPatient *self)
{
  g_return_val_if_fail (HG_IS_PATIENT (self), NULL);
  return self->id;
}

const char *
hg_patient_get_name (HgPatient *self)
{
  g_return_val_if_fail (HG_IS_PATIENT (self), NULL);
  return self->name;
}

const char *
hg_patient_get_ward (HgPatient *self)
{
  g_return_val_if_fail (HG_IS_PATIENT (self), NULL);
  return self->ward;
}

const char *
hg_patient_get_room (HgPatient *self)
{
  g_return_val_if_fail (HG_IS_PATIENT (self), NULL);
  return self->room;
}

const char *
hg_patient_get_bed (HgPatient *self)
{
  g_return_val_if_fail (HG_IS_PATIENT (self), NULL);
  return self->bed;
}

/* HgStaff */

static const FieldSpec staff_fields[] = {
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

#define STAFF_N_PROPS (G_N_ELEMENTS (staff_fields) + 1)
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
  if (!get_table_property (object, staff_fields, G_N_ELEMENTS (staff_fields), prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
hg_staff_class_init (HgStaffClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hg_staff_finalize;
  object_class->get_property = hg_staff_get_property;

  install_fields (staff_fields, G_N_ELEMENTS (staff_fields), staff_properties);
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
  if (!get_table_property (object, alert_type_fields, G_N_ELEMENTS (alert_type_fields), prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
hg_alert_type_class_init (HgAlertTypeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hg_alert_type_finalize;
  object_class->get_property = hg_alert_type_get_property;

  install_fields (alert_type_fields, G_N_ELEMENTS (alert_type_fields), alert_type_properties);
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
  if (!get_table_property (object, alert_fields, G_N_ELEMENTS (alert_fields), prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
hg_alert_class_init (HgAlertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hg_alert_finalize;
  object_class->get_property = hg_alert_get_property;

  install_fields (alert_fields, G_N_ELEMENTS (alert_fields), alert_properties);
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

/* HgNote */

G_DEFINE_BOXED_TYPE (HgNote, hg_note, hg_note_copy, hg_note_free)

HgNote *
hg_note_new (void)
{
  return g_new0 (HgNote, 1);
}

HgNote *
hg_note_copy (const HgNote *note)
{
  HgNote *copy;

  g_return_val_if_fail (note != NULL, NULL);

  copy = g_memdup2 (note, sizeof *note);
  copy->author_id = g_strdup (note->author_id);
  copy->author_name = g_strdup (note->author_name);
  copy->text = g_strdup (note->text);
  return copy;
}

void
hg_note_free (HgNote *note)
{
  if (note == NULL)
    return;

  g_free (note->author_id);
  g_free (note->author_name);
  g_free (note->text);
  g_free (note);
}

/* HgTimelineEntry */

G_DEFINE_BOXED_TYPE (HgTimelineEntry, hg_timeline_entry,
                     hg_timeline_entry_copy, hg_timeline_entry_free)

HgTimelineEntry *
hg_timeline_entry_new (void)
{
  HgTimelineEntry *entry = g_new0 (HgTimelineEntry, 1);

  entry->from_status = -1;
  entry->to_status = -1;
  return entry;
}

HgTimelineEntry *
hg_timeline_entry_copy (const HgTimelineEntry *entry)
{
  HgTimelineEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->actor_id = g_strdup (entry->actor_id);
  copy->actor_name = g_strdup (entry->actor_name);
  copy->action = g_strdup (entry->action);
  copy->detail = g_strdup (entry->detail);
  return copy;
}

void
hg_timeline_entry_free (HgTimelineEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->actor_id);
  g_free (entry->actor_name);
  g_free (entry->action);
  g_free (entry->detail);
  g_free (entry);
}

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

  if (get_table_property (object, incident_fields, G_N_ELEMENTS (incident_fields), prop_id, value))
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

  install_fields (incident_fields, G_N_ELEMENTS (incident_fields), incident_properties);

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
      if (field_equal (self, newer, &incident_fields[i]))
        continue;
      copy_field (self, newer, &incident_fields[i]);
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
  return fields_equal (a, b, patient_fields, G_N_ELEMENTS (patient_fields));
}

static gboolean
same_staff (HgStaff *a,
            HgStaff *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return fields_equal (a, b, staff_fields, G_N_ELEMENTS (staff_fields));
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
