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
/* Closes every stream opened with this token (sign-out, revocation). */
void      hg_stream_close_token    (HgStream          *self,
                                    const guchar       token_hash[32]);
void      hg_stream_close_all      (HgStream          *self);

#define HG_STREAM_PRINCIPAL_KEY "hg-principal"

G_END_DECLS
