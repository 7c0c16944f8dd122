/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance: alerts become incidents given to the right person on duty. */
#include "config.h"

#include "hg-test-server.h"

typedef struct {
  HgTestServer *ts;
  char         *nurse;    /* N01, the charge nurse, posts the alerts */
} Fixture;

static void
take_off_duty (const char *db_path,
               gpointer    user_data)
{
  const char *where = user_data;
  g_autofree char *sql = g_strdup_printf ("DELETE FROM shifts WHERE staff_id IN "
                                          "(SELECT id FROM staff WHERE %s)", where);
  hg_test_sql (db_path, sql);
}

static void
setup_with (Fixture    *f,
            const char *off_duty)
{
  f->ts = hg_test_server_start (off_duty ? take_off_duty : NULL, (gpointer) off_duty);
  f->nurse = hg_test_login (f->ts, "N01");
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  setup_with (f, data);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_free (f->nurse);
  hg_test_server_stop (f->ts);
}

static JsonNode *
post (Fixture    *f,
      const char *type,
      const char *patient)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"%s\", \"patient_id\": \"%s\"}", type, patient);
  return hg_test_post_alert (f->ts, f->nurse, body);
}

static void
test_cardiac_to_cardiologist (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonNode) answer = post (f, "CARDIAC_ARREST", "P001");

  g_assert_false (json_node_get_boolean (hg_test_json_get (answer, "deduplicated")));
  g_assert_cmpstr (hg_test_json_string (answer, "incident.status"), ==, "assigned");
  g_assert_cmpstr (hg_test_json_string (answer, "incident.severity"), ==, "critical");
  g_assert_cmpstr (hg_test_json_string (answer, "incident.assignee.role"), ==, "specialist");
  g_assert_cmpstr (hg_test_json_string (answer, "incident.assignee.specialty"), ==, "cardiology");
  g_assert_cmpstr (hg_test_json_string (answer, "incident.patient.id"), ==, "P001");
  /* The location defaults to the patient's. */
  g_assert_cmpstr (hg_test_json_string (answer, "alert.location.ward"), ==,
                   hg_test_json_string (answer, "incident.patient.ward"));
}

static void
test_dedup (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) first = post (f, "CARDIAC_ARREST", "P001");
  g_autoptr(JsonNode) second = post (f, "CARDIAC_ARREST", "P001");

  g_assert_true (json_node_get_boolean (hg_test_json_get (second, "deduplicated")));
  g_assert_cmpint (hg_test_json_int (second, "incident.id"), ==, hg_test_json_int (first, "incident.id"));
  g_assert_cmpint (hg_test_json_int (second, "incident.alert_count"), ==, 2);
  g_assert_cmpint (hg_test_json_int (second, "alert.id"), !=, hg_test_json_int (first, "alert.id"));
  g_assert_cmpint (hg_test_sql_int (hg_test_server_db_path (f->ts), "SELECT count(*) FROM incidents"), ==, 1);
}

static void
test_dedup_window (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) first = post (f, "CARDIAC_ARREST", "P001");
  g_autoptr(JsonNode) second = NULL;

  /* The first incident was created six minutes ago: past the 5 min window. */
  hg_test_sql (hg_test_server_db_path (f->ts),
               "UPDATE incidents SET created_at = created_at - 360000");
  second = post (f, "CARDIAC_ARREST", "P001");
  g_assert_false (json_node_get_boolean (hg_test_json_get (second, "deduplicated")));
  g_assert_cmpint (hg_test_json_int (second, "incident.id"), !=, hg_test_json_int (first, "incident.id"));
}

static void
test_severity_raised (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) first = hg_test_post_alert (f->ts, f->nurse,
      "{\"type\": \"BED_EXIT\", \"patient_id\": \"P003\", \"severity\": \"low\"}");
  g_autoptr(JsonNode) second = hg_test_post_alert (f->ts, f->nurse,
      "{\"type\": \"BED_EXIT\", \"patient_id\": \"P003\", \"severity\": \"high\"}");
  g_autoptr(JsonNode) third = hg_test_post_alert (f->ts, f->nurse,
      "{\"type\": \"BED_EXIT\", \"patient_id\": \"P003\", \"severity\": \"medium\"}");
  g_autofree char *details = NULL;

  g_assert_cmpstr (hg_test_json_string (first, "incident.severity"), ==, "low");
  g_assert_cmpstr (hg_test_json_string (second, "incident.severity"), ==, "high");
  /* A lower one joins without lowering it. */
  g_assert_true (json_node_get_boolean (hg_test_json_get (third, "deduplicated")));
  g_assert_cmpstr (hg_test_json_string (third, "incident.severity"), ==, "high");
  g_assert_cmpint (hg_test_json_int (third, "incident.alert_count"), ==, 3);
  g_assert_cmpint (hg_test_json_int (third, "incident.version"), ==,
                   hg_test_json_int (first, "incident.version") + 2);
  details = hg_test_sql_text (hg_test_server_db_path (f->ts),
                              "SELECT group_concat(detail, ' | ') FROM"
                              " (SELECT detail FROM timeline WHERE action = 'correlated' ORDER BY id)");
  g_assert_cmpstr (details, ==, "alert 2; severity raised to high | alert 3");
}

static void
test_least_busy (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) first = post (f, "CARDIAC_ARREST", "P001");
  g_autoptr(JsonNode) second = post (f, "CARDIAC_ARREST", "P002");
  const char *a = hg_test_json_string (first, "incident.assignee.id");
  const char *b = hg_test_json_string (second, "incident.assignee.id");

  g_assert_cmpstr (hg_test_json_string (second, "incident.assignee.specialty"), ==, "cardiology");
  g_assert_cmpstr (a, !=, b);
  g_assert_true (g_strv_contains ((const char *[]) { "S01", "S02", NULL }, a));
  g_assert_true (g_strv_contains ((const char *[]) { "S01", "S02", NULL }, b));
}

static void
test_fallback_roles (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) answer = post (f, "CARDIAC_ARREST", "P001");

  /* No cardiologist on duty: the type's first fallback role. */
  g_assert_cmpstr (hg_test_json_string (answer, "incident.status"), ==, "assigned");
  g_assert_cmpstr (hg_test_json_string (answer, "incident.assignee.role"), ==, "emergency_doctor");
}

static void
test_second_fallback (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) answer = post (f, "CARDIAC_ARREST", "P001");

  g_assert_cmpstr (hg_test_json_string (answer, "incident.assignee.role"), ==, "charge_nurse");
  g_assert_cmpstr (hg_test_json_string (answer, "incident.assignee.id"), ==, "N01");
}

static void
test_anyone_on_duty (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) answer = post (f, "CARDIAC_ARREST", "P001");
  const char *role = hg_test_json_string (answer, "incident.assignee.role");

  g_assert_cmpstr (hg_test_json_string (answer, "incident.status"), ==, "assigned");
  g_assert_nonnull (role);
  g_assert_cmpstr (role, !=, "admin");
  g_assert_cmpstr (hg_test_json_string (answer, "incident.assignee.specialty"), !=, "cardiology");
}

static void
test_nobody_on_duty (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) answer = post (f, "CARDIAC_ARREST", "P001");
  g_autofree char *path = NULL;
  g_autofree char *nurse = hg_test_login (f->ts, "N04");
  g_autoptr(JsonNode) claimed = NULL;
  guint status;

  g_assert_cmpstr (hg_test_json_string (answer, "incident.status"), ==, "open");
  g_assert_true (hg_test_json_is_null (answer, "incident.assignee"));

  /* Anyone on staff may claim it; claiming counts as the acknowledgement. */
  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/claim",
                          hg_test_json_int (answer, "incident.id"));
  claimed = hg_test_request (f->ts, "POST", path, nurse, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hg_test_json_string (claimed, "status"), ==, "acknowledged");
  g_assert_cmpstr (hg_test_json_string (claimed, "assignee.id"), ==, "N04");
  g_assert_false (hg_test_json_is_null (claimed, "acknowledged_at"));
}

static void
test_ward_nurse (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) answer = post (f, "PATIENT_FALL", "P001");

  /* A fall goes to a nurse of the patient's own ward. */
  g_assert_cmpstr (hg_test_json_string (answer, "incident.assignee.role"), ==, "nurse");
  g_assert_cmpint (hg_test_sql_int (hg_test_server_db_path (f->ts),
                   "SELECT s.ward = p.ward FROM incidents i JOIN staff s ON s.id = i.assignee_id"
                   " JOIN patients p ON p.id = i.patient_id"), ==, 1);
}

static void
test_end_phase (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) critical = post (f, "CARDIAC_ARREST", "P001");
  g_autoptr(JsonNode) medium = post (f, "INFUSION_PUMP_OCCLUSION", "P002");
  g_autoptr(JsonNode) end_critical = hg_test_post_alert (f->ts, f->nurse,
      "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\", \"phase\": \"end\"}");
  g_autoptr(JsonNode) end_medium = hg_test_post_alert (f->ts, f->nurse,
      "{\"type\": \"INFUSION_PUMP_OCCLUSION\", \"patient_id\": \"P002\", \"phase\": \"end\"}");
  g_autoptr(JsonNode) end_nothing = hg_test_post_alert (f->ts, f->nurse,
      "{\"type\": \"SEIZURE\", \"patient_id\": \"P005\", \"phase\": \"end\"}");

  /* A monitor going quiet never closes a critical incident... */
  g_assert_cmpstr (hg_test_json_string (end_critical, "incident.status"), ==, "assigned");
  /* ...but an unacknowledged medium one ends with its cause. */
  g_assert_cmpstr (hg_test_json_string (end_medium, "incident.status"), ==, "resolved");
  g_assert_true (hg_test_json_is_null (end_nothing, "incident"));
  g_assert_cmpint (hg_test_sql_int (hg_test_server_db_path (f->ts), "SELECT count(*) FROM incidents"), ==, 2);
}

/* Routing reads each candidate's workload from a counter the database keeps
 * (migration 009); it must equal a count of their active incidents through
 * every kind of change, and routing must follow it. */
#define WORKLOAD_MISMATCHES \
  "SELECT count(*) FROM staff s WHERE s.active_incidents <> (SELECT count(*) FROM incidents i" \
  " WHERE i.assignee_id = s.id AND i.status IN ('assigned','acknowledged','in_progress'))"

static void
test_workload_counter (Fixture       *f,
                       gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  g_autoptr(JsonNode) first = post (f, "CARDIAC_ARREST", "P001");
  g_autoptr(JsonNode) second = post (f, "CARDIAC_ARREST", "P002");
  g_autoptr(JsonNode) pump = post (f, "INFUSION_PUMP_OCCLUSION", "P003");
  g_autoptr(JsonNode) pump_end = hg_test_post_alert (f->ts, f->nurse,
      "{\"type\": \"INFUSION_PUMP_OCCLUSION\", \"patient_id\": \"P003\", \"phase\": \"end\"}");
  g_autoptr(JsonNode) again = post (f, "CARDIAC_ARREST", "P001");
  g_autoptr(JsonNode) third = NULL;
  g_autofree char *resolve = NULL;
  const char *a = hg_test_json_string (first, "incident.assignee.id");
  const char *b = hg_test_json_string (second, "incident.assignee.id");

  g_assert_cmpstr (hg_test_json_string (pump_end, "incident.status"), ==, "resolved");
  g_assert_true (json_node_get_boolean (hg_test_json_get (again, "deduplicated")));
  g_assert_cmpint (hg_test_sql_int (db, WORKLOAD_MISMATCHES), ==, 0);
  g_assert_cmpint (hg_test_sql_int (db, "SELECT sum(active_incidents) FROM staff"), ==, 2);

  /* Reassigned, then resolved, from outside the server's own code paths. */
  hg_test_sql (db, "UPDATE incidents SET assignee_id = 'D01' WHERE patient_id = 'P002'");
  g_assert_cmpint (hg_test_sql_int (db, WORKLOAD_MISMATCHES), ==, 0);
  hg_test_sql (db, "UPDATE incidents SET assignee_id = 'S02' WHERE patient_id = 'P002'");
  resolve = g_strdup_printf ("UPDATE incidents SET status = 'resolved' WHERE assignee_id = '%s'", a);
  hg_test_sql (db, resolve);
  g_assert_cmpint (hg_test_sql_int (db, WORKLOAD_MISMATCHES), ==, 0);
  g_assert_cmpint (hg_test_sql_int (db, "SELECT sum(active_incidents) FROM staff"), ==, 1);

  /* The cardiologist whose incident was resolved now holds none: the next
   * cardiac arrest is theirs, not the one still busy. */
  third = post (f, "CARDIAC_ARREST", "P004");
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (hg_test_json_string (third, "incident.assignee.id"), ==, a);
  g_assert_cmpint (hg_test_sql_int (db, WORKLOAD_MISMATCHES), ==, 0);
}

/* An array is one job: those on duty are read once for all its alerts,
 * and each choice must still count the ones before it, as single posts
 * would. */
static void
test_array_spreads_load (Fixture       *f,
                         gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, f->nurse,
      "[{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"},"
      " {\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P002\"},"
      " {\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P003\"},"
      " {\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P004\"}]");
  const char *held[4];
  g_autoptr(JsonNode) single = NULL;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *path = g_strdup_printf ("results.%u.incident.assignee.id", i);

      held[i] = hg_test_json_string (answer, path);
      g_assert_true (g_strv_contains ((const char *[]) { "S01", "S02", NULL }, held[i]));
    }
  /* Two cardiologists on duty: each takes one, then one more each. */
  g_assert_cmpstr (held[0], !=, held[1]);
  g_assert_cmpstr (held[2], !=, held[3]);
  g_assert_cmpint (hg_test_sql_int (db, "SELECT active_incidents FROM staff WHERE id = 'S01'"), ==, 2);
  g_assert_cmpint (hg_test_sql_int (db, "SELECT active_incidents FROM staff WHERE id = 'S02'"), ==, 2);
  g_assert_cmpint (hg_test_sql_int (db, WORKLOAD_MISMATCHES), ==, 0);

  /* Then a single one, read afresh, goes to the one who waited longest. */
  single = post (f, "CARDIAC_ARREST", "P005");
  g_assert_cmpstr (hg_test_json_string (single, "incident.assignee.id"), ==, held[2]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, off) \
  g_test_add ("/server/assignment/" path, Fixture, off, setup, func, teardown)
  ADD ("cardiac-arrest-to-cardiologist", test_cardiac_to_cardiologist, NULL);
  ADD ("dedup", test_dedup, NULL);
  ADD ("dedup-window", test_dedup_window, NULL);
  ADD ("severity-raised", test_severity_raised, NULL);
  ADD ("least-busy-cardiologist", test_least_busy, NULL);
  ADD ("fallback-roles", test_fallback_roles, "specialty = 'cardiology'");
  ADD ("second-fallback", test_second_fallback, "specialty = 'cardiology' OR role = 'emergency_doctor'");
  ADD ("anyone-on-duty", test_anyone_on_duty,
       "specialty = 'cardiology' OR role IN ('emergency_doctor', 'charge_nurse')");
  ADD ("nobody-on-duty", test_nobody_on_duty, "1");
  ADD ("ward-nurse", test_ward_nurse, NULL);
  ADD ("end-phase", test_end_phase, NULL);
  ADD ("workload-counter", test_workload_counter, NULL);
  ADD ("array-spreads-load", test_array_spreads_load, NULL);
#undef ADD

  return g_test_run ();
}
