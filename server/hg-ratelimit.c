/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include "hg-ratelimit.h"

/* Bounds the memory an attacker can make us spend on keys. */
#define MAX_KEYS 100000

struct _HgRateLimit {
  guint       max_events;
  gint64      window_ms;
  GHashTable *keys;     /* char* -> GQueue* of gint64 times, oldest first */
};

static void
free_queue (gpointer data)
{
  g_queue_free_full (data, g_free);
}

HgRateLimit *
hg_rate_limit_new (guint  max_events,
                   gint64 window_ms)
{
  HgRateLimit *self = g_new0 (HgRateLimit, 1);

  self->max_events = max_events;
  self->window_ms = window_ms;
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_queue);
  return self;
}

void
hg_rate_limit_free (HgRateLimit *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->keys);
  g_free (self);
}

static GQueue *
expire (HgRateLimit *self,
        const char  *key,
        gint64       now_ms)
{
  GQueue *times = g_hash_table_lookup (self->keys, key);

  while (times != NULL && !g_queue_is_empty (times) &&
         *(gint64 *) g_queue_peek_head (times) <= now_ms - self->window_ms)
    g_free (g_queue_pop_head (times));
  if (times != NULL && g_queue_is_empty (times))
    {
      g_hash_table_remove (self->keys, key);
      times = NULL;
    }
  return times;
}

guint
hg_rate_limit_check (HgRateLimit *self,
                     const char  *key,
                     gint64       now_ms)
{
  GQueue *times = expire (self, key, now_ms);
  gint64 oldest;

  if (times == NULL || g_queue_get_length (times) < self->max_events)
    return 0;
  oldest = *(gint64 *) g_queue_peek_head (times);
  return (guint) MAX (1, (oldest + self->window_ms - now_ms + 999) / 1000);
}

void
hg_rate_limit_record (HgRateLimit *self,
                      const char  *key,
                      gint64       now_ms)
{
  GQueue *times = expire (self, key, now_ms);

  if (times == NULL)
    {
      if (g_hash_table_size (self->keys) >= MAX_KEYS)
        g_hash_table_remove_all (self->keys);
      times = g_queue_new ();
      g_hash_table_insert (self->keys, g_strdup (key), times);
    }
  g_queue_push_tail (times, g_memdup2 (&now_ms, sizeof now_ms));
  while (g_queue_get_length (times) > self->max_events)
    g_free (g_queue_pop_head (times));
}

void
hg_rate_limit_reset (HgRateLimit *self,
                     const char  *key)
{
  g_hash_table_remove (self->keys, key);
}
