/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include "hg-bucket.h"

typedef struct {
  double tokens;
  gint64 at_us;     /* when @tokens was right */
} Bucket;

struct _HgBuckets {
  double      rate;   /* tokens per second, also the capacity */
  GHashTable *buckets;  /* gint64* key -> Bucket* */
};

HgBuckets *
hg_buckets_new (guint rate)
{
  HgBuckets *self = g_new0 (HgBuckets, 1);

  self->rate = MAX (rate, 1);
  self->buckets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  return self;
}

void
hg_buckets_free (HgBuckets *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->buckets);
  g_free (self);
}

static Bucket *
get_bucket (HgBuckets *self,
            gint64     key,
            gint64     now_us)
{
  Bucket *bucket = g_hash_table_lookup (self->buckets, &key);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->rate;
      bucket->at_us = now_us;
      g_hash_table_insert (self->buckets, g_memdup2 (&key, sizeof key), bucket);
    }
  /* Refill for the time gone by, up to the burst. */
  if (now_us > bucket->at_us)
    bucket->tokens = MIN (self->rate, bucket->tokens + self->rate * (now_us - bucket->at_us) / G_USEC_PER_SEC);
  bucket->at_us = MAX (bucket->at_us, now_us);
  return bucket;
}

guint
hg_buckets_take (HgBuckets *self,
                 gint64     key,
                 guint      n,
                 gint64     now_us)
{
  Bucket *bucket = get_bucket (self, key, now_us);
  double needed = MIN ((double) n, self->rate);
  double wait;
  guint seconds;

  if (bucket->tokens >= needed)
    {
      bucket->tokens -= n;
      return 0;
    }
  wait = (needed - bucket->tokens) / self->rate;
  seconds = (guint) wait;
  return MAX (seconds + (seconds < wait), 1);
}
