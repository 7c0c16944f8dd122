/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Token buckets, one per integer key: @rate tokens a second, holding at
 * most @rate (a second's worth of burst). Used for the alert ceiling of
 * each integration key. Main-thread only. */
typedef struct _HgBuckets HgBuckets;

HgBuckets *hg_buckets_new   (guint       rate);
void       hg_buckets_free  (HgBuckets  *self);
/* Takes @n tokens from @key's bucket: 0 when granted, else the seconds
 * until it would be. A request larger than the burst passes when the
 * bucket is full and leaves it in debt, so the rate over time holds. */
guint      hg_buckets_take  (HgBuckets  *self,
                             gint64      key,
                             guint       n,
                             gint64      now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgBuckets, hg_buckets_free)

G_END_DECLS
