/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The notification bell of the header bar: a menu button with the number
 * of unread notifications on it (and in its accessible name), and a
 * popover with the recent ones. Filled from GET /api/v1/notifications when
 * the client is set, then kept live from the stream's "notification"
 * events. Activating a notification marks it read and emits
 * "incident-activated" with its incident's id. */

#include <adwaita.h>

#include "hg-client.h"

G_BEGIN_DECLS

#define HG_TYPE_BELL_BUTTON (hg_bell_button_get_type ())
G_DECLARE_FINAL_TYPE (HgBellButton, hg_bell_button, HG, BELL_BUTTON, AdwBin)

GtkWidget  *hg_bell_button_new              (void);
void        hg_bell_button_set_client       (HgBellButton *self,
                                             HgClient     *client);
guint       hg_bell_button_get_unread_count (HgBellButton *self);
/* The notifications shown, newest first: a GListModel of HgNotification.
 * (transfer none) */
GListModel *hg_bell_button_get_model        (HgBellButton *self);
/* Opens the popover, as a click on the bell does. */
void        hg_bell_button_popup            (HgBellButton *self);

G_END_DECLS
