/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the alarm sound is doing, on a sample clock: the sample index is
 * the time, so a test drives it by rendering, with no real clock. play()
 * and stop() take effect at a sample position; render() synthesises the
 * samples of a stretch of time in order, applying what was asked on the
 * way. Thread-safe: the audio thread renders while the main thread asks.
 * No GStreamer here: HgAlarmSound feeds the rendered samples to it. */

#include <glib.h>

#include "hg-alarm-pattern.h"
#include "hg-alarm-speaker.h"

G_BEGIN_DECLS

typedef struct _HgAlarmSequencer HgAlarmSequencer;

HgAlarmSequencer *hg_alarm_sequencer_new          (guint              rate);
void              hg_alarm_sequencer_free         (HgAlarmSequencer  *self);

guint             hg_alarm_sequencer_get_rate     (HgAlarmSequencer  *self);
/* The next sample render() produces: the sequencer's "now". */
gint64            hg_alarm_sequencer_get_position (HgAlarmSequencer  *self);
gint64            hg_alarm_sequencer_ms_to_samples (HgAlarmSequencer *self,
                                                    double             ms);

/* The volume preference (clamped to 0.3 to 1.0); high priority never
 * plays under HG_ALARM_PATTERN_HIGH_VOLUME_FLOOR. From the next sample
 * rendered. */
void              hg_alarm_sequencer_set_volume   (HgAlarmSequencer  *self,
                                                   double             volume);
double            hg_alarm_sequencer_get_volume   (HgAlarmSequencer  *self);

/* HgAlarmSpeaker's play() and stop() at sample @at; an @at already
 * rendered means the next sample rendered. Requests take effect in the
 * order of @at, and in the order they were made at the same @at. */
void              hg_alarm_sequencer_play         (HgAlarmSequencer  *self,
                                                   HgAlarmPriority    priority,
                                                   gint64             at);
void              hg_alarm_sequencer_stop         (HgAlarmSequencer  *self,
                                                   HgAlarmStop        how,
                                                   gint64             at);
/* One burst of each priority, low to medium to high, then silence: the
 * preferences' sound test. Any play() or stop() ends the test as it
 * would end an alarm. FALSE, and nothing changes, when an alarm sounds
 * or was asked to; after an alarm stopped after its burst, the test
 * follows that burst. A test already running goes on. */
gboolean          hg_alarm_sequencer_play_test    (HgAlarmSequencer  *self,
                                                   gint64             at);

/* Whether a pattern sounds (in a burst or between bursts), with requests
 * up to the current position applied; its priority in @priority. The test
 * bursts count, with @testing set. */
gboolean          hg_alarm_sequencer_get_active   (HgAlarmSequencer  *self,
                                                   HgAlarmPriority   *priority,
                                                   gboolean          *testing);

/* @n mono samples in [-1, 1] for sample positions @start to @start + @n - 1.
 * @start must not be before the position: the sequencer goes forward
 * only, and a @start past it skips that time in silence. Returns whether
 * any sample is not zero. */
gboolean          hg_alarm_sequencer_render       (HgAlarmSequencer  *self,
                                                   gint64             start,
                                                   float             *out,
                                                   gsize              n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgAlarmSequencer, hg_alarm_sequencer_free)

G_END_DECLS
