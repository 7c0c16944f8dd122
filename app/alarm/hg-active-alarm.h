/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* One alarm that is active on this screen, as HgAlarm lists it: an incident
 * that needs someone here, or a technical alarm about the alarm system
 * itself. Read-only for its users; every field is a property that
 * notifies when HgAlarm changes it. */

#include <glib-object.h>

#include "hg-models.h"

G_BEGIN_DECLS

typedef enum {
  HG_ACTIVE_ALARM_KIND_INCIDENT,
  /* Technical: no live link to the server, so new alarms may not arrive. */
  HG_ACTIVE_ALARM_KIND_LINK,
  /* Technical: the alarm sound cannot be played. */
  HG_ACTIVE_ALARM_KIND_AUDIO,
} HgActiveAlarmKind;

/* Why it is active here. */
typedef enum {
  /* Station: an open or assigned incident of the ward, not acknowledged. */
  HG_ALARM_REASON_UNACKNOWLEDGED,
  /* Personal: assigned to me and not acknowledged yet. */
  HG_ALARM_REASON_ASSIGNED,
  /* Personal: the server reminded me of it ("alarm" event). */
  HG_ALARM_REASON_REMINDER,
  /* Personal: escalated to me ("alarm" event). */
  HG_ALARM_REASON_ESCALATED,
  /* A technical alarm. */
  HG_ALARM_REASON_TECHNICAL,
} HgAlarmReason;

#define HG_TYPE_ACTIVE_ALARM (hg_active_alarm_get_type ())
G_DECLARE_FINAL_TYPE (HgActiveAlarm, hg_active_alarm, HG, ACTIVE_ALARM, GObject)

HgActiveAlarmKind  hg_active_alarm_get_kind     (HgActiveAlarm *self);
HgAlarmPriority    hg_active_alarm_get_priority (HgActiveAlarm *self);
HgAlarmReason      hg_active_alarm_get_reason   (HgActiveAlarm *self);
/* The live incident (the list's own object), NULL for a technical alarm.
 * (transfer none) */
HgIncident        *hg_active_alarm_get_incident (HgActiveAlarm *self);
/* Incident: its title. Technical: a translated headline. */
const char        *hg_active_alarm_get_title    (HgActiveAlarm *self);
/* Technical: a translated sentence on what it means and what to do.
 * Incident: NULL (the incident says it all). */
const char        *hg_active_alarm_get_message  (HgActiveAlarm *self);
/* Wall-clock µs since the Unix epoch when the alarm condition began on
 * this screen (for the link alarm: when the link was lost). */
gint64             hg_active_alarm_get_since    (HgActiveAlarm *self);
/* FALSE when it is shown but cannot or must not sound: the audio alarm,
 * or an incident acknowledged here whose answer from the server is
 * awaited. */
gboolean           hg_active_alarm_get_audible  (HgActiveAlarm *self);

G_END_DECLS
