/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Account security: sessions (idle and absolute lifetime), the password
 * policy, failed sign-ins (acceptance 3: thirty wrong passwords give 429s
 * and the right one works after Retry-After), integration keys and their
 * scope and ceiling, and the admin routes for staff (--create-admin is in
 * test-create-admin.c).
 *
 * Every refusal is checked for its status and code and for an unchanged
 * database: the harness's fingerprint plus the staff rows, the keys, the
 * open sessions and the audit trail. */
#include "config.h"

#include <string.h>

#include "hg-test-server.h"

#define STRONG "Tr0mbone-Harbour-47"

typedef struct {
  SoupWebsocketConnection *conn;
  gboolean                 closed;
} Stream;

typedef struct {
  HgTestServer *ts;
  const char   *db;
  char         *admin;     /* A01 */
  char         *nurse;     /* N01, charge nurse: not an admin */
  SoupSession  *session;   /* for streams */
} Fixture;

/* Per test: the HgConfig fields it needs changed. */
typedef struct {
  guint token_idle_timeout;
  guint token_lifetime;
  guint login_failure_window;
  guint ingest_rate_limit;
} Settings;

static void
configure (HgConfig *config,
           gpointer  data)
{
  const Settings *settings = data;

  if (settings == NULL)
    return;
  if (settings->token_idle_timeout)
    config->token_idle_timeout = settings->token_idle_timeout;
  if (settings->token_lifetime)
    config->token_lifetime = settings->token_lifetime;
  if (settings->login_failure_window)
    config->login_failure_window = settings->login_failure_window;
  if (settings->ingest_rate_limit)
    config->ingest_rate_limit = settings->ingest_rate_limit;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->ts = hg_test_server_start_full (NULL, NULL, configure, (gpointer) data);
  f->db = hg_test_server_db_path (f->ts);
  f->admin = hg_test_login (f->ts, "A01");
  f->nurse = hg_test_login (f->ts, "N01");
  f->session = soup_session_new ();
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->session);
  g_free (f->admin);
  g_free (f->nurse);
  hg_test_server_stop (f->ts);
}

/* --- Helpers ---------------------------------------------------------- */

static char *
fingerprint (Fixture *f)
{
  static const char *const queries[] = {
    "SELECT group_concat(id || '|' || name || '|' || role || '|' || coalesce(specialty, '-') || '|'"
    " || coalesce(ward, '-') || '|' || disabled || '|' || coalesce(password_hash, '-'), ';') FROM staff",
    "SELECT count(*) || '/' || count(revoked_at) FROM integrations",
    "SELECT count(*) FROM audit",
    "SELECT count(*) FROM tokens WHERE revoked_at IS NULL",
  };
  g_autofree char *base = hg_test_fingerprint (f->db);
  GString *text = g_string_new (base);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *value = hg_test_sql_text (f->db, queries[i]);
      g_string_append_printf (text, "\n%s", value ? value : "NULL");
    }
  return g_string_free (text, FALSE);
}

/* A request that must be refused with @status and @code, changing nothing.
 * Returns the answer's headers. */
static SoupMessageHeaders *
refused (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *body,
         guint       status,
         const char *code)
{
  g_autofree char *before = fingerprint (f);
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) answer = NULL;
  SoupMessageHeaders *headers = NULL;
  guint got;

  answer = hg_test_request_full (f->ts, method, path, token, NULL, body, body ? strlen (body) : 0,
                                 &got, &headers);
  g_assert_cmpuint (got, ==, status);
  g_assert_nonnull (answer);
  if (code != NULL)
    g_assert_cmpstr (hg_test_json_string (answer, "error.code"), ==, code);
  after = fingerprint (f);
  g_assert_cmpstr (after, ==, before);
  return headers;
}

static void
assert_refused (Fixture    *f,
                const char *method,
                const char *path,
                const char *token,
                const char *body,
                guint       status,
                const char *code)
{
  g_autoptr(SoupMessageHeaders) headers = refused (f, method, path, token, body, status, code);
}

static JsonNode *
request_ok (Fixture    *f,
            const char *method,
            const char *path,
            const char *token,
            const char *body,
            guint       expected)
{
  guint status;
  JsonNode *answer = hg_test_request (f->ts, method, path, token, body, &status);

  if (status != expected && answer != NULL)
    g_test_message ("answer: %s", json_to_string (answer, FALSE));
  g_assert_cmpuint (status, ==, expected);
  return answer;
}

static guint
login_status (Fixture    *f,
              const char *staff_id,
              const char *password,
              char      **out_token)
{
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"%s\", \"password\": \"%s\"}", staff_id, password);
  guint status;
  g_autoptr(JsonNode) answer = hg_test_request (f->ts, "POST", "/api/v1/auth/login", NULL, body, &status);

  if (out_token != NULL)
    *out_token = status == 200 ? g_strdup (hg_test_json_string (answer, "token")) : NULL;
  return status;
}

static guint
status_of (Fixture    *f,
           const char *method,
           const char *path,
           const char *token,
           const char *body)
{
  guint status;
  g_autoptr(JsonNode) answer = hg_test_request (f->ts, method, path, token, body, &status);

  return status;
}

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Sleeps while this thread's main context (the streams') keeps running. */
static void
wait_ms (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, timed_out, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

static gint64
audit_count (Fixture    *f,
             const char *action,
             const char *object)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE action = '%s' AND object = '%s'",
                                          action, object);
  return hg_test_sql_int (f->db, sql);
}

/* --- Streams ---------------------------------------------------------- */

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  ((Stream *) user_data)->closed = TRUE;
}

static void
connected (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Opens a stream; NULL and the HTTP status when the server refuses. */
static Stream *
stream_open (Fixture    *f,
             const char *token,
             guint      *out_status)
{
  g_autofree char *url = hg_test_server_url (f->ts, "/api/v1/stream");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *value = g_strdup_printf ("Bearer %s", token);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn;
  Stream *stream;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        connected, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  conn = soup_session_websocket_connect_finish (f->session, result, &error);
  if (out_status != NULL)
    *out_status = soup_message_get_status (msg);
  if (conn == NULL)
    return NULL;
  stream = g_new0 (Stream, 1);
  stream->conn = conn;
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), stream);
  return stream;
}

static void
stream_free (Stream *stream)
{
  g_signal_handlers_disconnect_by_data (stream->conn, stream);
  if (soup_websocket_connection_get_state (stream->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (stream->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (stream->conn);
  g_free (stream);
}

/* TRUE when the stream closed within @ms. */
static gboolean
stream_closes_within (Stream *stream,
                      guint   ms)
{
  gboolean expired = FALSE;
  guint source = g_timeout_add (ms, timed_out, &expired);

  while (!stream->closed && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (source);
  return stream->closed;
}

/* --- Sessions --------------------------------------------------------- */

static void
test_token_stored_hashed (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *sql = NULL;

  /* 256 bits in base64url: 43 characters. */
  g_assert_cmpuint (strlen (f->nurse), >=, 43);
  g_assert_true (g_regex_match_simple ("^[A-Za-z0-9_-]+$", f->nurse, 0, 0));
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM tokens WHERE length(hash) <> 32"), ==, 0);
  g_checksum_update (checksum, (const guchar *) f->nurse, strlen (f->nurse));
  sql = g_strdup_printf ("SELECT count(*) FROM tokens WHERE hex(hash) = upper('%s')",
                         g_checksum_get_string (checksum));
  g_assert_cmpint (hg_test_sql_int (f->db, sql), ==, 1);
}

static void
test_idle_timeout (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N02");
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  /* Each use restarts the 3 s: 2 + 2 s apart stays signed in. */
  g_assert_cmpuint (status_of (f, "GET", "/api/v1/me", token, NULL), ==, 200);
  wait_ms (2000);
  g_assert_cmpuint (status_of (f, "GET", "/api/v1/me", token, NULL), ==, 200);
  wait_ms (2000);
  g_assert_cmpuint (status_of (f, "GET", "/api/v1/me", token, NULL), ==, 200);
  /* The use reached the database, at most a tick (here 1 s) later. */
  wait_ms (1500);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM tokens WHERE staff_id = 'N02'"
                                    " AND last_used_at > created_at"), ==, 1);
  wait_ms (2000);
  /* Not through refused(): the fixture's own sessions go idle meanwhile. */
  answer = hg_test_request (f->ts, "GET", "/api/v1/me", token, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (hg_test_json_string (answer, "error.code"), ==, "invalid_token");
  /* The database closes it too, so "logged_in" tells the truth. */
  wait_ms (2500);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM tokens WHERE staff_id = 'N02'"
                                    " AND revoked_at IS NULL"), ==, 0);
}

static void
test_stream_keeps_session (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N03");
  Stream *stream = stream_open (f, token, NULL);

  g_assert_nonnull (stream);
  wait_ms (5000);
  /* A ward screen showing the stream is in use, clicked or not. */
  g_assert_false (stream->closed);
  g_assert_cmpuint (status_of (f, "GET", "/api/v1/me", token, NULL), ==, 200);
  stream_free (stream);
}

static void
test_absolute_lifetime (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N02");

  /* In use all the time, and still over after token_lifetime. */
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpuint (status_of (f, "GET", "/api/v1/me", token, NULL), ==, 200);
      wait_ms (400);
    }
  wait_ms (600);
  assert_refused (f, "GET", "/api/v1/me", token, NULL, 401, "invalid_token");
}

/* Sessions as a server that stopped would have left them: one used ten
 * minutes ago, one two hours ago (idle default: one hour). */
static void
insert_sessions (const char *db_path,
                 gpointer    user_data)
{
  gint64 now = g_get_real_time () / 1000;
  const char *const tokens[] = { "recent-session-token", "stale-session-token" };
  const gint64 ago[] = { 10 * 60 * 1000, 2 * 3600 * 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      g_autofree char *sql = NULL;

      g_checksum_update (checksum, (const guchar *) tokens[i], -1);
      sql = g_strdup_printf ("INSERT INTO tokens (hash, staff_id, station, created_at, expires_at, last_used_at)"
                             " VALUES (X'%s', 'N04', 'ward', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                             ", %" G_GINT64_FORMAT ")", g_checksum_get_string (checksum),
                             now - 3 * 3600 * 1000, now + 9 * 3600 * 1000, now - ago[i]);
      hg_test_sql (db_path, sql);
    }
}

static void
test_idle_after_restart (void)
{
  HgTestServer *ts = hg_test_server_start (insert_sessions, NULL);
  guint status;
  g_autoptr(JsonNode) recent = hg_test_request (ts, "GET", "/api/v1/me", "recent-session-token", NULL, &status);
  g_autoptr(JsonNode) stale = NULL;

  g_assert_cmpuint (status, ==, 200);
  stale = hg_test_request (ts, "GET", "/api/v1/me", "stale-session-token", NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (hg_test_json_string (stale, "error.code"), ==, "invalid_token");
  hg_test_server_stop (ts);
}

/* --- Failed sign-ins (acceptance 3) ----------------------------------- */

static void
test_thirty_wrong_passwords (Fixture       *f,
                             gconstpointer  data)
{
  static const char wrong[] = "{\"staff_id\": \"N02\", \"password\": \"not-the-password\"}";
  static const char right[] = "{\"staff_id\": \"N02\", \"password\": \"password123\"}";
  guint unauthorized = 0, limited = 0;
  guint64 retry_after = 0;
  g_autofree char *token = NULL;
  g_autoptr(SoupMessageHeaders) blocked = NULL;

  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(SoupMessageHeaders) headers = NULL;
      g_autoptr(JsonNode) answer = NULL;
      guint status;

      answer = hg_test_request_full (f->ts, "POST", "/api/v1/auth/login", NULL, NULL, wrong, strlen (wrong),
                                     &status, &headers);
      g_assert_true (status == 401 || status == 429);
      if (status == 401)
        {
          g_assert_cmpuint (limited, ==, 0);   /* never a 401 once limited */
          unauthorized++;
          continue;
        }
      limited++;
      g_assert_cmpstr (hg_test_json_string (answer, "error.code"), ==, "too_many_attempts");
      g_assert_true (g_ascii_string_to_unsigned (soup_message_headers_get_one (headers, "Retry-After"), 10, 1,
                                                 3, &retry_after, NULL));
    }
  g_assert_cmpuint (unauthorized, ==, 5);
  g_assert_cmpuint (limited, ==, 25);

  /* The right password is refused as well while the id is blocked. */
  blocked = refused (f, "POST", "/api/v1/auth/login", NULL, right, 429, "too_many_attempts");
  g_assert_true (g_ascii_string_to_unsigned (soup_message_headers_get_one (blocked, "Retry-After"), 10, 1, 3,
                                             &retry_after, NULL));
  wait_ms (retry_after * 1000);
  g_assert_cmpuint (login_status (f, "N02", "password123", &token), ==, 200);
  g_assert_cmpuint (status_of (f, "GET", "/api/v1/me", token, NULL), ==, 200);
}

/* --- Passwords and admin routes for staff ----------------------------- */

static char *
new_staff_body (const char *id,
                const char *role,
                const char *specialty,
                const char *password)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"name\": \"Kim Park\", \"role\": \"%s\"%s%s%s, \"ward\": \"Surgery\","
                          " \"password\": \"%s\"}", id, role, specialty ? ", \"specialty\": \"" : "",
                          specialty ? specialty : "", specialty ? "\"" : "", password);
}

static void
test_password_policy (Fixture       *f,
                      gconstpointer  data)
{
  static const char *const weak[] = { "Password123", "QWERTYUIOP", "iloveyou", "12345678", "hospital1" };
  g_autofree char *too_long = g_strnfill (129, 'x');
  g_autofree char *longest = g_strnfill (128, 'y');
  g_autofree char *body = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) created = NULL;

  body = new_staff_body ("N20", "nurse", NULL, "short1!");
  assert_refused (f, "POST", "/api/v1/staff", f->admin, body, 400, "password_too_short");
  g_free (body);
  body = new_staff_body ("N20", "nurse", NULL, too_long);
  assert_refused (f, "POST", "/api/v1/staff", f->admin, body, 400, "password_too_long");
  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      g_free (body);
      body = new_staff_body ("N20", "nurse", NULL, weak[i]);
      assert_refused (f, "POST", "/api/v1/staff", f->admin, body, 400, "weak_password");
    }
  assert_refused (f, "PATCH", "/api/v1/staff/N02", f->admin, "{\"password\": \"Sunshine\"}", 400,
                  "weak_password");
  /* Eight characters and 128 are both fine; length counts characters. */
  g_free (body);
  body = new_staff_body ("N20", "nurse", NULL, longest);
  created = request_ok (f, "POST", "/api/v1/staff", f->admin, body, 201);
  g_assert_cmpuint (login_status (f, "N20", longest, &token), ==, 200);
  g_clear_pointer (&created, json_node_unref);
  created = request_ok (f, "PATCH", "/api/v1/staff/N20", f->admin, "{\"password\": \"Ünïcødé8\"}", 200);
  g_assert_cmpuint (login_status (f, "N20", "Ünïcødé8", NULL), ==, 200);
}

static void
test_create_staff (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *body = new_staff_body ("S20", "specialist", "cardiology", STRONG);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;

  assert_refused (f, "POST", "/api/v1/staff", f->nurse, body, 403, "role_not_allowed");
  assert_refused (f, "POST", "/api/v1/staff", NULL, body, 401, "missing_token");
  created = request_ok (f, "POST", "/api/v1/staff", f->admin, body, 201);
  g_assert_cmpstr (hg_test_json_string (created, "id"), ==, "S20");
  g_assert_cmpstr (hg_test_json_string (created, "role"), ==, "specialist");
  g_assert_cmpstr (hg_test_json_string (created, "specialty"), ==, "cardiology");
  g_assert_cmpstr (hg_test_json_string (created, "ward"), ==, "Surgery");
  g_assert_false (json_node_get_boolean (hg_test_json_get (created, "disabled")));
  g_assert_false (json_node_get_boolean (hg_test_json_get (created, "on_duty")));
  /* Stored as a yescrypt hash, and the person can sign in. */
  hash = hg_test_sql_text (f->db, "SELECT password_hash FROM staff WHERE id = 'S20'");
  g_assert_true (g_str_has_prefix (hash, "$y$"));
  g_assert_null (strstr (hash, STRONG));
  g_assert_cmpuint (login_status (f, "S20", STRONG, &token), ==, 200);
  g_assert_cmpint (audit_count (f, "staff.create", "staff:S20"), ==, 1);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM audit WHERE action = 'staff.create'"
                                    " AND actor = 'A01' AND detail NOT LIKE '%" STRONG "%'"), ==, 1);
  list = request_ok (f, "GET", "/api/v1/staff/S20", f->nurse, NULL, 200);

  assert_refused (f, "POST", "/api/v1/staff", f->admin, body, 409, "staff_exists");
}

static void
test_create_staff_invalid (Fixture       *f,
                           gconstpointer  data)
{
  static const struct {
    const char *body;
    const char *code;
  } cases[] = {
    { "{\"id\": \"n20\", \"name\": \"A\", \"role\": \"nurse\", \"password\": \"" STRONG "\"}", "invalid_field" },
    { "{\"id\": \"N\", \"name\": \"A\", \"role\": \"nurse\", \"password\": \"" STRONG "\"}", "invalid_field" },
    { "{\"id\": \"N12345678901234567\", \"name\": \"A\", \"role\": \"nurse\", \"password\": \"" STRONG "\"}",
      "invalid_field" },
    { "{\"id\": \"N-2\", \"name\": \"A\", \"role\": \"nurse\", \"password\": \"" STRONG "\"}", "invalid_field" },
    { "{\"name\": \"A\", \"role\": \"nurse\", \"password\": \"" STRONG "\"}", "missing_field" },
    { "{\"id\": \"N20\", \"role\": \"nurse\", \"password\": \"" STRONG "\"}", "missing_field" },
    { "{\"id\": \"N20\", \"name\": \"A\", \"password\": \"" STRONG "\"}", "missing_field" },
    { "{\"id\": \"N20\", \"name\": \"A\", \"role\": \"nurse\"}", "missing_field" },
    { "{\"id\": \"N20\", \"name\": \"A\", \"role\": \"surgeon\", \"password\": \"" STRONG "\"}", "invalid_enum" },
    { "{\"id\": \"N20\", \"name\": \"A\", \"role\": \"specialist\", \"password\": \"" STRONG "\"}",
      "missing_field" },
    { "{\"id\": \"N20\", \"name\": \"A\", \"role\": \"nurse\", \"specialty\": \"cardiology\","
      " \"password\": \"" STRONG "\"}", "invalid_field" },
    { "{\"id\": \"S20\", \"name\": \"A\", \"role\": \"specialist\", \"specialty\": \"Cardiology\","
      " \"password\": \"" STRONG "\"}", "invalid_field" },
    { "{\"id\": \"N20\", \"name\": \"\", \"role\": \"nurse\", \"password\": \"" STRONG "\"}", NULL },
    { "{\"id\": 20, \"name\": \"A\", \"role\": \"nurse\", \"password\": \"" STRONG "\"}", NULL },
    { "{\"id\": \"N20\", \"name\": \"A\", \"role\": \"nurse\", \"disabled\": \"no\","
      " \"password\": \"" STRONG "\"}", NULL },
    { "[]", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].body);
      assert_refused (f, "POST", "/api/v1/staff", f->admin, cases[i].body, 400, cases[i].code);
    }
}

static void
test_update_staff (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  assert_refused (f, "PATCH", "/api/v1/staff/N99", f->admin, "{\"name\": \"Nobody\"}", 404, "not_found");
  assert_refused (f, "PATCH", "/api/v1/staff/N02", f->nurse, "{\"name\": \"Someone\"}", 403, "role_not_allowed");
  assert_refused (f, "PATCH", "/api/v1/staff/N02", f->admin, "{\"role\": \"boss\"}", 400, "invalid_enum");
  assert_refused (f, "PATCH", "/api/v1/staff/N02", f->admin, "{\"role\": \"specialist\"}", 400, "missing_field");
  assert_refused (f, "PATCH", "/api/v1/staff/N02", f->admin, "{\"specialty\": \"neurology\"}", 400,
                  "invalid_field");
  assert_refused (f, "PATCH", "/api/v1/staff/N02", f->admin, "{\"disabled\": 1}", 400, NULL);

  answer = request_ok (f, "PATCH", "/api/v1/staff/N02", f->admin, "{\"name\": \"Grace Lee\", \"ward\": \"ICU\"}", 200);
  g_assert_cmpstr (hg_test_json_string (answer, "name"), ==, "Grace Lee");
  g_assert_cmpstr (hg_test_json_string (answer, "ward"), ==, "ICU");
  g_assert_cmpint (audit_count (f, "staff.update", "staff:N02"), ==, 1);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM events WHERE type = 'staff.updated'"
                                    " AND data LIKE '%Grace Lee%'"), >=, 1);

  /* A specialist who becomes a doctor has no specialty any more. */
  g_clear_pointer (&answer, json_node_unref);
  answer = request_ok (f, "PATCH", "/api/v1/staff/S11", f->admin, "{\"role\": \"emergency_doctor\"}", 200);
  g_assert_cmpstr (hg_test_json_string (answer, "role"), ==, "emergency_doctor");
  g_assert_true (hg_test_json_is_null (answer, "specialty"));

  /* An empty change changes and writes nothing. */
  before = fingerprint (f);
  g_clear_pointer (&answer, json_node_unref);
  answer = request_ok (f, "PATCH", "/api/v1/staff/N02", f->admin, "{}", 200);
  g_assert_cmpstr (hg_test_json_string (answer, "id"), ==, "N02");
  after = fingerprint (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_password_reset (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *first = hg_test_login (f->ts, "N02");
  g_autofree char *second = hg_test_login (f->ts, "N02");
  g_autofree char *other = hg_test_login (f->ts, "N03");
  g_autofree char *body = g_strdup_printf ("{\"password\": \"%s\"}", STRONG);
  Stream *stream = stream_open (f, first, NULL);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *fresh = NULL;

  g_assert_nonnull (stream);
  answer = request_ok (f, "PATCH", "/api/v1/staff/N02", f->admin, body, 200);
  /* Every session of theirs ends, and their stream with it. */
  assert_refused (f, "GET", "/api/v1/me", first, NULL, 401, "invalid_token");
  assert_refused (f, "GET", "/api/v1/me", second, NULL, 401, "invalid_token");
  g_assert_true (stream_closes_within (stream, 5000));
  g_assert_cmpuint (status_of (f, "GET", "/api/v1/me", other, NULL), ==, 200);
  g_assert_cmpuint (login_status (f, "N02", "password123", NULL), ==, 401);
  g_assert_cmpuint (login_status (f, "N02", STRONG, &fresh), ==, 200);
  g_assert_cmpint (audit_count (f, "staff.password", "staff:N02"), ==, 1);
  stream_free (stream);
}

static void
test_disable (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *doctor = hg_test_login (f->ts, "S01");
  g_autofree char *colleague = hg_test_login (f->ts, "N03");
  Stream *mine = stream_open (f, doctor, NULL);
  Stream *theirs = stream_open (f, colleague, NULL);
  g_autoptr(JsonNode) alert = hg_test_post_alert (f->ts, f->nurse,
                                                   "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}");
  g_autofree char *incident_path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT,
                                                    hg_test_json_int (alert, "incident.id"));
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) incident = NULL;

  g_assert_cmpstr (hg_test_json_string (alert, "incident.assignee.id"), ==, "S01");
  answer = request_ok (f, "PATCH", "/api/v1/staff/S01", f->admin, "{\"disabled\": true}", 200);
  g_assert_true (json_node_get_boolean (hg_test_json_get (answer, "disabled")));
  g_assert_false (json_node_get_boolean (hg_test_json_get (answer, "on_duty")));
  g_assert_false (json_node_get_boolean (hg_test_json_get (answer, "logged_in")));

  /* Their stream closes, a colleague's stays; their session and sign-in end. */
  g_assert_true (stream_closes_within (mine, 5000));
  g_assert_false (stream_closes_within (theirs, 500));
  assert_refused (f, "GET", "/api/v1/me", doctor, NULL, 401, "invalid_token");
  g_assert_cmpuint (login_status (f, "S01", "password123", NULL), ==, 401);
  /* What they held went to a colleague at once. */
  incident = request_ok (f, "GET", incident_path, f->nurse, NULL, 200);
  g_assert_cmpstr (hg_test_json_string (incident, "assignee.id"), !=, "S01");
  g_assert_cmpint (audit_count (f, "staff.disable", "staff:S01"), ==, 1);

  g_clear_pointer (&answer, json_node_unref);
  answer = request_ok (f, "PATCH", "/api/v1/staff/S01", f->admin, "{\"disabled\": false}", 200);
  g_assert_cmpuint (login_status (f, "S01", "password123", NULL), ==, 200);
  g_assert_cmpint (audit_count (f, "staff.enable", "staff:S01"), ==, 1);
  stream_free (mine);
  stream_free (theirs);
}

static void
test_last_admin (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *body = new_staff_body ("A02", "admin", NULL, STRONG);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) answer = NULL;

  assert_refused (f, "PATCH", "/api/v1/staff/A01", f->admin, "{\"disabled\": true}", 409, "last_admin");
  assert_refused (f, "PATCH", "/api/v1/staff/A01", f->admin, "{\"role\": \"nurse\"}", 409, "last_admin");
  /* With a second admin, the first may go. */
  created = request_ok (f, "POST", "/api/v1/staff", f->admin, body, 201);
  answer = request_ok (f, "PATCH", "/api/v1/staff/A01", f->admin, "{\"disabled\": true}", 200);
}

/* --- Integration keys ------------------------------------------------- */

static char *
create_key (Fixture    *f,
            const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"name\": \"%s\"}", name);
  g_autoptr(JsonNode) answer = request_ok (f, "POST", "/api/v1/integrations", f->admin, body, 201);

  g_assert_cmpstr (hg_test_json_string (answer, "name"), ==, name);
  g_assert_cmpstr (hg_test_json_string (answer, "created_by"), ==, "A01");
  g_assert_nonnull (hg_test_json_string (answer, "created_at"));
  g_assert_true (hg_test_json_is_null (answer, "revoked_at"));
  return g_strdup (hg_test_json_string (answer, "key"));
}

static void
test_key_scope (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *key = create_key (f, "monitor-204");
  g_autofree char *sql = NULL;
  g_autofree char *posted_by = NULL;
  g_autofree char *delete_path = NULL;
  g_autofree char *object = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) alert = NULL;
  JsonObject *listed;
  guint status = 0;
  gint64 id;

  g_assert_true (g_str_has_prefix (key, "hgk_"));
  g_assert_cmpuint (strlen (key), >=, 4 + 43);
  /* Listed without the key; the key is nowhere in the database. */
  list = request_ok (f, "GET", "/api/v1/integrations", f->admin, NULL, 200);
  listed = json_node_get_object (hg_test_json_get (list, "integrations.0"));
  g_assert_false (json_object_has_member (listed, "key"));
  id = hg_test_json_int (list, "integrations.0.id");
  sql = g_strdup_printf ("SELECT count(*) FROM integrations WHERE CAST(key_hash AS TEXT) = '%s'"
                         " OR name = '%s'", key, key);
  g_assert_cmpint (hg_test_sql_int (f->db, sql), ==, 0);

  /* Alerts, nothing else. */
  assert_refused (f, "GET", "/api/v1/incidents", key, NULL, 403, "key_not_allowed");
  assert_refused (f, "GET", "/api/v1/me", key, NULL, 403, "key_not_allowed");
  assert_refused (f, "POST", "/api/v1/integrations", key, "{\"name\": \"x\"}", 403, "key_not_allowed");
  assert_refused (f, "POST", "/api/v1/auth/logout", key, NULL, 403, "key_not_allowed");
  g_assert_null (stream_open (f, key, &status));
  g_assert_cmpuint (status, ==, 403);
  alert = hg_test_post_alert (f->ts, key, "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P002\"}");
  g_free (sql);
  sql = g_strdup_printf ("SELECT posted_by FROM alerts WHERE id = %" G_GINT64_FORMAT,
                         hg_test_json_int (alert, "alert.id"));
  posted_by = hg_test_sql_text (f->db, sql);
  g_assert_cmpstr (posted_by, ==, "integration:monitor-204");

  /* Revoked: 401, and a second revocation finds nothing. */
  delete_path = g_strdup_printf ("/api/v1/integrations/%" G_GINT64_FORMAT, id);
  object = g_strdup_printf ("integration:%" G_GINT64_FORMAT, id);
  assert_refused (f, "DELETE", delete_path, f->nurse, NULL, 403, "role_not_allowed");
  g_assert_cmpuint (status_of (f, "DELETE", delete_path, f->admin, NULL), ==, 204);
  assert_refused (f, "POST", "/api/v1/alerts", key, "{\"type\": \"CALL_BUTTON\"}", 401, "invalid_token");
  assert_refused (f, "DELETE", delete_path, f->admin, NULL, 404, "not_found");
  assert_refused (f, "DELETE", "/api/v1/integrations/999", f->admin, NULL, 404, "not_found");
  g_assert_cmpint (audit_count (f, "integration.create", object), ==, 1);
  g_assert_cmpint (audit_count (f, "integration.revoke", object), ==, 1);
}

static void
test_key_admin (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *first = create_key (f, "pump-gateway");
  g_autofree char *again = NULL;
  g_autoptr(JsonNode) list = NULL;

  assert_refused (f, "POST", "/api/v1/integrations", f->nurse, "{\"name\": \"a\"}", 403, "role_not_allowed");
  assert_refused (f, "GET", "/api/v1/integrations", f->nurse, NULL, 403, "role_not_allowed");
  assert_refused (f, "POST", "/api/v1/integrations", f->admin, "{\"name\": \"pump-gateway\"}", 409,
                  "integration_exists");
  assert_refused (f, "POST", "/api/v1/integrations", f->admin, "{\"name\": \"bad name\"}", 400, "invalid_field");
  assert_refused (f, "POST", "/api/v1/integrations", f->admin, "{}", 400, "missing_field");
  /* A revoked key's name may be used again, by a new key. */
  g_assert_cmpuint (status_of (f, "DELETE", "/api/v1/integrations/1", f->admin, NULL), ==, 204);
  again = create_key (f, "pump-gateway");
  g_assert_cmpstr (again, !=, first);
  list = request_ok (f, "GET", "/api/v1/integrations", f->admin, NULL, 200);
  g_assert_cmpint (json_array_get_length (json_node_get_array (hg_test_json_get (list, "integrations"))), ==, 2);
  g_assert_nonnull (hg_test_json_string (list, "integrations.0.revoked_at"));
  g_assert_true (hg_test_json_is_null (list, "integrations.1.revoked_at"));
}

static char *
alert_array (guint n)
{
  GString *text = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P00%u\"}", i ? "," : "",
                            1 + i % 8);
  g_string_append (text, "]");
  return g_string_free (text, FALSE);
}

static void
test_ingest_ceiling (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *key = create_key (f, "monitor-1");
  g_autofree char *other = create_key (f, "monitor-2");
  g_autofree char *five = alert_array (5);
  g_autoptr(JsonNode) batch = request_ok (f, "POST", "/api/v1/alerts", key, five, 201);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) later = NULL;
  g_autoptr(JsonNode) by_other = NULL;
  g_autoptr(JsonNode) by_staff = NULL;
  guint64 retry_after = 0;

  /* Five a second: five more within the second are refused, and nothing
   * of them is stored. */
  headers = refused (f, "POST", "/api/v1/alerts", key, five, 429, "too_many_alerts");
  g_assert_true (g_ascii_string_to_unsigned (soup_message_headers_get_one (headers, "Retry-After"), 10, 1, 2,
                                             &retry_after, NULL));
  /* Per key: another key and the staff are not held back. */
  by_other = hg_test_post_alert (f->ts, other, "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P003\"}");
  by_staff = hg_test_post_alert (f->ts, f->nurse, "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P004\"}");
  wait_ms (retry_after * 1000);
  later = hg_test_post_alert (f->ts, key, "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P005\"}");
}

static void
test_ingest_batch_counts (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *key = create_key (f, "bulk-feed");
  g_autofree char *many = alert_array (500);
  g_autoptr(JsonNode) batch = request_ok (f, "POST", "/api/v1/alerts", key, many, 201);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  guint64 retry_after = 0;

  /* 500 alerts at 100 a second: the key waits about four more seconds
   * (the burst was a second's worth), less the time the batch took. */
  headers = refused (f, "POST", "/api/v1/alerts", key, "{\"type\": \"CALL_BUTTON\"}", 429, "too_many_alerts");
  g_assert_true (g_ascii_string_to_unsigned (soup_message_headers_get_one (headers, "Retry-After"), 10, 3, 5,
                                             &retry_after, NULL));
}

int
main (int   argc,
      char *argv[])
{
  static const Settings idle = { .token_idle_timeout = 3 };
  static const Settings lifetime = { .token_lifetime = 2 };
  static const Settings short_window = { .login_failure_window = 3 };
  static const Settings five_a_second = { .ingest_rate_limit = 5 };
  static const Settings hundred_a_second = { .ingest_rate_limit = 100 };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, settings, func) \
  g_test_add ("/server/accounts/" path, Fixture, settings, setup, func, teardown)
  ADD ("session/stored-hashed", NULL, test_token_stored_hashed);
  ADD ("session/idle-timeout", &idle, test_idle_timeout);
  ADD ("session/stream-keeps-it", &idle, test_stream_keeps_session);
  ADD ("session/absolute-lifetime", &lifetime, test_absolute_lifetime);
  g_test_add_func ("/server/accounts/session/idle-after-restart", test_idle_after_restart);
  ADD ("login/thirty-wrong-passwords", &short_window, test_thirty_wrong_passwords);
  ADD ("password/policy", NULL, test_password_policy);
  ADD ("staff/create", NULL, test_create_staff);
  ADD ("staff/create-invalid", NULL, test_create_staff_invalid);
  ADD ("staff/update", NULL, test_update_staff);
  ADD ("staff/password-reset", NULL, test_password_reset);
  ADD ("staff/disable", NULL, test_disable);
  ADD ("staff/last-admin", NULL, test_last_admin);
  ADD ("keys/scope", NULL, test_key_scope);
  ADD ("keys/admin", NULL, test_key_admin);
  ADD ("keys/ingest-ceiling", &five_a_second, test_ingest_ceiling);
  ADD ("keys/ingest-batch-counts", &hundred_a_second, test_ingest_batch_counts);
#undef ADD

  return g_test_run ();
}
