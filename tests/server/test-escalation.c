/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance: timed escalation. An unacknowledged incident is reminded,
 * moved on and brought to the supervisors on the policy of its severity;
 * an acknowledgement stops it; a restart neither loses nor repeats a step.
 *
 * The in-process tests use policies of a second or two; the restart tests
 * run the real program (HG_SERVER_BINARY) so that it can be killed. */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hg-test-server.h"

#define POLL_MS        50
#define WAIT_MS        10000
#define START_TIMEOUT_S 60

/* --- Helpers ---------------------------------------------------------- */

typedef struct {
  HgTestServer *ts;
  GHashTable   *tokens;   /* staff id -> token */
} Fixture;

static void
set_critical_policy (HgConfig *config,
                     gpointer  user_data)
{
  const HgEscalationPolicy *policy = user_data;

  config->escalation[HG_SEVERITY_CRITICAL] = *policy;
}

static void
fixture_start (Fixture                  *f,
               HgTestPrepareFunc         prepare,
               gpointer                  prepare_data,
               const HgEscalationPolicy *critical)
{
  f->ts = hg_test_server_start_full (prepare, prepare_data,
                                     critical ? set_critical_policy : NULL, (gpointer) critical);
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_hash_table_unref (f->tokens);
  hg_test_server_stop (f->ts);
}

static const char *
token_for (Fixture    *f,
           const char *staff_id)
{
  char *token = g_hash_table_lookup (f->tokens, staff_id);

  if (token == NULL)
    {
      token = hg_test_login (f->ts, staff_id);
      g_hash_table_insert (f->tokens, g_strdup (staff_id), token);
    }
  return token;
}

static gint64 G_GNUC_PRINTF (2, 3)
sql_int (const char *db_path,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *sql = NULL;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return hg_test_sql_int (db_path, sql);
}

static char * G_GNUC_PRINTF (2, 3)
sql_text (const char *db_path,
          const char *format,
          ...)
{
  va_list args;
  g_autofree char *sql = NULL;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return hg_test_sql_text (db_path, sql);
}

/* Polls @sql until it answers at least @at_least; fails after WAIT_MS. */
static gint64
wait_for (const char *db_path,
          const char *sql,
          gint64      at_least)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  gint64 value;

  while ((value = hg_test_sql_int (db_path, sql)) < at_least)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("waited %d ms for “%s” to reach %" G_GINT64_FORMAT ", it is %" G_GINT64_FORMAT,
                 WAIT_MS, sql, at_least, value);
      g_usleep (POLL_MS * 1000);
    }
  return value;
}

static gint64
wait_for_action (const char *db_path,
                 gint64      incident_id,
                 const char *action,
                 gint64      at_least)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM timeline WHERE incident_id = %" G_GINT64_FORMAT
                                          " AND action = '%s'", incident_id, action);

  return wait_for (db_path, sql, at_least);
}

/* Sleeps until the wall clock passes @at_ms. */
static void
sleep_until (gint64 at_ms)
{
  gint64 now = g_get_real_time () / 1000;

  if (at_ms > now)
    g_usleep ((at_ms - now) * 1000);
}

static gint64
post_critical (Fixture    *f,
               const char *patient)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"%s\"}", patient);
  g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, token_for (f, "N01"), body);

  return hg_test_json_int (answer, "incident.id");
}

static char *
assignee_of (Fixture *f,
             gint64   id)
{
  return sql_text (hg_test_server_db_path (f->ts),
                   "SELECT assignee_id FROM incidents WHERE id = %" G_GINT64_FORMAT, id);
}

static JsonNode *
act (Fixture    *f,
     gint64      id,
     const char *staff_id,
     const char *action,
     const char *body,
     guint       expected)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/%s", id, action);
  guint status;
  JsonNode *answer = hg_test_request (f->ts, "POST", path, token_for (f, staff_id), body, &status);

  g_assert_cmpuint (status, ==, expected);
  return answer;
}

static gint64
count_notifications (const char *db_path,
                     gint64      id,
                     const char *staff_id,
                     const char *kind)
{
  return sql_int (db_path, "SELECT count(*) FROM notifications WHERE incident_id = %" G_GINT64_FORMAT
                  " AND staff_id = '%s' AND kind = '%s'", id, staff_id, kind);
}

/* Alarm events for @staff_id with @reason; with @level >= 0 only those
 * whose incident had that escalation level. */
static gint64
count_alarms (const char *db_path,
              gint64      id,
              const char *staff_id,
              const char *reason,
              gint64      level)
{
  return sql_int (db_path, "SELECT count(*) FROM events WHERE type = 'alarm' AND audience = '%s'"
                  " AND json_extract(data, '$.incident.id') = %" G_GINT64_FORMAT
                  " AND json_extract(data, '$.reason') = '%s'"
                  " AND (%" G_GINT64_FORMAT " < 0 OR json_extract(data, '$.incident.escalation_level') = %"
                  G_GINT64_FORMAT ")", staff_id, id, reason, level, level);
}

static char *
pending_steps (const char *db_path,
               gint64      id)
{
  g_autofree char *steps = sql_text (db_path, "SELECT group_concat(step, ',') FROM (SELECT step FROM deadlines"
                                     " WHERE incident_id = %" G_GINT64_FORMAT " ORDER BY step)", id);

  return g_strdup (steps ? steps : "");
}

static gint64
action_at (const char *db_path,
           gint64      id,
           const char *action)
{
  return sql_int (db_path, "SELECT at FROM timeline WHERE incident_id = %" G_GINT64_FORMAT
                  " AND action = '%s' ORDER BY id LIMIT 1", id, action);
}

/* --- Deadlines follow the incident ------------------------------------ */

static void
setup_default (Fixture       *f,
               gconstpointer  data)
{
  fixture_start (f, NULL, NULL, NULL);
}

static void
test_deadlines_follow_state (Fixture       *f,
                             gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  gint64 id = post_critical (f, "P001");
  g_autofree char *assignee = assignee_of (f, id);
  g_autofree char *steps = NULL;
  gint64 assigned_at = sql_int (db, "SELECT assigned_at FROM incidents WHERE id = %" G_GINT64_FORMAT, id);
  gint64 acknowledged_at;

  /* The documented critical defaults: 30, 60, 120 s; 600 s to start. */
  g_assert_cmpint (sql_int (db, "SELECT due_at FROM deadlines WHERE incident_id = %" G_GINT64_FORMAT
                            " AND step = 'remind'", id), ==, assigned_at + 30000);
  g_assert_cmpint (sql_int (db, "SELECT due_at FROM deadlines WHERE incident_id = %" G_GINT64_FORMAT
                            " AND step = 'reassign'", id), ==, assigned_at + 60000);
  g_assert_cmpint (sql_int (db, "SELECT due_at FROM deadlines WHERE incident_id = %" G_GINT64_FORMAT
                            " AND step = 'supervisors'", id), ==, assigned_at + 120000);

  json_node_unref (act (f, id, assignee, "acknowledge", NULL, 200));
  steps = pending_steps (db, id);
  g_assert_cmpstr (steps, ==, "start");
  acknowledged_at = sql_int (db, "SELECT acknowledged_at FROM incidents WHERE id = %" G_GINT64_FORMAT, id);
  g_assert_cmpint (sql_int (db, "SELECT due_at FROM deadlines WHERE incident_id = %" G_GINT64_FORMAT, id),
                   ==, acknowledged_at + 600000);

  json_node_unref (act (f, id, assignee, "start", NULL, 200));
  g_clear_pointer (&steps, g_free);
  steps = pending_steps (db, id);
  g_assert_cmpstr (steps, ==, "");
}

/* --- Acceptance 2: remind, then the next candidate --------------------- */

static const HgEscalationPolicy remind_1_reassign_2 = { 1, 2, 3600, 3600 };

static void
setup_remind_reassign (Fixture       *f,
                       gconstpointer  data)
{
  fixture_start (f, NULL, NULL, &remind_1_reassign_2);
}

static void
test_remind_then_reassign (Fixture       *f,
                           gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  gint64 id = post_critical (f, "P001");
  g_autofree char *first = assignee_of (f, id);
  const char *second = g_str_equal (first, "S01") ? "S02" : "S01";
  g_autofree char *order = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *steps = NULL;
  g_autoptr(JsonNode) mine = NULL;
  gint64 assigned_at = action_at (db, id, "assigned");
  guint status;

  g_assert_true (g_str_equal (first, "S01") || g_str_equal (first, "S02"));
  token_for (f, second);
  wait_for_action (db, id, "escalated", 1);

  /* In order, each on time. */
  order = sql_text (db, "SELECT group_concat(action, ',') FROM (SELECT action FROM timeline"
                    " WHERE incident_id = %" G_GINT64_FORMAT " ORDER BY id LIMIT 4)", id);
  g_assert_cmpstr (order, ==, "created,assigned,reminded,escalated");
  g_assert_cmpint (action_at (db, id, "reminded") - assigned_at, >=, 1000);
  g_assert_cmpint (action_at (db, id, "reminded") - assigned_at, <, 2000);
  g_assert_cmpint (action_at (db, id, "escalated") - assigned_at, >=, 2000);
  g_assert_cmpint (action_at (db, id, "escalated") - assigned_at, <, 3000);
  detail = sql_text (db, "SELECT detail FROM timeline WHERE incident_id = %" G_GINT64_FORMAT
                     " AND action = 'escalated' ORDER BY id LIMIT 1", id);
  g_assert_true (g_str_has_prefix (detail, "to "));
  g_assert_nonnull (strstr (detail, second));

  /* The first was reminded, then told it moved; the second was alarmed. */
  g_assert_cmpint (count_notifications (db, id, first, "reminder"), ==, 1);
  g_assert_cmpint (count_alarms (db, id, first, "reminder", 1), ==, 1);
  g_assert_cmpint (count_notifications (db, id, first, "reassigned"), ==, 1);
  g_assert_cmpint (count_notifications (db, id, second, "escalated"), >=, 1);
  g_assert_cmpint (count_notifications (db, id, second, "assigned"), ==, 0);
  g_assert_cmpint (count_alarms (db, id, second, "escalated", 2), ==, 1);
  g_assert_cmpint (count_alarms (db, id, second, "assigned", -1), ==, 0);

  /* The reminder is in the first one's own list. */
  mine = hg_test_request (f->ts, "GET", "/api/v1/notifications", token_for (f, first), NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  {
    JsonArray *list = json_node_get_array (hg_test_json_get (mine, "notifications"));
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (list); i++)
      {
        JsonObject *item = json_array_get_object_element (list, i);

        found |= g_str_equal (json_object_get_string_member (item, "kind"), "reminder") &&
                 json_object_get_int_member (item, "incident_id") == id;
      }
    g_assert_true (found);
  }

  /* The second one's acknowledgement stops it. */
  json_node_unref (act (f, id, second, "acknowledge", NULL, 200));
  steps = pending_steps (db, id);
  g_assert_cmpstr (steps, ==, "start");
  g_assert_cmpint (sql_int (db, "SELECT escalation_level FROM incidents WHERE id = %" G_GINT64_FORMAT, id),
                   >=, 2);
}

static void
test_acknowledge_stops (Fixture       *f,
                        gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  gint64 id = post_critical (f, "P001");
  g_autofree char *first = assignee_of (f, id);
  g_autofree char *now_with = NULL;
  g_autofree char *steps = NULL;
  gint64 assigned_at = action_at (db, id, "assigned");

  token_for (f, first);
  wait_for_action (db, id, "reminded", 1);
  json_node_unref (act (f, id, first, "acknowledge", NULL, 200));

  /* A second past the reassign deadline, nothing more happened. */
  sleep_until (assigned_at + 3000);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM timeline WHERE incident_id = %" G_GINT64_FORMAT
                            " AND action IN ('escalated', 'reminded', 'supervisors_alerted')", id), ==, 1);
  now_with = assignee_of (f, id);
  g_assert_cmpstr (now_with, ==, first);
  g_assert_cmpint (sql_int (db, "SELECT escalation_level FROM incidents WHERE id = %" G_GINT64_FORMAT, id), ==, 1);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM notifications WHERE incident_id = %" G_GINT64_FORMAT
                            " AND kind = 'escalated'", id), ==, 0);
  steps = pending_steps (db, id);
  g_assert_cmpstr (steps, ==, "start");
}

/* --- The supervisors ---------------------------------------------------- */

static const HgEscalationPolicy supervisors_1 = { 3600, 3600, 1, 3600 };

static void
d04_off_duty (const char *db_path,
              gpointer    user_data)
{
  hg_test_sql (db_path, "DELETE FROM shifts WHERE staff_id = 'D04'");
}

static void
setup_supervisors (Fixture       *f,
                   gconstpointer  data)
{
  fixture_start (f, d04_off_duty, NULL, &supervisors_1);
}

static void
test_supervisors (Fixture       *f,
                  gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  gint64 id = post_critical (f, "P001");
  g_autofree char *assignee = assignee_of (f, id);
  g_autofree char *steps = NULL;
  g_autofree char *detail = NULL;
  const char *const supervisors[] = { "N01", "D01", "D02", "D03" };

  wait_for_action (db, id, "supervisors_alerted", 1);
  g_assert_cmpint (action_at (db, id, "supervisors_alerted") - action_at (db, id, "assigned"), >=, 1000);
  detail = sql_text (db, "SELECT detail FROM timeline WHERE incident_id = %" G_GINT64_FORMAT
                     " AND action = 'supervisors_alerted'", id);
  for (guint i = 0; i < G_N_ELEMENTS (supervisors); i++)
    {
      g_assert_cmpint (count_notifications (db, id, supervisors[i], "escalated"), ==, 1);
      g_assert_cmpint (count_alarms (db, id, supervisors[i], "escalated", 1), ==, 1);
      g_assert_nonnull (strstr (detail, supervisors[i]));
    }
  /* Off duty, or not a supervisor: not alerted. */
  g_assert_cmpint (count_notifications (db, id, "D04", "escalated"), ==, 0);
  g_assert_cmpint (count_notifications (db, id, "N02", "escalated"), ==, 0);
  g_assert_cmpint (count_notifications (db, id, assignee, "escalated"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT escalation_level FROM incidents WHERE id = %" G_GINT64_FORMAT, id), ==, 1);
  steps = pending_steps (db, id);
  g_assert_cmpstr (steps, ==, "reassign,remind");
}

/* Nobody may take it: the supervisors at once, then a new try every
 * reassign_after until someone can. */
static const HgEscalationPolicy retry_1 = { 3600, 1, 3600, 3600 };

static void
only_busy_supervisors (const char *db_path,
                       gpointer    user_data)
{
  hg_test_sql (db_path, "DELETE FROM shifts WHERE staff_id NOT IN ('N01', 'D01');"
                        "UPDATE staff SET available = 0, available_reason = 'break' WHERE id IN ('N01', 'D01')");
}

static void
setup_nobody (Fixture       *f,
              gconstpointer  data)
{
  fixture_start (f, only_busy_supervisors, NULL, &retry_1);
}

static void
test_nobody_to_take_it (Fixture       *f,
                        gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  gint64 id = post_critical (f, "P001");
  g_autofree char *message = NULL;
  g_autofree char *assignee = NULL;

  wait_for_action (db, id, "supervisors_alerted", 1);
  g_assert_cmpint (action_at (db, id, "supervisors_alerted") - action_at (db, id, "created"), <, 1000);
  g_assert_cmpint (count_notifications (db, id, "N01", "escalated"), >=, 1);
  g_assert_cmpint (count_alarms (db, id, "D01", "escalated", 1), ==, 1);

  /* The first retry finds nobody either; then D01 is back. */
  wait_for_action (db, id, "escalated", 1);
  hg_test_sql (db, "UPDATE staff SET available = 1 WHERE id = 'D01'");
  wait_for (db, "SELECT count(*) FROM incidents WHERE status = 'assigned'", 1);
  assignee = assignee_of (f, id);
  g_assert_cmpstr (assignee, ==, "D01");
  g_assert_cmpint (count_notifications (db, id, "D01", "escalated"), >=, 2);
  message = sql_text (db, "SELECT message FROM notifications WHERE incident_id = %" G_GINT64_FORMAT
                      " AND staff_id = 'D01' ORDER BY id DESC LIMIT 1", id);
  g_assert_nonnull (strstr (message, "escalated to you"));
}

/* --- Not started ------------------------------------------------------- */

static const HgEscalationPolicy start_1 = { 3600, 3600, 3600, 1 };

static void
setup_start (Fixture       *f,
             gconstpointer  data)
{
  fixture_start (f, NULL, NULL, &start_1);
}

static void
test_start_overdue (Fixture       *f,
                    gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  gint64 id = post_critical (f, "P001");
  g_autofree char *assignee = assignee_of (f, id);
  g_autofree char *steps = NULL;
  gint64 acknowledged_at;

  json_node_unref (act (f, id, assignee, "acknowledge", NULL, 200));
  acknowledged_at = sql_int (db, "SELECT acknowledged_at FROM incidents WHERE id = %" G_GINT64_FORMAT, id);
  wait_for_action (db, id, "start_overdue", 1);
  g_assert_cmpint (action_at (db, id, "start_overdue") - acknowledged_at, >=, 1000);
  g_assert_cmpint (action_at (db, id, "start_overdue") - acknowledged_at, <, 2000);
  g_assert_cmpint (count_notifications (db, id, assignee, "reminder"), ==, 1);
  g_assert_cmpint (count_alarms (db, id, assignee, "reminder", 1), ==, 1);
  g_assert_cmpint (count_notifications (db, id, "N01", "escalated"), ==, 1);
  g_assert_cmpint (count_alarms (db, id, "N01", "escalated", 1), ==, 1);

  json_node_unref (act (f, id, assignee, "start", NULL, 200));
  steps = pending_steps (db, id);
  g_assert_cmpstr (steps, ==, "");
}

/* --- A higher severity ---------------------------------------------------- */

static const HgEscalationPolicy remind_1 = { 1, 3600, 3600, 3600 };

static void
setup_remind (Fixture       *f,
              gconstpointer  data)
{
  fixture_start (f, NULL, NULL, &remind_1);
}

/* Raised from high (remind after 60 s) to critical (after 1 s): the
 * reminder comes on the critical policy, counted from the raise. */
static void
test_severity_raised (Fixture       *f,
                      gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  const char *high = "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\", \"severity\": \"high\"}";
  const char *critical = "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\", \"severity\": \"critical\"}";
  g_autoptr(JsonNode) first = hg_test_post_alert (f->ts, token_for (f, "N01"), high);
  g_autoptr(JsonNode) second = NULL;
  gint64 id = hg_test_json_int (first, "incident.id");
  gint64 assigned_at = action_at (db, id, "assigned");

  g_assert_cmpint (sql_int (db, "SELECT due_at FROM deadlines WHERE incident_id = %" G_GINT64_FORMAT
                            " AND step = 'remind'", id), ==, assigned_at + 60000);
  second = hg_test_post_alert (f->ts, token_for (f, "N01"), critical);
  g_assert_true (json_node_get_boolean (hg_test_json_get (second, "deduplicated")));
  g_assert_cmpstr (hg_test_json_string (second, "incident.severity"), ==, "critical");
  wait_for_action (db, id, "reminded", 1);
  g_assert_cmpint (action_at (db, id, "reminded") - action_at (db, id, "correlated"), >=, 1000);
  g_assert_cmpint (action_at (db, id, "reminded") - action_at (db, id, "correlated"), <, 2000);
  /* Never later than before, nor added. */
  g_assert_cmpint (sql_int (db, "SELECT due_at FROM deadlines WHERE incident_id = %" G_GINT64_FORMAT
                            " AND step = 'reassign'", id), ==, assigned_at + 180000);
}

/* --- By hand ------------------------------------------------------------ */

static void
test_by_hand (Fixture       *f,
              gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  gint64 id = post_critical (f, "P001");
  g_autofree char *first = assignee_of (f, id);
  g_autofree char *second = NULL;
  g_autofree char *steps = NULL;
  g_autofree char *last = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gint64 supervisors_due = sql_int (db, "SELECT due_at FROM deadlines WHERE incident_id = %" G_GINT64_FORMAT
                                    " AND step = 'supervisors'", id);
  const char *reason = "{\"reason\": \"no answer on the phone\"}";

  /* 1: the reminder, now; the timer will not send it again. */
  answer = act (f, id, "N01", "escalate", reason, 200);
  g_assert_cmpstr (hg_test_json_string (answer, "status"), ==, "assigned");
  g_assert_cmpstr (hg_test_json_string (answer, "assignee.id"), ==, first);
  g_assert_cmpint (hg_test_json_int (answer, "escalation_level"), ==, 1);
  last = sql_text (db, "SELECT action || '|' || actor_id || '|' || detail FROM timeline"
                   " WHERE incident_id = %" G_GINT64_FORMAT " ORDER BY id DESC LIMIT 1", id);
  g_assert_cmpstr (last, ==, "reminded|N01|no answer on the phone");
  g_assert_cmpint (count_notifications (db, id, first, "reminder"), ==, 1);
  steps = pending_steps (db, id);
  g_assert_cmpstr (steps, ==, "reassign,supervisors");

  /* 2: the next candidate; the supervisors still count from the start. */
  g_clear_pointer (&answer, json_node_unref);
  answer = act (f, id, "N01", "escalate", reason, 200);
  second = g_strdup (hg_test_json_string (answer, "assignee.id"));
  g_assert_cmpstr (second, !=, first);
  g_assert_cmpint (hg_test_json_int (answer, "escalation_level"), ==, 2);
  g_assert_cmpint (count_notifications (db, id, second, "escalated"), ==, 1);
  g_assert_cmpint (count_alarms (db, id, second, "escalated", 2), ==, 1);
  g_assert_cmpint (sql_int (db, "SELECT due_at FROM deadlines WHERE incident_id = %" G_GINT64_FORMAT
                            " AND step = 'supervisors'", id), ==, supervisors_due);

  /* 3: acknowledged, the one working on it asks for help. */
  json_node_unref (act (f, id, second, "acknowledge", NULL, 200));
  g_clear_pointer (&answer, json_node_unref);
  answer = act (f, id, second, "escalate", "{\"reason\": \"need a second pair of hands\"}", 200);
  g_assert_cmpstr (hg_test_json_string (answer, "status"), ==, "acknowledged");
  g_assert_cmpint (hg_test_json_int (answer, "escalation_level"), ==, 3);
  g_assert_cmpint (count_notifications (db, id, "N01", "escalated"), ==, 1);
  g_assert_cmpint (count_alarms (db, id, "D01", "escalated", 3), ==, 1);
  g_clear_pointer (&steps, g_free);
  steps = pending_steps (db, id);
  g_assert_cmpstr (steps, ==, "start");
}

/* --- Acceptance 3: a restart neither loses nor repeats a step ----------- */

typedef struct {
  GSubprocess *process;
  GThread     *drain;
  GMutex       lock;
  GCond        changed;
  guint        port;
  gboolean     eof;
  GString     *log;
} Server;

static gpointer
drain_stderr (gpointer data)
{
  Server *server = data;
  g_autoptr(GDataInputStream) lines =
    g_data_input_stream_new (g_subprocess_get_stderr_pipe (server->process));
  const char *prefix = "Listening on http://127.0.0.1:";
  char *line;

  while ((line = g_data_input_stream_read_line (lines, NULL, NULL, NULL)) != NULL)
    {
      const char *listening = strstr (line, prefix);

      g_mutex_lock (&server->lock);
      if (server->log->len < 256 * 1024)
        g_string_append_printf (server->log, "%s\n", line);
      if (listening != NULL && server->port == 0)
        {
          server->port = g_ascii_strtoull (listening + strlen (prefix), NULL, 10);
          g_cond_broadcast (&server->changed);
        }
      g_mutex_unlock (&server->lock);
      g_free (line);
    }
  g_mutex_lock (&server->lock);
  server->eof = TRUE;
  g_cond_broadcast (&server->changed);
  g_mutex_unlock (&server->lock);
  return NULL;
}

static Server *
server_spawn (const char *db_path,
              const char *config_path,
              gboolean    demo)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("HG_SERVER_BINARY");
  const char *argv[] = { binary, "--config", config_path, "--database", db_path,
                         "--listen", "127.0.0.1:0", demo ? "--demo" : NULL, NULL };
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_TIME_SPAN_SECOND;

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("HG_SERVER_BINARY must name the healthguard-server program; run with \"meson test\"");
  g_mutex_init (&server->lock);
  g_cond_init (&server->changed);
  server->log = g_string_new (NULL);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "HealthGuard-Escalator", TRUE);
  server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  server->drain = g_thread_new ("server-stderr", drain_stderr, server);

  g_mutex_lock (&server->lock);
  while (server->port == 0 && !server->eof)
    if (!g_cond_wait_until (&server->changed, &server->lock, deadline))
      break;
  g_mutex_unlock (&server->lock);
  if (server->port == 0)
    g_test_message ("healthguard-server did not say where it listens; its log:\n%s", server->log->str);
  g_assert_cmpuint (server->port, !=, 0);
  return server;
}

/* SIGKILL: no clean shutdown, no last checkpoint. */
static void
server_kill (Server *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server->process, SIGKILL);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_thread_join (g_steal_pointer (&server->drain));
  g_assert_false (g_subprocess_get_if_exited (server->process));
  g_clear_object (&server->process);
  g_string_free (server->log, TRUE);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->changed);
  g_free (server);
}

typedef struct {
  char *dir;
  char *db_path;
  char *config_path;
} Files;

static void
files_init (Files *files,
            guint  remind_after)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_strdup_printf ("[escalation.critical]\nremind_after=%u\nreassign_after=3600\n"
                                             "alert_supervisors_after=3600\nstart_within=3600\n",
                                             remind_after);

  files->dir = g_dir_make_tmp ("hg-escalation-XXXXXX", &error);
  g_assert_no_error (error);
  files->db_path = g_build_filename (files->dir, "server.db", NULL);
  files->config_path = g_build_filename (files->dir, "server.conf", NULL);
  g_file_set_contents (files->config_path, config, -1, &error);
  g_assert_no_error (error);
}

static void
files_clear (Files *files)
{
  g_autoptr(GDir) dir = g_dir_open (files->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (files->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (files->dir);
  g_free (files->dir);
  g_free (files->db_path);
  g_free (files->config_path);
}

/* Starts a demo server, posts one critical alert and kills the server at
 * once. Returns the incident id; *out_due is its remind deadline. */
static gint64
post_and_kill (Files  *files,
               gint64 *out_due)
{
  Server *server = server_spawn (files->db_path, files->config_path, TRUE);
  g_autoptr(JsonNode) login = hg_test_request_port (server->port, "POST", "/api/v1/auth/login", NULL,
                                                    "{\"staff_id\": \"N01\", \"password\": \"password123\"}", 200);
  g_autoptr(JsonNode) posted = hg_test_request_port (server->port, "POST", "/api/v1/alerts",
                                                     hg_test_json_string (login, "token"),
                                                     "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}", 201);
  gint64 id = hg_test_json_int (posted, "incident.id");

  server_kill (server);
  *out_due = sql_int (files->db_path, "SELECT due_at FROM deadlines WHERE incident_id = %" G_GINT64_FORMAT
                      " AND step = 'remind'", id);
  g_assert_cmpint (*out_due, >, g_get_real_time () / 1000);
  return id;
}

static void
assert_reminded_once (const char *db_path,
                      gint64      id)
{
  g_assert_cmpint (sql_int (db_path, "SELECT count(*) FROM timeline WHERE incident_id = %" G_GINT64_FORMAT
                            " AND action = 'reminded'", id), ==, 1);
  g_assert_cmpint (count_notifications (db_path, id, "S01", "reminder"), ==, 1);
  g_assert_cmpint (count_alarms (db_path, id, "S01", "reminder", -1), ==, 1);
  g_assert_cmpint (sql_int (db_path, "SELECT escalation_level FROM incidents WHERE id = %" G_GINT64_FORMAT, id),
                   ==, 1);
  g_assert_cmpint (sql_int (db_path, "SELECT count(*) FROM deadlines WHERE incident_id = %" G_GINT64_FORMAT
                            " AND step = 'remind'", id), ==, 0);
}

static void
test_restart_overdue (void)
{
  Files files;
  Server *server;
  gint64 due, id, started, at;

  files_init (&files, 2);
  id = post_and_kill (&files, &due);
  g_assert_cmpint (sql_int (files.db_path, "SELECT count(*) FROM timeline WHERE action = 'reminded'"), ==, 0);

  /* Down while the deadline passes: the step runs at once on restart. */
  sleep_until (due + 500);
  started = g_get_real_time () / 1000;
  server = server_spawn (files.db_path, files.config_path, FALSE);
  wait_for_action (files.db_path, id, "reminded", 1);
  at = action_at (files.db_path, id, "reminded");
  g_assert_cmpint (at, >=, started);
  g_assert_cmpint (at, <, (g_get_real_time () / 1000));
  g_usleep (G_USEC_PER_SEC);
  assert_reminded_once (files.db_path, id);

  /* Killed again after the step committed: it is not repeated. */
  server_kill (server);
  server = server_spawn (files.db_path, files.config_path, FALSE);
  g_usleep (G_USEC_PER_SEC);
  assert_reminded_once (files.db_path, id);
  server_kill (server);
  files_clear (&files);
}

static void
test_restart_pending (void)
{
  Files files;
  Server *server;
  gint64 due, id, at;

  files_init (&files, 4);
  id = post_and_kill (&files, &due);

  /* Back before the deadline: the step runs once, on time. */
  server = server_spawn (files.db_path, files.config_path, FALSE);
  g_assert_cmpint (g_get_real_time () / 1000, <, due);
  wait_for_action (files.db_path, id, "reminded", 1);
  at = action_at (files.db_path, id, "reminded");
  g_assert_cmpint (at, >=, due);
  g_assert_cmpint (at, <, due + 1000);
  g_usleep (G_USEC_PER_SEC);
  assert_reminded_once (files.db_path, id);
  server_kill (server);
  files_clear (&files);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/escalation/deadlines-follow-state", Fixture, NULL, setup_default,
              test_deadlines_follow_state, teardown);
  g_test_add ("/server/escalation/remind-then-reassign", Fixture, NULL, setup_remind_reassign,
              test_remind_then_reassign, teardown);
  g_test_add ("/server/escalation/acknowledge-stops", Fixture, NULL, setup_remind_reassign,
              test_acknowledge_stops, teardown);
  g_test_add ("/server/escalation/supervisors", Fixture, NULL, setup_supervisors,
              test_supervisors, teardown);
  g_test_add ("/server/escalation/nobody-to-take-it", Fixture, NULL, setup_nobody,
              test_nobody_to_take_it, teardown);
  g_test_add ("/server/escalation/start-overdue", Fixture, NULL, setup_start,
              test_start_overdue, teardown);
  g_test_add ("/server/escalation/severity-raised", Fixture, NULL, setup_remind,
              test_severity_raised, teardown);
  g_test_add ("/server/escalation/by-hand", Fixture, NULL, setup_default,
              test_by_hand, teardown);
  g_test_add_func ("/server/escalation/restart-overdue", test_restart_overdue);
  g_test_add_func ("/server/escalation/restart-pending", test_restart_pending);
  return g_test_run ();
}
