/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Stream"

#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "hg-error.h"
#include "hg-head-filter.h"
#include "hg-json.h"
#include "hg-protocol.h"
#include "hg-stream.h"
#include "hg-stream-message.h"

#define REPLAY_CHUNK 1000
#define RESUME_WAIT_S 5
#define MAX_INCOMING 65536

typedef struct {
  HgStream                *stream;
  SoupWebsocketConnection *conn;
  GSocket                 *socket;      /* the TCP socket under conn, or NULL */
  char                    *staff_id;
  guchar                   token_hash[32];
  gint64                   last_seq;    /* newest seq this client has been sent or skipped */
  gint64                   hello_seq;
  gboolean                 live;
  gint64                   last_seen;   /* monotonic µs */
  guint                    resume_timeout;
} Client;

struct _HgStream {
  GObject   parent_instance;
  HgStore  *store;
  GList    *clients;           /* Client* */
  gint64    broadcast_seq;     /* newest seq fanned out */
  guint     ping_interval;
  guint     drop_after;
  guint     sweep_source;
  gulong    committed_id;
};

G_DEFINE_FINAL_TYPE (HgStream, hg_stream, G_TYPE_OBJECT)

static void
client_free (Client *client)
{
  g_clear_handle_id (&client->resume_timeout, g_source_remove);
  g_signal_handlers_disconnect_by_data (client->conn, client);
  g_clear_object (&client->conn);
  g_clear_object (&client->socket);
  g_free (client->staff_id);
  g_free (client);
}

/* {"seq", "type", "at", "data"}: one text message per frame. */
static char *
frame_text (gint64      seq,
            const char *type,
            gint64      at,
            JsonNode   *data)
{
  JsonObject *object = json_object_new ();
  g_autofree char *when = hg_time_format (at);
  g_autoptr(JsonNode) node = NULL;

  json_object_set_int_member (object, "seq", seq);
  json_object_set_string_member (object, "type", type);
  json_object_set_string_member (object, "at", when);
  json_object_set_member (object, "data", json_node_ref (data));
  node = hg_json_node_new_object (object);
  return hg_json_to_string (node, NULL);
}

static char *
event_text (HgEvent *event)
{
  g_autoptr(JsonNode) data = hg_json_parse (event->data, strlen (event->data), NULL);

  if (data == NULL)
    data = json_node_new (JSON_NODE_NULL);
  return frame_text (event->seq, event->type, event->at, data);
}

static gboolean
is_for (HgEvent *event,
        Client  *client)
{
  return event->audience == NULL || g_strcmp0 (event->audience, client->staff_id) == 0;
}

static void
send_text (Client     *client,
           const char *text)
{
  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (client->conn, text);
}

static void
send_simple (Client     *client,
             const char *type,
             gint64      seq,
             JsonObject *data)
{
  g_autoptr(JsonNode) node = hg_json_node_new_object (data);
  g_autofree char *text = frame_text (seq, type, hg_time_now_ms (), node);

  send_text (client, text);
}

/* --- Resume ----------------------------------------------------------- */

static void
send_resync (Client *client,
             gint64  last)
{
  JsonObject *data = json_object_new ();

  json_object_set_int_member (data, "last_seq", last);
  send_simple (client, "resync_required", last, data);
  client->last_seq = last;
}

/* Replays everything after @since that is meant for this client, then
 * goes live. Runs to completion on the main loop, so no commit can slip
 * between the replay and the first live event. */
static void
resume (Client *client,
        gint64  since)
{
  HgStore *store = client->stream->store;
  gint64 last = hg_store_get_last_seq (store);
  gint64 pruned = hg_store_get_pruned_through (store);

  g_clear_handle_id (&client->resume_timeout, g_source_remove);
  client->live = TRUE;
  if (since < pruned || since > last)
    {
      g_debug ("%s resumes from %" G_GINT64_FORMAT ", outside %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
               ": resync", client->staff_id, since, pruned, last);
      send_resync (client, last);
      return;
    }
  client->last_seq = since;
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = hg_store_events_since (store, client->last_seq, client->staff_id,
                                                           REPLAY_CHUNK, &error);

      if (events == NULL)
        {
          g_warning ("Cannot replay events for %s: %s", client->staff_id, error->message);
          send_resync (client, last);
          return;
        }
      for (guint i = 0; i < events->len; i++)
        {
          HgEvent *event = events->pdata[i];
          g_autofree char *text = event_text (event);

          send_text (client, text);
          client->last_seq = event->seq;
        }
      if (events->len < REPLAY_CHUNK)
        break;
    }
  /* Events for others up to the newest commit are not theirs to see. */
  client->last_seq = MAX (client->last_seq, last);
}

static gboolean
resume_timed_out (gpointer data)
{
  Client *client = data;

  client->resume_timeout = 0;
  /* A client that says nothing starts from its hello. */
  resume (client, client->hello_seq);
  return G_SOURCE_REMOVE;
}

/* --- Messages from the client ----------------------------------------- */

static void
delivered_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hg_store_mark_delivered_finish (HG_STORE (source), result, &error))
    g_debug ("Delivery receipt refused: %s", error->message);
}

static void
on_message (SoupWebsocketConnection *conn,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            gpointer                 user_data)
{
  Client *client = user_data;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);
  g_auto(HgStreamMessage) parsed = { 0 };

  client->last_seen = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT || !hg_stream_message_parse (data, len, &parsed))
    {
      g_debug ("Ignoring a malformed message from %s", client->staff_id);
      return;
    }
  if (parsed.kind == HG_STREAM_MESSAGE_RESUME && !client->live)
    resume (client, parsed.number);
  else if (parsed.kind == HG_STREAM_MESSAGE_DELIVERED)
    hg_store_mark_delivered_async (client->stream->store, client->staff_id, parsed.number,
                                   delivered_done, NULL);
  else
    g_debug ("Ignoring a “%s” message from %s", parsed.type, client->staff_id);
}

static void
on_pong (SoupWebsocketConnection *conn,
         GBytes                  *message,
         gpointer                 user_data)
{
  Client *client = user_data;

  client->last_seen = g_get_monotonic_time ();
}

/* libsoup 3.2 drops a client whose message is over the cap without a
 * word: tell it why first (1009), as RFC 6455 asks, so that it does not
 * just reconnect and send the same again. */
static void
on_error (SoupWebsocketConnection *conn,
          GError                  *error,
          gpointer                 user_data)
{
  Client *client = user_data;

  g_debug ("Stream of %s: %s", client->staff_id, error->message);
  if (g_error_matches (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_TOO_BIG) &&
      soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_TOO_BIG, "message over 64 KiB");
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  Client *client = user_data;
  HgStream *self = client->stream;

  g_debug ("Stream of %s closed", client->staff_id);
  self->clients = g_list_remove (self->clients, client);
  client_free (client);
}

/* --- Connections ------------------------------------------------------ */

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  HgStream *self = user_data;
  HgPrincipal *principal = g_object_get_data (G_OBJECT (msg), HG_STREAM_PRINCIPAL_KEY);
  Client *client;
  JsonObject *hello;

  if (principal == NULL)
    {
      /* Only reachable if authentication was skipped: never serve it. */
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "unauthorized");
      return;
    }
  client = g_new0 (Client, 1);
  client->stream = self;
  client->conn = g_object_ref (conn);
  g_set_object (&client->socket,
                hg_head_filter_find_tcp_socket (soup_websocket_connection_get_io_stream (conn)));
  client->staff_id = g_strdup (principal->staff_id);
  memcpy (client->token_hash, principal->token_hash, sizeof client->token_hash);
  client->last_seen = g_get_monotonic_time ();
  client->hello_seq = hg_store_get_last_seq (self->store);
  client->last_seq = client->hello_seq;
  self->clients = g_list_prepend (self->clients, client);

  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_INCOMING);
  soup_websocket_connection_set_keepalive_interval (conn, self->ping_interval);
  g_signal_connect (conn, "message", G_CALLBACK (on_message), client);
  g_signal_connect (conn, "pong", G_CALLBACK (on_pong), client);
  g_signal_connect (conn, "error", G_CALLBACK (on_error), client);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), client);

  hello = json_object_new ();
  json_object_set_string_member (hello, "server_version", PACKAGE_VERSION);
  json_object_set_int_member (hello, "protocol", HG_PROTOCOL_VERSION);
  json_object_set_int_member (hello, "last_seq", client->hello_seq);
  send_simple (client, "hello", client->hello_seq, hello);
  client->resume_timeout = g_timeout_add_seconds (RESUME_WAIT_S, resume_timed_out, client);
  g_debug ("Stream of %s opened at seq %" G_GINT64_FORMAT, client->staff_id, client->hello_seq);
}

/* --- Fan-out ---------------------------------------------------------- */

/* libsoup writes each frame with a send of its own, and on a TCP socket
 * each send is a segment: for a thousand clients, the kernel's work per
 * segment is most of the fan-out's cost. While a client's share of a
 * commit is written, the socket is corked, so its frames leave in one
 * segment when it is uncorked. */
static gboolean
cork (Client   *client,
      gboolean  on)
{
#ifdef TCP_CORK
  g_autoptr(GError) error = NULL;

  if (client->socket == NULL)
    return FALSE;
  if (g_socket_set_option (client->socket, IPPROTO_TCP, TCP_CORK, on, &error))
    return TRUE;
  g_debug ("Cannot %s the stream of %s: %s", on ? "cork" : "uncork", client->staff_id,
           error->message);
#endif
  return FALSE;
}

static gboolean
is_due (Client  *client,
        HgEvent *event)
{
  return event->seq > client->last_seq && is_for (event, client);
}

/* Sends each client the @events meant for it, in order; each event's
 * text is made once, for the first client that needs it. */
static void
fan_out (HgStream  *self,
         GPtrArray *events)
{
  g_autofree char **texts = g_new0 (char *, events->len);

  for (GList *l = self->clients; l != NULL; l = l->next)
    {
      Client *client = l->data;
      guint due = 0;
      gboolean corked;

      if (!client->live)
        continue;
      for (guint i = 0; i < events->len && due < 2; i++)
        due += is_due (client, events->pdata[i]);
      corked = due > 1 && cork (client, TRUE);
      for (guint i = 0; i < events->len; i++)
        {
          HgEvent *event = events->pdata[i];

          if (event->seq <= client->last_seq)
            continue;
          client->last_seq = event->seq;
          if (!is_for (event, client))
            continue;
          if (texts[i] == NULL)
            texts[i] = event_text (event);
          send_text (client, texts[i]);
        }
      if (corked)
        cork (client, FALSE);
    }
  for (guint i = 0; i < events->len; i++)
    g_free (texts[i]);
}

static void
on_events_committed (HgStore  *store,
                     gint64    last_seq,
                     HgStream *self)
{
  while (self->broadcast_seq < last_seq)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = NULL;

      if (self->clients == NULL)
        {
          self->broadcast_seq = last_seq;
          return;
        }
      events = hg_store_events_since (store, self->broadcast_seq, NULL, REPLAY_CHUNK, &error);
      if (events == NULL || events->len == 0)
        {
          if (error != NULL)
            g_warning ("Cannot read new events: %s", error->message);
          return;
        }
      fan_out (self, events);
      self->broadcast_seq = ((HgEvent *) events->pdata[events->len - 1])->seq;
    }
}

static gboolean
sweep_silent (gpointer data)
{
  HgStream *self = data;
  gint64 limit = g_get_monotonic_time () - (gint64) self->drop_after * G_USEC_PER_SEC;

  for (GList *l = self->clients; l != NULL; l = l->next)
    {
      Client *client = l->data;

      if (client->last_seen < limit &&
          soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        {
          g_message ("Dropping the stream of %s: silent for %u s", client->staff_id, self->drop_after);
          soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                           "no answer to pings");
        }
    }
  return G_SOURCE_CONTINUE;
}

/* --- Public ----------------------------------------------------------- */

HgStream *
hg_stream_new (HgStore *store,
               guint    ping_interval,
               guint    drop_after)
{
  HgStream *self = g_object_new (HG_TYPE_STREAM, NULL);

  self->store = g_object_ref (store);
  self->ping_interval = MAX (ping_interval, 1);
  self->drop_after = MAX (drop_after, self->ping_interval);
  self->broadcast_seq = hg_store_get_last_seq (store);
  self->committed_id = g_signal_connect (store, "events-committed", G_CALLBACK (on_events_committed), self);
  self->sweep_source = g_timeout_add_seconds (self->ping_interval, sweep_silent, self);
  return self;
}

void
hg_stream_attach (HgStream   *self,
                  SoupServer *server)
{
  g_return_if_fail (HG_IS_STREAM (self));
  soup_server_add_websocket_handler (server, HG_STREAM_PATH, NULL, NULL, on_websocket,
                                     g_object_ref (self), g_object_unref);
}

guint
hg_stream_get_n_clients (HgStream *self)
{
  g_return_val_if_fail (HG_IS_STREAM (self), 0);
  return g_list_length (self->clients);
}

guint
hg_stream_count_token (HgStream     *self,
                       const guchar  token_hash[32])
{
  guint n = 0;

  g_return_val_if_fail (HG_IS_STREAM (self), 0);
  for (GList *l = self->clients; l != NULL; l = l->next)
    {
      Client *client = l->data;

      n += memcmp (client->token_hash, token_hash, sizeof client->token_hash) == 0;
    }
  return n;
}

void
hg_stream_close_token (HgStream     *self,
                       const guchar  token_hash[32])
{
  g_autoptr(GList) copy = g_list_copy (self->clients);

  for (GList *l = copy; l != NULL; l = l->next)
    {
      Client *client = l->data;

      if (memcmp (client->token_hash, token_hash, sizeof client->token_hash) == 0)
        soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                         "signed out");
    }
}

void
hg_stream_close_staff (HgStream   *self,
                       const char *staff_id,
                       const char *reason)
{
  g_autoptr(GList) copy = g_list_copy (self->clients);

  for (GList *l = copy; l != NULL; l = l->next)
    {
      Client *client = l->data;

      if (g_strcmp0 (client->staff_id, staff_id) == 0 &&
          soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, reason);
    }
}

void
hg_stream_foreach_token (HgStream          *self,
                         HgStreamTokenFunc  func,
                         gpointer           user_data)
{
  for (GList *l = self->clients; l != NULL; l = l->next)
    func (((Client *) l->data)->token_hash, user_data);
}

void
hg_stream_close_all (HgStream *self)
{
  g_autoptr(GList) copy = g_list_copy (self->clients);

  for (GList *l = copy; l != NULL; l = l->next)
    {
      Client *client = l->data;

      if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server stopping");
    }
}

static void
hg_stream_dispose (GObject *object)
{
  HgStream *self = HG_STREAM (object);

  g_clear_handle_id (&self->sweep_source, g_source_remove);
  if (self->store != NULL && self->committed_id != 0)
    g_clear_signal_handler (&self->committed_id, self->store);
  g_list_free_full (g_steal_pointer (&self->clients), (GDestroyNotify) client_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (hg_stream_parent_class)->dispose (object);
}

static void
hg_stream_class_init (HgStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hg_stream_dispose;
}

static void
hg_stream_init (HgStream *self)
{
}
