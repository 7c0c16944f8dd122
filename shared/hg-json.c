/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hg-error.h"
#include "hg-json.h"
#include "hg-models-private.h"
#include "hg-json-private.h"
#include "hg-protocol.h"

/* Alerts */

static gboolean
is_type_code (const char *code)
{
  for (const char *p = code; *p != '\0'; p++)
    {
      if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '_')
        return FALSE;
    }
  return *code != '\0';
}

static gboolean
take_alert_type (JsonObject  *object,
                 HgAlert     *alert,
                 GError     **error)
{
  const char *type = NULL;

  if (!hg_json_get_string (object, "type", HG_MAX_ID_LEN, &type, error))
    return FALSE;
  if (type == NULL)
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "type", "type is required");
      return FALSE;
    }
  if (!is_type_code (type))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "type",
                    "type must be made of A-Z, 0-9 and _");
      return FALSE;
    }
  g_free (alert->alert_type);
  alert->alert_type = g_strdup (type);
  return TRUE;
}

static gboolean
take_location (JsonObject  *object,
               char       **ward,
               char       **room,
               char       **bed,
               GError     **error)
{
  JsonObject *location = NULL;

  if (!hg_json_get_object (object, "location", &location, error))
    return FALSE;
  if (location == NULL)
    return TRUE;
  if (!hg_json_take_string (location, "ward", HG_MAX_NAME_LEN, ward, error) ||
      !hg_json_take_string (location, "room", HG_MAX_NAME_LEN, room, error) ||
      !hg_json_take_string (location, "bed", HG_MAX_NAME_LEN, bed, error))
    {
      hg_json_prefix_error (error, "location");
      return FALSE;
    }
  return TRUE;
}

static gboolean
take_label (HgAlert     *alert,
            const char  *key,
            JsonNode    *value,
            GError     **error)
{
  g_autofree char *field = NULL;
  const char *text;

  if (*key == '\0' || (gsize) g_utf8_strlen (key, -1) > HG_MAX_LABEL_LEN)
    {
      /* The key itself is not repeated in the field: it may be huge. */
      hg_set_error (error, HG_ERROR_INVALID, *key == '\0' ? "invalid_field" : "too_long",
                    "labels", "label names must have 1 to %d characters", HG_MAX_LABEL_LEN);
      return FALSE;
    }

  field = g_strconcat ("labels.", key, NULL);
  if (!hg_json_holds_value_of_type (value, G_TYPE_STRING))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", field,
                    "%s must be a string", field);
      return FALSE;
    }
  text = json_node_get_string (value);
  if ((gsize) g_utf8_strlen (text, -1) > HG_MAX_LABEL_LEN)
    {
      hg_set_error (error, HG_ERROR_INVALID, "too_long", field,
                    "%s is longer than %d characters", field, HG_MAX_LABEL_LEN);
      return FALSE;
    }

  g_hash_table_replace (alert->labels, g_strdup (key), g_strdup (text));
  return TRUE;
}

static gboolean
take_labels (JsonObject  *object,
             HgAlert     *alert,
             GError     **error)
{
  JsonObject *labels = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!hg_json_get_object (object, "labels", &labels, error))
    return FALSE;
  if (labels == NULL)
    return TRUE;
  if (json_object_get_size (labels) > HG_MAX_LABELS)
    {
      hg_set_error (error, HG_ERROR_INVALID, "too_many", "labels",
                    "at most %d labels", HG_MAX_LABELS);
      return FALSE;
    }

  json_object_iter_init (&iter, labels);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (!take_label (alert, key, value, error))
        return FALSE;
    }
  return TRUE;
}

/* What the server fills in; clients post none of it, and the server
 * overwrites whatever they send. */
static gboolean
take_alert_server_fields (JsonObject  *object,
                          HgAlert     *alert,
                          GError     **error)
{
  return hg_json_get_int (object, "id", 0, G_MAXINT64, &alert->id, error) &&
         hg_json_get_int (object, "incident_id", 0, G_MAXINT64, &alert->incident_id, error) &&
         hg_json_take_time (object, "received_at", &alert->received_at, error);
}

HgAlert *
hg_json_alert_from_node (JsonNode  *node,
                         GError   **error)
{
  g_autoptr(HgAlert) alert = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  alert = hg_alert_new (NULL);
  if (!take_alert_type (object, alert, error) ||
      !hg_json_take_string (object, "patient_id", HG_MAX_ID_LEN, &alert->patient_id, error) ||
      !take_location (object, &alert->ward, &alert->room, &alert->bed, error) ||
      !hg_json_take_severity (object, "severity", &alert->severity, &alert->has_severity, error) ||
      !hg_json_take_string (object, "message", HG_MAX_MESSAGE_LEN, &alert->message, error) ||
      !hg_json_take_string (object, "source", HG_MAX_SOURCE_LEN, &alert->source, error) ||
      !take_labels (object, alert, error) ||
      !hg_json_take_string (object, "dedup_key", HG_MAX_LABEL_LEN, &alert->dedup_key, error) ||
      !hg_json_take_phase (object, "phase", &alert->phase, NULL, error) ||
      !hg_json_take_time (object, "occurred_at", &alert->occurred_at, error) ||
      !take_alert_server_fields (object, alert, error))
    return NULL;

  return g_steal_pointer (&alert);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static JsonObject *
labels_object (GHashTable *labels)
{
  JsonObject *object = json_object_new ();
  g_autofree const char **keys = NULL;
  guint n_keys;

  /* Sorted, so that the same alert always serialises the same way. */
  keys = (const char **) g_hash_table_get_keys_as_array (labels, &n_keys);
  g_qsort_with_data (keys, n_keys, sizeof (char *), compare_keys, NULL);
  for (guint i = 0; i < n_keys; i++)
    json_object_set_string_member (object, keys[i], g_hash_table_lookup (labels, keys[i]));

  return object;
}

JsonNode *
hg_json_labels_to_node (GHashTable *labels)
{
  g_return_val_if_fail (labels != NULL, NULL);

  return hg_json_node_from_object (labels_object (labels));
}

JsonNode *
hg_json_alert_to_node (HgAlert *alert)
{
  JsonObject *object;

  g_return_val_if_fail (HG_IS_ALERT (alert), NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", alert->id);
  hg_json_set_id_or_null (object, "incident_id", alert->incident_id);
  hg_json_set_string_or_null (object, "type", alert->alert_type);
  hg_json_set_string_or_null (object, "patient_id", alert->patient_id);
  json_object_set_object_member (object, "location",
                                 hg_json_location_object (alert->ward, alert->room, alert->bed));
  hg_json_set_string_or_null (object, "severity",
                              alert->has_severity ? hg_severity_to_string (alert->severity) : NULL);
  hg_json_set_string_or_null (object, "message", alert->message);
  hg_json_set_string_or_null (object, "source", alert->source);
  json_object_set_object_member (object, "labels", labels_object (alert->labels));
  hg_json_set_string_or_null (object, "dedup_key", alert->dedup_key);
  json_object_set_string_member (object, "phase", hg_alert_phase_to_string (alert->phase));
  hg_json_set_time_or_null (object, "occurred_at", alert->occurred_at);
  hg_json_set_time_or_null (object, "received_at", alert->received_at);

  return hg_json_node_from_object (object);
}

/* Patients and staff */

JsonNode *
hg_json_patient_to_node (HgPatient *patient)
{
  JsonObject *object;

  g_return_val_if_fail (HG_IS_PATIENT (patient), NULL);

  object = json_object_new ();
  hg_json_set_string_or_null (object, "id", patient->id);
  hg_json_set_string_or_null (object, "name", patient->name);
  hg_json_set_string_or_null (object, "ward", patient->ward);
  hg_json_set_string_or_null (object, "room", patient->room);
  hg_json_set_string_or_null (object, "bed", patient->bed);

  return hg_json_node_from_object (object);
}

HgPatient *
hg_json_patient_from_node (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(HgPatient) patient = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  patient = hg_patient_new (NULL);
  if (!hg_json_take_string (object, "id", 0, &patient->id, error) ||
      !hg_json_take_string (object, "name", 0, &patient->name, error) ||
      !hg_json_take_string (object, "ward", 0, &patient->ward, error) ||
      !hg_json_take_string (object, "room", 0, &patient->room, error) ||
      !hg_json_take_string (object, "bed", 0, &patient->bed, error))
    return NULL;

  return g_steal_pointer (&patient);
}

JsonNode *
hg_json_staff_to_node (HgStaff *staff)
{
  JsonObject *object;

  g_return_val_if_fail (HG_IS_STAFF (staff), NULL);

  object = json_object_new ();
  hg_json_set_string_or_null (object, "id", staff->id);
  hg_json_set_string_or_null (object, "name", staff->name);
  json_object_set_string_member (object, "role", hg_role_to_string (staff->role));
  hg_json_set_string_or_null (object, "specialty", staff->specialty);
  hg_json_set_string_or_null (object, "ward", staff->ward);
  json_object_set_boolean_member (object, "on_duty", staff->on_duty);
  json_object_set_boolean_member (object, "available", staff->available);
  json_object_set_boolean_member (object, "logged_in", staff->logged_in);
  json_object_set_int_member (object, "workload", staff->workload);
  json_object_set_boolean_member (object, "disabled", staff->disabled);

  return hg_json_node_from_object (object);
}

/* Also reads the short {id, name, role, specialty} of an assignee. */
HgStaff *
hg_json_staff_from_node (JsonNode  *node,
                         GError   **error)
{
  g_autoptr(HgStaff) staff = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  staff = hg_staff_new (NULL);
  if (!hg_json_take_string (object, "id", 0, &staff->id, error) ||
      !hg_json_take_string (object, "name", 0, &staff->name, error) ||
      !hg_json_take_role (object, "role", &staff->role, NULL, error) ||
      !hg_json_take_string (object, "specialty", 0, &staff->specialty, error) ||
      !hg_json_take_string (object, "ward", 0, &staff->ward, error) ||
      !hg_json_get_bool (object, "on_duty", &staff->on_duty, error) ||
      !hg_json_get_bool (object, "available", &staff->available, error) ||
      !hg_json_get_bool (object, "logged_in", &staff->logged_in, error) ||
      !hg_json_take_uint (object, "workload", &staff->workload, error) ||
      !hg_json_get_bool (object, "disabled", &staff->disabled, error))
    return NULL;

  return g_steal_pointer (&staff);
}

/* Alert types */

JsonNode *
hg_json_alert_type_to_node (HgAlertType *type)
{
  JsonObject *object;
  JsonArray *fallback;

  g_return_val_if_fail (HG_IS_ALERT_TYPE (type), NULL);

  fallback = json_array_new ();
  for (guint i = 0; i < type->fallback_roles->len; i++)
    json_array_add_string_element (fallback,
                                   hg_role_to_string (g_array_index (type->fallback_roles, HgRole, i)));

  object = json_object_new ();
  hg_json_set_string_or_null (object, "code", type->code);
  hg_json_set_string_or_null (object, "name", type->name);
  hg_json_set_string_or_null (object, "category", type->category);
  json_object_set_string_member (object, "severity", hg_severity_to_string (type->severity));
  json_object_set_string_member (object, "required_role", hg_role_to_string (type->required_role));
  hg_json_set_string_or_null (object, "specialty", type->specialty);
  json_object_set_array_member (object, "fallback_roles", fallback);

  return hg_json_node_from_object (object);
}

static gboolean
take_fallback_roles (JsonObject  *object,
                     HgAlertType *type,
                     GError     **error)
{
  JsonArray *array = NULL;

  if (!hg_json_get_array (object, "fallback_roles", &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      HgRole role;

      if (!hg_json_holds_value_of_type (element, G_TYPE_STRING) ||
          !hg_role_from_string (json_node_get_string (element), &role))
        {
          g_autofree char *field = g_strdup_printf ("fallback_roles[%u]", i);

          hg_json_set_enum_error (error, field);
          return FALSE;
        }
      g_array_append_val (type->fallback_roles, role);
    }
  return TRUE;
}

HgAlertType *
hg_json_alert_type_from_node (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(HgAlertType) type = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  type = hg_alert_type_new (NULL);
  if (!hg_json_take_string (object, "code", 0, &type->code, error) ||
      !hg_json_take_string (object, "name", 0, &type->name, error) ||
      !hg_json_take_string (object, "category", 0, &type->category, error) ||
      !hg_json_take_severity (object, "severity", &type->severity, NULL, error) ||
      !hg_json_take_role (object, "required_role", &type->required_role, NULL, error) ||
      !hg_json_take_string (object, "specialty", 0, &type->specialty, error) ||
      !take_fallback_roles (object, type, error))
    return NULL;

  return g_steal_pointer (&type);
}

/* Notes and timeline entries */

JsonNode *
hg_json_note_to_node (const HgNote *note)
{
  JsonObject *object;

  g_return_val_if_fail (note != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", note->id);
  hg_json_set_person_or_null (object, "author", note->author_id, note->author_name);
  hg_json_set_string_or_null (object, "text", note->text);
  hg_json_set_time_or_null (object, "created_at", note->created_at);

  return hg_json_node_from_object (object);
}

static HgNote *
note_from_node (JsonNode  *node,
                GError   **error)
{
  g_autoptr(HgNote) note = hg_note_new ();
  JsonObject *object;

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  if (!hg_json_get_int (object, "id", 0, G_MAXINT64, &note->id, error) ||
      !hg_json_take_person (object, "author", &note->author_id, &note->author_name, error) ||
      !hg_json_take_string (object, "text", 0, &note->text, error) ||
      !hg_json_take_time (object, "created_at", &note->created_at, error))
    return NULL;

  return g_steal_pointer (&note);
}

JsonNode *
hg_json_timeline_entry_to_node (const HgTimelineEntry *entry)
{
  JsonObject *object;

  g_return_val_if_fail (entry != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", entry->id);
  hg_json_set_time_or_null (object, "at", entry->at);
  hg_json_set_person_or_null (object, "actor", entry->actor_id, entry->actor_name);
  hg_json_set_string_or_null (object, "action", entry->action);
  hg_json_set_string_or_null (object, "from",
                              entry->from_status >= 0 ? hg_incident_status_to_string (entry->from_status) : NULL);
  hg_json_set_string_or_null (object, "to",
                              entry->to_status >= 0 ? hg_incident_status_to_string (entry->to_status) : NULL);
  hg_json_set_string_or_null (object, "detail", entry->detail);

  return hg_json_node_from_object (object);
}

static HgTimelineEntry *
timeline_entry_from_node (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(HgTimelineEntry) entry = hg_timeline_entry_new ();
  JsonObject *object;

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  if (!hg_json_get_int (object, "id", 0, G_MAXINT64, &entry->id, error) ||
      !hg_json_take_time (object, "at", &entry->at, error) ||
      !hg_json_take_person (object, "actor", &entry->actor_id, &entry->actor_name, error) ||
      !hg_json_take_string (object, "action", 0, &entry->action, error) ||
      !hg_json_take_optional_status (object, "from", &entry->from_status, error) ||
      !hg_json_take_optional_status (object, "to", &entry->to_status, error) ||
      !hg_json_take_string (object, "detail", 0, &entry->detail, error))
    return NULL;

  return g_steal_pointer (&entry);
}

/* Incidents */

static JsonObject *
incident_patient_object (HgPatient *patient)
{
  JsonObject *object = json_object_new ();

  /* The contract's short form: where the patient lies, not the bed. */
  hg_json_set_string_or_null (object, "id", patient->id);
  hg_json_set_string_or_null (object, "name", patient->name);
  hg_json_set_string_or_null (object, "ward", patient->ward);
  hg_json_set_string_or_null (object, "room", patient->room);
  return object;
}

static JsonObject *
incident_assignee_object (HgStaff *staff)
{
  JsonObject *object = json_object_new ();

  hg_json_set_string_or_null (object, "id", staff->id);
  hg_json_set_string_or_null (object, "name", staff->name);
  json_object_set_string_member (object, "role", hg_role_to_string (staff->role));
  hg_json_set_string_or_null (object, "specialty", staff->specialty);
  return object;
}

typedef JsonNode *(*ToNodeFunc) (gconstpointer item);

static JsonNode *
alert_item_to_node (gconstpointer item)
{
  return hg_json_alert_to_node ((HgAlert *) item);
}

static JsonNode *
note_item_to_node (gconstpointer item)
{
  return hg_json_note_to_node (item);
}

static JsonNode *
timeline_item_to_node (gconstpointer item)
{
  return hg_json_timeline_entry_to_node (item);
}

static void
set_detail_array (JsonObject *object,
                  const char *member,
                  GPtrArray  *items,
                  ToNodeFunc  to_node)
{
  JsonArray *array;

  if (items == NULL)
    return;

  array = json_array_sized_new (items->len);
  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, to_node (g_ptr_array_index (items, i)));
  json_object_set_array_member (object, member, array);
}

static void
set_incident_people (JsonObject *object,
                     HgIncident *incident)
{
  if (incident->patient != NULL)
    json_object_set_object_member (object, "patient", incident_patient_object (incident->patient));
  else
    json_object_set_null_member (object, "patient");

  json_object_set_object_member (object, "location",
                                 hg_json_location_object (incident->ward, incident->room, incident->bed));

  if (incident->assignee != NULL)
    json_object_set_object_member (object, "assignee", incident_assignee_object (incident->assignee));
  else
    json_object_set_null_member (object, "assignee");
}

JsonNode *
hg_json_incident_to_node (HgIncident *incident,
                          gboolean    detail)
{
  JsonObject *object;

  g_return_val_if_fail (HG_IS_INCIDENT (incident), NULL);

  /* Members in the order of the contract's example. */
  object = json_object_new ();
  json_object_set_int_member (object, "id", incident->id);
  json_object_set_int_member (object, "version", incident->version);
  json_object_set_string_member (object, "status", hg_incident_status_to_string (incident->status));
  json_object_set_string_member (object, "severity", hg_severity_to_string (incident->severity));
  hg_json_set_string_or_null (object, "title", incident->title);
  hg_json_set_string_or_null (object, "alert_type", incident->alert_type);
  set_incident_people (object, incident);
  json_object_set_string_member (object, "required_role", hg_role_to_string (incident->required_role));
  hg_json_set_string_or_null (object, "required_specialty", incident->required_specialty);
  json_object_set_int_member (object, "alert_count", incident->alert_count);
  json_object_set_int_member (object, "escalation_level", incident->escalation_level);
  hg_json_set_time_or_null (object, "created_at", incident->created_at);
  hg_json_set_time_or_null (object, "assigned_at", incident->assigned_at);
  hg_json_set_time_or_null (object, "acknowledged_at", incident->acknowledged_at);
  hg_json_set_time_or_null (object, "started_at", incident->started_at);
  hg_json_set_time_or_null (object, "resolved_at", incident->resolved_at);

  if (detail)
    {
      set_detail_array (object, "alerts", incident->alerts, alert_item_to_node);
      set_detail_array (object, "notes", incident->notes, note_item_to_node);
      set_detail_array (object, "timeline", incident->timeline, timeline_item_to_node);
    }

  return hg_json_node_from_object (object);
}

typedef gpointer (*FromNodeFunc) (JsonNode *node, GError **error);

static gpointer
alert_item_from_node (JsonNode  *node,
                      GError   **error)
{
  return hg_json_alert_from_node (node, error);
}

static gpointer
note_item_from_node (JsonNode  *node,
                     GError   **error)
{
  return note_from_node (node, error);
}

static gpointer
timeline_item_from_node (JsonNode  *node,
                         GError   **error)
{
  return timeline_entry_from_node (node, error);
}

/* Fills *out with a new array when @member is there; the field of an error
 * reads "alerts[2].type". */
static gboolean
take_detail_array (JsonObject     *object,
                   const char     *member,
                   FromNodeFunc    from_node,
                   GDestroyNotify  free_func,
                   GPtrArray     **out,
                   GError        **error)
{
  g_autoptr(GPtrArray) items = NULL;
  JsonArray *array = NULL;

  if (!hg_json_get_array (object, member, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  items = g_ptr_array_new_full (json_array_get_length (array), free_func);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gpointer item = from_node (json_array_get_element (array, i), error);
      g_autofree char *index = NULL;

      if (item != NULL)
        {
          g_ptr_array_add (items, item);
          continue;
        }
      index = g_strdup_printf ("[%u]", i);
      hg_json_prefix_error (error, index);
      hg_json_prefix_error (error, member);
      return FALSE;
    }

  g_clear_pointer (out, g_ptr_array_unref);
  *out = g_steal_pointer (&items);
  return TRUE;
}

/* A nested object parsed by @from_node; the field of an error reads
 * "patient.name". */
static gboolean
take_nested (JsonObject    *object,
             const char    *member,
             FromNodeFunc   from_node,
             GObject      **out,
             GError       **error)
{
  JsonNode *node = hg_json_get_member (object, member);
  GObject *item;

  if (node == NULL)
    return TRUE;
  if ((item = from_node (node, error)) == NULL)
    {
      hg_json_prefix_error (error, member);
      return FALSE;
    }
  g_clear_object (out);
  *out = item;
  return TRUE;
}

static gpointer
patient_item_from_node (JsonNode  *node,
                        GError   **error)
{
  return hg_json_patient_from_node (node, error);
}

static gpointer
staff_item_from_node (JsonNode  *node,
                      GError   **error)
{
  return hg_json_staff_from_node (node, error);
}

static gboolean
take_incident_times (JsonObject  *object,
                     HgIncident  *incident,
                     GError     **error)
{
  return hg_json_take_time (object, "created_at", &incident->created_at, error) &&
         hg_json_take_time (object, "assigned_at", &incident->assigned_at, error) &&
         hg_json_take_time (object, "acknowledged_at", &incident->acknowledged_at, error) &&
         hg_json_take_time (object, "started_at", &incident->started_at, error) &&
         hg_json_take_time (object, "resolved_at", &incident->resolved_at, error);
}

static gboolean
take_incident_detail (JsonObject  *object,
                      HgIncident  *incident,
                      GError     **error)
{
  return take_detail_array (object, "alerts", alert_item_from_node,
                            g_object_unref, &incident->alerts, error) &&
         take_detail_array (object, "notes", note_item_from_node,
                            (GDestroyNotify) hg_note_free, &incident->notes, error) &&
         take_detail_array (object, "timeline", timeline_item_from_node,
                            (GDestroyNotify) hg_timeline_entry_free, &incident->timeline, error);
}

static gboolean
take_incident_location (JsonObject  *object,
                        HgIncident  *incident,
                        GError     **error)
{
  JsonObject *location = NULL;

  if (!hg_json_get_object (object, "location", &location, error))
    return FALSE;
  if (location == NULL)
    return TRUE;
  if (!hg_json_take_string (location, "ward", 0, &incident->ward, error) ||
      !hg_json_take_string (location, "room", 0, &incident->room, error) ||
      !hg_json_take_string (location, "bed", 0, &incident->bed, error))
    {
      hg_json_prefix_error (error, "location");
      return FALSE;
    }
  return TRUE;
}

HgIncident *
hg_json_incident_from_node (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(HgIncident) incident = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  incident = hg_incident_new ();
  if (!hg_json_get_int (object, "id", 0, G_MAXINT64, &incident->id, error) ||
      !hg_json_get_int (object, "version", 0, G_MAXINT64, &incident->version, error) ||
      !hg_json_take_status (object, "status", &incident->status, NULL, error) ||
      !hg_json_take_severity (object, "severity", &incident->severity, NULL, error) ||
      !hg_json_take_string (object, "title", 0, &incident->title, error) ||
      !hg_json_take_string (object, "alert_type", 0, &incident->alert_type, error) ||
      !take_nested (object, "patient", patient_item_from_node, (GObject **) &incident->patient, error) ||
      !take_incident_location (object, incident, error) ||
      !take_nested (object, "assignee", staff_item_from_node, (GObject **) &incident->assignee, error) ||
      !hg_json_take_role (object, "required_role", &incident->required_role, NULL, error) ||
      !hg_json_take_string (object, "required_specialty", 0, &incident->required_specialty, error) ||
      !hg_json_take_uint (object, "alert_count", &incident->alert_count, error) ||
      !hg_json_take_uint (object, "escalation_level", &incident->escalation_level, error) ||
      !take_incident_times (object, incident, error) ||
      !take_incident_detail (object, incident, error))
    return NULL;

  return g_steal_pointer (&incident);
}

/* Errors */

JsonNode *
hg_json_error_body (const GError *error)
{
  JsonObject *inner;
  JsonObject *outer;
  const char *field;

  g_return_val_if_fail (error != NULL, NULL);

  inner = json_object_new ();
  json_object_set_string_member (inner, "code", hg_error_wire_code (error));
  json_object_set_string_member (inner, "message", error->message);
  if ((field = hg_error_get_field (error)) != NULL)
    json_object_set_string_member (inner, "field", field);

  outer = json_object_new ();
  json_object_set_object_member (outer, "error", inner);
  return hg_json_node_from_object (outer);
}

JsonNode *
hg_json_node_new_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

JsonNode *
hg_json_node_new_array (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}
