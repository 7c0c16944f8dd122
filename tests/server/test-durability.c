/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance: a test posts 500 alerts from several connections, kills the
 * server with SIGKILL, restarts it on the same file, and finds every alert
 * that got a 201.
 *
 * These tests run the real program (HG_SERVER_BINARY, set by meson), not
 * the in-process harness: only a separate process can be killed. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hg-test-server.h"

#define N_THREADS       5
#define PER_THREAD      100
#define KILL_AFTER      250
#define START_TIMEOUT_S 60

/* --- The server process ----------------------------------------------- */

typedef struct {
  GSubprocess *process;
  GThread     *drain;
  GMutex       lock;
  GCond        changed;
  guint        port;      /* 0 until it said where it listens */
  gboolean     eof;
  GString     *log;       /* its stderr, for failure reports */
} Server;

/* Reads the server's stderr to its end: learns the port from the
 * "Listening on http://127.0.0.1:PORT/" line and keeps the rest for the
 * report, so the pipe never fills up and blocks the server. */
static gpointer
drain_stderr (gpointer data)
{
  Server *server = data;
  g_autoptr(GDataInputStream) lines =
    g_data_input_stream_new (g_subprocess_get_stderr_pipe (server->process));
  char *line;

  while ((line = g_data_input_stream_read_line (lines, NULL, NULL, NULL)) != NULL)
    {
      const char *listening = strstr (line, "Listening on http://127.0.0.1:");

      g_mutex_lock (&server->lock);
      if (server->log->len < 256 * 1024)
        g_string_append_printf (server->log, "%s\n", line);
      if (listening != NULL && server->port == 0)
        {
          server->port = g_ascii_strtoull (listening + strlen ("Listening on http://127.0.0.1:"), NULL, 10);
          g_cond_broadcast (&server->changed);
        }
      g_mutex_unlock (&server->lock);
      g_free (line);
    }
  g_mutex_lock (&server->lock);
  server->eof = TRUE;
  g_cond_broadcast (&server->changed);
  g_mutex_unlock (&server->lock);
  return NULL;
}

static const char *
server_binary (void)
{
  const char *binary = g_getenv ("HG_SERVER_BINARY");

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("HG_SERVER_BINARY must name the healthguard-server program to test (it is %s%s%s); "
             "run these tests with \"meson test\", which sets it",
             binary ? "\"" : "", binary ? binary : "unset", binary ? "\", not an executable" : "");
  return binary;
}

static Server *
server_spawn (const char *db_path,
              gboolean    demo)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { server_binary (), "--database", db_path, "--listen", "127.0.0.1:0",
                         demo ? "--demo" : NULL, NULL };
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_TIME_SPAN_SECOND;

  g_mutex_init (&server->lock);
  g_cond_init (&server->changed);
  server->log = g_string_new (NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  server->drain = g_thread_new ("server-stderr", drain_stderr, server);

  g_mutex_lock (&server->lock);
  while (server->port == 0 && !server->eof)
    if (!g_cond_wait_until (&server->changed, &server->lock, deadline))
      break;
  g_mutex_unlock (&server->lock);
  if (server->port == 0)
    {
      g_test_message ("healthguard-server did not say where it listens; its log:\n%s", server->log->str);
      g_assert_cmpuint (server->port, !=, 0);
    }
  g_test_message ("healthguard-server %s listens on port %u", g_subprocess_get_identifier (server->process),
                  server->port);
  return server;
}

/* Waits for the process to end and for its stderr to be read out. */
static void
server_wait (Server *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_thread_join (g_steal_pointer (&server->drain));
}

static void
server_stop_cleanly (Server *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  server_wait (server);
  if (!g_subprocess_get_if_exited (server->process) || g_subprocess_get_exit_status (server->process) != 0)
    g_test_message ("healthguard-server did not exit cleanly; its log:\n%s", server->log->str);
  /* SIGTERM stops it cleanly: exit 0. */
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
}

static void
server_free (Server *server)
{
  if (server == NULL)
    return;
  if (server->drain != NULL)
    {
      g_subprocess_force_exit (server->process);
      server_wait (server);
    }
  g_clear_object (&server->process);
  g_string_free (server->log, TRUE);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->changed);
  g_free (server);
}

/* --- A client --------------------------------------------------------- */

/* One request on @session; NULL with @error set when the exchange failed
 * (refused, reset, cut short), else the JSON answer and its status. */
static JsonNode *
client_request (SoupSession  *session,
                guint         port,
                const char   *method,
                const char   *path,
                const char   *token,
                const char   *body,
                guint        *out_status,
                GError      **error)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data;

  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, error);
  if (answer == NULL)
    return NULL;
  *out_status = soup_message_get_status (msg);
  data = g_bytes_get_data (answer, &len);
  if (len == 0)
    return json_node_new (JSON_NODE_NULL);
  if (!json_parser_load_from_data (parser, data, len, error))
    return NULL;
  return json_parser_steal_root (parser);
}

static SoupSession *
new_session (void)
{
  return soup_session_new_with_options ("timeout", 30, NULL);
}

static char *
login (Server     *server,
       const char *staff_id)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"%s\", \"password\": \"password123\"}", staff_id);
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = client_request (session, server->port, "POST", "/api/v1/auth/login", NULL, body, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (hg_test_json_string (answer, "token"));
}

/* --- Posting from several connections --------------------------------- */

typedef struct {
  gint64  alert_id;
  char   *message;
} Record;

static void
record_clear (gpointer data)
{
  g_free (((Record *) data)->message);
}

typedef struct {
  guint        port;
  const char  *token;
  gint         acknowledged;   /* atomic: 201s so far, all threads */
  gint         finished;       /* atomic: threads that stopped */
  gint         killed;         /* atomic: set just before the SIGKILL */
} Shared;

typedef struct {
  Shared   *shared;
  guint     index;
  GThread  *thread;
  GArray   *records;          /* of Record: every 201 */
  GError   *error;            /* the transport error that stopped it */
  guint     unexpected;       /* an HTTP status other than 201 */
  gboolean  cut;              /* a 201 whose body the kill cut short */
} Poster;

static gpointer
post_alerts (gpointer data)
{
  Poster *poster = data;
  g_autoptr(SoupSession) session = new_session ();

  for (guint n = 0; n < PER_THREAD; n++)
    {
      g_autofree char *message = g_strdup_printf ("durability-%u-%u", poster->index, n);
      g_autofree char *body = g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"message\": \"%s\", "
                                               "\"dedup_key\": \"%s\"}", message, message);
      g_autoptr(JsonNode) answer = NULL;
      guint status = 0;
      Record record;

      answer = client_request (session, poster->shared->port, "POST", "/api/v1/alerts",
                               poster->shared->token, body, &status, &poster->error);
      if (answer == NULL)
        break;   /* the server is gone: this connection stops */
      if (status != 201)
        {
          poster->unexpected = status;
          break;
        }
      /* The kill may land between the answer's head and its body: the
       * client never learnt what was stored, so it is one more request
       * in flight, not an acknowledged alert. Only the kill may do that. */
      if (hg_test_json_get (answer, "alert.id") == NULL)
        {
          g_assert_true (g_atomic_int_get (&poster->shared->killed));
          poster->cut = TRUE;
          break;
        }
      record.alert_id = hg_test_json_int (answer, "alert.id");
      record.message = g_steal_pointer (&message);
      g_assert_cmpstr (hg_test_json_string (answer, "alert.message"), ==, record.message);
      g_assert_false (json_node_get_boolean (hg_test_json_get (answer, "deduplicated")));
      g_array_append_val (poster->records, record);
      g_atomic_int_inc (&poster->shared->acknowledged);
    }
  g_atomic_int_inc (&poster->shared->finished);
  return NULL;
}

static void
start_posters (Poster  posters[N_THREADS],
               Shared *shared)
{
  for (guint i = 0; i < N_THREADS; i++)
    {
      posters[i].shared = shared;
      posters[i].index = i;
      posters[i].records = g_array_new (FALSE, FALSE, sizeof (Record));
      g_array_set_clear_func (posters[i].records, record_clear);
      posters[i].thread = g_thread_new ("poster", post_alerts, &posters[i]);
    }
}

static void
join_posters (Poster posters[N_THREADS])
{
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (g_steal_pointer (&posters[i].thread));
}

static void
free_posters (Poster posters[N_THREADS])
{
  for (guint i = 0; i < N_THREADS; i++)
    {
      g_clear_pointer (&posters[i].records, g_array_unref);
      g_clear_error (&posters[i].error);
    }
}

/* Every recorded 201 is there after the restart, with its message, once.
 * Returns how many are; the lost ones are listed in the test's log. */
static guint
check_records (Server     *server,
               const char *db_path,
               Poster      posters[N_THREADS])
{
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *token = login (server, "N01");
  guint found = 0, missing = 0;

  for (guint i = 0; i < N_THREADS; i++)
    for (guint r = 0; r < posters[i].records->len; r++)
      {
        Record *record = &g_array_index (posters[i].records, Record, r);
        g_autofree char *path = g_strdup_printf ("/api/v1/alerts/%" G_GINT64_FORMAT, record->alert_id);
        g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM alerts WHERE message = '%s'",
                                                record->message);
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonNode) alert = NULL;
        guint status = 0;

        alert = client_request (session, server->port, "GET", path, token, NULL, &status, &error);
        g_assert_no_error (error);
        if (status != 200 || g_strcmp0 (hg_test_json_string (alert, "message"), record->message) != 0 ||
            hg_test_sql_int (db_path, sql) != 1)
          {
            if (missing++ < 10)
              g_test_message ("alert %" G_GINT64_FORMAT " (%s) got a 201 but is not there after the "
                              "restart: %u %s", record->alert_id, record->message, status,
                              status == 200 ? hg_test_json_string (alert, "message") : "");
            continue;
          }
        g_assert_cmpint (hg_test_json_int (alert, "id"), ==, record->alert_id);
        found++;
      }
  return found;
}

static void
assert_integrity (const char *db_path)
{
  g_autofree char *integrity = hg_test_sql_text (db_path, "PRAGMA integrity_check");

  g_assert_cmpstr (integrity, ==, "ok");
  /* No message is stored twice, whoever got an answer. */
  g_assert_cmpint (hg_test_sql_int (db_path, "SELECT count(*) FROM (SELECT message FROM alerts"
                                    " WHERE message LIKE 'durability-%' GROUP BY message"
                                    " HAVING count(*) > 1)"), ==, 0);
  /* Each alert made its own incident (distinct dedup keys), in the same
   * transaction: no alert without its incident. */
  g_assert_cmpint (hg_test_sql_int (db_path, "SELECT count(*) FROM alerts a LEFT JOIN incidents i"
                                    " ON i.id = a.incident_id WHERE i.id IS NULL"), ==, 0);
}

/* --- Tests ------------------------------------------------------------ */

typedef struct {
  char   *dir;
  char   *db_path;
  Server *server;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("hg-durability-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "server.db", NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  server_free (g_steal_pointer (&f->server));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->db_path, suffixes[i], NULL);
      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
}

static void
test_sigkill (Fixture       *f,
              gconstpointer  data)
{
  Poster posters[N_THREADS] = { { 0 } };
  g_autofree char *token = NULL;
  Shared shared = { 0 };
  gint64 deadline;
  guint at_kill, acknowledged = 0, lost = 0, refused = 0, found, stored;

  f->server = server_spawn (f->db_path, TRUE);
  token = login (f->server, "N01");
  shared.port = f->server->port;
  shared.token = token;
  start_posters (posters, &shared);

  /* Mid-flight: the threads are still posting when the server dies. */
  deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  while (g_atomic_int_get (&shared.acknowledged) < KILL_AFTER &&
         g_atomic_int_get (&shared.finished) < N_THREADS && g_get_monotonic_time () < deadline)
    g_usleep (200);
  at_kill = g_atomic_int_get (&shared.acknowledged);
  g_atomic_int_set (&shared.killed, TRUE);
  g_subprocess_send_signal (f->server->process, SIGKILL);
  server_wait (f->server);
  join_posters (posters);
  g_assert_true (g_subprocess_get_if_signaled (f->server->process));
  g_assert_cmpint (g_subprocess_get_term_sig (f->server->process), ==, SIGKILL);
  g_assert_cmpuint (at_kill, >=, KILL_AFTER);

  for (guint i = 0; i < N_THREADS; i++)
    {
      if (posters[i].unexpected != 0)
        g_test_message ("thread %u got HTTP %u before the kill", i, posters[i].unexpected);
      g_assert_cmpuint (posters[i].unexpected, ==, 0);
      acknowledged += posters[i].records->len;
      if (g_error_matches (posters[i].error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        refused++;     /* never reached the server */
      else if (posters[i].error != NULL || posters[i].cut)
        lost++;        /* sent, but no whole answer came back */
    }
  g_assert_cmpuint (acknowledged, <, N_THREADS * PER_THREAD);

  server_free (g_steal_pointer (&f->server));
  /* No --demo: whatever is found comes from the file. */
  f->server = server_spawn (f->db_path, FALSE);
  found = check_records (f->server, f->db_path, posters);
  stored = hg_test_sql_int (f->db_path, "SELECT count(*) FROM alerts WHERE message LIKE 'durability-%'");
  g_test_message ("acknowledged (201) when the kill was sent: %u; in all: %u; requests in flight "
                  "lost (no 201): %u; refused after the kill: %u; found after the restart: %u; "
                  "stored in all: %u", at_kill, acknowledged, lost, refused, found, stored);
  g_assert_cmpuint (found, ==, acknowledged);
  assert_integrity (f->db_path);
  /* Besides the acknowledged ones, only requests in flight may have landed. */
  g_assert_cmpuint (stored, >=, acknowledged);
  g_assert_cmpuint (stored, <=, acknowledged + lost);
  server_stop_cleanly (f->server);
  free_posters (posters);
}

static void
test_sigterm (Fixture       *f,
              gconstpointer  data)
{
  Poster posters[N_THREADS] = { { 0 } };
  g_autofree char *token = NULL;
  Shared shared = { 0 };
  guint acknowledged = 0, found;

  f->server = server_spawn (f->db_path, TRUE);
  token = login (f->server, "N01");
  shared.port = f->server->port;
  shared.token = token;
  start_posters (posters, &shared);
  join_posters (posters);
  for (guint i = 0; i < N_THREADS; i++)
    {
      if (posters[i].error != NULL)
        g_test_message ("thread %u stopped: %s", i, posters[i].error->message);
      g_assert_no_error (posters[i].error);
      g_assert_cmpuint (posters[i].unexpected, ==, 0);
      acknowledged += posters[i].records->len;
    }
  g_assert_cmpuint (acknowledged, ==, N_THREADS * PER_THREAD);

  server_stop_cleanly (f->server);
  server_free (g_steal_pointer (&f->server));

  f->server = server_spawn (f->db_path, FALSE);
  found = check_records (f->server, f->db_path, posters);
  g_test_message ("acknowledged: %u; found after the restart: %u", acknowledged, found);
  g_assert_cmpuint (found, ==, N_THREADS * PER_THREAD);
  assert_integrity (f->db_path);
  g_assert_cmpint (hg_test_sql_int (f->db_path, "SELECT count(*) FROM alerts"), ==, N_THREADS * PER_THREAD);
  server_stop_cleanly (f->server);
  free_posters (posters);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/durability/sigkill-mid-flight", Fixture, NULL, setup, test_sigkill, teardown);
  g_test_add ("/server/durability/sigterm-restart", Fixture, NULL, setup, test_sigterm, teardown);

  return g_test_run ();
}
