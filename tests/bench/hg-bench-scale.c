/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scale benchmark: the reads people make all day, on a real
 * healthguard-server whose database holds a large history.
 *
 *   hg-bench-scale --server PATH [--incidents 1000000] [--events 5000000] [--requests 500]
 *
 * The demo hospital, then that many incidents (each with its alert) and
 * timeline entries spread over them written straight into the database
 * (hg-bench-fill), the stream's event log of the last two days with them;
 * then the server restarted on it, a charge nurse signed in, and each read
 * timed over --requests requests after ten that warm the caches: a list's
 * first page, a deep page (the cursor half-way down, found by walking the
 * whole list), pages filtered by status, by ward, and by patient and
 * status, one incident with its detail, the stats, and a /metrics scrape. Prints p50, p99 and max of each
 * as the client sees it, the server's resident memory after the runs, and
 * each figure against the target it has. Exits 1 when a request fails or
 * an answer does not add up to what was written; a missed target is a
 * figure for people to read, not a failure. */
#define G_LOG_DOMAIN "HealthGuard-Bench"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "hg-bench-fill.h"
#include "hg-bench-server.h"
#include "hg-bench-util.h"

#define PAGE 50         /* the contract's default limit */
#define WALK_PAGE 500   /* its maximum; fewer on a small history, so it has a middle */
#define WARMUP 10
#define DAY_MS (G_GINT64_CONSTANT (24) * 3600 * 1000)

static char *opt_server;
static gint64 opt_incidents = 1000000;
static gint64 opt_events = 5000000;
static int opt_requests = 500;

static const GOptionEntry entries[] = {
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "healthguard-server to start", "PATH" },
  { "incidents", 0, 0, G_OPTION_ARG_INT64, &opt_incidents, "Incidents in the history (default 1000000)", "N" },
  { "events", 0, 0, G_OPTION_ARG_INT64, &opt_events, "Timeline entries spread over them (default 5000000)", "N" },
  { "requests", 0, 0, G_OPTION_ARG_INT, &opt_requests, "Timed requests per read (default 500)", "N" },
  { NULL }
};

typedef enum {
  READ_FIRST_PAGE,
  READ_DEEP_PAGE,
  READ_BY_STATUS,
  READ_BY_WARD,
  READ_BY_PATIENT,
  READ_ONE,
  READ_STATS,
  READ_SCRAPE,
  N_READS
} Read;

/* The targets, on p99. */
static const struct {
  const char *label;
  double      target_ms;
} reads[N_READS] = {
  { "list, first page", 5 },
  { "list, deep page (cursor)", 5 },
  { "list, status=open..in_progress", 5 },
  { "list, ward=W", 5 },
  { "list, patient_id=P&status=open..", 5 },
  { "one incident (GET /incidents/{id})", 5 },
  { "stats (GET /incidents/stats)", 50 },
  { "/metrics scrape", 5 },
};

#define ACTIVE_FILTER "open,assigned,acknowledged,in_progress"
#define RSS_TARGET_MB 100

static struct {
  HgBenchServer  server;
  SoupSession   *session;
  char          *auth;
  sqlite3       *db;          /* read-only, to check the answers */
  HgBenchFill    fill;
  char          *ward;        /* the ward the ward filter asks for */
  gint64         ward_count;
  char          *patient;     /* the patient the patient filter asks for */
  gint64         patient_active;
  char          *deep_cursor;
  gint64         deep_first;  /* the id the deep page must start with */
  GRand         *rand;
} bench;

static gboolean
failed (GError    **error,
        const char *format,
        ...) G_GNUC_PRINTF (2, 3);

static gboolean
failed (GError    **error,
        const char *format,
        ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, message);
  return FALSE;
}

/* --- The database, seen from outside the server -------------------------- */

static gint64
sql_count (const char *sql,
           gint64      value,
           const char *text)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;

  if (sqlite3_prepare_v2 (bench.db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (bench.db));
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, value);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

/* --- Requests ----------------------------------------------------------- */

/* GET @path (from the server's base), timed from the request to the last
 * byte of the answer; 200 or an error. */
static GBytes *
get (const char  *path,
     double      *ms,
     GError     **error)
{
  g_autofree char *url = g_strconcat (bench.server.base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  gint64 start;

  if (msg == NULL)
    {
      failed (error, "bad URL %s", url);
      return NULL;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bench.auth);
  start = g_get_monotonic_time ();
  body = soup_session_send_and_read (bench.session, msg, NULL, error);
  *ms = (g_get_monotonic_time () - start) / 1000.0;
  if (body == NULL)
    return NULL;
  if (soup_message_get_status (msg) != 200)
    {
      failed (error, "GET %s answered %u: %.*s", path, soup_message_get_status (msg),
              (int) MIN (g_bytes_get_size (body), 300), (const char *) g_bytes_get_data (body, NULL));
      return NULL;
    }
  return g_steal_pointer (&body);
}

static JsonObject *
parse_object (GBytes      *body,
              JsonParser  *parser,
              const char  *path,
              GError     **error)
{
  JsonNode *root;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), error))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      failed (error, "GET %s: the answer is not a JSON object", path);
      return NULL;
    }
  return json_node_get_object (root);
}

static gboolean
login (const char  *staff_id,
       GError     **error)
{
  g_autofree char *token = hg_bench_login (bench.session, bench.server.base, staff_id, error);

  if (token == NULL)
    return FALSE;
  bench.auth = g_strdup_printf ("Bearer %s", token);
  return TRUE;
}

/* --- Pages -------------------------------------------------------------- */

/* The page's incidents, checked: ids falling (by exactly one each when
 * @contiguous), @first_id first when not 0, @expected of them, each
 * passing the filter. */
static JsonArray *
check_page (JsonObject  *object,
            const char  *path,
            guint        expected,
            gint64       first_id,
            gboolean     contiguous,
            const char  *status_filter,
            const char  *ward,
            GError     **error)
{
  JsonArray *incidents = json_object_get_array_member (object, "incidents");
  gint64 previous = 0;

  if (incidents == NULL || json_array_get_length (incidents) != expected)
    {
      failed (error, "GET %s: %u incidents, expected %u", path,
              incidents ? json_array_get_length (incidents) : 0, expected);
      return NULL;
    }
  for (guint i = 0; i < expected; i++)
    {
      JsonObject *incident = json_array_get_object_element (incidents, i);
      gint64 id = json_object_get_int_member_with_default (incident, "id", 0);
      const char *status = json_object_get_string_member_with_default (incident, "status", "");
      JsonObject *location = json_object_get_object_member (incident, "location");

      if ((i == 0 && first_id != 0 && id != first_id) || (i > 0 && id >= previous) ||
          (i > 0 && contiguous && id != previous - 1))
        {
          failed (error, "GET %s: incident %" G_GINT64_FORMAT " at position %u is out of order", path, id, i);
          return NULL;
        }
      if (status_filter != NULL && (status[0] == '\0' || strstr (status_filter, status) == NULL))
        {
          failed (error, "GET %s: incident %" G_GINT64_FORMAT " is %s", path, id, status);
          return NULL;
        }
      if (ward != NULL && (location == NULL ||
                           g_strcmp0 (json_object_get_string_member_with_default (location, "ward", ""), ward) != 0))
        {
          failed (error, "GET %s: incident %" G_GINT64_FORMAT " is not in %s", path, id, ward);
          return NULL;
        }
      previous = id;
    }
  return incidents;
}

/* Walks the whole list, newest first, by its cursors, and keeps the cursor
 * half-way down for the deep page. */
static gboolean
walk (GError **error)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *cursor = NULL;
  gint64 next_id = bench.fill.first_id + bench.fill.incidents - 1, seen = 0;
  gint64 start = g_get_monotonic_time ();
  int limit = (int) MIN (WALK_PAGE, MAX (1, bench.fill.incidents / 4));

  do
    {
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, TRUE) : NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/incidents?limit=%d%s%s", limit,
                                               cursor ? "&cursor=" : "", cursor ? escaped : "");
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GBytes) body = NULL;
      JsonObject *object;
      guint expected = MIN (limit, bench.fill.incidents - seen);
      double ms;

      if (!(body = get (path, &ms, error)) || !(object = parse_object (body, parser, path, error)) ||
          !check_page (object, path, expected, next_id, TRUE, NULL, NULL, error))
        return FALSE;
      g_array_append_val (times, ms);
      seen += expected;
      next_id -= expected;
      g_clear_pointer (&cursor, g_free);
      if (!json_object_get_null_member (object, "next_cursor"))
        cursor = g_strdup (json_object_get_string_member (object, "next_cursor"));
      if (bench.deep_cursor == NULL && cursor != NULL && seen >= bench.fill.incidents / 2)
        {
          bench.deep_cursor = g_uri_escape_string (cursor, NULL, TRUE);
          bench.deep_first = next_id;
        }
    }
  while (cursor != NULL);
  if (seen != bench.fill.incidents)
    return failed (error, "the list's cursors walked %" G_GINT64_FORMAT " incidents of %" G_GINT64_FORMAT,
                   seen, bench.fill.incidents);
  g_array_sort (times, hg_bench_compare_doubles);
  g_print ("scale: walked all %" G_GINT64_FORMAT " incidents by cursor in %u pages of %d in %.1f s;"
           " a page: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
           seen, times->len, limit, (g_get_monotonic_time () - start) / 1e6, hg_bench_percentile (times, 0.5),
           hg_bench_percentile (times, 0.99), hg_bench_percentile (times, 1));
  return TRUE;
}

/* --- The reads ---------------------------------------------------------- */

static gboolean
check_stats (JsonObject  *object,
             gint64       before_ms,
             gint64       after_ms,
             GError     **error)
{
  static const char *const counted[][2] = {
    { "total", "SELECT count(*) FROM incidents WHERE created_at >= ?" },
    { "mtta", "SELECT count(*) FROM incidents WHERE acknowledged_at >= ?" },
    { "mttr", "SELECT count(*) FROM incidents WHERE resolved_at >= ?" },
  };
  JsonObject *by_status = json_object_get_object_member (object, "by_status");
  gint64 sum = 0;

  if (by_status != NULL)
    {
      g_autoptr(GList) values = json_object_get_values (by_status);

      for (GList *l = values; l != NULL; l = l->next)
        sum += json_node_get_int (l->data);
    }
  if (sum != json_object_get_int_member_with_default (object, "total", -1))
    return failed (error, "stats: by_status adds up to %" G_GINT64_FORMAT ", total is %" G_GINT64_FORMAT,
                   sum, json_object_get_int_member_with_default (object, "total", -1));
  /* The server's window starts between the two: its counts lie between
   * what the database holds from each start. */
  for (guint i = 0; i < G_N_ELEMENTS (counted); i++)
    {
      gint64 most = sql_count (counted[i][1], before_ms - DAY_MS, NULL);
      gint64 least = sql_count (counted[i][1], after_ms - DAY_MS, NULL);
      gint64 value = i == 0 ? json_object_get_int_member_with_default (object, "total", -1)
                            : json_object_get_int_member_with_default (json_object_get_object_member (object, counted[i][0]),
                                                                       "count", -1);

      if (value < least || value > most)
        return failed (error, "stats: %s is %" G_GINT64_FORMAT ", the database holds %" G_GINT64_FORMAT
                       " to %" G_GINT64_FORMAT, counted[i][0], value, least, most);
    }
  return TRUE;
}

static gboolean
check_scrape (GBytes  *body,
              GError **error)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  double total = hg_bench_sum_samples (text, "healthguard_incidents{");
  double resolved = hg_bench_sum_samples (text, "healthguard_incidents{status=\"resolved\"}");

  if (total != bench.fill.incidents || resolved != bench.fill.incidents - bench.fill.active)
    return failed (error, "/metrics: healthguard_incidents adds up to %.0f (%.0f resolved), the database"
                   " holds %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT " resolved)", total, resolved,
                   bench.fill.incidents, bench.fill.incidents - bench.fill.active);
  return TRUE;
}

/* One request of @read, checked; its time in @ms. */
static gboolean
request (Read     read,
         gboolean warmup,
         double  *ms,
         GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  g_autofree char *path = NULL;
  gint64 index = 0, before = 0;
  gint64 newest = bench.fill.first_id + bench.fill.incidents - 1;
  JsonObject *object;

  switch (read)
    {
    case READ_FIRST_PAGE:
      path = g_strdup ("/api/v1/incidents");
      break;
    case READ_DEEP_PAGE:
      path = g_strdup_printf ("/api/v1/incidents?cursor=%s", bench.deep_cursor);
      break;
    case READ_BY_STATUS:
      path = g_strdup ("/api/v1/incidents?status=" ACTIVE_FILTER);
      break;
    case READ_BY_WARD:
      path = g_strdup_printf ("/api/v1/incidents?ward=%s", bench.ward);
      break;
    case READ_BY_PATIENT:
      path = g_strdup_printf ("/api/v1/incidents?patient_id=%s&status=" ACTIVE_FILTER, bench.patient);
      break;
    case READ_ONE:
      index = g_rand_int_range (bench.rand, 0, (gint32) bench.fill.incidents);
      path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT, bench.fill.first_id + index);
      break;
    case READ_STATS:
      path = g_strdup ("/api/v1/incidents/stats");
      break;
    case READ_SCRAPE:
      path = g_strdup ("/metrics");
      break;
    case N_READS:
    default:
      g_assert_not_reached ();
    }

  before = g_get_real_time () / 1000;
  if (!(body = get (path, ms, error)))
    return FALSE;
  if (read == READ_SCRAPE)
    return check_scrape (body, error);
  if (!(object = parse_object (body, parser, path, error)))
    return FALSE;

  switch (read)
    {
    case READ_FIRST_PAGE:
      return check_page (object, path, MIN (PAGE, bench.fill.incidents), newest, TRUE, NULL, NULL, error) != NULL;
    case READ_DEEP_PAGE:
      return check_page (object, path, MIN (PAGE, bench.deep_first - bench.fill.first_id + 1),
                         bench.deep_first, TRUE, NULL, NULL, error) != NULL;
    case READ_BY_STATUS:
      return check_page (object, path, MIN (PAGE, bench.fill.active), 0, FALSE, ACTIVE_FILTER, NULL,
                         error) != NULL;
    case READ_BY_WARD:
      return check_page (object, path, MIN (PAGE, bench.ward_count), 0, FALSE, NULL, bench.ward, error) != NULL;
    case READ_BY_PATIENT:
      return check_page (object, path, MIN (PAGE, bench.patient_active), 0, FALSE, ACTIVE_FILTER, NULL,
                         error) != NULL;
    case READ_ONE:
      {
        JsonArray *timeline = json_object_get_array_member (object, "timeline");
        JsonArray *alerts = json_object_get_array_member (object, "alerts");
        gint64 n_entries = hg_bench_fill_entries (&bench.fill, index);

        if (json_object_get_int_member_with_default (object, "id", 0) != bench.fill.first_id + index ||
            timeline == NULL || json_array_get_length (timeline) != n_entries ||
            alerts == NULL || json_array_get_length (alerts) != 1)
          return failed (error, "GET %s: not the incident written (%u timeline entries of %" G_GINT64_FORMAT
                         ", %u alerts of 1)", path, timeline ? json_array_get_length (timeline) : 0, n_entries,
                         alerts ? json_array_get_length (alerts) : 0);
        return TRUE;
      }
    case READ_STATS:
      /* Counting costs time of its own: only the warm-up is counted. */
      return !warmup || check_stats (object, before, g_get_real_time () / 1000, error);
    case READ_SCRAPE:
    case N_READS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
run_read (Read     read,
          double  *p99,
          GError **error)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = -WARMUP; i < opt_requests; i++)
    {
      double ms;

      if (!request (read, i < 0, &ms, error))
        return FALSE;
      if (i >= 0)
        g_array_append_val (times, ms);
    }
  g_array_sort (times, hg_bench_compare_doubles);
  *p99 = hg_bench_percentile (times, 0.99);
  g_print ("  %-36s p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms   target p99 < %3.0f ms: %s\n",
           reads[read].label, hg_bench_percentile (times, 0.5), *p99, hg_bench_percentile (times, 1),
           reads[read].target_ms, *p99 < reads[read].target_ms ? "MET" : "NOT MET");
  return TRUE;
}

/* --- Main --------------------------------------------------------------- */

static gboolean
run (const char  *db_path,
     GError     **error)
{
  gint64 start, rss, peak;
  double p99;
  guint met = 0;

  /* The schema and the demo hospital, then the history behind its back. */
  if (!hg_bench_server_start (&bench.server, opt_server, db_path, error))
    return FALSE;
  hg_bench_server_stop (&bench.server);
  bench.fill.incidents = opt_incidents;
  bench.fill.events = opt_events;
  if (!hg_bench_fill (db_path, &bench.fill, error))
    return FALSE;
  g_print ("scale: %" G_GINT64_FORMAT " incidents (%" G_GINT64_FORMAT " active) with their alerts, %"
           G_GINT64_FORMAT " timeline entries, %" G_GINT64_FORMAT " stream events: %" G_GINT64_FORMAT
           " rows filled in %.1f s (%.0f rows/s)\n",
           bench.fill.incidents, bench.fill.active, opt_events, bench.fill.stream_events, bench.fill.rows,
           bench.fill.seconds, bench.fill.rows / MAX (bench.fill.seconds, 1e-3));

  start = g_get_monotonic_time ();
  if (!hg_bench_server_start (&bench.server, opt_server, db_path, error))
    return FALSE;
  g_print ("scale: the server listened %.2f s after it was started\n", (g_get_monotonic_time () - start) / 1e6);
  if (sqlite3_open_v2 (db_path, &bench.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return failed (error, "%s: %s", db_path, sqlite3_errmsg (bench.db));
  /* The ward filter asks for the ward with the fewest patients, the
   * patient filter for the first patient's active incidents. */
  {
    sqlite3_stmt *stmt;

    if (sqlite3_prepare_v2 (bench.db, "SELECT (SELECT ward FROM patients WHERE ward IS NOT NULL GROUP BY ward"
                            " ORDER BY count(*), ward LIMIT 1), (SELECT min(id) FROM patients)",
                            -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL &&
        sqlite3_column_type (stmt, 1) != SQLITE_NULL)
      {
        bench.ward = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        bench.patient = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      }
    sqlite3_finalize (stmt);
    if (bench.ward == NULL)
      return failed (error, "the demo hospital has no ward or no patient");
    bench.ward_count = sql_count ("SELECT count(*) FROM incidents WHERE ward = ?", 0, bench.ward);
    bench.patient_active = sql_count ("SELECT count(*) FROM incidents WHERE patient_id = ?"
                                      " AND status <> 'resolved'", 0, bench.patient);
  }

  /* The charge nurse: the one who watches every list. */
  if (!login ("N01", error) || !walk (error))
    return FALSE;

  g_print ("scale: %d requests each after %d to warm up (W=%s: %" G_GINT64_FORMAT " incidents;"
           " P=%s: %" G_GINT64_FORMAT " active):\n",
           opt_requests, WARMUP, bench.ward, bench.ward_count, bench.patient, bench.patient_active);
  for (Read read = 0; read < N_READS; read++)
    {
      if (!run_read (read, &p99, error))
        return FALSE;
      met += p99 < reads[read].target_ms;
    }
  rss = hg_bench_process_kb (bench.server.process, "VmRSS:");
  peak = hg_bench_process_kb (bench.server.process, "VmHWM:");
  if (rss < 0 || peak < 0)
    return failed (error, "could not read the server's memory");
  g_print ("  %-36s %.1f MB (peak %.1f MB)          target < %d MB:      %s\n", "server resident memory",
           rss / 1024.0, peak / 1024.0, RSS_TARGET_MB, rss / 1024.0 < RSS_TARGET_MB ? "MET" : "NOT MET");
  met += rss / 1024.0 < RSS_TARGET_MB;
  g_print ("scale: %u of %d targets met\n", met, N_READS + 1);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- reads on a large history");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_server == NULL ||
      opt_incidents < 2 || opt_incidents > G_MAXINT32 || opt_events < 0 || opt_requests < 1)
    {
      g_printerr ("%s\n", error ? error->message
                  : "usage: hg-bench-scale --server PATH [--incidents N] [--events N] [--requests N]");
      return 2;
    }
  bench.session = soup_session_new_with_options ("timeout", 60, NULL);
  bench.rand = g_rand_new_with_seed (20261122);
  dir = g_dir_make_tmp ("hg-bench-scale-XXXXXX", &error);
  if (dir != NULL)
    db = g_build_filename (dir, "bench.db", NULL);
  ok = dir != NULL && run (db, &error);
  hg_bench_server_stop (&bench.server);
  sqlite3_close (bench.db);
  if (dir != NULL)
    {
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);

      g_unlink (db);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  g_clear_object (&bench.session);
  g_rand_free (bench.rand);
  g_free (bench.auth);
  g_free (bench.ward);
  g_free (bench.patient);
  g_free (bench.deep_cursor);
  if (!ok)
    {
      g_printerr ("hg-bench-scale: %s\n", error->message);
      return 1;
    }
  return 0;
}
