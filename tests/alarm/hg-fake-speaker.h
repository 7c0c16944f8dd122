/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* An HgAlarmSpeaker that only writes down what it is told, with the fake
 * clock's time in milliseconds: "play:high@0 stop:now@5000". */

#include "hg-alarm-speaker.h"
#include "hg-fake-clock.h"

G_BEGIN_DECLS

#define HG_TYPE_FAKE_SPEAKER (hg_fake_speaker_get_type ())
G_DECLARE_FINAL_TYPE (HgFakeSpeaker, hg_fake_speaker, HG, FAKE_SPEAKER, GObject)

HgFakeSpeaker *hg_fake_speaker_new      (HgFakeClock   *clock);
/* The calls since the last take, space-separated; "" for none. */
char          *hg_fake_speaker_take_log (HgFakeSpeaker *self);

G_END_DECLS
