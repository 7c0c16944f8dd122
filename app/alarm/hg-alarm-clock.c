/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hg-alarm-clock.h"

G_DEFINE_TYPE (HgAlarmClock, hg_alarm_clock, G_TYPE_OBJECT)

static gint64
real_get_monotonic (HgAlarmClock *self)
{
  return g_get_monotonic_time ();
}

static gint64
real_get_real (HgAlarmClock *self)
{
  return g_get_real_time ();
}

static guint
real_add_timeout (HgAlarmClock    *self,
                  guint            msec,
                  GSourceOnceFunc  func,
                  gpointer         user_data)
{
  return g_timeout_add_once (msec, func, user_data);
}

static void
real_remove (HgAlarmClock *self,
             guint         id)
{
  g_source_remove (id);
}

static void
hg_alarm_clock_class_init (HgAlarmClockClass *klass)
{
  klass->get_monotonic = real_get_monotonic;
  klass->get_real = real_get_real;
  klass->add_timeout = real_add_timeout;
  klass->remove = real_remove;
}

static void
hg_alarm_clock_init (HgAlarmClock *self)
{
}

HgAlarmClock *
hg_alarm_clock_new (void)
{
  return g_object_new (HG_TYPE_ALARM_CLOCK, NULL);
}

gint64
hg_alarm_clock_get_monotonic (HgAlarmClock *self)
{
  g_return_val_if_fail (HG_IS_ALARM_CLOCK (self), 0);

  return HG_ALARM_CLOCK_GET_CLASS (self)->get_monotonic (self);
}

gint64
hg_alarm_clock_get_real (HgAlarmClock *self)
{
  g_return_val_if_fail (HG_IS_ALARM_CLOCK (self), 0);

  return HG_ALARM_CLOCK_GET_CLASS (self)->get_real (self);
}

guint
hg_alarm_clock_add_timeout (HgAlarmClock    *self,
                            guint            msec,
                            GSourceOnceFunc  func,
                            gpointer         user_data)
{
  g_return_val_if_fail (HG_IS_ALARM_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  return HG_ALARM_CLOCK_GET_CLASS (self)->add_timeout (self, msec, func, user_data);
}

void
hg_alarm_clock_remove (HgAlarmClock *self,
                       guint         id)
{
  g_return_if_fail (HG_IS_ALARM_CLOCK (self));
  g_return_if_fail (id != 0);

  HG_ALARM_CLOCK_GET_CLASS (self)->remove (self, id);
}
