/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Bench"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <sqlite3.h>

#include "hg-bench-server.h"

gboolean
hg_bench_server_start (HgBenchServer  *server,
                       const char     *binary,
                       const char     *db,
                       GError        **error)
{
  g_autoptr(GDataInputStream) lines = NULL;
  char *line;

  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE, error, binary, "--demo",
                                      "--database", db, "--listen", "127.0.0.1:0", NULL);
  if (server->process == NULL)
    return FALSE;
  lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (server->process));
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, error)) != NULL)
    {
      const char *at = strstr (line, "Listening on http://");

      if (at != NULL)
        server->base = g_strndup (at + strlen ("Listening on "), strlen (at + strlen ("Listening on ")) - 1);
      g_free (line);
      if (server->base != NULL)
        break;
    }
  if (server->base == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the server did not start");
      return FALSE;
    }
  /* The log is quiet from here on (no request is logged at this level);
   * the pipe's buffer holds what little comes. */
  return TRUE;
}

void
hg_bench_server_stop (HgBenchServer *server)
{
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
    }
  g_clear_object (&server->process);
  g_clear_pointer (&server->base, g_free);
}

void
hg_bench_server_kill (HgBenchServer *server)
{
  if (server->process != NULL)
    {
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
    }
  g_clear_object (&server->process);
  g_clear_pointer (&server->base, g_free);
}

gboolean
hg_bench_sql (const char  *db_path,
              const char  *sql,
              GError     **error)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  gboolean ok;

  ok = sqlite3_open (db_path, &db) == SQLITE_OK &&
       sqlite3_exec (db, sql, NULL, NULL, &message) == SQLITE_OK;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", db_path,
                 message ? message : sqlite3_errmsg (db));
  sqlite3_free (message);
  sqlite3_close (db);
  return ok;
}
