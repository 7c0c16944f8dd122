/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A database a newer server has migrated is refused at start, with words
 * that say what to do, and is left as it was. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "hg-test-server.h"

static void
test_newer_schema_refused (void)
{
  const char *binary = g_getenv ("HG_SERVER_BINARY");
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autofree char *dir = g_dir_make_tmp ("hg-upgrade-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", db);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_nonnull (binary);
  hg_test_sql (hg_test_server_db_path (ts), sql);
  hg_test_server_stop (ts);
  hg_test_sql (db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999-future.sql', 0)");
  before = hg_test_fingerprint (db);

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             binary, "--database", db, "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (server, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_successful (server));
  if (strstr (err, "upgraded to schema 999 by a newer server") == NULL)
    g_error ("the refusal does not say why: %s", err);
  after = hg_test_fingerprint (db);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (hg_test_sql_int (db, "SELECT max(version) FROM schema_migrations"), ==, 999);

  g_unlink (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/upgrade/newer-schema-refused", test_newer_schema_refused);

  return g_test_run ();
}
