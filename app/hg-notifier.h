/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Desktop notifications for what is addressed to the signed-in person:
 * "notification" events of the kinds assigned, escalated and reassigned,
 * and "alarm" events, while the window is not the active one and the
 * setting desktop-notifications is on. Clicking one runs
 * app.show-incident with the incident's id. */

#include <gtk/gtk.h>

#include "hg-client.h"

G_BEGIN_DECLS

#define HG_TYPE_NOTIFIER (hg_notifier_get_type ())
G_DECLARE_FINAL_TYPE (HgNotifier, hg_notifier, HG, NOTIFIER, GObject)

/* Follows @client's events for as long as the notifier lives; sends
 * through @window's application. */
HgNotifier    *hg_notifier_new   (GtkWindow  *window,
                                  GSettings  *settings,
                                  HgClient   *client);

/* The desktop notification for an event of @type ("notification" or
 * "alarm") with @data, or NULL when that event calls for none. Its id
 * (one per incident, so that the alarm replaces the notification of the
 * same change) goes in @out_id. */
GNotification *hg_notifier_build (HgClient   *client,
                                  const char *type,
                                  JsonObject *data,
                                  char      **out_id);

G_END_DECLS
