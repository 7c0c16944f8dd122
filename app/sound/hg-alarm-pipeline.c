/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsrc.h>
#include <gst/audio/audio.h>

#include "hg-alarm-pipeline.h"
#include "hg-alarm-sound.h"

/* A live feeder that finds itself this far behind the clock (the machine
 * stalled) skips the lost time instead of playing it late. */
#define LATE_LIMIT (100 * GST_MSECOND)

struct _HgAlarmFeeder
{
  HgAlarmSequencer *sequencer;
  gboolean          live;
  gint64            end;
  guint             buffer_samples;

  /* Sample origin_sample is due at running time origin_time. */
  gboolean          anchored;
  GstClockTime      origin_time;
  gint64            origin_sample;

  /* Guards the clock wait against set_flushing() from another thread. */
  GMutex            lock;
  GstClockID        wait;
  gboolean          flushing;
};

HgAlarmFeeder *
hg_alarm_feeder_new (HgAlarmSequencer *sequencer,
                     gboolean          live,
                     gint64            end)
{
  HgAlarmFeeder *self;

  g_return_val_if_fail (sequencer != NULL, NULL);

  self = g_new0 (HgAlarmFeeder, 1);
  self->sequencer = sequencer;
  self->live = live;
  self->end = live ? G_MAXINT64 : end;
  self->buffer_samples = hg_alarm_sequencer_ms_to_samples (sequencer, HG_ALARM_SOUND_BUFFER_MS);
  /* A file starts at time 0 with the sequencer's first sample. */
  self->anchored = !live;
  self->origin_sample = hg_alarm_sequencer_get_position (sequencer);
  g_mutex_init (&self->lock);
  return self;
}

void
hg_alarm_feeder_set_flushing (HgAlarmFeeder *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);

  locker = g_mutex_locker_new (&self->lock);
  self->flushing = TRUE;
  if (self->wait != NULL)
    gst_clock_id_unschedule (self->wait);
}

void
hg_alarm_feeder_free (HgAlarmFeeder *self)
{
  if (self == NULL)
    return;
  g_assert (self->wait == NULL);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static GstClockTime
sample_time (HgAlarmFeeder *self,
             gint64         sample)
{
  guint rate = hg_alarm_sequencer_get_rate (self->sequencer);

  return self->origin_time + gst_util_uint64_scale (sample - self->origin_sample, GST_SECOND, rate);
}

/* Waits on @clock until @time; FALSE when flushing. */
static gboolean
wait_until (HgAlarmFeeder *self,
            GstClock      *clock,
            GstClockTime   time)
{
  GstClockID id;
  GstClockReturn ret;
  gboolean flushing;

  g_mutex_lock (&self->lock);
  if (self->flushing)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  id = gst_clock_new_single_shot_id (clock, time);
  self->wait = id;
  g_mutex_unlock (&self->lock);

  ret = gst_clock_id_wait (id, NULL);

  g_mutex_lock (&self->lock);
  self->wait = NULL;
  flushing = self->flushing;
  g_mutex_unlock (&self->lock);
  gst_clock_id_unref (id);
  return !flushing && ret != GST_CLOCK_UNSCHEDULED;
}

/* A live source must not run ahead of the clock: a sink that does not
 * hold buffers back (fakesink sync=false, a file) would make it spin,
 * and with an audio sink every buffer rendered early is a buffer a
 * play() comes too late for. So each buffer waits until it is due within
 * the lead. Returns FALSE when flushing; moves @start over time lost. */
static gboolean
pace (HgAlarmFeeder *self,
      GstElement    *src,
      gint64        *start,
      gboolean      *discont)
{
  g_autoptr(GstClock) clock = gst_element_get_clock (src);
  GstClockTime base = gst_element_get_base_time (src);
  GstClockTime now, due;

  /* Live sources only produce in PLAYING, which has a clock. */
  if (clock == NULL)
    return TRUE;
  now = gst_clock_get_time (clock);
  now = now > base ? now - base : 0;
  if (!self->anchored)
    {
      self->anchored = TRUE;
      self->origin_time = now;
      self->origin_sample = *start;
      *discont = TRUE;
    }

  due = sample_time (self, *start);
  if (now > due + LATE_LIMIT)
    {
      gint64 lost = gst_util_uint64_scale (now - due, hg_alarm_sequencer_get_rate (self->sequencer), GST_SECOND);

      g_debug ("Alarm sound fell %" G_GINT64_FORMAT " ms behind; skipping", (gint64) ((now - due) / GST_MSECOND));
      *start += lost;
      *discont = TRUE;
      return TRUE;
    }
  if (due > now + HG_ALARM_PIPELINE_LEAD_MS * GST_MSECOND)
    return wait_until (self, clock, base + due - HG_ALARM_PIPELINE_LEAD_MS * GST_MSECOND);
  return TRUE;
}

static void
need_data (GstAppSrc *src,
           guint      length,
           gpointer   user_data)
{
  HgAlarmFeeder *self = user_data;
  gint64 start = hg_alarm_sequencer_get_position (self->sequencer);
  gboolean discont = FALSE;
  GstBuffer *buffer;
  GstMapInfo map;
  gsize n;

  if (start >= self->end)
    {
      gst_app_src_end_of_stream (src);
      return;
    }
  if (self->live && !pace (self, GST_ELEMENT (src), &start, &discont))
    return;

  n = MIN ((gint64) self->buffer_samples, self->end - start);
  buffer = gst_buffer_new_allocate (NULL, n * sizeof (float), NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  hg_alarm_sequencer_render (self->sequencer, start, (float *) map.data, n);
  gst_buffer_unmap (buffer, &map);

  GST_BUFFER_PTS (buffer) = sample_time (self, start);
  GST_BUFFER_DURATION (buffer) = sample_time (self, start + n) - GST_BUFFER_PTS (buffer);
  GST_BUFFER_OFFSET (buffer) = start;
  GST_BUFFER_OFFSET_END (buffer) = start + n;
  if (discont)
    GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
  /* Takes the buffer; refused only while flushing or after an error,
   * which the bus reports. */
  gst_app_src_push_buffer (src, buffer);
}

/* Audio sinks buffer 200 ms or more by default: all of it would be
 * latency between play() and the sound. */
static void
configure_audio_sink (GstElement *element)
{
  if (!GST_IS_AUDIO_BASE_SINK (element))
    return;
  g_debug ("Alarm sound output %s: buffer %d ms, latency %d ms", GST_OBJECT_NAME (element),
           HG_ALARM_PIPELINE_SINK_BUFFER_US / 1000, HG_ALARM_PIPELINE_SINK_LATENCY_US / 1000);
  g_object_set (element,
                "buffer-time", (gint64) HG_ALARM_PIPELINE_SINK_BUFFER_US,
                "latency-time", (gint64) HG_ALARM_PIPELINE_SINK_LATENCY_US,
                NULL);
}

static void
on_deep_element_added (GstBin     *bin,
                       GstBin     *sub_bin,
                       GstElement *element,
                       gpointer    user_data)
{
  configure_audio_sink (element);
}

static void
configure_audio_sink_item (const GValue *item,
                           gpointer      user_data)
{
  configure_audio_sink (g_value_get_object (item));
}

static GstElement *
make_source (HgAlarmFeeder *feeder)
{
  GstAppSrcCallbacks callbacks = { .need_data = need_data };
  GstElement *src = gst_element_factory_make ("appsrc", "hg-alarm-source");
  g_autoptr(GstCaps) caps = NULL;
  GstAudioInfo info;
  guint rate = hg_alarm_sequencer_get_rate (feeder->sequencer);

  if (src == NULL)
    return NULL;
  gst_audio_info_set_format (&info, GST_AUDIO_FORMAT_F32, rate, 1, NULL);
  caps = gst_audio_info_to_caps (&info);
  g_object_set (src, "is-live", feeder->live, "format", GST_FORMAT_TIME, NULL);
  gst_app_src_set_caps (GST_APP_SRC (src), caps);
  gst_app_src_set_stream_type (GST_APP_SRC (src), GST_APP_STREAM_TYPE_STREAM);
  /* One buffer queued at most: need-data comes when it is gone, and then
   * the feeder renders the next one, as late as it can. */
  gst_app_src_set_max_bytes (GST_APP_SRC (src), feeder->buffer_samples * sizeof (float));
  /* Rendered ahead of its time, a buffer is never late at the source:
   * no latency of its own, and no limit to how long it can wait. The
   * sink's processing deadline (20 ms by default) is the slack left
   * against scheduling delays. */
  gst_app_src_set_latency (GST_APP_SRC (src), 0, GST_CLOCK_TIME_NONE);
  gst_app_src_set_callbacks (GST_APP_SRC (src), &callbacks, feeder, NULL);
  return src;
}

/* Elements come floating; owning them at once lets g_autoptr free the
 * ones a failed build never adds. */
static GstElement *
own (GstElement *element)
{
  return element != NULL ? gst_object_ref_sink (element) : NULL;
}

GstElement *
hg_alarm_pipeline_new (const char     *sink_description,
                       HgAlarmFeeder  *feeder,
                       GstElement    **sink,
                       GError        **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) out = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) convert = NULL;
  g_autoptr(GstElement) resample = NULL;
  g_autoptr(GstIterator) children = NULL;

  g_return_val_if_fail (sink_description != NULL, NULL);
  g_return_val_if_fail (feeder != NULL, NULL);
  g_return_val_if_fail (sink != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = own (gst_parse_bin_from_description_full (sink_description, TRUE, NULL, GST_PARSE_FLAG_FATAL_ERRORS, error));
  if (out == NULL)
    {
      /* TRANSLATORS: %s is the sound output, as GStreamer describes it
       * (“autoaudiosink”, “pulsesink”); GStreamer's own message follows. */
      g_prefix_error (error, _("The alarm sound output “%s” cannot be set up: "), sink_description);
      return NULL;
    }
  src = own (make_source (feeder));
  convert = own (gst_element_factory_make ("audioconvert", NULL));
  resample = own (gst_element_factory_make ("audioresample", NULL));
  if (src == NULL || convert == NULL || resample == NULL)
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
                   _("The alarm sound needs GStreamer’s appsrc, audioconvert and audioresample"));
      return NULL;
    }

  pipeline = own (gst_pipeline_new ("hg-alarm-sound"));
  /* Automatic sinks make their real sink when they start. */
  g_signal_connect (pipeline, "deep-element-added", G_CALLBACK (on_deep_element_added), NULL);
  children = gst_bin_iterate_recurse (GST_BIN (out));
  gst_iterator_foreach (children, configure_audio_sink_item, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, convert, resample, out, NULL);
  if (!gst_element_link_many (src, convert, resample, out, NULL))
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                   /* TRANSLATORS: %s is the sound output, as GStreamer
                    * describes it (“autoaudiosink”, “pulsesink”) */
                   _("The alarm sound output “%s” does not take audio"), sink_description);
      return NULL;
    }
  *sink = out;
  return g_steal_pointer (&pipeline);
}
