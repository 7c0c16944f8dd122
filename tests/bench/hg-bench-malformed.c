/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile-body benchmark: a real healthguard-server receives M requests
 * whose bodies are malformed (JSONTestSuite-style: trailing commas, deep
 * nesting, bad UTF-8, lone surrogates, huge numbers, NUL bytes, …) on
 * POST /api/v1/alerts and the other routes that read a body, and hostile
 * query strings on GET /api/v1/incidents. Every answer
 * must be a 4xx with a JSON error body: never a 2xx, never a 5xx, never a
 * dropped connection. The server's memory must stay flat.
 *
 *   hg-bench-malformed --server PATH [--requests 100000] [--concurrency 16]
 *
 * Prints requests/s, the count by status and the server's VmRSS; exits 1
 * on any answer that is not a 4xx, any transport failure, or when VmRSS
 * grows more than 10 % + 2 MB between the 10 % mark and the end. */
#define G_LOG_DOMAIN "HealthGuard-Bench"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "hg-bench-util.h"

/* Built with AddressSanitizer, so is the server next to it: its quarantine
 * holds on to freed memory, and VmRSS says nothing about leaks (ASan's
 * leak checker does, at exit). */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static char *opt_server;
static int opt_requests = 100000;
static int opt_concurrency = 16;

static const GOptionEntry entries[] = {
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "healthguard-server to start", "PATH" },
  { "requests", 0, 0, G_OPTION_ARG_INT, &opt_requests, "Requests to send (default 100000)", "M" },
  { "concurrency", 0, 0, G_OPTION_ARG_INT, &opt_concurrency, "Requests in flight (default 16)", "N" },
  { NULL }
};

/* --- The cases --------------------------------------------------------- */

typedef enum {
  CASE_SYNTAX = 1 << 0,        /* not JSON at all: every route refuses it */
  CASE_EMPTY = 1 << 1,         /* empty: routes with an optional body take it */
  CASE_TEXT_PLAIN = 1 << 2,    /* sent as text/plain */
  CASE_LATIN1 = 1 << 3,        /* sent as application/json; charset=iso-8859-1 */
} CaseFlags;

typedef struct {
  const char *name;
  GBytes     *body;
  CaseFlags   flags;
} Case;

#define LITERAL(name, text, flags) { name, text, sizeof (text) - 1, flags }

/* Bodies that are not JSON (JSONTestSuite's n_ cases and the i_ cases
 * this server refuses), then JSON that is no alert. */
static const struct {
  const char *name;
  const char *data;
  gsize       len;
  CaseFlags   flags;
} literal_cases[] = {
  LITERAL ("empty", "", CASE_SYNTAX | CASE_EMPTY),
  LITERAL ("whitespace only", " \t\r\n ", CASE_SYNTAX),
  LITERAL ("trailing comma in object", "{\"type\": \"PATIENT_FALL\",}", CASE_SYNTAX),
  LITERAL ("trailing comma in array", "[{\"type\": \"PATIENT_FALL\"},]", CASE_SYNTAX),
  LITERAL ("double comma", "{\"type\": \"PATIENT_FALL\",, \"patient_id\": \"P001\"}", CASE_SYNTAX),
  LITERAL ("single quotes", "{'type': 'PATIENT_FALL'}", CASE_SYNTAX),
  LITERAL ("line comment", "{\"type\": \"PATIENT_FALL\"} // fall", CASE_SYNTAX),
  LITERAL ("block comment", "{/* c */\"type\": \"PATIENT_FALL\"}", CASE_SYNTAX),
  LITERAL ("leading zero", "{\"type\": \"PATIENT_FALL\", \"id\": 01}", CASE_SYNTAX),
  LITERAL ("two roots", "{} {}", CASE_SYNTAX),
  LITERAL ("unclosed object", "{\"type\": \"PATIENT_FALL\"", CASE_SYNTAX),
  LITERAL ("unclosed array", "[{\"type\": \"PATIENT_FALL\"}", CASE_SYNTAX),
  LITERAL ("unterminated string", "{\"type\": \"PATIENT_FALL", CASE_SYNTAX),
  LITERAL ("mismatched brackets", "{\"type\": \"PATIENT_FALL\"]", CASE_SYNTAX),
  LITERAL ("close without open", "]", CASE_SYNTAX),
  LITERAL ("bad escape", "{\"type\": \"\\x41\"}", CASE_SYNTAX),
  LITERAL ("short unicode escape", "{\"type\": \"\\u12\"}", CASE_SYNTAX),
  LITERAL ("raw tab in string", "{\"type\": \"PATIENT\tFALL\"}", CASE_SYNTAX),
  LITERAL ("raw newline in string", "{\"type\": \"PATIENT\nFALL\"}", CASE_SYNTAX),
  LITERAL ("unquoted key", "{type: \"PATIENT_FALL\"}", CASE_SYNTAX),
  LITERAL ("missing colon", "{\"type\" \"PATIENT_FALL\"}", CASE_SYNTAX),
  LITERAL ("NaN", "{\"type\": \"PATIENT_FALL\", \"id\": NaN}", CASE_SYNTAX),
  LITERAL ("Infinity", "[Infinity]", CASE_SYNTAX),
  LITERAL ("plus sign", "[+1]", CASE_SYNTAX),
  LITERAL ("hex number", "[0x10]", CASE_SYNTAX),
  LITERAL ("number starting with a dot", "[.5]", CASE_SYNTAX),
  LITERAL ("number ending with a dot", "[1.]", CASE_SYNTAX),
  LITERAL ("bare exponent", "[1e]", CASE_SYNTAX),
  LITERAL ("minus alone", "[-]", CASE_SYNTAX),
  LITERAL ("truncated true", "[tru]", CASE_SYNTAX),
  LITERAL ("capital NULL", "[NULL]", CASE_SYNTAX),
  LITERAL ("byte order mark", "\xef\xbb\xbf{\"type\": \"PATIENT_FALL\"}", CASE_SYNTAX),
  LITERAL ("NUL after the value", "{\"type\": \"PATIENT_FALL\"}\0", CASE_SYNTAX),
  LITERAL ("NUL in a string", "{\"type\": \"PATIENT\0FALL\"}", CASE_SYNTAX),
  LITERAL ("NUL only", "\0", CASE_SYNTAX),
  LITERAL ("invalid UTF-8 byte", "{\"type\": \"PATIENT_FALL\", \"message\": \"\xff\"}", CASE_SYNTAX),
  LITERAL ("overlong UTF-8", "{\"type\": \"PATIENT_FALL\", \"message\": \"\xc0\xaf\"}", CASE_SYNTAX),
  LITERAL ("truncated UTF-8", "{\"type\": \"PATIENT_FALL\", \"message\": \"\xe2\x82\"}", CASE_SYNTAX),
  LITERAL ("UTF-8 encoded surrogate", "{\"type\": \"PATIENT_FALL\", \"message\": \"\xed\xa0\x80\"}", CASE_SYNTAX),
  LITERAL ("UTF-8 above U+10FFFF", "{\"type\": \"PATIENT_FALL\", \"message\": \"\xf4\x90\x80\x80\"}", CASE_SYNTAX),
  LITERAL ("UTF-16LE", "{\0\"\0t\0y\0p\0e\0\"\0:\0\"\0X\0\"\0}\0", CASE_SYNTAX),
  LITERAL ("lone high surrogate", "{\"type\": \"PATIENT_FALL\", \"message\": \"\\ud800\"}", CASE_SYNTAX),
  LITERAL ("lone low surrogate", "{\"type\": \"PATIENT_FALL\", \"message\": \"\\udc00\"}", CASE_SYNTAX),
  LITERAL ("high surrogate then a letter", "{\"type\": \"PATIENT_FALL\", \"message\": \"\\ud800\\u0041\"}", CASE_SYNTAX),
  LITERAL ("reversed surrogates", "{\"type\": \"PATIENT_FALL\", \"message\": \"\\udc00\\ud800\"}", CASE_SYNTAX),
  LITERAL ("huge exponent", "{\"type\": \"PATIENT_FALL\", \"id\": 1e999}", CASE_SYNTAX),
  LITERAL ("integer past 64 bits", "{\"type\": \"PATIENT_FALL\", \"id\": 18446744073709551617}", CASE_SYNTAX),
  LITERAL ("30-digit integer", "[123456789012345678901234567890]", CASE_SYNTAX),
  LITERAL ("valid JSON as text/plain", "{\"type\": \"PATIENT_FALL\"}", CASE_SYNTAX | CASE_TEXT_PLAIN),
  LITERAL ("valid JSON in Latin-1", "{\"type\": \"PATIENT_FALL\"}", CASE_SYNTAX | CASE_LATIN1),

  /* JSON, but no alert: POST /api/v1/alerts only. */
  LITERAL ("type is a number", "{\"type\": 1}", 0),
  LITERAL ("no type", "{\"patient_id\": \"P001\"}", 0),
  LITERAL ("type in lower case", "{\"type\": \"patient_fall\"}", 0),
  LITERAL ("empty batch", "[]", 0),
  LITERAL ("batch of numbers", "[1, 2, 3]", 0),
  LITERAL ("bare string", "\"PATIENT_FALL\"", 0),
  LITERAL ("unknown severity", "{\"type\": \"PATIENT_FALL\", \"severity\": \"urgent\"}", 0),
  LITERAL ("February 30", "{\"type\": \"PATIENT_FALL\", \"occurred_at\": \"2024-02-30T00:00:00Z\"}", 0),
  LITERAL ("unknown alert type", "{\"type\": \"NO_SUCH_TYPE\"}", 0),
};

/* Cases too large to write out. */
static GPtrArray *
built_cases (void)
{
  GPtrArray *cases = g_ptr_array_new ();
  GString *text;
  Case *c;

  /* Far deeper than the 32 levels allowed: the pre-scan stops it. */
  text = g_string_new (NULL);
  for (int i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  c = g_new0 (Case, 1);
  c->name = "100000 open brackets";
  c->flags = CASE_SYNTAX;
  c->body = g_string_free_to_bytes (text);
  g_ptr_array_add (cases, c);

  text = g_string_new (NULL);
  for (int i = 0; i < 33; i++)
    g_string_append (text, "{\"a\":");
  g_string_append (text, "1");
  for (int i = 0; i < 33; i++)
    g_string_append_c (text, '}');
  c = g_new0 (Case, 1);
  c->name = "33 nested objects";
  c->flags = CASE_SYNTAX;
  c->body = g_string_free_to_bytes (text);
  g_ptr_array_add (cases, c);

  text = g_string_new ("[");
  for (int i = 0; i < 501; i++)
    g_string_append_printf (text, "%s{\"type\": \"CALL_BUTTON\"}", i ? ", " : "");
  g_string_append (text, "]");
  c = g_new0 (Case, 1);
  c->name = "batch of 501";
  c->body = g_string_free_to_bytes (text);
  g_ptr_array_add (cases, c);

  text = g_string_new ("{\"type\": \"PATIENT_FALL\", \"message\": \"");
  for (int i = 0; i < 2001; i++)
    g_string_append_c (text, 'm');
  g_string_append (text, "\"}");
  c = g_new0 (Case, 1);
  c->name = "message of 2001 characters";
  c->body = g_string_free_to_bytes (text);
  g_ptr_array_add (cases, c);

  text = g_string_new ("{\"type\": \"PATIENT_FALL\", \"labels\": {");
  for (int i = 0; i < 33; i++)
    g_string_append_printf (text, "%s\"k%d\": \"v\"", i ? ", " : "", i);
  g_string_append (text, "}}");
  c = g_new0 (Case, 1);
  c->name = "33 labels";
  c->body = g_string_free_to_bytes (text);
  g_ptr_array_add (cases, c);

  return cases;
}

/* --- Routes ------------------------------------------------------------ */

typedef enum {
  AUTH_NURSE,
  AUTH_ADMIN,
  AUTH_NONE,
} RouteAuth;

typedef struct {
  const char *method;
  const char *path;          /* {id}: the incident id */
  RouteAuth   auth;
  gboolean    all_cases;     /* FALSE: only the cases that are not JSON */
  gboolean    optional_body; /* an empty body is a valid one */
} Route;

static const Route routes[] = {
  { "POST", "/api/v1/alerts", AUTH_NURSE, TRUE, FALSE },
  { "POST", "/api/v1/auth/login", AUTH_NONE, FALSE, FALSE },
  { "POST", "/api/v1/incidents/{id}/notes", AUTH_NURSE, FALSE, FALSE },
  { "POST", "/api/v1/incidents/{id}/acknowledge", AUTH_NURSE, FALSE, TRUE },
  { "POST", "/api/v1/schedules", AUTH_ADMIN, FALSE, FALSE },
  { "PUT", "/api/v1/me/availability", AUTH_NURSE, FALSE, FALSE },
};

/* And hostile query strings, whose refusals echo what was sent. */
static const Route list_route = { "GET", "/api/v1/incidents", AUTH_NURSE, FALSE, FALSE };

static const char *const query_cases[] = {
  "?status=%C1pen",
  "?severity=%FF%FE",
  "?status=open,%ED%A0%80",
  "?ward=%C0%AF",
  "?limit=%00",
  "?limit=1e3",
  "?cursor=%FF%FF%FF%FF",
};

typedef struct {
  const Route *route;
  const Case  *c;
  char        *url;
} Pair;

/* --- The run ----------------------------------------------------------- */

typedef struct {
  SoupSession *session;
  char        *base;
  char        *nurse_token;
  char        *admin_token;
  GPtrArray   *pairs;           /* Pair* */
  GSubprocess *server;
  GOutputStream *server_log;    /* what the server wrote after starting */
  guint        sent;
  guint        done;
  guint        in_flight;
  guint        by_status[600];
  guint        transport_failures;
  guint        bad_bodies;
  guint        reported;
  gint64       rss_first;       /* kB at 1,000 requests */
  gint64       rss_mark;        /* kB at the 10 % mark */
  gint64       rss_half;
  gint64       started;
} Bench;

static Bench bench;

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
          at += strlen ("Listening on ");
          bench.base = g_strndup (at, strlen (at) - 1);
          break;
        }
      g_clear_pointer (&line, g_free);
    }
  /* Keep draining the server's log so it never blocks on a full pipe. */
  bench.server_log = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (bench.server_log, G_INPUT_STREAM (lines),
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

/* One real incident, so that the incident routes get past the lookup. */
static char *
create_incident (void)
{
  g_autoptr(JsonObject) answer = hg_bench_request_json (bench.session, bench.base, "POST", "/api/v1/alerts",
                                                        bench.nurse_token,
                                                        "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P001\"}",
                                                        201, NULL);
  JsonObject *incident;

  if (answer == NULL || !(incident = json_object_get_object_member (answer, "incident")))
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (incident, "id"));
}

static void
build_pairs (GPtrArray  *cases,
             const char *incident)
{
  bench.pairs = g_ptr_array_new ();
  for (guint r = 0; r < G_N_ELEMENTS (routes); r++)
    {
      g_autoptr(GString) path = g_string_new (routes[r].path);

      g_string_replace (path, "{id}", incident, 0);

      for (guint i = 0; i < cases->len; i++)
        {
          const Case *c = cases->pdata[i];
          Pair *pair;

          if (!routes[r].all_cases && !(c->flags & CASE_SYNTAX))
            continue;
          if (routes[r].optional_body && (c->flags & CASE_EMPTY))
            continue;
          pair = g_new0 (Pair, 1);
          pair->route = &routes[r];
          pair->c = c;
          pair->url = g_strconcat (bench.base, path->str, NULL);
          g_ptr_array_add (bench.pairs, pair);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (query_cases); i++)
    {
      Case *c = g_new0 (Case, 1);
      Pair *pair = g_new0 (Pair, 1);

      c->name = query_cases[i];
      pair->route = &list_route;
      pair->c = c;
      pair->url = g_strconcat (bench.base, list_route.path, query_cases[i], NULL);
      g_ptr_array_add (bench.pairs, pair);
    }
}

/* A refusal carries {"error": {"code": "…", …}} in valid UTF-8. */
static gboolean
is_error_body (GBytes *answer)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = answer ? g_bytes_get_data (answer, &len) : NULL;
  JsonNode *root;
  JsonObject *error;

  if (data == NULL || !g_utf8_validate_len (data, len, NULL) ||
      !json_parser_load_from_data (parser, data, len, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !(error = json_object_get_object_member (json_node_get_object (root), "error")))
    return FALSE;
  return json_object_get_string_member_with_default (error, "code", NULL) != NULL;
}

static void send_next (void);

static void
report (const Pair *pair,
        const char *what)
{
  /* The first few are enough to say what broke. */
  if (bench.reported++ < 10)
    g_printerr ("malformed: %s %s, case '%s': %s\n", pair->route->method, pair->route->path,
                pair->c->name, what);
}

static void
answered (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  const Pair *pair = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = soup_session_send_and_read_finish (bench.session, result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (bench.session, result);
  guint status = soup_message_get_status (msg);

  bench.in_flight--;
  bench.done++;
  if (answer == NULL)
    {
      bench.transport_failures++;
      report (pair, error->message);
    }
  else
    {
      bench.by_status[MIN (status, G_N_ELEMENTS (bench.by_status) - 1)]++;
      if (status < 400 || status >= 500)
        {
          g_autofree char *what = g_strdup_printf ("answered %u", status);
          report (pair, what);
        }
      else if (!is_error_body (answer))
        {
          bench.bad_bodies++;
          report (pair, "the 4xx has no JSON error body in UTF-8");
        }
    }

  if (bench.done == 1000)
    bench.rss_first = hg_bench_process_kb (bench.server, "VmRSS:");
  if (bench.done == (guint) opt_requests / 10)
    bench.rss_mark = hg_bench_process_kb (bench.server, "VmRSS:");
  if (bench.done == (guint) opt_requests / 2)
    bench.rss_half = hg_bench_process_kb (bench.server, "VmRSS:");
  send_next ();
}

static void
send_next (void)
{
  while (bench.in_flight < (guint) opt_concurrency && bench.sent < (guint) opt_requests)
    {
      const Pair *pair = bench.pairs->pdata[bench.sent % bench.pairs->len];
      g_autoptr(SoupMessage) msg = soup_message_new (pair->route->method, pair->url);
      SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
      const char *type = "application/json";
      const char *token = NULL;

      if (pair->c->flags & CASE_TEXT_PLAIN)
        type = "text/plain";
      else if (pair->c->flags & CASE_LATIN1)
        type = "application/json; charset=iso-8859-1";
      if (pair->route->auth == AUTH_NURSE)
        token = bench.nurse_token;
      else if (pair->route->auth == AUTH_ADMIN)
        token = bench.admin_token;
      if (token != NULL)
        {
          g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
          soup_message_headers_replace (headers, "Authorization", auth);
        }
      if (pair->c->body != NULL)
        soup_message_set_request_body_from_bytes (msg, type, pair->c->body);
      bench.sent++;
      bench.in_flight++;
      soup_session_send_and_read_async (bench.session, msg, G_PRIORITY_DEFAULT, NULL,
                                        answered, (gpointer) pair);
    }
}

static GPtrArray *
all_cases (void)
{
  GPtrArray *cases = built_cases ();

  for (guint i = 0; i < G_N_ELEMENTS (literal_cases); i++)
    {
      Case *c = g_new0 (Case, 1);

      c->name = literal_cases[i].name;
      c->flags = literal_cases[i].flags;
      c->body = g_bytes_new_static (literal_cases[i].data, literal_cases[i].len);
      g_ptr_array_add (cases, c);
    }
  return cases;
}

static void
remove_dir (const char *dir)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/bench.db%s", dir, suffixes[i]);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static gboolean
server_alive (void)
{
  g_autofree char *url = g_strconcat (bench.base, "/health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) answer = soup_session_send_and_read (bench.session, msg, NULL, NULL);

  return answer != NULL && soup_message_get_status (msg) == 200;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- malformed-body benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *incident = NULL;
  guint refused = 0, other = 0;
  gint64 rss_end, allowed;
  double seconds;
  gboolean alive, ok;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || opt_server == NULL ||
      opt_requests < 10 || opt_concurrency < 1)
    {
      g_printerr ("usage: hg-bench-malformed --server PATH [--requests M>=10] [--concurrency N]\n");
      return 2;
    }
  bench.session = soup_session_new_with_options ("max-conns", opt_concurrency * 2,
                                                 "max-conns-per-host", opt_concurrency * 2,
                                                 "timeout", 60, NULL);
  dir = g_dir_make_tmp ("hg-bench-XXXXXX", &error);
  bench.server = dir ? start_server (dir, &error) : NULL;
  if (bench.server == NULL)
    {
      g_printerr ("hg-bench-malformed: %s\n", error->message);
      return 1;
    }
  bench.nurse_token = hg_bench_login (bench.session, bench.base, "N01", NULL);
  bench.admin_token = hg_bench_login (bench.session, bench.base, "A01", NULL);
  incident = bench.nurse_token ? create_incident () : NULL;
  if (bench.nurse_token == NULL || incident == NULL)
    {
      g_printerr ("hg-bench-malformed: cannot sign in as N01 or raise an incident\n");
      g_subprocess_send_signal (bench.server, SIGTERM);
      return 1;
    }
  if (bench.admin_token == NULL)
    bench.admin_token = g_strdup (bench.nurse_token);   /* a 403, still a 4xx */
  cases = all_cases ();
  build_pairs (cases, incident);

  bench.started = g_get_monotonic_time ();
  send_next ();
  while (bench.done < (guint) opt_requests)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - bench.started) / (double) G_USEC_PER_SEC;
  rss_end = hg_bench_process_kb (bench.server, "VmRSS:");
  alive = server_alive ();

  for (guint s = 0; s < G_N_ELEMENTS (bench.by_status); s++)
    {
      if (bench.by_status[s] == 0)
        continue;
      if (s >= 400 && s < 500)
        refused += bench.by_status[s];
      else
        other += bench.by_status[s];
    }
  /* Flat: at most 10 % + 2 MB more at the end than at the 10 % mark. */
  allowed = bench.rss_mark + bench.rss_mark / 10 + 2048;

  g_print ("malformed: %d requests (%u cases x routes, %d in flight) in %.1f s: %.0f requests/s\n",
           opt_requests, bench.pairs->len, opt_concurrency, seconds, opt_requests / seconds);
  g_print ("malformed: by status:");
  for (guint s = 0; s < G_N_ELEMENTS (bench.by_status); s++)
    if (bench.by_status[s] > 0)
      g_print (" %u: %u", s, bench.by_status[s]);
  g_print ("; transport failures: %u; 4xx without a JSON error body: %u\n",
           bench.transport_failures, bench.bad_bodies);
  g_print ("malformed: server VmRSS %" G_GINT64_FORMAT " kB at 1,000 requests, %" G_GINT64_FORMAT
           " kB at %d (10 %%), %" G_GINT64_FORMAT " kB at %d, %" G_GINT64_FORMAT " kB at the end (allowed %"
           G_GINT64_FORMAT " kB%s)\n",
           bench.rss_first, bench.rss_mark, opt_requests / 10, bench.rss_half, opt_requests / 2,
           rss_end, allowed, UNDER_ASAN ? ", not checked under AddressSanitizer" : "");
  g_print ("malformed: server %s after the run\n", alive ? "answers /health" : "DOES NOT answer /health");

  ok = refused == (guint) opt_requests && other == 0 && bench.transport_failures == 0 &&
       bench.bad_bodies == 0 && alive &&
       (UNDER_ASAN || (bench.rss_mark > 0 && rss_end > 0 && rss_end <= allowed));
  g_subprocess_send_signal (bench.server, SIGTERM);
  g_subprocess_wait (bench.server, NULL, NULL);
  /* A sanitizer's report (a leak, say) makes the server exit non-zero. */
  if (!g_subprocess_get_if_exited (bench.server) || g_subprocess_get_exit_status (bench.server) != 0)
    {
      GMemoryOutputStream *log = G_MEMORY_OUTPUT_STREAM (bench.server_log);
      gsize size;

      /* Let the splice read what is left of the server's stderr. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      size = g_memory_output_stream_get_data_size (log);
      g_print ("malformed: the server did not exit cleanly on SIGTERM; the end of its log:\n%.*s\n",
               (int) MIN (size, 4000), (const char *) g_memory_output_stream_get_data (log) + size - MIN (size, 4000));
      ok = FALSE;
    }
  remove_dir (dir);
  g_print ("%s\n", ok ? "malformed: OK" : "malformed: FAILED");
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
