/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Checks on a request's headers that run before any handler reads it
 * (API.md "Errors" and "Real-time stream"). */

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Refuses a request with more than one Host or Content-Length header
 * (HG_ERROR_INVALID, "duplicate_header"), or with a framing header that
 * hg-head-filter took out ("malformed_header"). */
gboolean hg_guard_check_headers (SoupMessageHeaders  *headers,
                                 GError             **error);
/* Refuses a WebSocket upgrade whose Origin is not in @allowed, lowercase
 * origins; NULL allows none (HG_ERROR_FORBIDDEN, "origin_not_allowed").
 * A request without Origin passes: only browsers send one. */
gboolean hg_guard_check_origin  (SoupMessageHeaders  *headers,
                                 const char *const   *allowed,
                                 GError             **error);

G_END_DECLS
