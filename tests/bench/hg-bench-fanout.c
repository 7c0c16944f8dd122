/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fan-out benchmark: N WebSocket clients signed in to a real
 * healthguard-server, K alerts posted; for every alert, the time from its
 * 201 to each client's receipt of the incident.created event.
 *
 *   hg-bench-fanout --server PATH [--clients 1000] [--alerts 20] [--interval-ms 100]
 *                   [--background-rate 0]
 *
 * With --background-rate N, N alerts a second of other traffic are posted
 * while the K are measured: another type (BED_EXIT) on the same patients,
 * each with its own dedup key, so each opens its own incident and every
 * client receives its events too; the measured ones (CALL_BUTTON) are told
 * apart by their type; at most 64 of them wait for their 201 at a time,
 * so the rate posted falls short of the one asked when the server cannot
 * keep up. The full run is --clients 1000 --background-rate 100.
 *
 * Also prints the CPU the server and this client used while measuring (in
 * cores' worth) and the server's CPU per frame received: a figure near
 * 1.00 means that side was the limit.
 *
 * Prints figures; exits 1 if any client missed any event, a connection
 * failed or an alert got no 201, so a short run can serve as a smoke
 * test. */
#define G_LOG_DOMAIN "HealthGuard-Bench"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "hg-bench-util.h"

static char *opt_server;
static int opt_clients = 1000;
static int opt_alerts = 20;
static int opt_interval_ms = 100;
static int opt_background_rate = 0;

static const GOptionEntry entries[] = {
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "healthguard-server to start", "PATH" },
  { "clients", 0, 0, G_OPTION_ARG_INT, &opt_clients, "WebSocket clients (default 1000)", "N" },
  { "alerts", 0, 0, G_OPTION_ARG_INT, &opt_alerts, "Alerts to post (default 20)", "K" },
  { "interval-ms", 0, 0, G_OPTION_ARG_INT, &opt_interval_ms, "Time between alerts (default 100)", "MS" },
  { "background-rate", 0, 0, G_OPTION_ARG_INT, &opt_background_rate,
    "Alerts a second of other traffic while measuring (default 0)", "N" },
  { NULL }
};

typedef struct {
  SoupWebsocketConnection *conn;
  guint                    received;
  gboolean                 hello;
} Client;

typedef enum {
  PHASE_CONNECT,
  PHASE_WARMUP,
  PHASE_MEASURE,
} Phase;

typedef struct {
  GMainContext *context;
  SoupSession  *session;        /* sign-ins and the WebSockets */
  SoupSession  *posts;          /* alerts: a session of their own, as every
                                 * request walks its session's connections */
  char         *base;
  GPtrArray    *tokens;
  Client       *clients;
  guint         connected;
  guint         failed;
  guint         hellos;
  guint         closed;
  GHashTable   *posted_at;      /* incident id -> gint64* (µs, 201 received) */
  GHashTable   *sent_at;        /* incident id -> gint64* (µs, POST sent) */
  GArray       *end_to_end;     /* double, ms: POST sent to receipt */
  GHashTable   *receipts;       /* incident id -> GArray of gint64 (µs) */
  GArray       *latencies;      /* double, ms */
  Phase         phase;
  guint         missing_posts;
  guint         posts_done;
  gint64        warmup_id;
  guint         warmup_seen;
  guint         background_source;
  gint64        background_started;  /* µs */
  gint64        background_ended;    /* µs */
  guint         background_posted;
  guint         background_done;
  guint         background_failed;
  guint64       frames_measured;     /* every frame received while measuring */
  guint         clients_done;        /* clients that have received every alert */
} Bench;

static Bench bench;

static void
run_until (gboolean (*done) (void),
           guint      timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (!done () && g_get_monotonic_time () < end)
    g_main_context_iteration (bench.context, TRUE);
}

/* --- The server ------------------------------------------------------- */

static GSubprocess *
start_server (const char *dir,
              GError    **error)
{
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  GSubprocess *server;
  GDataInputStream *lines;
  g_autofree char *line = NULL;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE, error, opt_server, "--demo",
                             "--database", db, "--listen", "127.0.0.1:0", NULL);
  if (server == NULL)
    return NULL;
  lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (server));
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, error)) != NULL)
    {
      const char *at = strstr (line, "Listening on http://");

      if (at != NULL)
        {
          bench.base = g_strndup (at + strlen ("Listening on "), strlen (at + strlen ("Listening on ")) - 1);
          break;
        }
      g_clear_pointer (&line, g_free);
    }
  /* Keep draining the server's log so it never blocks on a full pipe. */
  g_output_stream_splice_async (g_memory_output_stream_new_resizable (), G_INPUT_STREAM (lines),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_LOW, NULL, NULL, NULL);
  if (bench.base == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the server did not start");
      g_object_unref (server);
      return NULL;
    }
  return server;
}

/* --- Clients ---------------------------------------------------------- */

#define MEASURED_TYPE "CALL_BUTTON"
#define BACKGROUND_TYPE "BED_EXIT"

/* Finds "data":{"id":N of the incident.created frame of a measured alert
 * without a full parse or a copy: a thousand clients each parsing every
 * frame would measure the client, not the server. */
static gint64
created_incident_id (const char *text,
                     gsize       len)
{
  const char *data;

  if (g_strstr_len (text, len, "\"type\":\"incident.created\"") == NULL ||
      g_strstr_len (text, len, "\"alert_type\":\"" MEASURED_TYPE "\"") == NULL)
    return 0;
  data = g_strstr_len (text, len, "\"data\":{\"id\":");
  return data ? g_ascii_strtoll (data + strlen ("\"data\":{\"id\":"), NULL, 10) : 0;
}

static void
on_message (SoupWebsocketConnection *conn,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            gpointer                 user_data)
{
  Client *client = user_data;
  gsize len;
  const char *text = g_bytes_get_data (message, &len);
  gint64 now = g_get_monotonic_time ();
  gint64 id;
  GArray *times;

  if (!client->hello)
    {
      client->hello = TRUE;
      bench.hellos++;
      /* Live from now: nothing to replay. */
      soup_websocket_connection_send_text (conn, "{\"type\": \"resume\", \"since\": 0}");
      return;
    }
  if (bench.phase == PHASE_MEASURE)
    bench.frames_measured++;
  id = created_incident_id (text, len);
  if (id == 0)
    return;
  if (bench.phase == PHASE_WARMUP)
    {
      bench.warmup_seen++;
      return;
    }
  /* The event may be here before this loop has read the 201: keep the
   * time and match it with the 201 at the end. */
  times = g_hash_table_lookup (bench.receipts, &id);
  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (bench.receipts, g_memdup2 (&id, sizeof id), times);
    }
  g_array_append_val (times, now);
  if (++client->received == (guint) opt_alerts)
    bench.clients_done++;
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  bench.closed++;
}

static void
connected (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;

  client->conn = soup_session_websocket_connect_finish (bench.session, result, &error);
  if (client->conn == NULL)
    {
      bench.failed++;
      g_warning ("WebSocket connection failed: %s", error->message);
      return;
    }
  bench.connected++;
  g_signal_connect (client->conn, "message", G_CALLBACK (on_message), client);
  g_signal_connect (client->conn, "closed", G_CALLBACK (on_closed), client);
}

static void
connect_client (guint i)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/stream", bench.base);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", (char *) bench.tokens->pdata[i % bench.tokens->len]);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_websocket_connect_async (bench.session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        connected, &bench.clients[i]);
}

static gboolean
all_connected (void)
{
  return bench.connected + bench.failed == (guint) opt_clients;
}

static gboolean
all_hello (void)
{
  return bench.hellos == bench.connected;
}

static gboolean
warmup_done (void)
{
  return bench.warmup_seen == bench.connected;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
posts_done (void)
{
  return bench.posts_done == (guint) opt_alerts;
}

/* Counted as they complete: run_until asks after every dispatch, and a
 * loop over a thousand clients there would cost more than the frames. */
static gboolean
all_received (void)
{
  return bench.clients_done >= bench.connected;
}

/* --- Alerts ----------------------------------------------------------- */

static gint64
parse_incident_id (GBytes *answer)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  if (answer == NULL ||
      !json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL))
    return 0;
  root = json_node_get_object (json_parser_get_root (parser));
  return json_object_get_int_member (json_object_get_object_member (root, "incident"), "id");
}

/* The 201 is known when its status line and headers arrive, not when
 * the client has finished reading the body. */
static void
got_headers (SoupMessage *msg,
             gpointer     user_data)
{
  gint64 *at = g_new (gint64, 1);

  *at = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "hg-201-at", at, g_free);
}

static void
posted (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GBytes) answer = soup_session_send_and_read_finish (bench.posts, result, NULL);
  SoupMessage *msg = soup_session_get_async_result_message (bench.posts, result);
  gint64 id = soup_message_get_status (msg) == 201 ? parse_incident_id (answer) : 0;
  gint64 *at = g_object_get_data (G_OBJECT (msg), "hg-201-at");
  gint64 now = at ? *at : g_get_monotonic_time ();

  bench.posts_done++;
  if (id == 0)
    {
      bench.missing_posts++;
      return;
    }
  g_hash_table_insert (bench.posted_at, g_memdup2 (&id, sizeof id), g_memdup2 (&now, sizeof now));
  g_hash_table_insert (bench.sent_at, g_memdup2 (&id, sizeof id),
                       g_memdup2 (g_object_get_data (G_OBJECT (msg), "hg-sent-at"), sizeof (gint64)));
}

static void
post_alert (guint serial,
            GAsyncReadyCallback callback)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/alerts", bench.base);
  g_autofree char *body = g_strdup_printf ("{\"type\": \"" MEASURED_TYPE "\", \"patient_id\": \"P00%u\","
                                           " \"dedup_key\": \"bench-%u\"}", serial % 8 + 1, serial);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", (char *) bench.tokens->pdata[0]);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers), NULL);
  {
    gint64 *sent = g_new (gint64, 1);

    *sent = g_get_monotonic_time ();
    g_object_set_data_full (G_OBJECT (msg), "hg-sent-at", sent, g_free);
  }
  soup_session_send_and_read_async (bench.posts, msg, G_PRIORITY_DEFAULT, NULL, callback, NULL);
}

static void
warmup_posted (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GBytes) answer = soup_session_send_and_read_finish (bench.posts, result, NULL);

  bench.warmup_id = parse_incident_id (answer);
  if (bench.warmup_id == 0)
    bench.missing_posts++;
}

/* --- Background traffic ------------------------------------------------ */

static void
background_posted_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GBytes) answer = soup_session_send_and_read_finish (bench.posts, result, NULL);
  SoupMessage *msg = soup_session_get_async_result_message (bench.posts, result);

  bench.background_done++;
  if (answer == NULL || soup_message_get_status (msg) != 201)
    {
      if (bench.background_failed++ == 0)
        g_warning ("A background alert answered %u", soup_message_get_status (msg));
    }
}

static void
post_background (guint serial)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/alerts", bench.base);
  g_autofree char *body = g_strdup_printf ("{\"type\": \"" BACKGROUND_TYPE "\", \"patient_id\": \"P00%u\","
                                           " \"dedup_key\": \"background-%u\"}", serial % 8 + 1, serial);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s",
                                           (char *) bench.tokens->pdata[1 % bench.tokens->len]);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (bench.posts, msg, G_PRIORITY_DEFAULT, NULL, background_posted_cb, NULL);
}

/* At most this many background alerts wait for their answer: a client
 * session's queue costs it time for every message in it, so a backlog
 * would slow the client down, not the server. What could not be posted in
 * time shows as a rate below the one asked. */
#define BACKGROUND_IN_FLIGHT 64

/* Posts what is due at the rate since the start, so a late tick catches up. */
static gboolean
background_tick (gpointer data)
{
  gint64 elapsed = g_get_monotonic_time () - bench.background_started;
  guint64 due = (guint64) elapsed * opt_background_rate / G_USEC_PER_SEC + 1;

  while (bench.background_posted < due &&
         bench.background_posted - bench.background_done < BACKGROUND_IN_FLIGHT)
    post_background (bench.background_posted++);
  return G_SOURCE_CONTINUE;
}

static void
background_start (void)
{
  if (opt_background_rate == 0)
    return;
  bench.background_started = g_get_monotonic_time ();
  bench.background_source = g_timeout_add (MAX (1, MIN (10, 1000 / opt_background_rate)), background_tick, NULL);
  background_tick (NULL);
}

static gboolean
background_idle (void)
{
  return bench.background_done == bench.background_posted;
}

static void
background_stop (void)
{
  if (bench.background_source == 0)
    return;
  g_clear_handle_id (&bench.background_source, g_source_remove);
  bench.background_ended = g_get_monotonic_time ();
  run_until (background_idle, 60);
}

static void
collect_latencies (void)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, bench.receipts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 *posted = g_hash_table_lookup (bench.posted_at, key);
      gint64 *sent = g_hash_table_lookup (bench.sent_at, key);
      GArray *times = value;

      for (guint i = 0; posted != NULL && sent != NULL && i < times->len; i++)
        {
          double ms = (g_array_index (times, gint64, i) - *posted) / 1000.0;
          double total = (g_array_index (times, gint64, i) - *sent) / 1000.0;

          g_array_append_val (bench.latencies, ms);
          g_array_append_val (bench.end_to_end, total);
        }
    }
}

/* CPU time (user and system) a process has used, in seconds: @pid is a
 * process id or "self". */
static double
cpu_seconds (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  /* The command may hold spaces: the fields that follow it are counted
   * from its closing parenthesis (state is the first, utime the 12th). */
  if (!g_file_get_contents (path, &stat, NULL, NULL) || !(after = strrchr (stat, ')')))
    return 0;
  fields = g_strsplit (after + 2, " ", 14);
  if (g_strv_length (fields) < 14)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

int
main (int   argc,
      char *argv[])
{
  static const char *const staff[] = {
    "N01", "N02", "N03", "N04", "N05", "N06", "D01", "D02", "D03", "D04", "S01", "S02",
    "S03", "S04", "S05", "S06", "S07", "S08", "S09", "S10", "S11", "S12", "A01",
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- WebSocket fan-out benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *dir = NULL;
  guint64 expected, delivered = 0;
  gint64 rss_idle, rss_connected;
  double cpu_server, cpu_client;
  gint64 measure_start, measure_end;
  int status = EXIT_SUCCESS;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || opt_server == NULL ||
      opt_clients < 1 || opt_alerts < 1 || opt_interval_ms < 0 || opt_background_rate < 0 ||
      opt_background_rate > 1000)
    {
      g_printerr ("usage: hg-bench-fanout --server PATH [--clients N] [--alerts K] [--interval-ms MS]"
                  " [--background-rate N]\n");
      return 2;
    }
  hg_bench_raise_fd_limit ();
  bench.context = g_main_context_default ();
  bench.session = soup_session_new_with_options ("max-conns", opt_clients + 16,
                                                 "max-conns-per-host", opt_clients + 16,
                                                 "timeout", 60, NULL);
  bench.posts = soup_session_new_with_options ("max-conns", 32, "max-conns-per-host", 32, "timeout", 60, NULL);
  bench.posted_at = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  bench.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  bench.sent_at = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  bench.end_to_end = g_array_new (FALSE, FALSE, sizeof (double));
  bench.receipts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_array_unref);
  bench.tokens = g_ptr_array_new_with_free_func (g_free);
  bench.clients = g_new0 (Client, opt_clients);

  dir = g_dir_make_tmp ("hg-bench-XXXXXX", &error);
  server = dir ? start_server (dir, &error) : NULL;
  if (server == NULL)
    {
      g_printerr ("hg-bench-fanout: %s\n", error->message);
      return 1;
    }
  /* The server takes at most 8 streams per session (max_streams_per_token):
   * one session per 8 clients, as stations each sign in, spread over the
   * demo staff. */
  for (guint i = 0; i < MAX (G_N_ELEMENTS (staff), ((guint) opt_clients + 7) / 8); i++)
    {
      char *token = hg_bench_login (bench.session, bench.base, staff[i % G_N_ELEMENTS (staff)], NULL);

      if (token != NULL)
        g_ptr_array_add (bench.tokens, token);
    }
  g_assert (bench.tokens->len > 0);
  rss_idle = hg_bench_process_kb (server, "VmRSS:");

  for (int i = 0; i < opt_clients; i++)
    connect_client (i);
  run_until (all_connected, 120);
  run_until (all_hello, 60);
  /* One alert that everyone must see tells us every client is live. */
  bench.phase = PHASE_WARMUP;
  post_alert (999999, warmup_posted);
  run_until (warmup_done, 60);
  bench.phase = PHASE_MEASURE;
  rss_connected = hg_bench_process_kb (server, "VmRSS:");
  cpu_server = cpu_seconds (g_subprocess_get_identifier (server));
  cpu_client = cpu_seconds ("self");
  measure_start = g_get_monotonic_time ();
  background_start ();

  /* Waits in the loop rather than spinning: a spinning client would take
   * a core the server may need, and its CPU figure would mean nothing. */
  for (int k = 0; k < opt_alerts; k++)
    {
      gboolean due = FALSE;

      g_timeout_add (opt_interval_ms, set_flag, &due);
      post_alert (k, posted);
      while (!due)
        g_main_context_iteration (bench.context, TRUE);
    }
  run_until (posts_done, 60);
  run_until (all_received, 60);
  measure_end = g_get_monotonic_time ();
  cpu_server = cpu_seconds (g_subprocess_get_identifier (server)) - cpu_server;
  cpu_client = cpu_seconds ("self") - cpu_client;
  background_stop ();

  expected = (guint64) bench.connected * (opt_alerts - bench.missing_posts);
  for (int i = 0; i < opt_clients; i++)
    delivered += bench.clients[i].received;
  collect_latencies ();
  g_array_sort (bench.latencies, hg_bench_compare_doubles);
  g_array_sort (bench.end_to_end, hg_bench_compare_doubles);

  g_print ("fan-out: %d clients requested, %u connected, %u failed, %u closed early, %u tokens\n",
           opt_clients, bench.connected, bench.failed, bench.closed, bench.tokens->len);
  g_print ("fan-out: %d alerts (%u without a 201), one every %d ms\n", opt_alerts, bench.missing_posts,
           opt_interval_ms);
  if (opt_background_rate > 0)
    g_print ("fan-out: background traffic: %u alerts (%u without a 201) at %d/s asked, %.1f/s posted over"
             " %.2f s\n", bench.background_posted, bench.background_failed, opt_background_rate,
             bench.background_posted * 1e6 / MAX (1, bench.background_ended - bench.background_started),
             (bench.background_ended - bench.background_started) / 1e6);
  g_print ("fan-out: events delivered %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT "\n", delivered, expected);
  g_print ("fan-out: POST sent to receipt by every client (ms): p50 %.2f  p99 %.2f  max %.2f  (%u samples)\n",
           hg_bench_percentile (bench.end_to_end, 0.50), hg_bench_percentile (bench.end_to_end, 0.99),
           hg_bench_percentile (bench.end_to_end, 1.0), bench.end_to_end->len);
  /* Negative: the event reached the client before the poster read its 201
   * (the server writes the frames in the same loop turn as the answer). */
  g_print ("fan-out: 201 to receipt by every client, receipt minus the 201's arrival (ms):"
           " p50 %.2f  p99 %.2f  max %.2f  (%u samples)\n",
           hg_bench_percentile (bench.latencies, 0.50), hg_bench_percentile (bench.latencies, 0.99),
           hg_bench_percentile (bench.latencies, 1.0), bench.latencies->len);
  g_print ("fan-out: server RSS %" G_GINT64_FORMAT " kB before clients, %" G_GINT64_FORMAT
           " kB with them connected\n", rss_idle, rss_connected);
  /* A core's worth (1.00) on either side means the figures above measure
   * a full CPU's queue, not the fan-out alone. */
  g_print ("fan-out: CPU while measuring (%.2f s): server %.2f, this client %.2f (cores' worth);"
           " %" G_GUINT64_FORMAT " frames received (%.0f/s), %.1f us of server CPU each\n",
           (measure_end - measure_start) / 1e6, cpu_server * 1e6 / MAX (1, measure_end - measure_start),
           cpu_client * 1e6 / MAX (1, measure_end - measure_start), bench.frames_measured,
           bench.frames_measured * 1e6 / MAX (1, measure_end - measure_start),
           cpu_server * 1e6 / MAX (1, bench.frames_measured));

  if (bench.failed > 0 || bench.closed > 0 || bench.missing_posts > 0 || delivered != expected ||
      bench.background_failed > 0)
    status = EXIT_FAILURE;
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  {
    g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);
    g_unlink (db);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  g_print ("%s\n", status == EXIT_SUCCESS ? "fan-out: OK" : "fan-out: FAILED");
  return status;
}
