/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The alarm popup: a window of its own, presented above the others
 * whenever a new alarm becomes active here, that lists every active alarm
 * highest priority first (hg_alarm_get_active()) with large buttons to
 * acknowledge, claim or decline, and one to silence the sound. Its band
 * says the highest priority in words and flashes as IEC 60601-1-8 asks:
 * red at 2 Hz for high, yellow at 0.6 Hz for medium, cyan and steady for
 * low. It hides once nothing is active; it cannot be closed before. */

#include <adwaita.h>

#include "hg-alarm.h"
#include "hg-client.h"

G_BEGIN_DECLS

/* Flashing, in milliseconds per half period (on, then off). */
#define HG_ALARM_FLASH_HIGH_MSEC   250   /* 2.0 Hz */
#define HG_ALARM_FLASH_MEDIUM_MSEC 833   /* 0.6 Hz */

#define HG_TYPE_ALARM_WINDOW (hg_alarm_window_get_type ())
G_DECLARE_FINAL_TYPE (HgAlarmWindow, hg_alarm_window, HG, ALARM_WINDOW, AdwWindow)

HgAlarmWindow *hg_alarm_window_new        (GtkApplication *application,
                                           HgAlarm        *alarm,
                                           HgClient       *client);
HgAlarm       *hg_alarm_window_get_alarm  (HgAlarmWindow  *self);

G_END_DECLS
