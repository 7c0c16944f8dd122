/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <string.h>

#include "hg-error.h"
#include "hg-json.h"
#include "hg-protocol.h"
#include "hg-query.h"
#include "hg-server-private.h"

void
hg_request_free (HgRequest *req)
{
  if (req->disconnected_id != 0)
    g_signal_handler_disconnect (req->msg, req->disconnected_id);
  for (guint i = 0; i < MAX_PARAMS; i++)
    g_free (req->params[i]);
  g_clear_pointer (&req->query, g_hash_table_unref);
  hg_principal_clear (&req->principal);
  g_clear_object (&req->msg);
  g_clear_object (&req->server);
  g_free (req);
}

/* --- Answers ---------------------------------------------------------- */

static void
finish_answer (HgRequest *req)
{
  req->answered = TRUE;
  if (req->in_handler)
    return;   /* the dispatcher frees it when the handler returns */
  if (req->paused && !req->disconnected)
    soup_server_message_unpause (req->msg);
  hg_request_free (req);
}

void
hg_request_respond_json (HgRequest *req,
                         guint      status,
                         JsonNode  *node)
{
  gsize len;
  char *body;

  g_return_if_fail (!req->answered);
  body = hg_json_to_string (node, &len);
  json_node_unref (node);
  soup_server_message_set_status (req->msg, status, status == 429 ? "Too Many Requests" : NULL);
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE, body, len);
  finish_answer (req);
}

void
hg_request_respond_text (HgRequest  *req,
                         guint       status,
                         const char *content_type,
                         GString    *body)
{
  gsize len = body->len;

  g_return_if_fail (!req->answered);
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), len);
  finish_answer (req);
}

void
hg_request_respond_empty (HgRequest *req,
                          guint      status)
{
  g_return_if_fail (!req->answered);
  soup_server_message_set_status (req->msg, status, NULL);
  finish_answer (req);
}

void
hg_request_respond_error (HgRequest    *req,
                          const GError *error)
{
  guint status = hg_error_to_http_status (error);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  if (status >= 500)
    g_warning ("%s %s failed: %s", soup_server_message_get_method (req->msg),
               g_uri_get_path (soup_server_message_get_uri (req->msg)), error->message);
  else
    g_debug ("%s %s: %u %s", soup_server_message_get_method (req->msg),
             g_uri_get_path (soup_server_message_get_uri (req->msg)), status, error->message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer realm=\"HealthGuard\"");
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE || status == 429)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", MAX (req->retry_after, 1));
      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  hg_request_respond_json (req, status, hg_json_error_body (error));
}

void
hg_request_fail (HgRequest *req,
                 GError    *error)
{
  hg_request_respond_error (req, error);
  g_error_free (error);
}

void
hg_request_set_retry_after (HgRequest *req,
                            guint      seconds)
{
  req->retry_after = seconds;
}

HgStream *
hg_request_get_stream (HgRequest *req)
{
  return req->server->stream;
}

HgHandover *
hg_request_get_handover (HgRequest *req)
{
  return req->server->handover;
}

HgRateLimit *
hg_request_get_login_limit (HgRequest *req,
                            gboolean   by_address)
{
  return by_address ? req->server->failures_by_address : req->server->failures_by_id;
}

HgRateLimit *
hg_request_get_throttle_notices (HgRequest *req)
{
  return req->server->throttle_notices;
}

HgBuckets *
hg_request_get_ingest_limit (HgRequest *req)
{
  return req->server->ingest_limit;
}

const char *
hg_request_get_header (HgRequest  *req,
                       const char *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), name);
}

HgMetrics *
hg_request_get_metrics (HgRequest *req)
{
  return req->server->metrics;
}

const char *
hg_request_get_client_address (HgRequest *req)
{
  const char *host = soup_server_message_get_remote_host (req->msg);

  return host ? host : "unknown";
}

/* --- What a handler reads --------------------------------------------- */

HgStore *
hg_request_get_store (HgRequest *req)
{
  return req->server->store;
}

const HgConfig *
hg_request_get_config (HgRequest *req)
{
  return req->server->config;
}

const HgPrincipal *
hg_request_get_principal (HgRequest *req)
{
  return req->authenticated ? &req->principal : NULL;
}

const char *
hg_request_get_param (HgRequest *req,
                      guint      index)
{
  g_return_val_if_fail (index < MAX_PARAMS, NULL);
  return req->params[index];
}

gboolean
hg_request_get_id (HgRequest *req,
                   guint      index,
                   gint64    *out,
                   GError   **error)
{
  const char *text = hg_request_get_param (req, index);
  guint64 id;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &id, NULL))
    {
      hg_set_error (error, HG_ERROR_NOT_FOUND, NULL, NULL, "no such resource: %s",
                    g_uri_get_path (soup_server_message_get_uri (req->msg)));
      return FALSE;
    }
  *out = id;
  return TRUE;
}

const char *
hg_request_get_query (HgRequest  *req,
                      const char *name)
{
  return req->query ? g_hash_table_lookup (req->query, name) : NULL;
}

GHashTable *
hg_request_get_query_table (HgRequest *req)
{
  return req->query;
}

static gboolean
is_json_content_type (SoupMessageHeaders *headers)
{
  g_autoptr(GHashTable) params = NULL;
  const char *type = soup_message_headers_get_content_type (headers, &params);
  const char *charset = params ? g_hash_table_lookup (params, "charset") : NULL;

  return type != NULL && g_ascii_strcasecmp (type, "application/json") == 0 &&
         (charset == NULL || g_ascii_strcasecmp (charset, "utf-8") == 0);
}

JsonNode *
hg_request_parse_body (HgRequest *req,
                       gboolean   allow_empty,
                       GError   **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  GByteArray *streamed = g_object_get_data (G_OBJECT (req->msg), "hg-streamed-body");
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  if (g_object_get_data (G_OBJECT (req->msg), "hg-body-too-large") != NULL)
    {
      hg_set_error (error, HG_ERROR_TOO_LARGE, NULL, NULL, "the body is over %d bytes", HG_MAX_BODY_SIZE);
      return NULL;
    }
  bytes = streamed ? g_bytes_new (streamed->data, streamed->len) : soup_message_body_flatten (body);
  len = g_bytes_get_size (bytes);

  if (len == 0 && allow_empty)
    return hg_json_node_new_object (json_object_new ());
  if (len > HG_MAX_BODY_SIZE)
    {
      hg_set_error (error, HG_ERROR_TOO_LARGE, NULL, NULL, "the body is over %d bytes", HG_MAX_BODY_SIZE);
      return NULL;
    }
  if (!is_json_content_type (headers))
    {
      hg_set_error (error, HG_ERROR_UNSUPPORTED_MEDIA, NULL, NULL,
                    "the body must be application/json in UTF-8");
      return NULL;
    }
  return hg_json_parse (g_bytes_get_data (bytes, NULL), len, error);
}

gboolean
hg_request_require_role (HgRequest *req,
                         guint      roles,
                         GError   **error)
{
  if (req->authenticated && req->principal.kind == HG_PRINCIPAL_STAFF &&
      (roles & (1u << req->principal.role)))
    return TRUE;
  hg_set_error (error, HG_ERROR_FORBIDDEN, "role_not_allowed", NULL,
                "your role may not do this");
  return FALSE;
}

gboolean
hg_request_get_page (HgRequest *req,
                     gint64    *out_before,
                     guint     *out_limit,
                     GError   **error)
{
  return hg_query_parse_page (req->query, out_before, out_limit, error);
}

void
hg_json_set_cursor (JsonObject *object,
                    gint64      next_before)
{
  g_autofree char *raw = NULL;
  g_autofree char *cursor = NULL;

  if (next_before <= 0)
    {
      json_object_set_null_member (object, "next_cursor");
      return;
    }
  raw = g_strdup_printf ("v1:%" G_GINT64_FORMAT, next_before);
  cursor = g_base64_encode ((guchar *) raw, strlen (raw));
  json_object_set_string_member (object, "next_cursor", cursor);
}
