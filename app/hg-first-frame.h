/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For tests/bench/hg-bench-app: with HG_REPORT_FIRST_BOARD=N in the
 * environment, says (g_message) when @widget is first painted with at
 * least N items in @model ("1": any), with the CLOCK_MONOTONIC time in µs
 * so that the benchmark can count from the moment it started the app.
 * Does nothing, and costs nothing, without the variable. */

#include <gtk/gtk.h>

G_BEGIN_DECLS

void hg_first_frame_watch (GtkWidget  *widget,
                           GListModel *model);

G_END_DECLS
