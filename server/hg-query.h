/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Query parameters, parsed apart from the request so that hostile query
 * strings can be fuzzed (tests/fuzz). @query is what libsoup decoded
 * (soup_form_decode: name -> value); NULL means no query at all. */

#include <glib.h>
#include "hg-store.h"

G_BEGIN_DECLS

/* limit (default HG_LIST_DEFAULT_LIMIT, 1 to HG_LIST_MAX_LIMIT) and the
 * opaque cursor ("v1:<id>" in base64); *out_before is 0 without one. */
gboolean hg_query_parse_page            (GHashTable        *query,
                                         gint64            *out_before,
                                         guint             *out_limit,
                                         GError           **error);

/* status, severity (comma-separated names), assignee ("me" is @me),
 * ward, patient_id, and the page. On failure @filter may be partly filled:
 * clear it either way. */
gboolean hg_query_parse_incident_filter (GHashTable        *query,
                                         const char        *me,
                                         HgIncidentFilter  *filter,
                                         GError           **error);

G_END_DECLS
