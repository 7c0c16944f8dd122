/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What hg-server.c (routing, authentication, life) and hg-request.c (what
 * a handler reads and how it answers) share. */

#include "hg-api.h"
#include "hg-bucket.h"
#include "hg-escalator.h"
#include "hg-handover.h"
#include "hg-listener.h"
#include "hg-metrics.h"
#include "hg-ratelimit.h"
#include "hg-server.h"
#include "hg-sessions.h"
#include "hg-stream.h"

G_BEGIN_DECLS

#define MAX_PARAMS 2

typedef enum {
  AUTH_NONE,
  AUTH_STAFF,
  /* Also open to integration keys: alerts, vitals and the Alertmanager
   * webhook. A key gets 403 on every other route. */
  AUTH_STAFF_OR_KEY,
} RouteAuth;

typedef struct {
  const char *method;
  const char *pattern;     /* "{}" matches one path segment */
  void      (*handler) (HgRequest *req);
  RouteAuth   auth;
} Route;

struct _HgServer {
  GObject         parent_instance;
  const HgConfig *config;
  HgStore        *store;
  SoupServer     *soup;
  HgStream       *stream;
  HgEscalator    *escalator;
  HgHandover     *handover;
  guint           prune_source;
  HgListener     *listener;
  HgRateLimit    *failures_by_id;
  HgRateLimit    *failures_by_address;
  HgSessions     *sessions;
  HgBuckets      *ingest_limit;       /* alerts per integration key */
  HgRateLimit    *throttle_notices;   /* audit rows for throttled sign-ins */
  HgMetrics      *metrics;
};

struct _HgRequest {
  HgServer          *server;
  SoupServerMessage *msg;
  const Route       *route;
  char              *params[MAX_PARAMS];
  GHashTable        *query;
  HgPrincipal        principal;
  gboolean           authenticated;
  gboolean           paused;
  gboolean           answered;
  gboolean           in_handler;
  gulong             disconnected_id;
  gboolean           disconnected;
  guint              retry_after;
};

void hg_request_free (HgRequest *req);

G_END_DECLS
