/* SPDX-License-Identifier: GPL-3.0-or-later */
/* healthguard-server --create-admin ID, the real program
 * (HG_SERVER_BINARY): a fresh install gets its first admin from a password
 * on standard input, weak passwords and bad ids are refused with exit
 * status 2, nothing secret is printed, and an existing admin's password is
 * reset with their sessions ended. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hg-test-server.h"

#define STRONG "Tr0mbone-Harbour-47"
#define ADMIN_PASSWORD "password123"   /* the demo hospital's */

/* Runs healthguard-server --create-admin @id with @input on standard
 * input; returns the exit status and what it wrote. */
static int
create_admin (const char  *db_path,
              const char  *id,
              const char  *input,
              char       **out_output)
{
  const char *argv[] = { hg_test_server_binary (), "--database", db_path, "--create-admin", id, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                      G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_autofree char *output = NULL;
  g_autoptr(GError) write_error = NULL;
  g_autoptr(GByteArray) all = g_byte_array_new ();
  GBytes *chunk;

  g_assert_no_error (error);
  /* Not g_subprocess_communicate(): a refusal (a bad id, say) may exit
   * before it reads @input, and that broken pipe is not a failure. The
   * input is far smaller than a pipe's buffer, so the write never waits. */
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (process), input, strlen (input),
                             NULL, NULL, &write_error);
  if (!g_error_matches (write_error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    g_assert_no_error (write_error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);
  while ((chunk = g_input_stream_read_bytes (g_subprocess_get_stdout_pipe (process), 4096,
                                             NULL, &error)) != NULL &&
         g_bytes_get_size (chunk) > 0)
    {
      g_byte_array_append (all, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      g_bytes_unref (chunk);
    }
  g_clear_pointer (&chunk, g_bytes_unref);
  g_assert_no_error (error);
  g_byte_array_append (all, (const guint8 *) "", 1);
  output = (char *) g_byte_array_free (g_steal_pointer (&all), FALSE);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_test_message ("--create-admin %s: %s", id, output);
  if (out_output != NULL)
    *out_output = g_steal_pointer (&output);
  return g_subprocess_get_exit_status (process);
}

static void
remove_database (const char *dir,
                 const char *db)
{
  const char *const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static void
test_create_admin_fresh (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hg-admin-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *output = NULL;
  g_autofree char *hash = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (create_admin (db, "A09", "password123\n", &output), ==, 2);
  g_assert_nonnull (strstr (output, "refused"));
  g_assert_null (strstr (output, "password123"));
  g_clear_pointer (&output, g_free);
  g_assert_cmpint (create_admin (db, "A09", "", NULL), ==, 2);
  g_assert_cmpint (create_admin (db, "a9", STRONG "\n", NULL), ==, 2);
  /* Refused before anything was opened or written. */
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  g_assert_cmpint (create_admin (db, "A09", STRONG "\r\n", &output), ==, 0);
  g_assert_null (strstr (output, STRONG));

  /* The one account with a password is the one just made. */
  hash = hg_test_sql_text (db, "SELECT password_hash FROM staff WHERE id = 'A09' AND role = 'admin'"
                               " AND disabled = 0");
  g_assert_true (g_str_has_prefix (hash, "$y$"));
  g_assert_cmpint (hg_test_sql_int (db, "SELECT count(*) FROM staff WHERE password_hash IS NOT NULL"), ==, 1);
  g_assert_cmpint (hg_test_sql_int (db, "SELECT count(*) FROM audit WHERE action = 'staff.create'"
                                        " AND object = 'staff:A09' AND actor IS NULL"), ==, 1);
  remove_database (dir, db);
}

static void
reset_demo_admin (const char *db_path,
                  gpointer    user_data)
{
  g_autofree char *output = NULL;

  /* A nurse's id is not made an admin. */
  g_assert_cmpint (create_admin (db_path, "N01", STRONG "\n", &output), ==, 2);
  g_assert_nonnull (strstr (output, "not an admin"));
  /* A locked-out admin with a session somebody may still hold. */
  hg_test_sql (db_path, "UPDATE staff SET disabled = 1 WHERE id = 'A01';"
                        "INSERT INTO tokens (hash, staff_id, created_at, expires_at)"
                        " VALUES (randomblob(32), 'A01', 0, 9000000000000)");
  g_assert_cmpint (create_admin (db_path, "A01", STRONG "\n", NULL), ==, 0);
  g_assert_cmpint (hg_test_sql_int (db_path, "SELECT disabled FROM staff WHERE id = 'A01'"), ==, 0);
  g_assert_cmpint (hg_test_sql_int (db_path, "SELECT count(*) FROM tokens WHERE staff_id = 'A01'"
                                    " AND revoked_at IS NULL"), ==, 0);
}

static void
test_create_admin_reset (void)
{
  HgTestServer *ts = hg_test_server_start (reset_demo_admin, NULL);
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"A01\", \"password\": \"%s\"}", STRONG);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) old = NULL;
  guint status;

  answer = hg_test_request (ts, "POST", "/api/v1/auth/login", NULL, body, &status);
  g_assert_cmpuint (status, ==, 200);
  old = hg_test_request (ts, "POST", "/api/v1/auth/login", NULL,
                         "{\"staff_id\": \"A01\", \"password\": \"" ADMIN_PASSWORD "\"}", &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (hg_test_sql_int (hg_test_server_db_path (ts), "SELECT count(*) FROM audit"
                                    " WHERE action = 'staff.password' AND object = 'staff:A01'"), ==, 1);
  hg_test_server_stop (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* A program that exits before reading its standard input must fail an
   * assertion with its output, not kill the test with SIGPIPE. */
  signal (SIGPIPE, SIG_IGN);
  g_test_add_func ("/server/create-admin/fresh", test_create_admin_fresh);
  g_test_add_func ("/server/create-admin/reset", test_create_admin_reset);
  return g_test_run ();
}
