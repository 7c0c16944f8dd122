/* SPDX-License-Identifier: GPL-3.0-or-later */
/* App start benchmark: the real healthguard app against a real server
 * whose database holds N active incidents.
 *
 *   hg-bench-app --server PATH --app PATH [--incidents 10000] [--settle 5] [--gl]
 *
 * The demo hospital, then N active incidents (open, assigned, acknowledged
 * and in progress in turn, all on Cardiology, the ward the app's
 * --demo-login station shows) written straight into the database, then
 * the server restarted on it. The app starts twice, signed in with
 * --demo-login: "cold" with an empty offline cache, "warm" with the cache
 * the first run saved. For each: the time from starting the process to
 * the first frame of the board drawn with all N rows (the app says when,
 * with HG_REPORT_FIRST_BOARD=N), and VmRSS (and VmHWM, the peak) --settle
 * seconds after that frame. Needs a display (Xvfb) and a session bus.
 * Exits 1 when the board never shows N rows; the figures are for people
 * to read (docs/PERFORMANCE.md has the targets: under 1 s, 150 MB). */
#define G_LOG_DOMAIN "HealthGuard-Bench"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>
#include "hg-bench-server.h"
#include "hg-bench-util.h"

static char *opt_server;
static char *opt_app;
static int opt_incidents = 10000;
static int opt_settle = 5;
static gboolean opt_gl;

static const GOptionEntry entries[] = {
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "healthguard-server to start", "PATH" },
  { "app", 0, 0, G_OPTION_ARG_FILENAME, &opt_app, "healthguard (the app) to start", "PATH" },
  { "incidents", 0, 0, G_OPTION_ARG_INT, &opt_incidents, "Active incidents (default 10000)", "N" },
  { "settle", 0, 0, G_OPTION_ARG_INT, &opt_settle, "Seconds after the first board frame to read VmRSS (default 5)", "S" },
  { "gl", 0, 0, G_OPTION_ARG_NONE, &opt_gl, "Let GTK use OpenGL (under Xvfb: Mesa's software rasteriser)", NULL },
  { NULL }
};

/* --- The server --------------------------------------------------------- */

/* @n active incidents of the last few hours, each status in turn, the
 * assigned ones on the demo staff, in one transaction. */
static gboolean
fill (const char  *db_path,
      int          n,
      GError     **error)
{
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *sql = g_strdup_printf (
    "BEGIN;"
    "WITH RECURSIVE seq (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %d),"
    " t (code, severity, role, k) AS (SELECT code, severity, required_role,"
    "   row_number () OVER (ORDER BY code) - 1 FROM alert_types),"
    " s (id, k) AS (SELECT id, row_number () OVER (ORDER BY id) - 1 FROM staff),"
    " p (id, k) AS (SELECT id, row_number () OVER (ORDER BY id) - 1 FROM patients),"
    " picked AS (SELECT i, %" G_GINT64_FORMAT " - (%d - i) * 1000 AS created FROM seq)"
    " INSERT INTO incidents (status, severity, title, alert_type, patient_id, ward, room, assignee_id,"
    "   required_role, dedup_key, created_at, assigned_at, acknowledged_at, started_at)"
    " SELECT CASE i %% 4 WHEN 0 THEN 'open' WHEN 1 THEN 'assigned' WHEN 2 THEN 'acknowledged'"
    "   ELSE 'in_progress' END,"
    "   t.severity, 'bench ' || i, t.code, p.id, 'Cardiology', 'Room ' || (100 + i %% 60),"
    "   CASE WHEN i %% 4 = 0 THEN NULL ELSE s.id END, t.role, 'bench:' || i, created,"
    "   CASE WHEN i %% 4 = 0 THEN NULL ELSE created + 1000 END,"
    "   CASE WHEN i %% 4 >= 2 THEN created + 2000 ELSE NULL END,"
    "   CASE WHEN i %% 4 = 3 THEN created + 3000 ELSE NULL END"
    " FROM picked"
    " JOIN t ON t.k = picked.i %% (SELECT count(*) FROM alert_types)"
    " JOIN s ON s.k = picked.i %% (SELECT count(*) FROM staff)"
    " JOIN p ON p.k = picked.i %% (SELECT count(*) FROM patients);"
    "COMMIT;",
    n, now, n);

  return hg_bench_sql (db_path, sql, error);
}

/* --- The app ------------------------------------------------------------ */

typedef struct {
  GMainLoop        *loop;
  GDataInputStream *lines;
  GCancellable     *cancellable;
  gboolean          reading;
  guint             timeout;
  gint64            frame_at;   /* monotonic µs, from the app's report */
  guint             rows;
  gboolean          eof;
} Run;

static void read_next (Run *run);

static void
got_line (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Run *run = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                                      NULL, NULL);
  const char *at;

  run->reading = FALSE;
  if (g_cancellable_is_cancelled (run->cancellable))
    return;
  if (line == NULL)
    {
      run->eof = TRUE;
      g_main_loop_quit (run->loop);
      return;
    }
  at = strstr (line, "First board frame: ");
  if (at != NULL && run->frame_at == 0)
    {
      const char *mono = strstr (at, "at monotonic ");

      run->rows = (guint) strtoul (at + strlen ("First board frame: "), NULL, 10);
      run->frame_at = mono ? g_ascii_strtoll (mono + strlen ("at monotonic "), NULL, 10) : 0;
      g_main_loop_quit (run->loop);
    }
  else if (strstr (line, "CRITICAL") != NULL || strstr (line, "WARNING") != NULL)
    g_printerr ("app: %s\n", line);
  read_next (run);
}

static void
read_next (Run *run)
{
  run->reading = TRUE;
  g_data_input_stream_read_line_async (run->lines, G_PRIORITY_DEFAULT, run->cancellable, got_line, run);
}

static gboolean
timed_out (gpointer data)
{
  Run *run = data;

  run->timeout = 0;
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

/* Runs the loop for at most @seconds (or until the app's output ends). */
static void
run_for (Run  *run,
         guint seconds)
{
  if (run->eof)
    return;
  run->timeout = g_timeout_add_seconds (seconds, timed_out, run);
  g_main_loop_run (run->loop);
  g_clear_handle_id (&run->timeout, g_source_remove);
}

static gboolean
run_app (const char  *label,
         const char  *base,
         const char  *cache_home,
         GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) app = NULL;
  g_autofree char *login = g_strdup_printf ("N01:password123@%s", base);
  g_autofree char *rows = g_strdup_printf ("%d", opt_incidents);
  Run run = { g_main_loop_new (NULL, FALSE), NULL, g_cancellable_new (), FALSE, 0, 0, 0, FALSE };
  gint64 started;
  gint64 rss, hwm;

  g_subprocess_launcher_setenv (launcher, "HG_REPORT_FIRST_BOARD", rows, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache_home, TRUE);
  /* A workstation of its own: no settings or keyring of the person who
   * runs the benchmark. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  /* The alarm sound runs as on a workstation, into a clock-paced sink:
   * the machine that runs the benchmark may have no sound card. */
  if (g_getenv ("HG_ALARM_SINK") == NULL)
    g_subprocess_launcher_setenv (launcher, "HG_ALARM_SINK", "fakesink sync=true", TRUE);
  /* Under Xvfb, OpenGL is Mesa's software rasteriser (llvmpipe): loading
   * it alone adds some 58 MB and 0.2 s, and says nothing about the app nor
   * about a workstation with a GPU. By default the app draws with cairo
   * and never opens GL, as a thin client without GPU would be set up;
   * --gl measures GTK's default instead. */
  if (!opt_gl)
    {
      g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", TRUE);
      g_subprocess_launcher_setenv (launcher, "GDK_DEBUG", "gl-disable", TRUE);
    }
  started = g_get_monotonic_time ();
  app = g_subprocess_launcher_spawn (launcher, error, opt_app, "--demo-login", login, NULL);
  if (app == NULL)
    {
      g_main_loop_unref (run.loop);
      g_object_unref (run.cancellable);
      return FALSE;
    }
  run.lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (app));
  read_next (&run);
  run_for (&run, 60);
  /* Let it settle (the offline cache is saved a couple of seconds after
   * the list changed), still reading what it says. */
  if (run.frame_at != 0)
    run_for (&run, opt_settle);
  rss = hg_bench_process_kb (app, "VmRSS:");
  hwm = hg_bench_process_kb (app, "VmHWM:");
  g_subprocess_send_signal (app, SIGTERM);
  g_subprocess_wait (app, NULL, NULL);
  g_cancellable_cancel (run.cancellable);
  while (run.reading)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (run.lines);
  g_object_unref (run.cancellable);
  g_main_loop_unref (run.loop);

  if (run.frame_at == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: the board never showed %d incidents",
                   label, opt_incidents);
      return FALSE;
    }
  g_print ("%s start (%s), %d incidents: first board frame with %u rows after %.0f ms; "
           "VmRSS %.1f MB (peak %.1f MB) %d s later\n",
           label, opt_gl ? "GL" : "cairo, no GL", opt_incidents, run.rows, (run.frame_at - started) / 1e3, rss / 1024.0, hwm / 1024.0,
           opt_settle);
  return TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gboolean
bench (GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("hg-bench-app-XXXXXX", error);
  g_autofree char *db = NULL;
  g_autofree char *cache_home = NULL;
  HgBenchServer server = { NULL, NULL };
  gboolean ok;

  if (dir == NULL)
    return FALSE;
  db = g_build_filename (dir, "bench.db", NULL);
  cache_home = g_build_filename (dir, "cache", NULL);
  /* The schema and the demo hospital, then the incidents behind its back. */
  ok = hg_bench_server_start (&server, opt_server, db, error);
  hg_bench_server_stop (&server);
  ok = ok && fill (db, opt_incidents, error) && hg_bench_server_start (&server, opt_server, db, error);
  ok = ok && run_app ("cold", server.base, cache_home, error)
       && run_app ("warm", server.base, cache_home, error);
  hg_bench_server_stop (&server);
  remove_tree (dir);
  return ok;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- how fast the app shows a large board, and in how much memory");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_server == NULL)
    opt_server = g_strdup (g_getenv ("HG_SERVER_BINARY"));
  if (opt_server == NULL || opt_app == NULL || opt_incidents < 1 || opt_settle < 0)
    {
      g_printerr ("usage: hg-bench-app --server PATH --app PATH [--incidents N] [--settle S]\n");
      return 2;
    }
  if (!bench (&error))
    {
      g_printerr ("hg-bench-app: %s\n", error->message);
      return 1;
    }
  return 0;
}
