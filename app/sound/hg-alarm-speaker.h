/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/* What hg-alarm asks of whatever makes the alarm heard: play a priority's
 * pattern, or stop. HgAlarmSound (GStreamer) is the real one; the alarm
 * state tests record the calls with a fake. */
#include <glib-object.h>
#include "hg-types.h"

G_BEGIN_DECLS

typedef enum {
  /* Acknowledged or silenced by a person: quiet at once (within 100 ms). */
  HG_ALARM_STOP_NOW,
  /* The alarm condition ended on its own: a started burst still sounds to
   * its end (all of a medium burst, at least half of a high one). */
  HG_ALARM_STOP_AFTER_BURST,
} HgAlarmStop;

#define HG_TYPE_ALARM_SPEAKER (hg_alarm_speaker_get_type ())
G_DECLARE_INTERFACE (HgAlarmSpeaker, hg_alarm_speaker, HG, ALARM_SPEAKER, GObject)

struct _HgAlarmSpeakerInterface
{
  GTypeInterface parent_iface;

  void (*play) (HgAlarmSpeaker  *self,
                HgAlarmPriority  priority);
  void (*stop) (HgAlarmSpeaker  *self,
                HgAlarmStop      how);
};

/* Sound @priority's pattern, repeating, until told otherwise. When another
 * burst is sounding, it ends as HG_ALARM_STOP_AFTER_BURST says and then
 * @priority's pattern begins; from silence it begins at once. */
void hg_alarm_speaker_play (HgAlarmSpeaker  *self,
                            HgAlarmPriority  priority);
void hg_alarm_speaker_stop (HgAlarmSpeaker  *self,
                            HgAlarmStop      how);

G_END_DECLS
