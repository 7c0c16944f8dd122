/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shift handover on time. A timer on the owner's main context is armed for
 * the next moment a shift ends or starts, as the database says; when it
 * fires, a writer job hands over what the people leaving still hold (see
 * hg_store_hand_over_async()). The database, not this object, remembers
 * what was handled, so a restart neither loses nor repeats a handover. */

#include "hg-store.h"

G_BEGIN_DECLS

#define HG_TYPE_HANDOVER (hg_handover_get_type ())
G_DECLARE_FINAL_TYPE (HgHandover, hg_handover, HG, HANDOVER, GObject)

HgHandover *hg_handover_new   (HgStore    *store);
/* Catches up with what happened while the server was down, then follows
 * the schedule. */
void        hg_handover_start (HgHandover *self);
void        hg_handover_stop  (HgHandover *self);
/* The schedule or someone's availability changed: look again now. */
void        hg_handover_poke  (HgHandover *self);

G_END_DECLS
