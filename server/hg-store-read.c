/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include <string.h>

#include "hg-error.h"
#include "hg-json.h"
#include "hg-store-private.h"


#define STAFF_SELECT \
  "SELECT s.id, s.name, s.role, s.specialty, s.ward, s.available, s.disabled, s.last_assigned_at," \
  " EXISTS (SELECT 1 FROM shifts h WHERE h.staff_id = s.id AND h.ends_at > ?1 AND h.starts_at <= ?1)," \
  " EXISTS (SELECT 1 FROM tokens t WHERE t.staff_id = s.id AND t.expires_at > ?1 AND t.revoked_at IS NULL)," \
  " s.active_incidents" \
  " FROM staff s"

#define INCIDENT_SELECT \
  "SELECT i.id, i.version, i.status, i.severity, i.title, i.alert_type," \
  " i.patient_id, p.name, p.ward, p.room, p.bed, i.ward, i.room, i.bed," \
  " i.assignee_id, s.name, s.role, s.specialty, i.required_role, i.required_specialty," \
  " i.dedup_key, i.alert_count, i.escalation_level, i.created_at, i.assigned_at," \
  " i.acknowledged_at, i.started_at, i.resolved_at" \
  " FROM incidents i LEFT JOIN patients p ON p.id = i.patient_id" \
  " LEFT JOIN staff s ON s.id = i.assignee_id"

static void
not_found (GError    **error,
           const char *what,
           const char *id)
{
  hg_set_error (error, HG_ERROR_NOT_FOUND, NULL, NULL, "no %s with id %s", what, id);
}

static gboolean
step_row (HgDb          *db,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    hg_db_set_error (db, error, "reading");
  return FALSE;
}

static HgStaff *
staff_from_row (sqlite3_stmt *stmt)
{
  HgStaff *staff = hg_staff_new ((const char *) sqlite3_column_text (stmt, 0));
  HgRole role = HG_ROLE_NURSE;

  staff->name = hg_column_dup (stmt, 1);
  hg_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &role);
  staff->role = role;
  staff->specialty = hg_column_dup (stmt, 3);
  staff->ward = hg_column_dup (stmt, 4);
  staff->available = sqlite3_column_int (stmt, 5);
  staff->disabled = sqlite3_column_int (stmt, 6);
  staff->last_assigned_at = sqlite3_column_int64 (stmt, 7);
  staff->on_duty = sqlite3_column_int (stmt, 8);
  staff->logged_in = sqlite3_column_int (stmt, 9);
  staff->workload = sqlite3_column_int (stmt, 10);
  return staff;
}

HgStaff *
hg_store_load_staff (HgDb        *db,
                     const char  *id,
                     gint64       now,
                     GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, STAFF_SELECT " WHERE s.id = ?2", error);
  HgStaff *staff = NULL;
  GError *local_error = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  hg_bind_text (stmt, 2, id);
  if (step_row (db, stmt, &local_error))
    staff = staff_from_row (stmt);
  else if (local_error != NULL)
    g_propagate_error (error, local_error);
  else
    hg_set_error (error, HG_ERROR_UNKNOWN_REFERENCE, "unknown_staff", "staff_id",
                  "no staff member with id %s", id);
  sqlite3_reset (stmt);
  return staff;
}

static GPtrArray *
collect_staff (HgDb         *db,
               sqlite3_stmt *stmt,
               gboolean      candidates_only,
               GError      **error)
{
  g_autoptr(GPtrArray) staff = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HgStaff *member = staff_from_row (stmt);

      if (candidates_only && (!member->on_duty || member->disabled || member->role == HG_ROLE_ADMIN))
        g_object_unref (member);
      else
        g_ptr_array_add (staff, member);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "reading staff");
      return NULL;
    }
  return g_steal_pointer (&staff);
}

/* Only people with a shift running now, found through the shift index. */
GPtrArray *
hg_store_load_candidates (HgDb    *db,
                          gint64   now,
                          GError **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, STAFF_SELECT
                                      " WHERE s.id IN (SELECT staff_id FROM shifts"
                                      " WHERE ends_at > ?1 AND starts_at <= ?1)"
                                      " AND s.disabled = 0 AND s.role <> 'admin'", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  return collect_staff (db, stmt, TRUE, error);
}

HgAlertType *
hg_store_load_alert_type (HgDb        *db,
                          const char  *code,
                          GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT code, name, category, severity, required_role,"
                                      " specialty, fallback_roles FROM alert_types WHERE code = ?", error);
  g_autoptr(HgAlertType) type = NULL;
  GError *local_error = NULL;

  if (stmt == NULL)
    return NULL;
  hg_bind_text (stmt, 1, code);
  if (step_row (db, stmt, &local_error))
    {
      g_auto(GStrv) fallbacks = g_strsplit ((const char *) sqlite3_column_text (stmt, 6), ",", -1);

      type = hg_alert_type_new (code);
      type->name = hg_column_dup (stmt, 1);
      type->category = hg_column_dup (stmt, 2);
      hg_severity_from_string ((const char *) sqlite3_column_text (stmt, 3), &type->severity);
      hg_role_from_string ((const char *) sqlite3_column_text (stmt, 4), &type->required_role);
      type->specialty = hg_column_dup (stmt, 5);
      for (guint i = 0; fallbacks[i] != NULL; i++)
        {
          HgRole role;

          if (hg_role_from_string (fallbacks[i], &role))
            g_array_append_val (type->fallback_roles, role);
        }
    }
  else if (local_error != NULL)
    g_propagate_error (error, local_error);
  else
    hg_set_error (error, HG_ERROR_UNKNOWN_REFERENCE, "unknown_alert_type", "type",
                  "no alert type %s", code);
  sqlite3_reset (stmt);
  return g_steal_pointer (&type);
}

HgPatient *
hg_store_load_patient (HgDb        *db,
                       const char  *id,
                       GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT name, ward, room, bed FROM patients WHERE id = ?", error);
  HgPatient *patient = NULL;
  GError *local_error = NULL;

  if (stmt == NULL)
    return NULL;
  hg_bind_text (stmt, 1, id);
  if (step_row (db, stmt, &local_error))
    {
      patient = hg_patient_new (id);
      patient->name = hg_column_dup (stmt, 0);
      patient->ward = hg_column_dup (stmt, 1);
      patient->room = hg_column_dup (stmt, 2);
      patient->bed = hg_column_dup (stmt, 3);
    }
  else if (local_error != NULL)
    g_propagate_error (error, local_error);
  else
    hg_set_error (error, HG_ERROR_UNKNOWN_REFERENCE, "unknown_patient", "patient_id",
                  "no patient with id %s", id);
  sqlite3_reset (stmt);
  return patient;
}

static gint64
column_time (sqlite3_stmt *stmt,
             int           index)
{
  return sqlite3_column_type (stmt, index) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, index);
}

static HgIncident *
incident_from_row (sqlite3_stmt *stmt)
{
  HgIncident *incident = hg_incident_new ();

  incident->id = sqlite3_column_int64 (stmt, 0);
  incident->version = sqlite3_column_int64 (stmt, 1);
  hg_incident_status_from_string ((const char *) sqlite3_column_text (stmt, 2), &incident->status);
  hg_severity_from_string ((const char *) sqlite3_column_text (stmt, 3), &incident->severity);
  incident->title = hg_column_dup (stmt, 4);
  incident->alert_type = hg_column_dup (stmt, 5);
  if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
    {
      incident->patient = hg_patient_new ((const char *) sqlite3_column_text (stmt, 6));
      incident->patient->name = hg_column_dup (stmt, 7);
      incident->patient->ward = hg_column_dup (stmt, 8);
      incident->patient->room = hg_column_dup (stmt, 9);
      incident->patient->bed = hg_column_dup (stmt, 10);
    }
  incident->ward = hg_column_dup (stmt, 11);
  incident->room = hg_column_dup (stmt, 12);
  incident->bed = hg_column_dup (stmt, 13);
  if (sqlite3_column_type (stmt, 14) != SQLITE_NULL)
    {
      incident->assignee = hg_staff_new ((const char *) sqlite3_column_text (stmt, 14));
      incident->assignee->name = hg_column_dup (stmt, 15);
      hg_role_from_string ((const char *) sqlite3_column_text (stmt, 16), &incident->assignee->role);
      incident->assignee->specialty = hg_column_dup (stmt, 17);
    }
  hg_role_from_string ((const char *) sqlite3_column_text (stmt, 18), &incident->required_role);
  incident->required_specialty = hg_column_dup (stmt, 19);
  incident->dedup_key = hg_column_dup (stmt, 20);
  incident->alert_count = sqlite3_column_int (stmt, 21);
  incident->escalation_level = sqlite3_column_int (stmt, 22);
  incident->created_at = column_time (stmt, 23);
  incident->assigned_at = column_time (stmt, 24);
  incident->acknowledged_at = column_time (stmt, 25);
  incident->started_at = column_time (stmt, 26);
  incident->resolved_at = column_time (stmt, 27);
  return incident;
}

HgAlert *
hg_store_alert_from_row (sqlite3_stmt *stmt)
{
  HgAlert *alert = hg_alert_new ((const char *) sqlite3_column_text (stmt, 2));
  const char *labels = (const char *) sqlite3_column_text (stmt, 10);

  alert->id = sqlite3_column_int64 (stmt, 0);
  alert->incident_id = column_time (stmt, 1);
  alert->patient_id = hg_column_dup (stmt, 3);
  alert->ward = hg_column_dup (stmt, 4);
  alert->room = hg_column_dup (stmt, 5);
  alert->bed = hg_column_dup (stmt, 6);
  alert->has_severity = hg_severity_from_string ((const char *) sqlite3_column_text (stmt, 7),
                                                 &alert->severity);
  alert->message = hg_column_dup (stmt, 8);
  alert->source = hg_column_dup (stmt, 9);
  if (labels != NULL)
    {
      g_autoptr(JsonNode) node = hg_json_parse (labels, strlen (labels), NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObjectIter iter;
          const char *key;
          JsonNode *value;

          json_object_iter_init (&iter, json_node_get_object (node));
          while (json_object_iter_next (&iter, &key, &value))
            if (JSON_NODE_HOLDS_VALUE (value))
              g_hash_table_insert (alert->labels, g_strdup (key),
                                   g_strdup (json_node_get_string (value)));
        }
    }
  alert->dedup_key = hg_column_dup (stmt, 11);
  hg_alert_phase_from_string ((const char *) sqlite3_column_text (stmt, 12), &alert->phase);
  alert->occurred_at = column_time (stmt, 13);
  alert->received_at = column_time (stmt, 14);
  return alert;
}

static gboolean
load_detail (HgDb        *db,
             HgIncident  *incident,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  incident->alerts = g_ptr_array_new_with_free_func (g_object_unref);
  incident->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) hg_note_free);
  incident->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) hg_timeline_entry_free);

  if (!(stmt = hg_db_prepare (db, "SELECT " HG_ALERT_COLUMNS " FROM alerts a"
                              " WHERE a.incident_id = ? ORDER BY a.id", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (incident->alerts, hg_store_alert_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto fail;

  if (!(stmt = hg_db_prepare (db, "SELECT n.id, n.author_id, s.name, n.text, n.created_at FROM notes n"
                              " LEFT JOIN staff s ON s.id = n.author_id"
                              " WHERE n.incident_id = ? ORDER BY n.id", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HgNote *note = hg_note_new ();

      note->id = sqlite3_column_int64 (stmt, 0);
      note->incident_id = incident->id;
      note->author_id = hg_column_dup (stmt, 1);
      note->author_name = hg_column_dup (stmt, 2);
      note->text = hg_column_dup (stmt, 3);
      note->created_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (incident->notes, note);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto fail;

  if (!(stmt = hg_db_prepare (db, "SELECT t.id, t.at, t.actor_id, s.name, t.action, t.from_status,"
                              " t.to_status, t.detail FROM timeline t"
                              " LEFT JOIN staff s ON s.id = t.actor_id"
                              " WHERE t.incident_id = ? ORDER BY t.id", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HgTimelineEntry *entry = hg_timeline_entry_new ();
      HgIncidentStatus status;

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->incident_id = incident->id;
      entry->at = sqlite3_column_int64 (stmt, 1);
      entry->actor_id = hg_column_dup (stmt, 2);
      entry->actor_name = hg_column_dup (stmt, 3);
      entry->action = hg_column_dup (stmt, 4);
      if (hg_incident_status_from_string ((const char *) sqlite3_column_text (stmt, 5), &status))
        entry->from_status = status;
      if (hg_incident_status_from_string ((const char *) sqlite3_column_text (stmt, 6), &status))
        entry->to_status = status;
      entry->detail = hg_column_dup (stmt, 7);
      g_ptr_array_add (incident->timeline, entry);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;

fail:
  hg_db_set_error (db, error, "reading an incident's detail");
  return FALSE;
}

HgIncident *
hg_store_load_incident (HgDb      *db,
                        gint64     id,
                        gboolean   detail,
                        GError   **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, INCIDENT_SELECT " WHERE i.id = ?", error);
  g_autoptr(HgIncident) incident = NULL;
  GError *local_error = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (step_row (db, stmt, &local_error))
    incident = incident_from_row (stmt);
  sqlite3_reset (stmt);
  if (incident == NULL)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        not_found (error, "incident", text);
      return NULL;
    }
  if (detail && !load_detail (db, incident, error))
    return NULL;
  return g_steal_pointer (&incident);
}

/* --- The public reads ------------------------------------------------- */

gboolean
hg_store_lookup_token (HgStore      *self,
                       const guchar  hash[32],
                       HgPrincipal  *out,
                       GError      **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (self->reader,
                                      "SELECT s.id, s.name, s.role,"
                                      " coalesce(t.last_used_at, t.created_at) FROM tokens t"
                                      " JOIN staff s ON s.id = t.staff_id"
                                      " WHERE t.hash = ? AND t.revoked_at IS NULL"
                                      " AND t.expires_at > ? AND s.disabled = 0", error);
  GError *local_error = NULL;
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, 32, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, hg_time_now_ms ());
  if (step_row (self->reader, stmt, &local_error))
    {
      found = TRUE;
      out->staff_id = hg_column_dup (stmt, 0);
      out->name = hg_column_dup (stmt, 1);
      hg_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &out->role);
      out->kind = HG_PRINCIPAL_STAFF;
      out->last_used_at = sqlite3_column_int64 (stmt, 3);
      memcpy (out->token_hash, hash, 32);
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (!found)
    hg_set_error (error, HG_ERROR_UNAUTHENTICATED, "invalid_token", NULL,
                  "the token is unknown, expired or revoked");
  return found;
}

char *
hg_store_get_password_hash (HgStore    *self,
                            const char *staff_id)
{
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, "SELECT password_hash FROM staff"
                                      " WHERE id = ? AND disabled = 0", NULL);
  char *hash = NULL;

  if (stmt == NULL)
    return NULL;
  hg_bind_text (stmt, 1, staff_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    hash = hg_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return hash;
}

HgIncident *
hg_store_get_incident (HgStore  *self,
                       gint64    id,
                       gboolean  detail,
                       GError  **error)
{
  HgIncident *incident;

  g_return_val_if_fail (HG_IS_STORE (self), NULL);
  if (!detail)
    return hg_store_load_incident (self->reader, id, FALSE, error);
  /* The row, its alerts, notes and timeline from one snapshot: read
   * statement by statement, a commit landing in between gave a timeline
   * that already said "handover" beside the holder from before it. */
  if (!hg_db_exec (self->reader, "BEGIN", error))
    return NULL;
  incident = hg_store_load_incident (self->reader, id, TRUE, error);
  hg_db_exec (self->reader, "COMMIT", NULL);
  return incident;
}

void
hg_incident_filter_clear (HgIncidentFilter *filter)
{
  g_clear_pointer (&filter->assignee_id, g_free);
  g_clear_pointer (&filter->ward, g_free);
  g_clear_pointer (&filter->patient_id, g_free);
}

/* The values of a bit set, or { -1 } when it is empty (no filter). */
static guint
bit_values (guint bits,
            guint n,
            int   values[])
{
  guint count = 0;

  for (guint i = 0; i < n; i++)
    if (bits & (1u << i))
      values[count++] = i;
  if (count == 0)
    values[count++] = -1;
  return count;
}

static void
append_branch (GString                *sql,
               const HgIncidentFilter *filter,
               int                     status,
               int                     severity)
{
  g_string_append (sql, INCIDENT_SELECT " WHERE i.id < ?1");
  if (status >= 0)
    g_string_append_printf (sql, " AND i.status = '%s'", hg_incident_status_to_string (status));
  if (severity >= 0)
    g_string_append_printf (sql, " AND i.severity = '%s'", hg_severity_to_string (severity));
  if (filter->assignee_id != NULL)
    g_string_append (sql, " AND i.assignee_id = ?2");
  if (filter->ward != NULL)
    g_string_append (sql, " AND i.ward = ?3");
  if (filter->patient_id != NULL)
    g_string_append (sql, " AND i.patient_id = ?4");
  g_string_append (sql, " ORDER BY i.id DESC LIMIT ?5");
}

/* Keyset pagination whose cost does not grow with the table: newest first,
 * below the cursor, never OFFSET. A list of statuses or severities becomes
 * one branch per combination, each reading at most one page in id order
 * from an index; the branches are merged and cut to the page. Enumerations
 * go into the text (from our own tables, never from the request) so that
 * the statement cache keys on the filter's shape; free text is bound. */
char *
hg_store_incident_list_sql (const HgIncidentFilter *filter)
{
  GString *sql = g_string_new (NULL);
  int statuses[HG_N_STATUSES], severities[HG_N_SEVERITIES];
  guint n_statuses = bit_values (filter->statuses, HG_N_STATUSES, statuses);
  guint n_severities = bit_values (filter->severities, HG_N_SEVERITIES, severities);

  if (n_statuses * n_severities == 1)
    {
      append_branch (sql, filter, statuses[0], severities[0]);
      return g_string_free (sql, FALSE);
    }
  for (guint s = 0; s < n_statuses; s++)
    for (guint v = 0; v < n_severities; v++)
      {
        g_string_append (sql, sql->len ? " UNION ALL SELECT * FROM (" : "SELECT * FROM (");
        append_branch (sql, filter, statuses[s], severities[v]);
        g_string_append (sql, ")");
      }
  g_string_append (sql, " ORDER BY 1 DESC LIMIT ?5");
  return g_string_free (sql, FALSE);
}

GPtrArray *
hg_store_list_incidents (HgStore                *self,
                         const HgIncidentFilter *filter,
                         gint64                 *out_next_before,
                         GError                **error)
{
  g_autofree char *sql = hg_store_incident_list_sql (filter);
  g_autoptr(GPtrArray) incidents = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, sql, error);
  guint limit = filter->limit > 0 ? filter->limit : 50;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, filter->before_id > 0 ? filter->before_id : G_MAXINT64);
  hg_bind_text (stmt, 2, filter->assignee_id);
  hg_bind_text (stmt, 3, filter->ward);
  hg_bind_text (stmt, 4, filter->patient_id);
  /* One more than asked tells whether there is a next page. */
  sqlite3_bind_int (stmt, 5, limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && incidents->len < limit)
    g_ptr_array_add (incidents, incident_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      hg_db_set_error (self->reader, error, "listing incidents");
      return NULL;
    }
  *out_next_before = 0;
  if (rc == SQLITE_ROW && incidents->len > 0)
    *out_next_before = hg_incident_get_id (g_ptr_array_index (incidents, incidents->len - 1));
  return g_steal_pointer (&incidents);
}

HgAlert *
hg_store_get_alert (HgStore  *self,
                    gint64    id,
                    GError  **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, "SELECT " HG_ALERT_COLUMNS
                                      " FROM alerts a WHERE a.id = ?", error);
  HgAlert *alert = NULL;
  GError *local_error = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (step_row (self->reader, stmt, &local_error))
    alert = hg_store_alert_from_row (stmt);
  sqlite3_reset (stmt);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (alert == NULL)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      not_found (error, "alert", text);
    }
  return alert;
}

GPtrArray *
hg_store_list_alerts (HgStore  *self,
                      gint64    before_id,
                      guint     limit,
                      gint64   *out_next_before,
                      GError  **error)
{
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, "SELECT " HG_ALERT_COLUMNS
                                      " FROM alerts a WHERE a.id < ? ORDER BY a.id DESC LIMIT ?",
                                      error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, before_id > 0 ? before_id : G_MAXINT64);
  sqlite3_bind_int (stmt, 2, limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && alerts->len < limit)
    g_ptr_array_add (alerts, hg_store_alert_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      hg_db_set_error (self->reader, error, "listing alerts");
      return NULL;
    }
  *out_next_before = 0;
  if (rc == SQLITE_ROW && alerts->len > 0)
    *out_next_before = hg_alert_get_id (g_ptr_array_index (alerts, alerts->len - 1));
  return g_steal_pointer (&alerts);
}

GPtrArray *
hg_store_list_alert_types (HgStore  *self,
                           GError  **error)
{
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, "SELECT code FROM alert_types ORDER BY code", error);
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (codes, hg_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (self->reader, error, "listing alert types");
      return NULL;
    }
  for (guint i = 0; i < codes->len; i++)
    {
      HgAlertType *type = hg_store_load_alert_type (self->reader, g_ptr_array_index (codes, i), error);

      if (type == NULL)
        return NULL;
      g_ptr_array_add (types, type);
    }
  return g_steal_pointer (&types);
}

HgStaff *
hg_store_get_staff (HgStore     *self,
                    const char  *id,
                    GError     **error)
{
  GError *local_error = NULL;
  HgStaff *staff = hg_store_load_staff (self->reader, id, hg_time_now_ms (), &local_error);

  if (staff == NULL && g_error_matches (local_error, HG_ERROR, HG_ERROR_UNKNOWN_REFERENCE))
    {
      g_clear_error (&local_error);
      not_found (error, "staff member", id);
    }
  else if (local_error != NULL)
    g_propagate_error (error, local_error);
  return staff;
}

GPtrArray *
hg_store_list_staff (HgStore     *self,
                     gboolean     on_duty_only,
                     const int   *role,
                     const char  *specialty,
                     const char  *ward,
                     GError     **error)
{
  g_autoptr(GPtrArray) all = NULL;
  GPtrArray *result;
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, STAFF_SELECT " ORDER BY s.id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, hg_time_now_ms ());
  all = collect_staff (self->reader, stmt, FALSE, error);
  if (all == NULL)
    return NULL;
  result = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < all->len; i++)
    {
      HgStaff *s = g_ptr_array_index (all, i);

      if ((on_duty_only && (!s->on_duty || s->disabled)) ||
          (role != NULL && (int) s->role != *role) ||
          (specialty != NULL && g_strcmp0 (s->specialty, specialty) != 0) ||
          (ward != NULL && g_strcmp0 (s->ward, ward) != 0))
        continue;
      g_ptr_array_add (result, g_object_ref (s));
    }
  return result;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest-rank quantile over sorted values. */
static double
quantile (GArray *sorted,
          double  q)
{
  guint rank = (guint) (q * sorted->len + 0.999999);

  if (sorted->len == 0)
    return 0;
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

static gboolean
duration_stats (HgDb            *db,
                const char      *sql,
                gint64           since,
                HgDurationStats *out,
                GError         **error)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3_stmt *stmt = hg_db_prepare (db, sql, error);
  double sum = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      double seconds = sqlite3_column_int64 (stmt, 0) / 1000.0;

      g_array_append_val (values, seconds);
      sum += seconds;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "computing statistics");
      return FALSE;
    }
  g_array_sort (values, compare_doubles);
  out->count = values->len;
  out->mean = values->len ? sum / values->len : 0;
  out->p50 = quantile (values, 0.5);
  out->p90 = quantile (values, 0.9);
  return TRUE;
}

/* Every figure reads only the window's rows through the time indexes. */
gboolean
hg_store_incident_stats (HgStore         *self,
                         gint64           window_ms,
                         HgIncidentStats *out,
                         GError         **error)
{
  gint64 since = hg_time_now_ms () - window_ms;
  /* Counted here, not with GROUP BY: grouping made SQLite prefer an index
   * in (status, severity) order over the window's, and read every
   * incident ever. incidents_by_created holds both columns. */
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, "SELECT status, severity FROM incidents"
                                      " WHERE created_at >= ?", error);
  int rc;

  memset (out, 0, sizeof *out);
  out->window_ms = window_ms;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HgIncidentStatus status;
      HgSeverity severity;
      guint count = 1;

      if (hg_incident_status_from_string ((const char *) sqlite3_column_text (stmt, 0), &status))
        out->by_status[status] += count;
      if (hg_severity_from_string ((const char *) sqlite3_column_text (stmt, 1), &severity))
        out->by_severity[severity] += count;
      out->total += count;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (self->reader, error, "counting incidents");
      return FALSE;
    }
  return duration_stats (self->reader, "SELECT acknowledged_at - created_at FROM incidents"
                         " WHERE acknowledged_at >= ?", since, &out->mtta, error) &&
         duration_stats (self->reader, "SELECT resolved_at - created_at FROM incidents"
                         " WHERE resolved_at >= ?", since, &out->mttr, error);
}

/* Whether a row with this key exists: @what is "patient" or "alert_type". */
gboolean
hg_store_exists (HgStore     *self,
                 const char  *what,
                 const char  *key,
                 GError     **error)
{
  const char *sql = g_str_equal (what, "patient") ? "SELECT 1 FROM patients WHERE id = ?"
                                                  : "SELECT 1 FROM alert_types WHERE code = ?";
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, sql, error);
  int rc;

  g_return_val_if_fail (g_str_equal (what, "patient") || g_str_equal (what, "alert_type"), FALSE);
  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      hg_db_set_error (self->reader, error, "looking a key up");
      return FALSE;
    }
  return rc == SQLITE_ROW;
}
