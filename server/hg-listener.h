/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The server's listening socket: accepts connections itself and hands
 * each one to libsoup, after a TLS handshake when a certificate is
 * configured (API.md "Running the server"). */

#include <libsoup/soup.h>
#include "hg-config.h"

G_BEGIN_DECLS

#define HG_TYPE_LISTENER (hg_listener_get_type ())
G_DECLARE_FINAL_TYPE (HgListener, hg_listener, HG, LISTENER, GObject)

/* Checks the transport settings without opening anything: the listen
 * address is an IP address; tls_certificate and tls_key are set together
 * and load; plain HTTP listens only on a loopback address unless
 * allow_plain_http says otherwise. */
gboolean    hg_listener_check_config (const HgConfig  *config,
                                      GError         **error);
/* Checks the settings, binds and starts accepting for @soup on the
 * thread-default main context. @config must outlive the listener. */
HgListener *hg_listener_start        (const HgConfig  *config,
                                      SoupServer      *soup,
                                      GError         **error);
/* Stops accepting and drops the handshakes still under way. */
void        hg_listener_stop         (HgListener      *self);
/* The port actually bound (useful with port 0). */
guint       hg_listener_get_port     (HgListener      *self);
/* Whether connections stay open after an answer (keep-alive). */
gboolean    hg_listener_get_keep_alive (HgListener    *self);

G_END_DECLS
