/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* GET /metrics: the Prometheus text format (0.0.4) of every metric in the
 * contract's table, plus process_*.
 *
 * What happens to incidents is counted by the store's triggers (see
 * migrations/007-metrics.sql) and read in a few hundred rows. What happens
 * at the HTTP front (requests, latencies, alert processing) is counted here,
 * in memory, on the main thread. Every label set known in advance is
 * written from the first scrape, at 0. */

#include "hg-store.h"

G_BEGIN_DECLS

typedef struct _HgMetrics HgMetrics;

/* @route_patterns: the route table's patterns ("{}" for a segment), whose
 * templates ("/api/v1/incidents/{id}") are the route label. */
HgMetrics *hg_metrics_new                 (const char *const *route_patterns,
                                           guint              n_routes);
void       hg_metrics_free                (HgMetrics  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgMetrics, hg_metrics_free)

/* The route label of a pattern: "{}" becomes "{id}", a second one
 * "{action}". Returns an interned string. */
const char *hg_metrics_route_label        (const char *pattern);
#define HG_METRICS_ROUTE_UNMATCHED "unmatched"

void       hg_metrics_observe_request     (HgMetrics  *self,
                                           const char *method,
                                           const char *route_label,
                                           guint       status,
                                           double      seconds);
/* Time from a POST's arrival to its alerts being on disk, once per alert. */
void       hg_metrics_observe_alerts      (HgMetrics  *self,
                                           guint       n_alerts,
                                           double      seconds);

/* The whole exposition. */
GString   *hg_metrics_render              (HgMetrics  *self,
                                           HgStore    *store,
                                           guint       websocket_clients,
                                           GError    **error);

#define HG_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

G_END_DECLS
