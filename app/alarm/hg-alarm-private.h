/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* HgAlarm's state, shared by hg-alarm.c (the active list, the sound,
 * silence, technical alarms) and hg-alarm-incidents.c (which incidents
 * are active for this screen). */

#include "hg-alarm.h"

G_BEGIN_DECLS

/* Keys of the active entries: an incident's id (always > 0), or one of
 * these for the technical alarms. */
#define HG_ALARM_KEY_LINK  G_GINT64_CONSTANT (-1)
#define HG_ALARM_KEY_AUDIO G_GINT64_CONSTANT (-2)

struct _HgAlarm {
  GObject         parent_instance;

  HgAlarmSpeaker *speaker;
  HgAlarmClock   *clock;

  GListStore     *active;          /* HgActiveAlarm, hg_active_alarm_compare order */
  GPtrArray      *pending;         /* HgActiveAlarm added in a batch, not yet in active */
  GHashTable     *entries;         /* gint64 key → Entry */
  int             sounding;        /* the HgAlarmPriority playing, or -1 */
  gboolean        stop_now;        /* a person just quietened what sounds */

  GListModel     *incidents;
  GPtrArray      *mirror;          /* HgIncident: the model's items, its order */
  GHashTable     *by_id;           /* gint64 id → HgIncident of mirror */
  HgAlarmMode     mode;
  char           *target;          /* the ward, or my staff id */
  GHashTable     *claims;          /* gint64 id → Claim: "alarm" events */

  guint           silence_duration;  /* seconds */
  gboolean        silenced;
  gint64          silenced_until;    /* wall µs */
  guint           silence_timer;

  gboolean        link_up;
  gint64          link_down_since;   /* wall µs */
  guint           link_timer;
};

typedef struct {
  HgAlarm       *self;
  gint64         key;
  HgActiveAlarm *item;
  guint          ack_timer;        /* acknowledged here, the server's answer awaited */
} HgAlarmEntry;

HgAlarmEntry *_hg_alarm_lookup         (HgAlarm           *self,
                                        gint64             key);
HgAlarmEntry *_hg_alarm_add            (HgAlarm           *self,
                                        gint64             key,
                                        HgActiveAlarmKind  kind,
                                        HgIncident        *incident,
                                        HgAlarmPriority    priority,
                                        HgAlarmReason      reason,
                                        gint64             since,
                                        gboolean           audible);
/* @by_person: acknowledged, so the sound it made stops at once rather
 * than after its burst. */
void          _hg_alarm_remove         (HgAlarm           *self,
                                        HgAlarmEntry      *entry,
                                        gboolean           by_person);
void          _hg_alarm_set_priority   (HgAlarm           *self,
                                        HgAlarmEntry      *entry,
                                        HgAlarmPriority    priority);
/* A new alarm condition (IEC 60601-1-8): it ends a silence. */
void          _hg_alarm_new_condition  (HgAlarm           *self);
/* Between these, new alarms wait and go into the active list at the end,
 * sorted, with one items-changed: a first fill of thousands of incidents
 * must not sort and announce them one by one. */
void          _hg_alarm_begin_batch    (HgAlarm           *self);
void          _hg_alarm_end_batch      (HgAlarm           *self);
/* Tells the speaker what the entries now call for, if anything changed. */
void          _hg_alarm_update_sound   (HgAlarm           *self);

/* hg-alarm-incidents.c */
void          _hg_alarm_incidents_init    (HgAlarm        *self);
void          _hg_alarm_incidents_dispose (HgAlarm        *self);
void          _hg_alarm_attach_incidents  (HgAlarm        *self,
                                           GListModel     *incidents);
/* After a change of mode: every incident weighed again. */
void          _hg_alarm_sync_all          (HgAlarm        *self);

G_END_DECLS
