/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monitoring peers, for real: Debian's Prometheus scrapes a test server
 * with the shipped scrape configuration and reads
 * healthguard_incidents_created_total back through its HTTP API; Debian's
 * Alertmanager, with a webhook receiver pointed at the server, turns an
 * alert into an incident. Both programs come with build-aux/dev; without
 * them these tests fail, they do not skip. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "hg-test-server.h"

#define WAIT_SECONDS 60

static char *
find_program (const char *name)
{
  char *path = g_find_program_in_path (name);

  if (path == NULL)
    g_error ("%s is not installed (build-aux/dev installs it)", name);
  return path;
}

/* A port free now on 127.0.0.1 (the peer binds it a moment later). */
static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static char *
read_source_file (const char *relative)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", relative, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* GET @url as JSON; NULL while the peer is not answering yet. */
static JsonNode *
get_json (SoupSession *session,
          const char  *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (body == NULL || soup_message_get_status (msg) != 200 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static void
stop_peer (GSubprocess *peer)
{
  g_subprocess_send_signal (peer, SIGTERM);
  g_subprocess_wait (peer, NULL, NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                   NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static void
test_prometheus_scrapes (void)
{
  g_autofree char *prometheus = find_program ("prometheus");
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autofree char *nurse = hg_test_login (ts, "N03");
  g_autofree char *dir = g_dir_make_tmp ("hg-prometheus-XXXXXX", NULL);
  g_autofree char *shipped = read_source_file ("data/prometheus/prometheus.yml");
  g_autofree char *rules = read_source_file ("data/prometheus/healthguard-rules.yml");
  g_autofree char *shipped_target = g_strdup ("- targets: ['127.0.0.1:8088']");
  g_autofree char *target = g_strdup_printf ("- targets: ['127.0.0.1:%u']", hg_test_server_port (ts));
  g_autoptr(GString) config = g_string_new (shipped);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *config_path = g_build_filename (dir, "prometheus.yml", NULL);
  g_autofree char *storage_arg = g_strdup_printf ("--storage.tsdb.path=%s", data_dir);
  g_autofree char *config_arg = g_strdup_printf ("--config.file=%s", config_path);
  guint port = free_port ();
  g_autofree char *listen_arg = g_strdup_printf ("--web.listen-address=127.0.0.1:%u", port);
  g_autofree char *query = g_strdup_printf ("http://127.0.0.1:%u/api/v1/query?query="
                                            "sum(healthguard_incidents_created_total)", port);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GSubprocess) peer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  double value = -1;

  /* Three incidents before Prometheus looks. */
  json_node_unref (hg_test_post_alert (ts, nurse, "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P002\"}"));
  json_node_unref (hg_test_post_alert (ts, nurse, "{\"type\": \"PATIENT_FALL\", \"patient_id\": \"P003\"}"));
  json_node_unref (hg_test_post_alert (ts, nurse, "{\"type\": \"SEIZURE\", \"patient_id\": \"P004\"}"));

  /* The shipped file, pointed at the test server and scraping every
   * second instead of 15 (so the test takes seconds). */
  /* (the comment that explains how to do this names the line too) */
  g_assert_cmpuint (g_string_replace (config, shipped_target, target, 0), >=, 1);
  g_assert_cmpuint (g_string_replace (config, "scrape_interval: 15s", "scrape_interval: 1s", 0), >=, 1);
  g_string_replace (config, "scrape_timeout: 10s", "scrape_timeout: 1s", 0);
  write_file (dir, "prometheus.yml", config->str);
  write_file (dir, "healthguard-rules.yml", rules);

  peer = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                           prometheus, config_arg, storage_arg, listen_arg, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonNode) answer = get_json (session, query);
      JsonNode *result = answer ? hg_test_json_get (answer, "data.result.0.value.1") : NULL;

      if (result != NULL)
        {
          value = g_ascii_strtod (json_node_get_string (result), NULL);
          break;
        }
      g_usleep (G_USEC_PER_SEC / 4);
    }
  stop_peer (peer);
  remove_tree (dir);
  hg_test_server_stop (ts);
  if (value < 0)
    g_error ("Prometheus never had healthguard_incidents_created_total within %d s", WAIT_SECONDS);
  g_assert_cmpfloat (value, ==, 3);
}

static void
test_alertmanager_posts (void)
{
  g_autofree char *alertmanager = find_program ("prometheus-alertmanager");
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autofree char *admin = hg_test_login (ts, "A01");
  g_autofree char *dir = g_dir_make_tmp ("hg-alertmanager-XXXXXX", NULL);
  g_autofree char *webhook = hg_test_server_url (ts, "/api/v1/integrations/alertmanager");
  g_autoptr(JsonNode) key = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_arg = NULL;
  g_autofree char *storage_arg = g_strdup_printf ("--storage.path=%s", dir);
  guint port = free_port ();
  g_autofree char *listen_arg = g_strdup_printf ("--web.listen-address=127.0.0.1:%u", port);
  g_autofree char *alerts_url = g_strdup_printf ("http://127.0.0.1:%u/api/v2/alerts", port);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GSubprocess) peer = NULL;
  g_autoptr(GError) error = NULL;
  const char *db = hg_test_server_db_path (ts);
  gint64 deadline;
  guint status;
  gint64 incidents = 0;

  key = hg_test_request (ts, "POST", "/api/v1/integrations", admin, "{\"name\": \"alertmanager\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  /* The receiver as docs/OPERATIONS.md shows it. */
  config = g_strdup_printf ("route:\n"
                            "  receiver: healthguard\n"
                            "  group_wait: 0s\n"
                            "  group_interval: 1s\n"
                            "receivers:\n"
                            "  - name: healthguard\n"
                            "    webhook_configs:\n"
                            "      - url: '%s'\n"
                            "        send_resolved: true\n"
                            "        max_alerts: 500\n"
                            "        http_config:\n"
                            "          authorization:\n"
                            "            type: Bearer\n"
                            "            credentials: '%s'\n",
                            webhook, hg_test_json_string (key, "key"));
  write_file (dir, "alertmanager.yml", config);
  config_arg = g_strdup_printf ("--config.file=%s/alertmanager.yml", dir);
  peer = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                           alertmanager, config_arg, storage_arg, listen_arg, "--cluster.listen-address=", NULL);
  g_assert_no_error (error);

  /* What Prometheus would send: an alert with HealthGuard's labels. */
  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", alerts_url);
      static const char alert[] =
        "[{\"labels\": {\"alertname\": \"InfusionPumpOcclusion\","
        " \"healthguard_type\": \"INFUSION_PUMP_OCCLUSION\", \"patient_id\": \"P003\","
        " \"severity\": \"warning\"},"
        " \"annotations\": {\"summary\": \"Line occluded on pump 12B\"}}]";
      g_autoptr(GBytes) body = g_bytes_new_static (alert, strlen (alert));
      g_autoptr(GBytes) answer = NULL;

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      answer = soup_session_send_and_read (session, msg, NULL, NULL);
      if (answer != NULL && soup_message_get_status (msg) == 200)
        break;
      g_usleep (G_USEC_PER_SEC / 4);
    }

  while (g_get_monotonic_time () < deadline)
    {
      incidents = hg_test_sql_int (db, "SELECT count(*) FROM incidents WHERE alert_type = 'INFUSION_PUMP_OCCLUSION'"
                                       " AND patient_id = 'P003'");
      if (incidents > 0)
        break;
      g_usleep (G_USEC_PER_SEC / 4);
    }
  stop_peer (peer);
  if (incidents == 0)
    g_error ("Alertmanager's webhook never made the incident within %d s", WAIT_SECONDS);
  g_assert_cmpint (incidents, ==, 1);
  g_assert_cmpint (hg_test_sql_int (db, "SELECT count(*) FROM alerts WHERE source = 'alertmanager'"
                                        " AND posted_by = 'integration:alertmanager'"
                                        " AND message = 'Line occluded on pump 12B' AND length(dedup_key) = 16"), ==, 1);
  remove_tree (dir);
  hg_test_server_stop (ts);
}

/* Every metric name the dashboards and the rules use is one a live
 * server exports, with samples, after a scenario. */
static void
test_dashboards_match_live_scrape (void)
{
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autofree char *nurse = hg_test_login (ts, "N03");
  g_autofree char *dir = g_dir_make_tmp ("hg-scrape-XXXXXX", NULL);
  g_autofree char *scrape_path = g_build_filename (dir, "scrape.prom", NULL);
  g_autofree char *checker = g_test_build_filename (G_TEST_DIST, "monitoring", "check-dashboards.py", NULL);
  g_autofree char *dashboards = g_test_build_filename (G_TEST_DIST, "..", "data", "grafana", "dashboards", NULL);
  g_autofree char *rules = g_test_build_filename (G_TEST_DIST, "..", "data", "prometheus", "healthguard-rules.yml", NULL);
  g_autofree char *url = hg_test_server_url (ts, "/metrics");
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) scrape = NULL;
  g_autoptr(GSubprocess) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) incident = NULL;
  gint64 id;

  /* Something of everything: alerts, a deduplication, an acknowledgement
   * and a resolution (MTTA, MTTR), a stream would need a client: the gauge
   * is there at 0. */
  incident = hg_test_post_alert (ts, nurse, "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P002\"}");
  json_node_unref (hg_test_post_alert (ts, nurse, "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P002\"}"));
  id = hg_test_json_int (incident, "incident.id");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT assignee_id FROM incidents WHERE id = %" G_GINT64_FORMAT, id);
    g_autofree char *holder = hg_test_sql_text (hg_test_server_db_path (ts), sql);
    g_autofree char *token = hg_test_login (ts, holder);
    const char *actions[] = { "acknowledge", "start", "resolve" };

    for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
      {
        g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/%s", id, actions[i]);
        guint status;
        g_autoptr(JsonNode) answer = hg_test_request (ts, "POST", path, token, "{}", &status);

        g_assert_cmpuint (status, ==, 200);
      }
  }
  /* Twice: the first scrape is counted in the second. */
  for (int i = 0; i < 2; i++)
    {
      g_clear_object (&msg);
      g_clear_pointer (&scrape, g_bytes_unref);
      msg = soup_message_new ("GET", url);
      scrape = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    }
  g_file_set_contents (scrape_path, g_bytes_get_data (scrape, NULL), g_bytes_get_size (scrape), &error);
  g_assert_no_error (error);

  check = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                            "/usr/bin/python3", checker, "--dashboards", dashboards, "--rules", rules,
                            "--scrape", scrape_path, "--require-samples", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (check, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (check))
    g_error ("the dashboards or rules name metrics the server does not export:\n%s%s", out, err);
  g_unlink (scrape_path);
  g_rmdir (dir);
  hg_test_server_stop (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/monitoring/prometheus-scrapes", test_prometheus_scrapes);
  g_test_add_func ("/server/monitoring/alertmanager-posts", test_alertmanager_posts);
  g_test_add_func ("/server/monitoring/dashboards-match-live-scrape", test_dashboards_match_live_scrape);

  return g_test_run ();
}
