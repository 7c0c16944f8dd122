/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hg-types.h"

G_BEGIN_DECLS

/* A severity as a coloured pill that says it in words too ("Critical"):
 * the colour is never the only sign. */
#define HG_TYPE_SEVERITY_PILL (hg_severity_pill_get_type ())
G_DECLARE_FINAL_TYPE (HgSeverityPill, hg_severity_pill, HG, SEVERITY_PILL, GtkWidget)

GtkWidget  *hg_severity_pill_new          (void);
HgSeverity  hg_severity_pill_get_severity (HgSeverityPill *self);
void        hg_severity_pill_set_severity (HgSeverityPill *self,
                                           HgSeverity      severity);

G_END_DECLS
