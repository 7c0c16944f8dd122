/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hg-fake-clock.h"

/* Any start will do; not 0, so that a time of 0 ("none") stands out. */
#define START_MONOTONIC_US G_GINT64_CONSTANT (1000000000)

typedef struct {
  guint           id;
  gint64          due;   /* monotonic µs */
  GSourceOnceFunc func;
  gpointer        user_data;
} Timeout;

struct _HgFakeClock {
  HgAlarmClock  parent_instance;

  gint64        now;     /* monotonic µs */
  guint         last_id;
  GArray       *timeouts;
};

G_DEFINE_FINAL_TYPE (HgFakeClock, hg_fake_clock, HG_TYPE_ALARM_CLOCK)

static gint64
fake_get_monotonic (HgAlarmClock *clock)
{
  return HG_FAKE_CLOCK (clock)->now;
}

static gint64
fake_get_real (HgAlarmClock *clock)
{
  return HG_FAKE_CLOCK_EPOCH_US + HG_FAKE_CLOCK (clock)->now - START_MONOTONIC_US;
}

static guint
fake_add_timeout (HgAlarmClock    *clock,
                  guint            msec,
                  GSourceOnceFunc  func,
                  gpointer         user_data)
{
  HgFakeClock *self = HG_FAKE_CLOCK (clock);
  Timeout timeout = { ++self->last_id, self->now + (gint64) msec * 1000, func, user_data };

  g_array_append_val (self->timeouts, timeout);
  return timeout.id;
}

static gboolean
find (HgFakeClock *self,
      guint        id,
      guint       *out)
{
  for (guint i = 0; i < self->timeouts->len; i++)
    {
      if (g_array_index (self->timeouts, Timeout, i).id == id)
        {
          *out = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
fake_remove (HgAlarmClock *clock,
             guint         id)
{
  HgFakeClock *self = HG_FAKE_CLOCK (clock);
  guint index;

  /* Like g_source_remove(): removing one that ran or never was is a bug. */
  if (!find (self, id, &index))
    g_error ("hg_alarm_clock_remove(): no timeout %u", id);
  g_array_remove_index (self->timeouts, index);
}

static void
hg_fake_clock_finalize (GObject *object)
{
  HgFakeClock *self = HG_FAKE_CLOCK (object);

  g_clear_pointer (&self->timeouts, g_array_unref);
  G_OBJECT_CLASS (hg_fake_clock_parent_class)->finalize (object);
}

static void
hg_fake_clock_class_init (HgFakeClockClass *klass)
{
  HgAlarmClockClass *clock_class = HG_ALARM_CLOCK_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = hg_fake_clock_finalize;
  clock_class->get_monotonic = fake_get_monotonic;
  clock_class->get_real = fake_get_real;
  clock_class->add_timeout = fake_add_timeout;
  clock_class->remove = fake_remove;
}

static void
hg_fake_clock_init (HgFakeClock *self)
{
  self->now = START_MONOTONIC_US;
  self->timeouts = g_array_new (FALSE, FALSE, sizeof (Timeout));
}

HgFakeClock *
hg_fake_clock_new (void)
{
  return g_object_new (HG_TYPE_FAKE_CLOCK, NULL);
}

/* The earliest due by @until; of equals, the first added. */
static gboolean
next_due (HgFakeClock *self,
          gint64       until,
          guint       *out)
{
  gboolean found = FALSE;

  for (guint i = 0; i < self->timeouts->len; i++)
    {
      Timeout *t = &g_array_index (self->timeouts, Timeout, i);
      Timeout *best = found ? &g_array_index (self->timeouts, Timeout, *out) : NULL;

      if (t->due > until)
        continue;
      if (best == NULL || t->due < best->due || (t->due == best->due && t->id < best->id))
        {
          *out = i;
          found = TRUE;
        }
    }
  return found;
}

void
hg_fake_clock_advance (HgFakeClock *self,
                       guint        msec)
{
  gint64 until;
  guint index;

  g_return_if_fail (HG_IS_FAKE_CLOCK (self));

  until = self->now + (gint64) msec * 1000;
  /* A callback may add or remove timeouts: look again after each. */
  while (next_due (self, until, &index))
    {
      Timeout timeout = g_array_index (self->timeouts, Timeout, index);

      g_array_remove_index (self->timeouts, index);
      self->now = timeout.due;
      timeout.func (timeout.user_data);
    }
  self->now = until;
}

gint64
hg_fake_clock_get_elapsed (HgFakeClock *self)
{
  g_return_val_if_fail (HG_IS_FAKE_CLOCK (self), 0);
  return (self->now - START_MONOTONIC_US) / 1000;
}

guint
hg_fake_clock_get_n_pending (HgFakeClock *self)
{
  g_return_val_if_fail (HG_IS_FAKE_CLOCK (self), 0);
  return self->timeouts->len;
}
