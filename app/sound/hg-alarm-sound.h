/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The alarm sound: HgAlarmSpeaker on GStreamer. A pipeline
 *
 *   appsrc (live, 48 kHz mono float, 10 ms buffers) ! audioconvert
 *     ! audioresample ! <sink>
 *
 * runs all the time, playing silence when no alarm sounds, so that play()
 * is heard within a few tens of milliseconds: the samples come from an
 * HgAlarmSequencer, rendered one buffer ahead of the sink. An error of
 * the audio output after the start is reported with ::failed, so that the
 * app can raise a technical alarm that someone sees. All calls are made
 * from the thread-default main context the object was started on. */

#include <gio/gio.h>
#include <gst/gst.h>

#include "hg-alarm-speaker.h"

G_BEGIN_DECLS

#define HG_ALARM_SOUND_RATE      48000
#define HG_ALARM_SOUND_BUFFER_MS 10
/* hg_alarm_sound_start_async() gives up after this long. */
#define HG_ALARM_SOUND_START_TIMEOUT_MS 5000
/* The sink used when neither the caller nor HG_ALARM_SINK names one. */
#define HG_ALARM_SOUND_DEFAULT_SINK "autoaudiosink"

#define HG_TYPE_ALARM_SOUND (hg_alarm_sound_get_type ())
G_DECLARE_FINAL_TYPE (HgAlarmSound, hg_alarm_sound, HG, ALARM_SOUND, GObject)

/* @sink_description: a gst-launch description of the output ("pulsesink",
 * "fakesink sync=true"); NULL for the environment's HG_ALARM_SINK, else
 * HG_ALARM_SOUND_DEFAULT_SINK. */
HgAlarmSound *hg_alarm_sound_new                  (const char           *sink_description);
const char   *hg_alarm_sound_get_sink_description (HgAlarmSound         *self);

/* Builds the pipeline and waits until it plays: the start-up self-test.
 * Fails with the output's GError (and ::failed), or G_IO_ERROR_TIMED_OUT
 * after HG_ALARM_SOUND_START_TIMEOUT_MS. Starting again replaces the
 * pipeline: the way to retry after ::failed. An alarm asked for before
 * (or between) starts sounds as soon as the pipeline plays. Cancelling
 * ends the wait only: the pipeline goes on starting. */
void          hg_alarm_sound_start_async          (HgAlarmSound         *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean      hg_alarm_sound_start_finish         (HgAlarmSound         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* TRUE from the start's success to a failure or the next start. */
gboolean      hg_alarm_sound_get_playing          (HgAlarmSound         *self);
/* TRUE once the output failed (at start or later), until the next start;
 * the error in hg_alarm_sound_get_error(). */
gboolean      hg_alarm_sound_get_failed           (HgAlarmSound         *self);
const GError *hg_alarm_sound_get_error            (HgAlarmSound         *self);

/* The volume preference, 0.3 to 1.0 (linear amplitude). High priority
 * never plays under HG_ALARM_PATTERN_HIGH_VOLUME_FLOOR. */
void          hg_alarm_sound_set_volume           (HgAlarmSound         *self,
                                                   double                volume);
double        hg_alarm_sound_get_volume           (HgAlarmSound         *self);

/* Preferences' "Test alarm sounds": one burst of each priority, low to
 * high, then silence. FALSE (and nothing sounds) while an alarm sounds. */
gboolean      hg_alarm_sound_test_patterns        (HgAlarmSound         *self);

/* The running pipeline's sink, the bin made from the sink description;
 * NULL before a start. For tests and the benchmark. (transfer none) */
GstElement   *hg_alarm_sound_get_sink             (HgAlarmSound         *self);

/* Renders @seconds of @priority's pattern at @volume, from its first
 * burst, into the WAV file @path: the same pipeline, with a non-live
 * source and "wavenc ! filesink" as the sink. For tests. */
gboolean      hg_alarm_sound_render_to_file       (HgAlarmPriority       priority,
                                                   double                seconds,
                                                   double                volume,
                                                   const char           *path,
                                                   GError              **error);

G_END_DECLS
