/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The alarm patterns as heard: each priority rendered through the sound
 * pipeline into a WAV file, read back with GStreamer, and measured from
 * the samples against the ranges of the issue and of the public summaries
 * of IEC 60601-1-8 (never against the pattern's own constants):
 *
 *   pulse 75 to 200 ms; rise and fall 10 to 20 % of the pulse;
 *   high: 10 pulses (3, 2, pause, 3, 2), spacing 50 to 125 ms, the 3rd to
 *     4th spacing two spacings and a pulse, 0.35 to 1.3 s between the 5th
 *     and the 6th, repeated every 2.5 to 15 s;
 *   medium: 3 pulses, spacing 125 to 250 ms, repeated every 2.5 to 30 s;
 *   low: 1 or 2 pulses, spacing 125 to 250 ms, repeated no more often than
 *     every 15 s;
 *   fundamental 150 to 1000 Hz, at least 4 harmonics in 300 to 4000 Hz
 *     within 15 dB of it; pulses of a burst within 10 dB of each other;
 *   high priority at volume 0.3 no quieter than the floor.
 *
 * Durations are read both ways: between the 50 % amplitude points and
 * between the 10 % points; repetition both from start to start and from
 * the end of one burst to the start of the next. */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <gst/gst.h>

#include "hg-alarm-pattern.h"
#include "hg-alarm-sound.h"

/* Pulses further apart than this belong to different bursts: longer than
 * the high pattern's pause (1.3 s at most), shorter than any interval
 * between bursts (2.5 s at least). */
#define BURST_GAP 2.0

typedef struct {
  guint   rate;
  gsize   n;
  float  *samples;
  float  *envelope;
} Recording;

/* Times in seconds; levels relative to the pulse's peak. */
typedef struct {
  double rise10, rise50, rise90;
  double fall90, fall50, fall10;
  double peak;
} Pulse;

static void
recording_free (Recording *rec)
{
  g_free (rec->samples);
  g_free (rec->envelope);
  g_free (rec);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recording, recording_free)

/* filesrc ! wavparse ! audioconvert ! appsink: the samples as floats. */
static Recording *
read_wav (const char *path)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  Recording *rec = g_new0 (Recording, 1);

  pipeline = gst_parse_launch ("filesrc name=src ! wavparse ! audioconvert "
                               "! audio/x-raw,format=F32LE,channels=1,layout=interleaved "
                               "! appsink name=sink sync=false", &error);
  g_assert_no_error (error);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (src, "location", path, NULL);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);

  for (;;)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 10 * GST_SECOND);
      GstBuffer *buffer;
      GstMapInfo map;

      if (sample == NULL)
        break;
      if (rec->rate == 0)
        {
          GstAudioInfo info;

          g_assert_true (gst_audio_info_from_caps (&info, gst_sample_get_caps (sample)));
          rec->rate = GST_AUDIO_INFO_RATE (&info);
        }
      buffer = gst_sample_get_buffer (sample);
      gst_buffer_map (buffer, &map, GST_MAP_READ);
      g_byte_array_append (data, map.data, map.size);
      gst_buffer_unmap (buffer, &map);
    }
  g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_assert_cmpuint (rec->rate, >, 0);
  rec->n = data->len / sizeof (float);
  rec->samples = (float *) g_byte_array_free (g_steal_pointer (&data), FALSE);
  return rec;
}

static Recording *
render (HgAlarmPriority priority,
        double          seconds,
        double          volume)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hg-alarm-wav-XXXXXX", &error);
  g_autofree char *path = NULL;
  Recording *rec;

  g_assert_no_error (error);
  path = g_build_filename (dir, "alarm.wav", NULL);
  g_assert_true (hg_alarm_sound_render_to_file (priority, seconds, volume, path, &error));
  g_assert_no_error (error);
  rec = read_wav (path);
  g_unlink (path);
  g_rmdir (dir);
  return rec;
}

/* RMS over a window of @window samples centred on each sample. */
static void
compute_envelope (Recording *rec,
                  guint      window)
{
  g_autofree double *sums = g_new (double, rec->n + 1);
  gsize half = window / 2;

  sums[0] = 0;
  for (gsize i = 0; i < rec->n; i++)
    sums[i + 1] = sums[i] + (double) rec->samples[i] * rec->samples[i];
  g_free (rec->envelope);
  rec->envelope = g_new (float, rec->n);
  for (gsize i = 0; i < rec->n; i++)
    {
      gsize a = i > half ? i - half : 0;
      gsize b = MIN (rec->n, a + window);

      rec->envelope[i] = sqrt (MAX (0, sums[b] - sums[a]) / window);
    }
}

/* The time where the envelope crosses @level between samples @i - 1 and @i. */
static double
crossing (Recording *rec,
          gsize      i,
          double     level)
{
  double a = rec->envelope[i - 1], b = rec->envelope[i];
  double f = b != a ? (level - a) / (b - a) : 0;

  return (i - 1 + CLAMP (f, 0, 1)) / rec->rate;
}

/* Pulses: stretches over half of the loudest level, each measured at 10,
 * 50 and 90 % of its own peak. */
static GArray *
find_pulses (Recording *rec)
{
  GArray *pulses = g_array_new (FALSE, TRUE, sizeof (Pulse));
  float max = 0;
  gsize i = 1;

  for (gsize k = 0; k < rec->n; k++)
    max = MAX (max, rec->envelope[k]);
  g_assert_cmpfloat (max, >, 0.01);

  while (i < rec->n)
    {
      gsize start, end, j;
      Pulse pulse = { 0 };

      if (rec->envelope[i] < max / 2)
        {
          i++;
          continue;
        }
      start = i;
      for (end = start; end < rec->n && rec->envelope[end] >= max / 4; end++)
        pulse.peak = MAX (pulse.peak, rec->envelope[end]);
      /* A pulse cut by the end of the recording is not measured. */
      if (end >= rec->n)
        break;
      for (j = start; j > 1 && rec->envelope[j - 1] > 0.1 * pulse.peak; j--);
      g_assert_cmpuint (j, >, 1);
      pulse.rise10 = crossing (rec, j, 0.1 * pulse.peak);
      for (j = start; rec->envelope[j] <= 0.5 * pulse.peak; j++);
      for (; j > 1 && rec->envelope[j - 1] > 0.5 * pulse.peak; j--);
      pulse.rise50 = crossing (rec, j, 0.5 * pulse.peak);
      for (; rec->envelope[j] < 0.9 * pulse.peak; j++);
      pulse.rise90 = crossing (rec, j, 0.9 * pulse.peak);
      for (j = end; rec->envelope[j - 1] < 0.9 * pulse.peak; j--);
      pulse.fall90 = crossing (rec, j, 0.9 * pulse.peak);
      for (j = end; rec->envelope[j - 1] < 0.5 * pulse.peak; j--);
      pulse.fall50 = crossing (rec, j, 0.5 * pulse.peak);
      for (j = end; j < rec->n && rec->envelope[j] > 0.1 * pulse.peak; j++);
      g_assert_cmpuint (j, <, rec->n);
      pulse.fall10 = crossing (rec, j, 0.1 * pulse.peak);
      g_array_append_val (pulses, pulse);
      i = j + 1;
    }
  return pulses;
}

/* Amplitude of the @f Hz component of @x (already windowed, window sum
 * @wsum), by Goertzel. */
static double
amplitude (const double *x,
           gsize         n,
           double        wsum,
           double        f,
           guint         rate)
{
  double c = 2 * cos (2 * G_PI * f / rate), s1 = 0, s2 = 0;

  for (gsize i = 0; i < n; i++)
    {
      double s0 = x[i] + c * s1 - s2;

      s2 = s1;
      s1 = s0;
    }
  return 2 * sqrt (MAX (0, s1 * s1 + s2 * s2 - c * s1 * s2)) / wsum;
}

typedef struct {
  double f0;
  double a0;
  GArray *components; /* double pairs: Hz, dB under the fundamental */
} Spectrum;

/* The steady part of @pulse, Hann-windowed: the fundamental is the
 * strongest component in 150 to 1000 Hz; the others are the spectrum's
 * local maxima in 300 to 4000 Hz within 15 dB of it. */
static Spectrum
measure_spectrum (Recording   *rec,
                  const Pulse *pulse)
{
  gsize a = (gsize) ((pulse->rise90 + 0.002) * rec->rate);
  gsize b = (gsize) ((pulse->fall90 - 0.002) * rec->rate);
  gsize n = b - a;
  g_autofree double *x = g_new (double, n);
  double wsum = 0, step = 2, prev = 0, prev2 = 0;
  Spectrum s = { 0, 0, g_array_new (FALSE, FALSE, sizeof (double)) };

  g_assert_cmpuint (b, >, a + rec->rate / 50);
  for (gsize i = 0; i < n; i++)
    {
      double w = 0.5 - 0.5 * cos (2 * G_PI * i / (n - 1));

      x[i] = w * rec->samples[a + i];
      wsum += w;
    }
  for (double f = 150; f <= 1000; f += 1)
    {
      double m = amplitude (x, n, wsum, f, rec->rate);

      if (m > s.a0)
        {
          s.a0 = m;
          s.f0 = f;
        }
    }
  for (double f = s.f0 - 1; f <= s.f0 + 1; f += 0.05)
    {
      double m = amplitude (x, n, wsum, f, rec->rate);

      if (m > s.a0)
        {
          s.a0 = m;
          s.f0 = f;
        }
    }
  for (double f = 300; f <= 4000 + step; f += step)
    {
      double m = amplitude (x, n, wsum, f, rec->rate);

      /* prev is a local maximum at f - step. */
      if (prev > prev2 && prev >= m && prev >= s.a0 * pow (10, -15.0 / 20) && f - step <= 4000)
        {
          double hz = f - step, db = 20 * log10 (prev / s.a0);

          g_array_append_val (s.components, hz);
          g_array_append_val (s.components, db);
        }
      prev2 = prev;
      prev = m;
    }
  return s;
}

static void
check_spectrum (Recording   *rec,
                const Pulse *pulse,
                const char  *name)
{
  Spectrum s = measure_spectrum (rec, pulse);
  g_autoptr(GString) list = g_string_new (NULL);
  guint harmonics = 0;

  g_assert_cmpfloat (s.f0, >=, 150);
  g_assert_cmpfloat (s.f0, <=, 1000);
  for (guint i = 0; i < s.components->len; i += 2)
    {
      double hz = g_array_index (s.components, double, i);
      double db = g_array_index (s.components, double, i + 1);
      double k = round (hz / s.f0);

      g_string_append_printf (list, " %.0f Hz %.1f dB,", hz, db);
      /* The fundamental itself, or a harmonic of it (at 2 Hz steps). */
      if (k < 2)
        {
          g_assert_cmpfloat (fabs (hz - s.f0), <=, 2);
          continue;
        }
      g_assert_cmpfloat (fabs (hz - k * s.f0), <=, 2 + 0.002 * hz);
      harmonics++;
    }
  g_test_message ("%s: fundamental %.1f Hz; components within 15 dB in 300-4000 Hz:%s %u harmonics",
                  name, s.f0, list->str, harmonics);
  g_assert_cmpuint (harmonics, >=, 4);
  g_array_unref (s.components);
}

typedef struct {
  const char *name;
  guint       min_pulses, max_pulses;
  double      min_spacing, max_spacing;       /* s */
  double      min_start_to_start, max_start_to_start;
  double      min_end_to_start, max_end_to_start;
} Range;

/* The ranges of the issue and of the standard's public summaries. */
static const Range ranges[] = {
  [HG_ALARM_PRIORITY_LOW] = { "low", 1, 2, 0.125, 0.250, 15, G_MAXDOUBLE, 15, G_MAXDOUBLE },
  [HG_ALARM_PRIORITY_MEDIUM] = { "medium", 3, 3, 0.125, 0.250, 2.5, 30, 2.5, 30 },
  [HG_ALARM_PRIORITY_HIGH] = { "high", 10, 10, 0.050, 0.125, 2.5, 15, 2.5, 15 },
};

typedef struct {
  double min, max;
} Span;

static void
span_add (Span   *span,
          double  value)
{
  if (span->max == 0 && span->min == 0)
    span->min = span->max = value;
  span->min = MIN (span->min, value);
  span->max = MAX (span->max, value);
}

static void
check_range (const char *what,
             double      value,
             double      min,
             double      max)
{
  if (value < min || value > max)
    g_error ("%s: %.4f is outside %.4f to %.4f", what, value, min, max);
}

/* Pulses of one complete burst: sound and spacing. */
static void
check_burst (const Range *range,
             const Pulse *p,
             guint        n,
             Span        *spacing)
{
  double ts_sum = 0, td_sum = 0;
  guint ts_n = 0;
  double peak_min = G_MAXDOUBLE, peak_max = 0;

  g_assert_cmpuint (n, >=, range->min_pulses);
  g_assert_cmpuint (n, <=, range->max_pulses);
  for (guint k = 0; k < n; k++)
    {
      peak_min = MIN (peak_min, p[k].peak);
      peak_max = MAX (peak_max, p[k].peak);
      td_sum += p[k].fall50 - p[k].rise50;
    }
  check_range ("pulse amplitudes (dB apart)", 20 * log10 (peak_max / peak_min), 0, 10);

  for (guint k = 0; k + 1 < n; k++)
    {
      double gap50 = p[k + 1].rise50 - p[k].fall50;
      double gap10 = p[k + 1].rise10 - p[k].fall10;

      /* High: a missing pulse after the 3rd (and 8th), the pause after
       * the 5th; checked below. */
      if (n == 10 && (k == 2 || k == 4 || k == 7))
        continue;
      check_range ("spacing at 50 %", gap50, range->min_spacing, range->max_spacing);
      check_range ("spacing at 10 %", gap10, range->min_spacing, range->max_spacing);
      span_add (spacing, gap50);
      span_add (spacing, gap10);
      ts_sum += gap50;
      ts_n++;
    }
  if (n == 10)
    {
      double ts = ts_sum / ts_n, td = td_sum / n;

      for (guint k = 2; k <= 7; k += 5)
        {
          double gap = p[k + 1].rise50 - p[k].fall50;

          g_test_message ("high: spacing %u-%u %.1f ms, two spacings and a pulse %.1f ms", k + 1, k + 2,
                          gap * 1e3, (2 * ts + td) * 1e3);
          check_range ("3rd to 4th spacing - (2 spacings + pulse)", gap - (2 * ts + td), -0.005, 0.005);
        }
      g_test_message ("high: pause between the 5th and the 6th %.1f ms (50 %%), %.1f ms (10 %%)",
                      (p[5].rise50 - p[4].fall50) * 1e3, (p[5].rise10 - p[4].fall10) * 1e3);
      check_range ("pause 5th to 6th at 50 %", p[5].rise50 - p[4].fall50, 0.35, 1.3);
      check_range ("pause 5th to 6th at 10 %", p[5].rise10 - p[4].fall10, 0.35, 1.3);
    }
}

static void
check_pulse_shape (const Pulse *p,
                   Span        *td50,
                   Span        *td10,
                   Span        *rise,
                   Span        *fall)
{
  double d50 = p->fall50 - p->rise50, d10 = p->fall10 - p->rise10;
  double r = p->rise90 - p->rise10, f = p->fall10 - p->fall90;

  check_range ("pulse at 50 %", d50, 0.075, 0.200);
  check_range ("pulse at 10 %", d10, 0.075, 0.200);
  /* Rise and fall against either reading of the pulse. */
  check_range ("rise / pulse at 50 %", r / d50, 0.10, 0.20);
  check_range ("rise / pulse at 10 %", r / d10, 0.10, 0.20);
  check_range ("fall / pulse at 50 %", f / d50, 0.10, 0.20);
  check_range ("fall / pulse at 10 %", f / d10, 0.10, 0.20);
  span_add (td50, d50);
  span_add (td10, d10);
  span_add (rise, r / d50);
  span_add (rise, r / d10);
  span_add (fall, f / d50);
  span_add (fall, f / d10);
}

static void
test_pattern (gconstpointer data)
{
  HgAlarmPriority priority = GPOINTER_TO_UINT (data);
  const Range *range = &ranges[priority];
  /* Two whole bursts and the start of a third, whatever the period. */
  double seconds = 2 * hg_alarm_pattern_get (priority)->period_ms / 1000.0 + 1;
  g_autoptr(Recording) rec = render (priority, seconds, 1.0);
  g_autoptr(GArray) pulses = NULL;
  g_autoptr(GArray) bursts = g_array_new (FALSE, FALSE, sizeof (guint)); /* first pulse of each */
  Span td50 = { 0 }, td10 = { 0 }, rise = { 0 }, fall = { 0 }, spacing = { 0 }, s2s = { 0 }, e2s = { 0 };
  double duration;
  guint complete = 0;
  const Pulse *p;

  duration = (double) rec->n / rec->rate;
  g_assert_cmpfloat (fabs (duration - seconds), <, 0.02);
  /* A first pass for the fundamental, then the envelope over one period
   * of it, which has no ripple. */
  compute_envelope (rec, rec->rate / 500);
  pulses = find_pulses (rec);
  g_assert_cmpuint (pulses->len, >, 0);
  {
    Spectrum s = measure_spectrum (rec, &g_array_index (pulses, Pulse, 0));

    compute_envelope (rec, (guint) round (rec->rate / s.f0));
    g_array_unref (s.components);
  }
  g_clear_pointer (&pulses, g_array_unref);
  pulses = find_pulses (rec);
  p = (const Pulse *) pulses->data;

  for (guint k = 0; k < pulses->len; k++)
    {
      if (k == 0 || p[k].rise50 - p[k - 1].fall50 > BURST_GAP)
        g_array_append_val (bursts, k);
    }
  /* A burst is whole when the recording goes on long enough after its
   * last pulse to show that no other pulse belongs to it. */
  for (guint b = 0; b < bursts->len; b++)
    {
      guint first = g_array_index (bursts, guint, b);
      guint end = b + 1 < bursts->len ? g_array_index (bursts, guint, b + 1) : pulses->len;

      if (b + 1 == bursts->len && duration - p[end - 1].fall10 <= BURST_GAP)
        break;
      complete++;
      for (guint k = first; k < end; k++)
        check_pulse_shape (&p[k], &td50, &td10, &rise, &fall);
      check_burst (range, &p[first], end - first, &spacing);
      if (b == 0)
        check_spectrum (rec, &p[first], range->name);
      if (b + 1 < bursts->len)
        {
          double start_to_start = p[end].rise50 - p[first].rise50;
          double end_to_start = p[end].rise50 - p[end - 1].fall50;

          check_range ("bursts, start to start", start_to_start, range->min_start_to_start, range->max_start_to_start);
          check_range ("bursts, end to start", end_to_start, range->min_end_to_start, range->max_end_to_start);
          span_add (&s2s, start_to_start);
          span_add (&e2s, end_to_start);
        }
    }
  g_assert_cmpuint (complete, >=, 2);
  g_assert_cmpuint (s2s.min, >, 0);

  g_test_message ("%s: %u whole bursts of %u pulses; pulse %.1f-%.1f ms (50 %%), %.1f-%.1f ms (10 %%); "
                  "rise %.1f-%.1f %%, fall %.1f-%.1f %% of the pulse; spacing %.1f-%.1f ms; "
                  "bursts every %.3f s start to start, %.3f s end to start",
                  range->name, complete, g_array_index (bursts, guint, 1), td50.min * 1e3, td50.max * 1e3,
                  td10.min * 1e3, td10.max * 1e3, rise.min * 100, rise.max * 100, fall.min * 100, fall.max * 100,
                  spacing.min * 1e3, spacing.max * 1e3, s2s.min, e2s.min);
}

static float
peak (Recording *rec)
{
  float max = 0;

  for (gsize i = 0; i < rec->n; i++)
    max = MAX (max, fabsf (rec->samples[i]));
  return max;
}

static void
test_volume_floor (void)
{
  g_autoptr(Recording) high_low = render (HG_ALARM_PRIORITY_HIGH, 2, 0.3);
  g_autoptr(Recording) high_full = render (HG_ALARM_PRIORITY_HIGH, 2, 1.0);
  g_autoptr(Recording) medium_low = render (HG_ALARM_PRIORITY_MEDIUM, 2, 0.3);
  g_autoptr(Recording) medium_full = render (HG_ALARM_PRIORITY_MEDIUM, 2, 1.0);
  double high_ratio = peak (high_low) / peak (high_full);
  double medium_ratio = peak (medium_low) / peak (medium_full);

  g_test_message ("peaks at volume 0.3 / 1.0: high %.3f / %.3f (%.2f), medium %.3f / %.3f (%.2f); floor %.2f",
                  peak (high_low), peak (high_full), high_ratio, peak (medium_low), peak (medium_full),
                  medium_ratio, HG_ALARM_PATTERN_HIGH_VOLUME_FLOOR);
  g_assert_cmpfloat (peak (high_full), <=, 1.0);
  g_assert_cmpfloat (high_ratio, >=, HG_ALARM_PATTERN_HIGH_VOLUME_FLOOR - 0.01);
  g_assert_cmpfloat (medium_ratio, <, HG_ALARM_PATTERN_HIGH_VOLUME_FLOOR);
  g_assert_cmpfloat (fabs (medium_ratio - 0.3), <, 0.01);
  g_assert_cmpfloat (peak (medium_low), <, peak (high_low));
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/sound/wav/low", GUINT_TO_POINTER (HG_ALARM_PRIORITY_LOW), test_pattern);
  g_test_add_data_func ("/sound/wav/medium", GUINT_TO_POINTER (HG_ALARM_PRIORITY_MEDIUM), test_pattern);
  g_test_add_data_func ("/sound/wav/high", GUINT_TO_POINTER (HG_ALARM_PRIORITY_HIGH), test_pattern);
  g_test_add_func ("/sound/wav/volume-floor", test_volume_floor);

  return g_test_run ();
}
