/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The alarm decision model of a screen: which alarms are active here and
 * which priority must sound, without GTK and without GStreamer.
 *
 * Station mode: every open or assigned incident of the ward, until someone
 * acknowledges it. Personal mode: the incidents assigned to me and not
 * acknowledged yet, and the ones the server's "alarm" events point at me
 * (assigned, reminder, escalated), until they are acknowledged or
 * resolved, or, for one that came as mine, reassigned to someone else.
 * Technical alarms in both: the link to the server lost for
 * HG_ALARM_LINK_LOST_MSEC, and an audio output that failed.
 *
 * The highest priority among the audible active alarms sounds through the
 * HgAlarmSpeaker. A person's act (acknowledgement, silence) stops it at
 * once, in the same call that saw the change; a condition that ends on its
 * own lets the started burst finish. Silence pauses the sound, never the
 * list, for the silence duration, and a new alarm condition ends it.
 *
 * HealthGuard is a secondary alarm system: the bedside device stays the
 * primary alarm, whatever this object decides. */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hg-active-alarm.h"
#include "hg-alarm-clock.h"
#include "hg-alarm-speaker.h"
#include "hg-models.h"

G_BEGIN_DECLS

typedef enum {
  HG_ALARM_MODE_NONE,      /* only the technical alarms */
  HG_ALARM_MODE_STATION,   /* a ward's screen */
  HG_ALARM_MODE_PERSONAL,  /* one person's screen */
} HgAlarmMode;

/* Silence duration, seconds: the default and the limits it is clamped to. */
#define HG_ALARM_SILENCE_DEFAULT 120
#define HG_ALARM_SILENCE_MIN      30
#define HG_ALARM_SILENCE_MAX     300
/* How long the link may be down before the technical alarm. */
#define HG_ALARM_LINK_LOST_MSEC  10000
/* How long an incident acknowledged here stays quiet while the server's
 * answer is awaited; after that it sounds again. */
#define HG_ALARM_ACK_WAIT_MSEC   30000

#define HG_TYPE_ALARM (hg_alarm_get_type ())
G_DECLARE_FINAL_TYPE (HgAlarm, hg_alarm, HG, ALARM, GObject)

/* @clock: NULL for the real one. */
HgAlarm     *hg_alarm_new                  (HgAlarmSpeaker *speaker,
                                            HgAlarmClock   *clock);

/* The live incidents (hg_client_get_incidents()): a GListModel of
 * HgIncident updated in place. NULL: none. */
void         hg_alarm_set_incidents        (HgAlarm        *self,
                                            GListModel     *incidents);
GListModel  *hg_alarm_get_incidents        (HgAlarm        *self);

/* The screen's mode. @ward or @staff_id NULL (or empty) means
 * HG_ALARM_MODE_NONE. Changing it forgets the "alarm" events received. */
void         hg_alarm_set_station          (HgAlarm        *self,
                                            const char     *ward);
void         hg_alarm_set_personal         (HgAlarm        *self,
                                            const char     *staff_id);
HgAlarmMode  hg_alarm_get_mode             (HgAlarm        *self);
/* The ward (station) or the staff id (personal), NULL for none. */
const char  *hg_alarm_get_mode_target      (HgAlarm        *self);

/* An "alarm" stream event's data ({"incident", "priority", "reason"}),
 * for the signed-in person: connect HgClient::alarm here (swapped).
 * Counts in personal mode only. The incident must be in the incidents
 * model (the server sends the incident before its alarm); a reminder or
 * escalation of an active one ends the silence. */
void         hg_alarm_handle_alarm_event   (HgAlarm        *self,
                                            JsonObject     *data);

/* Whether the stream to the server is live; TRUE at first. Down for
 * HG_ALARM_LINK_LOST_MSEC raises the link alarm, up again clears it. */
void         hg_alarm_set_link_up          (HgAlarm        *self,
                                            gboolean        link_up);
gboolean     hg_alarm_get_link_up          (HgAlarm        *self);

/* The speaker cannot play: a technical alarm, shown but silent, until
 * hg_alarm_audio_recovered(), which asks the speaker for the sounding
 * priority again (an output that failed may have lost it). */
void         hg_alarm_audio_failed         (HgAlarm        *self,
                                            const GError   *error);
void         hg_alarm_audio_recovered      (HgAlarm        *self);

/* The person at this screen acknowledged (or started, resolved, declined)
 * @incident_id and the request is on its way: its sound stops now, and it
 * stays listed until the incident changes. Still unacknowledged after
 * HG_ALARM_ACK_WAIT_MSEC, it sounds again. Does nothing for an incident
 * that is not active here. */
void         hg_alarm_acknowledge          (HgAlarm        *self,
                                            gint64          incident_id);

/* Pauses the sound for the silence duration; pressed again, restarts it.
 * Does nothing when nothing audible is active. */
void         hg_alarm_silence              (HgAlarm        *self);
gboolean     hg_alarm_get_silenced         (HgAlarm        *self);
/* Wall-clock µs when the silence ends, 0 when not silenced. */
gint64       hg_alarm_get_silenced_until   (HgAlarm        *self);
/* Seconds, clamped to HG_ALARM_SILENCE_MIN..HG_ALARM_SILENCE_MAX. A
 * silence under way keeps the duration it started with. */
guint        hg_alarm_get_silence_duration (HgAlarm        *self);
void         hg_alarm_set_silence_duration (HgAlarm        *self,
                                            guint           seconds);

/* The HgAlarmPriority the speaker was last told to play, -1 when quiet. */
int          hg_alarm_get_sounding_priority (HgAlarm       *self);

/* The active alarms, HgActiveAlarm, highest priority first, then the
 * oldest. (transfer none) */
GListModel  *hg_alarm_get_active           (HgAlarm        *self);
guint        hg_alarm_get_n_active         (HgAlarm        *self);

G_END_DECLS
