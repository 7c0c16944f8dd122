/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The desktop app's connection to a HealthGuard server, without GTK: signs
 * in, keeps a live list of the active incidents (REST for the first fill,
 * then the /api/v1/stream WebSocket with resume), reconnects on its own,
 * and runs incident actions. Everything runs on the thread-default main
 * context of the thread that made the client. */

#include <gio/gio.h>

#include "hg-models.h"

G_BEGIN_DECLS

typedef enum {
  HG_CLIENT_STATE_OFFLINE,       /* no connection for a while, or never had one */
  HG_CLIENT_STATE_CONNECTING,    /* first connection since hg_client_start() */
  HG_CLIENT_STATE_LIVE,          /* the list follows the server */
  HG_CLIENT_STATE_RECONNECTING,  /* lost the connection a short while ago */
} HgClientState;

#define HG_TYPE_CLIENT (hg_client_get_type ())
G_DECLARE_FINAL_TYPE (HgClient, hg_client, HG, CLIENT, GObject)

/* @base_url: "https://host:port", without a trailing path. */
HgClient      *hg_client_new                 (const char          *base_url);

const char    *hg_client_get_base_url        (HgClient            *self);
const char    *hg_client_get_token           (HgClient            *self);
void           hg_client_set_token           (HgClient            *self,
                                              const char          *token);
HgClientState  hg_client_get_state           (HgClient            *self);
/* Wall-clock µs since which the connection is lost, or 0 when live. */
gint64         hg_client_get_offline_since   (HgClient            *self);
/* The seq of the last stream event applied. */
gint64         hg_client_get_last_seq        (HgClient            *self);
/* The server's websocket_ping_interval, in milliseconds (15000). A link
 * that carries nothing for twice as long is taken as dead. */
guint          hg_client_get_ping_interval   (HgClient            *self);
void           hg_client_set_ping_interval   (HgClient            *self,
                                              guint                msec);
/* How long RECONNECTING lasts before OFFLINE, in milliseconds (15000). */
guint          hg_client_get_offline_timeout (HgClient            *self);
void           hg_client_set_offline_timeout (HgClient            *self,
                                              guint                msec);

/* POST /api/v1/auth/login; on success the client holds the token. Errors
 * are HG_ERROR with the server's own message. @station may be NULL. */
void           hg_client_login_async         (HgClient            *self,
                                              const char          *staff_id,
                                              const char          *password,
                                              const char          *station,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean       hg_client_login_finish        (HgClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* The active incidents (open, assigned, acknowledged, in_progress), a
 * GListModel of HgIncident in no particular order. Updates happen in
 * place: the same object, with property notifications. (transfer none) */
GListModel    *hg_client_get_incidents       (HgClient            *self);

/* Fills the list and follows the stream until hg_client_stop(). Needs the
 * token. */
void           hg_client_start               (HgClient            *self);
void           hg_client_stop                (HgClient            *self);

/* POST /api/v1/incidents/{id}/{action} with @body_json (a JSON object as
 * text, or NULL for none). The answer is applied to the list. */
void           hg_client_act_async           (HgClient            *self,
                                              gint64               incident_id,
                                              const char          *action,
                                              const char          *body_json,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* Returns the incident as the server answered it. */
HgIncident    *hg_client_act_finish          (HgClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
