/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Escalator"

#include "config.h"

#include "hg-escalator.h"

/* The timer never sleeps longer than this, so a change of the wall clock
 * (deadlines are wall-clock times, the timer is monotonic) is noticed. */
#define MAX_SLEEP_MS (60 * 1000)
#define MAX_BACKOFF_MS (30 * 1000)

struct _HgEscalator {
  GObject       parent_instance;
  HgStore      *store;
  GMainContext *context;
  GSource      *timer;
  gulong        committed_id;
  gboolean      started;
  gboolean      running;      /* a run is queued on the store */
  guint         backoff_ms;   /* after a failed run; 0: none */
};

G_DEFINE_FINAL_TYPE (HgEscalator, hg_escalator, G_TYPE_OBJECT)

static void arm (HgEscalator *self);

static void
clear_timer (HgEscalator *self)
{
  if (self->timer == NULL)
    return;
  g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

static void
ran (GObject      *source,
     GAsyncResult *result,
     gpointer      user_data)
{
  g_autoptr(HgEscalator) self = user_data;
  g_autoptr(GError) error = NULL;
  guint steps = 0;

  self->running = FALSE;
  if (hg_store_run_deadlines_finish (HG_STORE (source), result, &steps, &error))
    {
      self->backoff_ms = 0;
      if (steps > 0)
        g_debug ("Ran %u escalation step%s", steps, steps == 1 ? "" : "s");
    }
  else
    {
      /* The steps rolled back and are still due: try again, not in a loop. */
      self->backoff_ms = CLAMP (self->backoff_ms * 2, 1000, MAX_BACKOFF_MS);
      g_message ("Escalation steps could not run, retrying in %u ms: %s", self->backoff_ms,
                 error->message);
    }
  arm (self);
}

static gboolean
fire (gpointer data)
{
  HgEscalator *self = data;
  gint64 due = hg_store_next_deadline (self->store);

  g_clear_pointer (&self->timer, g_source_unref);
  if (due == 0)
    return G_SOURCE_REMOVE;
  if (due > hg_time_now_ms ())
    {
      arm (self);   /* woke early: a long wait is cut into pieces */
      return G_SOURCE_REMOVE;
    }
  self->running = TRUE;
  hg_store_run_deadlines_async (self->store, ran, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* One timer, for the nearest deadline. While a run is queued there is
 * nothing to wait for: its completion arms again. */
static void
arm (HgEscalator *self)
{
  gint64 due;
  gint64 delay;

  clear_timer (self);
  if (!self->started || self->running)
    return;
  due = hg_store_next_deadline (self->store);
  if (due == 0)
    return;
  delay = CLAMP (due - hg_time_now_ms (), 0, MAX_SLEEP_MS);
  delay = MAX (delay, (gint64) self->backoff_ms);
  self->timer = g_timeout_source_new ((guint) delay);
  g_source_set_static_name (self->timer, "[healthguard] escalation");
  g_source_set_callback (self->timer, fire, self, NULL);
  g_source_attach (self->timer, self->context);
}

static void
on_committed (HgStore *store,
              gint64   last_seq,
              gpointer user_data)
{
  arm (user_data);
}

HgEscalator *
hg_escalator_new (HgStore *store)
{
  HgEscalator *self;

  g_return_val_if_fail (HG_IS_STORE (store), NULL);
  self = g_object_new (HG_TYPE_ESCALATOR, NULL);
  self->store = g_object_ref (store);
  self->context = g_main_context_ref_thread_default ();
  return self;
}

void
hg_escalator_start (HgEscalator *self)
{
  g_return_if_fail (HG_IS_ESCALATOR (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->committed_id = g_signal_connect (self->store, "events-committed", G_CALLBACK (on_committed), self);
  arm (self);
}

void
hg_escalator_stop (HgEscalator *self)
{
  g_return_if_fail (HG_IS_ESCALATOR (self));

  self->started = FALSE;
  g_clear_signal_handler (&self->committed_id, self->store);
  clear_timer (self);
}

static void
hg_escalator_dispose (GObject *object)
{
  HgEscalator *self = HG_ESCALATOR (object);

  if (self->store != NULL)
    hg_escalator_stop (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (hg_escalator_parent_class)->dispose (object);
}

static void
hg_escalator_class_init (HgEscalatorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hg_escalator_dispose;
}

static void
hg_escalator_init (HgEscalator *self)
{
}
