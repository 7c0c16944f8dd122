/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-incident-format.h"
#include "hg-json.h"
#include "hg-notifier.h"

struct _HgNotifier {
  GObject    parent_instance;

  GtkWindow *window;     /* weak */
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (HgNotifier, hg_notifier, G_TYPE_OBJECT)

static HgIncident *
find_incident (HgClient *client,
               gint64    id)
{
  GListModel *list = hg_client_get_incidents (client);
  guint n = g_list_model_get_n_items (list);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HgIncident) incident = g_list_model_get_item (list, i);

      if (hg_incident_get_id (incident) == id)
        return g_steal_pointer (&incident);
    }
  return NULL;
}

static const char *
reason_label (const char *reason)
{
  if (g_strcmp0 (reason, "reminder") == 0)
    return _("Waiting for your acknowledgement");
  if (g_strcmp0 (reason, "escalated") == 0)
    return _("Escalated to you");
  return _("Assigned to you");
}

static GNotification *
build_alarm (JsonObject *data,
             gint64     *out_incident_id)
{
  g_autoptr(HgIncident) incident = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  JsonNode *node = json_object_get_member (data, "incident");
  const char *reason = json_object_get_string_member_with_default (data, "reason", NULL);
  const char *room;

  if (node == NULL || (incident = hg_json_incident_from_node (node, NULL)) == NULL)
    return NULL;
  /* Translators: a desktop notification's title: "Critical: Cardiac arrest" */
  title = g_strdup_printf (_("%s: %s"), hg_severity_label (hg_incident_get_severity (incident)),
                           hg_incident_get_title (incident));
  room = hg_incident_get_room (incident);
  if (room != NULL && *room != '\0')
    /* Translators: "Assigned to you · Room 204" */
    body = g_strdup_printf (_("%s · Room %s"), reason_label (reason), room);
  else
    body = g_strdup (reason_label (reason));
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification,
                               hg_incident_get_severity (incident) == HG_SEVERITY_CRITICAL
                               ? G_NOTIFICATION_PRIORITY_URGENT : G_NOTIFICATION_PRIORITY_HIGH);
  *out_incident_id = hg_incident_get_id (incident);
  return g_steal_pointer (&notification);
}

static GNotification *
build_notification (HgClient   *client,
                    JsonObject *data,
                    gint64     *out_incident_id)
{
  const char *kind = json_object_get_string_member_with_default (data, "kind", "");
  const char *message = json_object_get_string_member_with_default (data, "message", NULL);
  gint64 incident_id = json_object_get_int_member_with_default (data, "incident_id", 0);
  g_autoptr(HgIncident) incident = NULL;
  GNotificationPriority priority = G_NOTIFICATION_PRIORITY_HIGH;
  GNotification *notification;
  const char *title;

  if (g_str_equal (kind, "assigned"))
    title = _("Assigned to You");
  else if (g_str_equal (kind, "escalated"))
    title = _("Escalated to You");
  else if (g_str_equal (kind, "reassigned"))
    {
      title = _("Moved to Someone Else");
      priority = G_NOTIFICATION_PRIORITY_NORMAL;
    }
  else
    return NULL;
  if (message == NULL || incident_id <= 0)
    return NULL;
  incident = client ? find_incident (client, incident_id) : NULL;
  if (incident != NULL && hg_incident_get_severity (incident) == HG_SEVERITY_CRITICAL
      && priority == G_NOTIFICATION_PRIORITY_HIGH)
    priority = G_NOTIFICATION_PRIORITY_URGENT;

  notification = g_notification_new (title);
  g_notification_set_body (notification, message);
  g_notification_set_priority (notification, priority);
  *out_incident_id = incident_id;
  return notification;
}

GNotification *
hg_notifier_build (HgClient   *client,
                   const char *type,
                   JsonObject *data,
                   char      **out_id)
{
  GNotification *notification = NULL;
  gint64 incident_id = 0;

  g_return_val_if_fail (type != NULL && data != NULL, NULL);

  if (g_str_equal (type, "alarm"))
    notification = build_alarm (data, &incident_id);
  else if (g_str_equal (type, "notification"))
    notification = build_notification (client, data, &incident_id);
  if (notification == NULL)
    return NULL;
  g_notification_set_default_action_and_target_value (notification, "app.show-incident",
                                                      g_variant_new_int64 (incident_id));
  if (out_id != NULL)
    *out_id = g_strdup_printf ("incident-%" G_GINT64_FORMAT, incident_id);
  return notification;
}

static void
send (HgNotifier *self,
      HgClient   *client,
      const char *type,
      JsonObject *data)
{
  GtkApplication *app;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;

  /* Someone looking at the window sees the bell and the board. */
  if (self->window == NULL || gtk_window_is_active (self->window)
      || !g_settings_get_boolean (self->settings, "desktop-notifications"))
    return;
  app = gtk_window_get_application (self->window);
  notification = hg_notifier_build (client, type, data, &id);
  if (app != NULL && notification != NULL)
    g_application_send_notification (G_APPLICATION (app), id, notification);
}

static void
on_notification (HgNotifier *self,
                 JsonObject *data,
                 HgClient   *client)
{
  send (self, client, "notification", data);
}

static void
on_alarm (HgNotifier *self,
          JsonObject *data,
          HgClient   *client)
{
  send (self, client, "alarm", data);
}

HgNotifier *
hg_notifier_new (GtkWindow *window,
                 GSettings *settings,
                 HgClient  *client)
{
  HgNotifier *self;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (HG_IS_CLIENT (client), NULL);

  self = g_object_new (HG_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->window, window);
  self->settings = g_object_ref (settings);
  /* Swapped: the handlers get the notifier first and the client last. */
  g_signal_connect_object (client, "notification", G_CALLBACK (on_notification), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "alarm", G_CALLBACK (on_alarm), self, G_CONNECT_SWAPPED);
  return self;
}

static void
hg_notifier_dispose (GObject *object)
{
  HgNotifier *self = HG_NOTIFIER (object);

  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (hg_notifier_parent_class)->dispose (object);
}

static void
hg_notifier_class_init (HgNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hg_notifier_dispose;
}

static void
hg_notifier_init (HgNotifier *self)
{
}
