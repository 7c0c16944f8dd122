/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hg-test-server.h"

/* healthguard-sim against the real healthguard-server --demo on
 * 127.0.0.1 with a database of its own: each scenario, compressed with
 * --speed, must end with the summary it promises, and the server's state
 * over REST must agree with it. */

static const char *sim_binary;

/* --- The server ------------------------------------------------------- */

typedef struct {
  char        *dir;
  char        *db;
  char        *log;
  GSubprocess *process;
  guint        port;
  char        *url;
} Server;

#define LISTENING "Listening on http://127.0.0.1:"

/* hg_test_spawn_server () with a --config: the multi-patient test needs
 * escalation timers of seconds, not minutes. */
static GSubprocess *
spawn_with_config (Server     *server,
                   const char *config)
{
  g_autofree char *config_path = g_build_filename (server->dir, "server.conf", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  GSubprocess *process;

  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);
  g_subprocess_launcher_set_stderr_file_path (launcher, server->log);
  process = g_subprocess_launcher_spawn (launcher, &error, hg_test_server_binary (), "--config", config_path,
                                         "--database", server->db, "--listen", "127.0.0.1:0", "--demo", NULL);
  g_assert_no_error (error);
  while (server->port == 0 && g_get_monotonic_time () < deadline)
    {
      g_autofree char *text = NULL;
      const char *line;

      g_usleep (50 * 1000);
      if (g_file_get_contents (server->log, &text, NULL, NULL) && (line = strstr (text, LISTENING)) != NULL)
        server->port = g_ascii_strtoull (line + strlen (LISTENING), NULL, 10);
    }
  g_assert_cmpuint (server->port, !=, 0);
  return process;
}

static Server *
server_start (const char *config)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;

  server->dir = g_dir_make_tmp ("hg-sim-XXXXXX", &error);
  g_assert_no_error (error);
  server->db = g_build_filename (server->dir, "server.db", NULL);
  server->log = g_build_filename (server->dir, "server.log", NULL);
  if (config == NULL)
    server->process = hg_test_spawn_server (server->db, server->log, TRUE, &server->port);
  else
    server->process = spawn_with_config (server, config);
  server->url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  return server;
}

static void
server_stop (Server *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_object_unref (server->process);
  dir = g_dir_open (server->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (server->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (server->dir);
  g_free (server->dir);
  g_free (server->db);
  g_free (server->log);
  g_free (server->url);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_stop)

static char *
login (Server     *server,
       const char *staff_id)
{
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"%s\", \"password\": \"password123\"}", staff_id);
  g_autoptr(JsonNode) answer = hg_test_request_port (server->port, "POST", "/api/v1/auth/login", NULL, body, 200);

  return g_strdup (hg_test_json_string (answer, "token"));
}

/* Every incident, newest first. */
static JsonNode *
incidents (Server     *server,
           const char *token)
{
  return hg_test_request_port (server->port, "GET", "/api/v1/incidents?limit=500", token, NULL, 200);
}

static JsonNode *
incident (Server     *server,
          const char *token,
          gint64      id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT, id);

  return hg_test_request_port (server->port, "GET", path, token, NULL, 200);
}

static guint
count_timeline (JsonNode   *detail,
                const char *action,
                gboolean    by_server)
{
  JsonArray *timeline = json_node_get_array (hg_test_json_get (detail, "timeline"));
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (timeline); i++)
    {
      JsonNode *entry = json_array_get_element (timeline, i);

      if (g_strcmp0 (hg_test_json_string (entry, "action"), action) == 0 &&
          (!by_server || hg_test_json_is_null (entry, "actor")))
        n++;
    }
  return n;
}

/* --- The simulator ---------------------------------------------------- */

typedef struct {
  int    status;
  char  *out;
  char  *err;
  double seconds;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_sim (Run               *run,
         const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  g_ptr_array_add (argv, (gpointer) sim_binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("healthguard-sim exited %d after %.1f s\n%s%s", run->status, run->seconds, run->out, run->err);
}

/* The summary's line for @label ("incidents:"), without the label. */
static const char *
summary_line (Run        *run,
              const char *label)
{
  g_autofree char *needle = g_strdup_printf ("\n  %s ", label);
  const char *summary = strstr (run->out, "\nSummary: ");
  const char *line;

  g_assert_nonnull (summary);
  line = strstr (summary, needle);
  if (line == NULL)
    g_error ("no “%s” line in the summary:\n%s", label, summary);
  for (line += strlen (needle); *line == ' '; line++)
    ;
  return line;
}

/* The first number of that line. */
static gint64
summary_int (Run        *run,
             const char *label)
{
  const char *line = summary_line (run, label);

  g_assert_true (g_ascii_isdigit (*line));
  return g_ascii_strtoll (line, NULL, 10);
}

static gboolean
summary_has (Run        *run,
             const char *label,
             const char *text)
{
  const char *line = summary_line (run, label);
  const char *end = strchr (line, '\n');
  g_autofree char *copy = g_strndup (line, end ? (gsize) (end - line) : strlen (line));

  return strstr (copy, text) != NULL;
}

static void
assert_ran (Run *run)
{
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_nonnull (strstr (run->out, "\nSummary: "));
}

/* --- Arguments -------------------------------------------------------- */

static void
test_bad_arguments (void)
{
  static const char *const cases[][6] = {
    { NULL },
    { "no-such-scenario", NULL },
    { "load", "cardiac-emergency", NULL },
    { "load", "--rate", NULL },
    { "load", "--rate", "fast", NULL },
    { "load", "--rate", "0", NULL },
    { "load", "--rate", "nan", NULL },
    { "load", "--duration", "-1", NULL },
    { "load", "--duration", "ten", NULL },
    { "load", "--speed", "2", NULL },
    { "load", "--key", "hgk_x", "--new-key", NULL },
    { "cardiac-emergency", "--rate", "5", NULL },
    { "cardiac-emergency", "--patient", "P999", NULL },
    { "cardiac-emergency", "--speed", "0", NULL },
    { "vital-signs", "--patients", "9", NULL },
    { "vital-signs", "--patients", "four", NULL },
    { "multi-patient", "--respond", NULL },
    { "shift", "--server", "ftp://127.0.0.1:8088", NULL },
    { "shift", "--no-such-option", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      gboolean has_server = FALSE;

      for (guint j = 0; cases[i][j] != NULL; j++)
        {
          g_ptr_array_add (args, (gpointer) cases[i][j]);
          has_server |= g_str_equal (cases[i][j], "--server");
        }
      /* A server that is not there: nothing may get as far as connecting
       * (that would exit 1). A missing value stays missing, at the end. */
      if (!has_server && (args->len == 0 || !g_str_equal (args->pdata[args->len - 1], "--rate")))
        {
          g_ptr_array_add (args, (gpointer) "--server");
          g_ptr_array_add (args, (gpointer) "http://127.0.0.1:9");
        }
      g_ptr_array_add (args, NULL);
      run_sim (&run, (const char *const *) args->pdata);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "healthguard-sim: "));
      g_assert_nonnull (strstr (run.err, "\nUsage: healthguard-sim [OPTION…] SCENARIO\n"));
      g_assert_nonnull (strstr (run.err, "cardiac-emergency, multi-patient, vital-signs, shift, load"));
    }
}

static void
test_help (void)
{
  static const char *const args[] = { "--help", NULL };
  static const char *const names[] = { "cardiac-emergency", "multi-patient", "vital-signs", "shift", "load" };
  g_auto(Run) run = { 0 };

  run_sim (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_nonnull (strstr (run.out, names[i]));
  g_assert_nonnull (strstr (run.out, "--speed"));
}

static void
test_unreachable (void)
{
  static const char *const args[] = { "cardiac-emergency", "--server", "http://127.0.0.1:9", NULL };
  g_auto(Run) run = { 0 };

  run_sim (&run, args);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "healthguard-sim: cannot reach http://127.0.0.1:9"));
  g_assert_null (strstr (run.out, "\nSummary: "));
}

/* --- Scenarios -------------------------------------------------------- */

static void
test_cardiac_respond (void)
{
  g_autoptr(Server) server = server_start (NULL);
  const char *args[] = { "cardiac-emergency", "--respond", "--new-key", "--speed", "40", "--server", server->url,
                         NULL };
  g_auto(Run) run = { 0 };
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) detail = NULL;
  g_autoptr(JsonNode) keys = NULL;
  g_autofree char *admin = NULL;

  run_sim (&run, args);
  assert_ran (&run);
  g_assert_cmpint (summary_int (&run, "incidents:"), ==, 1);
  g_assert_true (summary_has (&run, "incidents:", "(critical 1)"));
  g_assert_true (summary_has (&run, "alerts:", "6 posted (1 ending a condition), 4 deduplicated"));
  g_assert_true (summary_has (&run, "acknowledged:", "1 of 1, MTTA mean "));
  g_assert_true (summary_has (&run, "resolved:", "1 of 1, MTTR mean "));
  g_assert_cmpint (summary_int (&run, "escalations:"), ==, 0);
  g_assert_true (summary_has (&run, "server:", "1 incident created, 1 acknowledged"));

  /* The server agrees: one incident, five alarms in it, answered by a
   * cardiologist, resolved; the run's key revoked. */
  token = login (server, "N01");
  list = incidents (server, token);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (list, "incidents"))), ==, 1);
  detail = incident (server, token, hg_test_json_int (list, "incidents.0.id"));
  g_assert_cmpstr (hg_test_json_string (detail, "status"), ==, "resolved");
  g_assert_cmpstr (hg_test_json_string (detail, "severity"), ==, "critical");
  g_assert_cmpint (hg_test_json_int (detail, "alert_count"), ==, 5);
  g_assert_cmpstr (hg_test_json_string (detail, "assignee.specialty"), ==, "cardiology");
  g_assert_false (hg_test_json_is_null (detail, "acknowledged_at"));
  g_assert_cmpuint (count_timeline (detail, "correlated", TRUE), ==, 4);
  g_assert_cmpuint (count_timeline (detail, "source_ended", TRUE), ==, 1);
  g_assert_cmpuint (count_timeline (detail, "note", FALSE), >=, 1);
  admin = login (server, "A01");
  keys = hg_test_request_port (server->port, "GET", "/api/v1/integrations", admin, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (keys, "integrations"))), ==, 1);
  g_assert_false (hg_test_json_is_null (keys, "integrations.0.revoked_at"));
}

static void
test_cardiac_no_answer (void)
{
  g_autoptr(Server) server = server_start (NULL);
  const char *args[] = { "cardiac-emergency", "--speed", "40", "--server", server->url, NULL };
  g_auto(Run) run = { 0 };
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) list = NULL;

  run_sim (&run, args);
  assert_ran (&run);
  g_assert_cmpint (summary_int (&run, "incidents:"), ==, 1);
  g_assert_true (summary_has (&run, "alerts:", "5 posted (0 ending a condition), 4 deduplicated"));
  g_assert_true (summary_has (&run, "acknowledged:", "0 of 1, MTTA –"));
  token = login (server, "N01");
  list = incidents (server, token);
  g_assert_cmpstr (hg_test_json_string (list, "incidents.0.status"), ==, "assigned");
}

#define SHORT_ESCALATION \
  "[escalation.critical]\n" \
  "remind_after=1\n" \
  "reassign_after=2\n" \
  "alert_supervisors_after=5\n" \
  "start_within=600\n"

static void
test_multi_patient (void)
{
  g_autoptr(Server) server = server_start (SHORT_ESCALATION);
  const char *args[] = { "multi-patient", "--speed", "20", "--escalation-wait", "30", "--server", server->url,
                         NULL };
  g_auto(Run) run = { 0 };
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GHashTable) wards = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint escalated = 0;
  JsonArray *array;

  run_sim (&run, args);
  assert_ran (&run);
  g_assert_cmpint (summary_int (&run, "incidents:"), ==, 8);
  g_assert_true (summary_has (&run, "incidents:", "in 4 wards"));
  g_assert_cmpint (summary_int (&run, "assignees:"), >=, 6);
  g_assert_cmpint (summary_int (&run, "escalations:"), >=, 1);
  g_assert_true (summary_has (&run, "acknowledged:", "8 of 8"));
  g_assert_true (summary_has (&run, "balancing:", "pulmonology specialists: S03, S04"));
  g_assert_true (summary_has (&run, "no answer:", "did not answer;"));

  /* The server's view: eight incidents in four wards, first given to
   * different people, one moved on by the escalation timer. */
  token = login (server, "N01");
  list = incidents (server, token);
  array = json_node_get_array (hg_test_json_get (list, "incidents"));
  g_assert_cmpuint (json_array_get_length (array), ==, 8);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autoptr(JsonNode) detail = incident (server, token, hg_test_json_int (item, "id"));
      JsonNode *assigned = hg_test_json_get (detail, "timeline.1");

      g_assert_cmpstr (hg_test_json_string (detail, "status"), ==, "resolved");
      g_hash_table_add (wards, (gpointer) hg_test_json_string (item, "location.ward"));
      g_assert_cmpstr (hg_test_json_string (assigned, "action"), ==, "assigned");
      g_hash_table_add (first, g_strdup (hg_test_json_string (assigned, "detail")));
      if (count_timeline (detail, "escalated", TRUE) > 0)
        {
          escalated++;
          g_assert_cmpstr (hg_test_json_string (detail, "alert_type"), ==, "STROKE_SIGNS");
          g_assert_cmpint (hg_test_json_int (detail, "escalation_level"), >=, 1);
          g_assert_false (g_str_has_prefix (hg_test_json_string (assigned, "detail"),
                                            hg_test_json_string (detail, "assignee.id")));
        }
    }
  g_assert_cmpuint (g_hash_table_size (wards), ==, 4);
  g_assert_cmpuint (g_hash_table_size (first), ==, 8);
  g_assert_cmpuint (escalated, ==, 1);
}

static void
test_vital_signs (void)
{
  g_autoptr(Server) server = server_start (NULL);
  const char *args[] = { "vital-signs", "--respond", "--speed", "30", "--server", server->url, NULL };
  g_auto(Run) run = { 0 };
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) vitals = NULL;

  run_sim (&run, args);
  assert_ran (&run);
  g_assert_cmpint (summary_int (&run, "incidents:"), ==, 2);
  g_assert_true (summary_has (&run, "NEWS2 trend:", "P005 Henrik Lindqvist: 0 → 1 → 3 → 5 → 6 → 7 → 16"));
  g_assert_true (summary_has (&run, "urgent:", "(NEWS2_URGENT) from round 4"));
  g_assert_true (summary_has (&run, "emergency:", "(NEWS2_EMERGENCY) from round 6"));
  g_assert_true (summary_has (&run, "observations:", "28 posted for 4 patients in 7 rounds, 4 raised an alert"));
  g_assert_true (summary_has (&run, "resolved:", "2 of 2"));

  /* Newest first: the emergency after the urgent one, two scores each. */
  token = login (server, "N01");
  list = incidents (server, token);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (list, "incidents"))), ==, 2);
  g_assert_cmpstr (hg_test_json_string (list, "incidents.0.alert_type"), ==, "NEWS2_EMERGENCY");
  g_assert_cmpstr (hg_test_json_string (list, "incidents.0.severity"), ==, "critical");
  g_assert_cmpstr (hg_test_json_string (list, "incidents.1.alert_type"), ==, "NEWS2_URGENT");
  g_assert_cmpstr (hg_test_json_string (list, "incidents.1.patient.id"), ==, "P005");
  g_assert_cmpint (hg_test_json_int (list, "incidents.0.alert_count"), ==, 2);
  g_assert_cmpint (hg_test_json_int (list, "incidents.1.alert_count"), ==, 2);
  vitals = hg_test_request_port (server->port, "GET", "/api/v1/patients/P005/vitals?limit=500", token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (vitals, "vitals"))), ==, 7);
  g_assert_cmpint (hg_test_json_int (vitals, "vitals.0.news2.score"), ==, 16);
}

static void
test_shift (void)
{
  g_autoptr(Server) server = server_start (NULL);
  const char *args[] = { "shift", "--speed", "30", "--server", server->url, NULL };
  g_auto(Run) run = { 0 };
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) nurse = NULL;
  JsonArray *array;

  run_sim (&run, args);
  assert_ran (&run);
  g_assert_cmpint (summary_int (&run, "incidents:"), ==, 3);
  g_assert_true (summary_has (&run, "handovers:", "3 handed over, 0 failed"));
  g_assert_true (summary_has (&run, "shift:", "in_progress"));
  g_assert_true (summary_has (&run, "taken over:", "3 of 3 by the next shift"));

  /* Each incident was N02's, and went to someone else at the end of
   * N02's shift; N02 is on duty again for the next demo. */
  token = login (server, "N01");
  list = incidents (server, token);
  array = json_node_get_array (hg_test_json_get (list, "incidents"));
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(JsonNode) detail = incident (server, token,
                                             hg_test_json_int (json_array_get_element (array, i), "id"));

      g_assert_cmpuint (count_timeline (detail, "handover", TRUE), ==, 1);
      g_assert_cmpstr (hg_test_json_string (detail, "status"), ==, "resolved");
      g_assert_cmpstr (hg_test_json_string (detail, "assignee.id"), !=, "N02");
    }
  nurse = hg_test_request_port (server->port, "GET", "/api/v1/staff/N02", token, NULL, 200);
  g_assert_true (json_node_get_boolean (hg_test_json_get (nurse, "on_duty")));
}

static void
test_load (void)
{
  g_autoptr(Server) server = server_start (NULL);
  const char *args[] = { "load", "--rate", "25", "--duration", "2", "--new-key", "--server", server->url, NULL };
  g_auto(Run) run = { 0 };
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) stats = NULL;
  g_autoptr(JsonNode) alerts = NULL;

  run_sim (&run, args);
  assert_ran (&run);
  g_assert_true (summary_has (&run, "asked:", ": 50 alerts"));
  g_assert_true (summary_has (&run, "alerts:", "50 sent in 2."));
  g_assert_true (summary_has (&run, "alerts:", "50 accepted, 0 refused"));
  g_assert_true (summary_has (&run, "incidents:", "50 opened"));
  g_assert_true (summary_has (&run, "server:", "50 incidents created"));
  /* At the rate, not all at once: the last alert is due after 1.96 s. */
  g_assert_cmpfloat (run.seconds, >=, 1.9);

  token = login (server, "N01");
  stats = hg_test_request_port (server->port, "GET", "/api/v1/incidents/stats?window=3600", token, NULL, 200);
  g_assert_cmpint (hg_test_json_int (stats, "total"), ==, 50);
  alerts = hg_test_request_port (server->port, "GET", "/api/v1/alerts?limit=500", token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (alerts, "alerts"))), ==, 50);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sim_binary = g_getenv ("HG_SIM_BINARY");
  if (sim_binary == NULL || !g_file_test (sim_binary, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("HG_SIM_BINARY must name the healthguard-sim program; run with \"meson test\"");

  g_test_add_func ("/sim/args/bad", test_bad_arguments);
  g_test_add_func ("/sim/args/help", test_help);
  g_test_add_func ("/sim/unreachable", test_unreachable);
  g_test_add_func ("/sim/cardiac-emergency/respond", test_cardiac_respond);
  g_test_add_func ("/sim/cardiac-emergency/no-answer", test_cardiac_no_answer);
  g_test_add_func ("/sim/multi-patient", test_multi_patient);
  g_test_add_func ("/sim/vital-signs", test_vital_signs);
  g_test_add_func ("/sim/shift", test_shift);
  g_test_add_func ("/sim/load", test_load);
  return g_test_run ();
}
