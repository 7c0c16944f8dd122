/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "hg-config.h"
#include "hg-server.h"
#include "hg-store.h"
#include "hg-test-server.h"

#define DEMO_PASSWORD "password123"

struct _HgTestServer {
  char         *dir;
  char         *db_path;
  HgConfig     *config;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  HgStore      *store;
  HgServer     *server;
  guint         port;
  GMutex        lock;
  GCond         ready;
  gboolean      started;
  SoupSession  *session;
};

static char *template_path;
static char *tls_dir;

static void
remove_template (void)
{
  g_autofree char *dir = g_path_get_dirname (template_path);
  g_autofree char *wal = g_strconcat (template_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (template_path, "-shm", NULL);

  g_unlink (template_path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

/* The demo hospital is built once per test program (hashing two dozen
 * passwords takes a while) and copied for each test. */
static const char *
demo_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) hospital = NULL;
  g_autoptr(HgStore) store = NULL;
  g_autofree char *dir = NULL;

  if (template_path != NULL)
    return template_path;
  dir = g_dir_make_tmp ("hg-template-XXXXXX", &error);
  g_assert_no_error (error);
  template_path = g_build_filename (dir, "demo.db", NULL);
  store = hg_store_open (template_path, NULL, &error);
  g_assert_no_error (error);
  hospital = g_resources_lookup_data ("/org/healthguard/server/demo/hospital.json", 0, &error);
  g_assert_no_error (error);
  hg_store_load_demo (store, hospital, DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  hg_store_close (store);
  atexit (remove_template);
  return template_path;
}

static gpointer
server_thread (gpointer data)
{
  HgTestServer *ts = data;
  g_autoptr(GError) error = NULL;
  HgStoreSettings settings = { (gint64) ts->config->correlation_window * 1000 };

  memcpy (settings.escalation, ts->config->escalation, sizeof settings.escalation);
  g_main_context_push_thread_default (ts->context);
  ts->store = hg_store_open (ts->db_path, &settings, &error);
  g_assert_no_error (error);
  ts->server = hg_server_new (ts->config, ts->store);
  hg_server_start (ts->server, &error);
  g_assert_no_error (error);

  g_mutex_lock (&ts->lock);
  ts->port = hg_server_get_port (ts->server);
  ts->started = TRUE;
  g_cond_signal (&ts->ready);
  g_mutex_unlock (&ts->lock);

  g_main_loop_run (ts->loop);

  hg_server_stop (ts->server);
  g_clear_object (&ts->server);
  hg_store_close (ts->store);
  g_clear_object (&ts->store);
  /* Let closing connections and finished tasks release what they hold. */
  while (g_main_context_iteration (ts->context, FALSE))
    ;
  g_main_context_pop_thread_default (ts->context);
  return NULL;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_get_contents (from, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, len, &error);
  g_assert_no_error (error);
}

static void
remove_tls_files (void)
{
  g_autofree char *certificate = g_build_filename (tls_dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (tls_dir, "key.pem", NULL);

  g_unlink (certificate);
  g_unlink (key);
  g_rmdir (tls_dir);
}

/* Made at test time so that no key is ever committed; a day is plenty. */
static const char *
tls_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *key = NULL;
  g_autofree char *output = NULL;
  int status = 0;

  if (tls_dir != NULL)
    return tls_dir;
  tls_dir = g_dir_make_tmp ("hg-tls-XXXXXX", &error);
  g_assert_no_error (error);
  atexit (remove_tls_files);
  certificate = g_build_filename (tls_dir, "cert.pem", NULL);
  key = g_build_filename (tls_dir, "key.pem", NULL);
  {
    const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                           "-subj", "/CN=localhost",
                           "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                           "-keyout", key, "-out", certificate, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                  NULL, NULL, NULL, &output, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl could not make a test certificate: %s", output);
  return tls_dir;
}

const char *
hg_test_tls_certificate (void)
{
  static char *path;

  if (path == NULL)
    path = g_build_filename (tls_files (), "cert.pem", NULL);
  return path;
}

const char *
hg_test_tls_key (void)
{
  static char *path;

  if (path == NULL)
    path = g_build_filename (tls_files (), "key.pem", NULL);
  return path;
}

GTlsDatabase *
hg_test_tls_database (void)
{
  g_autoptr(GError) error = NULL;
  GTlsDatabase *database = g_tls_file_database_new (hg_test_tls_certificate (), &error);

  g_assert_no_error (error);
  return database;
}

void
hg_test_configure_tls (HgConfig *config,
                       gpointer  user_data)
{
  g_free (config->tls_certificate);
  config->tls_certificate = g_strdup (hg_test_tls_certificate ());
  g_free (config->tls_key);
  config->tls_key = g_strdup (hg_test_tls_key ());
}

guint
hg_test_server_port (HgTestServer *ts)
{
  return ts->port;
}

static const char *
scheme (HgTestServer *ts)
{
  return ts->config->tls_certificate ? "https" : "http";
}

HgTestServer *
hg_test_server_start (HgTestPrepareFunc prepare,
                      gpointer          user_data)
{
  return hg_test_server_start_full (prepare, user_data, NULL, NULL);
}

HgTestServer *
hg_test_server_start_full (HgTestPrepareFunc   prepare,
                           gpointer            prepare_data,
                           HgTestConfigureFunc configure,
                           gpointer            configure_data)
{
  HgTestServer *ts = g_new0 (HgTestServer, 1);
  g_autoptr(GError) error = NULL;

  ts->dir = g_dir_make_tmp ("hg-test-XXXXXX", &error);
  g_assert_no_error (error);
  ts->db_path = g_build_filename (ts->dir, "server.db", NULL);
  copy_file (demo_template (), ts->db_path);
  if (prepare != NULL)
    prepare (ts->db_path, prepare_data);

  ts->config = hg_config_new_default ();
  hg_config_set_listen (ts->config, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  g_free (ts->config->database);
  ts->config->database = g_strdup (ts->db_path);
  if (configure != NULL)
    configure (ts->config, configure_data);

  g_mutex_init (&ts->lock);
  g_cond_init (&ts->ready);
  ts->context = g_main_context_new ();
  ts->loop = g_main_loop_new (ts->context, FALSE);
  ts->thread = g_thread_new ("hg-test-server", server_thread, ts);
  g_mutex_lock (&ts->lock);
  while (!ts->started)
    g_cond_wait (&ts->ready, &ts->lock);
  g_mutex_unlock (&ts->lock);

  ts->session = soup_session_new_with_options ("timeout", 30, "max-conns-per-host", 16, NULL);
  if (ts->config->tls_certificate != NULL)
    {
      g_autoptr(GTlsDatabase) database = hg_test_tls_database ();

      soup_session_set_tls_database (ts->session, database);
    }
  return ts;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gboolean
close_store_in_thread (gpointer data)
{
  HgTestServer *ts = data;

  hg_store_close (ts->store);
  g_mutex_lock (&ts->lock);
  ts->started = FALSE;
  g_cond_signal (&ts->ready);
  g_mutex_unlock (&ts->lock);
  return G_SOURCE_REMOVE;
}

void
hg_test_server_close_store (HgTestServer *ts)
{
  g_main_context_invoke (ts->context, close_store_in_thread, ts);
  g_mutex_lock (&ts->lock);
  while (ts->started)
    g_cond_wait (&ts->ready, &ts->lock);
  g_mutex_unlock (&ts->lock);
}

void
hg_test_server_stop (HgTestServer *ts)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&ts->session);
  if (ts->thread != NULL)
    {
      g_main_context_invoke (ts->context, quit_loop, ts->loop);
      g_thread_join (ts->thread);
      g_main_loop_unref (ts->loop);
      g_main_context_unref (ts->context);
    }
  hg_config_free (ts->config);
  g_mutex_clear (&ts->lock);
  g_cond_clear (&ts->ready);

  dir = g_dir_open (ts->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (ts->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (ts->dir);
  g_free (ts->dir);
  g_free (ts->db_path);
  g_free (ts);
}

/* The server thread ends and a new one serves the same database on the
 * same port, as when the real server restarts; sessions survive. */
void
hg_test_server_restart (HgTestServer *ts)
{
  hg_test_server_go_down (ts);
  hg_test_server_come_back (ts);
}

void
hg_test_server_go_down (HgTestServer *ts)
{
  g_assert_nonnull (ts->thread);
  soup_session_abort (ts->session);
  g_main_context_invoke (ts->context, quit_loop, ts->loop);
  g_thread_join (ts->thread);
  ts->thread = NULL;
  g_main_loop_unref (ts->loop);
  g_main_context_unref (ts->context);
}

void
hg_test_server_come_back (HgTestServer *ts)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", ts->port);
  g_autoptr(GError) error = NULL;

  g_assert_null (ts->thread);
  hg_config_set_listen (ts->config, listen, &error);
  g_assert_no_error (error);
  ts->started = FALSE;
  ts->context = g_main_context_new ();
  ts->loop = g_main_loop_new (ts->context, FALSE);
  ts->thread = g_thread_new ("hg-test-server", server_thread, ts);
  g_mutex_lock (&ts->lock);
  while (!ts->started)
    g_cond_wait (&ts->ready, &ts->lock);
  g_mutex_unlock (&ts->lock);
}

const char *
hg_test_server_db_path (HgTestServer *ts)
{
  return ts->db_path;
}

JsonNode *
hg_test_request_full (HgTestServer        *ts,
                      const char          *method,
                      const char          *path,
                      const char          *token,
                      const char          *content_type,
                      const char          *body,
                      gsize                body_len,
                      guint               *out_status,
                      SoupMessageHeaders **out_headers)
{
  g_autofree char *uri = g_strdup_printf ("%s://127.0.0.1:%u%s", scheme (ts), ts->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len);
      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json", bytes);
    }
  answer = soup_session_send_and_read (ts->session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  if (out_headers != NULL)
    *out_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  data = g_bytes_get_data (answer, &len);
  if (len == 0)
    return NULL;
  /* Only JSON is parsed (GET /metrics answers text); every JSON answer
   * must say it is. */
  if (g_strcmp0 (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                 "application/json") != 0)
    return NULL;
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

const char *
hg_test_server_binary (void)
{
  const char *binary = g_getenv ("HG_SERVER_BINARY");

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("HG_SERVER_BINARY must name the healthguard-server program; run with \"meson test\"");
  return binary;
}

#define SPAWN_POLL_MS       50
#define SPAWN_TIMEOUT_MS    60000
#define SPAWN_LISTENING     "Listening on http://127.0.0.1:"

GSubprocess *
hg_test_spawn_server (const char *db,
                      const char *log,
                      gboolean    demo,
                      guint      *out_port)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  const char *argv[] = { hg_test_server_binary (), "--database", db, "--listen", "127.0.0.1:0",
                         demo ? "--demo" : NULL, NULL };
  gint64 deadline = g_get_monotonic_time () + SPAWN_TIMEOUT_MS * 1000;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  *out_port = 0;
  while (*out_port == 0 && g_get_monotonic_time () < deadline)
    {
      g_autofree char *text = NULL;
      const char *line;

      g_usleep (SPAWN_POLL_MS * 1000);
      if (g_file_get_contents (log, &text, NULL, NULL) && (line = strstr (text, SPAWN_LISTENING)) != NULL)
        *out_port = g_ascii_strtoull (line + strlen (SPAWN_LISTENING), NULL, 10);
    }
  g_assert_cmpuint (*out_port, !=, 0);
  return process;
}

JsonNode *
hg_test_request_port (guint       port,
                      const char *method,
                      const char *path,
                      const char *token,
                      const char *body,
                      guint       expected_status)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

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
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (expected_status != 0)
    g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  else
    g_assert_cmpuint (soup_message_get_status (msg) / 100, ==, 2);
  if (g_bytes_get_size (answer) == 0)
    return NULL;
  json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

char *
hg_test_server_url (HgTestServer *ts,
                    const char   *path)
{
  return g_strdup_printf ("%s://127.0.0.1:%u%s", scheme (ts), ts->port, path);
}

JsonNode *
hg_test_send_message (HgTestServer *ts,
                      SoupMessage  *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data;

  answer = soup_session_send_and_read (ts->session, msg, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (answer, &len);
  if (len == 0)
    return NULL;
  /* Only JSON is parsed (GET /metrics answers text); every JSON answer
   * must say it is. */
  if (g_strcmp0 (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                 "application/json") != 0)
    return NULL;
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

JsonNode *
hg_test_request (HgTestServer *ts,
                 const char   *method,
                 const char   *path,
                 const char   *token,
                 const char   *body,
                 guint        *out_status)
{
  return hg_test_request_full (ts, method, path, token, NULL, body,
                               body ? strlen (body) : 0, out_status, NULL);
}

char *
hg_test_login (HgTestServer *ts,
               const char   *staff_id)
{
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"%s\", \"password\": \"%s\", \"station\": \"test\"}",
                                           staff_id, DEMO_PASSWORD);
  guint status;
  g_autoptr(JsonNode) answer = hg_test_request (ts, "POST", "/api/v1/auth/login", NULL, body, &status);

  g_assert_cmpuint (status, ==, 200);
  return g_strdup (hg_test_json_string (answer, "token"));
}

JsonNode *
hg_test_post_alert (HgTestServer *ts,
                    const char   *token,
                    const char   *body)
{
  guint status;
  JsonNode *answer = hg_test_request (ts, "POST", "/api/v1/alerts", token, body, &status);

  g_assert_cmpuint (status, ==, 201);
  return answer;
}

static sqlite3 *
open_db (const char *db_path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

void
hg_test_sql (const char *db_path,
             const char *sql)
{
  sqlite3 *db = open_db (db_path);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL failed: %s: %s", sql, message);
  sqlite3_close (db);
}

gint64
hg_test_sql_int (const char *db_path,
                 const char *sql)
{
  sqlite3 *db = open_db (db_path);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

char *
hg_test_sql_text (const char *db_path,
                  const char *sql)
{
  sqlite3 *db = open_db (db_path);
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

char *
hg_test_fingerprint (const char *db_path)
{
  static const char *const queries[] = {
    "SELECT count(*) FROM alerts",
    "SELECT count(*) FROM incidents",
    "SELECT coalesce(sum(version), 0) FROM incidents",
    "SELECT count(*) FROM notes",
    "SELECT count(*) FROM timeline",
    "SELECT count(*) FROM declines",
    "SELECT count(*) FROM tokens WHERE revoked_at IS NULL",
    "SELECT count(*) FROM staff",
    "SELECT coalesce(sum(last_assigned_at), 0) FROM staff",
  };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    g_string_append_printf (text, "%s=%" G_GINT64_FORMAT ";", queries[i], hg_test_sql_int (db_path, queries[i]));
  return g_string_free (text, FALSE);
}

JsonNode *
hg_test_json_get (JsonNode   *node,
                  const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      guint64 index;

      if (JSON_NODE_HOLDS_ARRAY (node) &&
          g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT, &index, NULL))
        {
          JsonArray *array = json_node_get_array (node);
          node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;
        }
      else if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else
        node = NULL;
    }
  return node;
}

const char *
hg_test_json_string (JsonNode   *node,
                     const char *path)
{
  JsonNode *member = hg_test_json_get (node, path);

  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return NULL;
  g_assert_true (JSON_NODE_HOLDS_VALUE (member));
  return json_node_get_string (member);
}

gint64
hg_test_json_int (JsonNode   *node,
                  const char *path)
{
  JsonNode *member = hg_test_json_get (node, path);

  g_assert_nonnull (member);
  g_assert_true (JSON_NODE_HOLDS_VALUE (member));
  return json_node_get_int (member);
}

gboolean
hg_test_json_is_null (JsonNode   *node,
                      const char *path)
{
  JsonNode *member = hg_test_json_get (node, path);

  return member == NULL || JSON_NODE_HOLDS_NULL (member);
}
