/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The time hg-alarm runs on: what time it is, and one-shot timeouts.
 * The base class is the real clock (the monotonic and wall clocks of GLib,
 * timeouts on the thread-default main context); tests subclass it with a
 * clock they move by hand, so that "two minutes later" takes no time. */

#include <glib-object.h>

G_BEGIN_DECLS

#define HG_TYPE_ALARM_CLOCK (hg_alarm_clock_get_type ())
G_DECLARE_DERIVABLE_TYPE (HgAlarmClock, hg_alarm_clock, HG, ALARM_CLOCK, GObject)

struct _HgAlarmClockClass
{
  GObjectClass parent_class;

  gint64 (*get_monotonic) (HgAlarmClock    *self);
  gint64 (*get_real)      (HgAlarmClock    *self);
  guint  (*add_timeout)   (HgAlarmClock    *self,
                           guint            msec,
                           GSourceOnceFunc  func,
                           gpointer         user_data);
  void   (*remove)        (HgAlarmClock    *self,
                           guint            id);

  gpointer padding[8];
};

/* The real clock. */
HgAlarmClock *hg_alarm_clock_new           (void);

/* Monotonic time in µs: for durations. */
gint64        hg_alarm_clock_get_monotonic (HgAlarmClock    *self);
/* Wall-clock time in µs since the Unix epoch: for what people read. */
gint64        hg_alarm_clock_get_real      (HgAlarmClock    *self);
/* Calls @func once, @msec milliseconds from now. Returns an id (never 0)
 * for hg_alarm_clock_remove(), which must not be used once it has run. */
guint         hg_alarm_clock_add_timeout   (HgAlarmClock    *self,
                                            guint            msec,
                                            GSourceOnceFunc  func,
                                            gpointer         user_data);
void          hg_alarm_clock_remove        (HgAlarmClock    *self,
                                            guint            id);

G_END_DECLS
