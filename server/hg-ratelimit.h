/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Counts events per key in a sliding window: at most @max_events per
 * @window_ms for each key. Used for failed logins (per staff id and per
 * client address). Main-thread only. */
typedef struct _HgRateLimit HgRateLimit;

HgRateLimit *hg_rate_limit_new     (guint        max_events,
                                    gint64       window_ms);
void         hg_rate_limit_free    (HgRateLimit *self);
/* 0 when @key may go on now, else the seconds to wait. */
guint        hg_rate_limit_check   (HgRateLimit *self,
                                    const char  *key,
                                    gint64       now_ms);
void         hg_rate_limit_record  (HgRateLimit *self,
                                    const char  *key,
                                    gint64       now_ms);
void         hg_rate_limit_reset   (HgRateLimit *self,
                                    const char  *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgRateLimit, hg_rate_limit_free)

G_END_DECLS
