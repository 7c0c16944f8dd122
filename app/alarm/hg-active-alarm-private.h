/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* How HgAlarm builds and changes its HgActiveAlarm items. Each setter
 * notifies only when the value really changes. */

#include "hg-active-alarm.h"

G_BEGIN_DECLS

HgActiveAlarm *hg_active_alarm_new          (HgActiveAlarmKind  kind,
                                             HgIncident        *incident,
                                             HgAlarmPriority    priority,
                                             HgAlarmReason      reason,
                                             gint64             since);
void           hg_active_alarm_set_priority (HgActiveAlarm     *self,
                                             HgAlarmPriority    priority);
void           hg_active_alarm_set_reason   (HgActiveAlarm     *self,
                                             HgAlarmReason      reason);
/* The list may hold a new object for the same incident. */
void           hg_active_alarm_set_incident (HgActiveAlarm     *self,
                                             HgIncident        *incident);
void           hg_active_alarm_set_title    (HgActiveAlarm     *self,
                                             const char        *title);
void           hg_active_alarm_set_message  (HgActiveAlarm     *self,
                                             const char        *message);
void           hg_active_alarm_set_audible  (HgActiveAlarm     *self,
                                             gboolean           audible);

/* The order of the active list: highest priority first, then the oldest,
 * then (for a stable order) technical before incidents and by incident
 * id. A GCompareDataFunc. */
int            hg_active_alarm_compare      (gconstpointer      a,
                                             gconstpointer      b,
                                             gpointer           user_data);

G_END_DECLS
