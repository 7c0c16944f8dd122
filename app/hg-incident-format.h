/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* How the app says an incident's fields in words: the board and the
 * incident pane share these so that a severity or a status reads the same
 * everywhere. Every string is translated. */

#include <glib.h>

#include "hg-types.h"

G_BEGIN_DECLS

/* "Critical", "High", … */
const char *hg_severity_label        (HgSeverity        severity);
/* The CSS class that colours it: "severity-critical", … */
const char *hg_severity_css_class    (HgSeverity        severity);
/* "Open", "Assigned", "Acknowledged", "In progress", "Resolved" */
const char *hg_status_label          (HgIncidentStatus  status);
/* "Nurse", "Charge nurse", … */
const char *hg_role_label            (HgRole            role);
/* A timeline entry's action ("acknowledged", "note", …) in words; an
 * unknown one is returned as it is. */
const char *hg_timeline_action_label (const char       *action);
/* An age in words, "40 s", "12 min", "3 h 05 min", "2 d 4 h". */
char       *hg_format_age            (gint64            msec);
/* A time of day, "14:32:05", with the date when it is not today. */
char       *hg_format_time           (gint64            ms_since_epoch);

G_END_DECLS
