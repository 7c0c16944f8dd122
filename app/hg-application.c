/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hg-application.h"
#include "hg-login-page.h"
#include "hg-window.h"

struct _HgApplication {
  AdwApplication  parent_instance;
  GSettings      *settings;
  /* The alarm sound, started (and self-tested) at start-up. */
  HgAlarmSound   *sound;
  /* --demo-login: "STAFF:PASSWORD@URL", for build-aux/dev demo only. */
  char           *demo_login;
};

G_DEFINE_FINAL_TYPE (HgApplication, hg_application, ADW_TYPE_APPLICATION)

/* One instance per desktop session, which a second start hands its
 * command line to. --gapplication-app-id=org.healthguard.Ops.NAME runs
 * another one beside it: a ward station and a personal workstation on one
 * screen, as the end-to-end tests run them. */
HgApplication *
hg_application_new (void)
{
  return g_object_new (HG_TYPE_APPLICATION,
                       "application-id", HG_APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS | G_APPLICATION_CAN_OVERRIDE_APP_ID,
                       "resource-base-path", "/org/healthguard/Ops",
                       NULL);
}

GSettings *
hg_application_get_settings (HgApplication *self)
{
  g_return_val_if_fail (HG_IS_APPLICATION (self), NULL);
  return self->settings;
}

HgAlarmSound *
hg_application_get_alarm_sound (HgApplication *self)
{
  g_return_val_if_fail (HG_IS_APPLICATION (self), NULL);
  return self->sound;
}

/* A sound that fails must be seen: the signed-in windows raise a technical
 * alarm (hg-alarm-monitor.c), and the desktop says it even before anyone
 * signs in. */
static void
on_sound_failed (HgApplication *self,
                 const GError  *error)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Alarm sound unavailable"));
  /* Translators: %s says what failed, from the audio system */
  g_autofree char *body = g_strdup_printf (_("Alarms still show on screen but cannot be heard here: %s"),
                                           error ? error->message : "");

  g_warning ("The alarm sound does not work: %s", error ? error->message : "(unknown)");
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_application_send_notification (G_APPLICATION (self), "alarm-sound", notification);
}

static void
sound_started (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failure was said by ::failed already. */
  if (hg_alarm_sound_start_finish (HG_ALARM_SOUND (source), result, &error))
    {
      g_debug ("The alarm sound plays on “%s”", hg_alarm_sound_get_sink_description (HG_ALARM_SOUND (source)));
      g_application_withdraw_notification (G_APPLICATION (user_data), "alarm-sound");
    }
}

static void
update_volume (HgApplication *self)
{
  hg_alarm_sound_set_volume (self->sound, g_settings_get_double (self->settings, "alarm-volume"));
}

/* Demo only: build-aux/dev demo opens the app signed in as a nurse at a
 * Cardiology station. The password is the demo hospital's, on the command
 * line of a throw-away demo: a real installation never uses this. */
static void
demo_sign_in (HgApplication *self,
              HgWindow      *window)
{
  g_autofree char *staff = g_strdup (self->demo_login);
  char *password = strchr (staff, ':');
  char *url = password ? strrchr (password, '@') : NULL;
  GObject *login_page;

  if (url == NULL)
    {
      g_printerr ("--demo-login wants STAFF:PASSWORD@URL\n");
      return;
    }
  *password++ = '\0';
  *url++ = '\0';
  g_settings_set_string (self->settings, "mode", "station");
  g_settings_set_string (self->settings, "station-ward", "Cardiology");
  login_page = gtk_widget_get_template_child (GTK_WIDGET (window), HG_TYPE_WINDOW, "login_page");
  hg_login_page_sign_in (HG_LOGIN_PAGE (login_page), url, staff, password);
}

static void
hg_application_activate (GApplication *app)
{
  HgApplication *self = HG_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (hg_window_new (self));
      if (self->demo_login != NULL)
        demo_sign_in (self, HG_WINDOW (window));
    }
  gtk_window_present (window);
}

static int
hg_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  HgApplication *self = HG_APPLICATION (app);

  g_clear_pointer (&self->demo_login, g_free);
  g_variant_dict_lookup (options, "demo-login", "s", &self->demo_login);
  return -1;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  AdwAboutWindow *about = ADW_ABOUT_WINDOW (adw_about_window_new ());

  adw_about_window_set_application_name (about, _("HealthGuard"));
  adw_about_window_set_application_icon (about, HG_APPLICATION_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developer_name (about, _("The HealthGuard team"));
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_comments (about,
                                 _("Hospital alarms and incidents: the right person hears it at once, "
                                   "and everyone sees who has it. A secondary alarm system: bedside "
                                   "devices keep their own alarms."));
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_present (GTK_WINDOW (about));
}

/* A desktop notification's click (hg-notifier.c): the window, with the
 * incident open. */
static void
show_incident_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GtkWindow *window;

  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (HG_IS_WINDOW (window))
    hg_window_show_incident (HG_WINDOW (window), g_variant_get_int64 (parameter));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "show-incident", show_incident_activated, "x" },
};

static void
hg_application_startup (GApplication *app)
{
  HgApplication *self = HG_APPLICATION (app);
  static const char *const quit_accels[] = { "<Control>q", NULL };
  static const char *const preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (hg_application_parent_class)->startup (app);

  self->settings = g_settings_new (HG_APPLICATION_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.preferences", preferences_accels);

  /* The self-test: the pipeline must reach PLAYING, at start, before any
   * alarm needs it. It then runs on silence, ready. */
  self->sound = hg_alarm_sound_new (NULL);
  update_volume (self);
  g_signal_connect_object (self->settings, "changed::alarm-volume", G_CALLBACK (update_volume), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sound, "failed", G_CALLBACK (on_sound_failed), self, G_CONNECT_SWAPPED);
  hg_alarm_sound_start_async (self->sound, NULL, sound_started, self);
}

static void
hg_application_finalize (GObject *object)
{
  HgApplication *self = HG_APPLICATION (object);

  g_clear_object (&self->sound);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->demo_login, g_free);
  G_OBJECT_CLASS (hg_application_parent_class)->finalize (object);
}

static void
hg_application_class_init (HgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = hg_application_finalize;
  app_class->activate = hg_application_activate;
  app_class->startup = hg_application_startup;
  app_class->handle_local_options = hg_application_handle_local_options;
}

static void
hg_application_init (HgApplication *self)
{
  /* Hidden: for build-aux/dev demo, not for people. */
  g_application_add_main_option (G_APPLICATION (self), "demo-login", 0, G_OPTION_FLAG_HIDDEN,
                                 G_OPTION_ARG_STRING, "Sign in as STAFF with PASSWORD on URL (demo only)",
                                 "STAFF:PASSWORD@URL");
}
