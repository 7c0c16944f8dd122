/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hg-alarm-speaker.h"

G_DEFINE_INTERFACE (HgAlarmSpeaker, hg_alarm_speaker, G_TYPE_OBJECT)

static void
hg_alarm_speaker_default_init (HgAlarmSpeakerInterface *iface)
{
}

void
hg_alarm_speaker_play (HgAlarmSpeaker  *self,
                       HgAlarmPriority  priority)
{
  g_return_if_fail (HG_IS_ALARM_SPEAKER (self));
  g_return_if_fail (priority <= HG_ALARM_PRIORITY_HIGH);

  HG_ALARM_SPEAKER_GET_IFACE (self)->play (self, priority);
}

void
hg_alarm_speaker_stop (HgAlarmSpeaker *self,
                       HgAlarmStop     how)
{
  g_return_if_fail (HG_IS_ALARM_SPEAKER (self));

  HG_ALARM_SPEAKER_GET_IFACE (self)->stop (self, how);
}
