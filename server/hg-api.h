/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The request context the handlers share. A handler parses, authorises,
 * calls the store and answers; when it hands work to the store it returns
 * without answering, the request is parked, and the completion answers. */

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include "hg-bucket.h"
#include "hg-config.h"
#include "hg-handover.h"
#include "hg-metrics.h"
#include "hg-ratelimit.h"
#include "hg-stream.h"
#include "hg-store.h"

G_BEGIN_DECLS

typedef struct _HgRequest HgRequest;

HgStore        *hg_request_get_store      (HgRequest    *req);
const HgConfig *hg_request_get_config     (HgRequest    *req);
/* The signed-in person; NULL on open routes. */
const HgPrincipal *hg_request_get_principal (HgRequest  *req);
const char     *hg_request_get_param      (HgRequest    *req,
                                           guint         index);
/* A path parameter that must be a positive integer id (404 otherwise). */
gboolean        hg_request_get_id         (HgRequest    *req,
                                           guint         index,
                                           gint64       *out,
                                           GError      **error);
const char     *hg_request_get_query      (HgRequest    *req,
                                           const char   *name);
/* Every query parameter (name -> value), or NULL without a query. */
GHashTable     *hg_request_get_query_table (HgRequest   *req);
/* The body as JSON (415 when not application/json, 413 when too large,
 * 400 when malformed). With @allow_empty an empty body gives an empty
 * object. */
JsonNode       *hg_request_parse_body     (HgRequest    *req,
                                           gboolean      allow_empty,
                                           GError      **error);
/* 403 unless the caller's role is in @roles (a bit set of 1 << HgRole). */
gboolean        hg_request_require_role   (HgRequest    *req,
                                           guint         roles,
                                           GError      **error);

/* Sets the Retry-After seconds of a 429 or 503 answer. */
void            hg_request_set_retry_after (HgRequest   *req,
                                           guint         seconds);
HgStream       *hg_request_get_stream     (HgRequest    *req);
/* NULL once the server has stopped. */
HgHandover     *hg_request_get_handover   (HgRequest    *req);
HgRateLimit    *hg_request_get_login_limit (HgRequest   *req,
                                           gboolean      by_address);
/* Which throttled sign-ins were recorded in the audit trail lately. */
HgRateLimit    *hg_request_get_throttle_notices (HgRequest *req);
const char     *hg_request_get_client_address (HgRequest *req);
/* A request header, or NULL. */
const char     *hg_request_get_header     (HgRequest    *req,
                                           const char   *name);
/* The alert ceiling of the integration keys, one bucket per key id. */
HgBuckets      *hg_request_get_ingest_limit (HgRequest   *req);
HgMetrics      *hg_request_get_metrics    (HgRequest    *req);

/* Each answers once and releases the request. */
void            hg_request_respond_json   (HgRequest    *req,
                                           guint         status,
                                           JsonNode     *node);
void            hg_request_respond_error  (HgRequest    *req,
                                           const GError *error);
void            hg_request_respond_empty  (HgRequest    *req,
                                           guint         status);
/* Takes @body. */
void            hg_request_respond_text   (HgRequest    *req,
                                           guint         status,
                                           const char   *content_type,
                                           GString      *body);
/* Hands the error to respond_error and frees it. */
void            hg_request_fail           (HgRequest    *req,
                                           GError       *error);

/* Lists: limit (default 50, at most 500) and the opaque cursor. */
gboolean        hg_request_get_page       (HgRequest    *req,
                                           gint64       *out_before,
                                           guint        *out_limit,
                                           GError      **error);
void            hg_json_set_cursor        (JsonObject   *object,
                                           gint64        next_before);

/* Handlers, one route each (hg-server.c holds the table). */
void hg_api_health          (HgRequest *req);
void hg_api_health_ready    (HgRequest *req);
void hg_api_metrics         (HgRequest *req);
void hg_api_login           (HgRequest *req);
void hg_api_logout          (HgRequest *req);
void hg_api_me              (HgRequest *req);
void hg_api_post_alerts     (HgRequest *req);
void hg_api_post_alertmanager (HgRequest *req);
void hg_api_list_alerts     (HgRequest *req);
void hg_api_get_alert       (HgRequest *req);
void hg_api_alert_types     (HgRequest *req);
void hg_api_list_incidents  (HgRequest *req);
void hg_api_incident_stats  (HgRequest *req);
void hg_api_get_incident    (HgRequest *req);
void hg_api_incident_action (HgRequest *req);
void hg_api_add_note        (HgRequest *req);
void hg_api_list_staff      (HgRequest *req);
void hg_api_get_staff       (HgRequest *req);
void hg_api_oncall_current  (HgRequest *req);
void hg_api_list_schedules  (HgRequest *req);
void hg_api_add_schedule    (HgRequest *req);
void hg_api_delete_schedule (HgRequest *req);
void hg_api_set_availability (HgRequest *req);
void hg_api_list_notifications     (HgRequest *req);
void hg_api_read_notification      (HgRequest *req);
void hg_api_read_all_notifications (HgRequest *req);
void hg_api_create_staff           (HgRequest *req);
void hg_api_update_staff           (HgRequest *req);
void hg_api_list_integrations      (HgRequest *req);
void hg_api_create_integration     (HgRequest *req);
void hg_api_revoke_integration     (HgRequest *req);
void hg_api_list_audit             (HgRequest *req);
void hg_api_post_vitals            (HgRequest *req);
void hg_api_list_vitals            (HgRequest *req);

G_END_DECLS
