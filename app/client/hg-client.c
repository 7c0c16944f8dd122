/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "hg-client.h"
#include "hg-client-private.h"
#include "hg-client-enums.h"
#include "hg-error.h"
#include "hg-incident-list.h"
#include "hg-json.h"

#define BACKOFF_FIRST_MSEC  500
#define BACKOFF_CAP_MSEC    30000
#define DEFAULT_PING_MSEC   15000   /* the server's websocket_ping_interval */
#define DEFAULT_OFFLINE_MSEC 15000

struct _HgClient {
  GObject                  parent_instance;

  char                    *base_url;
  char                    *token;
  HgStaff                 *staff;          /* who signed in */
  HgClientState            state;
  gint64                   offline_since;
  gint64                   last_seq;
  guint                    ping_interval;
  guint                    offline_timeout;

  SoupSession             *session;
  HgIncidentList          *incidents;

  gboolean                 started;
  gboolean                 have_list;      /* filled since start: reconnects resume */
  gboolean                 seeded;         /* hg_client_seed(): the first start resumes too */
  GCancellable            *cancellable;    /* this connection and its fetches */
  SoupWebsocketConnection *conn;
  gboolean                 fetching;
  GQueue                   pending;        /* JsonNode frames that came while fetching */
  guint                    attempt;
  guint                    reconnect_source;
  guint                    offline_source;
  guint                    watchdog_source;
  gint64                   last_activity;  /* monotonic µs */
};

G_DEFINE_FINAL_TYPE (HgClient, hg_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_STATE,
  PROP_OFFLINE_SINCE,
  PROP_LAST_SEQ,
  PROP_PING_INTERVAL,
  PROP_OFFLINE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_STAFF_UPDATED,
  SIGNAL_NOTIFICATION,
  SIGNAL_ALARM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void connect_stream  (HgClient   *self);
static void lose_connection (HgClient   *self,
                             const char *why);

/* --- An operation of the current connection ----------------------------- */

typedef struct {
  HgClient     *self;
  GCancellable *cancellable;
  gint64        seq;      /* fetches: the seq the list is as of */
  gboolean      resume;   /* fetches: send resume when done */
} Op;

static Op *
op_new (HgClient *self)
{
  Op *op = g_new0 (Op, 1);

  op->self = g_object_ref (self);
  op->cancellable = g_object_ref (self->cancellable);
  return op;
}

static void
op_free (Op *op)
{
  g_object_unref (op->self);
  g_object_unref (op->cancellable);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

/* --- State -------------------------------------------------------------- */

static void
set_state (HgClient      *self,
           HgClientState  state)
{
  if (self->state == state)
    return;
  g_debug ("State %d → %d", self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_offline_since (HgClient *self,
                   gint64    when)
{
  if (self->offline_since == when)
    return;
  self->offline_since = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_SINCE]);
}

static void
set_last_seq (HgClient *self,
              gint64    seq)
{
  if (self->last_seq == seq)
    return;
  self->last_seq = seq;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SEQ]);
}

static void
go_live (HgClient *self)
{
  g_clear_handle_id (&self->offline_source, g_source_remove);
  self->attempt = 0;
  set_offline_since (self, 0);
  set_state (self, HG_CLIENT_STATE_LIVE);
}

static gboolean
offline_timed_out (gpointer data)
{
  HgClient *self = data;

  self->offline_source = 0;
  set_state (self, HG_CLIENT_STATE_OFFLINE);
  return G_SOURCE_REMOVE;
}

guint
hg_client_backoff_msec (guint attempt)
{
  guint64 delay = (guint64) BACKOFF_FIRST_MSEC << MIN (attempt, 16);

  delay = MIN (delay, BACKOFF_CAP_MSEC);
  return (guint) (delay * g_random_double_range (0.8, 1.2));
}

static gboolean
reconnect_now (gpointer data)
{
  HgClient *self = data;

  self->reconnect_source = 0;
  connect_stream (self);
  return G_SOURCE_REMOVE;
}

/* --- The stream --------------------------------------------------------- */

static void
teardown_connection (HgClient *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->watchdog_source, g_source_remove);
  if (self->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->conn, self);
      if (soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->conn);
    }
  self->fetching = FALSE;
  g_queue_clear_full (&self->pending, (GDestroyNotify) json_node_unref);
}

static void
lose_connection (HgClient   *self,
                 const char *why)
{
  guint delay;

  g_debug ("Connection lost: %s", why);
  teardown_connection (self);
  if (!self->started)
    return;
  if (self->state == HG_CLIENT_STATE_LIVE)
    {
      set_offline_since (self, g_get_real_time ());
      set_state (self, HG_CLIENT_STATE_RECONNECTING);
      g_clear_handle_id (&self->offline_source, g_source_remove);
      self->offline_source = g_timeout_add (self->offline_timeout, offline_timed_out, self);
    }
  else if (self->state == HG_CLIENT_STATE_CONNECTING)
    {
      /* Never reached the server since start: say so at once. */
      set_offline_since (self, g_get_real_time ());
      set_state (self, HG_CLIENT_STATE_OFFLINE);
    }
  delay = hg_client_backoff_msec (self->attempt++);
  g_debug ("Reconnecting in %u ms", delay);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->reconnect_source = g_timeout_add (delay, reconnect_now, self);
}

static void
send_resume (HgClient *self)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"resume\",\"since\":%" G_GINT64_FORMAT "}",
                                           self->last_seq);

  if (self->conn != NULL)
    soup_websocket_connection_send_text (self->conn, text);
}

static gboolean handle_frame_node (HgClient *self,
                                   JsonNode *node,
                                   GError  **error);

/* The receipt that sets the notification's delivered_at. */
static void
send_delivered (HgClient   *self,
                JsonObject *notification)
{
  gint64 id = json_object_get_int_member_with_default (notification, "id", 0);
  g_autofree char *text = NULL;

  if (self->conn == NULL || id <= 0)
    return;
  text = g_strdup_printf ("{\"type\":\"delivered\",\"notification_id\":%" G_GINT64_FORMAT "}", id);
  soup_websocket_connection_send_text (self->conn, text);
}

static void
fetch_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  HgClient *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) incidents = hg_client_fetch_active_finish (self, result, &error);

  if (g_cancellable_is_cancelled (op->cancellable))
    return;
  if (incidents == NULL)
    {
      g_warning ("Cannot fetch the active incidents: %s", error->message);
      lose_connection (self, "fetch failed");
      return;
    }
  hg_incident_list_replace (self->incidents, incidents);
  self->have_list = TRUE;
  self->fetching = FALSE;
  set_last_seq (self, op->seq);
  if (op->resume)
    send_resume (self);
  go_live (self);
  /* Frames that came meanwhile: those at or below the seq are dropped. */
  while (!g_queue_is_empty (&self->pending))
    {
      g_autoptr(JsonNode) node = g_queue_pop_head (&self->pending);
      g_autoptr(GError) frame_error = NULL;

      if (!handle_frame_node (self, node, &frame_error))
        g_debug ("Dropped a frame: %s", frame_error->message);
    }
}

/* Refills the list as of @seq; frames that come meanwhile wait. */
static void
start_fetch (HgClient *self,
             gint64    seq,
             gboolean  resume)
{
  Op *op;

  if (self->cancellable == NULL)
    return;
  op = op_new (self);
  op->seq = seq;
  op->resume = resume;
  self->fetching = TRUE;
  hg_client_fetch_active_async (self, op->cancellable, fetch_done, op);
}

static gboolean
handle_frame_node (HgClient *self,
                   JsonNode *node,
                   GError  **error)
{
  JsonObject *frame, *data;
  const char *type;
  gint64 seq;

  if (!JSON_NODE_HOLDS_OBJECT (node)
      || (type = hg_client_member_string (json_node_get_object (node), "type")) == NULL
      || (data = hg_client_member_object (node, "data")) == NULL)
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, NULL, "a frame without type or data");
      return FALSE;
    }
  frame = json_node_get_object (node);
  seq = json_object_get_int_member_with_default (frame, "seq", 0);

  if (g_str_equal (type, "hello"))
    {
      gint64 hello_seq = json_object_get_int_member_with_default (data, "last_seq", 0);

      if (!self->have_list)
        start_fetch (self, hello_seq, TRUE);
      else
        {
          send_resume (self);
          go_live (self);
        }
      return TRUE;
    }
  if (self->fetching)
    {
      g_queue_push_tail (&self->pending, json_node_ref (node));
      return TRUE;
    }
  if (g_str_equal (type, "resync_required"))
    {
      start_fetch (self, json_object_get_int_member_with_default (data, "last_seq", 0), FALSE);
      return TRUE;
    }
  if (seq <= self->last_seq)
    return TRUE;
  if (g_str_equal (type, "incident.created") || g_str_equal (type, "incident.updated"))
    {
      g_autoptr(HgIncident) incident = NULL;

      incident = hg_json_incident_from_node (json_object_get_member (frame, "data"), error);
      if (incident == NULL)
        return FALSE;
      hg_incident_list_apply (self->incidents, incident);
    }
  else if (g_str_equal (type, "staff.updated"))
    {
      g_autoptr(HgStaff) staff = NULL;

      staff = hg_json_staff_from_node (json_object_get_member (frame, "data"), error);
      if (staff == NULL)
        return FALSE;
      set_last_seq (self, seq);
      g_signal_emit (self, signals[SIGNAL_STAFF_UPDATED], 0, staff);
      return TRUE;
    }
  else if (g_str_equal (type, "notification") || g_str_equal (type, "alarm"))
    {
      gboolean alarm = g_str_equal (type, "alarm");

      set_last_seq (self, seq);
      if (!alarm)
        send_delivered (self, data);
      g_signal_emit (self, signals[alarm ? SIGNAL_ALARM : SIGNAL_NOTIFICATION], 0, data);
      return TRUE;
    }
  set_last_seq (self, seq);
  return TRUE;
}

gboolean
hg_client_handle_frame (HgClient   *self,
                        const char *text,
                        gsize       len,
                        GError    **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (HG_IS_CLIENT (self), FALSE);

  node = hg_json_parse (text, len, error);
  return node != NULL && handle_frame_node (self, node, error);
}

static void
on_message (SoupWebsocketConnection *conn,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            gpointer                 user_data)
{
  HgClient *self = user_data;
  g_autoptr(GError) error = NULL;
  const char *text;
  gsize len;

  self->last_activity = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  text = g_bytes_get_data (message, &len);
  if (!hg_client_handle_frame (self, text, len, &error))
    g_debug ("Ignoring a frame: %s", error->message);
}

static void
on_pong (SoupWebsocketConnection *conn,
         GBytes                  *message,
         gpointer                 user_data)
{
  HG_CLIENT (user_data)->last_activity = g_get_monotonic_time ();
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  HgClient *self = user_data;
  /* lose_connection() drops our reference while this signal runs. */
  g_autoptr(SoupWebsocketConnection) keep = g_object_ref (conn);
  g_autofree char *why = g_strdup_printf ("closed with code %u",
                                          soup_websocket_connection_get_close_code (conn));

  lose_connection (self, why);
}

/* The server pings every ping-interval and we ping too (its pongs are the
 * only pings we can see): silence for twice as long is a dead link. */
static guint
keepalive_seconds (HgClient *self)
{
  return MAX (self->ping_interval / 1000, 1);
}

static gboolean
watchdog (gpointer data)
{
  HgClient *self = data;
  gint64 limit = 2 * MAX ((gint64) self->ping_interval * 1000, keepalive_seconds (self) * G_USEC_PER_SEC);

  if (g_get_monotonic_time () - self->last_activity <= limit)
    return G_SOURCE_CONTINUE;
  self->watchdog_source = 0;
  g_message ("Nothing from the server for %" G_GINT64_FORMAT " ms: reconnecting", limit / 1000);
  lose_connection (self, "dead link");
  return G_SOURCE_REMOVE;
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  HgClient *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) conn = NULL;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (g_cancellable_is_cancelled (op->cancellable))
    return;
  if (conn == NULL)
    {
      lose_connection (self, error->message);
      return;
    }
  self->conn = g_steal_pointer (&conn);
  self->last_activity = g_get_monotonic_time ();
  soup_websocket_connection_set_keepalive_interval (self->conn, keepalive_seconds (self));
  g_signal_connect (self->conn, "message", G_CALLBACK (on_message), self);
  g_signal_connect (self->conn, "pong", G_CALLBACK (on_pong), self);
  g_signal_connect (self->conn, "closed", G_CALLBACK (on_closed), self);
  self->watchdog_source = g_timeout_add (MAX (self->ping_interval / 2, 50), watchdog, self);
}

static void
connect_stream (HgClient *self)
{
  g_autoptr(SoupMessage) msg = hg_client_new_message (self, "GET", "/api/v1/stream");

  teardown_connection (self);
  self->cancellable = g_cancellable_new ();
  if (msg == NULL)
    {
      g_warning ("“%s” is not a server address", self->base_url);
      set_state (self, HG_CLIENT_STATE_OFFLINE);
      return;
    }
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, on_connected, op_new (self));
}

void
hg_client_start (HgClient *self)
{
  g_return_if_fail (HG_IS_CLIENT (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->have_list = self->seeded;
  self->seeded = FALSE;
  self->attempt = 0;
  set_state (self, HG_CLIENT_STATE_CONNECTING);
  connect_stream (self);
}

void
hg_client_seed (HgClient  *self,
                GPtrArray *incidents,
                gint64     seq)
{
  g_return_if_fail (HG_IS_CLIENT (self));
  g_return_if_fail (incidents != NULL);
  g_return_if_fail (!self->started);

  hg_incident_list_replace (self->incidents, incidents);
  set_last_seq (self, seq);
  /* Without a seq there is nothing to resume from: the start fetches. */
  self->seeded = seq > 0;
}

void
hg_client_stop (HgClient *self)
{
  g_return_if_fail (HG_IS_CLIENT (self));

  self->started = FALSE;
  teardown_connection (self);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_clear_handle_id (&self->offline_source, g_source_remove);
  set_offline_since (self, 0);
  set_state (self, HG_CLIENT_STATE_OFFLINE);
}

/* --- GObject ------------------------------------------------------------ */

HgClient *
hg_client_new (const char *base_url)
{
  return g_object_new (HG_TYPE_CLIENT, "base-url", base_url, NULL);
}

SoupSession *
hg_client_get_session (HgClient *self)
{
  return self->session;
}

const char *
hg_client_get_base_url (HgClient *self)
{
  g_return_val_if_fail (HG_IS_CLIENT (self), NULL);
  return self->base_url;
}

const char *
hg_client_get_token (HgClient *self)
{
  g_return_val_if_fail (HG_IS_CLIENT (self), NULL);
  return self->token;
}

void
hg_client_set_token (HgClient   *self,
                     const char *token)
{
  g_return_if_fail (HG_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

void
hg_client_set_staff (HgClient *self,
                     HgStaff  *staff)
{
  g_set_object (&self->staff, staff);
}

HgStaff *
hg_client_get_staff (HgClient *self)
{
  g_return_val_if_fail (HG_IS_CLIENT (self), NULL);
  return self->staff;
}

const char *
hg_client_get_staff_id (HgClient *self)
{
  g_return_val_if_fail (HG_IS_CLIENT (self), NULL);
  return self->staff != NULL ? hg_staff_get_id (self->staff) : NULL;
}

HgRole
hg_client_get_role (HgClient *self)
{
  g_return_val_if_fail (HG_IS_CLIENT (self), HG_ROLE_NURSE);
  return self->staff != NULL ? hg_staff_get_role (self->staff) : HG_ROLE_NURSE;
}

HgClientState
hg_client_get_state (HgClient *self)
{
  g_return_val_if_fail (HG_IS_CLIENT (self), HG_CLIENT_STATE_OFFLINE);
  return self->state;
}

gint64
hg_client_get_offline_since (HgClient *self)
{
  g_return_val_if_fail (HG_IS_CLIENT (self), 0);
  return self->offline_since;
}

gint64
hg_client_get_last_seq (HgClient *self)
{
  g_return_val_if_fail (HG_IS_CLIENT (self), 0);
  return self->last_seq;
}

guint
hg_client_get_ping_interval (HgClient *self)
{
  g_return_val_if_fail (HG_IS_CLIENT (self), 0);
  return self->ping_interval;
}

void
hg_client_set_ping_interval (HgClient *self,
                             guint     msec)
{
  g_return_if_fail (HG_IS_CLIENT (self));

  if (self->ping_interval == msec)
    return;
  self->ping_interval = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PING_INTERVAL]);
}

guint
hg_client_get_offline_timeout (HgClient *self)
{
  g_return_val_if_fail (HG_IS_CLIENT (self), 0);
  return self->offline_timeout;
}

void
hg_client_set_offline_timeout (HgClient *self,
                               guint     msec)
{
  g_return_if_fail (HG_IS_CLIENT (self));

  if (self->offline_timeout == msec)
    return;
  self->offline_timeout = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_TIMEOUT]);
}

GListModel *
hg_client_get_incidents (HgClient *self)
{
  g_return_val_if_fail (HG_IS_CLIENT (self), NULL);
  return G_LIST_MODEL (self->incidents);
}

static void
hg_client_dispose (GObject *object)
{
  HgClient *self = HG_CLIENT (object);

  self->started = FALSE;
  teardown_connection (self);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_clear_handle_id (&self->offline_source, g_source_remove);
  g_clear_object (&self->session);
  g_clear_object (&self->incidents);
  g_clear_object (&self->staff);
  G_OBJECT_CLASS (hg_client_parent_class)->dispose (object);
}

static void
hg_client_finalize (GObject *object)
{
  HgClient *self = HG_CLIENT (object);

  g_free (self->base_url);
  g_free (self->token);
  G_OBJECT_CLASS (hg_client_parent_class)->finalize (object);
}

static void
hg_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HgClient *self = HG_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL: g_value_set_string (value, self->base_url); break;
    case PROP_TOKEN: g_value_set_string (value, self->token); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_OFFLINE_SINCE: g_value_set_int64 (value, self->offline_since); break;
    case PROP_LAST_SEQ: g_value_set_int64 (value, self->last_seq); break;
    case PROP_PING_INTERVAL: g_value_set_uint (value, self->ping_interval); break;
    case PROP_OFFLINE_TIMEOUT: g_value_set_uint (value, self->offline_timeout); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HgClient *self = HG_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      /* "https://host:port/" and "https://host:port" are the same. */
      self->base_url = g_strdup (g_value_get_string (value) ?: "");
      while (g_str_has_suffix (self->base_url, "/"))
        self->base_url[strlen (self->base_url) - 1] = '\0';
      break;
    case PROP_TOKEN: hg_client_set_token (self, g_value_get_string (value)); break;
    case PROP_PING_INTERVAL: hg_client_set_ping_interval (self, g_value_get_uint (value)); break;
    case PROP_OFFLINE_TIMEOUT: hg_client_set_offline_timeout (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_client_class_init (HgClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hg_client_dispose;
  object_class->finalize = hg_client_finalize;
  object_class->get_property = hg_client_get_property;
  object_class->set_property = hg_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL, NULL, rw);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HG_TYPE_CLIENT_STATE, HG_CLIENT_STATE_OFFLINE, ro);
  properties[PROP_OFFLINE_SINCE] =
    g_param_spec_int64 ("offline-since", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_SEQ] = g_param_spec_int64 ("last-seq", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PING_INTERVAL] =
    g_param_spec_uint ("ping-interval", NULL, NULL, 1, G_MAXUINT / 2, DEFAULT_PING_MSEC, rw);
  properties[PROP_OFFLINE_TIMEOUT] =
    g_param_spec_uint ("offline-timeout", NULL, NULL, 0, G_MAXUINT, DEFAULT_OFFLINE_MSEC, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A "staff.updated" event: someone's workload, duty, availability or
   * sign-in changed. The HgStaff is the person as they are now. */
  signals[SIGNAL_STAFF_UPDATED] =
    g_signal_new ("staff-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HG_TYPE_STAFF);
  /* A "notification" event, the signed-in person's own: its data
   * ({"id", "incident_id", "kind", "message", "created_at", …}). */
  signals[SIGNAL_NOTIFICATION] =
    g_signal_new ("notification", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  /* An "alarm" event for the signed-in person: its data ({"incident",
   * "priority", "reason"}). Sounding it is the app's business. */
  signals[SIGNAL_ALARM] =
    g_signal_new ("alarm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
}

static void
hg_client_init (HgClient *self)
{
  self->state = HG_CLIENT_STATE_OFFLINE;
  self->ping_interval = DEFAULT_PING_MSEC;
  self->offline_timeout = DEFAULT_OFFLINE_MSEC;
  self->session = soup_session_new ();
  self->incidents = hg_incident_list_new ();
  g_queue_init (&self->pending);
}
