/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GET /metrics: every metric of the contract from the first scrape, the
 * right values after a scenario, a refused request counts nothing, the
 * counters survive a restart, promtool accepts the text, and the optional
 * metrics token is enforced. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hg-test-server.h"

typedef struct {
  HgTestServer *ts;
} Fixture;

static char *
scrape_full (HgTestServer *ts,
             const char   *token,
             guint        *out_status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = hg_test_server_url (ts, "/metrics");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  if (*out_status == 200)
    g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                     ==, "text/plain");
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static char *
scrape (HgTestServer *ts)
{
  guint status;
  char *text = scrape_full (ts, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return text;
}

/* The value of one sample, written exactly as "name{labels}"; -1 when the
 * scrape has no such line. */
static double
value_of (const char *text,
          const char *series)
{
  g_autofree char *needle = g_strdup_printf ("\n%s ", series);
  const char *line = strstr (text, needle);

  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (needle), NULL);
}

static void
assert_value (const char *text,
              const char *series,
              double      expected)
{
  double value = value_of (text, series);

  if (value != expected)
    g_error ("%s is %g, expected %g", series, value, expected);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->ts = hg_test_server_start (NULL, NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_pointer (&f->ts, hg_test_server_stop);
}

/* Every family and every label set known in advance, at 0, before anything
 * happened. */
static void
test_first_scrape (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *text = scrape (f->ts);
  static const char *const families[] = {
    "healthguard_alerts_received_total counter", "healthguard_alerts_deduplicated_total counter",
    "healthguard_alert_processing_seconds histogram", "healthguard_incidents_created_total counter",
    "healthguard_incidents gauge", "healthguard_incident_mtta_seconds histogram",
    "healthguard_incident_mttr_seconds histogram", "healthguard_escalations_total counter",
    "healthguard_notifications_sent_total counter", "healthguard_websocket_clients gauge",
    "healthguard_staff_on_duty gauge", "healthguard_http_requests_total counter",
    "healthguard_http_request_duration_seconds histogram", "healthguard_build_info gauge",
    "process_cpu_seconds_total counter", "process_resident_memory_bytes gauge",
    "process_virtual_memory_bytes gauge", "process_open_fds gauge", "process_max_fds gauge",
    "process_start_time_seconds gauge",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (families); i++)
    {
      g_autofree char *type_line = g_strdup_printf ("# TYPE %s\n", families[i]);

      if (strstr (text, type_line) == NULL)
        g_error ("no family %s", families[i]);
    }
  assert_value (text, "healthguard_alerts_received_total{severity=\"low\",type=\"CARDIAC_ARREST\"}", 0);
  assert_value (text, "healthguard_alerts_received_total{severity=\"critical\",type=\"NEWS2_EMERGENCY\"}", 0);
  assert_value (text, "healthguard_alerts_deduplicated_total", 0);
  assert_value (text, "healthguard_incidents{status=\"in_progress\"}", 0);
  assert_value (text, "healthguard_incidents_created_total{severity=\"medium\"}", 0);
  assert_value (text, "healthguard_incident_mtta_seconds_bucket{severity=\"critical\",le=\"15\"}", 0);
  assert_value (text, "healthguard_incident_mtta_seconds_bucket{severity=\"critical\",le=\"3600\"}", 0);
  assert_value (text, "healthguard_incident_mttr_seconds_count{severity=\"low\"}", 0);
  assert_value (text, "healthguard_escalations_total{severity=\"high\",reason=\"supervisors\"}", 0);
  assert_value (text, "healthguard_notifications_sent_total{kind=\"reminder\"}", 0);
  assert_value (text, "healthguard_websocket_clients", 0);
  assert_value (text, "healthguard_http_request_duration_seconds_count{route=\"/api/v1/incidents/{id}/{action}\"}", 0);
  assert_value (text, "healthguard_alert_processing_seconds_count", 0);
  assert_value (text, "healthguard_build_info{version=\"" PACKAGE_VERSION "\"}", 1);
  /* The demo hospital's rota: everyone is on duty. */
  assert_value (text, "healthguard_staff_on_duty{role=\"nurse\"}", 5);
  assert_value (text, "healthguard_staff_on_duty{role=\"specialist\"}", 12);
  assert_value (text, "healthguard_staff_on_duty{role=\"emergency_doctor\"}", 4);
  g_assert_cmpfloat (value_of (text, "process_resident_memory_bytes"), >, 1e6);
  g_assert_cmpfloat (value_of (text, "process_open_fds"), >, 3);
  g_assert_cmpfloat (value_of (text, "process_start_time_seconds"), >, 1.7e9);
}

static gint64
post_alert (Fixture    *f,
            const char *token,
            const char *body)
{
  g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, token, body);

  return hg_test_json_int (answer, "incident.id");
}

static void
act (Fixture    *f,
     const char *token,
     gint64      id,
     const char *action,
     const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/%s", id, action);
  guint status;
  g_autoptr(JsonNode) answer = hg_test_request (f->ts, "POST", path, token, body ? body : "{}", &status);

  g_assert_cmpuint (status, ==, 200);
}

/* Prometheus's own linter on a scrape: the format, names, units, HELP and
 * TYPE lines. Debian's prometheus package has it (build-aux/dev installs
 * it); without it this fails rather than passing unchecked. */
static void
assert_promtool_accepts (const char *text)
{
  g_autofree char *promtool = g_find_program_in_path ("promtool");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;

  if (promtool == NULL)
    g_error ("promtool is not installed (Debian package prometheus)");
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, promtool, "check", "metrics", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, text, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc) || (out && *out) || (err && *err))
    g_error ("promtool check metrics: %s%s", out ? out : "", err ? err : "");
}

static void
test_scenario (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *nurse = hg_test_login (f->ts, "N03");
  g_autofree char *s01 = NULL;
  g_autofree char *fall_holder = NULL;
  g_autofree char *text = NULL;
  g_autofree char *holder = NULL;
  g_autofree char *sql = NULL;
  gint64 cardiac, fall;
  guint status;
  g_autoptr(JsonNode) refused = NULL;

  /* A cardiac arrest, posted twice (the second joins the first), then
   * acknowledged and resolved by whoever holds it. */
  cardiac = post_alert (f, nurse, "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}");
  g_assert_cmpint (post_alert (f, nurse, "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}"), ==, cardiac);
  sql = g_strdup_printf ("SELECT assignee_id FROM incidents WHERE id = %" G_GINT64_FORMAT, cardiac);
  holder = hg_test_sql_text (hg_test_server_db_path (f->ts), sql);
  s01 = hg_test_login (f->ts, holder);
  act (f, s01, cardiac, "acknowledge", NULL);
  act (f, s01, cardiac, "start", NULL);
  act (f, s01, cardiac, "resolve", "{\"note\": \"ROSC\"}");

  /* A fall, escalated by hand. */
  fall = post_alert (f, nurse, "{\"type\": \"PATIENT_FALL\", \"patient_id\": \"P002\"}");
  g_free (sql);
  sql = g_strdup_printf ("SELECT assignee_id FROM incidents WHERE id = %" G_GINT64_FORMAT, fall);
  g_free (holder);
  holder = hg_test_sql_text (hg_test_server_db_path (f->ts), sql);
  fall_holder = hg_test_login (f->ts, holder);
  act (f, fall_holder, fall, "escalate", "{\"reason\": \"needs two\"}");

  /* Refused: all or nothing, so nothing of it counts. */
  refused = hg_test_request (f->ts, "POST", "/api/v1/alerts", nurse,
                             "[{\"type\": \"SEIZURE\", \"patient_id\": \"P003\"},"
                             " {\"type\": \"SEIZURE\", \"patient_id\": \"P999\"}]", &status);
  g_assert_cmpuint (status, ==, 422);

  text = scrape (f->ts);
  assert_value (text, "healthguard_alerts_received_total{severity=\"critical\",type=\"CARDIAC_ARREST\"}", 2);
  assert_value (text, "healthguard_alerts_received_total{severity=\"high\",type=\"PATIENT_FALL\"}", 1);
  assert_value (text, "healthguard_alerts_received_total{severity=\"high\",type=\"SEIZURE\"}", 0);
  assert_value (text, "healthguard_alerts_deduplicated_total", 1);
  assert_value (text, "healthguard_incidents_created_total{severity=\"critical\"}", 1);
  assert_value (text, "healthguard_incidents_created_total{severity=\"high\"}", 1);
  assert_value (text, "healthguard_incidents{status=\"resolved\"}", 1);
  assert_value (text, "healthguard_incidents{status=\"open\"}", 0);
  assert_value (text, "healthguard_incidents{status=\"acknowledged\"}", 0);
  /* The fall is held by someone (reassigned on escalation) or open. */
  g_assert_cmpfloat (value_of (text, "healthguard_incidents{status=\"assigned\"}") +
                     value_of (text, "healthguard_incidents{status=\"open\"}"), ==, 1);
  /* Acknowledged within seconds: in every bucket from 5 s up. */
  assert_value (text, "healthguard_incident_mtta_seconds_count{severity=\"critical\"}", 1);
  assert_value (text, "healthguard_incident_mtta_seconds_bucket{severity=\"critical\",le=\"5\"}", 1);
  assert_value (text, "healthguard_incident_mtta_seconds_bucket{severity=\"critical\",le=\"+Inf\"}", 1);
  assert_value (text, "healthguard_incident_mtta_seconds_count{severity=\"high\"}", 0);
  g_assert_cmpfloat (value_of (text, "healthguard_incident_mtta_seconds_sum{severity=\"critical\"}"), <, 5);
  assert_value (text, "healthguard_incident_mttr_seconds_count{severity=\"critical\"}", 1);
  g_assert_cmpfloat (value_of (text, "healthguard_escalations_total{severity=\"high\",reason=\"manual\"}"), >=, 1);
  assert_value (text, "healthguard_escalations_total{severity=\"critical\",reason=\"manual\"}", 0);
  g_assert_cmpfloat (value_of (text, "healthguard_notifications_sent_total{kind=\"assigned\"}"), >=, 2);
  assert_value (text, "healthguard_http_requests_total{method=\"POST\",route=\"/api/v1/incidents/{id}/{action}\",code=\"200\"}", 4);
  assert_value (text, "healthguard_http_requests_total{method=\"POST\",route=\"/api/v1/alerts\",code=\"201\"}", 3);
  assert_value (text, "healthguard_http_requests_total{method=\"POST\",route=\"/api/v1/alerts\",code=\"422\"}", 1);
  assert_value (text, "healthguard_http_request_duration_seconds_count{route=\"/api/v1/alerts\"}", 4);
  assert_value (text, "healthguard_alert_processing_seconds_count", 3);
  assert_promtool_accepts (text);
}

/* Unknown paths and methods share one route label, whatever they are. */
static void
test_unmatched_routes (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *text = NULL;
  guint status;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("/no/such/path/%d", i);
      g_autoptr(JsonNode) answer = hg_test_request (f->ts, "GET", path, NULL, NULL, &status);

      g_assert_cmpuint (status, ==, 404);
    }
  text = scrape (f->ts);
  assert_value (text, "healthguard_http_requests_total{method=\"GET\",route=\"unmatched\",code=\"404\"}", 3);
  g_assert_null (strstr (text, "/no/such/path"));
}

/* The counters are in the database: a restart keeps them, as a Prometheus
 * counter must never go down while the service lives on. */
static void
put_kept_database (const char *db_path,
                   gpointer    user_data)
{
  const char *kept = user_data;
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_file_get_contents (kept, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (db_path, contents, len, &error);
  g_assert_no_error (error);
  g_unlink (wal);
  g_unlink (shm);
}

static void
test_survives_restart (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *nurse = hg_test_login (f->ts, "N03");
  g_autofree char *kept = g_build_filename (g_get_tmp_dir (), "hg-metrics-kept-XXXXXX.db", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *text = NULL;
  int fd;

  post_alert (f, nurse, "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P004\"}");
  post_alert (f, nurse, "{\"type\": \"SEIZURE\", \"patient_id\": \"P005\"}");
  fd = g_mkstemp (kept);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_unlink (kept);
  sql = g_strdup_printf ("VACUUM INTO '%s'", kept);
  hg_test_sql (hg_test_server_db_path (f->ts), sql);
  g_clear_pointer (&f->ts, hg_test_server_stop);

  f->ts = hg_test_server_start (put_kept_database, kept);
  text = scrape (f->ts);
  assert_value (text, "healthguard_alerts_received_total{severity=\"low\",type=\"CALL_BUTTON\"}", 1);
  assert_value (text, "healthguard_incidents_created_total{severity=\"high\"}", 1);
  assert_value (text, "healthguard_incidents{status=\"assigned\"}", 2);
  g_unlink (kept);
}

static void
test_metrics_token_configure (HgConfig *config,
                              gpointer  user_data)
{
  g_free (config->metrics_token);
  config->metrics_token = g_strdup ("scrape-secret-0123456789");
}

static void
test_metrics_token (void)
{
  HgTestServer *ts = hg_test_server_start_full (NULL, NULL, test_metrics_token_configure, NULL);
  g_autofree char *staff = hg_test_login (ts, "A01");
  g_autofree char *text = NULL;
  g_autofree char *none = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *admin = NULL;
  guint status;

  none = scrape_full (ts, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_nonnull (strstr (none, "missing_token"));
  wrong = scrape_full (ts, "scrape-secret-0123456780", &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_nonnull (strstr (wrong, "invalid_token"));
  /* A staff token is not the metrics token. */
  admin = scrape_full (ts, staff, &status);
  g_assert_cmpuint (status, ==, 401);
  text = scrape_full (ts, "scrape-secret-0123456789", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (text, "# TYPE healthguard_incidents gauge"));
  hg_test_server_stop (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/metrics/first-scrape", Fixture, NULL, setup, test_first_scrape, teardown);
  g_test_add ("/server/metrics/scenario", Fixture, NULL, setup, test_scenario, teardown);
  g_test_add ("/server/metrics/unmatched-routes", Fixture, NULL, setup, test_unmatched_routes, teardown);
  g_test_add ("/server/metrics/survives-restart", Fixture, NULL, setup, test_survives_restart, teardown);
  g_test_add_func ("/server/metrics/token", test_metrics_token);

  return g_test_run ();
}
