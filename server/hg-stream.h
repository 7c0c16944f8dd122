/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* GET /api/v1/stream: the real-time WebSocket (API.md "Real-time stream").
 *
 * A client gets "hello", sends "resume" with the last seq it saw, receives
 * every later event meant for it from the log in order, then live events
 * as commits land. Events are read from the log once per commit and
 * serialised once, whatever the number of clients. */

#include <libsoup/soup.h>
#include "hg-store.h"

G_BEGIN_DECLS

#define HG_STREAM_PATH "/api/v1/stream"

#define HG_TYPE_STREAM (hg_stream_get_type ())
G_DECLARE_FINAL_TYPE (HgStream, hg_stream, HG, STREAM, GObject)

/* Pings every @ping_interval s; drops a client silent for @drop_after s. */
HgStream *hg_stream_new            (HgStore           *store,
                                    guint              ping_interval,
                                    guint              drop_after);
/* Serves the stream path on @server. Requests must carry the signed-in
 * principal as object data HG_STREAM_PRINCIPAL_KEY (set by the server's
 * authentication before the upgrade). */
void      hg_stream_attach         (HgStream          *self,
                                    SoupServer        *server);
guint     hg_stream_get_n_clients  (HgStream          *self);
/* How many streams opened with this token are connected now. */
guint     hg_stream_count_token    (HgStream          *self,
                                    const guchar       token_hash[32]);
/* Closes every stream opened with this token (sign-out, revocation). */
void      hg_stream_close_token    (HgStream          *self,
                                    const guchar       token_hash[32]);
void      hg_stream_close_all      (HgStream          *self);
/* Closes every stream of @staff_id (account disabled, password reset). */
void      hg_stream_close_staff    (HgStream          *self,
                                    const char        *staff_id,
                                    const char        *reason);
typedef void (*HgStreamTokenFunc)  (const guchar       token_hash[32],
                                    gpointer           user_data);
/* Calls @func with the token of each open stream. */
void      hg_stream_foreach_token  (HgStream          *self,
                                    HgStreamTokenFunc  func,
                                    gpointer           user_data);

#define HG_STREAM_PRINCIPAL_KEY "hg-principal"

G_END_DECLS
