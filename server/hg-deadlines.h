/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Timed escalation, inside the writer's transaction.
 *
 * Each incident that waits for someone has rows in "deadlines", one per
 * pending step: remind, reassign and supervisors while nobody has answered
 * it (open or assigned), start once it is acknowledged. The rows follow the
 * incident by themselves: a temporary trigger on the writer's connection
 * notes every incident whose status, assignee or assignment time a job
 * changes, and hg_deadlines_sync(), at the end of the job, schedules that
 * incident's steps from its new state. No code that changes an incident has
 * to remember escalation.
 *
 * A step deletes its row and acts in the same job, so after a crash it has
 * either happened and is gone, or not happened and is still due. */

#include "hg-config.h"
#include "hg-store-private.h"

G_BEGIN_DECLS

/* Creates the temporary change log and its triggers (once per connection,
 * after the migrations). */
gboolean  hg_deadlines_prepare  (HgDb                      *db,
                                 GError                   **error);
/* Reschedules the incidents this job changed; runs before the job's events
 * are written. */
gboolean  hg_deadlines_sync     (HgDb                      *db,
                                 gint64                     now,
                                 const HgEscalationPolicy  *policies,
                                 GError                   **error);
/* `escalate` by hand: the incident's next pending step now, or an alert to
 * the supervisors when none is pending. @actor_id did it, @reason may be
 * NULL. */
gboolean  hg_deadlines_escalate (HgDb                      *db,
                                 gint64                     incident_id,
                                 gint64                     now,
                                 const HgEscalationPolicy  *policies,
                                 const char                *actor_id,
                                 const char                *reason,
                                 GError                   **error);

G_END_DECLS
