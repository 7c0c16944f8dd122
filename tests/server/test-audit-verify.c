/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance 4: `healthguard-server --verify-audit` passes on a healthy
 * database and fails after a row is altered with SQLite (the triggers
 * dropped first), and after the last row is deleted.
 *
 * These tests run the real program (HG_SERVER_BINARY, set by meson): the
 * server writes the trail, then the same program checks it. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hg-test-server.h"


typedef struct {
  char *dir;
  char *db;
  char *log;
} Files;

static void
files_init (Files *files)
{
  g_autoptr(GError) error = NULL;

  files->dir = g_dir_make_tmp ("hg-audit-verify-XXXXXX", &error);
  g_assert_no_error (error);
  files->db = g_build_filename (files->dir, "server.db", NULL);
  files->log = g_build_filename (files->dir, "server.log", NULL);
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
  g_free (files->db);
  g_free (files->log);
}

/* --- The server ------------------------------------------------------- */

static GSubprocess *
server_spawn (Files *files,
              guint *out_port)
{
  return hg_test_spawn_server (files->db, files->log, TRUE, out_port);
}

static char *
login (guint       port,
       const char *staff_id,
       const char *password,
       guint       expected_status)
{
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"%s\", \"password\": \"%s\","
                                           " \"station\": \"ward-3-desk\"}", staff_id, password);
  g_autoptr(JsonNode) answer = hg_test_request_port (port, "POST", "/api/v1/auth/login", NULL, body, expected_status);

  return expected_status == 200 ? g_strdup (hg_test_json_string (answer, "token")) : NULL;
}

/* Sign-ins, a failed one, an alert, an acknowledgement and a sign-out,
 * then a clean stop. */
static void
run_some_actions (Files *files)
{
  guint port;
  g_autoptr(GSubprocess) server = server_spawn (files, &port);
  g_autofree char *nurse = login (port, "N01", "password123", 200);
  g_autofree char *doctor = login (port, "S01", "password123", 200);
  g_autofree char *failed = login (port, "N02", "not-it", 401);
  g_autoptr(JsonNode) posted = hg_test_request_port (port, "POST", "/api/v1/alerts", nurse,
                                               "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}", 201);
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/acknowledge",
                                           hg_test_json_int (posted, "incident.id"));
  g_autoptr(JsonNode) acknowledged = hg_test_request_port (port, "POST", path, doctor, NULL, 200);
  g_autoptr(JsonNode) out = hg_test_request_port (port, "POST", "/api/v1/auth/logout", doctor, NULL, 204);
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
}

/* --- --verify-audit --------------------------------------------------- */

/* Runs the program with @args after --verify-audit; returns its exit
 * status and, in @out_stdout, what it printed. */
static int
verify (const char  *first_arg,
        const char  *second_arg,
        char       **out_stdout)
{
  const char *argv[] = { hg_test_server_binary (), "--verify-audit", first_arg, second_arg, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, &err, &error);
  g_assert_no_error (error);
  g_test_message ("--verify-audit %s %s: %s%s", first_arg, second_arg ? second_arg : "", *out_stdout, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static void
test_healthy (void)
{
  Files files = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_out = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  files_init (&files);
  run_some_actions (&files);
  /* settings, 2 sign-ins, 1 failure, acknowledge, sign-out */
  g_assert_cmpint (hg_test_sql_int (files.db, "SELECT count(*) FROM audit"), ==, 6);
  before = file_checksum (files.db);
  g_assert_cmpint (verify ("--database", files.db, &out), ==, 0);
  expected = g_strdup_printf ("audit chain OK: %" G_GINT64_FORMAT " rows\n",
                              hg_test_sql_int (files.db, "SELECT count(*) FROM audit"));
  g_assert_cmpstr (out, ==, expected);
  /* Read-only: the file is as it was. */
  after = file_checksum (files.db);
  g_assert_cmpstr (after, ==, before);

  /* The database named by a configuration file, as the server would. */
  config = g_build_filename (files.dir, "server.conf", NULL);
  text = g_strdup_printf ("[server]\ndatabase=%s\n", files.db);
  g_file_set_contents (config, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verify ("--config", config, &config_out), ==, 0);
  g_assert_cmpstr (config_out, ==, expected);
  files_clear (&files);
}

static void
test_altered (void)
{
  Files files = { 0 };
  g_autofree char *out = NULL;

  files_init (&files);
  run_some_actions (&files);
  hg_test_sql (files.db, "DROP TRIGGER audit_no_update;"
                         "UPDATE audit SET detail = '{\"station\":\"elsewhere\",\"address\":\"10.0.0.9\"}'"
                         " WHERE id = 3");
  g_assert_cmpint (verify ("--database", files.db, &out), ==, 1);
  g_assert_true (g_str_has_prefix (out, "audit chain broken at row 3: "));
  g_assert_nonnull (strstr (out, "altered"));
  files_clear (&files);
}

static void
test_last_deleted (void)
{
  Files files = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  gint64 last;

  files_init (&files);
  run_some_actions (&files);
  last = hg_test_sql_int (files.db, "SELECT max(id) FROM audit");
  /* Without sqlite_sequence nothing would tell: the chain before it holds. */
  hg_test_sql (files.db, "DROP TRIGGER audit_no_delete;"
                         "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)");
  g_assert_cmpint (verify ("--database", files.db, &out), ==, 1);
  expected = g_strdup_printf ("audit chain broken at row %" G_GINT64_FORMAT ": ", last);
  g_assert_true (g_str_has_prefix (out, expected));
  files_clear (&files);
}

static void
test_usage_errors (void)
{
  Files files = { 0 };
  g_autofree char *missing = NULL;
  g_autofree char *out = NULL;
  g_autofree char *demo_out = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *plain_out = NULL;

  files_init (&files);
  missing = g_build_filename (files.dir, "nothing-here.db", NULL);
  g_assert_cmpint (verify ("--database", missing, &out), ==, 2);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_assert_cmpint (verify ("--demo", NULL, &demo_out), ==, 2);

  /* A SQLite file without an audit trail is not one to vouch for. */
  plain = g_build_filename (files.dir, "plain.db", NULL);
  hg_test_sql (plain, "CREATE TABLE t (x)");
  g_assert_cmpint (verify ("--database", plain, &plain_out), ==, 2);
  files_clear (&files);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/audit-verify/healthy", test_healthy);
  g_test_add_func ("/server/audit-verify/altered", test_altered);
  g_test_add_func ("/server/audit-verify/last-deleted", test_last_deleted);
  g_test_add_func ("/server/audit-verify/usage-errors", test_usage_errors);
  return g_test_run ();
}
