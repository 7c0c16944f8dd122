/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include <string.h>

#include "hg-assigner.h"
#include "hg-error.h"
#include "hg-events.h"
#include "hg-json.h"
#include "hg-lifecycle.h"
#include "hg-store-private.h"

/* Arrays of this many alerts or more run in a batch of their own. */
#define BIG_ARRAY 10

/* --- Alerts ----------------------------------------------------------- */

typedef struct {
  GPtrArray *alerts;      /* HgAlert* */
  char      *posted_by;
  GPtrArray *results;     /* HgIngestResult* */
} IngestJob;

void
hg_ingest_result_free (gpointer data)
{
  HgIngestResult *result = data;

  g_clear_object (&result->alert);
  g_clear_object (&result->incident);
  g_free (result);
}

static void
ingest_job_free (gpointer data)
{
  IngestJob *job = data;

  g_clear_pointer (&job->alerts, g_ptr_array_unref);
  g_clear_pointer (&job->results, g_ptr_array_unref);
  g_free (job->posted_by);
  g_free (job);
}

/* The location defaults to the patient's, the severity to the type's, and
 * the dedup key to type + patient (or + location). */
static void
complete_alert (HgAlert     *alert,
                HgAlertType *type,
                HgPatient   *patient,
                gint64       now)
{
  if (patient != NULL && alert->ward == NULL && alert->room == NULL && alert->bed == NULL)
    {
      alert->ward = g_strdup (patient->ward);
      alert->room = g_strdup (patient->room);
      alert->bed = g_strdup (patient->bed);
    }
  if (!alert->has_severity)
    {
      alert->severity = type->severity;
      alert->has_severity = TRUE;
    }
  if (alert->dedup_key == NULL)
    {
      if (alert->patient_id != NULL)
        alert->dedup_key = g_strdup_printf ("%s/%s", alert->alert_type, alert->patient_id);
      else
        alert->dedup_key = g_strdup_printf ("%s/%s/%s/%s", alert->alert_type,
                                            alert->ward ? alert->ward : "",
                                            alert->room ? alert->room : "",
                                            alert->bed ? alert->bed : "");
    }
  alert->received_at = now;
}

/* The unresolved incident this alert belongs to, or 0. A start joins only
 * an incident created within the correlation window; an end closes the
 * story of any unresolved one. */
static gboolean
find_correlated (HgStore  *self,
                 HgDb     *db,
                 HgAlert  *alert,
                 gint64    now,
                 gint64   *out_id,
                 GError  **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT id FROM incidents WHERE dedup_key = ?"
                                      " AND status <> 'resolved' AND created_at >= ?"
                                      " ORDER BY created_at DESC LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, alert->dedup_key);
  sqlite3_bind_int64 (stmt, 2, alert->phase == HG_ALERT_PHASE_END
                                 ? G_MININT64 : now - self->settings.correlation_window_ms);
  rc = sqlite3_step (stmt);
  *out_id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "correlating an alert");
      return FALSE;
    }
  return TRUE;
}

static gboolean
create_incident (HgDb        *db,
                 HgAlert     *alert,
                 HgAlertType *type,
                 gint64       now,
                 gint64      *out_id,
                 GError     **error)
{
  g_autoptr(GError) choose_error = NULL;
  g_autofree char *why = NULL;
  g_autoptr(HgStaff) assignee = hg_assigner_choose_new (db, type, alert->ward, now, &why, &choose_error);
  sqlite3_stmt *stmt;

  if (choose_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&choose_error));
      return FALSE;
    }
  /* Written already assigned: one write of the row and its indexes. */
  stmt = hg_db_prepare (db, "INSERT INTO incidents (status, severity, title, alert_type,"
                        " patient_id, ward, room, bed, required_role, required_specialty,"
                        " dedup_key, created_at, assignee_id, assigned_at)"
                        " VALUES (?12, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, ?14)",
                        error);
  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, hg_severity_to_string (alert->severity));
  hg_bind_text (stmt, 2, type->name);
  hg_bind_text (stmt, 3, type->code);
  hg_bind_text (stmt, 4, alert->patient_id);
  hg_bind_text (stmt, 5, alert->ward);
  hg_bind_text (stmt, 6, alert->room);
  hg_bind_text (stmt, 7, alert->bed);
  hg_bind_text (stmt, 8, hg_role_to_string (type->required_role));
  hg_bind_text (stmt, 9, type->specialty);
  hg_bind_text (stmt, 10, alert->dedup_key);
  sqlite3_bind_int64 (stmt, 11, now);
  hg_bind_text (stmt, 12, assignee != NULL ? "assigned" : "open");
  if (assignee != NULL)
    {
      hg_bind_text (stmt, 13, assignee->id);
      sqlite3_bind_int64 (stmt, 14, now);
    }
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  *out_id = sqlite3_last_insert_rowid (db->handle);

  if (!hg_timeline_append (db, *out_id, now, NULL, "created", -1, HG_INCIDENT_STATUS_OPEN,
                           alert->message, error))
    return FALSE;
  if (assignee == NULL)
    return hg_timeline_append (db, *out_id, now, NULL, "unassigned", -1, -1,
                               "nobody on duty may take it: open for anyone to claim", error);
  return hg_assigner_record_new (db, *out_id, now, assignee, why, error);
}

/* What joining needs of an incident: its severity and its alert count. */
static gboolean
load_join_state (HgDb        *db,
                 gint64       incident_id,
                 HgSeverity  *out_severity,
                 guint       *out_alert_count,
                 GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT severity, alert_count FROM incidents WHERE id = ?",
                                      error);
  gboolean found;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  rc = sqlite3_step (stmt);
  found = rc == SQLITE_ROW &&
          hg_severity_from_string ((const char *) sqlite3_column_text (stmt, 0), out_severity);
  if (found)
    *out_alert_count = (guint) sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "reading the incident an alert joins");
      return FALSE;
    }
  if (!found)
    {
      hg_set_error (error, HG_ERROR_NOT_FOUND, NULL, NULL,
                    "no incident with id %" G_GINT64_FORMAT, incident_id);
      return FALSE;
    }
  return TRUE;
}

/* The severity is written only when it rises: the column is in three of
 * the incident's indexes, and SQLite rewrites their entries for every
 * column an UPDATE sets, changed or not. */
static gboolean
join_incident (HgDb        *db,
               HgAlert     *alert,
               gint64       incident_id,
               gint64       now,
               GError     **error)
{
  g_autofree char *detail = NULL;
  HgSeverity severity;
  guint alert_count;
  sqlite3_stmt *stmt;
  gboolean raise;

  if (!load_join_state (db, incident_id, &severity, &alert_count, error))
    return FALSE;
  raise = alert->severity > severity;
  stmt = hg_db_prepare (db, raise
                        ? "UPDATE incidents SET alert_count = alert_count + 1, severity = ?2,"
                          " version = version + 1 WHERE id = ?1"
                        : "UPDATE incidents SET alert_count = alert_count + 1,"
                          " version = version + 1 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  if (raise)
    hg_bind_text (stmt, 2, hg_severity_to_string (alert->severity));
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  detail = raise ? g_strdup_printf ("alert %u; severity raised to %s", alert_count + 1,
                                    hg_severity_to_string (alert->severity))
                 : g_strdup_printf ("alert %u", alert_count + 1);
  return hg_timeline_append (db, incident_id, now, NULL, "correlated", -1, -1, detail, error);
}

/* The source says the condition ended. It is recorded; it resolves only a
 * medium or low incident nobody has acknowledged yet, never a critical or
 * high one: a monitor that stops alarming does not mean the patient is safe. */
static gboolean
end_incident (HgDb        *db,
              HgAlert     *alert,
              gint64       incident_id,
              gint64       now,
              GError     **error)
{
  g_autoptr(HgIncident) incident = hg_store_load_incident (db, incident_id, FALSE, error);
  sqlite3_stmt *stmt;
  gboolean resolve;

  if (incident == NULL)
    return FALSE;
  resolve = incident->severity <= HG_SEVERITY_MEDIUM &&
            (incident->status == HG_INCIDENT_STATUS_OPEN ||
             incident->status == HG_INCIDENT_STATUS_ASSIGNED);
  stmt = hg_db_prepare (db, resolve
                        ? "UPDATE incidents SET status = 'resolved', resolved_at = ?1,"
                          " version = version + 1 WHERE id = ?2"
                        : "UPDATE incidents SET version = version + 1 WHERE id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, incident_id);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  /* The holder's workload fell: those on duty are read again. */
  if (resolve)
    g_clear_pointer (&db->candidates, g_ptr_array_unref);
  if (resolve && incident->assignee != NULL)
    hg_events_touch_staff (db, incident->assignee->id);
  if (resolve)
    return hg_timeline_append (db, incident_id, now, NULL, "resolved", incident->status,
                               HG_INCIDENT_STATUS_RESOLVED,
                               "the condition ended at the source before anyone acknowledged it",
                               error);
  return hg_timeline_append (db, incident_id, now, NULL, "source_ended", -1, -1,
                             "the condition ended at the source; the incident stays open for a person to close",
                             error);
}

static gboolean
insert_alert (HgDb        *db,
              HgAlert     *alert,
              const char  *posted_by,
              GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "INSERT INTO alerts (incident_id, type, patient_id, ward, room,"
                                      " bed, severity, message, source, labels, dedup_key, phase,"
                                      " occurred_at, received_at, posted_by)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  g_autofree char *labels = NULL;

  if (stmt == NULL)
    return FALSE;
  if (g_hash_table_size (alert->labels) > 0)
    {
      g_autoptr(JsonNode) node = hg_json_labels_to_node (alert->labels);

      labels = hg_json_to_string (node, NULL);
    }
  if (alert->incident_id > 0)
    sqlite3_bind_int64 (stmt, 1, alert->incident_id);
  hg_bind_text (stmt, 2, alert->alert_type);
  hg_bind_text (stmt, 3, alert->patient_id);
  hg_bind_text (stmt, 4, alert->ward);
  hg_bind_text (stmt, 5, alert->room);
  hg_bind_text (stmt, 6, alert->bed);
  hg_bind_text (stmt, 7, hg_severity_to_string (alert->severity));
  hg_bind_text (stmt, 8, alert->message);
  hg_bind_text (stmt, 9, alert->source);
  hg_bind_text (stmt, 10, labels);
  hg_bind_text (stmt, 11, alert->dedup_key);
  hg_bind_text (stmt, 12, hg_alert_phase_to_string (alert->phase));
  if (alert->occurred_at > 0)
    sqlite3_bind_int64 (stmt, 13, alert->occurred_at);
  sqlite3_bind_int64 (stmt, 14, alert->received_at);
  hg_bind_text (stmt, 15, posted_by);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  alert->id = sqlite3_last_insert_rowid (db->handle);
  return TRUE;
}

HgIngestResult *
hg_store_ingest_one (HgStore     *self,
                     HgDb        *db,
                     gint64       now,
                     HgAlert     *alert,
                     const char  *posted_by,
                     GError     **error)
{
  g_autoptr(HgAlertType) type = hg_store_load_alert_type (db, alert->alert_type, error);
  g_autoptr(HgPatient) patient = NULL;
  HgIngestResult *result;
  gint64 incident_id = 0;

  if (type == NULL)
    return NULL;
  if (alert->patient_id != NULL && !(patient = hg_store_load_patient (db, alert->patient_id, error)))
    return NULL;
  complete_alert (alert, type, patient, now);
  if (!find_correlated (self, db, alert, now, &incident_id, error))
    return NULL;

  result = g_new0 (HgIngestResult, 1);
  result->deduplicated = incident_id != 0 && alert->phase == HG_ALERT_PHASE_START;
  if (alert->phase == HG_ALERT_PHASE_START && incident_id == 0 &&
      !create_incident (db, alert, type, now, &incident_id, error))
    goto fail;
  if (result->deduplicated && !join_incident (db, alert, incident_id, now, error))
    goto fail;
  if (alert->phase == HG_ALERT_PHASE_END && incident_id != 0 &&
      !end_incident (db, alert, incident_id, now, error))
    goto fail;
  alert->incident_id = incident_id;
  if (!insert_alert (db, alert, posted_by, error))
    goto fail;
  result->alert = g_object_ref (alert);
  if (incident_id != 0 &&
      !(result->incident = hg_store_load_incident (db, incident_id, FALSE, error)))
    goto fail;
  return result;

fail:
  hg_ingest_result_free (result);
  return NULL;
}

static gboolean
ingest_job (HgStore  *self,
            HgDb     *db,
            gint64    now,
            gpointer  data,
            GError  **error)
{
  IngestJob *job = data;
  gboolean ok = TRUE;

  db->cache_candidates = TRUE;
  for (guint i = 0; i < job->alerts->len; i++)
    {
      HgIngestResult *result = hg_store_ingest_one (self, db, now, g_ptr_array_index (job->alerts, i),
                                                    job->posted_by, error);

      if (result == NULL)
        {
          if (job->alerts->len > 1 && error != NULL && *error != NULL)
            {
              g_autofree char *prefix = g_strdup_printf ("[%u]", i);
              hg_error_prefix_field (*error, prefix);
            }
          g_ptr_array_set_size (job->results, 0);
          ok = FALSE;
          break;
        }
      g_ptr_array_add (job->results, result);
    }
  db->cache_candidates = FALSE;
  return ok;
}

void
hg_store_ingest_async (HgStore             *self,
                       GPtrArray           *alerts,
                       const char          *posted_by,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  IngestJob *job = g_new0 (IngestJob, 1);

  g_return_if_fail (HG_IS_STORE (self));
  job->alerts = g_ptr_array_ref (alerts);
  job->posted_by = g_strdup (posted_by);
  job->results = g_ptr_array_new_with_free_func (hg_ingest_result_free);
  /* From this size, an array of alerts is faster alone in its batch. */
  if (alerts->len >= BIG_ARRAY)
    hg_store_queue_big_job (self, ingest_job, job, ingest_job_free, hg_store_ingest_async,
                            callback, user_data);
  else
    hg_store_queue_job (self, ingest_job, job, ingest_job_free, hg_store_ingest_async,
                        callback, user_data);
}

GPtrArray *
hg_store_ingest_finish (HgStore       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  IngestJob *job = hg_store_job_finish (self, result, hg_store_ingest_async, error);

  return job ? g_ptr_array_ref (job->results) : NULL;
}
