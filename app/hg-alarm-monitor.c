/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include "hg-alarm-monitor.h"

struct _HgAlarmMonitor
{
  GObject        parent_instance;

  GSettings     *settings;
  HgClient      *client;
  HgAlarmSound  *sound;
  HgAlarm       *alarm;
  HgAlarmWindow *window;
};

G_DEFINE_FINAL_TYPE (HgAlarmMonitor, hg_alarm_monitor, G_TYPE_OBJECT)

static void
update_mode (HgAlarmMonitor *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "mode");
  g_autofree char *ward = g_strstrip (g_settings_get_string (self->settings, "station-ward"));

  if (g_str_equal (mode, "station"))
    hg_alarm_set_station (self->alarm, ward);
  else
    hg_alarm_set_personal (self->alarm, hg_client_get_staff_id (self->client));
}

static void
update_silence (HgAlarmMonitor *self)
{
  hg_alarm_set_silence_duration (self->alarm, g_settings_get_uint (self->settings, "alarm-silence-seconds"));
}

/* Anything but live may mean alarms that do not arrive. */
static void
update_link (HgAlarmMonitor *self)
{
  hg_alarm_set_link_up (self->alarm, hg_client_get_state (self->client) == HG_CLIENT_STATE_LIVE);
}

static void
on_sound_failed (HgAlarmMonitor *self,
                 const GError   *error)
{
  hg_alarm_audio_failed (self->alarm, error);
}

/* A retried start that plays again. */
static void
on_sound_playing (HgAlarmMonitor *self)
{
  if (hg_alarm_sound_get_playing (self->sound))
    hg_alarm_audio_recovered (self->alarm);
}

HgAlarmMonitor *
hg_alarm_monitor_new (GtkApplication *application,
                      GSettings      *settings,
                      HgClient       *client,
                      HgAlarmSound   *sound)
{
  HgAlarmMonitor *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (HG_IS_CLIENT (client), NULL);
  g_return_val_if_fail (HG_IS_ALARM_SOUND (sound), NULL);

  self = g_object_new (HG_TYPE_ALARM_MONITOR, NULL);
  self->settings = g_object_ref (settings);
  self->client = g_object_ref (client);
  self->sound = g_object_ref (sound);
  self->alarm = hg_alarm_new (HG_ALARM_SPEAKER (sound), NULL);

  update_mode (self);
  update_silence (self);
  update_link (self);
  hg_alarm_set_incidents (self->alarm, hg_client_get_incidents (client));
  if (hg_alarm_sound_get_failed (sound))
    hg_alarm_audio_failed (self->alarm, hg_alarm_sound_get_error (sound));

  g_signal_connect_object (settings, "changed::mode", G_CALLBACK (update_mode), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::station-ward", G_CALLBACK (update_mode), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::alarm-silence-seconds", G_CALLBACK (update_silence), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::state", G_CALLBACK (update_link), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "alarm", G_CALLBACK (hg_alarm_handle_alarm_event), self->alarm,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sound, "failed", G_CALLBACK (on_sound_failed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sound, "notify::playing", G_CALLBACK (on_sound_playing), self, G_CONNECT_SWAPPED);

  /* Last: it shows at once when something is active already. */
  self->window = g_object_ref_sink (hg_alarm_window_new (application, self->alarm, client));
  return self;
}

HgAlarm *
hg_alarm_monitor_get_alarm (HgAlarmMonitor *self)
{
  g_return_val_if_fail (HG_IS_ALARM_MONITOR (self), NULL);

  return self->alarm;
}

HgAlarmWindow *
hg_alarm_monitor_get_window (HgAlarmMonitor *self)
{
  g_return_val_if_fail (HG_IS_ALARM_MONITOR (self), NULL);

  return self->window;
}

static void
hg_alarm_monitor_dispose (GObject *object)
{
  HgAlarmMonitor *self = HG_ALARM_MONITOR (object);

  if (self->window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->window));
  g_clear_object (&self->window);
  /* The alarm stops the sound as it goes. */
  g_clear_object (&self->alarm);
  g_clear_object (&self->sound);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (hg_alarm_monitor_parent_class)->dispose (object);
}

static void
hg_alarm_monitor_class_init (HgAlarmMonitorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hg_alarm_monitor_dispose;
}

static void
hg_alarm_monitor_init (HgAlarmMonitor *self)
{
}
