/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The idle timeout of staff sessions.
 *
 * Every request would otherwise write its session's last use: instead the
 * uses are kept here, in memory, and written by one writer job per tick
 * (at most once a minute). A session is idle when neither its stored last
 * use nor a newer one seen here is within the timeout. The stored value
 * only ever lags the truth, so after a restart a session may look idle up
 * to one tick early, never late. Each tick also closes, in the database,
 * the sessions that have gone idle, and counts an open stream as a use:
 * a ward screen that shows the stream stays signed in. Main thread only. */

#include "hg-store.h"
#include "hg-stream.h"

G_BEGIN_DECLS

typedef struct _HgSessions HgSessions;

HgSessions *hg_sessions_new    (HgStore            *store,
                                HgStream           *stream,
                                guint               idle_timeout_s);
/* Writes what is pending, then stops. */
void        hg_sessions_free   (HgSessions         *self);
/* HG_ERROR_UNAUTHENTICATED when @principal's session has been idle too
 * long; otherwise records this use. */
gboolean    hg_sessions_check  (HgSessions         *self,
                                const HgPrincipal  *principal,
                                GError            **error);
/* Queues the write of the uses seen since the last one. */
void        hg_sessions_flush  (HgSessions         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgSessions, hg_sessions_free)

G_END_DECLS
