/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real-time stream: hello, resume with replay, live events, audience,
 * resync past retention, receipts, sign-out. A real WebSocket client on
 * this thread's main context talks to the in-process server. */
#include "config.h"

#include <string.h>

#include "hg-config.h"
#include "hg-test-server.h"

typedef struct {
  SoupWebsocketConnection *conn;
  GQueue                   frames;    /* JsonNode* */
  gboolean                 closed;
} Client;

typedef struct {
  HgTestServer *ts;
  SoupSession  *session;
  char         *nurse;     /* N01 posts the alerts */
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->ts = hg_test_server_start (NULL, NULL);
  f->session = soup_session_new ();
  f->nurse = hg_test_login (f->ts, "N01");
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_free (f->nurse);
  g_clear_object (&f->session);
  hg_test_server_stop (f->ts);
}

static void
on_message (SoupWebsocketConnection *conn,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            gpointer                 user_data)
{
  Client *client = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  g_queue_push_tail (&client->frames, json_parser_steal_root (parser));
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  ((Client *) user_data)->closed = TRUE;
  g_test_message ("closed: %u %s", soup_websocket_connection_get_close_code (conn),
                  soup_websocket_connection_get_close_data (conn));
}

static void
connected (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Connects, as a browser page from @origin if not NULL; returns NULL and
 * the HTTP status (and Retry-After) when the server refuses. */
static Client *
client_connect_full (Fixture    *f,
                     const char *token,
                     const char *origin,
                     guint      *out_status,
                     char      **out_retry_after)
{
  g_autofree char *url = hg_test_server_url (f->ts, "/api/v1/stream");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Client *client;
  SoupWebsocketConnection *conn;

  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  soup_session_websocket_connect_async (f->session, msg, origin, NULL, G_PRIORITY_DEFAULT, NULL,
                                        connected, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  conn = soup_session_websocket_connect_finish (f->session, result, &error);
  if (out_status != NULL)
    *out_status = soup_message_get_status (msg);
  if (out_retry_after != NULL)
    *out_retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                               "Retry-After"));
  if (conn == NULL)
    return NULL;
  client = g_new0 (Client, 1);
  client->conn = conn;
  g_signal_connect (conn, "message", G_CALLBACK (on_message), client);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), client);
  return client;
}

static Client *
client_connect (Fixture    *f,
                const char *token,
                guint      *out_status)
{
  return client_connect_full (f, token, NULL, out_status, NULL);
}

static void
client_free (Client *client)
{
  g_signal_handlers_disconnect_by_data (client->conn, client);
  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (client->conn);
  g_queue_clear_full (&client->frames, (GDestroyNotify) json_node_unref);
  g_free (client);
}

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The next frame, waiting up to 10 s; NULL on time-out or close. */
static JsonNode *
next_frame (Client *client)
{
  gboolean expired = FALSE;
  guint source = g_timeout_add (10000, timed_out, &expired);

  while (g_queue_is_empty (&client->frames) && !expired && !client->closed)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (source);
  return g_queue_pop_head (&client->frames);
}

static void
send_json (Client     *client,
           const char *text)
{
  soup_websocket_connection_send_text (client->conn, text);
}

static gint64
resume (Client *client,
        gint64  since)
{
  g_autoptr(JsonNode) hello = next_frame (client);
  g_autofree char *text = g_strdup_printf ("{\"type\": \"resume\", \"since\": %" G_GINT64_FORMAT "}", since);

  g_assert_nonnull (hello);
  g_assert_cmpstr (hg_test_json_string (hello, "type"), ==, "hello");
  g_assert_cmpint (hg_test_json_int (hello, "seq"), ==, hg_test_json_int (hello, "data.last_seq"));
  g_assert_nonnull (hg_test_json_string (hello, "data.server_version"));
  send_json (client, text);
  return hg_test_json_int (hello, "data.last_seq");
}

static gint64
last_seq (Fixture *f)
{
  return hg_test_sql_int (hg_test_server_db_path (f->ts), "SELECT coalesce(max(seq), 0) FROM events");
}

/* The newest event that @staff_id is meant to receive. */
static gint64
last_seq_for (Fixture    *f,
              const char *staff_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce(max(seq), 0) FROM events"
                                          " WHERE audience IS NULL OR audience = '%s'", staff_id);
  return hg_test_sql_int (hg_test_server_db_path (f->ts), sql);
}

/* Frames until the one with @seq; asserts they come in strictly rising
 * seq order. Returns the frames (JsonNode*). */
static GPtrArray *
frames_until (Client *client,
              gint64  seq)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  gint64 previous = -1;

  while (previous < seq)
    {
      JsonNode *frame = next_frame (client);
      gint64 this_seq;

      g_assert_nonnull (frame);
      this_seq = hg_test_json_int (frame, "seq");
      g_assert_cmpint (this_seq, >, previous);
      previous = this_seq;
      g_ptr_array_add (frames, frame);
    }
  g_assert_cmpint (previous, ==, seq);
  return frames;
}

static void
post_alert (Fixture    *f,
            const char *type,
            const char *patient,
            guint       serial)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"%s\", \"patient_id\": \"%s\","
                                           " \"dedup_key\": \"stream-%u\"}", type, patient, serial);
  g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, f->nurse, body);
}

static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *doctor = hg_test_login (f->ts, "S01");
  Client *client = client_connect (f, doctor, NULL);
  g_autoptr(GPtrArray) frames = NULL;
  gboolean created = FALSE, alarm = FALSE, notification = FALSE;

  g_assert_nonnull (client);
  resume (client, last_seq (f));
  /* S01 is the less busy cardiologist when both have nothing: ties go to
   * the longest idle, and the ids order the rest. Make it S01's for sure. */
  hg_test_sql (hg_test_server_db_path (f->ts), "DELETE FROM shifts WHERE staff_id = 'S02'");
  post_alert (f, "CARDIAC_ARREST", "P001", 1);
  frames = frames_until (client, last_seq_for (f, "S01"));
  for (guint i = 0; i < frames->len; i++)
    {
      const char *type = hg_test_json_string (frames->pdata[i], "type");

      created |= g_str_equal (type, "incident.created");
      if (g_str_equal (type, "alarm"))
        {
          alarm = TRUE;
          g_assert_cmpstr (hg_test_json_string (frames->pdata[i], "data.priority"), ==, "high");
          g_assert_cmpstr (hg_test_json_string (frames->pdata[i], "data.reason"), ==, "assigned");
          g_assert_cmpstr (hg_test_json_string (frames->pdata[i], "data.incident.assignee.id"), ==, "S01");
          /* The incident is always known before its alarm. */
          g_assert_true (created);
        }
      notification |= g_str_equal (type, "notification");
      g_assert_nonnull (hg_test_json_string (frames->pdata[i], "at"));
    }
  g_assert_true (created);
  g_assert_true (alarm);
  g_assert_true (notification);
  client_free (client);
}

/* Acceptance: a client that resumes after being disconnected while 100
 * incidents changed receives exactly the missed events, gap-free and in
 * order. "Exactly" is checked against the log itself. */
static void
test_resume_after_disconnect (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *doctor = hg_test_login (f->ts, "S03");
  Client *client = client_connect (f, doctor, NULL);
  g_autoptr(GPtrArray) frames = NULL;
  g_autofree char *sql = NULL;
  gint64 seen, last, expected;
  guint created = 0;

  resume (client, last_seq (f));
  post_alert (f, "RESPIRATORY_DISTRESS", "P002", 0);
  seen = last_seq_for (f, "S03");
  g_ptr_array_unref (frames_until (client, seen));
  client_free (client);

  for (guint i = 1; i <= 100; i++)
    post_alert (f, i % 2 ? "RESPIRATORY_DISTRESS" : "CALL_BUTTON", i % 2 ? "P003" : "P004", i);
  last = last_seq_for (f, "S03");

  client = client_connect (f, doctor, NULL);
  resume (client, seen);
  frames = frames_until (client, last);
  sql = g_strdup_printf ("SELECT count(*) FROM events WHERE seq > %" G_GINT64_FORMAT
                         " AND (audience IS NULL OR audience = 'S03')", seen);
  expected = hg_test_sql_int (hg_test_server_db_path (f->ts), sql);
  /* Every frame is one of the log's events for S03, in order, none twice,
   * none missing: rising seqs + the same count means the same set. */
  g_assert_cmpint (frames->len, ==, expected);
  for (guint i = 0; i < frames->len; i++)
    {
      const char *audience_sql = NULL;
      g_autofree char *check = g_strdup_printf ("SELECT count(*) FROM events WHERE seq = %" G_GINT64_FORMAT
                                                " AND (audience IS NULL OR audience = 'S03')",
                                                hg_test_json_int (frames->pdata[i], "seq"));

      (void) audience_sql;
      g_assert_cmpint (hg_test_sql_int (hg_test_server_db_path (f->ts), check), ==, 1);
      created += g_str_equal (hg_test_json_string (frames->pdata[i], "type"), "incident.created");
    }
  g_assert_cmpuint (created, ==, 100);
  g_test_message ("resumed from seq %" G_GINT64_FORMAT ": %u events replayed up to %" G_GINT64_FORMAT,
                  seen, frames->len, last);
  client_free (client);
}

static void
test_only_own_alarms (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *other = hg_test_login (f->ts, "S05");
  Client *client = client_connect (f, other, NULL);
  g_autoptr(GPtrArray) frames = NULL;

  resume (client, last_seq (f));
  post_alert (f, "CARDIAC_ARREST", "P001", 7);
  frames = frames_until (client, last_seq_for (f, "S05"));
  for (guint i = 0; i < frames->len; i++)
    {
      const char *type = hg_test_json_string (frames->pdata[i], "type");

      g_assert_cmpstr (type, !=, "alarm");
      g_assert_cmpstr (type, !=, "notification");
    }
  /* Nothing more is queued for S05: the alarm was the cardiologist's. */
  g_assert_true (g_queue_is_empty (&client->frames));
  client_free (client);
}

static void
test_resync_past_retention (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *doctor = hg_test_login (f->ts, "S01");
  Client *client = NULL;
  g_autoptr(JsonNode) frame = NULL;
  gint64 through;

  for (guint i = 0; i < 5; i++)
    post_alert (f, "CALL_BUTTON", "P005", 100 + i);
  through = last_seq (f) - 3;
  /* What the retention does: the oldest events are gone, and it says how far. */
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM events WHERE seq <= %" G_GINT64_FORMAT ";"
                                            "INSERT INTO store_meta (key, value) VALUES ('pruned_through', %"
                                            G_GINT64_FORMAT ")", through, through);
    hg_test_sql (hg_test_server_db_path (f->ts), sql);
  }
  client = client_connect (f, doctor, NULL);
  resume (client, 1);
  frame = next_frame (client);
  g_assert_cmpstr (hg_test_json_string (frame, "type"), ==, "resync_required");
  g_assert_cmpint (hg_test_json_int (frame, "data.last_seq"), ==, last_seq (f));
  client_free (client);

  /* Resuming at the edge of what is kept still works. */
  client = client_connect (f, doctor, NULL);
  resume (client, through);
  g_clear_pointer (&frame, json_node_unref);
  frame = next_frame (client);
  g_assert_cmpstr (hg_test_json_string (frame, "type"), !=, "resync_required");
  g_assert_cmpint (hg_test_json_int (frame, "seq"), >, through);
  client_free (client);
}

static void
test_refused_without_token (Fixture       *f,
                            gconstpointer  data)
{
  guint status = 0;
  Client *client = client_connect (f, NULL, &status);

  g_assert_null (client);
  g_assert_cmpuint (status, ==, 401);
  client = client_connect (f, "not-a-token", &status);
  g_assert_null (client);
  g_assert_cmpuint (status, ==, 401);
}

static void
test_sign_out_closes (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *doctor = hg_test_login (f->ts, "D01");
  Client *client = client_connect (f, doctor, NULL);
  g_autoptr(JsonNode) answer = NULL;
  gboolean expired = FALSE;
  guint status;

  resume (client, last_seq (f));
  answer = hg_test_request (f->ts, "POST", "/api/v1/auth/logout", doctor, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  g_timeout_add (10000, timed_out, &expired);
  while (!client->closed && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (client->closed);
  client_free (client);
}

static void
test_delivered_receipt (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *doctor = hg_test_login (f->ts, "S01");
  Client *client = client_connect (f, doctor, NULL);
  g_autoptr(GPtrArray) frames = NULL;
  const char *db = hg_test_server_db_path (f->ts);
  gint64 notification = 0;

  resume (client, last_seq (f));
  hg_test_sql (db, "DELETE FROM shifts WHERE staff_id = 'S02'");
  post_alert (f, "CARDIAC_ARREST", "P001", 9);
  frames = frames_until (client, last_seq_for (f, "S01"));
  for (guint i = 0; i < frames->len; i++)
    if (g_str_equal (hg_test_json_string (frames->pdata[i], "type"), "notification"))
      notification = hg_test_json_int (frames->pdata[i], "data.id");
  g_assert_cmpint (notification, >, 0);
  {
    g_autofree char *text = g_strdup_printf ("{\"type\": \"delivered\", \"notification_id\": %"
                                             G_GINT64_FORMAT "}", notification);
    g_autofree char *sql = g_strdup_printf ("SELECT delivered_at IS NOT NULL FROM notifications WHERE id = %"
                                            G_GINT64_FORMAT, notification);

    send_json (client, text);
    for (guint tries = 0; tries < 200 && !hg_test_sql_int (db, sql); tries++)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
      }
    g_assert_cmpint (hg_test_sql_int (db, sql), ==, 1);
  }
  client_free (client);
}

static void
fast_pings (HgConfig *config,
            gpointer  user_data)
{
  config->ping_interval = 1;
  config->drop_after = 2;
}

static void
setup_fast_pings (Fixture       *f,
                  gconstpointer  data)
{
  f->ts = hg_test_server_start_full (NULL, NULL, fast_pings, NULL);
  f->session = soup_session_new ();
  f->nurse = hg_test_login (f->ts, "N01");
}

static void
run_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, timed_out, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

/* A client that answers the pings stays; one whose loop is frozen (a hung
 * station) cannot answer, and the server lets it go. */
static void
test_silent_client_dropped (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *doctor = hg_test_login (f->ts, "S01");
  Client *lively = client_connect (f, doctor, NULL);
  Client *silent = NULL;

  resume (lively, last_seq (f));
  run_for (3500);
  g_assert_false (lively->closed);

  silent = client_connect (f, doctor, NULL);
  resume (silent, last_seq (f));
  /* Frozen: no pongs for longer than drop_after plus a sweep. */
  g_usleep (3500 * 1000);
  run_for (500);
  g_assert_true (silent->closed);
  g_assert_cmpuint (soup_websocket_connection_get_close_code (silent->conn), ==,
                    SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  client_free (silent);
  client_free (lively);
}

/* --- Origin, caps and sizes -------------------------------------------- */

static void
with_origins (HgConfig *config,
              gpointer  user_data)
{
  static const char *const origins[] = { "https://ward.example.org", "http://localhost:8080", NULL };

  config->allowed_origins = g_strdupv ((char **) origins);
  config->max_streams_per_token = 3;
}

static void
setup_guarded (Fixture       *f,
               gconstpointer  data)
{
  f->ts = hg_test_server_start_full (NULL, NULL, with_origins, NULL);
  f->session = soup_session_new ();
  f->nurse = hg_test_login (f->ts, "N01");
}

/* The early answer itself, from a plain GET: status and error code. */
static void
assert_stream_refused (Fixture    *f,
                       const char *token,
                       const char *origin,
                       guint       status,
                       const char *code)
{
  g_autofree char *url = hg_test_server_url (f->ts, "/api/v1/stream");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(JsonNode) body = NULL;

  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (origin != NULL)
    soup_message_headers_replace (headers, "Origin", origin);
  body = hg_test_send_message (f->ts, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, status);
  g_assert_cmpstr (hg_test_json_string (body, "error.code"), ==, code);
}

static void
assert_hello (Client *client)
{
  g_autoptr(JsonNode) hello = NULL;

  g_assert_nonnull (client);
  hello = next_frame (client);
  g_assert_nonnull (hello);
  g_assert_cmpstr (hg_test_json_string (hello, "type"), ==, "hello");
}

/* Without allowed_origins no browser page may open the stream; native
 * clients, which send no Origin, always may. */
static void
test_origin_refused_by_default (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *doctor = hg_test_login (f->ts, "S01");
  guint status = 0;
  Client *client = client_connect_full (f, doctor, "https://ward.example.org", &status, NULL);

  g_assert_null (client);
  g_assert_cmpuint (status, ==, 403);
  assert_stream_refused (f, doctor, "https://ward.example.org", 403, "origin_not_allowed");
  /* Refused before the token is even looked at. */
  assert_stream_refused (f, NULL, "https://ward.example.org", 403, "origin_not_allowed");
  client = client_connect_full (f, doctor, NULL, &status, NULL);
  assert_hello (client);
  client_free (client);
}

static void
test_origin_allow_list (Fixture       *f,
                        gconstpointer  data)
{
  static const char *const refused[] = {
    "https://evil.example", "http://ward.example.org", "https://ward.example.org.evil.example",
    "https://ward.example.org:8443", "null", "https://ward.example.org, https://evil.example",
  };
  g_autofree char *doctor = hg_test_login (f->ts, "S01");
  Client *client;
  guint status = 0;

  client = client_connect_full (f, doctor, "https://ward.example.org", &status, NULL);
  assert_hello (client);
  client_free (client);
  /* Origins compare as browsers write them: scheme and host in any case. */
  client = client_connect_full (f, doctor, "HTTPS://Ward.Example.ORG", &status, NULL);
  assert_hello (client);
  client_free (client);
  client = client_connect_full (f, doctor, NULL, &status, NULL);
  assert_hello (client);
  client_free (client);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("Origin: %s", refused[i]);
      g_assert_null (client_connect_full (f, doctor, refused[i], &status, NULL));
      g_assert_cmpuint (status, ==, 403);
      assert_stream_refused (f, doctor, refused[i], 403, "origin_not_allowed");
    }
}

static void
wait_for_closed (Client *client)
{
  gboolean expired = FALSE;
  guint source = g_timeout_add (10000, timed_out, &expired);

  while (!client->closed && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (source);
  g_assert_true (client->closed);
}

/* At most max_streams_per_token (3 here) per token; the next one gets 429
 * with Retry-After before any upgrade. Other tokens are not affected, and
 * a closed stream frees its slot. */
static void
test_streams_per_token (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "S01");
  g_autofree char *other = hg_test_login (f->ts, "S01");
  g_autofree char *retry_after = NULL;
  Client *clients[3];
  Client *extra;
  guint status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      clients[i] = client_connect (f, token, &status);
      assert_hello (clients[i]);
    }
  g_assert_null (client_connect_full (f, token, NULL, &status, &retry_after));
  g_assert_cmpuint (status, ==, 429);
  g_assert_nonnull (retry_after);
  g_assert_cmpuint (g_ascii_strtoull (retry_after, NULL, 10), >=, 1);
  assert_stream_refused (f, token, NULL, 429, "too_many_streams");

  extra = client_connect (f, other, &status);
  assert_hello (extra);
  client_free (extra);

  soup_websocket_connection_close (clients[0]->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  wait_for_closed (clients[0]);
  client_free (clients[0]);
  /* The server notices the close on its own thread: allow it a moment. */
  extra = NULL;
  for (guint tries = 0; tries < 100 && extra == NULL; tries++)
    {
      extra = client_connect (f, token, &status);
      if (extra == NULL)
        g_usleep (20 * 1000);
    }
  assert_hello (extra);
  client_free (extra);
  client_free (clients[1]);
  client_free (clients[2]);
}

typedef struct {
  SoupMessage   *msg;
  GAsyncResult  *result;
} Attempt;

static void
attempt_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ((Attempt *) user_data)->result = g_object_ref (result);
}

/* A burst of upgrades sent at once, before any is answered, must not slip
 * past the cap either. */
static void
test_streams_per_token_burst (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "S02");
  g_autofree char *url = hg_test_server_url (f->ts, "/api/v1/stream");
  g_autofree char *bearer = g_strdup_printf ("Bearer %s", token);
  /* Enough connections that every request is on the wire at once. */
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns-per-host", 32, NULL);
  Attempt attempts[12] = { 0 };
  GPtrArray *open = g_ptr_array_new_with_free_func (g_object_unref);
  guint refused = 0;

  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      attempts[i].msg = soup_message_new ("GET", url);
      soup_message_headers_replace (soup_message_get_request_headers (attempts[i].msg), "Authorization", bearer);
      soup_session_websocket_connect_async (session, attempts[i].msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                            NULL, attempt_done, &attempts[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      SoupWebsocketConnection *conn;

      while (attempts[i].result == NULL)
        g_main_context_iteration (NULL, TRUE);
      conn = soup_session_websocket_connect_finish (session, attempts[i].result, NULL);
      if (conn != NULL)
        g_ptr_array_add (open, conn);
      else
        refused += soup_message_get_status (attempts[i].msg) == 429;
      g_object_unref (attempts[i].result);
      g_object_unref (attempts[i].msg);
    }
  g_test_message ("%u streams opened, %u refused with 429", open->len, refused);
  g_assert_cmpuint (open->len, ==, 3);
  g_assert_cmpuint (refused, ==, G_N_ELEMENTS (attempts) - 3);
  for (guint i = 0; i < open->len; i++)
    soup_websocket_connection_close (open->pdata[i], SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_ptr_array_unref (open);
}

/* Incoming messages are capped at 64 KiB: one just under passes (and is
 * ignored, as any message of no known type), one over closes the stream
 * with 1009 "message too big". */
static void
test_oversized_message (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *doctor = hg_test_login (f->ts, "S01");
  Client *client = client_connect (f, doctor, NULL);
  g_autofree char *small = g_strnfill (60 * 1024, 'a');
  g_autofree char *big = g_strnfill (64 * 1024 + 1, 'a');

  assert_hello (client);
  send_json (client, small);
  run_for (300);
  g_assert_false (client->closed);
  send_json (client, big);
  wait_for_closed (client);
  g_assert_cmpuint (soup_websocket_connection_get_close_code (client->conn), ==,
                    SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  client_free (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/server/stream/" path, Fixture, NULL, setup, func, teardown)
  ADD ("live", test_live);
  ADD ("resume-after-disconnect", test_resume_after_disconnect);
  ADD ("only-own-alarms", test_only_own_alarms);
  ADD ("resync-past-retention", test_resync_past_retention);
  ADD ("refused-without-token", test_refused_without_token);
  ADD ("sign-out-closes", test_sign_out_closes);
  ADD ("delivered-receipt", test_delivered_receipt);
  g_test_add ("/server/stream/silent-client-dropped", Fixture, NULL, setup_fast_pings,
              test_silent_client_dropped, teardown);
  ADD ("origin-refused-by-default", test_origin_refused_by_default);
  ADD ("oversized-message", test_oversized_message);
#define ADD_GUARDED(path, func) g_test_add ("/server/stream/" path, Fixture, NULL, setup_guarded, func, teardown)
  ADD_GUARDED ("origin-allow-list", test_origin_allow_list);
  ADD_GUARDED ("streams-per-token", test_streams_per_token);
  ADD_GUARDED ("streams-per-token-burst", test_streams_per_token_burst);
#undef ADD_GUARDED
#undef ADD
  return g_test_run ();
}
