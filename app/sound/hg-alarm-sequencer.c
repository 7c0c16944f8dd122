/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "hg-alarm-sequencer.h"

/* No pattern: silence. */
#define NONE (-1)
/* The loudest sample at full volume: off full scale, so that a
 * resampler's overshoot cannot clip. */
#define HEADROOM 0.9

typedef enum {
  REQUEST_PLAY,
  REQUEST_STOP,
  REQUEST_TEST,
} RequestKind;

typedef struct {
  gint64      at;
  RequestKind kind;
  int         arg;
} Request;

/* A pattern's times in samples. */
typedef struct {
  guint  n_pulses;
  gint64 onset[HG_ALARM_PATTERN_MAX_PULSES];
  gint64 pulse;
  gint64 ramp;
  gint64 period;
  gint64 burst;
  /* A burst stopped after it ends at first_part_end when asked before it,
   * at once between first_part_end and second_part_onset, at the end of
   * the burst after. */
  gint64 first_part_end;
  gint64 second_part_onset;
} Timing;

static const HgAlarmPriority test_order[] = {
  HG_ALARM_PRIORITY_LOW, HG_ALARM_PRIORITY_MEDIUM, HG_ALARM_PRIORITY_HIGH,
};

struct _HgAlarmSequencer
{
  GMutex  lock;
  guint   rate;
  double  volume;
  Timing  timing[HG_ALARM_PRIORITY_HIGH + 1];
  double  omega[HG_ALARM_PATTERN_N_PARTIALS];
  double  partial_gain[HG_ALARM_PATTERN_N_PARTIALS];
  gint64  fade_len;

  gint64  position;
  GArray *requests;

  /* The pattern sounding (or NONE), whose bursts start every period from
   * cycle_start; a once pattern sounds one burst (the sound test). */
  int      current;
  gboolean once;
  gint64   cycle_start;
  /* At cut_at (G_MAXINT64: never) the current pattern ends, and next
   * starts next_delay later. */
  gint64   cut_at;
  int      next;
  gboolean next_once;
  gint64   next_delay;
  /* stop(NOW): the output fades to nothing from fade_start (-1: no fade). */
  gint64   fade_start;
  /* The sound test: which of test_order comes next. */
  gboolean testing;
  guint    test_index;
};

gint64
hg_alarm_sequencer_ms_to_samples (HgAlarmSequencer *self,
                                  double            ms)
{
  g_return_val_if_fail (self != NULL, 0);

  return (gint64) llround (ms * self->rate / 1000.0);
}

static void
init_timing (HgAlarmSequencer *self,
             HgAlarmPriority   priority)
{
  const HgAlarmPattern *pattern = hg_alarm_pattern_get (priority);
  Timing *timing = &self->timing[priority];

  timing->n_pulses = pattern->n_pulses;
  for (guint i = 0; i < pattern->n_pulses; i++)
    timing->onset[i] = hg_alarm_sequencer_ms_to_samples (self, pattern->onset_ms[i]);
  timing->pulse = hg_alarm_sequencer_ms_to_samples (self, pattern->pulse_ms);
  timing->ramp = hg_alarm_sequencer_ms_to_samples (self, pattern->ramp_ms);
  timing->period = hg_alarm_sequencer_ms_to_samples (self, pattern->period_ms);
  timing->burst = hg_alarm_sequencer_ms_to_samples (self, hg_alarm_pattern_burst_ms (pattern));
  timing->first_part_end = hg_alarm_sequencer_ms_to_samples (
    self, hg_alarm_pattern_pulse_end_ms (pattern, pattern->first_part_pulses - 1));
  timing->second_part_onset = pattern->first_part_pulses < pattern->n_pulses
    ? timing->onset[pattern->first_part_pulses]
    : timing->burst;
}

/* The peak of the sum of the partials (amplitudes as the pattern says)
 * over one period of the fundamental: less than the sum of the
 * amplitudes, since their peaks do not coincide. */
static double
wave_peak (void)
{
  double peak = 0;

  for (guint i = 0; i < 8192; i++)
    {
      double theta = 2 * G_PI * i / 8192, wave = 0;

      for (guint h = 0; h < HG_ALARM_PATTERN_N_PARTIALS; h++)
        wave += hg_alarm_pattern_partial_amplitude (h) * sin ((h + 1) * theta);
      peak = MAX (peak, fabs (wave));
    }
  return peak;
}

HgAlarmSequencer *
hg_alarm_sequencer_new (guint rate)
{
  HgAlarmSequencer *self;
  double peak = wave_peak ();

  g_return_val_if_fail (rate >= 8000, NULL);

  self = g_new0 (HgAlarmSequencer, 1);
  g_mutex_init (&self->lock);
  self->rate = rate;
  self->volume = HG_ALARM_PATTERN_MAX_VOLUME;
  for (guint p = HG_ALARM_PRIORITY_LOW; p <= HG_ALARM_PRIORITY_HIGH; p++)
    init_timing (self, p);
  for (guint h = 0; h < HG_ALARM_PATTERN_N_PARTIALS; h++)
    {
      self->omega[h] = 2 * G_PI * HG_ALARM_PATTERN_FUNDAMENTAL_HZ * (h + 1) / rate;
      self->partial_gain[h] = HEADROOM * hg_alarm_pattern_partial_amplitude (h) / peak;
    }
  self->fade_len = MAX (1, hg_alarm_sequencer_ms_to_samples (self, HG_ALARM_PATTERN_STOP_FADE_MS));
  self->requests = g_array_new (FALSE, FALSE, sizeof (Request));
  self->current = NONE;
  self->next = NONE;
  self->cut_at = G_MAXINT64;
  self->fade_start = -1;
  return self;
}

void
hg_alarm_sequencer_free (HgAlarmSequencer *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->requests, g_array_unref);
  g_mutex_clear (&self->lock);
  g_free (self);
}

guint
hg_alarm_sequencer_get_rate (HgAlarmSequencer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->rate;
}

gint64
hg_alarm_sequencer_get_position (HgAlarmSequencer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, 0);

  locker = g_mutex_locker_new (&self->lock);
  return self->position;
}

void
hg_alarm_sequencer_set_volume (HgAlarmSequencer *self,
                               double            volume)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);

  locker = g_mutex_locker_new (&self->lock);
  self->volume = CLAMP (volume, HG_ALARM_PATTERN_MIN_VOLUME, HG_ALARM_PATTERN_MAX_VOLUME);
}

double
hg_alarm_sequencer_get_volume (HgAlarmSequencer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, 0);

  locker = g_mutex_locker_new (&self->lock);
  return self->volume;
}

/* Where @t falls in the current pattern's burst cycle; -1 before it
 * starts or when nothing sounds. */
static gint64
phase_at (HgAlarmSequencer *self,
          gint64            t)
{
  gint64 d;

  if (self->current == NONE || t < self->cycle_start)
    return -1;
  d = t - self->cycle_start;
  return self->once ? d : d % self->timing[self->current].period;
}

static gboolean
in_burst (HgAlarmSequencer *self,
          gint64            t)
{
  gint64 phase = phase_at (self, t);

  return phase >= 0 && phase < self->timing[self->current].burst;
}

/* Where a burst sounding at @t may end: see Timing. */
static gint64
stop_point (HgAlarmSequencer *self,
            gint64            t)
{
  const Timing *timing = &self->timing[self->current];
  gint64 phase = phase_at (self, t);

  g_assert (phase >= 0 && phase < timing->burst);
  if (phase < timing->first_part_end)
    return t + timing->first_part_end - phase;
  if (phase < timing->second_part_onset)
    return t;
  return t + timing->burst - phase;
}

static void
start_pattern (HgAlarmSequencer *self,
               int               priority,
               gboolean          once,
               gint64            at)
{
  self->current = priority;
  self->once = once;
  self->cycle_start = at;
  self->cut_at = G_MAXINT64;
  self->next = NONE;
  self->next_delay = 0;
  self->fade_start = -1;
  if (priority == NONE)
    {
      self->testing = FALSE;
      return;
    }
  if (once)
    {
      /* One burst, then the rest of the test after a pause. */
      self->cut_at = at + self->timing[priority].burst;
      if (self->testing && self->test_index < G_N_ELEMENTS (test_order))
        {
          self->next = test_order[self->test_index++];
          self->next_once = TRUE;
          self->next_delay = hg_alarm_sequencer_ms_to_samples (self, HG_ALARM_PATTERN_TEST_GAP_MS);
        }
    }
}

static void
schedule (HgAlarmSequencer *self,
          gint64            cut_at,
          int               next,
          gint64            delay)
{
  self->cut_at = cut_at;
  self->next = next;
  self->next_once = FALSE;
  self->next_delay = delay;
}

static void
end_test (HgAlarmSequencer *self)
{
  self->testing = FALSE;
  self->test_index = G_N_ELEMENTS (test_order);
}

static void
apply_play (HgAlarmSequencer *self,
            HgAlarmPriority   priority,
            gint64            at)
{
  end_test (self);
  if (self->fade_start >= 0)
    schedule (self, self->cut_at, priority, 0);
  else if (self->current == (int) priority)
    {
      /* Already this pattern: keep its rhythm, and forget an earlier
       * request to end it (or the test's end of it). */
      self->once = FALSE;
      schedule (self, G_MAXINT64, NONE, 0);
    }
  else if (self->current != NONE && in_burst (self, at))
    schedule (self, stop_point (self, at), priority, hg_alarm_sequencer_ms_to_samples (self, HG_ALARM_PATTERN_SWITCH_GAP_MS));
  else
    start_pattern (self, priority, FALSE, at);
}

static void
apply_stop (HgAlarmSequencer *self,
            HgAlarmStop       how,
            gint64            at)
{
  end_test (self);
  if (self->current == NONE)
    return;
  if (self->fade_start >= 0)
    schedule (self, self->cut_at, NONE, 0);
  else if (!in_burst (self, at))
    start_pattern (self, NONE, FALSE, at);
  else if (how == HG_ALARM_STOP_NOW)
    {
      self->fade_start = at;
      schedule (self, at + self->fade_len, NONE, 0);
    }
  else
    schedule (self, stop_point (self, at), NONE, 0);
}

/* Whether a pattern ends with the cut that is scheduled (its last burst,
 * or the fade of stop(NOW)). */
static gboolean
ending (HgAlarmSequencer *self)
{
  return self->cut_at != G_MAXINT64 && self->next == NONE;
}

static void
apply_test (HgAlarmSequencer *self,
            gint64            at)
{
  if (self->testing)
    return;
  if (self->current == NONE)
    {
      self->testing = TRUE;
      self->test_index = 1;
      start_pattern (self, test_order[0], TRUE, at);
    }
  else if (ending (self))
    {
      /* An alarm's last burst: the test follows it. */
      self->testing = TRUE;
      self->test_index = 1;
      schedule (self, self->cut_at, test_order[0],
                self->fade_start >= 0 ? 0 : hg_alarm_sequencer_ms_to_samples (self, HG_ALARM_PATTERN_TEST_GAP_MS));
      self->next_once = TRUE;
    }
  /* Otherwise an alarm started since play_test() said yes: it wins. */
}

static void
apply_request (HgAlarmSequencer *self,
               const Request    *request)
{
  switch (request->kind)
    {
    case REQUEST_PLAY:
      apply_play (self, request->arg, request->at);
      break;
    case REQUEST_STOP:
      apply_stop (self, request->arg, request->at);
      break;
    case REQUEST_TEST:
      apply_test (self, request->at);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Everything due at or before @t, in time order: a cut before a request
 * of the same sample, since it was asked for earlier. */
static void
apply_due (HgAlarmSequencer *self,
           gint64            t)
{
  for (;;)
    {
      gint64 request_at = self->requests->len > 0
        ? g_array_index (self->requests, Request, 0).at
        : G_MAXINT64;

      if (self->cut_at <= t && self->cut_at <= request_at)
        {
          int next = self->next;
          gboolean next_once = self->next_once;

          start_pattern (self, next, next_once, self->cut_at + self->next_delay);
        }
      else if (request_at <= t)
        {
          Request request = g_array_index (self->requests, Request, 0);

          g_array_remove_index (self->requests, 0);
          apply_request (self, &request);
        }
      else
        break;
    }
}

static void
enqueue (HgAlarmSequencer *self,
         RequestKind       kind,
         int               arg,
         gint64            at)
{
  Request request = { MAX (at, self->position), kind, arg };
  guint i = self->requests->len;

  while (i > 0 && g_array_index (self->requests, Request, i - 1).at > request.at)
    i--;
  g_array_insert_val (self->requests, i, request);
}

void
hg_alarm_sequencer_play (HgAlarmSequencer *self,
                         HgAlarmPriority   priority,
                         gint64            at)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (priority <= HG_ALARM_PRIORITY_HIGH);

  locker = g_mutex_locker_new (&self->lock);
  enqueue (self, REQUEST_PLAY, priority, at);
}

void
hg_alarm_sequencer_stop (HgAlarmSequencer *self,
                         HgAlarmStop       how,
                         gint64            at)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (how == HG_ALARM_STOP_NOW || how == HG_ALARM_STOP_AFTER_BURST);

  locker = g_mutex_locker_new (&self->lock);
  enqueue (self, REQUEST_STOP, how, at);
}

/* Whether an alarm sounds, or will once the requests not yet reached are
 * applied: the last play() or stop() asked decides. */
static gboolean
alarm_active (HgAlarmSequencer *self)
{
  for (guint i = self->requests->len; i > 0; i--)
    {
      RequestKind kind = g_array_index (self->requests, Request, i - 1).kind;

      if (kind == REQUEST_PLAY)
        return TRUE;
      if (kind == REQUEST_STOP)
        return FALSE;
    }
  return !self->testing && self->current != NONE && !ending (self);
}

gboolean
hg_alarm_sequencer_play_test (HgAlarmSequencer *self,
                              gint64            at)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (alarm_active (self))
    return FALSE;
  if (!self->testing)
    enqueue (self, REQUEST_TEST, 0, at);
  return TRUE;
}

gboolean
hg_alarm_sequencer_get_active (HgAlarmSequencer *self,
                               HgAlarmPriority  *priority,
                               gboolean         *testing)
{
  g_autoptr(GMutexLocker) locker = NULL;
  int sounding;

  g_return_val_if_fail (self != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  sounding = self->current != NONE ? self->current : self->next;
  if (priority != NULL && sounding != NONE)
    *priority = sounding;
  if (testing != NULL)
    *testing = self->testing;
  return sounding != NONE;
}

static float
sample_at (HgAlarmSequencer *self,
           gint64            t)
{
  const Timing *timing;
  gint64 phase, x = -1;
  double envelope, wave = 0, gain;

  phase = phase_at (self, t);
  if (phase < 0)
    return 0;
  timing = &self->timing[self->current];
  for (guint k = 0; k < timing->n_pulses && x < 0; k++)
    {
      if (phase >= timing->onset[k] && phase < timing->onset[k] + timing->pulse)
        x = phase - timing->onset[k];
    }
  if (x < 0)
    return 0;

  envelope = MIN (1.0, (double) MIN (x, timing->pulse - x) / timing->ramp);
  /* Each pulse starts every partial at phase 0: all pulses are the same
   * wave, which starts from silence with the envelope. */
  for (guint h = 0; h < HG_ALARM_PATTERN_N_PARTIALS; h++)
    wave += self->partial_gain[h] * sin (self->omega[h] * x);
  gain = hg_alarm_pattern_effective_volume (self->current, self->volume);
  if (self->fade_start >= 0)
    gain *= MAX (0.0, 1.0 - (double) (t - self->fade_start) / self->fade_len);
  return (float) (gain * envelope * wave);
}

gboolean
hg_alarm_sequencer_render (HgAlarmSequencer *self,
                           gint64            start,
                           float            *out,
                           gsize             n)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean audible = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL || n == 0, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  g_return_val_if_fail (start >= self->position, FALSE);

  for (gsize i = 0; i < n; i++)
    {
      gint64 t = start + (gint64) i;

      apply_due (self, t);
      out[i] = sample_at (self, t);
      audible |= out[i] != 0;
    }
  self->position = start + (gint64) n;
  return audible;
}
