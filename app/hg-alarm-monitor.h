/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What ties a signed-in window's alarms together: an HgAlarm fed from the
 * client (the live incidents, "alarm" events, the link's state) and from
 * the settings (station or personal mode, the station's ward, the silence
 * duration), sounding through the application's HgAlarmSound, shown in an
 * HgAlarmWindow. An audio output that fails becomes a technical alarm.
 * Signing out drops the monitor, and with it every alarm and sound. */

#include <gtk/gtk.h>

#include "hg-alarm.h"
#include "hg-alarm-sound.h"
#include "hg-alarm-window.h"
#include "hg-client.h"

G_BEGIN_DECLS

#define HG_TYPE_ALARM_MONITOR (hg_alarm_monitor_get_type ())
G_DECLARE_FINAL_TYPE (HgAlarmMonitor, hg_alarm_monitor, HG, ALARM_MONITOR, GObject)

HgAlarmMonitor *hg_alarm_monitor_new        (GtkApplication *application,
                                             GSettings      *settings,
                                             HgClient       *client,
                                             HgAlarmSound   *sound);
HgAlarm        *hg_alarm_monitor_get_alarm  (HgAlarmMonitor *self);
HgAlarmWindow  *hg_alarm_monitor_get_window (HgAlarmMonitor *self);

G_END_DECLS
