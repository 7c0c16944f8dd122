/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include "hg-error.h"
#include "hg-events.h"
#include "hg-json.h"

/* An alarm or notification, written after the incident events so that a
 * client always knows the incident first; an alarm carries the incident as
 * the job left it. */
typedef struct {
  char     *type;
  char     *audience;
  JsonNode *data;         /* NULL for an alarm: built at flush */
  gint64    incident_id;
  char     *reason;
} Personal;

static void
personal_free (gpointer data)
{
  Personal *p = data;

  g_free (p->type);
  g_free (p->audience);
  g_clear_pointer (&p->data, json_node_unref);
  g_free (p->reason);
  g_free (p);
}

static void
ensure_sets (HgDb *db)
{
  if (db->touched_incidents != NULL)
    return;
  db->touched_incidents = g_array_new (FALSE, FALSE, sizeof (gint64));
  db->created_incidents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  db->touched_staff = g_ptr_array_new_with_free_func (g_free);
  db->personal = g_ptr_array_new_with_free_func (personal_free);
}

static void
queue_personal (HgDb       *db,
                const char *type,
                const char *audience,
                JsonNode   *data,
                gint64      incident_id,
                const char *reason)
{
  Personal *p = g_new0 (Personal, 1);

  ensure_sets (db);
  p->type = g_strdup (type);
  p->audience = g_strdup (audience);
  p->data = data;
  p->incident_id = incident_id;
  p->reason = g_strdup (reason);
  g_ptr_array_add (db->personal, p);
}

/* @incident: the incident as the job left it, in its wire form. */
static JsonNode *
alarm_node (JsonNode   *incident,
            const char *reason)
{
  JsonObject *object = json_object_new ();
  HgSeverity severity = HG_SEVERITY_LOW;

  hg_severity_from_string (json_object_get_string_member (json_node_get_object (incident), "severity"),
                           &severity);
  json_object_set_member (object, "incident", json_node_ref (incident));
  json_object_set_string_member (object, "priority",
                                 hg_alarm_priority_to_string (hg_severity_to_alarm_priority (severity)));
  json_object_set_string_member (object, "reason", reason);
  return hg_json_node_new_object (object);
}

/* @incidents: gint64 id -> JsonNode, the incidents the job touched, as
 * their events carry them. */
static gboolean
flush_personal (HgDb       *db,
                gint64      now,
                GHashTable *incidents,
                GError    **error)
{
  for (guint i = 0; i < db->personal->len; i++)
    {
      Personal *p = g_ptr_array_index (db->personal, i);
      g_autoptr(JsonNode) built = NULL;

      if (p->data == NULL)
        {
          JsonNode *incident = g_hash_table_lookup (incidents, &p->incident_id);
          g_autoptr(HgIncident) loaded = NULL;
          g_autoptr(JsonNode) loaded_node = NULL;

          /* Every alarm's incident was touched by the job; load it only
           * should a caller have alarmed without touching it. */
          if (incident == NULL)
            {
              if (!(loaded = hg_store_load_incident (db, p->incident_id, FALSE, error)))
                return FALSE;
              incident = loaded_node = hg_json_incident_to_node (loaded, FALSE);
            }
          built = alarm_node (incident, p->reason);
        }
      if (!hg_events_append (db, now, p->type, p->audience, p->data ? p->data : built, error))
        return FALSE;
    }
  return TRUE;
}

void
hg_events_touch_incident (HgDb     *db,
                          gint64    incident_id,
                          gboolean  created)
{
  ensure_sets (db);
  for (guint i = 0; i < db->touched_incidents->len; i++)
    if (g_array_index (db->touched_incidents, gint64, i) == incident_id)
      goto mark;
  g_array_append_val (db->touched_incidents, incident_id);
mark:
  if (created)
    g_hash_table_add (db->created_incidents, g_memdup2 (&incident_id, sizeof incident_id));
}

void
hg_events_touch_staff (HgDb       *db,
                       const char *staff_id)
{
  ensure_sets (db);
  if (staff_id == NULL)
    return;
  for (guint i = 0; i < db->touched_staff->len; i++)
    if (g_str_equal (g_ptr_array_index (db->touched_staff, i), staff_id))
      return;
  g_ptr_array_add (db->touched_staff, g_strdup (staff_id));
}

void
hg_events_reset (HgDb *db)
{
  ensure_sets (db);
  g_array_set_size (db->touched_incidents, 0);
  g_hash_table_remove_all (db->created_incidents);
  g_ptr_array_set_size (db->touched_staff, 0);
  g_ptr_array_set_size (db->personal, 0);
}

gboolean
hg_events_append (HgDb        *db,
                  gint64       now,
                  const char  *type,
                  const char  *audience,
                  JsonNode    *data,
                  GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "INSERT INTO events (at, type, audience, data)"
                                      " VALUES (?, ?, ?, ?)", error);
  g_autofree char *text = NULL;

  if (stmt == NULL)
    return FALSE;
  text = hg_json_to_string (data, NULL);
  sqlite3_bind_int64 (stmt, 1, now);
  hg_bind_text (stmt, 2, type);
  hg_bind_text (stmt, 3, audience);
  hg_bind_text (stmt, 4, text);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  db->last_event_seq = sqlite3_last_insert_rowid (db->handle);
  return TRUE;
}

gboolean
hg_events_flush (HgDb    *db,
                 gint64   now,
                 GError **error)
{
  g_autoptr(GHashTable) incidents = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                            (GDestroyNotify) json_node_unref);

  ensure_sets (db);
  for (guint i = 0; i < db->touched_incidents->len; i++)
    {
      gint64 *id = &g_array_index (db->touched_incidents, gint64, i);
      g_autoptr(HgIncident) incident = hg_store_load_incident (db, *id, FALSE, error);
      JsonNode *node;

      if (incident == NULL)
        return FALSE;
      node = hg_json_incident_to_node (incident, FALSE);
      g_hash_table_replace (incidents, id, node);
      if (!hg_events_append (db, now, g_hash_table_contains (db->created_incidents, id)
                                        ? "incident.created" : "incident.updated",
                             NULL, node, error))
        return FALSE;
    }
  for (guint i = 0; i < db->touched_staff->len; i++)
    {
      g_autoptr(HgStaff) staff = hg_store_load_staff (db, g_ptr_array_index (db->touched_staff, i),
                                                      now, error);
      g_autoptr(JsonNode) node = NULL;

      if (staff == NULL)
        return FALSE;
      node = hg_json_staff_to_node (staff);
      if (!hg_events_append (db, now, "staff.updated", NULL, node, error))
        return FALSE;
    }
  if (!flush_personal (db, now, incidents, error))
    return FALSE;
  g_hash_table_remove_all (incidents);
  hg_events_reset (db);
  return TRUE;
}

static JsonNode *
notification_node (gint64       id,
                   gint64       incident_id,
                   const char  *kind,
                   const char  *message,
                   gint64       now)
{
  JsonObject *object = json_object_new ();
  g_autofree char *created = hg_time_format (now);

  json_object_set_int_member (object, "id", id);
  if (incident_id > 0)
    json_object_set_int_member (object, "incident_id", incident_id);
  else
    json_object_set_null_member (object, "incident_id");
  json_object_set_string_member (object, "kind", kind);
  json_object_set_string_member (object, "message", message);
  json_object_set_string_member (object, "created_at", created);
  json_object_set_null_member (object, "delivered_at");
  json_object_set_null_member (object, "read_at");
  return hg_json_node_new_object (object);
}

gboolean
hg_notify (HgDb        *db,
           gint64       now,
           const char  *staff_id,
           gint64       incident_id,
           const char  *kind,
           const char  *message,
           GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "INSERT INTO notifications (staff_id, incident_id, kind,"
                                      " message, created_at) VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, staff_id);
  if (incident_id > 0)
    sqlite3_bind_int64 (stmt, 2, incident_id);
  hg_bind_text (stmt, 3, kind);
  hg_bind_text (stmt, 4, message);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  queue_personal (db, "notification", staff_id,
                  notification_node (sqlite3_last_insert_rowid (db->handle), incident_id, kind, message, now),
                  incident_id, NULL);
  return TRUE;
}

gboolean
hg_alarm (HgDb        *db,
          gint64       now,
          const char  *staff_id,
          gint64       incident_id,
          const char  *reason,
          GError     **error)
{
  queue_personal (db, "alarm", staff_id, NULL, incident_id, reason);
  return TRUE;
}
