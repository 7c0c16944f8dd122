/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The one timer behind timed escalation. Deadlines are rows (see
 * hg-deadlines.h); this waits for the nearest, asks the store to run what
 * is due, and looks again after every commit, since a commit may have
 * added an earlier deadline. A deadline already past at start runs at once. */

#include "hg-store.h"

G_BEGIN_DECLS

#define HG_TYPE_ESCALATOR (hg_escalator_get_type ())
G_DECLARE_FINAL_TYPE (HgEscalator, hg_escalator, HG, ESCALATOR, GObject)

/* Runs on the caller's thread-default main context, where @store emits. */
HgEscalator *hg_escalator_new   (HgStore     *store);
void         hg_escalator_start (HgEscalator *self);
/* No step is queued after this; one already queued still completes. */
void         hg_escalator_stop  (HgEscalator *self);

G_END_DECLS
