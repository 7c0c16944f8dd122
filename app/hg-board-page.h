/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The incident board: the client's active incidents in a sortable,
 * filterable column view (the most severe and oldest first), and the
 * selected one in an HgIncidentPane beside it. With "mine", only those
 * assigned to whoever signed in. */

#include <adwaita.h>

#include "hg-client.h"
#include "hg-page.h"

G_BEGIN_DECLS

#define HG_TYPE_BOARD_PAGE (hg_board_page_get_type ())
G_DECLARE_FINAL_TYPE (HgBoardPage, hg_board_page, HG, BOARD_PAGE, AdwBin)

/* What the column view shows, in its order: a GtkSingleSelection of
 * HgIncident. (transfer none) */
GtkSelectionModel *hg_board_page_get_model  (HgBoardPage *self);
/* The clock the ages count to, in ms since the epoch ("now"). */
gint64             hg_board_page_get_now    (HgBoardPage *self);
/* Opens the search bar with @text and filters at once. */
void               hg_board_page_set_search (HgBoardPage *self,
                                             const char  *text);
/* Filters on @ward (NULL or "": all wards), and keeps offering it in the
 * ward filter even while no incident is there: a station's own ward. The
 * user may still choose another. */
void               hg_board_page_set_ward   (HgBoardPage *self,
                                             const char  *ward);
/* The ward the filter shows, or NULL for all. (transfer full) */
char              *hg_board_page_get_ward   (HgBoardPage *self);
/* Selects the incident and opens it in the pane; FALSE when the board does
 * not show it (resolved, or filtered out). */
gboolean           hg_board_page_select_incident (HgBoardPage *self,
                                                  gint64       incident_id);

G_END_DECLS
