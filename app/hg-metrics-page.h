/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hg-client.h"
#include "hg-page.h"

G_BEGIN_DECLS

/* Today's response times (GET /api/v1/incidents/stats), the open
 * incidents by severity (the client's live list), and the incidents of
 * each of the last 24 hours as a bar chart. Loads again every minute while
 * it is shown. */
#define HG_TYPE_METRICS_PAGE (hg_metrics_page_get_type ())
G_DECLARE_FINAL_TYPE (HgMetricsPage, hg_metrics_page, HG, METRICS_PAGE, AdwBin)

void  hg_metrics_page_refresh (HgMetricsPage *self);

/* A duration in words: "45 s", "2 min 10 s", "1 h 5 min". */
char *hg_format_duration      (double         seconds);

G_END_DECLS
