/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include "hg-board-cache.h"

/* A busy ward changes the list many times a second: save at most once
 * every SAVE_DELAY_MSEC, the first change starting the clock (a debounce
 * that restarts at every change would never save while it stays busy). */
#define SAVE_DELAY_MSEC 2000

struct _HgBoardCache {
  GObject          parent_instance;

  HgCache         *cache;
  GCancellable    *cancellable;
  gboolean         loaded;
  HgCacheSnapshot *snapshot;

  HgClient        *client;
  guint            save_source;
  gboolean         saving;      /* a save runs on a worker */
  gboolean         dirty;       /* and the list changed since it began */
};

G_DEFINE_FINAL_TYPE (HgBoardCache, hg_board_cache, G_TYPE_OBJECT)

enum {
  SIGNAL_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
origin_of (const char *server,
           const char *staff_id)
{
  return g_strdup_printf ("%s@%s", staff_id, server);
}

/* --- Loading ----------------------------------------------------------- */

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(HgBoardCache) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HgCacheSnapshot) snapshot = hg_cache_load_finish (HG_CACHE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A cache that cannot be read is only a slower start. */
  if (snapshot == NULL)
    g_message ("No offline board: %s", error->message);
  else
    g_debug ("Offline board: %u incidents as of seq %" G_GINT64_FORMAT,
             snapshot->incidents->len, snapshot->seq);
  self->snapshot = g_steal_pointer (&snapshot);
  self->loaded = TRUE;
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

gboolean
hg_board_cache_is_loaded (HgBoardCache *self)
{
  g_return_val_if_fail (HG_IS_BOARD_CACHE (self), FALSE);
  return self->loaded;
}

const HgCacheSnapshot *
hg_board_cache_lookup (HgBoardCache *self,
                       const char   *server,
                       const char   *staff_id)
{
  g_autofree char *origin = NULL;

  g_return_val_if_fail (HG_IS_BOARD_CACHE (self), NULL);

  if (self->snapshot == NULL || self->snapshot->incidents->len == 0
      || server == NULL || *server == '\0' || staff_id == NULL || *staff_id == '\0')
    return NULL;
  origin = origin_of (server, staff_id);
  return g_strcmp0 (origin, self->snapshot->origin) == 0 ? self->snapshot : NULL;
}

void
hg_board_cache_drop_snapshot (HgBoardCache *self)
{
  g_return_if_fail (HG_IS_BOARD_CACHE (self));
  g_clear_pointer (&self->snapshot, hg_cache_snapshot_free);
}

/* --- Saving --------------------------------------------------------------- */

static void schedule_save (HgBoardCache *self);

static void
saved (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(HgBoardCache) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hg_cache_save_finish (HG_CACHE (source), result, &error))
    g_message ("Cannot save the offline board: %s", error->message);
  self->saving = FALSE;
  if (self->dirty)
    schedule_save (self);
}

static gboolean
save_due (gpointer data)
{
  HgBoardCache *self = data;

  self->save_source = 0;
  if (self->client == NULL)
    return G_SOURCE_REMOVE;
  self->saving = TRUE;
  self->dirty = FALSE;
  hg_cache_save_async (self->cache, hg_client_get_incidents (self->client),
                       hg_client_get_last_seq (self->client), self->cancellable, saved,
                       g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_save (HgBoardCache *self)
{
  self->dirty = TRUE;
  if (self->save_source != 0 || self->saving)
    return;
  self->save_source = g_timeout_add (SAVE_DELAY_MSEC, save_due, self);
}

/* In-place updates move the seq; additions and removals change the list
 * (a refetch may change it without a new seq). */
static void
on_last_seq (HgBoardCache *self)
{
  schedule_save (self);
}

static void
on_items_changed (HgBoardCache *self)
{
  schedule_save (self);
}

static void
unfollow (HgBoardCache *self)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->dirty = FALSE;
  if (self->client == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->client, self);
  g_signal_handlers_disconnect_by_data (hg_client_get_incidents (self->client), self);
  g_clear_object (&self->client);
}

void
hg_board_cache_follow (HgBoardCache *self,
                       HgClient     *client)
{
  g_autofree char *origin = NULL;

  g_return_if_fail (HG_IS_BOARD_CACHE (self));
  g_return_if_fail (client == NULL || HG_IS_CLIENT (client));

  if (client == self->client)
    return;
  unfollow (self);
  if (client == NULL)
    return;
  self->client = g_object_ref (client);
  origin = origin_of (hg_client_get_base_url (client), hg_client_get_staff_id (client));
  hg_cache_set_origin (self->cache, origin);
  g_signal_connect_swapped (client, "notify::last-seq", G_CALLBACK (on_last_seq), self);
  g_signal_connect_swapped (hg_client_get_incidents (client), "items-changed",
                            G_CALLBACK (on_items_changed), self);
}

void
hg_board_cache_save_now (HgBoardCache *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HG_IS_BOARD_CACHE (self));

  /* A save on a worker may not finish before the process ends. */
  if (self->client == NULL || (!self->dirty && !self->saving))
    return;
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->dirty = FALSE;
  /* The lock in HgCache orders this after a save still on a worker. */
  if (!hg_cache_save (self->cache, hg_client_get_incidents (self->client),
                      hg_client_get_last_seq (self->client), &error))
    g_message ("Cannot save the offline board: %s", error->message);
}

void
hg_board_cache_clear (HgBoardCache *self)
{
  g_autoptr(GListStore) empty = g_list_store_new (HG_TYPE_INCIDENT);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HG_IS_BOARD_CACHE (self));

  unfollow (self);
  hg_board_cache_drop_snapshot (self);
  hg_cache_set_origin (self->cache, NULL);
  if (!hg_cache_save (self->cache, G_LIST_MODEL (empty), 0, &error))
    g_message ("Cannot empty the offline board: %s", error->message);
}

/* --- GObject -------------------------------------------------------------- */

HgBoardCache *
hg_board_cache_new (const char *path)
{
  HgBoardCache *self = g_object_new (HG_TYPE_BOARD_CACHE, NULL);
  g_autofree char *default_path = NULL;

  if (path == NULL)
    path = default_path = g_build_filename (g_get_user_cache_dir (), "healthguard", "cache.db", NULL);
  self->cache = hg_cache_new (path);
  hg_cache_load_async (self->cache, self->cancellable, loaded, g_object_ref (self));
  return self;
}

static void
hg_board_cache_dispose (GObject *object)
{
  HgBoardCache *self = HG_BOARD_CACHE (object);

  unfollow (self);
  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (hg_board_cache_parent_class)->dispose (object);
}

static void
hg_board_cache_finalize (GObject *object)
{
  HgBoardCache *self = HG_BOARD_CACHE (object);

  g_clear_object (&self->cache);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->snapshot, hg_cache_snapshot_free);
  G_OBJECT_CLASS (hg_board_cache_parent_class)->finalize (object);
}

static void
hg_board_cache_class_init (HgBoardCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hg_board_cache_dispose;
  object_class->finalize = hg_board_cache_finalize;

  /* HgBoardCache::loaded: what was saved is known (hg_board_cache_lookup). */
  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
hg_board_cache_init (HgBoardCache *self)
{
  self->cancellable = g_cancellable_new ();
}
