/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include "hg-assigner.h"
#include "hg-audit.h"
#include "hg-error.h"
#include "hg-events.h"
#include "hg-store-private.h"

/* Shift ends handled per job: a backlog after a long outage is worked off
 * in turns, so no single job holds the writer for long. */
#define MAX_ENDS_PER_JOB 100

typedef struct {
  guint handed;
  guint kept;
} HandoverJob;

/* The first column of @stmt's rows, which must be integers. */
static GArray *
collect_ids (HgDb          *db,
             sqlite3_stmt  *stmt,
             GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "reading shifts");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static GArray *
active_incidents_of (HgDb        *db,
                     const char  *staff_id,
                     GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT id FROM incidents WHERE assignee_id = ?"
                                      " AND status IN ('assigned','acknowledged','in_progress')"
                                      " ORDER BY id", error);

  if (stmt == NULL)
    return NULL;
  hg_bind_text (stmt, 1, staff_id);
  return collect_ids (db, stmt, error);
}

static gboolean
forget_pending (HgDb     *db,
                gint64    incident_id,
                GError  **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "DELETE FROM handovers_pending WHERE incident_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  return hg_db_step_done (db, stmt, error);
}

/* Nobody may take it: it stays with the leaver, who is told, and it is
 * offered again whenever a shift starts. */
static gboolean
keep_with_leaver (HgDb     *db,
                  gint64    incident_id,
                  HgStaff  *leaver,
                  gint64    now,
                  GError  **error)
{
  g_autoptr(HgIncident) incident = hg_store_load_incident (db, incident_id, FALSE, error);
  g_autofree char *who = hg_assigner_describe (leaver);
  g_autofree char *detail = NULL;
  g_autofree char *message = NULL;
  sqlite3_stmt *stmt;

  if (incident == NULL ||
      !(stmt = hg_db_prepare (db, "UPDATE incidents SET version = version + 1 WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  if (!hg_db_step_done (db, stmt, error) ||
      !(stmt = hg_db_prepare (db, "INSERT OR REPLACE INTO handovers_pending (incident_id, staff_id, since)"
                              " VALUES (?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  hg_bind_text (stmt, 2, leaver->id);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  detail = g_strdup_printf ("nobody on duty may take it from %s at the end of their shift:"
                            " it stays with them and is offered again when a shift starts", who);
  message = g_strdup_printf ("%s: your shift ended but nobody on duty can take it over; it stays with you",
                             incident->title);
  return hg_timeline_append (db, incident_id, now, NULL, "handover_failed", -1, -1, detail, error) &&
         hg_notify (db, now, leaver->id, incident_id, "reminder", message, error);
}

/* By the server (actor NULL): the incident went from @leaver to @next, or
 * stayed with @leaver for want of anyone (@next NULL). */
static gboolean
audit_handover (HgDb        *db,
                gint64       incident_id,
                HgStaff     *leaver,
                HgStaff     *next,
                gint64       now,
                GError     **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *object = g_strdup_printf ("incident:%" G_GINT64_FORMAT, incident_id);
  g_autofree char *text = NULL;

  json_object_set_string_member (detail, "from", leaver->id);
  if (next != NULL)
    json_object_set_string_member (detail, "to", next->id);
  else
    json_object_set_null_member (detail, "to");
  text = hg_audit_detail (detail);
  return hg_audit_append (db, now, NULL, "shift.handover", object, text, error);
}

/* The best candidate but the leaver takes it; the assign path tells both. */
static gboolean
hand_over_incident (HgDb        *db,
                    HandoverJob *job,
                    gint64       incident_id,
                    HgStaff     *leaver,
                    gint64       now,
                    gboolean     retry,
                    GError     **error)
{
  g_autoptr(HgStaff) next = NULL;
  g_autofree char *why = NULL;
  g_autofree char *who = NULL;
  g_autofree char *detail = NULL;
  GError *local_error = NULL;

  next = hg_assigner_pick (db, incident_id, now, leaver->id, &why, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (next == NULL && retry)
    return TRUE;   /* nobody again: nothing new to say */
  if (next == NULL)
    {
      job->kept++;
      return keep_with_leaver (db, incident_id, leaver, now, error) &&
             audit_handover (db, incident_id, leaver, NULL, now, error);
    }
  job->handed++;
  who = hg_assigner_describe (leaver);
  detail = g_strdup_printf ("from %s at the end of their shift; %s", who, why);
  return hg_assigner_assign_to (db, incident_id, now, next, NULL, "handover", detail, error) &&
         forget_pending (db, incident_id, error) &&
         audit_handover (db, incident_id, leaver, next, now, error);
}

static gboolean
hand_over_from (HgDb         *db,
                HandoverJob  *job,
                const char   *staff_id,
                gint64        now,
                GError      **error)
{
  g_autoptr(HgStaff) leaver = hg_store_load_staff (db, staff_id, now, error);
  g_autoptr(GArray) ids = NULL;

  if (leaver == NULL)
    return FALSE;
  /* Another shift runs on (back to back): nothing ends for them. */
  if (leaver->on_duty)
    return TRUE;
  if (!(ids = active_incidents_of (db, staff_id, error)))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!hand_over_incident (db, job, g_array_index (ids, gint64, i), leaver, now, FALSE, error))
      return FALSE;
  return TRUE;
}

static void
report (HandoverJob *job)
{
  if (job->handed > 0 || job->kept > 0)
    g_message ("Shift handover: %u incident%s handed over, %u kept for want of anyone on duty",
               job->handed, job->handed == 1 ? "" : "s", job->kept);
}

gboolean
hg_store_hand_over_from (HgDb        *db,
                         const char  *staff_id,
                         gint64       now,
                         GError     **error)
{
  HandoverJob job = { 0 };

  if (!hand_over_from (db, &job, staff_id, now, error))
    return FALSE;
  report (&job);
  return TRUE;
}

/* Offers again what nobody could take: still active, still with the same
 * person, who is still off duty. Otherwise there is nothing left to do. */
static gboolean
retry_one (HgDb         *db,
           HandoverJob  *job,
           gint64        incident_id,
           const char   *staff_id,
           gint64        now,
           GError      **error)
{
  g_autoptr(HgIncident) incident = hg_store_load_incident (db, incident_id, FALSE, error);
  g_autoptr(HgStaff) leaver = NULL;

  if (incident == NULL)
    return FALSE;
  if (incident->status == HG_INCIDENT_STATUS_OPEN || incident->status == HG_INCIDENT_STATUS_RESOLVED ||
      incident->assignee == NULL || g_strcmp0 (incident->assignee->id, staff_id) != 0)
    return forget_pending (db, incident_id, error);
  if (!(leaver = hg_store_load_staff (db, staff_id, now, error)))
    return FALSE;
  /* Back on duty: they keep it. */
  if (leaver->on_duty)
    return forget_pending (db, incident_id, error);
  return hand_over_incident (db, job, incident_id, leaver, now, TRUE, error);
}

static gboolean
retry_pending (HgDb         *db,
               HandoverJob  *job,
               gint64        now,
               GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) staff = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT incident_id, staff_id FROM handovers_pending"
                                      " ORDER BY incident_id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (staff, hg_column_dup (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "reading pending handovers");
      return FALSE;
    }
  for (guint i = 0; i < ids->len; i++)
    if (!retry_one (db, job, g_array_index (ids, gint64, i), staff->pdata[i], now, error))
      return FALSE;
  return TRUE;
}

/* Marks the ended shifts handled and hands over for each person leaving,
 * in the same transaction: after a crash either both happened or neither. */
static gboolean
handle_ends (HgDb         *db,
             HandoverJob  *job,
             gint64        now,
             GError      **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) leavers = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT id FROM shifts WHERE handled_at IS NULL"
                                      " AND ends_at <= ? ORDER BY ends_at, id LIMIT ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, MAX_ENDS_PER_JOB);
  if (!(ids = collect_ids (db, stmt, error)) ||
      !(stmt = hg_db_prepare (db, "UPDATE shifts SET handled_at = ?1 WHERE id = ?2"
                              " RETURNING staff_id", error)))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_int64 (stmt, 2, g_array_index (ids, gint64, i));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          char *staff_id = hg_column_dup (stmt, 0);

          if (!g_ptr_array_find_with_equal_func (leavers, staff_id, g_str_equal, NULL))
            g_ptr_array_add (leavers, staff_id);
          else
            g_free (staff_id);
          rc = sqlite3_step (stmt);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          hg_db_set_error (db, error, "marking a shift handled");
          return FALSE;
        }
    }
  for (guint i = 0; i < leavers->len; i++)
    {
      /* on_duty may have flipped. */
      hg_events_touch_staff (db, leavers->pdata[i]);
      if (!hand_over_from (db, job, leavers->pdata[i], now, error))
        return FALSE;
    }
  return TRUE;
}

/* Shifts that started since the last run put people on duty: their staff
 * events say so. The first run ever only sets the mark. */
static gboolean
announce_starts (HgDb     *db,
                 gint64    now,
                 GError  **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT value FROM store_meta WHERE key = 'shift_starts_seen'",
                                      error);
  gint64 seen = now;
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    seen = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (!(stmt = hg_db_prepare (db, "SELECT DISTINCT staff_id FROM shifts"
                              " WHERE starts_at > ? AND starts_at <= ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seen);
  sqlite3_bind_int64 (stmt, 2, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    hg_events_touch_staff (db, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "reading shift starts");
      return FALSE;
    }
  if (!(stmt = hg_db_prepare (db, "INSERT INTO store_meta (key, value) VALUES ('shift_starts_seen', ?1)"
                              " ON CONFLICT (key) DO UPDATE SET value = max(value, ?1)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  return hg_db_step_done (db, stmt, error);
}

static gboolean
handover_job (HgStore  *self,
              HgDb     *db,
              gint64    now,
              gpointer  data,
              GError  **error)
{
  HandoverJob *job = data;

  if (!handle_ends (db, job, now, error) ||
      !announce_starts (db, now, error) ||
      !retry_pending (db, job, now, error))
    return FALSE;
  report (job);
  return TRUE;
}

void
hg_store_hand_over_async (HgStore             *self,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (HG_IS_STORE (self));
  hg_store_queue_job (self, handover_job, g_new0 (HandoverJob, 1), g_free,
                      hg_store_hand_over_async, callback, user_data);
}

gboolean
hg_store_hand_over_finish (HgStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return hg_store_job_finish (self, result, hg_store_hand_over_async, error) != NULL;
}
