/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scrape-cost benchmark: GET /metrics on a real healthguard-server whose
 * database holds a small history, then a large one, with the same number
 * of scrapes each; a scrape must cost the same whatever the history.
 *
 *   hg-bench-scrape --server PATH [--small 100] [--large 1000000] [--scrapes 500]
 *
 * For each size: the demo hospital, then that many incidents written
 * straight into the database (hg-bench-fill, through the same triggers
 * the server's writes go through), then the server restarted on it and
 * scraped. Prints the time to fill, the scrape's size and its latency
 * (mean, p50, p90, p99, max) as the client sees it and as the server
 * measures itself. Exits 1 when a scrape fails or healthguard_incidents
 * does not add up to the incidents in the database; the figures are for
 * people to read. */
#define G_LOG_DOMAIN "HealthGuard-Bench"

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <libsoup/soup.h>

#include "hg-bench-fill.h"
#include "hg-bench-server.h"
#include "hg-bench-util.h"

static char *opt_server;
static int opt_small = 100;
static int opt_large = 1000000;
static int opt_scrapes = 500;

static const GOptionEntry entries[] = {
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "healthguard-server to start", "PATH" },
  { "small", 0, 0, G_OPTION_ARG_INT, &opt_small, "Incidents in the small history (default 100)", "N" },
  { "large", 0, 0, G_OPTION_ARG_INT, &opt_large, "Incidents in the large history (default 1000000)", "N" },
  { "scrapes", 0, 0, G_OPTION_ARG_INT, &opt_scrapes, "Scrapes per size (default 500)", "N" },
  { NULL }
};

static gboolean
bench_size (int      n,
            GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("hg-bench-scrape-XXXXXX", error);
  g_autofree char *db = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *last = NULL;
  HgBenchServer server = { NULL, NULL };
  HgBenchFill history = { .incidents = n, .events = 0 };
  gint64 start;
  double fill_seconds, total = 0, server_sum, server_count, incidents;
  gsize size = 0;

  if (dir == NULL)
    return FALSE;
  db = g_build_filename (dir, "bench.db", NULL);
  /* The schema and the demo hospital, then the history behind its back. */
  if (!hg_bench_server_start (&server, opt_server, db, error))
    return FALSE;
  hg_bench_server_stop (&server);
  if (!hg_bench_fill (db, &history, error))
    return FALSE;
  fill_seconds = history.seconds;
  if (!hg_bench_server_start (&server, opt_server, db, error))
    return FALSE;

  url = g_strconcat (server.base, "/metrics", NULL);
  for (int i = -20; i < opt_scrapes; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;
      double seconds;

      start = g_get_monotonic_time ();
      body = soup_session_send_and_read (session, msg, NULL, error);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      if (body == NULL)
        {
          hg_bench_server_stop (&server);
          return FALSE;
        }
      if (soup_message_get_status (msg) != 200)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "GET /metrics answered %u",
                       soup_message_get_status (msg));
          hg_bench_server_stop (&server);
          return FALSE;
        }
      /* The first 20 warm the caches and are not counted. */
      if (i < 0)
        continue;
      g_array_append_val (times, seconds);
      total += seconds;
      size = g_bytes_get_size (body);
      g_free (last);
      last = g_strndup (g_bytes_get_data (body, NULL), size);
    }
  hg_bench_server_stop (&server);

  incidents = hg_bench_sum_samples (last, "healthguard_incidents{");
  server_sum = hg_bench_sum_samples (last, "healthguard_http_request_duration_seconds_sum{route=\"/metrics\"}");
  server_count = hg_bench_sum_samples (last,
                                       "healthguard_http_request_duration_seconds_count{route=\"/metrics\"}");
  g_array_sort (times, hg_bench_compare_doubles);
  g_print ("%9d incidents: filled in %.1f s; %d scrapes of %" G_GSIZE_FORMAT " bytes: "
           "mean %.3f ms, p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms; "
           "server-side mean %.3f ms\n",
           n, fill_seconds, opt_scrapes, size, 1e3 * total / times->len,
           1e3 * hg_bench_percentile (times, 0.5), 1e3 * hg_bench_percentile (times, 0.9),
           1e3 * hg_bench_percentile (times, 0.99), 1e3 * hg_bench_percentile (times, 1),
           server_count > 0 ? 1e3 * server_sum / server_count : 0);

  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (db);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  if (incidents != n)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "healthguard_incidents adds up to %.0f, the database holds %d", incidents, n);
      return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- what a /metrics scrape costs as history grows");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_server == NULL ||
      opt_small < 1 || opt_large < 1 || opt_scrapes < 1)
    {
      g_printerr ("%s\n", error ? error->message : "usage: hg-bench-scrape --server PATH [--small N] [--large N]");
      return 2;
    }
  if (!bench_size (opt_small, &error) || !bench_size (opt_large, &error))
    {
      g_printerr ("hg-bench-scrape: %s\n", error->message);
      return 1;
    }
  return 0;
}
