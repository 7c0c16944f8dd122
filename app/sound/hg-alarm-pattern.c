/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hg-alarm-pattern.h"

/* The standard's ranges, and where each figure sits in them (tests measure
 * the rendered sound against the ranges, not against these numbers):
 *
 *  - pulse 75 to 200 ms. Ramps of 15 % make the pulse 85 % as long at
 *    half amplitude, so both ways of measuring a pulse stay inside.
 *  - rise and fall 10 to 20 % of the pulse: a linear ramp over 15 % of it
 *    rises from 10 % to 90 % amplitude in 12 %, and 14 % of the pulse at
 *    half amplitude.
 *  - spacing between pulses 50 to 125 ms (high), 125 to 250 ms (medium,
 *    low): 80 and 160 ms from the end of one ramp to the start of the
 *    next, which the ramps lengthen by up to 27 ms at half amplitude.
 *  - high: the 3rd to 4th spacing is two spacings plus a pulse (a missing
 *    pulse), and 0.35 to 1.3 s between the 5th and the 6th: 700 ms.
 *  - the interval between bursts, read from start to start or from the
 *    end of one to the start of the next: 2.5 to 15 s (high), 2.5 to 30 s
 *    (medium), more than 15 s (low). High: 7 s and 3.7 s; medium: 7 s and
 *    6.14 s; low: 20 s and 19.48 s. */
static const HgAlarmPattern patterns[] = {
  [HG_ALARM_PRIORITY_LOW] = {
    .priority = HG_ALARM_PRIORITY_LOW,
    .n_pulses = 2,
    .onset_ms = { 0, 340 },
    .pulse_ms = 180,
    .ramp_ms = 27,
    .period_ms = 20000,
    .first_part_pulses = 2,
  },
  [HG_ALARM_PRIORITY_MEDIUM] = {
    .priority = HG_ALARM_PRIORITY_MEDIUM,
    .n_pulses = 3,
    .onset_ms = { 0, 340, 680 },
    .pulse_ms = 180,
    .ramp_ms = 27,
    .period_ms = 7000,
    .first_part_pulses = 3,
  },
  [HG_ALARM_PRIORITY_HIGH] = {
    .priority = HG_ALARM_PRIORITY_HIGH,
    .n_pulses = 10,
    /* 3, 2 (a missing pulse between), pause, 3, 2: pulses 230 ms apart,
     * and the 6th 700 ms after the 5th ends. */
    .onset_ms = { 0, 230, 460, 920, 1150, 2000, 2230, 2460, 2920, 3150 },
    .pulse_ms = 150,
    .ramp_ms = 22,
    .period_ms = 7000,
    .first_part_pulses = 5,
  },
};

/* Decreasing, so the fundamental dominates, the weakest harmonic about
 * 9 dB under it: well inside the 15 dB the standard allows. */
static const double partial_amplitudes[HG_ALARM_PATTERN_N_PARTIALS] = {
  1.0, 0.8, 0.6, 0.45, 0.35,
};

const HgAlarmPattern *
hg_alarm_pattern_get (HgAlarmPriority priority)
{
  g_return_val_if_fail (priority <= HG_ALARM_PRIORITY_HIGH, NULL);

  return &patterns[priority];
}

guint
hg_alarm_pattern_pulse_end_ms (const HgAlarmPattern *pattern,
                               guint                 index)
{
  g_return_val_if_fail (pattern != NULL, 0);
  g_return_val_if_fail (index < pattern->n_pulses, 0);

  return pattern->onset_ms[index] + pattern->pulse_ms;
}

guint
hg_alarm_pattern_burst_ms (const HgAlarmPattern *pattern)
{
  g_return_val_if_fail (pattern != NULL, 0);

  return hg_alarm_pattern_pulse_end_ms (pattern, pattern->n_pulses - 1);
}

double
hg_alarm_pattern_partial_amplitude (guint index)
{
  g_return_val_if_fail (index < HG_ALARM_PATTERN_N_PARTIALS, 0);

  return partial_amplitudes[index];
}

double
hg_alarm_pattern_effective_volume (HgAlarmPriority priority,
                                   double          volume)
{
  volume = CLAMP (volume, HG_ALARM_PATTERN_MIN_VOLUME, HG_ALARM_PATTERN_MAX_VOLUME);
  if (priority == HG_ALARM_PRIORITY_HIGH)
    volume = MAX (volume, HG_ALARM_PATTERN_HIGH_VOLUME_FLOOR);
  return volume;
}
