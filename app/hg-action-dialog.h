/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The questions an incident action asks before it goes to the server: a
 * closing note (resolve), a reason (decline, escalate), a colleague
 * (reassign, from GET /api/v1/staff). Each is an AdwMessageDialog over
 * the window of @parent. */

#include <adwaita.h>

#include "hg-client.h"

G_BEGIN_DECLS

/* Called with the request's body (a JSON object as text) once the person
 * confirms; never when they cancel, nor after @receiver is gone. */
typedef void (*HgActionAnswered) (GObject    *receiver,
                                  HgAction    action,
                                  const char *body_json);

void  hg_action_dialog_ask (GtkWidget        *parent,
                            HgClient         *client,
                            HgIncident       *incident,
                            HgAction          action,
                            GObject          *receiver,
                            HgActionAnswered  answered);

/* {"member": "value"}, or {} when @value is NULL or empty. */
char *hg_action_body       (const char       *member,
                            const char       *value);

G_END_DECLS
