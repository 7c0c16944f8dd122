/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POST /api/v1/integrations/alertmanager: firing alerts open incidents,
 * the fingerprint deduplicates, resolved alerts end, unknown labels never
 * drop an alarm, a bad payload changes nothing. (test-monitoring.c has a
 * real Alertmanager post to it.) */
#include "config.h"

#include <string.h>

#include "hg-test-server.h"

typedef struct {
  HgTestServer *ts;
  char         *key;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autofree char *admin = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  f->ts = hg_test_server_start (NULL, NULL);
  admin = hg_test_login (f->ts, "A01");
  answer = hg_test_request (f->ts, "POST", "/api/v1/integrations", admin,
                            "{\"name\": \"alertmanager\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  f->key = g_strdup (hg_test_json_string (answer, "key"));
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_pointer (&f->ts, hg_test_server_stop);
  g_free (f->key);
}

static JsonNode *
post (Fixture    *f,
      const char *body,
      guint       expected_status)
{
  guint status;
  JsonNode *answer = hg_test_request (f->ts, "POST", "/api/v1/integrations/alertmanager",
                                      f->key, body, &status);

  g_assert_cmpuint (status, ==, expected_status);
  return answer;
}

#define FIRING(fp, labels) \
  "{\"status\": \"firing\", \"fingerprint\": \"" fp "\", \"startsAt\": \"2026-11-23T10:00:00Z\"," \
  " \"endsAt\": \"0001-01-01T00:00:00Z\", \"labels\": {" labels "}," \
  " \"annotations\": {\"summary\": \"Occlusion on pump 12B\"}}"
#define RESOLVED(fp, labels) \
  "{\"status\": \"resolved\", \"fingerprint\": \"" fp "\", \"startsAt\": \"2026-11-23T10:00:00Z\"," \
  " \"endsAt\": \"2026-11-23T10:05:00Z\", \"labels\": {" labels "}}"
#define PAYLOAD(alerts) \
  "{\"version\": \"4\", \"status\": \"firing\", \"receiver\": \"healthguard\", \"groupLabels\": {}," \
  " \"commonLabels\": {}, \"commonAnnotations\": {}, \"externalURL\": \"http://am:9093\"," \
  " \"groupKey\": \"{}\", \"truncatedAlerts\": 0, \"alerts\": [" alerts "]}"

#define PUMP "\"alertname\": \"PumpOcclusion\", \"healthguard_type\": \"INFUSION_PUMP_OCCLUSION\"," \
             " \"patient_id\": \"P003\", \"room\": \"12\", \"bed\": \"B\""

static void
test_firing_then_resolved (Fixture       *f,
                           gconstpointer  data)
{
  const char *db = hg_test_server_db_path (f->ts);
  g_autoptr(JsonNode) first = post (f, PAYLOAD (FIRING ("fp-pump-12b", PUMP)), 201);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) resolved = NULL;
  gint64 incident = hg_test_json_int (first, "results.0.incident.id");
  g_autofree char *sql = NULL;

  g_assert_cmpstr (hg_test_json_string (first, "results.0.incident.alert_type"), ==, "INFUSION_PUMP_OCCLUSION");
  g_assert_cmpstr (hg_test_json_string (first, "results.0.incident.patient.id"), ==, "P003");
  g_assert_cmpstr (hg_test_json_string (first, "results.0.alert.dedup_key"), ==, "fp-pump-12b");
  g_assert_cmpstr (hg_test_json_string (first, "results.0.alert.source"), ==, "alertmanager");
  g_assert_cmpstr (hg_test_json_string (first, "results.0.alert.message"), ==, "Occlusion on pump 12B");
  g_assert_cmpstr (hg_test_json_string (first, "results.0.alert.location.room"), ==, "12");
  g_assert_cmpstr (hg_test_json_string (first, "results.0.alert.labels.alertname"), ==, "PumpOcclusion");
  g_assert_false (hg_test_json_int (first, "results.0.deduplicated"));

  /* Alertmanager repeats a firing alert every repeat_interval: it joins. */
  again = post (f, PAYLOAD (FIRING ("fp-pump-12b", PUMP)), 201);
  g_assert_cmpint (hg_test_json_int (again, "results.0.incident.id"), ==, incident);
  g_assert_true (hg_test_json_int (again, "results.0.deduplicated"));
  g_assert_cmpint (hg_test_json_int (again, "results.0.incident.alert_count"), ==, 2);

  /* Resolved: phase end, on the same incident, at endsAt; a pump occlusion
   * is medium and nobody acknowledged it, so the end resolves it. */
  resolved = post (f, PAYLOAD (RESOLVED ("fp-pump-12b", PUMP)), 201);
  g_assert_cmpint (hg_test_json_int (resolved, "results.0.incident.id"), ==, incident);
  g_assert_cmpstr (hg_test_json_string (resolved, "results.0.alert.phase"), ==, "end");
  g_assert_cmpstr (hg_test_json_string (resolved, "results.0.alert.occurred_at"), ==, "2026-11-23T10:05:00.000Z");
  sql = g_strdup_printf ("SELECT count(*) FROM timeline WHERE incident_id = %" G_GINT64_FORMAT
                         " AND action = 'resolved' AND actor_id IS NULL", incident);
  g_assert_cmpint (hg_test_sql_int (db, sql), ==, 1);
  g_assert_cmpstr (hg_test_json_string (resolved, "results.0.incident.status"), ==, "resolved");
  g_assert_cmpint (hg_test_sql_int (db, "SELECT count(*) FROM alerts WHERE posted_by = 'integration:alertmanager'"),
                   ==, 3);
}

/* One payload, several alerts: one incident each, in order. */
static void
test_group (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) answer = post (f, PAYLOAD (FIRING ("fp-a", "\"alertname\": \"OxygenLow\", \"ward\": \"ICU\"") ","
                                                 FIRING ("fp-b", "\"alertname\": \"BedSensor\", \"healthguard_type\": \"BED_EXIT\","
                                                                 " \"patient_id\": \"P004\"")), 201);
  JsonArray *results = json_object_get_array_member (json_node_get_object (answer), "results");

  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  g_assert_cmpstr (hg_test_json_string (answer, "results.0.incident.alert_type"), ==, "EQUIPMENT_FAILURE");
  g_assert_cmpstr (hg_test_json_string (answer, "results.0.incident.location.ward"), ==, "ICU");
  g_assert_cmpstr (hg_test_json_string (answer, "results.1.incident.alert_type"), ==, "BED_EXIT");
  g_assert_cmpint (hg_test_json_int (answer, "results.0.incident.id"), !=,
                   hg_test_json_int (answer, "results.1.incident.id"));
}

/* A type or patient label that names nothing known still raises the alarm. */
static void
test_unknown_labels_keep_the_alarm (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(JsonNode) answer = post (f, PAYLOAD (FIRING ("fp-typo", "\"alertname\": \"GasLow\","
                                                         " \"healthguard_type\": \"MEDICAL_GAS_LOW\", \"patient_id\": \"P999\","
                                                         " \"room\": \"Theatre 2\"")), 201);

  g_assert_cmpstr (hg_test_json_string (answer, "results.0.incident.alert_type"), ==, "EQUIPMENT_FAILURE");
  g_assert_true (hg_test_json_is_null (answer, "results.0.alert.patient_id"));
  g_assert_cmpstr (hg_test_json_string (answer, "results.0.alert.labels.healthguard_type"), ==, "MEDICAL_GAS_LOW");
  g_assert_cmpstr (hg_test_json_string (answer, "results.0.alert.labels.patient_id"), ==, "P999");
  g_assert_cmpstr (hg_test_json_string (answer, "results.0.incident.location.room"), ==, "Theatre 2");
}

static void
test_refusals_change_nothing (Fixture       *f,
                              gconstpointer  data)
{
  static const struct {
    const char *body;
    guint       status;
    const char *code;
  } cases[] = {
    { "{\"version\": \"3\", \"alerts\": [{\"status\": \"firing\"}]}", 400, "unsupported_version" },
    { "{\"version\": \"4\", \"alerts\": []}", 400, "invalid_batch" },
    { PAYLOAD (FIRING ("fp-1", "\"alertname\": \"A\"") ", {\"status\": \"pending\"}"), 400, "invalid_field" },
    { "{\"version\": \"4\", \"alerts\": [", 400, "malformed_json" },
  };
  const char *db = hg_test_server_db_path (f->ts);
  g_autofree char *before = hg_test_fingerprint (db);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) answer = post (f, cases[i].body, cases[i].status);

      g_assert_cmpstr (hg_test_json_string (answer, "error.code"), ==, cases[i].code);
    }
  {
    g_autofree char *after = hg_test_fingerprint (db);

    g_assert_cmpstr (before, ==, after);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/alertmanager/firing-then-resolved", Fixture, NULL, setup, test_firing_then_resolved, teardown);
  g_test_add ("/server/alertmanager/group", Fixture, NULL, setup, test_group, teardown);
  g_test_add ("/server/alertmanager/unknown-labels", Fixture, NULL, setup, test_unknown_labels_keep_the_alarm, teardown);
  g_test_add ("/server/alertmanager/refusals", Fixture, NULL, setup, test_refusals_change_nothing, teardown);

  return g_test_run ();
}
