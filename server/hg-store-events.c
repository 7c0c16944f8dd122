/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include "hg-error.h"
#include "hg-json.h"
#include "hg-store-private.h"

void
hg_event_free (HgEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->type);
  g_free (event->audience);
  g_free (event->data);
  g_free (event);
}

gint64
hg_store_get_last_seq (HgStore *self)
{
  gint64 seq;

  g_return_val_if_fail (HG_IS_STORE (self), 0);
  g_mutex_lock (&self->seq_lock);
  seq = self->committed_seq;
  g_mutex_unlock (&self->seq_lock);
  return seq;
}

gint64
hg_store_get_pruned_through (HgStore *self)
{
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, "SELECT value FROM store_meta"
                                      " WHERE key = 'pruned_through'", NULL);
  gint64 seq = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return seq;
}

GPtrArray *
hg_store_events_since (HgStore     *self,
                       gint64       since,
                       const char  *staff_id,
                       guint        limit,
                       GError     **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) hg_event_free);
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, staff_id
                                      ? "SELECT seq, at, type, audience, data FROM events WHERE seq > ?1"
                                        " AND (audience IS NULL OR audience = ?2) ORDER BY seq LIMIT ?3"
                                      : "SELECT seq, at, type, audience, data FROM events WHERE seq > ?1"
                                        " ORDER BY seq LIMIT ?3", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  if (staff_id != NULL)
    hg_bind_text (stmt, 2, staff_id);
  sqlite3_bind_int (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HgEvent *event = g_new0 (HgEvent, 1);

      event->seq = sqlite3_column_int64 (stmt, 0);
      event->at = sqlite3_column_int64 (stmt, 1);
      event->type = hg_column_dup (stmt, 2);
      event->audience = hg_column_dup (stmt, 3);
      event->data = hg_column_dup (stmt, 4);
      g_ptr_array_add (events, event);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (self->reader, error, "reading events");
      return NULL;
    }
  return g_steal_pointer (&events);
}

/* --- Retention -------------------------------------------------------- */

typedef struct {
  gint64 older_than;
} PruneJob;

static gboolean
prune_job (HgStore  *self,
           HgDb     *db,
           gint64    now,
           gpointer  data,
           GError  **error)
{
  PruneJob *job = data;
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT max(seq) FROM events WHERE at < ?", error);
  gint64 through = 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->older_than);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    through = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (through == 0)
    return TRUE;
  /* Everything up to that seq goes, so "pruned through" is exact. */
  if (!(stmt = hg_db_prepare (db, "DELETE FROM events WHERE seq <= ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, through);
  if (!hg_db_step_done (db, stmt, error) ||
      !(stmt = hg_db_prepare (db, "INSERT INTO store_meta (key, value) VALUES ('pruned_through', ?1)"
                              " ON CONFLICT (key) DO UPDATE SET value = max(value, ?1)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, through);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  g_debug ("Pruned events through seq %" G_GINT64_FORMAT, through);
  return TRUE;
}

void
hg_store_prune_events_async (HgStore             *self,
                             gint64               older_than,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  PruneJob *job = g_new0 (PruneJob, 1);

  job->older_than = older_than;
  hg_store_queue_job (self, prune_job, job, g_free, hg_store_prune_events_async, callback, user_data);
}

gboolean
hg_store_prune_events_finish (HgStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return hg_store_job_finish (self, result, hg_store_prune_events_async, error) != NULL;
}

/* --- Notifications ---------------------------------------------------- */

static JsonNode *
notification_from_row (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  static const char *const times[] = { "created_at", "delivered_at", "read_at" };

  json_object_set_int_member (object, "id", sqlite3_column_int64 (stmt, 0));
  if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
    json_object_set_null_member (object, "incident_id");
  else
    json_object_set_int_member (object, "incident_id", sqlite3_column_int64 (stmt, 1));
  json_object_set_string_member (object, "kind", (const char *) sqlite3_column_text (stmt, 2));
  json_object_set_string_member (object, "message", (const char *) sqlite3_column_text (stmt, 3));
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *text = NULL;

      if (sqlite3_column_type (stmt, 4 + i) == SQLITE_NULL)
        {
          json_object_set_null_member (object, times[i]);
          continue;
        }
      text = hg_time_format (sqlite3_column_int64 (stmt, 4 + i));
      json_object_set_string_member (object, times[i], text);
    }
  return hg_json_node_new_object (object);
}

GPtrArray *
hg_store_list_notifications (HgStore     *self,
                             const char  *staff_id,
                             gboolean     unread_only,
                             gint64       before_id,
                             guint        limit,
                             gint64      *out_next_before,
                             GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, unread_only
                                      ? "SELECT id, incident_id, kind, message, created_at, delivered_at, read_at"
                                        " FROM notifications WHERE staff_id = ?1 AND id < ?2 AND read_at IS NULL"
                                        " ORDER BY id DESC LIMIT ?3"
                                      : "SELECT id, incident_id, kind, message, created_at, delivered_at, read_at"
                                        " FROM notifications WHERE staff_id = ?1 AND id < ?2"
                                        " ORDER BY id DESC LIMIT ?3", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  hg_bind_text (stmt, 1, staff_id);
  sqlite3_bind_int64 (stmt, 2, before_id > 0 ? before_id : G_MAXINT64);
  sqlite3_bind_int (stmt, 3, limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && list->len < limit)
    g_ptr_array_add (list, notification_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      hg_db_set_error (self->reader, error, "listing notifications");
      return NULL;
    }
  *out_next_before = 0;
  if (rc == SQLITE_ROW && list->len > 0)
    *out_next_before = json_object_get_int_member (json_node_get_object (list->pdata[list->len - 1]), "id");
  return g_steal_pointer (&list);
}

typedef struct {
  char    *staff_id;
  gint64   id;
  gboolean delivered;   /* else read */
} MarkJob;

static void
mark_job_free (gpointer data)
{
  MarkJob *job = data;

  g_free (job->staff_id);
  g_free (job);
}

static gboolean
mark_job (HgStore  *self,
          HgDb     *db,
          gint64    now,
          gpointer  data,
          GError  **error)
{
  MarkJob *job = data;
  sqlite3_stmt *stmt;

  if (job->id > 0)
    {
      if (!(stmt = hg_db_prepare (db, "SELECT 1 FROM notifications WHERE id = ? AND staff_id = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, job->id);
      hg_bind_text (stmt, 2, job->staff_id);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          hg_set_error (error, HG_ERROR_NOT_FOUND, NULL, NULL,
                        "no notification %" G_GINT64_FORMAT " for you", job->id);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }
  stmt = hg_db_prepare (db, job->delivered
                        ? "UPDATE notifications SET delivered_at = ?1 WHERE staff_id = ?2"
                          " AND (?3 = 0 OR id = ?3) AND delivered_at IS NULL"
                        : "UPDATE notifications SET read_at = ?1,"
                          " delivered_at = coalesce(delivered_at, ?1) WHERE staff_id = ?2"
                          " AND (?3 = 0 OR id = ?3) AND read_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  hg_bind_text (stmt, 2, job->staff_id);
  sqlite3_bind_int64 (stmt, 3, job->id);
  return hg_db_step_done (db, stmt, error);
}

static void
queue_mark (HgStore             *self,
            const char          *staff_id,
            gint64               id,
            gboolean             delivered,
            gpointer             tag,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  MarkJob *job = g_new0 (MarkJob, 1);

  job->staff_id = g_strdup (staff_id);
  job->id = id;
  job->delivered = delivered;
  hg_store_queue_job (self, mark_job, job, mark_job_free, tag, callback, user_data);
}

void
hg_store_mark_read_async (HgStore             *self,
                          const char          *staff_id,
                          gint64               id,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  queue_mark (self, staff_id, id, FALSE, hg_store_mark_read_async, callback, user_data);
}

gboolean
hg_store_mark_read_finish (HgStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return hg_store_job_finish (self, result, hg_store_mark_read_async, error) != NULL;
}

void
hg_store_mark_delivered_async (HgStore             *self,
                               const char          *staff_id,
                               gint64               id,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  queue_mark (self, staff_id, id, TRUE, hg_store_mark_delivered_async, callback, user_data);
}

gboolean
hg_store_mark_delivered_finish (HgStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return hg_store_job_finish (self, result, hg_store_mark_delivered_async, error) != NULL;
}
