/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>
#include <glib/gstdio.h>

#include "hg-cache.h"
#include "hg-error.h"
#include "hg-json.h"

#define SCHEMA \
  "CREATE TABLE IF NOT EXISTS incidents (id INTEGER PRIMARY KEY, json TEXT NOT NULL);" \
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);" \
  "CREATE TABLE IF NOT EXISTS origin (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL);"

struct _HgCache {
  GObject  parent_instance;
  char    *path;
  char    *origin;  /* whose board: saved with it */
  GMutex   lock;   /* one thread at a time on db */
  sqlite3 *db;
};

G_DEFINE_FINAL_TYPE (HgCache, hg_cache, G_TYPE_OBJECT)

void
hg_cache_snapshot_free (HgCacheSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_pointer (&snapshot->incidents, g_ptr_array_unref);
  g_free (snapshot->origin);
  g_free (snapshot);
}

static gboolean
sql_error (sqlite3     *db,
           const char  *what,
           GError     **error)
{
  hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL, "cache: %s: %s", what,
                db ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

/* Called with the lock held. */
static gboolean
ensure_open (HgCache  *self,
             GError  **error)
{
  g_autofree char *dir = NULL;

  if (self->db != NULL)
    return TRUE;
  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cache: cannot make %s: %s",
                   dir, g_strerror (saved));
      return FALSE;
    }
  if (sqlite3_open (self->path, &self->db) != SQLITE_OK
      || sqlite3_exec (self->db, "PRAGMA journal_mode=WAL;" SCHEMA, NULL, NULL, NULL) != SQLITE_OK)
    {
      sql_error (self->db, self->path, error);
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK || sql_error (db, sql, error);
}

static gboolean
put_meta (sqlite3     *db,
          const char  *key,
          gint64       value,
          GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT OR REPLACE INTO meta (key, value) VALUES ('%s', %"
                                          G_GINT64_FORMAT ")", key, value);

  return exec (db, sql, error);
}

typedef struct {
  GPtrArray *ids;    /* gint64 */
  GPtrArray *texts;  /* char *, the incidents' JSON */
  gint64     seq;
  char      *origin;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_ptr_array_unref (data->ids);
  g_ptr_array_unref (data->texts);
  g_free (data->origin);
  g_free (data);
}

static SaveData *
save_data_new (HgCache    *self,
               GListModel *incidents,
               gint64      seq)
{
  SaveData *data = g_new0 (SaveData, 1);
  guint n = g_list_model_get_n_items (incidents);

  data->origin = g_strdup (self->origin);

  data->ids = g_ptr_array_new_full (n, g_free);
  data->texts = g_ptr_array_new_full (n, g_free);
  data->seq = seq;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HgIncident) incident = g_list_model_get_item (incidents, i);
      g_autoptr(JsonNode) node = hg_json_incident_to_node (incident, FALSE);
      gint64 id = hg_incident_get_id (incident);

      g_ptr_array_add (data->ids, g_memdup2 (&id, sizeof id));
      g_ptr_array_add (data->texts, hg_json_to_string (node, NULL));
    }
  return data;
}

static gboolean
put_origin (sqlite3     *db,
            const char  *origin,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (origin == NULL)
    return exec (db, "DELETE FROM origin", error);
  ok = sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO origin (id, value) VALUES (1, ?)", -1, &stmt,
                           NULL) == SQLITE_OK
       && sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC) == SQLITE_OK
       && sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return ok || sql_error (db, "origin", error);
}

static gboolean
save_locked (HgCache   *self,
             SaveData  *data,
             GError   **error)
{
  sqlite3_stmt *insert = NULL;
  gboolean ok = FALSE;

  if (!ensure_open (self, error) || !exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!exec (self->db, "DELETE FROM incidents", error))
    goto out;
  if (sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO incidents (id, json) VALUES (?, ?)", -1,
                          &insert, NULL) != SQLITE_OK)
    {
      sql_error (self->db, "prepare", error);
      goto out;
    }
  for (guint i = 0; i < data->ids->len; i++)
    {
      sqlite3_bind_int64 (insert, 1, *(gint64 *) data->ids->pdata[i]);
      sqlite3_bind_text (insert, 2, data->texts->pdata[i], -1, SQLITE_STATIC);
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          sql_error (self->db, "insert", error);
          goto out;
        }
      sqlite3_reset (insert);
    }
  ok = put_meta (self->db, "seq", data->seq, error)
       && put_meta (self->db, "saved_at", g_get_real_time (), error)
       && put_origin (self->db, data->origin, error)
       && exec (self->db, "COMMIT", error);
out:
  sqlite3_finalize (insert);
  if (!ok)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return ok;
}

static gboolean
save (HgCache   *self,
      SaveData  *data,
      GError   **error)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = save_locked (self, data, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

static HgCacheSnapshot *
load_locked (HgCache  *self,
             GError  **error)
{
  g_autoptr(HgCacheSnapshot) snapshot = g_new0 (HgCacheSnapshot, 1);
  sqlite3_stmt *stmt = NULL;
  int rc;

  snapshot->incidents = g_ptr_array_new_with_free_func (g_object_unref);
  if (!ensure_open (self, error))
    return NULL;
  /* One read transaction, so the rows and the seq belong together. */
  if (!exec (self->db, "BEGIN", error))
    return NULL;
  if (sqlite3_prepare_v2 (self->db, "SELECT json FROM incidents ORDER BY id DESC", -1, &stmt,
                          NULL) != SQLITE_OK)
    goto fail_sql;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(JsonNode) node = hg_json_parse (text, sqlite3_column_bytes (stmt, 0), error);
      HgIncident *incident = node ? hg_json_incident_from_node (node, error) : NULL;

      if (incident == NULL)
        {
          g_prefix_error (error, "cache: ");
          goto fail;
        }
      g_ptr_array_add (snapshot->incidents, incident);
    }
  if (rc != SQLITE_DONE)
    goto fail_sql;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (sqlite3_prepare_v2 (self->db, "SELECT key, value FROM meta", -1, &stmt, NULL) != SQLITE_OK)
    goto fail_sql;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (key, "seq") == 0)
        snapshot->seq = sqlite3_column_int64 (stmt, 1);
      else if (g_strcmp0 (key, "saved_at") == 0)
        snapshot->saved_at = sqlite3_column_int64 (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    goto fail_sql;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM origin", -1, &stmt, NULL) != SQLITE_OK)
    goto fail_sql;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    snapshot->origin = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    goto fail_sql;
  sqlite3_finalize (stmt);
  exec (self->db, "COMMIT", NULL);
  return g_steal_pointer (&snapshot);

fail_sql:
  sql_error (self->db, "load", error);
fail:
  sqlite3_finalize (stmt);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return NULL;
}

static HgCacheSnapshot *
load (HgCache  *self,
      GError  **error)
{
  HgCacheSnapshot *snapshot;

  g_mutex_lock (&self->lock);
  snapshot = load_locked (self, error);
  g_mutex_unlock (&self->lock);
  return snapshot;
}

gboolean
hg_cache_save (HgCache     *self,
               GListModel  *incidents,
               gint64       seq,
               GError     **error)
{
  SaveData *data;
  gboolean ok;

  g_return_val_if_fail (HG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (G_IS_LIST_MODEL (incidents), FALSE);

  data = save_data_new (self, incidents, seq);
  ok = save (self, data, error);
  save_data_free (data);
  return ok;
}

HgCacheSnapshot *
hg_cache_load (HgCache  *self,
               GError  **error)
{
  g_return_val_if_fail (HG_IS_CACHE (self), NULL);

  return load (self, error);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (save (source, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
hg_cache_save_async (HgCache             *self,
                     GListModel          *incidents,
                     gint64               seq,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HG_IS_CACHE (self));
  g_return_if_fail (G_IS_LIST_MODEL (incidents));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_cache_save_async);
  g_task_set_task_data (task, save_data_new (self, incidents, seq), (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
hg_cache_save_finish (HgCache       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  HgCacheSnapshot *snapshot = load (source, &error);

  if (snapshot != NULL)
    g_task_return_pointer (task, snapshot, (GDestroyNotify) hg_cache_snapshot_free);
  else
    g_task_return_error (task, error);
}

void
hg_cache_load_async (HgCache             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HG_IS_CACHE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_cache_load_async);
  g_task_run_in_thread (task, load_thread);
}

HgCacheSnapshot *
hg_cache_load_finish (HgCache       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

HgCache *
hg_cache_new (const char *path)
{
  HgCache *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (HG_TYPE_CACHE, NULL);
  self->path = g_strdup (path);
  return self;
}

const char *
hg_cache_get_path (HgCache *self)
{
  g_return_val_if_fail (HG_IS_CACHE (self), NULL);
  return self->path;
}

void
hg_cache_set_origin (HgCache    *self,
                     const char *origin)
{
  g_return_if_fail (HG_IS_CACHE (self));

  g_free (self->origin);
  self->origin = g_strdup (origin);
}

static void
hg_cache_finalize (GObject *object)
{
  HgCache *self = HG_CACHE (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->lock);
  g_free (self->path);
  g_free (self->origin);
  G_OBJECT_CLASS (hg_cache_parent_class)->finalize (object);
}

static void
hg_cache_class_init (HgCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hg_cache_finalize;
}

static void
hg_cache_init (HgCache *self)
{
  g_mutex_init (&self->lock);
}
