/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What people read: alert types, staff, on-call, filters, statistics. */
#include "config.h"

#include "hg-test-server.h"

typedef struct {
  HgTestServer *ts;
  char         *token;   /* N01 */
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->ts = hg_test_server_start (NULL, NULL);
  f->token = hg_test_login (f->ts, "N01");
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_free (f->token);
  hg_test_server_stop (f->ts);
}

static JsonNode *
get_ok (Fixture    *f,
        const char *path)
{
  guint status;
  JsonNode *answer = hg_test_request (f->ts, "GET", path, f->token, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return answer;
}

static const char *
find_string_in (JsonArray  *array,
                const char *key,
                const char *value,
                const char *wanted)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, key), value) == 0)
        return json_object_get_string_member_with_default (object, wanted, NULL);
    }
  return NULL;
}

static void
test_alert_types (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) answer = get_ok (f, "/api/v1/alert-types");
  JsonArray *types = json_node_get_array (answer);
  static const char *const required[][4] = {
    { "CARDIAC_ARREST", "critical", "specialist", "cardiology" },
    { "RESPIRATORY_DISTRESS", "critical", "specialist", "pulmonology" },
    { "STROKE_SIGNS", "critical", "specialist", "neurology" },
    { "PATIENT_FALL", "high", "nurse", NULL },
    { "CALL_BUTTON", "low", "nurse", NULL },
    { "BED_EXIT", "medium", "nurse", NULL },
    { "INFUSION_PUMP_OCCLUSION", "medium", "nurse", NULL },
    { "EQUIPMENT_FAILURE", "medium", "nurse", NULL },
    { "NEWS2_URGENT", "high", NULL, NULL },
    { "NEWS2_EMERGENCY", "critical", NULL, NULL },
  };

  g_assert_cmpuint (json_array_get_length (types), ==, 33);
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_test_message ("alert type %s", required[i][0]);
      g_assert_cmpstr (find_string_in (types, "code", required[i][0], "severity"), ==, required[i][1]);
      if (required[i][2] != NULL)
        g_assert_cmpstr (find_string_in (types, "code", required[i][0], "required_role"), ==, required[i][2]);
      if (required[i][3] != NULL)
        g_assert_cmpstr (find_string_in (types, "code", required[i][0], "specialty"), ==, required[i][3]);
    }
  g_assert_nonnull (find_string_in (types, "code", "SPO2_LOW", "name"));
  g_assert_nonnull (find_string_in (types, "code", "ARRHYTHMIA", "name"));
  g_assert_nonnull (find_string_in (types, "code", "SEIZURE", "name"));
}

static void
test_staff (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) posted = hg_test_post_alert (f->ts, f->token,
      "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}");
  const char *doctor = hg_test_json_string (posted, "incident.assignee.id");
  g_autoptr(JsonNode) answer = get_ok (f, "/api/v1/staff");
  JsonArray *staff = json_node_get_array (hg_test_json_get (answer, "staff"));
  g_autofree char *path = g_strdup_printf ("/api/v1/staff/%s", doctor);
  g_autoptr(JsonNode) one = get_ok (f, path);
  g_autoptr(JsonNode) me = get_ok (f, "/api/v1/me");

  g_assert_cmpuint (json_array_get_length (staff), ==, 23);
  g_assert_cmpint (hg_test_json_int (one, "workload"), ==, 1);
  g_assert_true (json_node_get_boolean (hg_test_json_get (one, "on_duty")));
  g_assert_true (json_node_get_boolean (hg_test_json_get (one, "available")));
  /* The doctor has not signed in; the charge nurse has. */
  g_assert_false (json_node_get_boolean (hg_test_json_get (one, "logged_in")));
  g_assert_cmpstr (hg_test_json_string (me, "id"), ==, "N01");
  g_assert_cmpstr (hg_test_json_string (me, "role"), ==, "charge_nurse");
  g_assert_true (json_node_get_boolean (hg_test_json_get (me, "logged_in")));
}

static void
take_cardiologists_off (const char *db_path,
                        gpointer    user_data)
{
  hg_test_sql (db_path, "DELETE FROM shifts WHERE staff_id = 'S02'");
}

static void
setup_s02_off (Fixture       *f,
               gconstpointer  data)
{
  f->ts = hg_test_server_start (take_cardiologists_off, NULL);
  f->token = hg_test_login (f->ts, "N01");
}

static void
test_oncall (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) cardio = get_ok (f, "/api/v1/oncall/current?role=specialist&specialty=cardiology");
  g_autoptr(JsonNode) ward = get_ok (f, "/api/v1/oncall/current?role=nurse&ward=Cardiology");
  JsonArray *list = json_node_get_array (hg_test_json_get (cardio, "staff"));
  guint status;
  g_autoptr(JsonNode) bad = hg_test_request (f->ts, "GET", "/api/v1/oncall/current?role=surgeon",
                                             f->token, NULL, &status);

  /* S02 is off duty in this hospital. */
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (hg_test_json_string (cardio, "staff.0.id"), ==, "S01");
  list = json_node_get_array (hg_test_json_get (ward, "staff"));
  g_assert_cmpuint (json_array_get_length (list), >=, 1);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, i), "ward"),
                     ==, "Cardiology");
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (hg_test_json_string (bad, "error.field"), ==, "role");
}

static gint64
count_page (Fixture    *f,
            const char *query)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents?%s", query);
  g_autoptr(JsonNode) answer = get_ok (f, path);

  return json_array_get_length (json_node_get_array (hg_test_json_get (answer, "incidents")));
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) a = hg_test_post_alert (f->ts, f->token, "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}");
  g_autoptr(JsonNode) b = hg_test_post_alert (f->ts, f->token, "{\"type\": \"PATIENT_FALL\", \"patient_id\": \"P002\"}");
  g_autoptr(JsonNode) c = hg_test_post_alert (f->ts, f->token, "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P001\"}");
  g_autofree char *by_assignee = g_strdup_printf ("assignee=%s", hg_test_json_string (b, "incident.assignee.id"));
  g_autofree char *by_ward = g_strdup_printf ("ward=%s", hg_test_json_string (a, "incident.location.ward"));
  g_autofree char *doctor = hg_test_login (f->ts, hg_test_json_string (a, "incident.assignee.id"));
  guint status;
  g_autoptr(JsonNode) own = NULL;

  g_assert_cmpint (count_page (f, "status=assigned"), ==, 3);
  g_assert_cmpint (count_page (f, "status=open,resolved"), ==, 0);
  g_assert_cmpint (count_page (f, "severity=critical"), ==, 1);
  g_assert_cmpint (count_page (f, "severity=high,low"), ==, 2);
  g_assert_cmpint (count_page (f, "patient_id=P001"), ==, 2);
  g_assert_cmpint (count_page (f, by_assignee), >=, 1);
  g_assert_cmpint (count_page (f, by_ward), >=, 1);
  g_assert_cmpint (count_page (f, "patient_id=P001&severity=low"), ==, 1);

  /* assignee=me is the caller. */
  own = hg_test_request (f->ts, "GET", "/api/v1/incidents?assignee=me", doctor, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (own, "incidents"))), ==, 1);
  g_assert_cmpstr (hg_test_json_string (own, "incidents.0.alert_type"), ==, "CARDIAC_ARREST");
  g_assert_cmpstr (hg_test_json_string (c, "incident.severity"), ==, "low");
}

static void
test_alerts_read (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) posted = hg_test_post_alert (f->ts, f->token,
      "{\"type\": \"SPO2_LOW\", \"patient_id\": \"P003\", \"message\": \"SpO2 86%\","
      " \"source\": \"monitor-12\", \"labels\": {\"device\": \"MX450\"},"
      " \"occurred_at\": \"2026-11-22T10:15:30.123Z\"}");
  g_autofree char *path = g_strdup_printf ("/api/v1/alerts/%" G_GINT64_FORMAT, hg_test_json_int (posted, "alert.id"));
  g_autoptr(JsonNode) one = get_ok (f, path);
  g_autoptr(JsonNode) list = get_ok (f, "/api/v1/alerts?limit=10");

  g_assert_cmpstr (hg_test_json_string (one, "message"), ==, "SpO2 86%");
  g_assert_cmpstr (hg_test_json_string (one, "source"), ==, "monitor-12");
  g_assert_cmpstr (hg_test_json_string (one, "labels.device"), ==, "MX450");
  g_assert_cmpstr (hg_test_json_string (one, "occurred_at"), ==, "2026-11-22T10:15:30.123Z");
  g_assert_cmpstr (hg_test_json_string (one, "dedup_key"), ==, "SPO2_LOW/P003");
  g_assert_cmpint (hg_test_json_int (list, "alerts.0.id"), ==, hg_test_json_int (posted, "alert.id"));
  g_assert_true (hg_test_json_is_null (list, "next_cursor"));
}

static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  g_autoptr(JsonNode) answer = NULL;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P00%u\"}", i + 1);
      g_autoptr(JsonNode) posted = hg_test_post_alert (f->ts, f->token, body);
    }
  /* Acknowledged after 10, 20, 30 and 40 s; two resolved after 60 and 120 s. */
  hg_test_sql (db, "UPDATE incidents SET status = 'acknowledged', acknowledged_at = created_at + id * 10000");
  hg_test_sql (db, "UPDATE incidents SET status = 'resolved', resolved_at = created_at + id * 60000 WHERE id <= 2");
  answer = get_ok (f, "/api/v1/incidents/stats?window=3600");

  g_assert_cmpint (hg_test_json_int (answer, "window"), ==, 3600);
  g_assert_cmpint (hg_test_json_int (answer, "total"), ==, 4);
  g_assert_cmpint (hg_test_json_int (answer, "by_status.acknowledged"), ==, 2);
  g_assert_cmpint (hg_test_json_int (answer, "by_status.resolved"), ==, 2);
  g_assert_cmpint (hg_test_json_int (answer, "by_severity.low"), ==, 4);
  g_assert_cmpint (hg_test_json_int (answer, "mtta.count"), ==, 4);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (hg_test_json_get (answer, "mtta.mean")), 25.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (hg_test_json_get (answer, "mtta.p50")), 20.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (hg_test_json_get (answer, "mtta.p90")), 40.0, 1e-9);
  g_assert_cmpint (hg_test_json_int (answer, "mttr.count"), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (hg_test_json_get (answer, "mttr.mean")), 90.0, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/reads/alert-types", Fixture, NULL, setup, test_alert_types, teardown);
  g_test_add ("/server/reads/staff", Fixture, NULL, setup, test_staff, teardown);
  g_test_add ("/server/reads/filters", Fixture, NULL, setup, test_filters, teardown);
  g_test_add ("/server/reads/alerts", Fixture, NULL, setup, test_alerts_read, teardown);
  g_test_add ("/server/reads/stats", Fixture, NULL, setup, test_stats, teardown);
  g_test_add ("/server/reads/oncall", Fixture, NULL, setup_s02_off, test_oncall, teardown);
  return g_test_run ();
}
