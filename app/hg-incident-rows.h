/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* An incident's detail as rows of boxed lists: its notes, its timeline
 * and its alerts, oldest first, every text plain (never markup). */

#include <adwaita.h>

#include "hg-models.h"

G_BEGIN_DECLS

/* Removes the rows, leaving the placeholder. */
void hg_incident_rows_clear          (GtkListBox *list);
/* Each fills @list anew from an array of HgNote*, HgTimelineEntry* or
 * HgAlert* (NULL: none). */
void hg_incident_rows_fill_notes     (GtkListBox *list,
                                      GPtrArray  *notes);
void hg_incident_rows_fill_timeline  (GtkListBox *list,
                                      GPtrArray  *timeline);
void hg_incident_rows_fill_alerts    (GtkListBox *list,
                                      GPtrArray  *alerts);

G_END_DECLS
