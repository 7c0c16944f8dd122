/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A bar chart of whole numbers, one bar per labelled slot (the incidents
 * of each hour), drawn with GtkSnapshot. To assistive technologies it is
 * an image whose description says the total and the peak. */

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HG_TYPE_CHART (hg_chart_get_type ())
G_DECLARE_FINAL_TYPE (HgChart, hg_chart, HG, CHART, GtkWidget)

GtkWidget  *hg_chart_new        (void);

/* What the chart shows ("Incidents per hour, last 24 hours"): its
 * accessible name and the start of its description. */
const char *hg_chart_get_title  (HgChart            *self);
void        hg_chart_set_title  (HgChart            *self,
                                 const char         *title);

/* @n_values bars; @labels (as many, may be NULL) name each slot in the
 * axis, the tooltips and the description ("14:00"). */
void        hg_chart_set_data   (HgChart            *self,
                                 const guint        *values,
                                 const char * const *labels,
                                 guint               n_values);
guint       hg_chart_get_n_bars (HgChart            *self);
guint       hg_chart_get_value  (HgChart            *self,
                                 guint               index);
guint       hg_chart_get_total  (HgChart            *self);
/* What assistive technologies are told: "Incidents per hour, last 24
 * hours: 42 in total, peak 7 at 14:00". */
char       *hg_chart_dup_description (HgChart       *self);

G_END_DECLS
