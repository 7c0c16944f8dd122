/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The one pipeline builder, for the live alarm sound and for rendering to
 * a file: appsrc ! audioconvert ! audioresample ! <sink>, with an
 * HgAlarmFeeder filling the appsrc from an HgAlarmSequencer. Private to
 * libhgsound. */

#include <gst/gst.h>

#include "hg-alarm-sequencer.h"

G_BEGIN_DECLS

/* Rendered ahead of the pipeline clock by this much: a live feeder waits
 * until a buffer is due this soon before it renders it, so that play()
 * reaches the next buffer rendered. */
#define HG_ALARM_PIPELINE_LEAD_MS    10
/* A real audio sink's own buffering, kept small for the same reason. */
#define HG_ALARM_PIPELINE_SINK_BUFFER_US  50000
#define HG_ALARM_PIPELINE_SINK_LATENCY_US 10000

typedef struct _HgAlarmFeeder HgAlarmFeeder;

/* @live: paced by the pipeline clock, for ever; otherwise as fast as the
 * pipeline takes it, up to sample @end and then end of stream. */
HgAlarmFeeder *hg_alarm_feeder_new          (HgAlarmSequencer  *sequencer,
                                             gboolean           live,
                                             gint64             end);
/* Wakes and stops a waiting feeder: call before stopping its pipeline,
 * whose clock may stop with it. */
void           hg_alarm_feeder_set_flushing (HgAlarmFeeder     *self);
void           hg_alarm_feeder_free         (HgAlarmFeeder     *self);

/* A new pipeline (floating reference sunk: the caller owns it), fed by
 * @feeder, which must outlive it; its sink bin in @sink (transfer none). */
GstElement    *hg_alarm_pipeline_new        (const char        *sink_description,
                                             HgAlarmFeeder     *feeder,
                                             GstElement       **sink,
                                             GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgAlarmFeeder, hg_alarm_feeder_free)

G_END_DECLS
