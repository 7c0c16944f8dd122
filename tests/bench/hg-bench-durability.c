/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Durability benchmark: a real healthguard-server under a steady stream of
 * alerts is killed with SIGKILL at a random moment, restarted on the same
 * database, and killed again, cycle after cycle. A 201 means the alert is
 * on disk (API.md, Alerts): every alert that was answered 201 must be in
 * the database exactly once after the restart, and the database must pass
 * PRAGMA integrity_check.
 *
 *   hg-bench-durability --server PATH [--cycles 200] [--concurrency 32] [--seed N]
 *                       [--kill-min-ms 50] [--kill-max-ms 500]
 *
 * Each cycle starts the server (which recovers the WAL left by the last
 * kill), checks the database read-only beside it, then keeps
 * --concurrency POSTs of unique alerts in flight with an integration key
 * and kills the server a uniformly random time (from --seed) after the
 * load started, or at the cycle's first 201 if none came before that
 * moment. An alert's dedup_key, "durability/CYCLE/SERIAL", names it
 * and keeps it out of every other alert's incident: each alert is one
 * alert row and one incident row. What the 201 said (the alert's and the
 * incident's ids) must be what the database holds. POSTs that got no
 * answer (in flight at the kill) may or may not be stored, but never
 * twice.
 *
 * Prints a progress line every 20 cycles and the totals; exits 1 when an
 * acknowledged alert is lost, any alert is stored twice, an integrity
 * check fails, the server does not come back or dies by itself, a 201
 * describes another alert, or a cycle acknowledged no alert at all (the
 * load did not run), so a short run is a smoke test.
 * The database of a failed run is kept for a look. */
#define G_LOG_DOMAIN "HealthGuard-Bench"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "hg-bench-server.h"
#include "hg-bench-util.h"

#define KEY_PREFIX "durability/"
/* Details printed for so many problems, then only counted. */
#define MAX_REPORTS 40
/* How long after its moment a kill waits for the cycle's first 201. */
#define DEADLINE_MS 10000

static char *opt_server;
static int opt_cycles = 200;
static int opt_concurrency = 32;
static int opt_seed = 1;
static int opt_kill_min_ms = 50;
static int opt_kill_max_ms = 500;

static const GOptionEntry entries[] = {
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "healthguard-server to start", "PATH" },
  { "cycles", 0, 0, G_OPTION_ARG_INT, &opt_cycles, "Kill and restart cycles (default 200)", "N" },
  { "concurrency", 0, 0, G_OPTION_ARG_INT, &opt_concurrency, "POSTs in flight (default 32)", "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT, &opt_seed, "Random seed for the kill moments (default 1)", "N" },
  { "kill-min-ms", 0, 0, G_OPTION_ARG_INT, &opt_kill_min_ms,
    "Earliest kill after the load starts (default 50)", "MS" },
  { "kill-max-ms", 0, 0, G_OPTION_ARG_INT, &opt_kill_max_ms,
    "Latest kill after the load starts (default 500)", "MS" },
  { NULL }
};

/* An alert answered 201. */
typedef struct {
  guint    cycle;
  guint    serial;
  gint64   alert_id;      /* 0: the kill cut the body, the ids are unknown */
  gint64   incident_id;
  gboolean lost;          /* already counted */
} Acked;

/* What the database holds for one dedup_key. */
typedef struct {
  guint  alerts;
  gint64 alert_id;        /* the first row's */
  gint64 alert_incident;
  guint  incidents;
  gint64 incident_id;
} Found;

typedef struct {
  HgBenchServer server;
  char         *db;
  char         *key;          /* the integration key */
  SoupSession  *session;      /* one per cycle */
  guint         cycle;
  guint         next_serial;
  guint         in_flight;
  gboolean      killed;
  gboolean      kill_due;     /* the moment came before the first 201 */
  guint         kill_source;
  guint         deadline_source;
  gint64        load_started; /* monotonic µs */

  GArray       *acked;        /* Acked, every cycle's */
  GHashTable   *acked_keys;   /* gint64 key (cycle << 32 | serial), a set */
  GHashTable   *duplicates;   /* gint64 keys already counted as duplicated */

  guint         cycle_acked;
  GArray       *first_ack_ms; /* double, one per cycle */
  guint64       n_acked;
  guint64       n_acked_cut;  /* 201s whose body the kill cut */
  guint64       n_bad_201;
  guint64       n_unacked;
  guint64       n_unacked_stored;
  guint64       n_refused;
  guint64       n_failed_early;
  guint         lost;
  guint         duplicated;
  guint         integrity_failures;
  guint         idle_cycles;
  guint         early_exits;
  guint         postponed;
  guint         reports;
  double        kill_ms_sum;
} Bench;

static Bench bench;

static gint64
key_of (guint cycle,
        guint serial)
{
  return ((gint64) cycle << 32) | serial;
}

/* "durability/CYCLE/SERIAL" to its key, or -1. */
static gint64
parse_key (const char *text)
{
  guint64 cycle, serial;
  char *end;

  if (text == NULL || !g_str_has_prefix (text, KEY_PREFIX))
    return -1;
  cycle = g_ascii_strtoull (text + strlen (KEY_PREFIX), &end, 10);
  if (*end != '/')
    return -1;
  serial = g_ascii_strtoull (end + 1, &end, 10);
  if (*end != '\0' || cycle > G_MAXUINT32 || serial > G_MAXUINT32)
    return -1;
  return key_of ((guint) cycle, (guint) serial);
}

static void
report (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static void
report (const char *format,
        ...)
{
  g_autofree char *text = NULL;
  va_list args;

  if (bench.reports++ >= MAX_REPORTS)
    return;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("hg-bench-durability: %s\n", text);
}

static void
run_until (gboolean (*done) (void),
           guint      timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (!done () && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

/* --- Setting up ------------------------------------------------------- */

/* The demo admin signs in and makes the integration key the alerts are
 * posted with; it is in the database, so it outlives every restart. */
static gboolean
create_key (GError **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) created = NULL;
  const char *key;

  token = hg_bench_login (session, bench.server.base, "A01", error);
  if (token == NULL)
    return FALSE;
  created = hg_bench_request_json (session, bench.server.base, "POST", "/api/v1/integrations", token,
                                   "{\"name\": \"hg-bench-durability\"}", 201, error);
  if (created == NULL)
    return FALSE;
  key = json_object_get_string_member_with_default (created, "key", NULL);
  if (key == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "POST /api/v1/integrations gave no key");
      return FALSE;
    }
  bench.key = g_strdup (key);
  return TRUE;
}

/* --- The load --------------------------------------------------------- */

static void post_alert (void);

/* The ids a 201 gave, if its body is the alert it was asked to store. */
static gboolean
parse_created (GBytes *answer,
               guint   serial,
               gint64 *out_alert_id,
               gint64 *out_incident_id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *alert, *incident;

  if (g_bytes_get_size (answer) == 0 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "alert") || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "alert")) ||
      !json_object_has_member (root, "incident") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "incident")))
    return FALSE;
  alert = json_object_get_object_member (root, "alert");
  incident = json_object_get_object_member (root, "incident");
  if (parse_key (json_object_get_string_member_with_default (alert, "dedup_key", NULL)) !=
      key_of (bench.cycle, serial))
    return FALSE;
  *out_alert_id = json_object_get_int_member_with_default (alert, "id", 0);
  *out_incident_id = json_object_get_int_member_with_default (incident, "id", 0);
  return *out_alert_id > 0 && *out_incident_id > 0;
}

static void
kill_server (void)
{
  if (bench.killed)
    return;
  /* Reaped already: the server died by itself, which is no kill. */
  if (g_subprocess_get_identifier (bench.server.process) == NULL)
    {
      bench.early_exits++;
      report ("cycle %u: the server had exited before the kill", bench.cycle);
    }
  hg_bench_server_kill (&bench.server);
  bench.killed = TRUE;
  bench.kill_ms_sum += (g_get_monotonic_time () - bench.load_started) / 1000.0;
}

/* A 201: the status line alone says the alert is on disk. */
static void
acknowledged (SoupMessage *msg,
              GBytes      *answer,
              guint        serial)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  Acked acked = { bench.cycle, serial, 0, 0, FALSE };
  gint64 key = key_of (bench.cycle, serial);

  /* Every answer says "Connection: close", and libsoup then takes the
   * end of the connection for the end of the body: a body shorter than
   * its Content-Length was cut by the kill, with no error. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (goffset) g_bytes_get_size (answer) < soup_message_headers_get_content_length (headers))
    bench.n_acked_cut++;
  else if (!parse_created (answer, serial, &acked.alert_id, &acked.incident_id))
    {
      bench.n_bad_201++;
      report ("cycle %u: alert %u answered 201 with a body that is not that alert: %.*s", bench.cycle, serial,
              (int) MIN (g_bytes_get_size (answer), 200), (const char *) g_bytes_get_data (answer, NULL));
    }
  g_array_append_val (bench.acked, acked);
  g_hash_table_add (bench.acked_keys, g_memdup2 (&key, sizeof key));
  bench.n_acked++;
  if (bench.cycle_acked++ == 0)
    {
      double ms = (g_get_monotonic_time () - bench.load_started) / 1000.0;

      g_array_append_val (bench.first_ack_ms, ms);
      if (bench.kill_due)
        kill_server ();
    }
}

static void
posted (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (source);
  guint serial = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = soup_session_send_and_read_finish (session, result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (session, result);
  guint status = answer != NULL ? soup_message_get_status (msg) : 0;

  bench.in_flight--;
  if (answer == NULL)
    {
      /* No answer: stored or not, nobody was told. */
      bench.n_unacked++;
      if (!bench.killed)
        {
          bench.n_failed_early++;
          report ("cycle %u: alert %u failed before the kill: %s", bench.cycle, serial, error->message);
        }
    }
  else if (status == SOUP_STATUS_CREATED)
    acknowledged (msg, answer, serial);
  else
    {
      bench.n_refused++;
      report ("cycle %u: alert %u answered %u: %.*s", bench.cycle, serial, status,
              (int) MIN (g_bytes_get_size (answer), 200), (const char *) g_bytes_get_data (answer, NULL));
    }
  if (!bench.killed)
    post_alert ();
}

static void
post_alert (void)
{
  guint serial = bench.next_serial++;
  g_autofree char *url = g_strconcat (bench.server.base, "/api/v1/alerts", NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", bench.key);
  /* CALL_BUTTON is low: nothing escalates within the run, so a restart
   * has no backlog of escalations to write before it serves. */
  g_autofree char *body = g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P00%u\","
                                           " \"source\": \"hg-bench-durability\","
                                           " \"message\": \"durability cycle %u alert %u\","
                                           " \"dedup_key\": \"" KEY_PREFIX "%u/%u\"}",
                                           serial % 8 + 1, bench.cycle, serial, bench.cycle, serial);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  bench.in_flight++;
  soup_session_send_and_read_async (bench.session, msg, G_PRIORITY_DEFAULT, NULL, posted,
                                    GUINT_TO_POINTER (serial));
}

/* The kill's moment. One that comes before the first 201 waits for it:
 * a cycle with nothing acknowledged checks nothing, and the server may
 * take a while to answer its first alert (see the "first 201" figure).
 * A server that answers none is killed at the deadline all the same, and
 * the cycle counts as one whose load did not run. */
static gboolean
kill_moment (gpointer user_data)
{
  gboolean deadline = GPOINTER_TO_INT (user_data);
  guint *id = deadline ? &bench.deadline_source : &bench.kill_source;

  *id = 0;
  if (bench.cycle_acked == 0 && !deadline)
    {
      bench.kill_due = TRUE;
      bench.postponed++;
    }
  else
    kill_server ();
  return G_SOURCE_REMOVE;
}

static gboolean
all_answered (void)
{
  return bench.killed && bench.in_flight == 0;
}

/* Runs one cycle's load on the running server and kills it after
 * @kill_ms; returns when every POST has its answer or its failure. */
static gboolean
load_and_kill (guint    kill_ms,
               GError **error)
{
  bench.session = soup_session_new_with_options ("max-conns", opt_concurrency + 8,
                                                 "max-conns-per-host", opt_concurrency + 8,
                                                 "timeout", 60, NULL);
  bench.killed = FALSE;
  bench.kill_due = FALSE;
  bench.cycle_acked = 0;
  bench.next_serial = 0;
  bench.load_started = g_get_monotonic_time ();
  bench.kill_source = g_timeout_add_full (G_PRIORITY_HIGH, kill_ms, kill_moment, GINT_TO_POINTER (FALSE), NULL);
  bench.deadline_source = g_timeout_add_full (G_PRIORITY_HIGH, kill_ms + DEADLINE_MS, kill_moment,
                                              GINT_TO_POINTER (TRUE), NULL);
  for (int i = 0; i < opt_concurrency; i++)
    post_alert ();
  run_until (all_answered, (kill_ms + DEADLINE_MS) / 1000 + 90);
  g_clear_handle_id (&bench.kill_source, g_source_remove);
  g_clear_handle_id (&bench.deadline_source, g_source_remove);
  soup_session_abort (bench.session);
  g_clear_object (&bench.session);
  if (!all_answered ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "cycle %u: %u POSTs still unanswered 90 s after the kill", bench.cycle, bench.in_flight);
      return FALSE;
    }
  if (bench.cycle_acked == 0)
    {
      bench.idle_cycles++;
      report ("cycle %u: no alert was acknowledged in %u ms", bench.cycle, kill_ms + DEADLINE_MS);
    }
  return TRUE;
}

/* --- The check -------------------------------------------------------- */

static gboolean
check_integrity (sqlite3 *db,
                 GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  guint rows = 0;
  gboolean ok = FALSE;
  int rc;

  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "integrity_check: %s", sqlite3_errmsg (db));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      ok = rows++ == 0 && g_strcmp0 (line, "ok") == 0;
      if (rows <= 5)
        g_string_append_printf (problems, "%s%s", rows > 1 ? "; " : "", line);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      ok = FALSE;
      g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", sqlite3_errstr (rc));
    }
  if (!ok)
    {
      bench.integrity_failures++;
      report ("after cycle %u: PRAGMA integrity_check: %s", bench.cycle, problems->str);
    }
  return TRUE;
}

/* Every row of @table whose dedup_key is one of ours, into @found. */
static gboolean
scan (sqlite3     *db,
      gboolean     alerts,
      GHashTable  *found,
      GError     **error)
{
  const char *sql = alerts
    ? "SELECT dedup_key, id, incident_id FROM alerts WHERE dedup_key GLOB '" KEY_PREFIX "*' ORDER BY id"
    : "SELECT dedup_key, id, 0 FROM incidents WHERE dedup_key GLOB '" KEY_PREFIX "*' ORDER BY id";
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sql, sqlite3_errmsg (db));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = parse_key ((const char *) sqlite3_column_text (stmt, 0));
      Found *f;

      if (key < 0)
        continue;
      f = g_hash_table_lookup (found, &key);
      if (f == NULL)
        {
          f = g_new0 (Found, 1);
          g_hash_table_insert (found, g_memdup2 (&key, sizeof key), f);
        }
      if (alerts && f->alerts++ == 0)
        {
          f->alert_id = sqlite3_column_int64 (stmt, 1);
          f->alert_incident = sqlite3_column_int64 (stmt, 2);
        }
      else if (!alerts && f->incidents++ == 0)
        f->incident_id = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sql, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

/* Reads the database beside the server that has just recovered it: the
 * integrity check, then every acknowledged alert of every cycle so far
 * (a later crash must not take an older one either), each once. */
static gboolean
check (GError **error)
{
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  sqlite3 *db = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gboolean ok;

  if (sqlite3_open_v2 (bench.db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", bench.db, sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_busy_timeout (db, 10000);
  /* One read transaction: both scans see the same commit. */
  ok = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
       check_integrity (db, error) && scan (db, TRUE, found, error) && scan (db, FALSE, found, error);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  if (!ok)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot read %s", bench.db);
      return FALSE;
    }

  g_hash_table_iter_init (&iter, found);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 k = *(gint64 *) key;
      Found *f = value;

      if ((f->alerts > 1 || f->incidents > 1) && !g_hash_table_contains (bench.duplicates, key))
        {
          bench.duplicated++;
          g_hash_table_add (bench.duplicates, g_memdup2 (&k, sizeof k));
          report ("after cycle %u: " KEY_PREFIX "%u/%u is stored in %u alert rows and %u incident rows",
                  bench.cycle, (guint) (k >> 32), (guint) (k & G_MAXUINT32), f->alerts, f->incidents);
        }
      if ((guint) (k >> 32) == bench.cycle && f->alerts > 0 && !g_hash_table_contains (bench.acked_keys, key))
        bench.n_unacked_stored++;
    }
  for (guint i = 0; i < bench.acked->len; i++)
    {
      Acked *a = &g_array_index (bench.acked, Acked, i);
      gint64 k = key_of (a->cycle, a->serial);
      Found *f = g_hash_table_lookup (found, &k);

      if (a->lost)
        continue;
      if (f == NULL || f->alerts == 0 || f->incidents == 0 ||
          (a->alert_id != 0 && (f->alert_id != a->alert_id || f->alert_incident != a->incident_id ||
                                f->incident_id != a->incident_id)))
        {
          a->lost = TRUE;
          bench.lost++;
          report ("after cycle %u: acknowledged " KEY_PREFIX "%u/%u (alert %" G_GINT64_FORMAT
                  ", incident %" G_GINT64_FORMAT ") is not as the 201 said: alert row %" G_GINT64_FORMAT
                  " of incident %" G_GINT64_FORMAT ", incident row %" G_GINT64_FORMAT,
                  bench.cycle, a->cycle, a->serial, a->alert_id, a->incident_id,
                  f ? f->alert_id : 0, f ? f->alert_incident : 0, f ? f->incident_id : 0);
        }
    }
  return TRUE;
}

/* --- Running ---------------------------------------------------------- */

static void
print_progress (gint64 started)
{
  g_print ("durability: %u/%d cycles: %" G_GUINT64_FORMAT " acknowledged, %" G_GUINT64_FORMAT
           " unacknowledged, lost %u, duplicated %u, integrity failures %u, %.1f s\n",
           bench.cycle, opt_cycles, bench.n_acked, bench.n_unacked, bench.lost, bench.duplicated,
           bench.integrity_failures, (g_get_monotonic_time () - started) / 1e6);
}

static void
remove_database (const char *dir)
{
  g_autofree char *wal = g_strconcat (bench.db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (bench.db, "-shm", NULL);

  g_unlink (bench.db);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

/* Cycle after cycle; bench.cycle is the last cycle whose load ran. */
static gboolean
run (GRand   *rand,
     gint64   started,
     GError **error)
{
  for (int i = 1; i <= opt_cycles + 1; i++)
    {
      guint kill_ms;

      /* The start recovers what the last kill left. */
      if (!hg_bench_server_start (&bench.server, opt_server, bench.db, error))
        {
          hg_bench_server_kill (&bench.server);
          g_prefix_error (error, "restart after cycle %u: ", bench.cycle);
          return FALSE;
        }
      if (bench.cycle > 0 && !check (error))
        {
          hg_bench_server_stop (&bench.server);
          return FALSE;
        }
      if (bench.cycle > 0 && (bench.cycle % 20 == 0 || bench.cycle == (guint) opt_cycles))
        print_progress (started);
      if (i > opt_cycles)
        break;

      bench.cycle = i;
      kill_ms = g_rand_int_range (rand, opt_kill_min_ms, opt_kill_max_ms + 1);
      if (!load_and_kill (kill_ms, error))
        return FALSE;
    }
  hg_bench_server_stop (&bench.server);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- acknowledged alerts across SIGKILLs");
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree char *dir = NULL;
  gint64 started;
  gboolean ran, failed;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || opt_server == NULL || opt_cycles < 1 ||
      opt_concurrency < 1 || opt_kill_min_ms < 1 || opt_kill_max_ms < opt_kill_min_ms)
    {
      g_printerr ("usage: hg-bench-durability --server PATH [--cycles N] [--concurrency N] [--seed N]"
                  " [--kill-min-ms MS] [--kill-max-ms MS]\n");
      return 2;
    }
  rand = g_rand_new_with_seed ((guint32) opt_seed);
  bench.acked = g_array_new (FALSE, FALSE, sizeof (Acked));
  bench.acked_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  bench.duplicates = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  bench.first_ack_ms = g_array_new (FALSE, FALSE, sizeof (double));

  dir = g_dir_make_tmp ("hg-bench-durability-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("hg-bench-durability: %s\n", error->message);
      return 1;
    }
  bench.db = g_build_filename (dir, "bench.db", NULL);
  if (!hg_bench_server_start (&bench.server, opt_server, bench.db, &error) || !create_key (&error))
    {
      g_printerr ("hg-bench-durability: %s\n", error->message);
      hg_bench_server_kill (&bench.server);
      return 1;
    }
  hg_bench_server_stop (&bench.server);

  g_print ("durability: %d cycles, %d POSTs in flight, kill %d to %d ms after the load starts, seed %d\n",
           opt_cycles, opt_concurrency, opt_kill_min_ms, opt_kill_max_ms, opt_seed);
  started = g_get_monotonic_time ();
  ran = run (rand, started, &error);
  if (!ran)
    g_printerr ("hg-bench-durability: %s\n", error->message);

  g_array_sort (bench.first_ack_ms, hg_bench_compare_doubles);
  g_print ("durability: cycles %u; kill a mean %.0f ms after the load started (%.0f alerts/s acknowledged),"
           " %u kills waited for their cycle's first 201\n",
           bench.cycle, bench.cycle > 0 ? bench.kill_ms_sum / bench.cycle : 0,
           bench.kill_ms_sum > 0 ? bench.n_acked / (bench.kill_ms_sum / 1000) : 0, bench.postponed);
  g_print ("durability: first 201 after the load started (ms): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n",
           hg_bench_percentile (bench.first_ack_ms, 0.5), hg_bench_percentile (bench.first_ack_ms, 0.9),
           hg_bench_percentile (bench.first_ack_ms, 0.99), hg_bench_percentile (bench.first_ack_ms, 1));
  g_print ("durability: alerts acknowledged %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT
           " whose body the kill cut, checked by dedup_key alone), unacknowledged %" G_GUINT64_FORMAT
           " (in flight at the kill; %" G_GUINT64_FORMAT " of them stored anyway)\n",
           bench.n_acked, bench.n_acked_cut, bench.n_unacked, bench.n_unacked_stored);
  g_print ("durability: refused (not 201) %" G_GUINT64_FORMAT ", failed before the kill %" G_GUINT64_FORMAT
           ", 201s with a wrong body %" G_GUINT64_FORMAT "\n",
           bench.n_refused, bench.n_failed_early, bench.n_bad_201);
  g_print ("durability: lost %u, duplicated %u, integrity failures %u, cycles without an acknowledged alert %u,"
           " server exits before the kill %u\n",
           bench.lost, bench.duplicated, bench.integrity_failures, bench.idle_cycles, bench.early_exits);
  g_print ("durability: total time %.1f s\n", (g_get_monotonic_time () - started) / 1e6);

  failed = !ran || bench.lost > 0 || bench.duplicated > 0 || bench.integrity_failures > 0 ||
           bench.idle_cycles > 0 || bench.early_exits > 0 || bench.n_bad_201 > 0;
  if (failed)
    g_print ("durability: FAILED; the database is kept in %s\n", dir);
  else
    remove_database (dir);
  if (!failed)
    g_print ("durability: OK\n");
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
