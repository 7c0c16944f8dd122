/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance: vital signs are scored (NEWS2), stored, and raise their
 * alert through the same ingestion as POST /alerts, in the same
 * transaction: deduplicated like any alert, and never one without the
 * other. The expected scores come from the RCP chart, not from the code. */
#include "config.h"

#include <string.h>

#include "hg-test-server.h"
#include "hg-types.h"

typedef struct {
  HgTestServer *ts;
  const char   *db;
  char         *nurse;    /* N01, the charge nurse of Cardiology */
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->ts = hg_test_server_start (NULL, NULL);
  f->db = hg_test_server_db_path (f->ts);
  f->nurse = hg_test_login (f->ts, "N01");
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_free (f->nurse);
  hg_test_server_stop (f->ts);
}

/* RR 26, SpO2 90 % on scale 1 on air, systolic 95, pulse 135, alert,
 * 39.5 °C: 3 + 3 + 0 + 2 + 3 + 0 + 2 = 13. */
#define ACCEPTANCE "{\"patient_id\": \"P001\", \"respiration_rate\": 26, \"spo2\": 90, \"spo2_scale\": 1," \
                   " \"on_oxygen\": false, \"systolic_bp\": 95, \"pulse\": 135," \
                   " \"consciousness\": \"alert\", \"temperature\": 39.5}"

/* A set of vitals for @patient with the given respiration rate, pulse,
 * oxygen and ACVPU; the rest scores 0. */
static char *
vitals_body (const char *patient,
             int         respiration_rate,
             int         pulse,
             gboolean    on_oxygen,
             const char *consciousness,
             const char *observed_at)
{
  g_autofree char *when = observed_at ? g_strdup_printf (", \"observed_at\": \"%s\"", observed_at)
                                      : g_strdup ("");

  return g_strdup_printf ("{\"patient_id\": \"%s\", \"respiration_rate\": %d, \"spo2\": 97,"
                          " \"on_oxygen\": %s, \"systolic_bp\": 125, \"pulse\": %d,"
                          " \"consciousness\": \"%s\", \"temperature\": 37.2%s}",
                          patient, respiration_rate, on_oxygen ? "true" : "false", pulse,
                          consciousness, when);
}

static JsonNode *
post_vitals (Fixture    *f,
             const char *token,
             const char *body)
{
  guint status;
  JsonNode *answer = hg_test_request (f->ts, "POST", "/api/v1/vitals", token, body, &status);

  if (status != 201)
    g_error ("POST /api/v1/vitals answered %u: %s", status, hg_test_json_string (answer, "error.message"));
  return answer;
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return hg_test_sql_int (f->db, sql);
}

/* --- Scoring and alerts ----------------------------------------------- */

static void
test_acceptance (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) answer = post_vitals (f, f->nurse, ACCEPTANCE);
  g_autoptr(JsonNode) incident = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sql = NULL;
  gint64 alert_id, incident_id;
  guint status;

  g_assert_cmpint (hg_test_json_int (answer, "news2.score"), ==, 13);
  g_assert_cmpstr (hg_test_json_string (answer, "news2.band"), ==, "high");
  g_assert_cmpint (hg_test_json_int (answer, "news2.parameters.respiration_rate"), ==, 3);
  g_assert_cmpint (hg_test_json_int (answer, "news2.parameters.spo2"), ==, 3);
  g_assert_cmpint (hg_test_json_int (answer, "news2.parameters.on_oxygen"), ==, 0);
  g_assert_cmpint (hg_test_json_int (answer, "news2.parameters.systolic_bp"), ==, 2);
  g_assert_cmpint (hg_test_json_int (answer, "news2.parameters.pulse"), ==, 3);
  g_assert_cmpint (hg_test_json_int (answer, "news2.parameters.consciousness"), ==, 0);
  g_assert_cmpint (hg_test_json_int (answer, "news2.parameters.temperature"), ==, 2);

  /* The alert as POST /alerts answers it. */
  g_assert_cmpstr (hg_test_json_string (answer, "alert.type"), ==, "NEWS2_EMERGENCY");
  g_assert_cmpstr (hg_test_json_string (answer, "alert.severity"), ==, "critical");
  g_assert_cmpstr (hg_test_json_string (answer, "alert.patient_id"), ==, "P001");
  g_assert_cmpstr (hg_test_json_string (answer, "alert.location.room"), ==, "204");
  g_assert_cmpstr (hg_test_json_string (answer, "alert.dedup_key"), ==, "NEWS2_EMERGENCY/P001");
  g_assert_cmpstr (hg_test_json_string (answer, "alert.message"), ==,
                   "NEWS2 13 (high): RR 3, SpO2 3, BP 2, pulse 3, temp 2");
  g_assert_cmpstr (hg_test_json_string (answer, "alert.labels.news2_score"), ==, "13");
  alert_id = hg_test_json_int (answer, "alert.id");
  incident_id = hg_test_json_int (answer, "alert.incident_id");
  g_assert_cmpint (incident_id, >, 0);

  /* An incident, assigned as the alert type says. */
  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT, incident_id);
  incident = hg_test_request (f->ts, "GET", path, f->nurse, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hg_test_json_string (incident, "alert_type"), ==, "NEWS2_EMERGENCY");
  g_assert_cmpstr (hg_test_json_string (incident, "severity"), ==, "critical");
  g_assert_cmpstr (hg_test_json_string (incident, "patient.id"), ==, "P001");
  g_assert_cmpstr (hg_test_json_string (incident, "assignee.role"), ==, "emergency_doctor");

  /* Stored with its scores, its author and its alert. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM vitals"), ==, 1);
  sql = g_strdup_printf ("SELECT count(*) FROM vitals WHERE patient_id = 'P001' AND score = 13"
                         " AND band = 'high' AND recorded_by = 'N01' AND temperature = 39.5"
                         " AND respiration_rate_score = 3 AND systolic_bp_score = 2"
                         " AND observed_at = received_at AND alert_id = %" G_GINT64_FORMAT, alert_id);
  g_assert_cmpint (count (f, sql), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM alerts WHERE posted_by = 'N01' AND source = 'news2'"), ==, 1);
}

static void
assert_urgent (JsonNode   *answer,
               guint       score,
               const char *band)
{
  g_assert_cmpint (hg_test_json_int (answer, "news2.score"), ==, score);
  g_assert_cmpstr (hg_test_json_string (answer, "news2.band"), ==, band);
  g_assert_cmpstr (hg_test_json_string (answer, "alert.type"), ==, "NEWS2_URGENT");
  g_assert_cmpstr (hg_test_json_string (answer, "alert.severity"), ==, "high");
  g_assert_cmpint (hg_test_json_int (answer, "alert.incident_id"), >, 0);
}

static void
test_urgent (Fixture       *f,
             gconstpointer  data)
{
  /* 5 without a 3: RR 22 (2), pulse 100 (1), oxygen (2). */
  g_autofree char *five = vitals_body ("P002", 22, 100, TRUE, "alert", NULL);
  /* 3 from one parameter alone: new confusion. */
  g_autofree char *three = vitals_body ("P003", 16, 70, FALSE, "confusion", NULL);
  /* 6: still urgent, not an emergency. */
  g_autofree char *six = vitals_body ("P005", 22, 120, TRUE, "alert", NULL);
  g_autoptr(JsonNode) a = post_vitals (f, f->nurse, five);
  g_autoptr(JsonNode) b = post_vitals (f, f->nurse, three);
  g_autoptr(JsonNode) c = post_vitals (f, f->nurse, six);

  assert_urgent (a, 5, "medium");
  assert_urgent (b, 3, "low-medium");
  g_assert_cmpint (hg_test_json_int (b, "news2.parameters.consciousness"), ==, 3);
  g_assert_cmpstr (hg_test_json_string (b, "alert.message"), ==, "NEWS2 3 (low-medium): ACVPU 3");
  assert_urgent (c, 6, "medium");
  g_assert_cmpint (count (f, "SELECT count(*) FROM incidents WHERE alert_type = 'NEWS2_URGENT'"
                             " AND severity = 'high'"), ==, 3);
}

static void
test_low (Fixture       *f,
          gconstpointer  data)
{
  /* 4 without a 3: RR 22 (2), pulse 115 (2). */
  g_autofree char *four = vitals_body ("P001", 22, 115, FALSE, "alert", NULL);
  g_autofree char *zero = vitals_body ("P001", 16, 70, FALSE, "alert", NULL);
  g_autoptr(JsonNode) a = post_vitals (f, f->nurse, four);
  g_autoptr(JsonNode) b = post_vitals (f, f->nurse, zero);

  g_assert_cmpint (hg_test_json_int (a, "news2.score"), ==, 4);
  g_assert_cmpstr (hg_test_json_string (a, "news2.band"), ==, "low");
  g_assert_true (hg_test_json_is_null (a, "alert"));
  g_assert_cmpint (hg_test_json_int (b, "news2.score"), ==, 0);
  g_assert_true (hg_test_json_is_null (b, "alert"));
  g_assert_cmpint (count (f, "SELECT count(*) FROM vitals WHERE alert_id IS NULL"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM alerts"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM incidents"), ==, 0);
}

static void
test_dedup (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *first = vitals_body ("P004", 22, 100, TRUE, "alert", NULL);
  g_autofree char *second = vitals_body ("P004", 16, 70, FALSE, "voice", NULL);
  g_autoptr(JsonNode) a = post_vitals (f, f->nurse, first);
  g_autoptr(JsonNode) b = post_vitals (f, f->nurse, second);
  gint64 incident = hg_test_json_int (a, "alert.incident_id");
  g_autofree char *sql = g_strdup_printf ("SELECT alert_count FROM incidents WHERE id = %" G_GINT64_FORMAT,
                                          incident);

  g_assert_cmpint (hg_test_json_int (b, "alert.incident_id"), ==, incident);
  g_assert_cmpint (hg_test_json_int (b, "alert.id"), >, hg_test_json_int (a, "alert.id"));
  g_assert_cmpint (count (f, sql), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM incidents"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM alerts"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(DISTINCT alert_id) FROM vitals"), ==, 2);
}

/* An integration key records as itself, on the vitals and on the alert. */
static void
test_key (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *admin = hg_test_login (f->ts, "A01");
  guint status;
  g_autoptr(JsonNode) made = hg_test_request (f->ts, "POST", "/api/v1/integrations", admin,
                                              "{\"name\": \"ward-monitor\"}", &status);
  g_autoptr(JsonNode) answer = NULL;

  g_assert_cmpuint (status, ==, 201);
  answer = post_vitals (f, hg_test_json_string (made, "key"), ACCEPTANCE);
  g_assert_cmpint (hg_test_json_int (answer, "news2.score"), ==, 13);
  g_assert_cmpint (count (f, "SELECT count(*) FROM vitals WHERE recorded_by = 'integration:ward-monitor'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM alerts WHERE posted_by = 'integration:ward-monitor'"), ==, 1);
}

/* --- Refusals --------------------------------------------------------- */

static const struct {
  const char *body;
  guint       status;
  const char *code;
  const char *field;
} refusals[] = {
  { "{\"patient_id\": \"P001\"", 400, "malformed_json", NULL },
  { "[]", 400, "invalid_request", NULL },
  { "{\"respiration_rate\": 26, \"spo2\": 90, \"on_oxygen\": false, \"systolic_bp\": 95, \"pulse\": 135,"
    " \"consciousness\": \"alert\", \"temperature\": 39.5}", 400, "missing_field", "patient_id" },
  { "{\"patient_id\": \"P001\", \"respiration_rate\": 26, \"spo2\": 90, \"on_oxygen\": false,"
    " \"systolic_bp\": 95, \"pulse\": 135, \"temperature\": 39.5}", 400, "missing_field", "consciousness" },
  { "{\"patient_id\": \"P001\", \"respiration_rate\": 26, \"spo2\": 90, \"systolic_bp\": 95,"
    " \"pulse\": 135, \"consciousness\": \"alert\", \"temperature\": 39.5}", 400, "missing_field", "on_oxygen" },
  { "{\"patient_id\": \"P001\", \"respiration_rate\": 26, \"spo2\": 190, \"on_oxygen\": false,"
    " \"systolic_bp\": 95, \"pulse\": 135, \"consciousness\": \"alert\", \"temperature\": 39.5}",
    400, "out_of_range", "spo2" },
  { "{\"patient_id\": \"P001\", \"respiration_rate\": 26, \"spo2\": 90, \"spo2_scale\": 3, \"on_oxygen\": false,"
    " \"systolic_bp\": 95, \"pulse\": 135, \"consciousness\": \"alert\", \"temperature\": 39.5}",
    400, "out_of_range", "spo2_scale" },
  { "{\"patient_id\": \"P001\", \"respiration_rate\": 26, \"spo2\": 90, \"on_oxygen\": false,"
    " \"systolic_bp\": \"95\", \"pulse\": 135, \"consciousness\": \"alert\", \"temperature\": 39.5}",
    400, "invalid_field", "systolic_bp" },
  { "{\"patient_id\": \"P001\", \"respiration_rate\": 26, \"spo2\": 90, \"on_oxygen\": false,"
    " \"systolic_bp\": 95, \"pulse\": 135, \"consciousness\": \"drowsy\", \"temperature\": 39.5}",
    400, "invalid_enum", "consciousness" },
  { "{\"patient_id\": \"P001\", \"respiration_rate\": 26, \"spo2\": 90, \"on_oxygen\": false,"
    " \"systolic_bp\": 95, \"pulse\": 135, \"consciousness\": \"alert\", \"temperature\": 103.1}",
    400, "out_of_range", "temperature" },
  { "{\"patient_id\": \"P001\", \"observed_at\": \"2999-01-01T00:00:00Z\", \"respiration_rate\": 26,"
    " \"spo2\": 90, \"on_oxygen\": false, \"systolic_bp\": 95, \"pulse\": 135, \"consciousness\": \"alert\","
    " \"temperature\": 39.5}", 400, "out_of_range", "observed_at" },
  { "{\"patient_id\": \"P999\", \"respiration_rate\": 26, \"spo2\": 90, \"on_oxygen\": false,"
    " \"systolic_bp\": 95, \"pulse\": 135, \"consciousness\": \"alert\", \"temperature\": 39.5}",
    422, "unknown_patient", "patient_id" },
  /* A low score for an unknown patient is refused all the same. */
  { "{\"patient_id\": \"P999\", \"respiration_rate\": 16, \"spo2\": 98, \"on_oxygen\": false,"
    " \"systolic_bp\": 120, \"pulse\": 70, \"consciousness\": \"alert\", \"temperature\": 37}",
    422, "unknown_patient", "patient_id" },
};

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *before = hg_test_fingerprint (f->db);

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autoptr(JsonNode) answer = NULL;
      g_autofree char *after = NULL;
      guint status;

      g_test_message ("refusing %s", refusals[i].body);
      answer = hg_test_request (f->ts, "POST", "/api/v1/vitals", f->nurse, refusals[i].body, &status);
      g_assert_cmpuint (status, ==, refusals[i].status);
      g_assert_cmpstr (hg_test_json_string (answer, "error.code"), ==, refusals[i].code);
      g_assert_cmpstr (hg_test_json_string (answer, "error.field"), ==, refusals[i].field);
      g_assert_cmpint (count (f, "SELECT count(*) FROM vitals"), ==, 0);
      after = hg_test_fingerprint (f->db);
      g_assert_cmpstr (after, ==, before);
    }
}

static void
no_news2_urgent (const char *db_path,
                 gpointer    user_data)
{
  hg_test_sql (db_path, "DELETE FROM alert_types WHERE code = 'NEWS2_URGENT'");
}

/* Never an observation without the alarm it calls for: a hospital that
 * lacks the alert type gets neither, and a 500 that an operator sees. */
static void
test_atomic (void)
{
  HgTestServer *ts = hg_test_server_start (no_news2_urgent, NULL);
  const char *db = hg_test_server_db_path (ts);
  g_autofree char *nurse = hg_test_login (ts, "N01");
  g_autofree char *urgent = vitals_body ("P002", 16, 70, FALSE, "pain", NULL);
  g_autofree char *low = vitals_body ("P002", 16, 70, FALSE, "alert", NULL);
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) fine = NULL;
  guint status;

  g_test_expect_message ("HealthGuard-Server", G_LOG_LEVEL_WARNING, "POST /api/v1/vitals failed*");
  refused = hg_test_request (ts, "POST", "/api/v1/vitals", nurse, urgent, &status);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (status, ==, 500);
  g_assert_cmpstr (hg_test_json_string (refused, "error.code"), ==, "alert_type_missing");
  g_assert_cmpint (hg_test_sql_int (db, "SELECT count(*) FROM vitals"), ==, 0);
  g_assert_cmpint (hg_test_sql_int (db, "SELECT count(*) FROM alerts"), ==, 0);

  /* What needs no alert is still recorded. */
  fine = hg_test_request (ts, "POST", "/api/v1/vitals", nurse, low, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpint (hg_test_sql_int (db, "SELECT count(*) FROM vitals"), ==, 1);
  hg_test_server_stop (ts);
}

/* --- Reading ---------------------------------------------------------- */

static char *
minutes_ago (int minutes)
{
  return hg_time_format (hg_time_now_ms () - (gint64) minutes * 60 * 1000);
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  /* Posted out of order: the chart is by observation time. */
  static const int ages[] = { 30, 10, 20, 40 };
  static const int rates[] = { 13, 14, 15, 16 };
  g_autoptr(JsonNode) page1 = NULL;
  g_autoptr(JsonNode) page2 = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autofree char *path = NULL;
  guint status;

  for (guint i = 0; i < G_N_ELEMENTS (ages); i++)
    {
      g_autofree char *when = minutes_ago (ages[i]);
      g_autofree char *body = vitals_body ("P006", rates[i], 70, FALSE, "alert", when);
      g_autoptr(JsonNode) answer = post_vitals (f, f->nurse, body);
    }
  {
    g_autofree char *body = vitals_body ("P007", 18, 70, FALSE, "alert", NULL);
    g_autoptr(JsonNode) answer = post_vitals (f, f->nurse, body);
  }

  page1 = hg_test_request (f->ts, "GET", "/api/v1/patients/P006/vitals?limit=3", f->nurse, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (page1, "vitals"))), ==, 3);
  g_assert_cmpint (hg_test_json_int (page1, "vitals.0.respiration_rate"), ==, 14);
  g_assert_cmpint (hg_test_json_int (page1, "vitals.1.respiration_rate"), ==, 15);
  g_assert_cmpint (hg_test_json_int (page1, "vitals.2.respiration_rate"), ==, 13);
  g_assert_cmpstr (hg_test_json_string (page1, "vitals.0.patient_id"), ==, "P006");
  g_assert_cmpstr (hg_test_json_string (page1, "vitals.0.recorded_by"), ==, "N01");
  g_assert_cmpstr (hg_test_json_string (page1, "vitals.0.consciousness"), ==, "alert");
  g_assert_cmpint (hg_test_json_int (page1, "vitals.0.news2.score"), ==, 0);
  g_assert_cmpstr (hg_test_json_string (page1, "vitals.0.news2.band"), ==, "low");
  g_assert_true (hg_test_json_is_null (page1, "vitals.0.alert_id"));
  g_assert_cmpfloat (json_node_get_double (hg_test_json_get (page1, "vitals.0.temperature")), ==, 37.2);
  g_assert_nonnull (hg_test_json_string (page1, "next_cursor"));

  path = g_strdup_printf ("/api/v1/patients/P006/vitals?limit=3&cursor=%s",
                          hg_test_json_string (page1, "next_cursor"));
  page2 = hg_test_request (f->ts, "GET", path, f->nurse, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (page2, "vitals"))), ==, 1);
  g_assert_cmpint (hg_test_json_int (page2, "vitals.0.respiration_rate"), ==, 16);
  g_assert_true (hg_test_json_is_null (page2, "next_cursor"));

  other = hg_test_request (f->ts, "GET", "/api/v1/patients/P008/vitals", f->nurse, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (other, "vitals"))), ==, 0);
  g_assert_true (hg_test_json_is_null (other, "next_cursor"));
}

static void
test_list_refusals (Fixture       *f,
                    gconstpointer  data)
{
  static const struct {
    const char *path;
    guint       status;
    const char *code;
  } cases[] = {
    { "/api/v1/patients/P999/vitals", 404, "not_found" },
    { "/api/v1/patients/P001/vitals?limit=0", 400, "invalid_field" },
    { "/api/v1/patients/P001/vitals?limit=501", 400, "invalid_field" },
    { "/api/v1/patients/P001/vitals?cursor=nope", 400, "invalid_cursor" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint status;
      g_autoptr(JsonNode) answer = hg_test_request (f->ts, "GET", cases[i].path, f->nurse, NULL, &status);

      g_assert_cmpuint (status, ==, cases[i].status);
      g_assert_cmpstr (hg_test_json_string (answer, "error.code"), ==, cases[i].code);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/server/vitals/acceptance", Fixture, NULL, setup, test_acceptance, teardown);
  g_test_add ("/server/vitals/urgent", Fixture, NULL, setup, test_urgent, teardown);
  g_test_add ("/server/vitals/low", Fixture, NULL, setup, test_low, teardown);
  g_test_add ("/server/vitals/dedup", Fixture, NULL, setup, test_dedup, teardown);
  g_test_add ("/server/vitals/key", Fixture, NULL, setup, test_key, teardown);
  g_test_add ("/server/vitals/refusals", Fixture, NULL, setup, test_refusals, teardown);
  g_test_add_func ("/server/vitals/atomic", test_atomic);
  g_test_add ("/server/vitals/list", Fixture, NULL, setup, test_list, teardown);
  g_test_add ("/server/vitals/list-refusals", Fixture, NULL, setup, test_list_refusals, teardown);
  return g_test_run ();
}
