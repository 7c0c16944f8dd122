/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* An incident action the way every part of the app takes one: the rules
 * the server applies decide which buttons show, the change shows at once
 * (optimistic), and a refusal rolls it back. The incident pane and the
 * alarm popup both act through here. */

#include <gio/gio.h>

#include "hg-client.h"

G_BEGIN_DECLS

/* May the signed-in person take @action on @incident now? The same rules
 * the server applies (hg_lifecycle_check). */
gboolean hg_incident_may        (HgClient            *client,
                                 HgIncident          *incident,
                                 HgAction             action);

/* Runs @action on @incident, the list's live object: the object shows at
 * once what the action should lead to, and the server's answer settles
 * it. When the server refuses, the object goes back to what it was
 * (unless the server's own news came meanwhile) and the finish fails with
 * the server's words. @body_json: the request's body, or NULL. */
void     hg_incident_act_async  (HgClient            *client,
                                 HgIncident          *incident,
                                 HgAction             action,
                                 const char          *body_json,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
gboolean hg_incident_act_finish (GAsyncResult        *result,
                                 GError             **error);

G_END_DECLS
