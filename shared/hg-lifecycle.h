/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include "hg-types.h"

G_BEGIN_DECLS

/* Decides, without side effects, whether @actor_id (with @actor_role) may
 * perform @action on an incident in @status assigned to @assignee_id (NULL:
 * nobody) at @escalation_level. @has_text says whether the request carried
 * the note or reason the action may need.
 *
 * On success @out_next receives the status the incident moves to when the
 * action finds a next person where it needs one (decline, escalate and
 * reassign move to "assigned"; the caller falls back to "open" when nobody is
 * left). On failure the error is HG_ERROR_CONFLICT (wire code
 * "illegal_transition": the state does not allow it), HG_ERROR_FORBIDDEN
 * (the state allows it but this person may not) or HG_ERROR_INVALID (the
 * note or reason is missing). The state is checked before the person. */
gboolean hg_lifecycle_check (HgIncidentStatus  status,
                             const char       *assignee_id,
                             guint             escalation_level,
                             HgAction          action,
                             const char       *actor_id,
                             HgRole            actor_role,
                             gboolean          has_text,
                             HgIncidentStatus *out_next,
                             GError          **error);

/* TRUE when @role may act on incidents that are not theirs (reassign,
 * escalate, resolve any). */
gboolean hg_role_is_supervisor (HgRole role);

G_END_DECLS
