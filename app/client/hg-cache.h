/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The last known board on disk (SQLite), so that the app can show it at
 * once, marked stale, before the server answers. */

#include <gio/gio.h>

#include "hg-models.h"

G_BEGIN_DECLS

typedef struct {
  GPtrArray *incidents;  /* HgIncident */
  gint64     seq;        /* the stream seq they are as of; 0 when empty */
  gint64     saved_at;   /* wall-clock µs; 0 when nothing was saved */
  char      *origin;     /* hg_cache_set_origin()'s at the save, or NULL */
} HgCacheSnapshot;

void hg_cache_snapshot_free (HgCacheSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgCacheSnapshot, hg_cache_snapshot_free)

#define HG_TYPE_CACHE (hg_cache_get_type ())
G_DECLARE_FINAL_TYPE (HgCache, hg_cache, HG, CACHE, GObject)

/* The file and its folder are made on first use. */
HgCache         *hg_cache_new         (const char           *path);
const char      *hg_cache_get_path    (HgCache              *self);
/* Whose board the next saves are (the app says "STAFF@SERVER"), so that
 * a load can tell a board that belongs to someone or somewhere else. */
void             hg_cache_set_origin  (HgCache              *self,
                                       const char           *origin);

/* Replaces what is stored with @incidents (a GListModel of HgIncident) and
 * @seq, in one transaction. */
gboolean         hg_cache_save        (HgCache              *self,
                                       GListModel           *incidents,
                                       gint64                seq,
                                       GError              **error);
HgCacheSnapshot *hg_cache_load        (HgCache              *self,
                                       GError              **error);

/* The same on a worker thread. The incidents are serialised on the
 * calling thread first, so the model may change right after. */
void             hg_cache_save_async  (HgCache              *self,
                                       GListModel           *incidents,
                                       gint64                seq,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean         hg_cache_save_finish (HgCache              *self,
                                       GAsyncResult         *result,
                                       GError              **error);
void             hg_cache_load_async  (HgCache              *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
HgCacheSnapshot *hg_cache_load_finish (HgCache              *self,
                                       GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
