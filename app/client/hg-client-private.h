/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internal to libhgclient, and for its tests. */

#include "hg-client.h"

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* hg-client-http.c: requests with the client's address and token. */
SoupSession *hg_client_get_session         (HgClient            *self);
SoupMessage *hg_client_new_message         (HgClient            *self,
                                            const char          *method,
                                            const char          *path);
/* Answers the JSON object of a 2xx; otherwise HG_ERROR in the server's
 * words (or GIO's error when there was no answer). */
void         hg_client_request_async       (HgClient            *self,
                                            const char          *method,
                                            const char          *path,
                                            const char          *body,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
JsonNode    *hg_client_request_finish      (HgClient            *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Remembers who signed in (hg-client-http.c, after the sign-in). */
void         hg_client_set_staff           (HgClient            *self,
                                            HgStaff             *staff);
/* A member of the expected type, else NULL. */
const char  *hg_client_member_string       (JsonObject          *object,
                                            const char          *name);
JsonObject  *hg_client_member_object       (JsonNode            *node,
                                            const char          *name);
/* Every page of the active incidents: a GPtrArray of HgIncident. */
void         hg_client_fetch_active_async  (HgClient            *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray   *hg_client_fetch_active_finish (HgClient            *self,
                                            GAsyncResult        *result,
                                            GError             **error);


/* Handles one server frame ({"seq", "type", "at", "data"}) as if it had
 * come from the stream: incident events are applied by id and version,
 * frames at or below the last seq are dropped. */
gboolean hg_client_handle_frame (HgClient   *self,
                                 const char *text,
                                 gsize       len,
                                 GError    **error);

/* The backoff before reconnection attempt @attempt (0-based), in ms:
 * 500 doubling to 30000, ±20 % jitter. */
guint    hg_client_backoff_msec (guint       attempt);

G_END_DECLS
