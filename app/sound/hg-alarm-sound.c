/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hg-alarm-pipeline.h"
#include "hg-alarm-sound.h"

struct _HgAlarmSound
{
  GObject           parent_instance;

  char             *sink_description;
  HgAlarmSequencer *sequencer;

  /* The running pipeline, and what feeds it. */
  GstElement       *pipeline;
  GstElement       *sink;
  HgAlarmFeeder    *feeder;
  guint             bus_watch;

  /* A start waiting for PLAYING, with its time limit. */
  GTask            *start_task;
  GSource          *start_timeout;
  GSource          *start_cancelled;

  gboolean          playing;
  GError           *error;
};

static void hg_alarm_sound_speaker_init (HgAlarmSpeakerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HgAlarmSound, hg_alarm_sound, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HG_TYPE_ALARM_SPEAKER, hg_alarm_sound_speaker_init))

enum {
  PROP_0,
  PROP_SINK_DESCRIPTION,
  PROP_VOLUME,
  PROP_PLAYING,
  PROP_FAILED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_playing (HgAlarmSound *self,
             gboolean      playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Ends a start waiting for PLAYING: with @error (taken) or success. */
static void
finish_start (HgAlarmSound *self,
              GError       *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  clear_source (&self->start_timeout);
  clear_source (&self->start_cancelled);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The output failed: once per start, keep the error, say so, and end a
 * start still waiting. @error is taken. */
static void
report_failure (HgAlarmSound *self,
                GError       *error)
{
  if (self->error != NULL)
    {
      g_debug ("Alarm sound output, again: %s", error->message);
      g_error_free (error);
      return;
    }
  g_message ("Alarm sound output failed: %s", error->message);
  self->error = g_error_copy (error);
  set_playing (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
  finish_start (self, error);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, self->error);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  HgAlarmSound *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        GError *error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_debug ("Alarm sound error from %s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), debug);
        report_failure (self, error);
      }
      break;

    case GST_MESSAGE_WARNING:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_warning (message, &error, NULL);
        g_message ("Alarm sound output: %s", error->message);
      }
      break;

    case GST_MESSAGE_EOS:
      /* The live source never ends: the output stopped on its own. */
      report_failure (self, g_error_new (GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED,
                                         _("The alarm sound output stopped")));
      break;

    case GST_MESSAGE_STATE_CHANGED:
      if (GST_MESSAGE_SRC (message) == GST_OBJECT (self->pipeline))
        {
          GstState state;

          gst_message_parse_state_changed (message, NULL, &state, NULL);
          if (state == GST_STATE_PLAYING && self->error == NULL)
            {
              g_debug ("Alarm sound output playing");
              set_playing (self, TRUE);
              finish_start (self, NULL);
            }
        }
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
stop_pipeline (HgAlarmSound *self)
{
  if (self->pipeline == NULL)
    return;
  /* The feeder may be waiting on the clock of the pipeline that stops. */
  hg_alarm_feeder_set_flushing (self->feeder);
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  if (self->bus_watch != 0)
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);

      gst_bus_remove_watch (bus);
      self->bus_watch = 0;
    }
  self->sink = NULL;
  g_clear_object (&self->pipeline);
  g_clear_pointer (&self->feeder, hg_alarm_feeder_free);
  set_playing (self, FALSE);
}

static void
hg_alarm_sound_dispose (GObject *object)
{
  HgAlarmSound *self = HG_ALARM_SOUND (object);

  stop_pipeline (self);
  /* Only reached with a start pending through g_object_run_dispose(): the
   * task holds a reference. */
  finish_start (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The alarm sound was disposed of"));

  G_OBJECT_CLASS (hg_alarm_sound_parent_class)->dispose (object);
}

static void
hg_alarm_sound_finalize (GObject *object)
{
  HgAlarmSound *self = HG_ALARM_SOUND (object);

  g_clear_pointer (&self->sink_description, g_free);
  g_clear_pointer (&self->sequencer, hg_alarm_sequencer_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (hg_alarm_sound_parent_class)->finalize (object);
}

static void
hg_alarm_sound_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HgAlarmSound *self = HG_ALARM_SOUND (object);

  switch (prop_id)
    {
    case PROP_SINK_DESCRIPTION:
      g_value_set_string (value, self->sink_description);
      break;
    case PROP_VOLUME:
      g_value_set_double (value, hg_alarm_sound_get_volume (self));
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_FAILED:
      g_value_set_boolean (value, self->error != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_alarm_sound_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HgAlarmSound *self = HG_ALARM_SOUND (object);

  switch (prop_id)
    {
    case PROP_SINK_DESCRIPTION:
      {
        const char *description = g_value_get_string (value);

        if (description == NULL || *description == '\0')
          description = g_getenv ("HG_ALARM_SINK");
        if (description == NULL || *description == '\0')
          description = HG_ALARM_SOUND_DEFAULT_SINK;
        self->sink_description = g_strdup (description);
      }
      break;
    case PROP_VOLUME:
      hg_alarm_sound_set_volume (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_alarm_sound_class_init (HgAlarmSoundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* The library needs GStreamer whoever makes the first sound object;
   * a second call does nothing. */
  gst_init (NULL, NULL);

  object_class->dispose = hg_alarm_sound_dispose;
  object_class->finalize = hg_alarm_sound_finalize;
  object_class->get_property = hg_alarm_sound_get_property;
  object_class->set_property = hg_alarm_sound_set_property;

  properties[PROP_SINK_DESCRIPTION] =
    g_param_spec_string ("sink-description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOLUME] =
    g_param_spec_double ("volume", NULL, NULL, HG_ALARM_PATTERN_MIN_VOLUME, HG_ALARM_PATTERN_MAX_VOLUME,
                         HG_ALARM_PATTERN_MAX_VOLUME,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILED] =
    g_param_spec_boolean ("failed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The audio output failed (at the start or later): alarms are no longer
   * heard from this app, which must show a technical alarm. The GError
   * is GStreamer's (or G_IO_ERROR_TIMED_OUT for a start that hung). */
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
hg_alarm_sound_init (HgAlarmSound *self)
{
  self->sequencer = hg_alarm_sequencer_new (HG_ALARM_SOUND_RATE);
}

static void
hg_alarm_sound_play (HgAlarmSpeaker  *speaker,
                     HgAlarmPriority  priority)
{
  HgAlarmSound *self = HG_ALARM_SOUND (speaker);

  g_debug ("Alarm sound: play %s", hg_alarm_priority_to_string (priority));
  hg_alarm_sequencer_play (self->sequencer, priority, hg_alarm_sequencer_get_position (self->sequencer));
}

static void
hg_alarm_sound_stop (HgAlarmSpeaker *speaker,
                     HgAlarmStop     how)
{
  HgAlarmSound *self = HG_ALARM_SOUND (speaker);

  g_debug ("Alarm sound: stop %s", how == HG_ALARM_STOP_NOW ? "now" : "after the burst");
  hg_alarm_sequencer_stop (self->sequencer, how, hg_alarm_sequencer_get_position (self->sequencer));
}

static void
hg_alarm_sound_speaker_init (HgAlarmSpeakerInterface *iface)
{
  iface->play = hg_alarm_sound_play;
  iface->stop = hg_alarm_sound_stop;
}

HgAlarmSound *
hg_alarm_sound_new (const char *sink_description)
{
  return g_object_new (HG_TYPE_ALARM_SOUND, "sink-description", sink_description, NULL);
}

const char *
hg_alarm_sound_get_sink_description (HgAlarmSound *self)
{
  g_return_val_if_fail (HG_IS_ALARM_SOUND (self), NULL);

  return self->sink_description;
}

static gboolean
on_start_timeout (gpointer user_data)
{
  HgAlarmSound *self = user_data;
  g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);
  GstMessage *message;

  g_clear_pointer (&self->start_timeout, g_source_unref);
  /* The pipeline starts on GStreamer's threads, but says so on the bus,
   * read on this main context: one message per dispatch, and none while
   * the loop is busy (a window being built on a slow machine). Read what
   * it said already before giving up: it may be playing. */
  while (self->start_task != NULL && (message = gst_bus_pop (bus)) != NULL)
    {
      on_bus_message (bus, message, self);
      gst_message_unref (message);
    }
  if (self->start_task == NULL)
    return G_SOURCE_REMOVE;
  report_failure (self, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                     /* TRANSLATORS: %s is the sound output, as GStreamer
                                      * describes it (“autoaudiosink”, “pulsesink”) */
                                     _("The alarm sound output “%s” did not start in time"),
                                     self->sink_description));
  return G_SOURCE_REMOVE;
}

static gboolean
on_start_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  HgAlarmSound *self = user_data;
  GError *error = NULL;

  g_clear_pointer (&self->start_cancelled, g_source_unref);
  g_cancellable_set_error_if_cancelled (cancellable, &error);
  finish_start (self, error);
  return G_SOURCE_REMOVE;
}

static GSource *
attach (GSource     *source,
        GSourceFunc  callback,
        gpointer     user_data)
{
  g_source_set_callback (source, callback, user_data, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

/* The error a failed state change left on the bus, or a general one. */
static GError *
take_bus_error (HgAlarmSound *self)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  GError *error = NULL;
  g_autofree char *debug = NULL;

  if (message == NULL)
    return g_error_new (GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
                        /* TRANSLATORS: %s is the sound output, as GStreamer
                         * describes it (“autoaudiosink”, “pulsesink”) */
                        _("The alarm sound output “%s” cannot start"), self->sink_description);
  gst_message_parse_error (message, &error, &debug);
  g_debug ("Alarm sound start error: %s", debug);
  return error;
}

void
hg_alarm_sound_start_async (HgAlarmSound        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GstBus) bus = NULL;
  GError *error = NULL;

  g_return_if_fail (HG_IS_ALARM_SOUND (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_alarm_sound_start_async);
  if (self->start_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "The alarm sound is already starting");
      return;
    }

  stop_pipeline (self);
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
    }
  self->start_task = g_steal_pointer (&task);

  self->feeder = hg_alarm_feeder_new (self->sequencer, TRUE, 0);
  self->pipeline = hg_alarm_pipeline_new (self->sink_description, self->feeder, &self->sink, &error);
  if (self->pipeline == NULL)
    {
      g_clear_pointer (&self->feeder, hg_alarm_feeder_free);
      report_failure (self, error);
      return;
    }
  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  self->start_timeout = attach (g_timeout_source_new (HG_ALARM_SOUND_START_TIMEOUT_MS), on_start_timeout, self);
  if (cancellable != NULL)
    self->start_cancelled = attach (g_cancellable_source_new (cancellable), G_SOURCE_FUNC (on_start_cancelled), self);

  g_debug ("Alarm sound: starting “%s”", self->sink_description);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    report_failure (self, take_bus_error (self));
}

gboolean
hg_alarm_sound_start_finish (HgAlarmSound  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (HG_IS_ALARM_SOUND (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hg_alarm_sound_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
hg_alarm_sound_get_playing (HgAlarmSound *self)
{
  g_return_val_if_fail (HG_IS_ALARM_SOUND (self), FALSE);

  return self->playing;
}

gboolean
hg_alarm_sound_get_failed (HgAlarmSound *self)
{
  g_return_val_if_fail (HG_IS_ALARM_SOUND (self), FALSE);

  return self->error != NULL;
}

const GError *
hg_alarm_sound_get_error (HgAlarmSound *self)
{
  g_return_val_if_fail (HG_IS_ALARM_SOUND (self), NULL);

  return self->error;
}

void
hg_alarm_sound_set_volume (HgAlarmSound *self,
                           double        volume)
{
  double old;

  g_return_if_fail (HG_IS_ALARM_SOUND (self));

  old = hg_alarm_sequencer_get_volume (self->sequencer);
  hg_alarm_sequencer_set_volume (self->sequencer, volume);
  if (hg_alarm_sequencer_get_volume (self->sequencer) != old)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

double
hg_alarm_sound_get_volume (HgAlarmSound *self)
{
  g_return_val_if_fail (HG_IS_ALARM_SOUND (self), 0);

  return hg_alarm_sequencer_get_volume (self->sequencer);
}

gboolean
hg_alarm_sound_test_patterns (HgAlarmSound *self)
{
  g_return_val_if_fail (HG_IS_ALARM_SOUND (self), FALSE);

  return hg_alarm_sequencer_play_test (self->sequencer, hg_alarm_sequencer_get_position (self->sequencer));
}

GstElement *
hg_alarm_sound_get_sink (HgAlarmSound *self)
{
  g_return_val_if_fail (HG_IS_ALARM_SOUND (self), NULL);

  return self->sink;
}

/* Long enough for minutes of sound on a slow machine: rendering runs far
 * faster than real time. */
#define RENDER_TIMEOUT (60 * GST_SECOND)

gboolean
hg_alarm_sound_render_to_file (HgAlarmPriority   priority,
                               double            seconds,
                               double            volume,
                               const char       *path,
                               GError          **error)
{
  g_autoptr(HgAlarmSequencer) sequencer = NULL;
  g_autoptr(HgAlarmFeeder) feeder = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) file = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  GstElement *sink;
  gboolean ok = FALSE;

  g_return_val_if_fail (priority <= HG_ALARM_PRIORITY_HIGH, FALSE);
  g_return_val_if_fail (seconds > 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  gst_init (NULL, NULL);
  sequencer = hg_alarm_sequencer_new (HG_ALARM_SOUND_RATE);
  hg_alarm_sequencer_set_volume (sequencer, volume);
  hg_alarm_sequencer_play (sequencer, priority, 0);
  feeder = hg_alarm_feeder_new (sequencer, FALSE, hg_alarm_sequencer_ms_to_samples (sequencer, seconds * 1000));
  pipeline = hg_alarm_pipeline_new ("wavenc ! filesink name=hg-file", feeder, &sink, error);
  if (pipeline == NULL)
    return FALSE;
  /* Set here, not in the description, which would need the path quoted. */
  file = gst_bin_get_by_name (GST_BIN (sink), "hg-file");
  g_object_set (file, "location", path, NULL);

  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE)
    message = gst_bus_timed_pop_filtered (bus, RENDER_TIMEOUT, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  else
    message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
    ok = TRUE;
  else if (message != NULL)
    gst_message_parse_error (message, error, NULL);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Rendering the alarm sound to “%s” did not finish", path);
  hg_alarm_feeder_set_flushing (feeder);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}
