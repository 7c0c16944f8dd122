/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The live list of active incidents behind hg_client_get_incidents(): a
 * GListModel of HgIncident with an id → position index. Order is arrival
 * order; views sort it themselves (GtkSortListModel). Internal to
 * libhgclient. */

#include <gio/gio.h>

#include "hg-models.h"

G_BEGIN_DECLS

typedef enum {
  HG_APPLY_IGNORED,   /* not newer than what the list holds (or saw) */
  HG_APPLY_ADDED,
  HG_APPLY_UPDATED,   /* updated in place: same object, properties notify */
  HG_APPLY_REMOVED,   /* it became resolved */
} HgApplyResult;

#define HG_TYPE_INCIDENT_LIST (hg_incident_list_get_type ())
G_DECLARE_FINAL_TYPE (HgIncidentList, hg_incident_list, HG, INCIDENT_LIST, GObject)

HgIncidentList *hg_incident_list_new     (void);
/* Applies one whole incident by id, never going back in version. Takes
 * no reference on @incident unless it is added. */
HgApplyResult   hg_incident_list_apply   (HgIncidentList *self,
                                          HgIncident     *incident);
/* Makes the list hold exactly the active ones of @incidents, in that
 * order, with one items-changed. Objects already held are kept and
 * updated in place. */
void            hg_incident_list_replace (HgIncidentList *self,
                                          GPtrArray      *incidents);
HgIncident     *hg_incident_list_lookup  (HgIncidentList *self,
                                          gint64          id);

G_END_DECLS
