/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's actions and the parts of it that follow the settings:
 * preferences, page shortcuts, the notification bell, desktop
 * notifications, and station mode (the board's ward, the title). */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-bell-button.h"
#include "hg-board-page.h"
#include "hg-alarm-monitor.h"
#include "hg-notifier.h"
#include "hg-preferences-window.h"
#include "hg-window-private.h"

/* The AdwViewStack's pages, in the order of Alt+1 … Alt+4. */
static const char *const pages[] = { "board", "mine", "staff", "metrics" };

static gpointer
child (HgWindow   *self,
       const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (self), HG_TYPE_WINDOW, name);
}

static GSettings *
get_settings (HgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return HG_IS_APPLICATION (app) ? hg_application_get_settings (HG_APPLICATION (app)) : NULL;
}

static HgAlarmSound *
app_sound (HgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return HG_IS_APPLICATION (app) ? hg_application_get_alarm_sound (HG_APPLICATION (app)) : NULL;
}

static gboolean
is_signed_in (HgWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (child (self, "main_stack")), "main") == 0;
}

/* --- Showing an incident ------------------------------------------------- */

void
hg_window_show_incident (HgWindow *self,
                         gint64    incident_id)
{
  AdwViewStack *stack;

  g_return_if_fail (HG_IS_WINDOW (self));

  if (!is_signed_in (self))
    return;
  stack = child (self, "view_stack");
  /* The board first; an incident of mine in another ward than the
   * station's is still on My Incidents. */
  if (hg_board_page_select_incident (child (self, "board_page"), incident_id))
    adw_view_stack_set_visible_child_name (stack, "board");
  else if (hg_board_page_select_incident (child (self, "mine_page"), incident_id))
    adw_view_stack_set_visible_child_name (stack, "mine");
  else
    hg_window_toast (self, _("That incident is no longer active"));
}

static void
on_incident_activated (HgWindow *self,
                       gint64    incident_id)
{
  hg_window_show_incident (self, incident_id);
}

/* --- Station mode ---------------------------------------------------------- */

/* Station: the board opens on the station's ward and the title says so,
 * "Station · Cardiology". Personal: every ward. */
static void
update_station (HgWindow *self)
{
  GSettings *settings = get_settings (self);
  g_autofree char *mode = settings ? g_settings_get_string (settings, "mode") : NULL;
  g_autofree char *ward = g_strstrip (settings ? g_settings_get_string (settings, "station-ward") : g_strdup (""));
  gboolean station = g_strcmp0 (mode, "station") == 0;
  g_autofree char *title = NULL;

  if (station && *ward != '\0')
    /* Translators: the window title in station mode, %s is a ward */
    title = g_strdup_printf (_("Station · %s"), ward);
  else if (station)
    title = g_strdup (_("Station"));
  hg_board_page_set_ward (child (self, "board_page"), station ? ward : NULL);
  gtk_window_set_title (GTK_WINDOW (self), title ? title : _("HealthGuard"));
  adw_view_switcher_title_set_subtitle (child (self, "switcher_title"), title ? title : "");
}

static void
on_application (HgWindow *self)
{
  GSettings *settings = get_settings (self);

  if (settings == NULL)
    return;
  g_signal_handlers_disconnect_by_func (settings, update_station, self);
  g_signal_connect_object (settings, "changed::mode", G_CALLBACK (update_station), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::station-ward", G_CALLBACK (update_station), self,
                           G_CONNECT_SWAPPED);
  update_station (self);
}

/* --- The client ------------------------------------------------------------- */

void
hg_window_actions_set_client (HgWindow *self,
                              HgClient *client)
{
  GSettings *settings = get_settings (self);

  /* The last board, read-only, has no notifications. */
  if (client != NULL && hg_client_get_token (client) == NULL)
    client = NULL;
  hg_bell_button_set_client (child (self, "bell_button"), client);
  /* The alarms of this screen, for as long as someone is signed in. */
  g_object_set_data_full (G_OBJECT (self), "hg-alarm-monitor",
                          client && settings && app_sound (self)
                            ? hg_alarm_monitor_new (gtk_window_get_application (GTK_WINDOW (self)), settings,
                                                    client, app_sound (self))
                            : NULL,
                          g_object_unref);
  g_object_set_data_full (G_OBJECT (self), "hg-notifier",
                          client && settings ? hg_notifier_new (GTK_WINDOW (self), settings, client) : NULL,
                          g_object_unref);
  /* The board takes its ward again after a sign-in. */
  if (client != NULL)
    update_station (self);
}

/* --- Actions ------------------------------------------------------------------ */

static void
preferences_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  HgWindow *self = HG_WINDOW (widget);
  GSettings *settings = get_settings (self);

  if (settings != NULL)
    gtk_window_present (GTK_WINDOW (hg_preferences_window_new (GTK_WINDOW (self), settings)));
}

static void
show_page_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HgWindow *self = HG_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (is_signed_in (self) && g_strv_contains (pages, name))
    adw_view_stack_set_visible_child_name (child (self, "view_stack"), name);
}

void
hg_window_class_add_actions (GtkWidgetClass *widget_class)
{
  g_type_ensure (HG_TYPE_BELL_BUTTON);
  /* Reached with gtk_widget_get_template_child() only. */
  gtk_widget_class_bind_template_child_full (widget_class, "bell_button", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_activated);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_activated);
  /* Alt+1 … Alt+4 switch pages (AdwViewStack has no mnemonics of its own
   * in the header's switcher). */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "s", pages[i]);
}

void
hg_window_actions_init (HgWindow *self)
{
  g_signal_connect_object (child (self, "bell_button"), "incident-activated",
                           G_CALLBACK (on_incident_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application), NULL);
}
