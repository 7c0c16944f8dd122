/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ingest load tool: posts unique alerts to a running healthguard-server
 * (POST /api/v1/alerts with an integration key) or to a Prometheus
 * Alertmanager (POST /api/v2/alerts), and measures the answers.
 *
 *   hg-bench-load --url URL [--target healthguard|alertmanager]
 *                 [--key KEY | --new-key] [--batch N]
 *                 [--rate R | --connections C] [--duration S] [--warmup S] [--tsv]
 *   hg-bench-load --url URL --make-key       (prints a new integration key)
 *
 * Open loop (--rate R): request k is due at k / R seconds. Its latency runs
 * from that intended time to the end of the answer, so when the server or
 * this tool falls behind the latency says so (no coordinated omission). At
 * most --connections requests are in flight; a due request that finds
 * none free waits, and its wait counts.
 * Closed loop (no --rate): --connections requests in flight, each sent
 * again as soon as its answer is in; latency from the actual send.
 *
 * Every alert is its own condition (a dedup key and a label of its own,
 * unique to the run) unless --duplicate. --batch N posts arrays of N
 * alerts; throughput is counted in alerts, not requests. --refused gives
 * every alert a severity the server does not know: each request is read,
 * signed in, parsed and answered 400, and never reaches the store, which
 * measures what the HTTP side costs alone.
 *
 * Prints figures, or with --tsv one tab-separated line:
 *   target mode rate connections batch duration requests alerts errors
 *   alerts_per_s requests_per_s mean_ms p50_ms p99_ms p999_ms max_ms cpu
 * (cpu: this tool's share of one core; near 1, the figures are the tool's)
 * and, with --server-pid, server_cpu_us_per_alert: the CPU time the
 * server process used in the measured window, per alert answered (-1
 * without --server-pid).
 * Exits 1 on any answer that is not a 2xx (with --refused: a 400) or any
 * failed connection, so a short run is a smoke test; 2 on bad usage. */
#define G_LOG_DOMAIN "HealthGuard-Bench"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <glib-unix.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "hg-bench-util.h"

static char *opt_url;
static char *opt_target = NULL;
static char *opt_key;
static gboolean opt_new_key;
static gboolean opt_make_key;
static char *opt_admin = NULL;
static char *opt_password = NULL;
static double opt_rate;
static int opt_connections;
static double opt_duration = 10;
static double opt_warmup;
static int opt_batch = 1;
static gboolean opt_duplicate;
static gboolean opt_refused;
static int opt_timeout = 30;
static gboolean opt_tsv;
static int opt_server_pid;
static gboolean opt_keep_alive;

static const GOptionEntry entries[] = {
  { "url", 0, 0, G_OPTION_ARG_STRING, &opt_url, "Base URL of the server (http://HOST:PORT)", "URL" },
  { "target", 0, 0, G_OPTION_ARG_STRING, &opt_target, "healthguard (default) or alertmanager", "KIND" },
  { "key", 0, 0, G_OPTION_ARG_STRING, &opt_key, "healthguard: the integration key to post with", "KEY" },
  { "new-key", 0, 0, G_OPTION_ARG_NONE, &opt_new_key, "healthguard: have --admin make a key for the run", NULL },
  { "make-key", 0, 0, G_OPTION_ARG_NONE, &opt_make_key, "healthguard: make a key, print it and exit", NULL },
  { "admin", 0, 0, G_OPTION_ARG_STRING, &opt_admin, "Admin who makes the key (default A01)", "ID" },
  { "password", 0, 0, G_OPTION_ARG_STRING, &opt_password, "The admin's password (default: the demo's)", "PW" },
  { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &opt_rate, "Open loop: requests a second", "R" },
  { "connections", 0, 0, G_OPTION_ARG_INT, &opt_connections,
    "Requests in flight: closed loop (default 64), open loop at most (default 256)", "C" },
  { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &opt_duration, "Seconds measured (default 10)", "S" },
  { "warmup", 0, 0, G_OPTION_ARG_DOUBLE, &opt_warmup, "Seconds of the same load before (default 0)", "S" },
  { "batch", 0, 0, G_OPTION_ARG_INT, &opt_batch, "Alerts per request, as a JSON array (default 1: an object)", "N" },
  { "duplicate", 0, 0, G_OPTION_ARG_NONE, &opt_duplicate, "Every alert the same condition (deduplicated)", NULL },
  { "refused", 0, 0, G_OPTION_ARG_NONE, &opt_refused,
    "healthguard: every alert has a severity the server refuses (400), so the store never sees it:"
    " what a request costs before the store", NULL },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout, "Seconds before a request fails (default 30)", "S" },
  { "tsv", 0, 0, G_OPTION_ARG_NONE, &opt_tsv, "Print one tab-separated line", NULL },
  { "keep-alive", 0, 0, G_OPTION_ARG_NONE, &opt_keep_alive,
    "Send each POST on a connection kept open from the one before, as most HTTP clients do "
    "(default: a new connection for each, libsoup's choice for a POST)", NULL },
  { "server-pid", 0, 0, G_OPTION_ARG_INT, &opt_server_pid,
    "Also measure the CPU time this process (the server, on this machine) used in the measured window", "PID" },
  { NULL }
};

/* --- Histogram ---------------------------------------------------------- */

/* Log-linear buckets of microseconds, as HdrHistogram: exact below 128 µs,
 * then 64 buckets for each power of two (1.6 % resolution) up to 2^41 µs.
 * Fixed memory, constant time to record. */
#define SUB_BITS    7
#define SUB_COUNT   (1u << SUB_BITS)
#define HALF_COUNT  (SUB_COUNT / 2)
#define TOP_BIT     40
#define N_BUCKETS   (SUB_COUNT + (TOP_BIT - SUB_BITS + 1) * HALF_COUNT)

/* A process's CPU time (µs, -1 until read), read when its timer fires. */
typedef struct {
  gint64 us;
  guint  source;
} CpuSnapshot;

typedef struct {
  guint64 counts[N_BUCKETS];
  guint64 count;
  guint64 sum;
  guint64 max;
} Histogram;

static guint
bucket_of (guint64 us)
{
  guint top;

  if (us < SUB_COUNT)
    return us;
  us = MIN (us, (G_GUINT64_CONSTANT (1) << (TOP_BIT + 1)) - 1);
  /* The highest bit set: SUB_BITS .. TOP_BIT. */
  top = us >> 32 ? g_bit_storage ((gulong) (us >> 32)) + 31 : g_bit_storage ((gulong) us) - 1;
  return SUB_COUNT + (top - SUB_BITS) * HALF_COUNT + (guint) ((us >> (top - SUB_BITS + 1)) - HALF_COUNT);
}

/* The highest value that falls in @bucket. */
static guint64
bucket_top (guint bucket)
{
  guint shift, sub;

  if (bucket < SUB_COUNT)
    return bucket;
  shift = (bucket - SUB_COUNT) / HALF_COUNT + 1;
  sub = (bucket - SUB_COUNT) % HALF_COUNT + HALF_COUNT;
  return (((guint64) sub + 1) << shift) - 1;
}

static void
histogram_record (Histogram *h,
                  gint64     us)
{
  guint64 value = MAX (us, 0);

  h->counts[bucket_of (value)]++;
  h->count++;
  h->sum += value;
  h->max = MAX (h->max, value);
}

/* The @q quantile, by the same nearest rank as every other percentile
 * the benchmarks print (hg_bench_rank()). */
static guint64
histogram_percentile (const Histogram *h,
                      double           q)
{
  guint64 rank = hg_bench_rank (q, h->count);
  guint64 seen = 0;

  if (h->count == 0)
    return 0;
  for (guint i = 0; i < N_BUCKETS; i++)
    {
      seen += h->counts[i];
      if (seen >= rank)
        return MIN (bucket_top (i), h->max);
    }
  return h->max;
}

static double
ms (guint64 us)
{
  return us / 1000.0;
}

/* --- Payloads ----------------------------------------------------------- */

typedef enum {
  TARGET_HEALTHGUARD,
  TARGET_ALERTMANAGER,
} Target;

/* A ward's everyday mix, the severity written out so that both servers
 * get the same labels. */
static const struct {
  const char *type;
  const char *severity;
} kinds[] = {
  { "CALL_BUTTON", "low" },
  { "BED_EXIT", "medium" },
  { "LEADS_OFF", "medium" },
  { "INFUSION_PUMP_OCCLUSION", "medium" },
  { "SPO2_LOW", "high" },
  { "PATIENT_FALL", "high" },
};

/* The demo hospital's patients and where they lie. */
static const struct {
  const char *id;
  const char *ward;
  const char *room;
  const char *bed;
} patients[] = {
  { "P001", "Cardiology", "204", "A" },
  { "P002", "Cardiology", "204", "B" },
  { "P003", "Cardiology", "206", "A" },
  { "P004", "Pulmonology", "310", "A" },
  { "P005", "Pulmonology", "312", "B" },
  { "P006", "Neurology", "402", "A" },
  { "P007", "Neurology", "405", "A" },
  { "P008", "Surgery", "508", "B" },
};

/* Everything in these templates is plain ASCII from the tables above and
 * numbers: nothing needs escaping. */
static void
append_alert (GString    *body,
              Target      target,
              const char *run,
              guint64     serial)
{
  guint64 id = opt_duplicate ? 0 : serial;
  guint kind = id % G_N_ELEMENTS (kinds);
  guint patient = (id / G_N_ELEMENTS (kinds)) % G_N_ELEMENTS (patients);

  if (target == TARGET_HEALTHGUARD)
    g_string_append_printf (body,
                            "{\"type\":\"%s\",\"patient_id\":\"%s\","
                            "\"location\":{\"ward\":\"%s\",\"room\":\"%s\",\"bed\":\"%s\"},"
                            "\"severity\":\"%s\",\"message\":\"Bench alert %" G_GUINT64_FORMAT "\","
                            "\"source\":\"hg-bench-load\",\"labels\":{\"bench_id\":\"%s-%" G_GUINT64_FORMAT "\"},"
                            "\"dedup_key\":\"bench/%s/%" G_GUINT64_FORMAT "\"}",
                            kinds[kind].type, patients[patient].id, patients[patient].ward,
                            patients[patient].room, patients[patient].bed,
                            opt_refused ? "unknown" : kinds[kind].severity, id,
                            run, id, run, id);
  else
    g_string_append_printf (body,
                            "{\"labels\":{\"alertname\":\"%s\",\"severity\":\"%s\",\"patient_id\":\"%s\","
                            "\"ward\":\"%s\",\"room\":\"%s\",\"bed\":\"%s\",\"source\":\"hg-bench-load\","
                            "\"bench_id\":\"%s-%" G_GUINT64_FORMAT "\"},"
                            "\"annotations\":{\"summary\":\"Bench alert %" G_GUINT64_FORMAT "\"}}",
                            kinds[kind].type, kinds[kind].severity, patients[patient].id,
                            patients[patient].ward, patients[patient].room, patients[patient].bed,
                            run, id, id);
}

/* HealthGuard takes an object for one alert and an array for a batch;
 * Alertmanager always takes an array. */
static GBytes *
build_body (Target      target,
            const char *run,
            guint64     first,
            guint       n)
{
  GString *body = g_string_sized_new (n * 400 + 2);
  gboolean array = n > 1 || target == TARGET_ALERTMANAGER;

  if (array)
    g_string_append_c (body, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (body, ',');
      append_alert (body, target, run, first + i);
    }
  if (array)
    g_string_append_c (body, ']');
  return g_string_free_to_bytes (body);
}

/* --- The integration key ------------------------------------------------ */

/* Signs in as the admin and makes a key, as healthguard-sim --new-key does. */
static char *
make_key (SoupSession  *session,
          const char   *run,
          GError      **error)
{
  g_autoptr(JsonBuilder) login = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) login_root = NULL;
  g_autofree char *login_body = NULL;
  /* The run is hex digits: nothing in the key's name to escape. */
  g_autofree char *key_body = g_strdup_printf ("{\"name\": \"hg-bench-load-%s\"}", run);
  g_autoptr(JsonObject) session_object = NULL;
  g_autoptr(JsonObject) key_object = NULL;
  const char *token, *secret;

  json_builder_begin_object (login);
  json_builder_set_member_name (login, "staff_id");
  json_builder_add_string_value (login, opt_admin ? opt_admin : "A01");
  json_builder_set_member_name (login, "password");
  json_builder_add_string_value (login, opt_password ? opt_password : "password123");
  json_builder_set_member_name (login, "station");
  json_builder_add_string_value (login, "hg-bench-load");
  json_builder_end_object (login);
  login_root = json_builder_get_root (login);
  json_generator_set_root (generator, login_root);
  login_body = json_generator_to_data (generator, NULL);
  session_object = hg_bench_request_json (session, opt_url, "POST", "/api/v1/auth/login", NULL, login_body,
                                          SOUP_STATUS_OK, error);
  if (session_object == NULL)
    return NULL;
  token = json_object_get_string_member_with_default (session_object, "token", NULL);
  key_object = hg_bench_request_json (session, opt_url, "POST", "/api/v1/integrations", token, key_body,
                                      SOUP_STATUS_CREATED, error);
  if (key_object == NULL)
    return NULL;
  secret = json_object_get_string_member_with_default (key_object, "key", NULL);
  if (secret == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s/api/v1/integrations answered no key", opt_url);
  return g_strdup (secret);
}

/* --- The run ------------------------------------------------------------ */

/* Connections per client session: libsoup walks all of a session's
 * connections for every request, so 256 connections in one session cost
 * more client CPU than the servers under test spend (open loop fell
 * behind at about 1,600 requests/s with a whole core busy). */
#define CONNECTIONS_PER_SESSION 16

typedef struct {
  GMainLoop   *loop;
  SoupSession *session;      /* for the key, before the run */
  GPtrArray   *sessions;     /* the run's, CONNECTIONS_PER_SESSION each */
  Target       target;
  char        *endpoint;
  char        *auth;         /* "Bearer KEY", or NULL */
  char        *run;          /* unique to this run: no alert of an earlier run matches */
  gboolean     open_loop;
  guint        connections;
  double       interval_us;  /* open loop: between intended sends */
  guint64      total;        /* open loop: requests in warm-up and duration */
  gint64       start;        /* monotonic µs */
  gint64       measure_from; /* start + warm-up */
  gint64       end;          /* measure_from + duration */
  guint64      next;         /* requests started */
  guint64      serial;       /* alerts made */
  guint        in_flight;
  gboolean     sending_over;
  int          timer_fd;
  guint        timer_source;
  guint        drain_source;
  /* What was measured: requests due in [measure_from, end). */
  Histogram    latency;
  Histogram    lag;          /* open loop: behind schedule when handed to libsoup */
  double       cpu_share;    /* of one core, this process, over the run */
  CpuSnapshot  server_cpu[2]; /* --server-pid's, at measure_from and at end */
  guint64      requests;
  guint64      alerts;
  gint64       last_answer;
  /* Every request. */
  guint64      errors;
  char        *first_error;
} Load;

typedef struct {
  Load   *load;
  gint64  intended;
  guint   n_alerts;
} Request;

static void pump (Load *load);

static void
maybe_quit (Load *load)
{
  if (load->sending_over && load->in_flight == 0)
    g_main_loop_quit (load->loop);
}

static void
note_error (Load       *load,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
note_error (Load       *load,
            const char *format,
            ...)
{
  va_list args;

  load->errors++;
  if (load->first_error != NULL)
    return;
  va_start (args, format);
  load->first_error = g_strdup_vprintf (format, args);
  va_end (args);
}

static void
answered (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Request *request = user_data;
  Load *load = request->load;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  gint64 now = g_get_monotonic_time ();
  guint status = soup_message_get_status (msg);

  load->in_flight--;
  if (body == NULL)
    note_error (load, "no answer: %s", error->message);
  else if (opt_refused ? status != SOUP_STATUS_BAD_REQUEST : !SOUP_STATUS_IS_SUCCESSFUL (status))
    note_error (load, "HTTP %u: %.*s", status, (int) MIN (g_bytes_get_size (body), 500),
                (const char *) g_bytes_get_data (body, NULL));
  else if (request->intended >= load->measure_from && request->intended < load->end)
    {
      histogram_record (&load->latency, now - request->intended);
      load->requests++;
      load->alerts += request->n_alerts;
      load->last_answer = MAX (load->last_answer, now);
    }
  g_free (request);
  pump (load);
  maybe_quit (load);
}

static void
send_one (Load   *load,
          gint64  intended)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", load->endpoint);
  g_autoptr(GBytes) body = build_body (load->target, load->run, load->serial, opt_batch);
  Request *request = g_new0 (Request, 1);

  request->load = load;
  request->intended = intended;
  request->n_alerts = opt_batch;
  load->serial += opt_batch;
  load->next++;
  load->in_flight++;
  if (load->auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", load->auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  /* libsoup opens a new connection for every request that is not
   * idempotent, unless told that resending it on a stale one is safe. */
  if (opt_keep_alive)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  if (load->open_loop && intended >= load->measure_from && intended < load->end)
    histogram_record (&load->lag, g_get_monotonic_time () - intended);
  soup_session_send_and_read_async (g_ptr_array_index (load->sessions, load->next % load->sessions->len),
                                    msg, G_PRIORITY_DEFAULT, NULL, answered, request);
}

static gint64
intended_time (Load    *load,
               guint64  k)
{
  return load->start + (gint64) (k * load->interval_us);
}

static gboolean
drain_timeout (gpointer user_data)
{
  Load *load = user_data;

  load->drain_source = 0;
  for (guint i = 0; i < load->in_flight; i++)
    note_error (load, "no answer within %d s after the last request", opt_timeout + 5);
  g_main_loop_quit (load->loop);
  return G_SOURCE_REMOVE;
}

static void
stop_sending (Load *load)
{
  load->sending_over = TRUE;
  if (load->drain_source == 0)
    load->drain_source = g_timeout_add_seconds (opt_timeout + 5, drain_timeout, load);
}

/* Wakes at @at (monotonic µs) to the microsecond: GLib's own timeouts
 * round to the millisecond, which would add up to 1 ms to every latency. */
static void
arm_timer (Load   *load,
           gint64  at)
{
  struct itimerspec when = { { 0, 0 }, { at / G_USEC_PER_SEC, (at % G_USEC_PER_SEC) * 1000 } };

  if (timerfd_settime (load->timer_fd, TFD_TIMER_ABSTIME, &when, NULL) != 0)
    g_error ("timerfd_settime: %s", g_strerror (errno));
}

/* Starts what is due, as far as connections allow. */
static void
pump (Load *load)
{
  gint64 now = g_get_monotonic_time ();

  if (load->sending_over)
    return;
  if (!load->open_loop)
    {
      if (now >= load->end)
        {
          stop_sending (load);
          return;
        }
      while (load->in_flight < load->connections)
        send_one (load, g_get_monotonic_time ());
      return;
    }
  while (load->next < load->total && load->in_flight < load->connections &&
         intended_time (load, load->next) <= now)
    send_one (load, intended_time (load, load->next));
  if (load->next >= load->total)
    stop_sending (load);
  else if (intended_time (load, load->next) > now)
    arm_timer (load, intended_time (load, load->next));
  /* Else behind, with every connection busy: the next answer pumps. */
}

static gboolean
timer_fired (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  Load *load = user_data;
  guint64 expirations;

  if (read (fd, &expirations, sizeof expirations) < 0 && errno != EAGAIN)
    g_error ("timerfd read: %s", g_strerror (errno));
  pump (load);
  maybe_quit (load);
  return G_SOURCE_CONTINUE;
}

static gint64
cpu_time_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static int
usage (const char *message)
{
  g_printerr ("hg-bench-load: %s\n"
              "usage: hg-bench-load --url URL [--target healthguard|alertmanager] [--key KEY | --new-key]\n"
              "                     [--batch N] [--rate R | --connections C] [--duration S] [--warmup S] [--tsv]\n"
              "       hg-bench-load --url URL --make-key\n", message);
  return 2;
}

/* CPU time over the measured window, shared by the alerts answered at
 * the measured rate in that window; -1 when not measured. */
static double
server_cpu_per_alert (Load   *load,
                      double  alerts_per_s)
{
  if (opt_server_pid <= 0 || load->server_cpu[0].us < 0 || load->server_cpu[1].us < 0 || alerts_per_s <= 0)
    return -1;
  return (load->server_cpu[1].us - load->server_cpu[0].us) / (alerts_per_s * opt_duration);
}

static gboolean
snapshot_server_cpu (gpointer data)
{
  CpuSnapshot *snapshot = data;

  snapshot->us = hg_bench_process_cpu_us (opt_server_pid);
  snapshot->source = 0;
  return G_SOURCE_REMOVE;
}

static void
report (Load *load)
{
  /* Open loop: the requests are spread over the duration, however soon
   * the last answer came. */
  double window = MAX (load->last_answer - load->measure_from,
                       load->open_loop ? opt_duration * G_USEC_PER_SEC : 1) / (double) G_USEC_PER_SEC;
  double alerts_per_s = load->alerts / window;
  double requests_per_s = load->requests / window;
  const char *target = load->target == TARGET_HEALTHGUARD ? "healthguard" : "alertmanager";
  double mean = load->latency.count ? (double) load->latency.sum / load->latency.count : 0;

  if (opt_tsv)
    {
      g_print ("%s\t%s\t%g\t%u\t%d\t%g\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
               "\t%.1f\t%.1f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f\t%.0f\n",
               target, load->open_loop ? "open" : "closed", load->open_loop ? opt_rate : 0,
               load->connections, opt_batch, opt_duration, load->requests, load->alerts, load->errors,
               alerts_per_s, requests_per_s, mean / 1000, ms (histogram_percentile (&load->latency, 0.5)),
               ms (histogram_percentile (&load->latency, 0.99)),
               ms (histogram_percentile (&load->latency, 0.999)), ms (load->latency.max), load->cpu_share,
               server_cpu_per_alert (load, alerts_per_s));
    }
  else
    {
      if (load->open_loop)
        g_print ("load: %s %s, open loop: %g requests/s for %g s (after %g s warm-up), "
                 "%d alert(s) per request, at most %u in flight\n",
                 target, load->endpoint, opt_rate, opt_duration, opt_warmup, opt_batch, load->connections);
      else
        g_print ("load: %s %s, closed loop: %u connections for %g s (after %g s warm-up), "
                 "%d alert(s) per request\n",
                 target, load->endpoint, load->connections, opt_duration, opt_warmup, opt_batch);
      g_print ("load: %s\n", opt_keep_alive ? "connections kept alive" : "a new connection for each request");
      if (opt_refused)
        g_print ("load: every alert refused (400) before the store, as asked\n");
      g_print ("load: %" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT " alerts answered in %.2f s: "
               "%.1f alerts/s (%.1f requests/s)\n",
               load->requests, load->alerts, window, alerts_per_s, requests_per_s);
      g_print ("load: %" G_GUINT64_FORMAT " errors%s%s\n", load->errors,
               load->first_error ? ", the first: " : "", load->first_error ? load->first_error : "");
      g_print ("load: latency (ms) from the %s send: mean %.3f  p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n",
               load->open_loop ? "intended" : "actual", mean / 1000,
               ms (histogram_percentile (&load->latency, 0.5)), ms (histogram_percentile (&load->latency, 0.99)),
               ms (histogram_percentile (&load->latency, 0.999)), ms (load->latency.max));
      if (load->open_loop)
        g_print ("load: behind schedule at send (ms, part of the above): p50 %.3f  p99 %.3f  max %.3f\n",
                 ms (histogram_percentile (&load->lag, 0.5)), ms (histogram_percentile (&load->lag, 0.99)),
                 ms (load->lag.max));
      g_print ("load: this tool used %.0f %% of a core\n", load->cpu_share * 100);
      if (opt_server_pid > 0)
        g_print ("load: the server used %.0f us of CPU per alert, %.0f %% of a core\n",
                 server_cpu_per_alert (load, alerts_per_s),
                 (load->server_cpu[1].us - load->server_cpu[0].us) / (opt_duration * G_USEC_PER_SEC) * 100);
      g_print ("%s\n", load->errors == 0 ? "load: OK" : "load: FAILED");
    }
  if (opt_tsv && load->first_error != NULL)
    g_printerr ("hg-bench-load: %" G_GUINT64_FORMAT " errors, the first: %s\n", load->errors, load->first_error);
}

static void
load_free (Load *load)
{
  g_clear_handle_id (&load->timer_source, g_source_remove);
  g_clear_handle_id (&load->drain_source, g_source_remove);
  g_clear_handle_id (&load->server_cpu[0].source, g_source_remove);
  g_clear_handle_id (&load->server_cpu[1].source, g_source_remove);
  if (load->open_loop && load->timer_fd > 0)
    close (load->timer_fd);
  g_free (load->endpoint);
  g_free (load->auth);
  g_free (load->first_error);
  g_clear_pointer (&load->sessions, g_ptr_array_unref);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- alert ingest load");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *key = NULL;
  g_autofree char *run = g_strdup_printf ("%08x", g_random_int ());
  g_autoptr(Load) load = NULL;
  gint64 cpu_start;
  int status;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    return usage (error->message);
  if (opt_url == NULL || !g_uri_is_valid (opt_url, G_URI_FLAGS_NONE, NULL))
    return usage ("--url http://HOST:PORT is required");
  if (opt_target != NULL && !g_str_equal (opt_target, "healthguard") && !g_str_equal (opt_target, "alertmanager"))
    return usage ("--target is healthguard or alertmanager");
  if (opt_batch < 1 || opt_batch > 500 || opt_duration <= 0 || opt_warmup < 0 || opt_rate < 0 ||
      opt_connections < 0 || opt_timeout < 1)
    return usage ("a number is out of range (--batch 1 to 500)");
  if (opt_refused && opt_target != NULL && !g_str_equal (opt_target, "healthguard"))
    return usage ("--refused is for healthguard");
  if (opt_key != NULL && opt_new_key)
    return usage ("--key and --new-key do not go together");
  hg_bench_raise_fd_limit ();

  load = g_new0 (Load, 1);
  load->target = opt_target && g_str_equal (opt_target, "alertmanager") ? TARGET_ALERTMANAGER : TARGET_HEALTHGUARD;
  load->open_loop = opt_rate > 0;
  load->connections = opt_connections > 0 ? opt_connections : load->open_loop ? 256 : 64;
  load->run = run;
  session = soup_session_new_with_options ("max-conns", load->connections + 8,
                                           "max-conns-per-host", load->connections + 8,
                                           "timeout", opt_timeout, NULL);
  load->session = session;
  load->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < (guint) load->connections; i += CONNECTIONS_PER_SESSION)
    g_ptr_array_add (load->sessions,
                     soup_session_new_with_options ("max-conns", CONNECTIONS_PER_SESSION + 2,
                                                    "max-conns-per-host", CONNECTIONS_PER_SESSION + 2,
                                                    "timeout", opt_timeout, NULL));

  if (opt_make_key || opt_new_key)
    {
      key = make_key (session, run, &error);
      if (key == NULL)
        {
          g_printerr ("hg-bench-load: could not make an integration key: %s\n", error->message);
          return 1;
        }
      if (opt_make_key)
        {
          g_print ("%s\n", key);
          return 0;
        }
    }
  else if (opt_key != NULL)
    key = g_strdup (opt_key);
  if (load->target == TARGET_HEALTHGUARD && key == NULL)
    return usage ("healthguard needs --key or --new-key");

  loop = g_main_loop_new (NULL, FALSE);
  load->loop = loop;
  load->endpoint = g_strdup_printf ("%s%s", opt_url,
                                    load->target == TARGET_HEALTHGUARD ? "/api/v1/alerts" : "/api/v2/alerts");
  load->auth = load->target == TARGET_HEALTHGUARD ? g_strdup_printf ("Bearer %s", key) : NULL;
  load->start = g_get_monotonic_time ();
  load->measure_from = load->start + (gint64) (opt_warmup * G_USEC_PER_SEC);
  load->end = load->measure_from + (gint64) (opt_duration * G_USEC_PER_SEC);
  if (load->open_loop)
    {
      load->interval_us = G_USEC_PER_SEC / opt_rate;
      load->total = MAX ((guint64) ((opt_warmup + opt_duration) * opt_rate + 0.5), 1);
      load->timer_fd = timerfd_create (CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
      if (load->timer_fd < 0)
        g_error ("timerfd_create: %s", g_strerror (errno));
      load->timer_source = g_unix_fd_add (load->timer_fd, G_IO_IN, timer_fired, load);
    }
  if (opt_server_pid > 0)
    {
      for (guint i = 0; i < 2; i++)
        {
          load->server_cpu[i].us = -1;
          load->server_cpu[i].source =
            g_timeout_add_full (G_PRIORITY_HIGH, (guint) ((opt_warmup + i * opt_duration) * 1000),
                                snapshot_server_cpu, &load->server_cpu[i], NULL);
        }
    }
  cpu_start = cpu_time_us ();
  pump (load);
  g_main_loop_run (loop);
  /* The last answers came in before the window's timer fired. */
  if (load->server_cpu[1].source != 0)
    {
      g_clear_handle_id (&load->server_cpu[1].source, g_source_remove);
      snapshot_server_cpu (&load->server_cpu[1]);
    }
  load->cpu_share = (cpu_time_us () - cpu_start) / (double) MAX (g_get_monotonic_time () - load->start, 1);

  report (load);
  status = load->errors == 0 && load->requests > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
  if (load->requests == 0 && load->errors == 0)
    g_printerr ("hg-bench-load: no request was answered in the measured window\n");
  return status;
}
