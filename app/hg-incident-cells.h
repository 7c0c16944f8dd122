/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The cells of a column view of HgIncident: each follows its incident's
 * properties as they change in place. */

#include <gtk/gtk.h>

#include "hg-models.h"

G_BEGIN_DECLS

typedef enum {
  HG_INCIDENT_CELL_SEVERITY,     /* an HgSeverityPill */
  HG_INCIDENT_CELL_STATUS,
  HG_INCIDENT_CELL_TITLE,
  HG_INCIDENT_CELL_PATIENT,      /* "Name · Room 204" */
  HG_INCIDENT_CELL_ASSIGNEE,
  HG_INCIDENT_CELL_AGE,          /* counts to @clock's "now" (gint64 ms) */
  HG_INCIDENT_CELL_ESCALATION,
} HgIncidentCell;

/* @clock: an object with a gint64 "now" property in ms since the epoch,
 * which the age cells follow; the factory does not keep it alive. */
GtkListItemFactory *hg_incident_cell_factory (HgIncidentCell  kind,
                                              GObject        *clock);

G_END_DECLS
