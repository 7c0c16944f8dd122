/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include "hg-assigner.h"
#include "hg-audit.h"
#include "hg-deadlines.h"
#include "hg-error.h"
#include "hg-events.h"
#include "hg-store-private.h"

/* A backlog after a long outage runs in jobs of this many steps, so other
 * writes get their turn between them. */
#define MAX_STEPS_PER_JOB 64

typedef enum {
  STEP_REMIND,
  STEP_REASSIGN,
  STEP_SUPERVISORS,
  STEP_START,
  N_STEPS
} Step;

static const char *const step_names[N_STEPS] = {
  [STEP_REMIND] = "remind",
  [STEP_REASSIGN] = "reassign",
  [STEP_SUPERVISORS] = "supervisors",
  [STEP_START] = "start",
};

static gboolean
step_from_string (const char *name,
                  Step       *out)
{
  for (guint i = 0; i < N_STEPS; i++)
    if (g_strcmp0 (name, step_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

/* Which steps mean something in which status: a row that no longer does
 * is dropped without acting. */
static gboolean
step_applies (Step             step,
              HgIncidentStatus status)
{
  switch (step)
    {
    case STEP_REMIND:
      return status == HG_INCIDENT_STATUS_ASSIGNED;
    case STEP_REASSIGN:
    case STEP_SUPERVISORS:
      return status == HG_INCIDENT_STATUS_OPEN || status == HG_INCIDENT_STATUS_ASSIGNED;
    case STEP_START:
      return status == HG_INCIDENT_STATUS_ACKNOWLEDGED;
    case N_STEPS:
    default:
      return FALSE;
    }
}

/* --- Scheduling ------------------------------------------------------- */

gboolean
hg_deadlines_prepare (HgDb    *db,
                      GError **error)
{
  /* Temporary, so only this connection's writes are seen, and part of the
   * transaction, so a job that rolls back forgets its changes too. "moved":
   * a new status or assignment, which starts the steps afresh; else only
   * the severity rose, which may bring pending steps closer. */
  return hg_db_exec (db, "CREATE TEMP TABLE IF NOT EXISTS incident_changes ("
                         " incident_id INTEGER PRIMARY KEY, moved INTEGER NOT NULL);"
                         "CREATE TEMP TRIGGER IF NOT EXISTS incident_created"
                         " AFTER INSERT ON main.incidents"
                         " BEGIN INSERT INTO incident_changes VALUES (NEW.id, 1)"
                         " ON CONFLICT (incident_id) DO UPDATE SET moved = 1; END;"
                         "CREATE TEMP TRIGGER IF NOT EXISTS incident_moved"
                         " AFTER UPDATE OF status, assignee_id, assigned_at ON main.incidents"
                         " WHEN OLD.status IS NOT NEW.status OR OLD.assignee_id IS NOT NEW.assignee_id"
                         " OR OLD.assigned_at IS NOT NEW.assigned_at"
                         " BEGIN INSERT INTO incident_changes VALUES (NEW.id, 1)"
                         " ON CONFLICT (incident_id) DO UPDATE SET moved = 1; END;"
                         "CREATE TEMP TRIGGER IF NOT EXISTS incident_raised"
                         " AFTER UPDATE OF severity ON main.incidents"
                         " WHEN OLD.severity IS NOT NEW.severity"
                         " BEGIN INSERT OR IGNORE INTO incident_changes VALUES (NEW.id, 0); END;",
                     error);
}

/* @keep_earlier: an existing earlier deadline for the step stays. */
static gboolean
schedule (HgDb     *db,
          gint64    incident_id,
          Step      step,
          gint64    due_at,
          gboolean  keep_earlier,
          GError  **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, keep_earlier
                                      ? "INSERT INTO deadlines (incident_id, step, due_at) VALUES (?, ?, ?)"
                                        " ON CONFLICT (incident_id, step)"
                                        " DO UPDATE SET due_at = min(due_at, excluded.due_at)"
                                      : "INSERT OR REPLACE INTO deadlines (incident_id, step, due_at)"
                                        " VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  hg_bind_text (stmt, 2, step_names[step]);
  sqlite3_bind_int64 (stmt, 3, due_at);
  return hg_db_step_done (db, stmt, error);
}

/* Deletes the steps in @mask (bits 1 << Step) of one incident. */
static gboolean
unschedule (HgDb     *db,
            gint64    incident_id,
            guint     mask,
            GError  **error)
{
  for (Step step = 0; step < N_STEPS; step++)
    {
      sqlite3_stmt *stmt;

      if (!(mask & (1u << step)))
        continue;
      stmt = hg_db_prepare (db, "DELETE FROM deadlines WHERE incident_id = ? AND step = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, incident_id);
      hg_bind_text (stmt, 2, step_names[step]);
      if (!hg_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

#define MS(seconds) ((gint64) (seconds) * 1000)
#define UNANSWERED_STEPS ((1u << STEP_REMIND) | (1u << STEP_REASSIGN) | (1u << STEP_SUPERVISORS))
#define ALL_STEPS (UNANSWERED_STEPS | (1u << STEP_START))

/* The steps that follow from the incident's new state. The supervisors
 * count from when it was first left unanswered, so a move to someone else
 * keeps an earlier supervisors deadline. */
static gboolean
sync_one (HgDb                     *db,
          HgIncident               *incident,
          gint64                    now,
          const HgEscalationPolicy *policy,
          GError                  **error)
{
  gint64 id = incident->id;

  switch (incident->status)
    {
    case HG_INCIDENT_STATUS_OPEN:
      /* Nobody may take it: the supervisors at once, and a new try later. */
      return unschedule (db, id, (1u << STEP_REMIND) | (1u << STEP_START), error) &&
             schedule (db, id, STEP_REASSIGN, now + MS (policy->reassign_after), FALSE, error) &&
             schedule (db, id, STEP_SUPERVISORS, now, TRUE, error);
    case HG_INCIDENT_STATUS_ASSIGNED:
      return unschedule (db, id, 1u << STEP_START, error) &&
             schedule (db, id, STEP_REMIND, now + MS (policy->remind_after), FALSE, error) &&
             schedule (db, id, STEP_REASSIGN, now + MS (policy->reassign_after), FALSE, error) &&
             schedule (db, id, STEP_SUPERVISORS, now + MS (policy->alert_supervisors_after), TRUE, error);
    case HG_INCIDENT_STATUS_ACKNOWLEDGED:
      return unschedule (db, id, UNANSWERED_STEPS, error) &&
             schedule (db, id, STEP_START, now + MS (policy->start_within), FALSE, error);
    case HG_INCIDENT_STATUS_IN_PROGRESS:
    case HG_INCIDENT_STATUS_RESOLVED:
    default:
      return unschedule (db, id, ALL_STEPS, error);
    }
}

/* A higher severity's policy may be shorter: no pending step waits longer
 * than it would under that policy from now. Nothing is added or postponed. */
static gboolean
tighten (HgDb                     *db,
         HgIncident               *incident,
         gint64                    now,
         const HgEscalationPolicy *policy,
         GError                  **error)
{
  const guint delays[N_STEPS] = {
    [STEP_REMIND] = policy->remind_after,
    [STEP_REASSIGN] = policy->reassign_after,
    [STEP_SUPERVISORS] = policy->alert_supervisors_after,
    [STEP_START] = policy->start_within,
  };

  for (Step step = 0; step < N_STEPS; step++)
    {
      sqlite3_stmt *stmt = hg_db_prepare (db, "UPDATE deadlines SET due_at = min(due_at, ?)"
                                          " WHERE incident_id = ? AND step = ?", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, now + MS (delays[step]));
      sqlite3_bind_int64 (stmt, 2, incident->id);
      hg_bind_text (stmt, 3, step_names[step]);
      if (!hg_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct {
  gint64   id;
  gboolean moved;
} Change;

static GArray *
changed_incidents (HgDb    *db,
                   GError **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT incident_id, moved FROM incident_changes", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Change change = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int (stmt, 1) };
      g_array_append_val (changes, change);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "reading changed incidents");
      return NULL;
    }
  return g_steal_pointer (&changes);
}

gboolean
hg_deadlines_sync (HgDb                     *db,
                   gint64                    now,
                   const HgEscalationPolicy *policies,
                   GError                  **error)
{
  g_autoptr(GArray) changes = changed_incidents (db, error);
  sqlite3_stmt *stmt;

  if (changes == NULL)
    return FALSE;
  if (changes->len == 0)
    return TRUE;
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);
      g_autoptr(HgIncident) incident = hg_store_load_incident (db, change->id, FALSE, error);
      const HgEscalationPolicy *policy;

      if (incident == NULL)
        return FALSE;
      policy = &policies[incident->severity];
      if (!(change->moved ? sync_one (db, incident, now, policy, error)
                          : tighten (db, incident, now, policy, error)))
        return FALSE;
    }
  stmt = hg_db_prepare (db, "DELETE FROM incident_changes", error);
  return stmt != NULL && hg_db_step_done (db, stmt, error);
}

/* --- Steps ------------------------------------------------------------ */

typedef struct {
  HgDb                     *db;
  gint64                    now;
  const HgEscalationPolicy *policy;    /* the incident's severity's */
  const char               *actor_id;  /* NULL: the server, on time */
  const char               *reason;    /* by hand; may be NULL */
  char                     *by;        /* by hand: who, for messages */
} StepRun;

static void
step_run_clear (StepRun *run)
{
  g_clear_pointer (&run->by, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StepRun, step_run_clear)

static char *
headline (HgIncident *incident)
{
  if (incident->room != NULL)
    return g_strdup_printf ("%s, room %s", incident->title, incident->room);
  if (incident->ward != NULL)
    return g_strdup_printf ("%s, %s", incident->title, incident->ward);
  return g_strdup (incident->title);
}

/* The timeline says why: the reason given by hand, else what the server saw. */
static const char *
why (StepRun    *run,
     const char *automatic)
{
  return run->actor_id != NULL ? run->reason : automatic;
}

static gboolean
bump_level (HgDb    *db,
            gint64   incident_id,
            GError **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "UPDATE incidents SET escalation_level = escalation_level + 1,"
                                      " version = version + 1 WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  return hg_db_step_done (db, stmt, error);
}

static gboolean
tell (StepRun     *run,
      const char  *staff_id,
      HgIncident  *incident,
      const char  *kind,
      const char  *message,
      GError     **error)
{
  return hg_notify (run->db, run->now, staff_id, incident->id, kind, message, error) &&
         hg_alarm (run->db, run->now, staff_id, incident->id, kind, error);
}

/* Every charge nurse and emergency doctor on duty, available or not (an
 * alert for supervisors must reach them), except the assignee and whoever
 * escalated by hand. Their ids are appended to @who. */
static gboolean
tell_supervisors (StepRun     *run,
                  HgIncident  *incident,
                  const char  *message,
                  GString     *who,
                  GError     **error)
{
  g_autoptr(GPtrArray) staff = hg_store_load_candidates (run->db, run->now, error);

  if (staff == NULL)
    return FALSE;
  for (guint i = 0; i < staff->len; i++)
    {
      HgStaff *person = g_ptr_array_index (staff, i);

      if ((person->role != HG_ROLE_CHARGE_NURSE && person->role != HG_ROLE_EMERGENCY_DOCTOR) ||
          (incident->assignee != NULL && g_str_equal (person->id, incident->assignee->id)) ||
          g_strcmp0 (person->id, run->actor_id) == 0)
        continue;
      if (!tell (run, person->id, incident, "escalated", message, error))
        return FALSE;
      g_string_append_printf (who, "%s%s", who->len ? ", " : "", person->id);
    }
  return TRUE;
}

static gboolean
run_remind (StepRun     *run,
            HgIncident  *incident,
            GError     **error)
{
  g_autofree char *head = headline (incident);
  g_autofree char *automatic = g_strdup_printf ("not acknowledged %u s after it was assigned",
                                                run->policy->remind_after);
  g_autofree char *message = g_strdup_printf ("%s: waiting for your acknowledgement", head);

  return bump_level (run->db, incident->id, error) &&
         hg_timeline_append (run->db, incident->id, run->now, run->actor_id, "reminded", -1, -1,
                             why (run, automatic), error) &&
         tell (run, incident->assignee->id, incident, "reminder", message, error);
}

static gboolean
run_supervisors (StepRun     *run,
                 HgIncident  *incident,
                 GError     **error)
{
  g_autofree char *head = headline (incident);
  g_autofree char *state = NULL;
  g_autofree char *message = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GString) who = g_string_new (NULL);

  if (run->actor_id != NULL)
    state = g_strdup_printf ("escalated by %s%s%s", run->by, run->reason ? ": " : "",
                             run->reason ? run->reason : "");
  else if (incident->assignee != NULL)
    state = g_strdup_printf ("not acknowledged by %s", incident->assignee->name);
  else
    state = g_strdup ("nobody on duty may take it");
  message = g_strdup_printf ("%s: %s", head, state);
  if (!bump_level (run->db, incident->id, error) ||
      !tell_supervisors (run, incident, message, who, error))
    return FALSE;
  detail = g_strdup_printf ("%s; alerted %s", run->actor_id ? (run->reason ? run->reason : "by hand") : state,
                            who->len ? who->str : "nobody: no charge nurse or emergency doctor is on duty");
  return hg_timeline_append (run->db, incident->id, run->now, run->actor_id, "supervisors_alerted",
                             -1, -1, detail, error);
}

/* Nobody else may take it: it stays where it is, louder, and the next try
 * is scheduled (someone may come on duty or become available). */
static gboolean
run_reassign_nobody (StepRun     *run,
                     HgIncident  *incident,
                     GError     **error)
{
  g_autofree char *head = headline (incident);
  g_autofree char *detail = NULL;
  g_autofree char *message = NULL;

  if (!schedule (run->db, incident->id, STEP_REASSIGN, run->now + MS (run->policy->reassign_after),
                 FALSE, error))
    return FALSE;
  if (incident->assignee == NULL)
    {
      g_autoptr(GString) who = g_string_new (NULL);

      message = g_strdup_printf ("%s: nobody on duty may take it", head);
      detail = g_strdup ("still nobody on duty may take it");
      return hg_timeline_append (run->db, incident->id, run->now, run->actor_id, "escalated", -1, -1,
                                 detail, error) &&
             tell_supervisors (run, incident, message, who, error);
    }
  message = g_strdup_printf ("%s: nobody else may take it, it is still yours", head);
  detail = g_strdup_printf ("nobody else may take it: stays with %s", incident->assignee->id);
  return hg_timeline_append (run->db, incident->id, run->now, run->actor_id, "escalated", -1, -1,
                             detail, error) &&
         tell (run, incident->assignee->id, incident, "escalated", message, error);
}

/* The next candidate (never the one who let it wait) is told "escalated";
 * the assignment's own timeline row ("escalated") explains the choice. */
static gboolean
run_reassign (StepRun     *run,
              HgIncident  *incident,
              GError     **error)
{
  g_autoptr(HgStaff) next = NULL;

  if (!bump_level (run->db, incident->id, error) ||
      !hg_assigner_assign_for (run->db, incident->id, run->now,
                               incident->assignee ? incident->assignee->id : NULL,
                               run->actor_id, "escalated", "escalated", &next, error))
    return FALSE;
  if (next != NULL)
    return TRUE;
  return run_reassign_nobody (run, incident, error);
}

static gboolean
run_start (StepRun     *run,
           HgIncident  *incident,
           GError     **error)
{
  g_autofree char *head = headline (incident);
  g_autofree char *mine = g_strdup_printf ("%s: acknowledged, not started yet", head);
  g_autofree char *theirs = g_strdup_printf ("%s: acknowledged by %s, not started within %u s",
                                             head, incident->assignee->name, run->policy->start_within);
  g_autofree char *detail = NULL;
  g_autoptr(GString) who = g_string_new (NULL);

  if (!bump_level (run->db, incident->id, error) ||
      !tell (run, incident->assignee->id, incident, "reminder", mine, error) ||
      !tell_supervisors (run, incident, theirs, who, error))
    return FALSE;
  detail = g_strdup_printf ("not started %u s after the acknowledgement; alerted %s",
                            run->policy->start_within, who->len ? who->str : "no supervisor on duty");
  return hg_timeline_append (run->db, incident->id, run->now, run->actor_id, "start_overdue", -1, -1,
                             detail, error);
}

static gboolean
run_step (StepRun     *run,
          Step         step,
          HgIncident  *incident,
          GError     **error)
{
  /* Nobody to remind (a row fixed by hand in the database): tell those
   * above instead. */
  if ((step == STEP_REMIND || step == STEP_START) && incident->assignee == NULL)
    step = STEP_SUPERVISORS;
  switch (step)
    {
    case STEP_REMIND:
      return run_remind (run, incident, error);
    case STEP_REASSIGN:
      return run_reassign (run, incident, error);
    case STEP_SUPERVISORS:
      return run_supervisors (run, incident, error);
    case STEP_START:
      return run_start (run, incident, error);
    case N_STEPS:
    default:
      g_assert_not_reached ();
    }
}

/* Deletes one deadline; *out_taken says whether it was still there. */
static gboolean
take_deadline (HgDb      *db,
               gint64     incident_id,
               Step       step,
               gboolean  *out_taken,
               GError   **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "DELETE FROM deadlines WHERE incident_id = ? AND step = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  hg_bind_text (stmt, 2, step_names[step]);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  *out_taken = sqlite3_changes (db->handle) > 0;
  return TRUE;
}

/* --- By hand ---------------------------------------------------------- */

/* The incident's earliest pending step that means something in its status
 * (the unanswered ones only: an acknowledged incident that is escalated by
 * hand asks for help, not for a reminder to start). */
static gboolean
next_pending (HgDb       *db,
              HgIncident *incident,
              Step       *out_step,
              gboolean   *out_found,
              GError    **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT step FROM deadlines WHERE incident_id = ?"
                                      " AND step IN ('remind','reassign','supervisors')"
                                      " ORDER BY due_at, CASE step WHEN 'remind' THEN 0"
                                      " WHEN 'reassign' THEN 1 ELSE 2 END", error);
  int rc;

  *out_found = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (step_from_string ((const char *) sqlite3_column_text (stmt, 0), out_step) &&
        step_applies (*out_step, incident->status))
      {
        *out_found = TRUE;
        break;
      }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      hg_db_set_error (db, error, "reading deadlines");
      return FALSE;
    }
  return TRUE;
}

gboolean
hg_deadlines_escalate (HgDb                     *db,
                       gint64                    incident_id,
                       gint64                    now,
                       const HgEscalationPolicy *policies,
                       const char               *actor_id,
                       const char               *reason,
                       GError                  **error)
{
  g_autoptr(HgIncident) incident = hg_store_load_incident (db, incident_id, FALSE, error);
  g_autoptr(HgStaff) actor = NULL;
  g_auto(StepRun) run = { db, now, NULL, actor_id, reason, NULL };
  gboolean found = FALSE;
  gboolean taken;
  Step step = STEP_SUPERVISORS;

  if (incident == NULL || !(actor = hg_store_load_staff (db, actor_id, now, error)))
    return FALSE;
  run.policy = &policies[incident->severity];
  run.by = g_strdup (actor->name);
  if (!next_pending (db, incident, &step, &found, error))
    return FALSE;
  if (found && !take_deadline (db, incident->id, step, &taken, error))
    return FALSE;
  /* Nothing pending (acknowledged, in progress, or every step done): the
   * supervisors are the next level up. */
  return run_step (&run, found ? step : STEP_SUPERVISORS, incident, error);
}

/* --- On time ---------------------------------------------------------- */

typedef struct {
  gint64 incident_id;
  Step   step;
} Due;

static GArray *
load_due (HgDb    *db,
          gint64   now,
          GError **error)
{
  g_autoptr(GArray) due = g_array_new (FALSE, FALSE, sizeof (Due));
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT incident_id, step FROM deadlines WHERE due_at <= ?"
                                      " ORDER BY due_at, incident_id LIMIT ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, MAX_STEPS_PER_JOB);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Due item = { sqlite3_column_int64 (stmt, 0), STEP_REMIND };

      if (step_from_string ((const char *) sqlite3_column_text (stmt, 1), &item.step))
        g_array_append_val (due, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "reading due deadlines");
      return NULL;
    }
  return g_steal_pointer (&due);
}

/* A step the timer took, by the server (actor NULL); one taken by hand is
 * the "incident.escalate" of whoever asked. */
static gboolean
audit_step (HgDb        *db,
            HgIncident  *incident,
            Step         step,
            gint64       now,
            GError     **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(HgIncident) after = hg_store_load_incident (db, incident->id, FALSE, error);
  g_autofree char *object = g_strdup_printf ("incident:%" G_GINT64_FORMAT, incident->id);
  g_autofree char *text = NULL;

  if (after == NULL)
    return FALSE;
  json_object_set_string_member (detail, "step", step_names[step]);
  json_object_set_string_member (detail, "from", hg_incident_status_to_string (incident->status));
  json_object_set_string_member (detail, "to", hg_incident_status_to_string (after->status));
  json_object_set_int_member (detail, "escalation_level", after->escalation_level);
  if (incident->assignee != NULL)
    json_object_set_string_member (detail, "assignee_from", incident->assignee->id);
  if (after->assignee != NULL)
    json_object_set_string_member (detail, "assignee_to", after->assignee->id);
  text = hg_audit_detail (detail);
  return hg_audit_append (db, now, NULL, "incident.escalation_step", object, text, error);
}

/* Deletes the row first: the step and its removal commit together. */
static gboolean
run_due_one (HgStore   *self,
             HgDb      *db,
             gint64     now,
             const Due *due,
             gboolean  *out_ran,
             GError   **error)
{
  g_autoptr(HgIncident) incident = NULL;
  g_auto(StepRun) run = { db, now, NULL, NULL, NULL, NULL };
  gboolean taken;

  *out_ran = FALSE;
  if (!take_deadline (db, due->incident_id, due->step, &taken, error))
    return FALSE;
  if (!taken)
    return TRUE;
  incident = hg_store_load_incident (db, due->incident_id, FALSE, error);
  if (incident == NULL)
    return FALSE;
  if (!step_applies (due->step, incident->status))
    {
      g_debug ("Dropped the stale %s deadline of incident %" G_GINT64_FORMAT, step_names[due->step],
               incident->id);
      return TRUE;
    }
  run.policy = &self->settings.escalation[incident->severity];
  g_debug ("Escalation step %s for incident %" G_GINT64_FORMAT, step_names[due->step], incident->id);
  *out_ran = TRUE;
  return run_step (&run, due->step, incident, error) &&
         audit_step (db, incident, due->step, now, error);
}

typedef struct {
  guint ran;
} RunJob;

static gboolean
run_due_job (HgStore  *self,
             HgDb     *db,
             gint64    now,
             gpointer  data,
             GError  **error)
{
  RunJob *job = data;
  g_autoptr(GArray) due = load_due (db, now, error);

  if (due == NULL)
    return FALSE;
  for (guint i = 0; i < due->len; i++)
    {
      gboolean ran;

      if (!run_due_one (self, db, now, &g_array_index (due, Due, i), &ran, error))
        return FALSE;
      job->ran += ran;
    }
  return TRUE;
}

void
hg_store_run_deadlines_async (HgStore             *self,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (HG_IS_STORE (self));
  hg_store_queue_job (self, run_due_job, g_new0 (RunJob, 1), g_free, hg_store_run_deadlines_async,
                      callback, user_data);
}

gboolean
hg_store_run_deadlines_finish (HgStore       *self,
                               GAsyncResult  *result,
                               guint         *out_ran,
                               GError       **error)
{
  RunJob *job = hg_store_job_finish (self, result, hg_store_run_deadlines_async, error);

  if (job == NULL)
    return FALSE;
  if (out_ran != NULL)
    *out_ran = job->ran;
  return TRUE;
}

gint64
hg_store_next_deadline (HgStore *self)
{
  sqlite3_stmt *stmt;
  gint64 due = 0;

  g_return_val_if_fail (HG_IS_STORE (self), 0);
  stmt = hg_db_prepare (self->reader, "SELECT min(due_at) FROM deadlines", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    due = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return due;
}
