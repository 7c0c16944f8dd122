/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include <string.h>

#include "hg-assigner.h"
#include "hg-audit.h"
#include "hg-deadlines.h"
#include "hg-error.h"
#include "hg-events.h"
#include "hg-lifecycle.h"
#include "hg-store-private.h"

/* --- Lifecycle actions ------------------------------------------------ */

typedef struct {
  HgPrincipal      actor;
  HgActionRequest  request;
  char            *text;
  char            *target;
  HgIncident      *incident;   /* the answer */
} ActJob;

static void
act_job_free (gpointer data)
{
  ActJob *job = data;

  hg_principal_clear (&job->actor);
  g_free (job->text);
  g_free (job->target);
  g_clear_object (&job->incident);
  g_free (job);
}

/* Sets status and the first time it was reached; bumps the version. */
static gboolean
set_status (HgDb              *db,
            gint64             id,
            HgIncidentStatus   status,
            gint64             now,
            GError           **error)
{
  static const char *const sql[HG_N_STATUSES] = {
    [HG_INCIDENT_STATUS_OPEN] = "UPDATE incidents SET status = 'open', assignee_id = NULL,"
                                " assigned_at = NULL, version = version + 1 WHERE id = ?2",
    [HG_INCIDENT_STATUS_ASSIGNED] = "UPDATE incidents SET status = 'assigned',"
                                    " version = version + 1 WHERE id = ?2",
    [HG_INCIDENT_STATUS_ACKNOWLEDGED] = "UPDATE incidents SET status = 'acknowledged',"
                                        " acknowledged_at = coalesce(acknowledged_at, ?1),"
                                        " version = version + 1 WHERE id = ?2",
    [HG_INCIDENT_STATUS_IN_PROGRESS] = "UPDATE incidents SET status = 'in_progress',"
                                       " started_at = coalesce(started_at, ?1),"
                                       " version = version + 1 WHERE id = ?2",
    [HG_INCIDENT_STATUS_RESOLVED] = "UPDATE incidents SET status = 'resolved', resolved_at = ?1,"
                                    " version = version + 1 WHERE id = ?2",
  };
  sqlite3_stmt *stmt = hg_db_prepare (db, sql[status], error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, id);
  return hg_db_step_done (db, stmt, error);
}

static gboolean
bump_escalation (HgDb    *db,
                 gint64   id,
                 GError **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "UPDATE incidents SET escalation_level = escalation_level + 1,"
                                      " version = version + 1 WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return hg_db_step_done (db, stmt, error);
}

static gboolean
insert_note (HgDb        *db,
             gint64       incident_id,
             const char  *author_id,
             const char  *text,
             gint64       now,
             gint64      *out_id,
             GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "INSERT INTO notes (incident_id, author_id, text, created_at)"
                                      " VALUES (?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  hg_bind_text (stmt, 2, author_id);
  hg_bind_text (stmt, 3, text);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = sqlite3_last_insert_rowid (db->handle);
  return TRUE;
}

/* A plain move along the lifecycle: acknowledge, start, resolve. */
static gboolean
act_move (HgDb             *db,
          ActJob           *job,
          HgIncident       *incident,
          HgIncidentStatus  next,
          gint64            now,
          GError          **error)
{
  static const char *const names[HG_N_ACTIONS] = {
    [HG_ACTION_ACKNOWLEDGE] = "acknowledged", [HG_ACTION_START] = "started",
    [HG_ACTION_RESOLVE] = "resolved",
  };

  if (!set_status (db, incident->id, next, now, error))
    return FALSE;
  if (job->text != NULL && !insert_note (db, incident->id, job->actor.staff_id, job->text, now, NULL, error))
    return FALSE;
  return hg_timeline_append (db, incident->id, now, job->actor.staff_id, names[job->request.action],
                             incident->status, next, job->text, error);
}

static gboolean
act_claim (HgDb        *db,
           ActJob      *job,
           HgIncident  *incident,
           gint64       now,
           GError     **error)
{
  g_autoptr(HgStaff) me = hg_store_load_staff (db, job->actor.staff_id, now, error);

  if (me == NULL)
    return FALSE;
  if (incident->assignee == NULL || g_strcmp0 (incident->assignee->id, me->id) != 0)
    {
      g_autofree char *from = incident->assignee ? g_strdup_printf ("from %s", incident->assignee->id)
                                                 : NULL;
      if (!hg_assigner_assign_to (db, incident->id, now, me, me->id, "claimed", from, error))
        return FALSE;
    }
  if (!set_status (db, incident->id, HG_INCIDENT_STATUS_ACKNOWLEDGED, now, error))
    return FALSE;
  return hg_timeline_append (db, incident->id, now, me->id, "acknowledged",
                             HG_INCIDENT_STATUS_ASSIGNED, HG_INCIDENT_STATUS_ACKNOWLEDGED,
                             "by claiming it", error);
}

/* Hands the incident to the next candidate, or back to "open" (escalated)
 * when nobody is left. */
static gboolean
hand_on (HgDb        *db,
         ActJob      *job,
         HgIncident  *incident,
         gint64       now,
         gboolean     keep_when_nobody,
         GError     **error)
{
  g_autoptr(HgStaff) next = NULL;
  const char *current = incident->assignee ? incident->assignee->id : NULL;

  if (!hg_assigner_assign (db, incident->id, now, current, job->actor.staff_id,
                           "reassigned", &next, error))
    return FALSE;
  if (next != NULL || keep_when_nobody || incident->status == HG_INCIDENT_STATUS_OPEN)
    return TRUE;
  if (!set_status (db, incident->id, HG_INCIDENT_STATUS_OPEN, now, error))
    return FALSE;
  return hg_timeline_append (db, incident->id, now, NULL, "unassigned", incident->status,
                             HG_INCIDENT_STATUS_OPEN,
                             "nobody else may take it: open for anyone to claim", error);
}

static gboolean
act_decline (HgDb        *db,
             ActJob      *job,
             HgIncident  *incident,
             gint64       now,
             GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "INSERT OR IGNORE INTO declines (incident_id, staff_id)"
                                      " VALUES (?, ?)", error);
  g_autoptr(HgIncident) after = NULL;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident->id);
  hg_bind_text (stmt, 2, job->actor.staff_id);
  if (!hg_db_step_done (db, stmt, error) ||
      !hg_timeline_append (db, incident->id, now, job->actor.staff_id, "declined", -1, -1,
                           job->text, error) ||
      !hand_on (db, job, incident, now, FALSE, error))
    return FALSE;

  after = hg_store_load_incident (db, incident->id, FALSE, error);
  if (after == NULL)
    return FALSE;
  if (after->status != HG_INCIDENT_STATUS_OPEN)
    return TRUE;
  /* Nobody left: it must climb, not wait. */
  return bump_escalation (db, incident->id, error) &&
         hg_timeline_append (db, incident->id, now, NULL, "escalated", -1, -1,
                             "declined by everyone who may take it", error);
}

static gboolean
act_reassign (HgDb        *db,
              ActJob      *job,
              HgIncident  *incident,
              gint64       now,
              GError     **error)
{
  g_autoptr(HgStaff) target = hg_store_load_staff (db, job->target, now, error);

  if (target == NULL)
    return FALSE;
  if (target->disabled || target->role == HG_ROLE_ADMIN)
    {
      hg_set_error (error, HG_ERROR_UNKNOWN_REFERENCE, "staff_cannot_take_incidents", "staff_id",
                    "%s cannot take incidents", target->id);
      return FALSE;
    }
  if (incident->assignee != NULL && g_strcmp0 (incident->assignee->id, target->id) == 0)
    {
      hg_set_error (error, HG_ERROR_CONFLICT, "already_assigned", "staff_id",
                    "the incident is already assigned to %s", target->id);
      return FALSE;
    }
  return hg_assigner_assign_to (db, incident->id, now, target, job->actor.staff_id,
                                "reassigned", job->text, error);
}

/* The same step the timer would take next, now; someone working on it
 * (acknowledged, in progress) who asks for help gets the supervisors, and
 * the work goes on where it is. */
static gboolean
act_escalate (HgStore     *self,
              HgDb        *db,
              ActJob      *job,
              HgIncident  *incident,
              gint64       now,
              GError     **error)
{
  return hg_deadlines_escalate (db, incident->id, now, self->settings.escalation,
                                job->actor.staff_id, job->text, error);
}

/* Whoever held an incident that someone else resolved is told. */
static gboolean
tell_resolution (HgDb        *db,
                 ActJob      *job,
                 HgIncident  *before,
                 gint64       now,
                 GError     **error)
{
  g_autofree char *message = NULL;

  if (job->incident->status != HG_INCIDENT_STATUS_RESOLVED || before->assignee == NULL ||
      g_strcmp0 (before->assignee->id, job->actor.staff_id) == 0)
    return TRUE;
  message = g_strdup_printf ("%s: resolved by %s", before->title, job->actor.name);
  return hg_notify (db, now, before->assignee->id, before->id, "resolved", message, error);
}

static void
set_assignee (JsonObject *object,
              const char *name,
              HgIncident *incident)
{
  if (incident->assignee == NULL)
    json_object_set_null_member (object, name);
  else
    json_object_set_string_member (object, name, incident->assignee->id);
}

/* Who did what to which incident, and what it moved; the note or reason
 * only as its length and hash (it may hold patient data). */
static gboolean
audit_action (HgDb        *db,
              ActJob      *job,
              HgIncident  *before,
              gint64       now,
              GError     **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *action = g_strconcat ("incident.", hg_action_to_string (job->request.action), NULL);
  g_autofree char *object = g_strdup_printf ("incident:%" G_GINT64_FORMAT, before->id);
  g_autofree char *text = NULL;

  json_object_set_string_member (detail, "from", hg_incident_status_to_string (before->status));
  json_object_set_string_member (detail, "to", hg_incident_status_to_string (job->incident->status));
  set_assignee (detail, "assignee_from", before);
  set_assignee (detail, "assignee_to", job->incident);
  json_object_set_int_member (detail, "version", job->incident->version);
  hg_audit_set_text (detail, job->request.action == HG_ACTION_RESOLVE ? "note" : "reason", job->text);
  text = hg_audit_detail (detail);
  return hg_audit_append (db, now, job->actor.staff_id, action, object, text, error);
}

static gboolean
act_job (HgStore  *self,
         HgDb     *db,
         gint64    now,
         gpointer  data,
         GError  **error)
{
  ActJob *job = data;
  g_autoptr(HgIncident) incident = hg_store_load_incident (db, job->request.incident_id, FALSE, error);
  HgIncidentStatus next;
  gboolean ok = FALSE;

  if (incident == NULL)
    return FALSE;
  if (job->request.expected_version != 0 && job->request.expected_version != incident->version)
    {
      hg_set_error (error, HG_ERROR_CONFLICT, "version_conflict", "version",
                    "the incident changed (version %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT ")",
                    incident->version, job->request.expected_version);
      return FALSE;
    }
  if (!hg_lifecycle_check (incident->status, incident->assignee ? incident->assignee->id : NULL,
                           incident->escalation_level, job->request.action, job->actor.staff_id,
                           job->actor.role, job->text != NULL, &next, error))
    return FALSE;

  switch (job->request.action)
    {
    case HG_ACTION_ACKNOWLEDGE:
    case HG_ACTION_START:
    case HG_ACTION_RESOLVE:
      ok = act_move (db, job, incident, next, now, error);
      break;
    case HG_ACTION_CLAIM:
      ok = act_claim (db, job, incident, now, error);
      break;
    case HG_ACTION_DECLINE:
      ok = act_decline (db, job, incident, now, error);
      break;
    case HG_ACTION_REASSIGN:
      ok = act_reassign (db, job, incident, now, error);
      break;
    case HG_ACTION_ESCALATE:
      ok = act_escalate (self, db, job, incident, now, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    return FALSE;
  job->incident = hg_store_load_incident (db, incident->id, FALSE, error);
  if (job->incident == NULL)
    return FALSE;
  /* Workloads changed with the incident. */
  if (incident->assignee != NULL)
    hg_events_touch_staff (db, incident->assignee->id);
  if (job->incident->assignee != NULL)
    hg_events_touch_staff (db, job->incident->assignee->id);
  return tell_resolution (db, job, incident, now, error) &&
         audit_action (db, job, incident, now, error);
}

void
hg_store_act_async (HgStore               *self,
                    const HgPrincipal     *actor,
                    const HgActionRequest *request,
                    GAsyncReadyCallback    callback,
                    gpointer               user_data)
{
  ActJob *job = g_new0 (ActJob, 1);

  g_return_if_fail (HG_IS_STORE (self));
  job->actor.staff_id = g_strdup (actor->staff_id);
  job->actor.name = g_strdup (actor->name);
  job->actor.role = actor->role;
  job->request = *request;
  job->text = g_strdup (request->text);
  job->target = g_strdup (request->target_staff_id);
  job->request.text = NULL;
  job->request.target_staff_id = NULL;
  hg_store_queue_job (self, act_job, job, act_job_free, hg_store_act_async, callback, user_data);
}

HgIncident *
hg_store_act_finish (HgStore       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  ActJob *job = hg_store_job_finish (self, result, hg_store_act_async, error);

  return job ? g_object_ref (job->incident) : NULL;
}

/* --- Notes ------------------------------------------------------------ */

typedef struct {
  char   *author_id;
  gint64  incident_id;
  char   *text;
  HgNote *note;
} NoteJob;

static void
note_job_free (gpointer data)
{
  NoteJob *job = data;

  g_free (job->author_id);
  g_free (job->text);
  g_clear_pointer (&job->note, hg_note_free);
  g_free (job);
}

static gboolean
audit_note (HgDb        *db,
            const char  *author_id,
            gint64       incident_id,
            gint64       note_id,
            const char  *text,
            gint64       now,
            GError     **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *object = g_strdup_printf ("incident:%" G_GINT64_FORMAT, incident_id);
  g_autofree char *detail_text = NULL;

  json_object_set_int_member (detail, "note_id", note_id);
  hg_audit_set_text (detail, "text", text);
  detail_text = hg_audit_detail (detail);
  return hg_audit_append (db, now, author_id, "incident.note", object, detail_text, error);
}

static gboolean
note_job (HgStore  *self,
          HgDb     *db,
          gint64    now,
          gpointer  data,
          GError  **error)
{
  NoteJob *job = data;
  g_autoptr(HgIncident) incident = hg_store_load_incident (db, job->incident_id, FALSE, error);
  g_autoptr(HgStaff) author = NULL;
  g_autofree char *excerpt = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  if (incident == NULL || !(author = hg_store_load_staff (db, job->author_id, now, error)))
    return FALSE;
  if (!insert_note (db, incident->id, author->id, job->text, now, &id, error))
    return FALSE;
  stmt = hg_db_prepare (db, "UPDATE incidents SET version = version + 1 WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident->id);
  excerpt = g_utf8_substring (job->text, 0, MIN (g_utf8_strlen (job->text, -1), 80));
  if (!hg_db_step_done (db, stmt, error) ||
      !hg_timeline_append (db, incident->id, now, author->id, "note", -1, -1, excerpt, error) ||
      !audit_note (db, author->id, incident->id, id, job->text, now, error))
    return FALSE;

  job->note = hg_note_new ();
  job->note->id = id;
  job->note->incident_id = incident->id;
  job->note->author_id = g_strdup (author->id);
  job->note->author_name = g_strdup (author->name);
  job->note->text = g_strdup (job->text);
  job->note->created_at = now;
  return TRUE;
}

void
hg_store_add_note_async (HgStore             *self,
                         const HgPrincipal   *actor,
                         gint64               incident_id,
                         const char          *text,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  NoteJob *job = g_new0 (NoteJob, 1);

  job->author_id = g_strdup (actor->staff_id);
  job->incident_id = incident_id;
  job->text = g_strdup (text);
  hg_store_queue_job (self, note_job, job, note_job_free, hg_store_add_note_async,
                      callback, user_data);
}

HgNote *
hg_store_add_note_finish (HgStore       *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  NoteJob *job = hg_store_job_finish (self, result, hg_store_add_note_async, error);

  return job ? hg_note_copy (job->note) : NULL;
}

/* --- Sessions --------------------------------------------------------- */

typedef struct {
  char    *staff_id;
  guchar   hash[32];
  char    *station;
  char    *address;
  gint64   expires_at;
  HgStaff *staff;
} SessionJob;

static void
session_job_free (gpointer data)
{
  SessionJob *job = data;

  g_free (job->staff_id);
  g_free (job->station);
  g_free (job->address);
  g_clear_object (&job->staff);
  g_free (job);
}

/* "auth.login" or "auth.logout" by @staff_id, on their own account. */
static gboolean
audit_session (HgDb        *db,
               const char  *action,
               const char  *staff_id,
               SessionJob  *job,
               gint64       now,
               GError     **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *object = g_strconcat ("staff:", staff_id, NULL);
  g_autofree char *text = NULL;

  if (job->station != NULL)
    json_object_set_string_member (detail, "station", job->station);
  if (job->address != NULL)
    json_object_set_string_member (detail, "address", job->address);
  text = hg_audit_detail (detail);
  return hg_audit_append (db, now, staff_id, action, object, text, error);
}

static gboolean
create_session_job (HgStore  *self,
                    HgDb     *db,
                    gint64    now,
                    gpointer  data,
                    GError  **error)
{
  SessionJob *job = data;
  sqlite3_stmt *stmt = hg_db_prepare (db, "INSERT INTO tokens (hash, staff_id, station, created_at,"
                                      " expires_at) VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, job->hash, sizeof job->hash, SQLITE_STATIC);
  hg_bind_text (stmt, 2, job->staff_id);
  hg_bind_text (stmt, 3, job->station);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, job->expires_at);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  hg_events_touch_staff (db, job->staff_id);
  job->staff = hg_store_load_staff (db, job->staff_id, now, error);
  return job->staff != NULL && audit_session (db, "auth.login", job->staff_id, job, now, error);
}

void
hg_store_create_session_async (HgStore             *self,
                               const char          *staff_id,
                               const guchar         token_hash[32],
                               const char          *station,
                               const char          *address,
                               gint64               expires_at,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  SessionJob *job = g_new0 (SessionJob, 1);

  job->staff_id = g_strdup (staff_id);
  memcpy (job->hash, token_hash, sizeof job->hash);
  job->station = g_strdup (station);
  job->address = g_strdup (address);
  job->expires_at = expires_at;
  hg_store_queue_job (self, create_session_job, job, session_job_free,
                      hg_store_create_session_async, callback, user_data);
}

HgStaff *
hg_store_create_session_finish (HgStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  SessionJob *job = hg_store_job_finish (self, result, hg_store_create_session_async, error);

  return job ? g_object_ref (job->staff) : NULL;
}

static gboolean
revoke_session_job (HgStore  *self,
                    HgDb     *db,
                    gint64    now,
                    gpointer  data,
                    GError  **error)
{
  SessionJob *job = data;
  sqlite3_stmt *stmt = hg_db_prepare (db, "UPDATE tokens SET revoked_at = ? WHERE hash = ?"
                                      " AND revoked_at IS NULL", error);
  g_autofree char *staff_id = NULL;
  gboolean revoked;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_blob (stmt, 2, job->hash, sizeof job->hash, SQLITE_STATIC);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  revoked = sqlite3_changes (db->handle) > 0;
  /* Signed out: "logged_in" may have changed. */
  if (!(stmt = hg_db_prepare (db, "SELECT staff_id FROM tokens WHERE hash = ?", error)))
    return FALSE;
  sqlite3_bind_blob (stmt, 1, job->hash, sizeof job->hash, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    staff_id = hg_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (staff_id == NULL)
    return TRUE;
  hg_events_touch_staff (db, staff_id);
  return !revoked || audit_session (db, "auth.logout", staff_id, job, now, error);
}

void
hg_store_revoke_session_async (HgStore             *self,
                               const guchar         token_hash[32],
                               const char          *address,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  SessionJob *job = g_new0 (SessionJob, 1);

  memcpy (job->hash, token_hash, sizeof job->hash);
  job->address = g_strdup (address);
  hg_store_queue_job (self, revoke_session_job, job, session_job_free,
                      hg_store_revoke_session_async, callback, user_data);
}

gboolean
hg_store_revoke_session_finish (HgStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return hg_store_job_finish (self, result, hg_store_revoke_session_async, error) != NULL;
}
