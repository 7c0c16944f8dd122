/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Assignment inside the writer's transaction: loads who is on duty, ranks
 * them with hg-routing, and records the choice. */

#include "hg-store-private.h"

G_BEGIN_DECLS

/* Appends a timeline row for @incident_id. @actor_id NULL: the server. */
gboolean  hg_timeline_append (HgDb        *db,
                              gint64       incident_id,
                              gint64       now,
                              const char  *actor_id,
                              const char  *action,
                              int          from_status,
                              int          to_status,
                              const char  *detail,
                              GError     **error);

/* Picks the best person for the incident (never @exclude_id, nor anyone
 * who declined it) and assigns it to them, or leaves it as it is when
 * nobody may take it. @out_staff receives the chosen one (new reference)
 * or NULL. Bumps the incident's version and writes the timeline. */
gboolean  hg_assigner_assign (HgDb        *db,
                              gint64       incident_id,
                              gint64       now,
                              const char  *exclude_id,
                              const char  *actor_id,
                              const char  *action,
                              HgStaff    **out_staff,
                              GError     **error);

/* Assigns @incident_id to @staff (already loaded), from its current status. */
gboolean  hg_assigner_assign_to (HgDb       *db,
                                 gint64      incident_id,
                                 gint64      now,
                                 HgStaff    *staff,
                                 const char *actor_id,
                                 const char *action,
                                 const char *detail,
                                 GError    **error);

char     *hg_assigner_describe (HgStaff *staff);

G_END_DECLS
