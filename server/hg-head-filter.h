/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A connection as libsoup gets it, with each request head screened.
 *
 * libsoup 3.2 (Debian 12) leaks the request's path, up to 64 KiB, for
 * every request whose Content-Length is not a number or whose
 * Transfer-Encoding is not "chunked": any client could exhaust the
 * server's memory without signing in. Such header lines (and folded
 * continuation lines, which could build one) are replaced by
 * HG_HEAD_FILTER_REFUSED before libsoup reads them; the server answers
 * 400 when it sees that header, and closes the connection.
 *
 * A connection stays open for the next request (keep-alive). The filter
 * counts a Content-Length body to find the next head; after a chunked
 * body, a refused head or an upgrade it screens nothing more, and the
 * server closes the connection after a chunked or refused request. A
 * head must be complete within @head_timeout_s of the filter starting to
 * wait for it (a new connection, or the end of the request before):
 * past that, reads fail and libsoup closes the connection. */

#include <gio/gio.h>

G_BEGIN_DECLS

#define HG_HEAD_FILTER_REFUSED "X-HG-Refused"

/* Takes a reference on @base; closing the result closes @base. */
GIOStream *hg_head_filter_new (GIOStream *base,
                               guint      head_timeout_s);

/* The TCP socket under @stream: a head filter, or libsoup's wrapper
 * around one (what a stolen connection or a WebSocket holds), over a
 * socket or TLS connection. NULL when there is none, or it is not TCP. */
GSocket *hg_head_filter_find_tcp_socket (GIOStream *stream);

G_END_DECLS
