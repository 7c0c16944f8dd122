/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* One incident in full: its severity on a coloured band in words, who and
 * where, the actions this person may take in this state (optimistic: the
 * expected status shows at once and rolls back if the server refuses), and
 * its notes, timeline and alerts, fetched again whenever its version
 * moves. The "close" signal asks the owner to put it away. */

#include <adwaita.h>

#include "hg-client.h"

G_BEGIN_DECLS

#define HG_TYPE_INCIDENT_PANE (hg_incident_pane_get_type ())
G_DECLARE_FINAL_TYPE (HgIncidentPane, hg_incident_pane, HG, INCIDENT_PANE, AdwBin)

GtkWidget  *hg_incident_pane_new          (void);
void        hg_incident_pane_set_client   (HgIncidentPane *self,
                                           HgClient       *client);
HgIncident *hg_incident_pane_get_incident (HgIncidentPane *self);
/* @incident: an item of the client's live list, or NULL. */
void        hg_incident_pane_set_incident (HgIncidentPane *self,
                                           HgIncident     *incident);

G_END_DECLS
