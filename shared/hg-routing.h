/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include "hg-models.h"

G_BEGIN_DECLS

/* Ranks @candidates (HgStaff*, with on_duty, available, workload and
 * last_assigned_at filled in) for an incident of @type in @ward (may be NULL).
 *
 * Tiers, in order: the type's required role (and specialty, when it names
 * one); then each fallback role in order; then anyone else on duty. Admins
 * are never candidates, nor is anyone off duty, unavailable, disabled, or
 * whose id is in @exclude (NULL-terminated, may be NULL). Within a tier:
 * for ward roles (nurse, charge nurse) those of @ward first; then fewest
 * active incidents; then longest since their last assignment (never assigned
 * first); then id, so the order is total.
 *
 * Returns a new array of borrowed HgStaff* pointers, best first; empty when
 * nobody may take it. */
GPtrArray *hg_routing_rank (HgAlertType       *type,
                            const char        *ward,
                            GPtrArray         *candidates,
                            const char *const *exclude);

G_END_DECLS
