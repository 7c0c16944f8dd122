/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <string.h>

#include "hg-error.h"
#include "hg-sessions.h"
#include "hg-types.h"

/* A session's use is written at most this often. */
#define MAX_TICK_MS 60000

typedef struct {
  gint64 last_used;   /* the newest use seen here (ms) */
  gint64 stored;      /* the newest use written to the database */
} Use;

struct _HgSessions {
  HgStore    *store;
  HgStream   *stream;
  gint64      idle_ms;
  gint64      tick_ms;
  GHashTable *uses;   /* GBytes (token hash) -> Use* */
  guint       tick_source;
};

static Use *
get_use (HgSessions   *self,
         const guchar  hash[32],
         gint64        stored)
{
  g_autoptr(GBytes) key = g_bytes_new (hash, 32);
  Use *use = g_hash_table_lookup (self->uses, key);

  if (use == NULL)
    {
      use = g_new0 (Use, 1);
      use->stored = stored;
      use->last_used = stored;
      g_hash_table_insert (self->uses, g_steal_pointer (&key), use);
    }
  return use;
}

gboolean
hg_sessions_check (HgSessions         *self,
                   const HgPrincipal  *principal,
                   GError            **error)
{
  gint64 now = hg_time_now_ms ();
  Use *use = get_use (self, principal->token_hash, principal->last_used_at);

  if (now - MAX (use->last_used, principal->last_used_at) >= self->idle_ms)
    {
      g_autoptr(GBytes) key = g_bytes_new (principal->token_hash, 32);

      g_hash_table_remove (self->uses, key);
      hg_set_error (error, HG_ERROR_UNAUTHENTICATED, "invalid_token", NULL,
                    "the session was unused for longer than %" G_GINT64_FORMAT " s: sign in again",
                    self->idle_ms / 1000);
      return FALSE;
    }
  use->last_used = MAX (use->last_used, now);
  return TRUE;
}

/* An open stream is a screen in use. */
static void
touch_stream_token (const guchar token_hash[32],
                    gpointer     user_data)
{
  HgSessions *self = user_data;
  Use *use = get_use (self, token_hash, 0);

  use->last_used = MAX (use->last_used, hg_time_now_ms ());
}

static void
touched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The next tick writes again what this one could not. */
  if (!hg_store_touch_sessions_finish (HG_STORE (source), result, &error))
    g_debug ("Could not write the sessions' last use: %s", error->message);
}

void
hg_sessions_flush (HgSessions *self)
{
  g_autoptr(GArray) uses = g_array_new (FALSE, FALSE, sizeof (HgSessionUse));
  gint64 now = hg_time_now_ms ();
  GHashTableIter iter;
  gpointer key, value;

  if (self->stream != NULL)
    hg_stream_foreach_token (self->stream, touch_stream_token, self);
  g_hash_table_iter_init (&iter, self->uses);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Use *use = value;
      HgSessionUse row = { .at = use->last_used };

      if (now - use->last_used >= self->idle_ms)
        {
          g_hash_table_iter_remove (&iter);   /* gone idle: the job closes it */
          continue;
        }
      if (use->last_used <= use->stored)
        continue;
      memcpy (row.hash, g_bytes_get_data (key, NULL), sizeof row.hash);
      g_array_append_val (uses, row);
      use->stored = use->last_used;
    }
  /* One tick of slack: a use seen after this job was queued is written by
   * the next one, and must not find its session closed meanwhile. */
  hg_store_touch_sessions_async (self->store, uses, now - self->idle_ms - self->tick_ms, touched, NULL);
}

static gboolean
tick (gpointer data)
{
  hg_sessions_flush (data);
  return G_SOURCE_CONTINUE;
}

HgSessions *
hg_sessions_new (HgStore  *store,
                 HgStream *stream,
                 guint     idle_timeout_s)
{
  HgSessions *self = g_new0 (HgSessions, 1);

  self->store = g_object_ref (store);
  self->stream = stream ? g_object_ref (stream) : NULL;
  self->idle_ms = (gint64) MAX (idle_timeout_s, 1) * 1000;
  self->tick_ms = CLAMP (self->idle_ms / 4, 1000, MAX_TICK_MS);
  self->uses = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, g_free);
  self->tick_source = g_timeout_add (self->tick_ms, tick, self);
  return self;
}

void
hg_sessions_free (HgSessions *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->tick_source, g_source_remove);
  /* What this run saw is not lost to a restart. */
  hg_sessions_flush (self);
  g_hash_table_unref (self->uses);
  g_clear_object (&self->stream);
  g_clear_object (&self->store);
  g_free (self);
}
