/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Alarm sound latency benchmark: the time from play() to the first
 * audible buffer leaving the sound pipeline.
 *
 *   hg-bench-alarm [--alarms 100] [--sink DESCRIPTION] [--seed N]
 *
 * Starts HgAlarmSound on a sink that takes buffers at the pace of the
 * clock, as a sound card does (by default "fakesink sync=true", whose
 * handoff comes when the buffer is due, so no sound card is needed), waits
 * for PLAYING, then for each alarm: play() a random priority, note when
 * the first buffer with a sample not zero is handed over, stop(NOW), wait
 * until silence comes out again and a random 50 to 300 ms more. With
 * --sink, the time is taken when the buffer enters the sink bin (its own
 * buffering comes on top). Prints p50, p99 and max; exits 1 when the
 * sound fails to start or an alarm is not heard within a second. */
#define G_LOG_DOMAIN "HealthGuard-Bench"

#include "config.h"

#include <stdlib.h>

#include <gst/audio/audio.h>
#include <gst/gst.h>

#include "hg-alarm-sound.h"
#include "hg-bench-util.h"

#define DEFAULT_SINK "fakesink sync=true"

static int opt_alarms = 100;
static char *opt_sink;
static int opt_seed = 1;

static const GOptionEntry entries[] = {
  { "alarms", 0, 0, G_OPTION_ARG_INT, &opt_alarms, "Alarms to time (default 100)", "N" },
  { "sink", 0, 0, G_OPTION_ARG_STRING, &opt_sink, "Sink description (default \"" DEFAULT_SINK "\")", "DESCRIPTION" },
  { "seed", 0, 0, G_OPTION_ARG_INT, &opt_seed, "Random seed for priorities and pauses (default 1)", "N" },
  { NULL }
};

/* Shared with the streaming thread. */
static GMutex lock;
/* When the first audible buffer came out since armed; 0 before. */
static gint64 heard_at;
static gboolean armed;
/* Buffers wholly silent seen since the count was reset. */
static guint silent_buffers;

static gboolean
buffer_audible (GstBuffer *buffer,
                GstPad    *pad)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstAudioInfo info;
  GstMapInfo map;
  gboolean audible = FALSE;

  if (caps == NULL || !gst_audio_info_from_caps (&info, caps))
    return FALSE;
  gst_buffer_map (buffer, &map, GST_MAP_READ);
  if (GST_AUDIO_INFO_FORMAT (&info) == GST_AUDIO_FORMAT_F32)
    for (gsize i = 0; i < map.size / sizeof (float) && !audible; i++)
      audible = ((const float *) map.data)[i] != 0;
  else if (GST_AUDIO_INFO_FORMAT (&info) == GST_AUDIO_FORMAT_S16)
    for (gsize i = 0; i < map.size / sizeof (gint16) && !audible; i++)
      audible = ((const gint16 *) map.data)[i] != 0;
  else
    g_error ("hg-bench-alarm: cannot read %s samples", GST_AUDIO_INFO_NAME (&info));
  gst_buffer_unmap (buffer, &map);
  return audible;
}

static void
note_buffer (GstBuffer *buffer,
             GstPad    *pad)
{
  gint64 now = g_get_monotonic_time ();
  gboolean audible = buffer_audible (buffer, pad);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  if (!audible)
    silent_buffers++;
  else if (armed && heard_at == 0)
    heard_at = now;
}

static void
on_handoff (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    user_data)
{
  note_buffer (buffer, pad);
}

static GstPadProbeReturn
on_probe (GstPad          *pad,
          GstPadProbeInfo *info,
          gpointer         user_data)
{
  note_buffer (GST_PAD_PROBE_INFO_BUFFER (info), pad);
  return GST_PAD_PROBE_OK;
}

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  /* hg_alarm_sound_get_playing() and _get_error() say the rest. */
  hg_alarm_sound_start_finish (HG_ALARM_SOUND (object), result, error);
}

/* Runs the main context (the sound's bus) until @done or @ms pass. */
static gboolean
iterate_until (gboolean (*done) (gpointer),
               gpointer   data,
               guint      ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () >= end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
    }
  return TRUE;
}

static gboolean
is_heard (gpointer data)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  return heard_at != 0;
}

static gboolean
is_silent (gpointer data)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  return silent_buffers > 0;
}

/* Forgets the silent buffers seen so far; arms (or disarms) the timing
 * of the next audible buffer. */
static void
reset (gboolean arm)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  silent_buffers = 0;
  heard_at = 0;
  armed = arm;
}

static gint64
get_heard_at (void)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  return heard_at;
}

static gboolean
is_started (gpointer data)
{
  HgAlarmSound *sound = data;

  return hg_alarm_sound_get_playing (sound) || hg_alarm_sound_get_failed (sound);
}

static gboolean
is_never (gpointer data)
{
  return FALSE;
}

static void
watch_sink (HgAlarmSound *sound)
{
  GstElement *bin = hg_alarm_sound_get_sink (sound);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (bin, "sink");
  g_autoptr(GstElement) fake = NULL;

  if (opt_sink == NULL)
    fake = gst_bin_get_by_name (GST_BIN (bin), "hg-bench-sink");
  if (fake != NULL)
    {
      g_object_set (fake, "signal-handoffs", TRUE, NULL);
      g_signal_connect (fake, "handoff", G_CALLBACK (on_handoff), NULL);
    }
  else
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_probe, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- time from play() to the first audible buffer");
  g_autoptr(GError) error = NULL;
  g_autoptr(HgAlarmSound) sound = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = NULL;
  g_autofree char *description = NULL;
  const char *names[] = { "low", "medium", "high" };
  guint counts[3] = { 0 };
  double total = 0;

  gst_init (&argc, &argv);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_alarms < 1)
    {
      g_printerr ("%s\n", error ? error->message : "usage: hg-bench-alarm [--alarms N] [--sink DESCRIPTION]");
      return 2;
    }
  rand = g_rand_new_with_seed (opt_seed);
  description = opt_sink != NULL ? g_strdup (opt_sink) : g_strdup (DEFAULT_SINK " name=hg-bench-sink");

  sound = hg_alarm_sound_new (description);
  hg_alarm_sound_start_async (sound, NULL, on_started, &error);
  iterate_until (is_started, sound, HG_ALARM_SOUND_START_TIMEOUT_MS + 1000);
  if (!hg_alarm_sound_get_playing (sound))
    {
      g_printerr ("hg-bench-alarm: %s does not start: %s\n", description,
                  hg_alarm_sound_get_error (sound) ? hg_alarm_sound_get_error (sound)->message : "no answer");
      return 1;
    }
  watch_sink (sound);
  /* Let the output settle into its pace before timing anything. */
  iterate_until (is_never, NULL, 200);

  for (int i = 0; i < opt_alarms; i++)
    {
      HgAlarmPriority priority = g_rand_int_range (rand, HG_ALARM_PRIORITY_LOW, HG_ALARM_PRIORITY_HIGH + 1);
      gint64 start;
      double ms;

      /* Silence is coming out: the next audible buffer is this alarm's. */
      reset (FALSE);
      if (!iterate_until (is_silent, NULL, 1000))
        {
          g_printerr ("hg-bench-alarm: the output does not fall silent\n");
          return 1;
        }
      /* Alarms come at any moment, not just after a buffer went out. */
      g_usleep (g_rand_int_range (rand, 0, HG_ALARM_SOUND_BUFFER_MS * 1000));
      reset (TRUE);
      start = g_get_monotonic_time ();
      hg_alarm_speaker_play (HG_ALARM_SPEAKER (sound), priority);
      if (!iterate_until (is_heard, NULL, 1000) || hg_alarm_sound_get_failed (sound))
        {
          g_printerr ("hg-bench-alarm: alarm %d (%s) not heard within a second\n", i + 1, names[priority]);
          return 1;
        }
      ms = (get_heard_at () - start) / 1e3;
      g_array_append_val (times, ms);
      total += ms;
      counts[priority]++;
      hg_alarm_speaker_stop (HG_ALARM_SPEAKER (sound), HG_ALARM_STOP_NOW);
      iterate_until (is_never, NULL, g_rand_int_range (rand, 50, 301));
    }

  g_array_sort (times, hg_bench_compare_doubles);
  g_print ("%s: %d alarms (%u low, %u medium, %u high), play() to first audible buffer out: "
           "mean %.1f ms, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
           description, opt_alarms, counts[0], counts[1], counts[2], total / times->len,
           hg_bench_percentile (times, 0.5), hg_bench_percentile (times, 0.99), hg_bench_percentile (times, 1));
  g_clear_object (&sound);
  return 0;
}
