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

/* As hg_assigner_assign(), but the new holder's notification kind and
 * alarm reason is @reason ("assigned" or "escalated"). */
gboolean  hg_assigner_assign_for (HgDb        *db,
                                  gint64       incident_id,
                                  gint64       now,
                                  const char  *exclude_id,
                                  const char  *actor_id,
                                  const char  *action,
                                  const char  *reason,
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
/* For a new incident, before its row is written: the person it goes to (a
 * new reference, and in @out_why the reason), or NULL when nobody may take
 * it (@error tells a failure apart). The incident is then written already
 * assigned to them, and hg_assigner_record_new() does the rest: one write
 * of the row instead of a write and an update. */
HgStaff  *hg_assigner_choose_new (HgDb         *db,
                                  HgAlertType  *type,
                                  const char   *ward,
                                  gint64        now,
                                  char        **out_why,
                                  GError      **error);
/* What hg_assigner_assign() does after it updates the row, for a new
 * incident written assigned to @staff: their turn, the timeline ("assigned",
 * from open), the stream, the notification and the alarm. */
gboolean  hg_assigner_record_new (HgDb        *db,
                                  gint64       incident_id,
                                  gint64       now,
                                  HgStaff     *staff,
                                  const char  *why,
                                  GError     **error);

/* The person hg_assigner_assign() would choose, without assigning: a new
 * reference and in @out_why the reason, or NULL when nobody may take it
 * (@error tells a failure apart). */
HgStaff  *hg_assigner_pick     (HgDb        *db,
                                gint64       incident_id,
                                gint64       now,
                                const char  *exclude_id,
                                char       **out_why,
                                GError     **error);

G_END_DECLS
