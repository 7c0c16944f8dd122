/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The alarm sound's states on a fake clock: the sequencer's sample index
 * is the time, so each test asks for play() and stop() at chosen samples
 * and reads what was rendered. Then HgAlarmSound itself, on outputs that
 * work without a sound card (fakesink) and on outputs that fail. */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "hg-alarm-sequencer.h"
#include "hg-alarm-sound.h"

#define RATE 48000
#define MS(ms) ((gint64) (ms) * RATE / 1000)
/* Silence this long or longer separates two pulses (inside a pulse only
 * its first sample is exactly 0). */
#define PULSE_GAP MS (1)

typedef struct {
  gint64          start;
  gint64          end;
  /* The pattern the sequencer was sounding when the pulse began. */
  HgAlarmPriority priority;
} Pulse;

/* What a stretch of rendering produced. */
typedef struct {
  gint64           start;
  GArray          *samples;    /* float */
  GArray          *priorities; /* int per 10 ms chunk, -1 for none */
} Take;

static void
take_free (Take *take)
{
  g_array_unref (take->samples);
  g_array_unref (take->priorities);
  g_free (take);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Take, take_free)

/* Renders @ms from the sequencer's position in 10 ms chunks, as the
 * pipeline does, noting the active priority after each chunk. */
static Take *
render (HgAlarmSequencer *seq,
        guint             ms)
{
  Take *take = g_new0 (Take, 1);
  gint64 n = MS (ms), chunk = MS (10);

  take->start = hg_alarm_sequencer_get_position (seq);
  take->samples = g_array_sized_new (FALSE, TRUE, sizeof (float), n);
  take->priorities = g_array_new (FALSE, FALSE, sizeof (int));
  g_array_set_size (take->samples, n);
  for (gint64 i = 0; i < n; i += chunk)
    {
      HgAlarmPriority priority;
      int active;

      hg_alarm_sequencer_render (seq, take->start + i, &g_array_index (take->samples, float, i), MIN (chunk, n - i));
      active = hg_alarm_sequencer_get_active (seq, &priority, NULL) ? (int) priority : -1;
      g_array_append_val (take->priorities, active);
    }
  return take;
}

static float
sample (Take   *take,
        gint64  i)
{
  return g_array_index (take->samples, float, i);
}

static GArray *
pulses (Take *take)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (Pulse));
  gint64 n = take->samples->len, last = -PULSE_GAP - 1;

  for (gint64 i = 0; i < n; i++)
    {
      if (sample (take, i) == 0)
        continue;
      if (i - last > PULSE_GAP)
        {
          Pulse pulse = { take->start + i, take->start + i + 1, 0 };
          int priority = g_array_index (take->priorities, int, i / MS (10));

          g_assert_cmpint (priority, >=, 0);
          pulse.priority = priority;
          g_array_append_val (found, pulse);
        }
      last = i;
      g_array_index (found, Pulse, found->len - 1).end = take->start + i + 1;
    }
  return found;
}

static gint64
last_sound (Take *take)
{
  for (gint64 i = take->samples->len - 1; i >= 0; i--)
    {
      if (sample (take, i) != 0)
        return take->start + i;
    }
  return -1;
}

static float
peak (Take *take)
{
  float max = 0;

  for (guint i = 0; i < take->samples->len; i++)
    max = MAX (max, ABS (sample (take, i)));
  return max;
}

static void
test_stop_now (void)
{
  for (HgAlarmPriority p = HG_ALARM_PRIORITY_LOW; p <= HG_ALARM_PRIORITY_HIGH; p++)
    {
      g_autoptr(HgAlarmSequencer) seq = hg_alarm_sequencer_new (RATE);
      g_autoptr(Take) before = NULL;
      g_autoptr(Take) after = NULL;
      gint64 stop_at;

      hg_alarm_sequencer_play (seq, p, 0);
      before = render (seq, 100);
      /* 100 ms into the first pulse: sounding. */
      g_assert_cmpfloat (ABS (sample (before, before->samples->len - 1)), >, 0.01);
      stop_at = hg_alarm_sequencer_get_position (seq);
      hg_alarm_sequencer_stop (seq, HG_ALARM_STOP_NOW, stop_at);
      after = render (seq, 20000);

      g_assert_cmpint (last_sound (after), <, stop_at + MS (20));
      g_assert_cmpint (last_sound (after), >=, stop_at);
      g_test_message ("%s: quiet %.1f ms after stop(NOW)", hg_alarm_priority_to_string (p),
                      (last_sound (after) + 1 - stop_at) * 1000.0 / RATE);
      g_assert_false (hg_alarm_sequencer_get_active (seq, NULL, NULL));
    }
}

/* A request at a sample inside a render call takes effect at that sample. */
static void
test_stop_now_scheduled (void)
{
  g_autoptr(HgAlarmSequencer) seq = hg_alarm_sequencer_new (RATE);
  g_autoptr(Take) take = NULL;

  hg_alarm_sequencer_play (seq, HG_ALARM_PRIORITY_HIGH, MS (500));
  hg_alarm_sequencer_stop (seq, HG_ALARM_STOP_NOW, MS (567));
  take = render (seq, 3000);
  g_assert_cmpfloat (sample (take, MS (500)), ==, 0);
  g_assert_cmpfloat (ABS (sample (take, MS (560))), >, 0.01);
  g_assert_cmpint (last_sound (take), >=, MS (567));
  g_assert_cmpint (last_sound (take), <, MS (567 + 20));
  /* Before it, nothing. */
  for (gint64 i = 0; i <= MS (500); i++)
    g_assert_cmpfloat (sample (take, i), ==, 0);
}

static void
test_after_burst_medium (void)
{
  g_autoptr(HgAlarmSequencer) seq = hg_alarm_sequencer_new (RATE);
  g_autoptr(Take) take = NULL;
  g_autoptr(GArray) found = NULL;

  hg_alarm_sequencer_play (seq, HG_ALARM_PRIORITY_MEDIUM, 0);
  hg_alarm_sequencer_stop (seq, HG_ALARM_STOP_AFTER_BURST, MS (50));
  take = render (seq, 40000);
  found = pulses (take);
  g_assert_cmpuint (found->len, ==, 3);
  g_assert_cmpint (last_sound (take), ==, g_array_index (found, Pulse, 2).end - 1);
  g_assert_false (hg_alarm_sequencer_get_active (seq, NULL, NULL));
}

/* A high burst stopped after it: half of it at least. */
static void
test_after_burst_high (void)
{
  /* In the first half, in the pause between the halves, in the second. */
  const struct { guint stop_ms; guint min_pulses; } cases[] = {
    { 10, 5 }, { 300, 5 }, { 1700, 5 }, { 2300, 10 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(HgAlarmSequencer) seq = hg_alarm_sequencer_new (RATE);
      g_autoptr(Take) take = NULL;
      g_autoptr(GArray) found = NULL;

      hg_alarm_sequencer_play (seq, HG_ALARM_PRIORITY_HIGH, 0);
      hg_alarm_sequencer_stop (seq, HG_ALARM_STOP_AFTER_BURST, MS (cases[c].stop_ms));
      take = render (seq, 30000);
      found = pulses (take);
      g_test_message ("stop(AFTER_BURST) at %u ms: %u pulses", cases[c].stop_ms, found->len);
      g_assert_cmpuint (found->len, >=, cases[c].min_pulses);
      g_assert_cmpuint (found->len, <=, 10);
      /* Whole pulses only: the last one is as long as the first. */
      g_assert_cmpint (g_array_index (found, Pulse, found->len - 1).end - g_array_index (found, Pulse, found->len - 1).start,
                       ==, g_array_index (found, Pulse, 0).end - g_array_index (found, Pulse, 0).start);
      g_assert_false (hg_alarm_sequencer_get_active (seq, NULL, NULL));
    }
}

/* play(HIGH) during a medium burst: the medium burst completes, then the
 * high pattern follows, and repeats. */
static void
test_preempt (void)
{
  g_autoptr(HgAlarmSequencer) seq = hg_alarm_sequencer_new (RATE);
  g_autoptr(Take) take = NULL;
  g_autoptr(GArray) found = NULL;
  guint medium = 0, high_first_burst = 0;
  gint64 high_start = -1;

  hg_alarm_sequencer_play (seq, HG_ALARM_PRIORITY_MEDIUM, 0);
  hg_alarm_sequencer_play (seq, HG_ALARM_PRIORITY_HIGH, MS (100));
  take = render (seq, 20000);
  found = pulses (take);
  for (guint i = 0; i < found->len; i++)
    {
      const Pulse *pulse = &g_array_index (found, Pulse, i);

      if (pulse->priority == HG_ALARM_PRIORITY_MEDIUM)
        {
          /* No medium pulse after the first high one. */
          g_assert_cmpint (high_start, <, 0);
          medium++;
        }
      else
        {
          g_assert_cmpint (pulse->priority, ==, HG_ALARM_PRIORITY_HIGH);
          if (high_start < 0)
            high_start = pulse->start;
          /* The first high burst: pulses less than 2 s apart. */
          if (high_first_burst == i - medium &&
              (i == medium || pulse->start - g_array_index (found, Pulse, i - 1).end < MS (2000)))
            high_first_burst++;
        }
    }
  g_test_message ("medium pulses %u, then high from %.3f s, %u in its first burst, %u pulses in all",
                  medium, (double) high_start / RATE, high_first_burst, found->len);
  g_assert_cmpuint (medium, ==, 3);
  g_assert_cmpuint (high_first_burst, ==, 10);
  g_assert_cmpuint (found->len, >, 3 + 10);
}

/* play() of the priority already sounding changes nothing: same rhythm. */
static void
test_play_again (void)
{
  g_autoptr(HgAlarmSequencer) once = hg_alarm_sequencer_new (RATE);
  g_autoptr(HgAlarmSequencer) twice = hg_alarm_sequencer_new (RATE);
  g_autoptr(Take) a = NULL;
  g_autoptr(Take) b = NULL;

  hg_alarm_sequencer_play (once, HG_ALARM_PRIORITY_HIGH, 0);
  hg_alarm_sequencer_play (twice, HG_ALARM_PRIORITY_HIGH, 0);
  hg_alarm_sequencer_play (twice, HG_ALARM_PRIORITY_HIGH, MS (300));
  hg_alarm_sequencer_play (twice, HG_ALARM_PRIORITY_HIGH, MS (5000));
  a = render (once, 16000);
  b = render (twice, 16000);
  g_assert_cmpmem (a->samples->data, a->samples->len * sizeof (float), b->samples->data, b->samples->len * sizeof (float));
}

/* From silence, the first buffer after play() already sounds. */
static void
test_play_from_silence (void)
{
  for (HgAlarmPriority p = HG_ALARM_PRIORITY_LOW; p <= HG_ALARM_PRIORITY_HIGH; p++)
    {
      g_autoptr(HgAlarmSequencer) seq = hg_alarm_sequencer_new (RATE);
      g_autoptr(Take) silence = render (seq, 1000);
      float buffer[MS (10)];
      guint audible = 0;

      g_assert_cmpint (last_sound (silence), ==, -1);
      hg_alarm_sequencer_play (seq, p, hg_alarm_sequencer_get_position (seq));
      g_assert_true (hg_alarm_sequencer_render (seq, hg_alarm_sequencer_get_position (seq), buffer, G_N_ELEMENTS (buffer)));
      for (guint i = 0; i < G_N_ELEMENTS (buffer); i++)
        audible += buffer[i] != 0;
      /* All but the pulse's first sample, where the rise starts from 0. */
      g_assert_cmpuint (audible, ==, G_N_ELEMENTS (buffer) - 1);
    }
}

/* The preference scales the sound; high priority never goes under the
 * floor. */
static void
test_volume (void)
{
  float peaks[HG_ALARM_PRIORITY_HIGH + 1][3];
  const double volumes[] = { 0.3, 0.6, 1.0 };

  for (HgAlarmPriority p = HG_ALARM_PRIORITY_LOW; p <= HG_ALARM_PRIORITY_HIGH; p++)
    for (guint v = 0; v < G_N_ELEMENTS (volumes); v++)
      {
        g_autoptr(HgAlarmSequencer) seq = hg_alarm_sequencer_new (RATE);
        g_autoptr(Take) take = NULL;

        hg_alarm_sequencer_set_volume (seq, volumes[v]);
        hg_alarm_sequencer_play (seq, p, 0);
        take = render (seq, 1000);
        peaks[p][v] = peak (take);
      }
  g_assert_cmpfloat (peaks[HG_ALARM_PRIORITY_HIGH][2], <=, 1.0);
  g_assert_cmpfloat (peaks[HG_ALARM_PRIORITY_HIGH][2], >, 0.5);
  g_assert_cmpfloat_with_epsilon (peaks[HG_ALARM_PRIORITY_HIGH][0], peaks[HG_ALARM_PRIORITY_HIGH][1], 1e-6);
  g_assert_cmpfloat (peaks[HG_ALARM_PRIORITY_HIGH][0] / peaks[HG_ALARM_PRIORITY_HIGH][2], >=, 0.6 - 1e-3);
  g_assert_cmpfloat_with_epsilon (peaks[HG_ALARM_PRIORITY_MEDIUM][0] / peaks[HG_ALARM_PRIORITY_MEDIUM][2], 0.3, 1e-3);
  g_assert_cmpfloat_with_epsilon (peaks[HG_ALARM_PRIORITY_LOW][1] / peaks[HG_ALARM_PRIORITY_LOW][2], 0.6, 1e-3);
}

/* The sound test: 2 + 3 + 10 pulses, low to high, then silence; refused
 * while an alarm sounds; ended by a real alarm. */
static void
test_sound_test (void)
{
  g_autoptr(HgAlarmSequencer) seq = hg_alarm_sequencer_new (RATE);
  g_autoptr(Take) take = NULL;
  g_autoptr(Take) quiet = NULL;
  g_autoptr(GArray) found = NULL;
  guint count[HG_ALARM_PRIORITY_HIGH + 1] = { 0 };
  gboolean testing = FALSE;

  g_assert_true (hg_alarm_sequencer_play_test (seq, 0));
  take = render (seq, 10000);
  g_assert_false (hg_alarm_sequencer_get_active (seq, NULL, NULL));
  found = pulses (take);
  for (guint i = 0; i < found->len; i++)
    {
      const Pulse *pulse = &g_array_index (found, Pulse, i);

      count[pulse->priority]++;
      if (i > 0)
        g_assert_cmpint (pulse->priority, >=, g_array_index (found, Pulse, i - 1).priority);
    }
  g_assert_cmpuint (count[HG_ALARM_PRIORITY_LOW], ==, 2);
  g_assert_cmpuint (count[HG_ALARM_PRIORITY_MEDIUM], ==, 3);
  g_assert_cmpuint (count[HG_ALARM_PRIORITY_HIGH], ==, 10);
  quiet = render (seq, 30000);
  g_assert_cmpint (last_sound (quiet), ==, -1);
  g_assert_false (hg_alarm_sequencer_get_active (seq, NULL, NULL));

  /* Refused during an alarm, and when one is asked for. */
  hg_alarm_sequencer_play (seq, HG_ALARM_PRIORITY_LOW, hg_alarm_sequencer_get_position (seq));
  g_assert_false (hg_alarm_sequencer_play_test (seq, hg_alarm_sequencer_get_position (seq)));
  g_clear_pointer (&take, take_free);
  take = render (seq, 2000);
  g_assert_false (hg_alarm_sequencer_play_test (seq, hg_alarm_sequencer_get_position (seq)));
  hg_alarm_sequencer_stop (seq, HG_ALARM_STOP_NOW, hg_alarm_sequencer_get_position (seq));
  g_assert_true (hg_alarm_sequencer_play_test (seq, hg_alarm_sequencer_get_position (seq)));

  /* A real alarm during the test takes over after the current burst. */
  g_clear_pointer (&take, take_free);
  take = render (seq, 100);
  g_assert_true (hg_alarm_sequencer_get_active (seq, NULL, &testing));
  g_assert_true (testing);
  hg_alarm_sequencer_play (seq, HG_ALARM_PRIORITY_MEDIUM, hg_alarm_sequencer_get_position (seq));
  g_clear_pointer (&take, take_free);
  g_clear_pointer (&found, g_array_unref);
  take = render (seq, 5000);
  found = pulses (take);
  g_assert_false (hg_alarm_sequencer_play_test (seq, hg_alarm_sequencer_get_position (seq)));
  memset (count, 0, sizeof count);
  for (guint i = 0; i < found->len; i++)
    count[g_array_index (found, Pulse, i).priority]++;
  /* The rest of the test's low burst (the end of its 1st pulse, then
   * its 2nd), then medium only. */
  g_assert_cmpuint (count[HG_ALARM_PRIORITY_LOW], ==, 2);
  g_assert_cmpuint (count[HG_ALARM_PRIORITY_MEDIUM], ==, 3);
  g_assert_cmpuint (count[HG_ALARM_PRIORITY_HIGH], ==, 0);
}

/* HgAlarmSound ------------------------------------------------------------ */

typedef struct {
  GMainLoop *loop;
  gboolean   done;
  gboolean   ok;
  GError    *error;
  guint      failures;
  GError    *failure;
} StartWait;

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  StartWait *wait = user_data;

  wait->ok = hg_alarm_sound_start_finish (HG_ALARM_SOUND (object), result, &wait->error);
  wait->done = TRUE;
}

static void
on_failed (HgAlarmSound *sound,
           const GError *error,
           gpointer      user_data)
{
  StartWait *wait = user_data;

  wait->failures++;
  g_clear_error (&wait->failure);
  wait->failure = g_error_copy (error);
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until @flag or @ms pass. */
static void
iterate_until (gboolean *flag,
               guint     ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (ms, on_timeout, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
}

static void
on_notify_true (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  *(gboolean *) user_data = TRUE;
}

static HgAlarmSound *
start (const char *description,
       StartWait  *wait)
{
  HgAlarmSound *sound = hg_alarm_sound_new (description);

  g_signal_connect (sound, "failed", G_CALLBACK (on_failed), wait);
  hg_alarm_sound_start_async (sound, NULL, on_started, wait);
  iterate_until (&wait->done, HG_ALARM_SOUND_START_TIMEOUT_MS + 2000);
  g_assert_true (wait->done);
  return sound;
}

static void
start_wait_clear (StartWait *wait)
{
  g_clear_error (&wait->error);
  g_clear_error (&wait->failure);
}

typedef struct {
  gint  audible;
  gint  silent_after;
  gint  buffers;
} Heard;

static void
on_handoff (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    user_data)
{
  Heard *heard = user_data;
  GstMapInfo map;
  gboolean audible = FALSE;

  gst_buffer_map (buffer, &map, GST_MAP_READ);
  for (gsize i = 0; i < map.size / sizeof (float); i++)
    audible |= ((const float *) map.data)[i] != 0;
  gst_buffer_unmap (buffer, &map);
  g_atomic_int_inc (&heard->buffers);
  if (audible)
    g_atomic_int_inc (&heard->audible);
  else if (g_atomic_int_get (&heard->audible) > 0)
    g_atomic_int_inc (&heard->silent_after);
}

static gboolean
poll_atomic (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Waits (running the main context) until *@counter reaches @value. */
static gboolean
wait_count (gint *counter,
            gint  value,
            guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint id = g_timeout_add (5, poll_atomic, NULL);

  while (g_atomic_int_get (counter) < value && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return g_atomic_int_get (counter) >= value;
}

static void
test_sound_fakesink (void)
{
  StartWait wait = { 0 };
  Heard heard = { 0 };
  g_autoptr(HgAlarmSound) sound = start ("fakesink sync=false signal-handoffs=true name=out", &wait);
  g_autoptr(GstElement) out = NULL;
  gint silent;
  gint64 t0;

  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_true (hg_alarm_sound_get_playing (sound));
  g_assert_false (hg_alarm_sound_get_failed (sound));
  g_assert_cmpuint (wait.failures, ==, 0);

  out = gst_bin_get_by_name (GST_BIN (hg_alarm_sound_get_sink (sound)), "out");
  g_signal_connect (out, "handoff", G_CALLBACK (on_handoff), &heard);
  /* Silence until asked, at real-time pace even without a clocked sink:
   * 20 buffers of 10 ms take about 200 ms. */
  t0 = g_get_monotonic_time ();
  g_assert_true (wait_count (&heard.buffers, 20, 2000));
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 150000);
  g_assert_cmpint (g_atomic_int_get (&heard.audible), ==, 0);

  hg_alarm_speaker_play (HG_ALARM_SPEAKER (sound), HG_ALARM_PRIORITY_HIGH);
  g_assert_true (wait_count (&heard.audible, 1, 1000));
  hg_alarm_speaker_stop (HG_ALARM_SPEAKER (sound), HG_ALARM_STOP_NOW);
  g_assert_true (wait_count (&heard.silent_after, 10, 1000));
  silent = g_atomic_int_get (&heard.silent_after);
  /* Stays quiet. */
  g_assert_true (wait_count (&heard.silent_after, silent + 20, 2000));

  g_assert_true (hg_alarm_sound_test_patterns (sound));
  hg_alarm_speaker_play (HG_ALARM_SPEAKER (sound), HG_ALARM_PRIORITY_LOW);
  g_assert_false (hg_alarm_sound_test_patterns (sound));

  hg_alarm_sound_set_volume (sound, 0.1);
  g_assert_cmpfloat (hg_alarm_sound_get_volume (sound), ==, 0.3);

  g_clear_object (&out);
  start_wait_clear (&wait);
  g_assert_finalize_object (g_steal_pointer (&sound));
}

static void
test_sound_no_such_element (void)
{
  StartWait wait = { 0 };
  g_autoptr(HgAlarmSound) sound = start ("hg-no-such-sink", &wait);

  g_assert_false (wait.ok);
  g_assert_error (wait.error, GST_PARSE_ERROR, GST_PARSE_ERROR_NO_SUCH_ELEMENT);
  g_assert_cmpuint (wait.failures, ==, 1);
  g_assert_true (hg_alarm_sound_get_failed (sound));
  g_assert_false (hg_alarm_sound_get_playing (sound));
  g_test_message ("%s", wait.error->message);
  start_wait_clear (&wait);
  g_assert_finalize_object (g_steal_pointer (&sound));
}

/* An output that cannot open: the state change fails. */
static void
test_sound_cannot_open (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hg-sound-XXXXXX", NULL);
  g_autofree char *description = g_strdup_printf ("filesink location=%s/missing/out.raw", dir);
  StartWait wait = { 0 };
  g_autoptr(HgAlarmSound) sound = start (description, &wait);

  g_assert_false (wait.ok);
  g_assert_error (wait.error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_WRITE);
  g_assert_cmpuint (wait.failures, ==, 1);
  g_assert_true (hg_alarm_sound_get_failed (sound));
  g_assert_error ((GError *) hg_alarm_sound_get_error (sound), GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_WRITE);
  g_test_message ("%s", wait.error->message);
  start_wait_clear (&wait);
  g_assert_finalize_object (g_steal_pointer (&sound));
  g_rmdir (dir);
}

/* An output that starts, then fails (a full disk): ::failed. */
static void
test_sound_fails_later (void)
{
  StartWait wait = { 0 };
  g_autoptr(HgAlarmSound) sound = start ("filesink location=/dev/full", &wait);
  gboolean failed = FALSE;

  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_true (hg_alarm_sound_get_playing (sound));
  g_assert_cmpuint (wait.failures, ==, 0);

  g_signal_connect (sound, "notify::failed", G_CALLBACK (on_notify_true), &failed);
  iterate_until (&failed, 5000);
  g_assert_true (failed);
  g_assert_cmpuint (wait.failures, ==, 1);
  g_assert_error (wait.failure, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NO_SPACE_LEFT);
  g_assert_true (hg_alarm_sound_get_failed (sound));
  g_assert_false (hg_alarm_sound_get_playing (sound));
  g_test_message ("%s", wait.failure->message);
  start_wait_clear (&wait);

  /* Starting again is the retry. */
  wait.done = FALSE;
  hg_alarm_sound_start_async (sound, NULL, on_started, &wait);
  iterate_until (&wait.done, HG_ALARM_SOUND_START_TIMEOUT_MS + 2000);
  g_assert_true (wait.ok);
  g_assert_false (hg_alarm_sound_get_failed (sound));
  start_wait_clear (&wait);
  g_assert_finalize_object (g_steal_pointer (&sound));
}

/* A main loop busy for longer than the time limit (the app building its
 * window on a slow machine) while the output starts: the pipeline played
 * all along, and the start must say so, not that it timed out. */
static void
test_sound_busy_loop (void)
{
  StartWait wait = { 0 };
  g_autoptr(HgAlarmSound) sound = hg_alarm_sound_new ("fakesink sync=true");

  g_signal_connect (sound, "failed", G_CALLBACK (on_failed), &wait);
  hg_alarm_sound_start_async (sound, NULL, on_started, &wait);
  g_usleep ((HG_ALARM_SOUND_START_TIMEOUT_MS + 1000) * 1000);
  iterate_until (&wait.done, HG_ALARM_SOUND_START_TIMEOUT_MS + 2000);
  g_assert_true (wait.done);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_true (hg_alarm_sound_get_playing (sound));
  g_assert_false (hg_alarm_sound_get_failed (sound));
  g_assert_cmpuint (wait.failures, ==, 0);
  start_wait_clear (&wait);
  g_assert_finalize_object (g_steal_pointer (&sound));
}

/* The caller's sink, else HG_ALARM_SINK, else the default. */
static void
test_sound_sink_choice (void)
{
  g_autoptr(HgAlarmSound) given = hg_alarm_sound_new ("fakesink");
  g_autoptr(HgAlarmSound) from_env = NULL;
  g_autoptr(HgAlarmSound) fallback = NULL;

  g_assert_cmpstr (hg_alarm_sound_get_sink_description (given), ==, "fakesink");
  g_setenv ("HG_ALARM_SINK", "fakesink sync=true", TRUE);
  from_env = hg_alarm_sound_new (NULL);
  g_assert_cmpstr (hg_alarm_sound_get_sink_description (from_env), ==, "fakesink sync=true");
  g_unsetenv ("HG_ALARM_SINK");
  fallback = hg_alarm_sound_new (NULL);
  g_assert_cmpstr (hg_alarm_sound_get_sink_description (fallback), ==, HG_ALARM_SOUND_DEFAULT_SINK);
  /* Nothing is built before a start. */
  g_assert_null (hg_alarm_sound_get_sink (fallback));
  g_assert_false (hg_alarm_sound_get_playing (fallback));
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sound/sequencer/stop-now", test_stop_now);
  g_test_add_func ("/sound/sequencer/stop-now-scheduled", test_stop_now_scheduled);
  g_test_add_func ("/sound/sequencer/after-burst-medium", test_after_burst_medium);
  g_test_add_func ("/sound/sequencer/after-burst-high", test_after_burst_high);
  g_test_add_func ("/sound/sequencer/preempt", test_preempt);
  g_test_add_func ("/sound/sequencer/play-again", test_play_again);
  g_test_add_func ("/sound/sequencer/play-from-silence", test_play_from_silence);
  g_test_add_func ("/sound/sequencer/volume", test_volume);
  g_test_add_func ("/sound/sequencer/sound-test", test_sound_test);
  g_test_add_func ("/sound/sound/sink-choice", test_sound_sink_choice);
  g_test_add_func ("/sound/sound/fakesink", test_sound_fakesink);
  g_test_add_func ("/sound/sound/no-such-element", test_sound_no_such_element);
  g_test_add_func ("/sound/sound/cannot-open", test_sound_cannot_open);
  g_test_add_func ("/sound/sound/fails-later", test_sound_fails_later);
  g_test_add_func ("/sound/sound/busy-loop", test_sound_busy_loop);

  return g_test_run ();
}
