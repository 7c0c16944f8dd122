/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A connection as libsoup gets it, with its first request head screened.
 *
 * libsoup 3.2 (Debian 12) leaks the request's path, up to 64 KiB, for
 * every request whose Content-Length is not a number or whose
 * Transfer-Encoding is not "chunked": any client could exhaust the
 * server's memory without signing in. Such header lines (and folded
 * continuation lines, which could build one) are replaced by
 * HG_HEAD_FILTER_REFUSED before libsoup reads them; the server answers
 * 400 when it sees that header. Only the first head of a connection is
 * screened: every answer but a WebSocket upgrade closes the connection. */

#include <gio/gio.h>

G_BEGIN_DECLS

#define HG_HEAD_FILTER_REFUSED "X-HG-Refused"

/* Takes a reference on @base; closing the result closes @base. */
GIOStream *hg_head_filter_new (GIOStream *base);

G_END_DECLS
