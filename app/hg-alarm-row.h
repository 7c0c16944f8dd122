/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* One active alarm in the alarm popup: its priority in a stripe of colour
 * and in words, the incident, patient, room, severity, how long since the
 * alert and who has it, and large buttons for what this person may do
 * (Acknowledge, Claim, Decline). A technical alarm says what it means
 * instead. The buttons run the window's "alarm.act" action with
 * (incident id, action name). */

#include <gtk/gtk.h>

#include "hg-active-alarm.h"
#include "hg-client.h"

G_BEGIN_DECLS

#define HG_TYPE_ALARM_ROW (hg_alarm_row_get_type ())
G_DECLARE_FINAL_TYPE (HgAlarmRow, hg_alarm_row, HG, ALARM_ROW, GtkWidget)

GtkWidget     *hg_alarm_row_new       (void);
/* @alarm NULL: nothing (a recycled row). @client decides the buttons. */
void           hg_alarm_row_set_alarm (HgAlarmRow    *self,
                                       HgActiveAlarm *alarm,
                                       HgClient      *client);
HgActiveAlarm *hg_alarm_row_get_alarm (HgAlarmRow    *self);
/* Wall-clock µs now: the age shown. The window calls it every second. */
void           hg_alarm_row_tick      (HgAlarmRow    *self,
                                       gint64         now);

/* "High priority", "Medium priority", "Low priority": the priority in words. */
const char    *hg_alarm_priority_label     (HgAlarmPriority priority);
/* "alarm-high", "alarm-medium", "alarm-low". */
const char    *hg_alarm_priority_css_class (HgAlarmPriority priority);

G_END_DECLS
