/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A clock that moves only when told: hg_fake_clock_advance() runs the
 * timeouts that fall due, in order, each at its own instant. It starts at
 * HG_FAKE_CLOCK_EPOCH_US on the wall clock. For the alarm tests, and for
 * any test of the app that wants minutes to pass at once. */

#include "hg-alarm-clock.h"

G_BEGIN_DECLS

/* 2026-11-22T10:00:00Z */
#define HG_FAKE_CLOCK_EPOCH_US G_GINT64_CONSTANT (1795341600000000)

#define HG_TYPE_FAKE_CLOCK (hg_fake_clock_get_type ())
G_DECLARE_FINAL_TYPE (HgFakeClock, hg_fake_clock, HG, FAKE_CLOCK, HgAlarmClock)

HgFakeClock *hg_fake_clock_new           (void);
void         hg_fake_clock_advance       (HgFakeClock *self,
                                          guint        msec);
/* Milliseconds since the clock was made. */
gint64       hg_fake_clock_get_elapsed   (HgFakeClock *self);
guint        hg_fake_clock_get_n_pending (HgFakeClock *self);

G_END_DECLS
