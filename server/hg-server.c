/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <string.h>

#include "hg-api.h"
#include "hg-auth.h"
#include "hg-bucket.h"
#include "hg-error.h"
#include "hg-escalator.h"
#include "hg-guard.h"
#include "hg-handover.h"
#include "hg-json.h"
#include "hg-listener.h"
#include "hg-protocol.h"
#include "hg-query.h"
#include "hg-ratelimit.h"
#include "hg-server.h"
#include "hg-sessions.h"
#include "hg-stream.h"
#include "hg-server-private.h"

/* The one route table. More specific patterns come first. */
static const Route routes[] = {
  { "GET",  "/health", hg_api_health, AUTH_NONE },
  { "GET",  "/health/ready", hg_api_health_ready, AUTH_NONE },
  /* Open, or behind its own metrics_token: Prometheus has no account. */
  { "GET",  "/metrics", hg_api_metrics, AUTH_NONE },
  { "POST", "/api/v1/auth/login", hg_api_login, AUTH_NONE },
  { "POST", "/api/v1/auth/logout", hg_api_logout, AUTH_STAFF },
  { "GET",  "/api/v1/me", hg_api_me, AUTH_STAFF },
  { "POST", "/api/v1/alerts", hg_api_post_alerts, AUTH_STAFF_OR_KEY },
  { "GET",  "/api/v1/alerts", hg_api_list_alerts, AUTH_STAFF },
  { "GET",  "/api/v1/alerts/{}", hg_api_get_alert, AUTH_STAFF },
  { "GET",  "/api/v1/alert-types", hg_api_alert_types, AUTH_STAFF },
  { "POST", "/api/v1/vitals", hg_api_post_vitals, AUTH_STAFF_OR_KEY },
  { "GET",  "/api/v1/patients/{}/vitals", hg_api_list_vitals, AUTH_STAFF },
  { "GET",  "/api/v1/incidents", hg_api_list_incidents, AUTH_STAFF },
  { "GET",  "/api/v1/incidents/stats", hg_api_incident_stats, AUTH_STAFF },
  { "GET",  "/api/v1/incidents/{}", hg_api_get_incident, AUTH_STAFF },
  { "POST", "/api/v1/incidents/{}/notes", hg_api_add_note, AUTH_STAFF },
  { "POST", "/api/v1/incidents/{}/{}", hg_api_incident_action, AUTH_STAFF },
  { "GET",  "/api/v1/staff", hg_api_list_staff, AUTH_STAFF },
  { "GET",  "/api/v1/staff/{}", hg_api_get_staff, AUTH_STAFF },
  { "POST", "/api/v1/staff", hg_api_create_staff, AUTH_STAFF },
  { "PATCH", "/api/v1/staff/{}", hg_api_update_staff, AUTH_STAFF },
  { "GET",  "/api/v1/oncall/current", hg_api_oncall_current, AUTH_STAFF },
  { "PUT",  "/api/v1/me/availability", hg_api_set_availability, AUTH_STAFF },
  { "GET",  "/api/v1/schedules", hg_api_list_schedules, AUTH_STAFF },
  { "POST", "/api/v1/schedules", hg_api_add_schedule, AUTH_STAFF },
  { "DELETE", "/api/v1/schedules/{}", hg_api_delete_schedule, AUTH_STAFF },
  { "POST", "/api/v1/integrations/alertmanager", hg_api_post_alertmanager, AUTH_STAFF_OR_KEY },
  { "GET",  "/api/v1/integrations", hg_api_list_integrations, AUTH_STAFF },
  { "POST", "/api/v1/integrations", hg_api_create_integration, AUTH_STAFF },
  { "DELETE", "/api/v1/integrations/{}", hg_api_revoke_integration, AUTH_STAFF },
  { "GET",  "/api/v1/notifications", hg_api_list_notifications, AUTH_STAFF },
  { "POST", "/api/v1/notifications/read-all", hg_api_read_all_notifications, AUTH_STAFF },
  { "POST", "/api/v1/notifications/{}/read", hg_api_read_notification, AUTH_STAFF },
  { "GET",  "/api/v1/audit", hg_api_list_audit, AUTH_STAFF },
};

const HgRouteInfo *
hg_server_get_routes (guint *n_routes)
{
  static HgRouteInfo infos[G_N_ELEMENTS (routes)];

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      infos[i].method = routes[i].method;
      infos[i].pattern = routes[i].pattern;
      infos[i].needs_token = routes[i].auth != AUTH_NONE;
    }
  *n_routes = G_N_ELEMENTS (routes);
  return infos;
}


G_DEFINE_FINAL_TYPE (HgServer, hg_server, G_TYPE_OBJECT)


/* --- Dispatch --------------------------------------------------------- */

static gboolean
match_route (const Route *route,
             char       **segments,
             char        *params[MAX_PARAMS])
{
  g_auto(GStrv) pattern = g_strsplit (route->pattern, "/", -1);
  guint n = 0;

  if (g_strv_length (pattern) != g_strv_length (segments))
    return FALSE;
  for (guint i = 0; pattern[i] != NULL; i++)
    {
      if (g_str_equal (pattern[i], "{}"))
        {
          if (segments[i][0] == '\0' || n >= MAX_PARAMS)
            return FALSE;
          params[n++] = segments[i];
        }
      else if (!g_str_equal (pattern[i], segments[i]))
        return FALSE;
    }
  return TRUE;
}

/* The route for this method and path; *path_known says whether some route
 * has this path, for 405. */
static const Route *
find_route (const char *method,
            const char *path,
            char       *params[MAX_PARAMS],
            GString    *allowed)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      char *found[MAX_PARAMS] = { NULL, NULL };

      if (!match_route (&routes[i], segments, found))
        continue;
      g_string_append_printf (allowed, "%s%s", allowed->len ? ", " : "", routes[i].method);
      if (!g_str_equal (routes[i].method, method) &&
          !(g_str_equal (method, "HEAD") && g_str_equal (routes[i].method, "GET")))
        continue;
      for (guint p = 0; p < MAX_PARAMS; p++)
        params[p] = g_strdup (found[p]);
      return &routes[i];
    }
  return NULL;
}

/* Staff tokens and integration keys travel alike; a key is known by its
 * prefix. A staff session must also not have been idle too long. */
static gboolean
lookup_principal (HgServer     *self,
                  const char   *token,
                  HgPrincipal  *principal,
                  GError      **error)
{
  guchar hash[HG_TOKEN_HASH_SIZE];

  hg_auth_hash_token (token, hash);
  if (hg_auth_is_integration_key (token))
    return hg_store_lookup_key (self->store, hash, principal, error);
  return hg_store_lookup_token (self->store, hash, principal, error) &&
         (self->sessions == NULL || hg_sessions_check (self->sessions, principal, error));
}

static gboolean
authenticate (HgRequest *req,
              GError   **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  g_autofree char *token = hg_auth_bearer_token (soup_message_headers_get_one (headers, "Authorization"));

  if (token == NULL)
    {
      hg_set_error (error, HG_ERROR_UNAUTHENTICATED, "missing_token", NULL,
                    "sign in first: this needs an Authorization: Bearer token");
      return FALSE;
    }
  if (!lookup_principal (req->server, token, &req->principal, error))
    return FALSE;
  req->authenticated = TRUE;
  if (req->principal.kind != HG_PRINCIPAL_STAFF && req->route->auth != AUTH_STAFF_OR_KEY)
    {
      hg_set_error (error, HG_ERROR_FORBIDDEN, "key_not_allowed", NULL,
                    "an integration key may only post alerts and vitals");
      return FALSE;
    }
  return TRUE;
}

static void
on_disconnected (SoupServerMessage *msg,
                 gpointer           user_data)
{
  HgRequest *req = user_data;

  req->disconnected = TRUE;
}

static void
run_handler (HgRequest *req)
{
  GError *error = NULL;

  req->in_handler = TRUE;
  if (req->route->auth != AUTH_NONE && !authenticate (req, &error))
    hg_request_fail (req, error);
  else
    req->route->handler (req);
  req->in_handler = FALSE;

  if (req->answered)
    {
      hg_request_free (req);
      return;
    }
  /* The store answers later: park the message until then. */
  req->paused = TRUE;
  req->disconnected_id = g_signal_connect (req->msg, "disconnected", G_CALLBACK (on_disconnected), req);
  soup_server_message_pause (req->msg);
}

static void
respond_plain_error (SoupServerMessage *msg,
                     guint              status,
                     const char        *code,
                     const char        *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  gsize len;
  char *text;

  hg_set_error (&error, HG_ERROR_INVALID, code, NULL, "%s", message);
  body = hg_json_error_body (error);
  text = hg_json_to_string (body, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  HgServer *self = user_data;
  HgRequest *req = g_new0 (HgRequest, 1);
  g_autoptr(GString) allowed = g_string_new (NULL);

  req->route = find_route (soup_server_message_get_method (msg), path, req->params, allowed);
  if (req->route == NULL)
    {
      g_free (req);
      if (allowed->len > 0)
        {
          respond_plain_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                               "this method is not allowed here");
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Allow", allowed->str);
          return;
        }
      respond_plain_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "no such path");
      return;
    }
  g_object_set_data (G_OBJECT (msg), "hg-route", (gpointer) hg_metrics_route_label (req->route->pattern));
  req->server = g_object_ref (self);
  req->msg = g_object_ref (msg);
  req->query = query ? g_hash_table_ref (query) : NULL;
  run_handler (req);
}

static void
free_principal (gpointer data)
{
  hg_principal_clear (data);
  g_free (data);
}

/* The stream is authorised like any request, before the upgrade: a
 * refused client gets the usual 401 body and never a WebSocket. */
static void
authenticate_upgrade (HgServer          *self,
                      SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *token = hg_auth_bearer_token (soup_message_headers_get_one (headers, "Authorization"));
  g_autoptr(GError) error = NULL;
  HgPrincipal *principal = g_new0 (HgPrincipal, 1);

  if (token != NULL && lookup_principal (self, token, principal, &error))
    {
      if (principal->kind == HG_PRINCIPAL_STAFF)
        {
          g_object_set_data_full (G_OBJECT (msg), HG_STREAM_PRINCIPAL_KEY, principal, free_principal);
          return;
        }
      free_principal (principal);
      respond_plain_error (msg, SOUP_STATUS_FORBIDDEN, "key_not_allowed",
                           "an integration key may only post alerts and vitals");
      return;
    }
  if (token == NULL)
    hg_set_error (&error, HG_ERROR_UNAUTHENTICATED, "missing_token", NULL,
                  "sign in first: this needs an Authorization: Bearer token");
  free_principal (principal);
  respond_plain_error (msg, SOUP_STATUS_UNAUTHORIZED, hg_error_wire_code (error), error->message);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer realm=\"HealthGuard\"");
}

/* Before the upgrade, in this order: the page's Origin (403: another
 * site's page must not ride a browser's session), the token (401), and the
 * token's open streams (429: one station opening streams in a loop must
 * not starve the others). */
static void
admit_upgrade (HgServer          *self,
               SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GError) error = NULL;
  HgPrincipal *principal;
  g_autofree char *seconds = NULL;

  if (!hg_guard_check_origin (headers, (const char *const *) self->config->allowed_origins, &error))
    {
      respond_plain_error (msg, SOUP_STATUS_FORBIDDEN, hg_error_wire_code (error), error->message);
      return;
    }
  authenticate_upgrade (self, msg);
  principal = g_object_get_data (G_OBJECT (msg), HG_STREAM_PRINCIPAL_KEY);
  if (principal == NULL ||
      hg_stream_count_token (self->stream, principal->token_hash) < self->config->max_streams_per_token)
    return;
  g_object_set_data (G_OBJECT (msg), HG_STREAM_PRINCIPAL_KEY, NULL);
  respond_plain_error (msg, 429, "too_many_streams", "this token has as many streams open as it may");
  soup_server_message_set_status (msg, 429, "Too Many Requests");
  /* A vanished client holds its slot until the silence sweep drops it. */
  seconds = g_strdup_printf ("%u", self->config->drop_after);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
}

static void
count_chunk (SoupServerMessage *msg,
             GBytes            *chunk,
             gpointer           user_data)
{
  GByteArray *streamed = g_object_get_data (G_OBJECT (msg), "hg-streamed-body");
  gsize len = g_bytes_get_size (chunk);

  if (streamed == NULL)
    return;
  if (streamed->len + len > HG_MAX_BODY_SIZE)
    {
      /* Keep reading (HTTP needs it) but keep nothing. */
      g_object_set_data (G_OBJECT (msg), "hg-body-too-large", GINT_TO_POINTER (TRUE));
      g_object_set_data (G_OBJECT (msg), "hg-streamed-body", NULL);
      return;
    }
  g_byte_array_append (streamed, g_bytes_get_data (chunk, NULL), len);
}

/* Refuses an oversized body from its headers, before reading it; a body
 * without a length (chunked) is counted as it arrives and never held past
 * the limit. */
static void
early_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  HgServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GError) error = NULL;

  if (!hg_guard_check_headers (headers, &error))
    {
      respond_plain_error (msg, SOUP_STATUS_BAD_REQUEST, hg_error_wire_code (error), error->message);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      return;
    }
  if (g_strcmp0 (path, HG_STREAM_PATH) == 0)
    {
      admit_upgrade (self, msg);
      /* A refused upgrade is an ordinary answer: closed like the rest
       * (see below). */
      if (soup_server_message_get_status (msg) != 0)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      return;
    }

  /* The connection stays open for the next request (keep-alive) only
   * when the head filter can find where that request starts: after a
   * body of known length, or none (hg-head-filter.h). */
  if (self->listener == NULL || !hg_listener_get_keep_alive (self->listener) ||
      (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH &&
       soup_message_headers_get_encoding (headers) != SOUP_ENCODING_NONE))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > HG_MAX_BODY_SIZE)
    {
      respond_plain_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                           "the body is over 1 MiB");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      return;
    }
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_encoding (headers) != SOUP_ENCODING_NONE)
    {
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      g_object_set_data_full (G_OBJECT (msg), "hg-streamed-body", g_byte_array_new (),
                              (GDestroyNotify) g_byte_array_unref);
      g_signal_connect (msg, "got-chunk", G_CALLBACK (count_chunk), NULL);
    }
}

/* --- Request metrics ------------------------------------------------ */

static void
request_started (SoupServer        *soup,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  gint64 *started = g_new (gint64, 1);

  *started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "hg-started", started, g_free);
}

/* Every answer counts, the early refusals and unknown paths too
 * ("unmatched"), and the stream's upgrade. */
static void
request_finished (SoupServer        *soup,
                  SoupServerMessage *msg,
                  gpointer           user_data)
{
  HgServer *self = user_data;
  gint64 *started = g_object_get_data (G_OBJECT (msg), "hg-started");
  const char *route = g_object_get_data (G_OBJECT (msg), "hg-route");
  GUri *uri = soup_server_message_get_uri (msg);

  if (started == NULL || self->metrics == NULL)
    return;
  if (route == NULL)
    route = uri != NULL && g_strcmp0 (g_uri_get_path (uri), HG_STREAM_PATH) == 0
            ? HG_STREAM_PATH : HG_METRICS_ROUTE_UNMATCHED;
  hg_metrics_observe_request (self->metrics, soup_server_message_get_method (msg), route,
                              soup_server_message_get_status (msg),
                              (g_get_monotonic_time () - *started) / (double) G_USEC_PER_SEC);
  g_object_set_data (G_OBJECT (msg), "hg-started", NULL);
}

/* --- Life ------------------------------------------------------------- */

HgServer *
hg_server_new (const HgConfig *config,
               HgStore        *store)
{
  HgServer *self = g_object_new (HG_TYPE_SERVER, NULL);

  self->config = config;
  self->store = g_object_ref (store);
  /* By default five failed sign-ins per staff id, or twenty per client
   * address, in five minutes: enough for typing errors, far too few for
   * guessing. */
  self->failures_by_id = hg_rate_limit_new (config->login_failures_per_id,
                                            (gint64) config->login_failure_window * 1000);
  self->failures_by_address = hg_rate_limit_new (config->login_failures_per_address,
                                                 (gint64) config->login_failure_window * 1000);
  self->ingest_limit = hg_buckets_new (config->ingest_rate_limit);
  {
    const char *patterns[G_N_ELEMENTS (routes) + 1];

    for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
      patterns[i] = routes[i].pattern;
    patterns[G_N_ELEMENTS (routes)] = HG_STREAM_PATH;
    self->metrics = hg_metrics_new (patterns, G_N_ELEMENTS (patterns));
  }
  return self;
}

static void
pruned (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hg_store_prune_events_finish (HG_STORE (source), result, &error))
    g_warning ("Could not prune old events: %s", error->message);
}

/* The log keeps what a client may still resume from, and no more. */
static gboolean
prune_events (gpointer data)
{
  HgServer *self = data;

  hg_store_prune_events_async (self->store,
                               hg_time_now_ms () - (gint64) self->config->event_retention * 1000,
                               pruned, NULL);
  return G_SOURCE_CONTINUE;
}

gboolean
hg_server_start (HgServer  *self,
                 GError   **error)
{
  g_return_val_if_fail (HG_IS_SERVER (self), FALSE);

  self->soup = soup_server_new ("server-header", "healthguard/" PACKAGE_VERSION " ", NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished), self);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  self->stream = hg_stream_new (self->store, self->config->ping_interval, self->config->drop_after);
  hg_stream_attach (self->stream, self->soup);
  self->sessions = hg_sessions_new (self->store, self->stream, self->config->token_idle_timeout);
  /* libsoup runs only the most specific path's early handler: the stream
   * needs its own to be authenticated before the upgrade. */
  soup_server_add_early_handler (self->soup, HG_STREAM_PATH, early_handler, self, NULL);
  prune_events (self);
  self->prune_source = g_timeout_add_seconds (600, prune_events, self);
  self->listener = hg_listener_start (self->config, self->soup, error);
  if (self->listener == NULL)
    return FALSE;
  self->escalator = hg_escalator_new (self->store);
  hg_escalator_start (self->escalator);
  self->handover = hg_handover_new (self->store);
  hg_handover_start (self->handover);
  return TRUE;
}

void
hg_server_stop (HgServer *self)
{
  g_return_if_fail (HG_IS_SERVER (self));

  if (self->listener != NULL)
    hg_listener_stop (self->listener);
  g_clear_object (&self->listener);
  g_clear_handle_id (&self->prune_source, g_source_remove);
  if (self->escalator != NULL)
    hg_escalator_stop (self->escalator);
  g_clear_object (&self->escalator);
  if (self->handover != NULL)
    hg_handover_stop (self->handover);
  g_clear_object (&self->handover);
  g_clear_pointer (&self->sessions, hg_sessions_free);
  if (self->stream != NULL)
    hg_stream_close_all (self->stream);
  g_clear_object (&self->stream);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
}

guint
hg_server_get_port (HgServer *self)
{
  g_return_val_if_fail (HG_IS_SERVER (self), 0);
  return self->listener ? hg_listener_get_port (self->listener) : 0;
}

static void
hg_server_dispose (GObject *object)
{
  HgServer *self = HG_SERVER (object);

  hg_server_stop (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->failures_by_id, hg_rate_limit_free);
  g_clear_pointer (&self->failures_by_address, hg_rate_limit_free);
  g_clear_pointer (&self->ingest_limit, hg_buckets_free);
  g_clear_pointer (&self->throttle_notices, hg_rate_limit_free);
  g_clear_pointer (&self->metrics, hg_metrics_free);
  G_OBJECT_CLASS (hg_server_parent_class)->dispose (object);
}

static void
hg_server_class_init (HgServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hg_server_dispose;
}

static void
hg_server_init (HgServer *self)
{
  /* One audit row per staff id and address per window of throttling. */
  self->throttle_notices = hg_rate_limit_new (1, 5 * 60 * 1000);
}
