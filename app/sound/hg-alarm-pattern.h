/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The alarm sounds' timing and timbre, as data: one table per priority,
 * after the public summaries of IEC 60601-1-8 (auditory alarm signals).
 * Pure: no state, no GStreamer. Times are in milliseconds from the start
 * of a burst; hg-alarm-sequencer turns them into samples. */

#include <glib.h>

#include "hg-types.h"

G_BEGIN_DECLS

/* The most pulses a burst has (high priority: 3 + 2, pause, 3 + 2). */
#define HG_ALARM_PATTERN_MAX_PULSES 10

/* Pulses are a fundamental with harmonics 2 to 5, all within 15 dB of it,
 * so that the sound stays recognisable through small loudspeakers and is
 * easy to localise. */
#define HG_ALARM_PATTERN_FUNDAMENTAL_HZ 523.25
#define HG_ALARM_PATTERN_N_PARTIALS     5

/* The lowest volume a high priority alarm plays at, whatever the
 * preference says: turning the alarm volume down for the lower priorities
 * must not make a high priority alarm hard to hear. Linear amplitude, as
 * the volume preference (0.3 to 1.0). */
#define HG_ALARM_PATTERN_HIGH_VOLUME_FLOOR 0.6
#define HG_ALARM_PATTERN_MIN_VOLUME        0.3
#define HG_ALARM_PATTERN_MAX_VOLUME        1.0

/* When play() asks for another priority while a burst sounds, that burst
 * ends first (at its stop point) and the new pattern starts this much
 * later, so that the two are heard as two signals, not one longer burst. */
#define HG_ALARM_PATTERN_SWITCH_GAP_MS 250
/* Between the bursts of the sound test (preferences). */
#define HG_ALARM_PATTERN_TEST_GAP_MS 1000
/* stop(NOW): a short fade instead of a cut, which would click. */
#define HG_ALARM_PATTERN_STOP_FADE_MS 5

typedef struct {
  HgAlarmPriority priority;
  guint           n_pulses;
  /* Onset of each pulse from the start of the burst. */
  guint           onset_ms[HG_ALARM_PATTERN_MAX_PULSES];
  /* From the start of the rise to the end of the fall. */
  guint           pulse_ms;
  /* Rise and fall each take this long (linear ramps). */
  guint           ramp_ms;
  /* Start of one burst to the start of the next. */
  guint           period_ms;
  /* A burst asked to stop after it (HG_ALARM_STOP_AFTER_BURST) ends at
   * the end of its part: pulses [0, first_part_pulses) make the first
   * part, the others the second. Only high priority has two parts, so
   * that a high burst always sounds at least half of itself. */
  guint           first_part_pulses;
} HgAlarmPattern;

const HgAlarmPattern *hg_alarm_pattern_get          (HgAlarmPriority        priority);

/* The end of the last pulse, from the start of the burst. */
guint                 hg_alarm_pattern_burst_ms     (const HgAlarmPattern  *pattern);
/* The end of pulse @index (from 0), from the start of the burst. */
guint                 hg_alarm_pattern_pulse_end_ms (const HgAlarmPattern  *pattern,
                                                     guint                  index);

/* Relative amplitude of partial @index (0 is the fundamental, 1 the
 * second harmonic...), 1.0 for the fundamental. */
double                hg_alarm_pattern_partial_amplitude (guint             index);

/* @volume clamped to the preference's range, and raised to the high
 * priority floor for @priority HIGH. */
double                hg_alarm_pattern_effective_volume  (HgAlarmPriority   priority,
                                                          double            volume);

G_END_DECLS
