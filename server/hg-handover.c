/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Handover"

#include "config.h"

#include "hg-error.h"
#include "hg-handover.h"

/* Wake up at least this often, so a wall clock that jumps is followed. */
#define MAX_WAIT_MS   (10 * 60 * 1000)
/* After a failed run (a full disk, a closed store) try again after this. */
#define RETRY_MS      (30 * 1000)

struct _HgHandover {
  GObject       parent_instance;
  HgStore      *store;
  GMainContext *context;
  GSource      *timer;
  gboolean      started;
  gboolean      running;   /* a job is queued */
  gboolean      again;     /* poked while it ran */
};

G_DEFINE_FINAL_TYPE (HgHandover, hg_handover, G_TYPE_OBJECT)

static void run (HgHandover *self);

static void
disarm (HgHandover *self)
{
  if (self->timer == NULL)
    return;
  g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

static gboolean
on_timer (gpointer data)
{
  HgHandover *self = data;

  g_clear_pointer (&self->timer, g_source_unref);
  run (self);
  return G_SOURCE_REMOVE;
}

static void
arm (HgHandover *self,
     gint64      delay_ms)
{
  disarm (self);
  self->timer = g_timeout_source_new ((guint) CLAMP (delay_ms, 0, MAX_WAIT_MS));
  g_source_set_static_name (self->timer, "[healthguard] shift handover");
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_attach (self->timer, self->context);
}

/* The timer follows the database, not what this object saw: shifts added
 * or removed elsewhere are picked up at the next arming. */
static void
arm_for_next_change (HgHandover *self)
{
  g_autoptr(GError) error = NULL;
  gint64 next = hg_store_next_shift_change (self->store, &error);

  if (next < 0)
    {
      g_warning ("Cannot read the schedule: %s", error->message);
      arm (self, RETRY_MS);
    }
  else
    arm (self, next == 0 ? MAX_WAIT_MS : next - hg_time_now_ms ());
}

static void
handed_over (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HgHandover) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = hg_store_hand_over_finish (HG_STORE (source), result, &error);

  self->running = FALSE;
  if (!self->started)
    return;
  if (!ok)
    {
      /* A closed or full store is reported by /health/ready already. */
      if (g_error_matches (error, HG_ERROR, HG_ERROR_UNAVAILABLE))
        g_message ("Shift handover postponed: %s", error->message);
      else
        g_warning ("Shift handover failed: %s", error->message);
      arm (self, RETRY_MS);
      return;
    }
  if (self->again)
    {
      self->again = FALSE;
      run (self);
      return;
    }
  arm_for_next_change (self);
}

static void
run (HgHandover *self)
{
  if (!self->started)
    return;
  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  disarm (self);
  self->running = TRUE;
  hg_store_hand_over_async (self->store, handed_over, g_object_ref (self));
}

HgHandover *
hg_handover_new (HgStore *store)
{
  HgHandover *self = g_object_new (HG_TYPE_HANDOVER, NULL);

  self->store = g_object_ref (store);
  return self;
}

void
hg_handover_start (HgHandover *self)
{
  g_return_if_fail (HG_IS_HANDOVER (self));

  if (self->started)
    return;
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->started = TRUE;
  run (self);
}

void
hg_handover_stop (HgHandover *self)
{
  g_return_if_fail (HG_IS_HANDOVER (self));

  /* A job already queued still completes, and then does nothing more. */
  self->started = FALSE;
  self->again = FALSE;
  disarm (self);
}

void
hg_handover_poke (HgHandover *self)
{
  g_return_if_fail (HG_IS_HANDOVER (self));
  run (self);
}

static void
hg_handover_dispose (GObject *object)
{
  HgHandover *self = HG_HANDOVER (object);

  hg_handover_stop (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (hg_handover_parent_class)->dispose (object);
}

static void
hg_handover_class_init (HgHandoverClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hg_handover_dispose;
}

static void
hg_handover_init (HgHandover *self)
{
}
