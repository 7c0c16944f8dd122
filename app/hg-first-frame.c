/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <stdlib.h>

#include "hg-first-frame.h"

typedef struct {
  GListModel    *model;    /* the widget's: lives as long */
  guint          wanted;
  GdkFrameClock *clock;
  gulong         paint_handler;
  gboolean       done;
} Watch;

static void
after_paint (GdkFrameClock *clock,
             Watch         *watch)
{
  guint n = g_list_model_get_n_items (watch->model);

  g_signal_handler_disconnect (clock, watch->paint_handler);
  watch->paint_handler = 0;
  if (n < watch->wanted)
    return;
  watch->done = TRUE;
  g_message ("First board frame: %u incidents at monotonic %" G_GINT64_FORMAT " us",
             n, g_get_monotonic_time ());
}

/* In the frame's update phase: the paint of this same frame follows. */
static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Watch *watch = data;

  if (watch->done)
    return G_SOURCE_REMOVE;
  if (!gtk_widget_get_mapped (widget) || g_list_model_get_n_items (watch->model) < watch->wanted
      || watch->paint_handler != 0)
    return G_SOURCE_CONTINUE;
  watch->clock = clock;
  watch->paint_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), watch);
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  if (watch->paint_handler != 0)
    g_signal_handler_disconnect (watch->clock, watch->paint_handler);
  g_free (watch);
}

void
hg_first_frame_watch (GtkWidget  *widget,
                      GListModel *model)
{
  const char *wanted = g_getenv ("HG_REPORT_FIRST_BOARD");
  Watch *watch;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_LIST_MODEL (model));

  if (wanted == NULL || *wanted == '\0')
    return;
  watch = g_new0 (Watch, 1);
  watch->model = model;
  watch->wanted = MAX (1, (guint) strtoul (wanted, NULL, 10));
  /* The watch lives as long as the widget: one small block per process. */
  gtk_widget_add_tick_callback (widget, on_tick, watch, watch_free);
}
