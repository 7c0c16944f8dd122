/* SPDX-License-Identifier: GPL-3.0-or-later */
/* healthguard-server --backup=PATH, the real program (HG_SERVER_BINARY):
 * a copy taken while a demo server runs holds what the server answered
 * 201 for, passes PRAGMA integrity_check, and a second server serves it
 * as it is; a copy taken while alerts keep arriving is still whole; the
 * live database and its side files are never written over. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "hg-test-server.h"

#define POLL_MS          50
#define CALL_BUTTON      "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P002\"}"

/* --- Files ------------------------------------------------------------ */

typedef struct {
  char *dir;
  char *db;
  char *copy;
} Files;

static void
files_init (Files *files)
{
  g_autoptr(GError) error = NULL;

  files->dir = g_dir_make_tmp ("hg-backup-XXXXXX", &error);
  g_assert_no_error (error);
  files->db = g_build_filename (files->dir, "server.db", NULL);
  files->copy = g_build_filename (files->dir, "backup.db", NULL);
}

/* The folder's names, joined by spaces. */
static char *
files_list (Files *files)
{
  g_autoptr(GDir) dir = g_dir_open (files->dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
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
  g_free (files->copy);
}

/* --- The copy, read with SQLite alone -------------------------------- */

static sqlite3 *
open_read_only (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

/* Every row of @sql's first column, as text joined by "|". */
static char *
read_text (const char *path,
           const char *sql)
{
  sqlite3 *db = open_read_only (path);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (text, "%s%s", text->len > 0 ? "|" : "",
                            sqlite3_column_text (stmt, 0) ? (const char *) sqlite3_column_text (stmt, 0)
                                                          : "NULL");
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gint64
read_int (const char *path,
          const char *sql)
{
  g_autofree char *text = read_text (path, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

/* Whole, plain and consistent: what a restore needs. */
static void
assert_copy_sound (const char *copy)
{
  g_autofree char *integrity = read_text (copy, "PRAGMA integrity_check");
  g_autofree char *journal = read_text (copy, "PRAGMA journal_mode");
  g_autofree char *foreign = read_text (copy, "PRAGMA foreign_key_check");

  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpstr (journal, ==, "delete");
  g_assert_cmpstr (foreign, ==, "");
}

/* --- The server ------------------------------------------------------- */

typedef struct {
  GSubprocess *process;
  char        *log;
  guint        port;
} Server;

/* Starts the real program on @db and waits for the line that says where
 * it listens. */
static void
server_start (Server     *server,
              const char *db,
              gboolean    demo)
{
  server->log = g_strconcat (db, ".log", NULL);
  server->process = hg_test_spawn_server (db, server->log, demo, &server->port);
}

/* SIGTERM, a clean exit, and the log file gone. */
static void
server_stop (Server *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->process);
  g_unlink (server->log);
  g_clear_pointer (&server->log, g_free);
}

static char *
login (guint       port,
       const char *staff_id)
{
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"%s\", \"password\": \"password123\","
                                           " \"station\": \"ward-2-desk\"}", staff_id);
  g_autoptr(JsonNode) answer = hg_test_request_port (port, "POST", "/api/v1/auth/login", NULL, body, 200);

  return g_strdup (hg_test_json_string (answer, "token"));
}

/* The ids of every incident the server lists, newest first, joined by
 * "|" as read_text () joins them. */
static char *
listed_incidents (guint       port,
                  const char *token)
{
  g_autoptr(JsonNode) answer = hg_test_request_port (port, "GET", "/api/v1/incidents?limit=500", token, NULL, 200);
  JsonArray *incidents = json_node_get_array (hg_test_json_get (answer, "incidents"));
  g_autoptr(GString) ids = g_string_new (NULL);

  g_assert_true (hg_test_json_is_null (answer, "next_cursor"));
  for (guint i = 0; i < json_array_get_length (incidents); i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len > 0 ? "|" : "",
                            json_object_get_int_member (json_array_get_object_element (incidents, i), "id"));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* --- --backup --------------------------------------------------------- */

/* Runs the program with --backup=@target on @db; returns its exit status,
 * what it printed in @out_stdout and its complaints in @out_stderr. */
static int
backup (const char  *db,
        const char  *target,
        char       **out_stdout,
        char       **out_stderr)
{
  g_autofree char *option = g_strdup_printf ("--backup=%s", target);
  const char *argv[] = { hg_test_server_binary (), "--database", db, option, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("--backup=%s: %s%s", target, out, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
  return g_subprocess_get_exit_status (process);
}

static void
test_while_running (void)
{
  Files files = { 0 };
  Server live = { 0 };
  Server restored = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *out = NULL;
  g_autofree char *live_ids = NULL;
  g_autofree char *copy_ids = NULL;
  g_autofree char *restored_ids = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *expected_listing = NULL;
  g_autoptr(JsonNode) health = NULL;
  gint64 incidents, alerts;

  files_init (&files);
  server_start (&live, files.db, TRUE);
  token = login (live.port, "N03");
  /* Three presses of one call button: one incident. Two more with keys
   * of their own: an incident each. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) posted = hg_test_request_port (live.port, "POST", "/api/v1/alerts", token, CALL_BUTTON, 201);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P002\","
                                               " \"dedup_key\": \"bed-call-%u\"}", i);
      g_autoptr(JsonNode) posted = hg_test_request_port (live.port, "POST", "/api/v1/alerts", token, body, 201);
    }

  g_assert_cmpint (backup (files.db, files.copy, &out, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "backup of "));
  g_assert_nonnull (strstr (out, "integrity ok, audit chain OK: "));

  /* The copy, by itself: one plain file, no temporary left behind. */
  listing = files_list (&files);
  g_assert_null (strstr (listing, "backup.db-"));
  g_assert_null (strstr (listing, ".backup.db"));
  assert_copy_sound (files.copy);
  incidents = read_int (files.copy, "SELECT count(*) FROM incidents");
  alerts = read_int (files.copy, "SELECT count(*) FROM alerts");
  g_assert_cmpint (incidents, ==, 3);
  g_assert_cmpint (alerts, ==, 5);
  g_assert_cmpint (incidents, ==, read_int (files.db, "SELECT count(*) FROM incidents"));
  copy_ids = read_text (files.copy, "SELECT id FROM incidents ORDER BY id DESC");
  live_ids = listed_incidents (live.port, token);
  g_assert_cmpstr (copy_ids, ==, live_ids);
  server_stop (&live);

  /* A second server serves the copy as it is: no --demo, no restore step. */
  server_start (&restored, files.copy, FALSE);
  health = hg_test_request_port (restored.port, "GET", "/health", NULL, NULL, 200);
  g_assert_cmpstr (hg_test_json_string (health, "status"), ==, "ok");
  g_clear_pointer (&token, g_free);
  token = login (restored.port, "N03");
  restored_ids = listed_incidents (restored.port, token);
  g_assert_cmpstr (restored_ids, ==, copy_ids);
  server_stop (&restored);
  files_clear (&files);
}

/* Posts alerts, one after another, until told to stop. */
typedef struct {
  guint    port;
  char    *token;
  gint     posted;   /* answered 201 */
  gint     stop;
} Poster;

static gpointer
poster_main (gpointer user_data)
{
  Poster *poster = user_data;

  for (guint i = 0; !g_atomic_int_get (&poster->stop); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P002\","
                                               " \"dedup_key\": \"load-%u\"}", i);
      g_autoptr(JsonNode) posted = hg_test_request_port (poster->port, "POST", "/api/v1/alerts", poster->token,
                                                   body, 201);

      g_atomic_int_inc (&poster->posted);
    }
  return NULL;
}

static void
test_while_posting (void)
{
  Files files = { 0 };
  Server live = { 0 };
  Poster poster = { 0 };
  GThread *thread;

  files_init (&files);
  /* Some bulk first, so that a copy takes many steps of 256 pages. */
  hg_test_sql (files.db, "CREATE TABLE bulk (x BLOB);"
                         "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)"
                         " INSERT INTO bulk SELECT randomblob (3000) FROM n");
  server_start (&live, files.db, TRUE);
  poster.port = live.port;
  poster.token = login (live.port, "N03");
  thread = g_thread_new ("poster", poster_main, &poster);
  while (g_atomic_int_get (&poster.posted) < 5)
    g_usleep (POLL_MS * 1000);

  for (guint round = 0; round < 3; round++)
    {
      gint before = g_atomic_int_get (&poster.posted);
      gint after;
      gint64 alerts;

      g_assert_cmpint (backup (files.db, files.copy, NULL, NULL), ==, 0);
      after = g_atomic_int_get (&poster.posted);
      assert_copy_sound (files.copy);
      /* Everything answered 201 before the copy began is in it; at most
       * the one alert in flight when it ended is beyond the count. */
      alerts = read_int (files.copy, "SELECT count(*) FROM alerts");
      g_test_message ("round %u: %d posted before, %d after, %" G_GINT64_FORMAT " in the copy",
                      round, before, after, alerts);
      g_assert_cmpint (alerts, >=, before);
      g_assert_cmpint (alerts, <=, after + 1);
      g_assert_cmpint (read_int (files.copy, "SELECT count(*) FROM incidents"), ==, alerts);
      g_assert_cmpint (read_int (files.copy, "SELECT count(*) FROM bulk"), ==, 1500);
    }
  g_atomic_int_set (&poster.stop, 1);
  g_thread_join (thread);
  g_free (poster.token);
  server_stop (&live);
  files_clear (&files);
}

static void
test_refuses_live_files (void)
{
  Files files = { 0 };
  Server live = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *link = NULL;
  g_autofree char *dotted = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *integrity = NULL;
  g_autoptr(JsonNode) posted = NULL;
  g_autoptr(JsonNode) ready = NULL;
  const char *targets[4];

  files_init (&files);
  server_start (&live, files.db, TRUE);
  token = login (live.port, "N03");
  posted = hg_test_request_port (live.port, "POST", "/api/v1/alerts", token, CALL_BUTTON, 201);
  before = listed_incidents (live.port, token);
  link = g_build_filename (files.dir, "link.db", NULL);
  g_assert_cmpint (symlink (files.db, link), ==, 0);
  dotted = g_build_filename (files.dir, ".", "server.db", NULL);
  wal = g_strconcat (files.db, "-wal", NULL);

  /* The live database by its own name, another spelling of it, a link
   * to it, and its WAL. */
  targets[0] = files.db;
  targets[1] = dotted;
  targets[2] = link;
  targets[3] = wal;
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (backup (files.db, targets[i], NULL, &err), ==, 2);
      g_assert_nonnull (strstr (err, "refusing to write the backup over"));
    }
  /* A folder is not a file name. */
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (backup (files.db, files.dir, NULL, &err), ==, 2);
  }
  /* No database, no copy. */
  {
    g_autofree char *missing = g_build_filename (files.dir, "missing.db", NULL);
    g_autofree char *err = NULL;

    g_assert_cmpint (backup (missing, files.copy, NULL, &err), ==, 1);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (files.copy, G_FILE_TEST_EXISTS));
  }

  /* The server did not notice. */
  ready = hg_test_request_port (live.port, "GET", "/health/ready", NULL, NULL, 200);
  after = listed_incidents (live.port, token);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (read_int (files.db, "SELECT count(*) FROM alerts"), ==, 1);
  server_stop (&live);
  integrity = read_text (files.db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  files_clear (&files);
}

/* A copy that fails its checks: a SQLite file that is not HealthGuard's
 * is not put in place; a broken audit chain is, since it is the evidence,
 * but the exit status says so. */
static void
test_checks_the_copy (void)
{
  Files files = { 0 };
  Server live = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *plain_err = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *broken_err = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonNode) posted = NULL;

  files_init (&files);
  plain = g_build_filename (files.dir, "plain.db", NULL);
  hg_test_sql (plain, "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
  g_assert_cmpint (backup (plain, files.copy, NULL, &plain_err), ==, 1);
  g_assert_nonnull (strstr (plain_err, "audit"));
  g_assert_false (g_file_test (files.copy, G_FILE_TEST_EXISTS));
  listing = files_list (&files);
  g_assert_cmpstr (listing, ==, "plain.db");

  server_start (&live, files.db, TRUE);
  token = login (live.port, "N03");
  posted = hg_test_request_port (live.port, "POST", "/api/v1/alerts", token, CALL_BUTTON, 201);
  server_stop (&live);
  hg_test_sql (files.db, "DROP TRIGGER audit_no_update;"
                         "UPDATE audit SET detail = '{}' WHERE id = 2");
  g_assert_cmpint (backup (files.db, files.copy, NULL, &broken_err), ==, 3);
  expected = g_strdup_printf ("written to %s, but its audit chain is broken at row 2", files.copy);
  g_assert_nonnull (strstr (broken_err, expected));
  assert_copy_sound (files.copy);
  g_assert_cmpint (read_int (files.copy, "SELECT count(*) FROM alerts"), ==, 1);
  files_clear (&files);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/backup/while-running", test_while_running);
  g_test_add_func ("/server/backup/while-posting", test_while_posting);
  g_test_add_func ("/server/backup/refuses-live-files", test_refuses_live_files);
  g_test_add_func ("/server/backup/checks-the-copy", test_checks_the_copy);
  return g_test_run ();
}
