/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* One of the signed-in person's notifications (GET /api/v1/notifications,
 * or a "notification" event of the stream): what happened to which
 * incident, and whether it has been read. */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HG_TYPE_NOTIFICATION (hg_notification_get_type ())
G_DECLARE_FINAL_TYPE (HgNotification, hg_notification, HG, NOTIFICATION, GObject)

/* {"id", "incident_id", "kind", "message", "created_at", "read_at"}:
 * HG_ERROR_INVALID when "id" or "message" is missing. */
HgNotification *hg_notification_new_from_json   (JsonObject     *object,
                                                 GError        **error);

gint64          hg_notification_get_id          (HgNotification *self);
/* 0 when the notification is about no incident. */
gint64          hg_notification_get_incident_id (HgNotification *self);
/* "assigned", "reminder", "escalated", "reassigned", "resolved". */
const char     *hg_notification_get_kind        (HgNotification *self);
const char     *hg_notification_get_message     (HgNotification *self);
/* ms since the epoch. */
gint64          hg_notification_get_created_at  (HgNotification *self);
gboolean        hg_notification_get_read        (HgNotification *self);
void            hg_notification_set_read        (HgNotification *self,
                                                 gboolean        read);

G_END_DECLS
