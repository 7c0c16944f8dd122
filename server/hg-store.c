/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hg-deadlines.h"
#include "hg-error.h"
#include "hg-events.h"
#include "hg-store-private.h"

/* A batch is bounded so a flood of requests still gets answers in turn. */
#define MAX_BATCH 512
#define MIGRATIONS_PATH "/org/healthguard/server/migrations"

G_DEFINE_FINAL_TYPE (HgStore, hg_store, G_TYPE_OBJECT)

static char stop_sentinel;

typedef struct {
  HgStoreJobFunc func;
  gpointer       data;
  GDestroyNotify destroy;
  gboolean       alone;   /* in a batch of its own */
} HgJob;

static gboolean
is_big (gpointer item)
{
  return ((HgJob *) g_task_get_task_data (item))->alone;
}

static void
hg_job_free (gpointer data)
{
  HgJob *job = data;

  if (job->destroy != NULL)
    job->destroy (job->data);
  g_free (job);
}

void
hg_principal_clear (HgPrincipal *principal)
{
  g_clear_pointer (&principal->staff_id, g_free);
  g_clear_pointer (&principal->name, g_free);
  memset (principal->token_hash, 0, sizeof principal->token_hash);
}

/* --- Schema ----------------------------------------------------------- */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

static gboolean
apply_migration (HgDb       *db,
                 const char *name,
                 gint64      version,
                 GError    **error)
{
  g_autofree char *path = g_build_path ("/", MIGRATIONS_PATH, name, NULL);
  g_autoptr(GBytes) sql = g_resources_lookup_data (path, 0, error);
  sqlite3_stmt *stmt;

  if (sql == NULL)
    return FALSE;
  g_message ("Applying database migration %s", name);
  if (!hg_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!hg_db_exec (db, g_bytes_get_data (sql, NULL), error) ||
      !(stmt = hg_db_prepare (db, "INSERT INTO schema_migrations (version, name, applied_at) "
                                  "VALUES (?, ?, strftime('%s','now') * 1000)", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, version);
  hg_bind_text (stmt, 2, name);
  if (!hg_db_step_done (db, stmt, error) || !hg_db_exec (db, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  hg_db_exec (db, "ROLLBACK", NULL);
  return FALSE;
}

static gint64
applied_version (HgDb *db)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT coalesce(max(version), 0) FROM schema_migrations", NULL);
  gint64 version = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return version;
}

/* Migrations are numbered files (NNN-what.sql); each runs once, in its own
 * transaction, and is recorded in schema_migrations. */
static gboolean
migrate (HgDb    *db,
         GError **error)
{
  g_auto(GStrv) names = NULL;
  gint64 current, known = 0;

  if (!hg_db_exec (db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                       " applied_at INTEGER NOT NULL)", error))
    return FALSE;
  current = applied_version (db);
  names = g_resources_enumerate_children (MIGRATIONS_PATH, 0, error);
  if (names == NULL)
    return FALSE;
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);
  for (guint i = 0; names[i] != NULL; i++)
    {
      gint64 version = g_ascii_strtoll (names[i], NULL, 10);

      if (version <= 0)
        continue;
      known = MAX (known, version);
      if (version > current && !apply_migration (db, names[i], version, error))
        return FALSE;
    }
  /* A newer server has been here: this one would not know its tables'
   * rules (triggers it never wrote, columns it never fills). Going back is
   * restoring the backup taken before the upgrade. */
  if (current > known)
    {
      g_set_error (error, HG_ERROR, HG_ERROR_UNAVAILABLE,
                   "the database was upgraded to schema %" G_GINT64_FORMAT " by a newer server;"
                   " this one knows schema %" G_GINT64_FORMAT " at most: run the newer server,"
                   " or restore the backup taken before the upgrade", current, known);
      return FALSE;
    }
  return TRUE;
}

/* --- The writer ------------------------------------------------------- */

/* The writer's transaction statements, prepared once: sqlite3_exec ()
 * would parse each again for every job. */
static gboolean
run_cached (HgDb        *db,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, sql, error);

  return stmt != NULL && hg_db_step_done (db, stmt, error);
}

/* @previous: the function of the batch's last job that succeeded, or
 * NULL; what it left cached may serve this job only if it is the same. */
static gboolean
run_job (HgStore        *self,
         gint64          now,
         GTask          *task,
         HgStoreJobFunc  previous,
         gboolean        alone,
         GError        **error)
{
  HgJob *job = g_task_get_task_data (task);
  gint64 seq_before = self->writer->last_event_seq;

  if (job->func != previous)
    g_clear_pointer (&self->writer->candidates, g_ptr_array_unref);
  if (!alone && !run_cached (self->writer, "SAVEPOINT job", error))
    return FALSE;
  hg_events_reset (self->writer);
  if (job->func (self, self->writer, now, job->data, error) &&
      hg_deadlines_sync (self->writer, now, self->settings.escalation, error) &&
      hg_events_flush (self->writer, now, error))
    {
      if (!alone)
        run_cached (self->writer, "RELEASE job", NULL);
      return TRUE;
    }
  g_clear_pointer (&self->writer->candidates, g_ptr_array_unref);
  hg_events_reset (self->writer);
  self->writer->last_event_seq = seq_before;
  if (alone)
    /* The transaction was the job's own: it goes, and nothing with it. */
    run_cached (self->writer, "ROLLBACK", NULL);
  else
    {
      run_cached (self->writer, "ROLLBACK TO job", NULL);
      run_cached (self->writer, "RELEASE job", NULL);
    }
  return FALSE;
}

enum {
  SIGNAL_EVENTS_COMMITTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
emit_committed (gpointer data)
{
  HgStore *self = data;
  gint64 seq;

  g_mutex_lock (&self->seq_lock);
  seq = self->committed_seq;
  self->announcing = FALSE;
  g_mutex_unlock (&self->seq_lock);
  g_signal_emit (self, signals[SIGNAL_EVENTS_COMMITTED], 0, seq);
  return G_SOURCE_REMOVE;
}

/* Tells the owner's main loop that new events are on disk; batches that
 * commit before it listens are told in one emission. */
static void
announce_events (HgStore *self,
                 gint64   seq)
{
  gboolean queue;

  g_mutex_lock (&self->seq_lock);
  queue = seq > self->committed_seq && !self->announcing;
  if (seq > self->committed_seq)
    self->committed_seq = seq;
  self->announcing |= queue;
  g_mutex_unlock (&self->seq_lock);
  if (queue)
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_committed,
                                g_object_ref (self), g_object_unref);
}

/* A committed (or failed) batch on its way from the writer to the syncer. */
typedef struct {
  GPtrArray *tasks;       /* GTask*, owned */
  GError   **errors;      /* one per task; NULL where the job succeeded */
  gboolean   committed;
  gint64     last_seq;    /* the newest event seq once committed */
} HgCommit;

static void
hg_commit_free (HgCommit *commit)
{
  g_ptr_array_unref (commit->tasks);
  g_free (commit->errors);
  g_free (commit);
}

/* One transaction for every job of the batch. The commit writes the WAL
 * (synchronous=NORMAL: no fsync here); the syncer makes it durable and
 * answers, while this thread already runs the next batch. */
static HgCommit *
run_batch (HgStore   *self,
           GPtrArray *batch)
{
  g_autoptr(GError) begin_error = NULL;
  HgCommit *commit = g_new0 (HgCommit, 1);
  gint64 now = hg_time_now_ms ();
  gint64 seq_before = self->writer->last_event_seq;

  commit->tasks = g_ptr_array_ref (batch);
  commit->errors = g_new0 (GError *, batch->len);
  if (run_cached (self->writer, "BEGIN IMMEDIATE", &begin_error))
    {
      g_autoptr(GError) commit_error = NULL;
      HgStoreJobFunc previous = NULL;
      /* A job alone in its batch needs no savepoint: if it fails, the
       * whole transaction is rolled back. A savepoint is not free: every
       * statement inside one that SQLite journals for itself (triggers,
       * rows in several tables) truncates that journal on its end by
       * walking it from its start, and the journal holds every page the
       * job touched so far. An array of 100 new incidents spent a third
       * of the writer's time there. */
      gboolean alone = batch->len == 1;

      for (guint i = 0; i < batch->len; i++)
        {
          GTask *task = g_ptr_array_index (batch, i);

          previous = run_job (self, now, task, previous, alone, &commit->errors[i])
                     ? ((HgJob *) g_task_get_task_data (task))->func : NULL;
        }
      /* The next batch has another clock: who is on duty may differ. */
      g_clear_pointer (&self->writer->candidates, g_ptr_array_unref);
      if (alone && commit->errors[0] != NULL)
        {
          /* Rolled back already: nothing to commit, and nothing lost. */
          commit->committed = TRUE;
          commit->last_seq = self->writer->last_event_seq;
        }
      else if (run_cached (self->writer, "COMMIT", &commit_error))
        {
          commit->committed = TRUE;
          commit->last_seq = self->writer->last_event_seq;
        }
      else
        {
          run_cached (self->writer, "ROLLBACK", NULL);
          /* Its events are gone: the next batch's must be announced. */
          self->writer->last_event_seq = seq_before;
          for (guint i = 0; i < batch->len; i++)
            if (commit->errors[i] == NULL)
              commit->errors[i] = g_error_copy (commit_error);
        }
    }
  else
    {
      for (guint i = 0; i < batch->len; i++)
        commit->errors[i] = g_error_copy (begin_error);
    }
  return commit;
}

static gpointer
writer_main (gpointer data)
{
  HgStore *self = data;
  gboolean stop = FALSE;
  gpointer next = NULL;   /* a big job that ended the batch before it */

  while (!stop)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new ();
      gpointer item = next != NULL ? next : g_async_queue_pop (self->queue);

      next = NULL;
      while (item != NULL)
        {
          if (item == &stop_sentinel)
            {
              stop = TRUE;
              break;
            }
          if (batch->len > 0 && is_big (item))
            {
              next = item;
              break;
            }
          g_ptr_array_add (batch, item);
          if (batch->len >= MAX_BATCH || is_big (item))
            break;
          item = g_async_queue_try_pop (self->queue);
        }
      if (batch->len > 0)
        g_async_queue_push (self->commits, run_batch (self, batch));
    }
  g_async_queue_push (self->commits, &stop_sentinel);
  return NULL;
}

/* fdatasync () of the WAL: every commit written to it so far, by this
 * process, becomes durable, as synchronous=FULL would have made each. The
 * WAL stays the same file while the store's connections are open; should
 * it be another, it is opened again. */
static gboolean
sync_wal (HgStore  *self,
          GError  **error)
{
  struct stat open_file, on_disk;

  if (self->wal_fd >= 0 &&
      (fstat (self->wal_fd, &open_file) != 0 || g_stat (self->wal_path, &on_disk) != 0 ||
       open_file.st_ino != on_disk.st_ino || open_file.st_dev != on_disk.st_dev))
    {
      g_close (self->wal_fd, NULL);
      self->wal_fd = -1;
    }
  if (self->wal_fd < 0)
    self->wal_fd = g_open (self->wal_path, O_RDONLY | O_CLOEXEC, 0);
  if (self->wal_fd < 0 || fdatasync (self->wal_fd) != 0)
    {
      int saved = errno;

      g_set_error (error, HG_ERROR, HG_ERROR_UNAVAILABLE, "could not make %s durable: %s",
                   self->wal_path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* --- Checkpoints ------------------------------------------------------ */

/* SQLite's own checkpoint runs inside the commit that crosses 1,000 WAL
 * pages, on the writer: copying them into the database and syncing both
 * files held up every request queued behind that batch. The writer's WAL
 * hook now only asks, and a thread of its own does it, on a connection
 * of its own. PASSIVE never waits for the writer or a reader; what it
 * cannot copy yet is copied the next time.
 *
 * The WAL starts again from its beginning only once every page in it has
 * been copied, when a write begins; under steady load the writer always
 * appends more while the thread copies, and the WAL would grow for as
 * long as the load lasts. Past CHECKPOINT_PAGES_MAX the writer copies
 * what is left itself: by then the thread has copied most of it. */
#define CHECKPOINT_PAGES 1000
#define CHECKPOINT_PAGES_MAX 4000

static int
on_wal_commit (void       *data,
               sqlite3    *handle,
               const char *name,
               int         pages)
{
  HgStore *self = data;

  if (pages >= CHECKPOINT_PAGES_MAX)
    sqlite3_wal_checkpoint_v2 (handle, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  else if (pages >= CHECKPOINT_PAGES &&
           g_atomic_int_compare_and_exchange (&self->checkpoint_asked, FALSE, TRUE))
    g_async_queue_push (self->checkpoints, self);
  return SQLITE_OK;
}

static gpointer
checkpointer_main (gpointer data)
{
  HgStore *self = data;
  HgDb *db = self->checkpoint_db;

  while (g_async_queue_pop (self->checkpoints) != &stop_sentinel)
    {
      int frames = 0, copied = 0;

      g_atomic_int_set (&self->checkpoint_asked, FALSE);
      if (sqlite3_wal_checkpoint_v2 (db->handle, NULL, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied) != SQLITE_OK)
        g_warning ("Checkpoint failed: %s", sqlite3_errmsg (db->handle));
      else
        g_debug ("Checkpoint: %d of %d WAL pages copied", copied, frames);
    }
  return NULL;
}

/* Answers every batch committed since the last sync, in order, after one
 * fdatasync () for all of them; only then does the stream hear of them. */
static gpointer
syncer_main (gpointer data)
{
  HgStore *self = data;
  gboolean stop = FALSE;

  while (!stop)
    {
      g_autoptr(GPtrArray) commits = g_ptr_array_new_with_free_func ((GDestroyNotify) hg_commit_free);
      g_autoptr(GError) sync_error = NULL;
      gpointer item = g_async_queue_pop (self->commits);
      gboolean any_committed = FALSE;
      gint64 last_seq = 0;

      while (item != NULL)
        {
          if (item == &stop_sentinel)
            {
              stop = TRUE;
              break;
            }
          g_ptr_array_add (commits, item);
          any_committed |= ((HgCommit *) item)->committed;
          item = g_async_queue_try_pop (self->commits);
        }
      if (any_committed)
        {
          if (!sync_wal (self, &sync_error))
            g_warning ("%s", sync_error->message);
          if (self->sync_hook != NULL)
            self->sync_hook (self, self->sync_hook_data);
        }
      /* Readiness follows the last batch: whether it could commit, and
       * be made durable. */
      if (commits->len > 0)
        {
          HgCommit *last = g_ptr_array_index (commits, commits->len - 1);

          g_atomic_int_set (&self->write_failed, !last->committed || sync_error != NULL);
        }

      for (guint c = 0; c < commits->len; c++)
        {
          HgCommit *commit = g_ptr_array_index (commits, c);

          for (guint i = 0; i < commit->tasks->len; i++)
            {
              g_autoptr(GTask) task = g_ptr_array_index (commit->tasks, i);
              GError *error = commit->errors[i];

              if (error == NULL && commit->committed && sync_error != NULL)
                error = g_error_copy (sync_error);
              if (error != NULL)
                g_task_return_error (task, error);
              else
                g_task_return_boolean (task, TRUE);
            }
          if (commit->committed && sync_error == NULL)
            last_seq = commit->last_seq;
        }
      /* After the answers: the 201 goes out before the stream fans out. */
      if (last_seq > 0)
        announce_events (self, last_seq);
    }
  return NULL;
}

void
hg_store_set_sync_hook (HgStore         *self,
                        HgStoreSyncHook  hook,
                        gpointer         data)
{
  g_return_if_fail (HG_IS_STORE (self));
  self->sync_hook = hook;
  self->sync_hook_data = data;
}

static void
queue_job (HgStore             *self,
           HgStoreJobFunc       func,
           gpointer             data,
           GDestroyNotify       destroy,
           gboolean             alone,
           gpointer             source_tag,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  HgJob *job = g_new0 (HgJob, 1);

  job->alone = alone;
  job->func = func;
  job->data = data;
  job->destroy = destroy;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, hg_job_free);

  if (self->thread == NULL)
    {
      g_task_return_new_error (task, HG_ERROR, HG_ERROR_UNAVAILABLE, "the store is closed");
      g_object_unref (task);
      return;
    }
  g_async_queue_push (self->queue, task);
}

void
hg_store_queue_job (HgStore             *self,
                    HgStoreJobFunc       func,
                    gpointer             data,
                    GDestroyNotify       destroy,
                    gpointer             source_tag,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  queue_job (self, func, data, destroy, FALSE, source_tag, callback, user_data);
}

void
hg_store_queue_big_job (HgStore             *self,
                        HgStoreJobFunc       func,
                        gpointer             data,
                        GDestroyNotify       destroy,
                        gpointer             source_tag,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  queue_job (self, func, data, destroy, TRUE, source_tag, callback, user_data);
}

gpointer
hg_store_job_finish (HgStore      *self,
                     GAsyncResult *result,
                     gpointer      source_tag,
                     GError      **error)
{
  HgJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  job = g_task_get_task_data (G_TASK (result));
  return job->data;
}

/* --- Life ------------------------------------------------------------- */

static gint64
last_seq (HgDb *db)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT coalesce(max(seq), 0) FROM events", NULL);
  gint64 seq = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return seq;
}

static gboolean
configure_writer (HgDb    *db,
                  GError **error)
{
  /* A 201 must survive a power cut, not only a crash: the syncer thread
   * fdatasync()s the WAL after every commit before any answer goes out,
   * which is what synchronous=FULL does inside COMMIT, but off the writer
   * thread. NORMAL still syncs around every checkpoint. */
  return hg_db_exec (db, "PRAGMA journal_mode=WAL;"
                         "PRAGMA synchronous=NORMAL;"
                         "PRAGMA foreign_keys=ON;"
                         /* The writer's change log (hg-store-deadlines.c)
                          * is a temporary table: kept in memory, not in a
                          * file written on every change. */
                         "PRAGMA temp_store=MEMORY;", error);
}

static void
fill_default_policies (HgEscalationPolicy *policies)
{
  g_autoptr(HgConfig) defaults = hg_config_new_default ();

  for (guint i = 0; i < HG_N_SEVERITIES; i++)
    if (policies[i].remind_after == 0 && policies[i].reassign_after == 0 &&
        policies[i].alert_supervisors_after == 0 && policies[i].start_within == 0)
      policies[i] = defaults->escalation[i];
}

HgStore *
hg_store_open (const char             *path,
               const HgStoreSettings  *settings,
               GError                **error)
{
  g_autoptr(HgStore) self = g_object_new (HG_TYPE_STORE, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_return_val_if_fail (path != NULL, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL,
                    "cannot create %s: %s", dir, g_strerror (errno));
      return NULL;
    }
  self->path = g_strdup (path);
  if (settings != NULL)
    self->settings = *settings;
  if (self->settings.correlation_window_ms <= 0)
    self->settings.correlation_window_ms = 300 * 1000;
  fill_default_policies (self->settings.escalation);

  self->writer = hg_db_open (path, FALSE, error);
  if (self->writer == NULL || !configure_writer (self->writer, error) || !migrate (self->writer, error) ||
      !hg_deadlines_prepare (self->writer, error) ||
      !hg_store_audit_settings (self->writer, self->settings.escalation, error))
    return NULL;
  self->reader = hg_db_open (path, TRUE, error);
  if (self->reader == NULL || !hg_db_exec (self->reader, "PRAGMA query_only=1", error))
    return NULL;
  /* Opened here, so that the store holds every file it will hold once
   * this returns. A connection that has read nothing does not know the
   * WAL yet, and its checkpoints would do nothing. */
  self->checkpoint_db = hg_db_open (path, FALSE, error);
  if (self->checkpoint_db == NULL || !hg_db_exec (self->checkpoint_db, "PRAGMA journal_mode=WAL", error))
    return NULL;

  self->committed_seq = last_seq (self->writer);
  self->writer->last_event_seq = self->committed_seq;
  self->context = g_main_context_ref_thread_default ();
  self->wal_path = g_strconcat (self->path, "-wal", NULL);
  sqlite3_wal_hook (self->writer->handle, on_wal_commit, self);
  self->checkpointer = g_thread_new ("hg-store-ckpt", checkpointer_main, self);
  self->thread = g_thread_new ("hg-store-writer", writer_main, self);
  self->syncer = g_thread_new ("hg-store-syncer", syncer_main, self);
  g_debug ("Opened %s", path);
  return g_steal_pointer (&self);
}

void
hg_store_close (HgStore *self)
{
  g_return_if_fail (HG_IS_STORE (self));

  if (self->thread == NULL)
    return;
  g_async_queue_push (self->queue, &stop_sentinel);
  g_thread_join (g_steal_pointer (&self->thread));
  /* The writer told the syncer to stop after the last batch. */
  g_thread_join (g_steal_pointer (&self->syncer));
  g_async_queue_push (self->checkpoints, &stop_sentinel);
  g_thread_join (g_steal_pointer (&self->checkpointer));
  /* Leave the WAL checkpointed so the file alone is the whole database. */
  hg_db_exec (self->writer, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
}

const char *
hg_store_get_path (HgStore *self)
{
  g_return_val_if_fail (HG_IS_STORE (self), NULL);
  return self->path;
}

gboolean
hg_store_check_writable (HgStore  *self,
                         GError  **error)
{
  g_return_val_if_fail (HG_IS_STORE (self), FALSE);

  if (self->thread == NULL)
    {
      hg_set_error (error, HG_ERROR_UNAVAILABLE, "not_ready", NULL, "the store is closed");
      return FALSE;
    }
  if (g_atomic_int_get (&self->write_failed))
    {
      hg_set_error (error, HG_ERROR_UNAVAILABLE, "not_ready", NULL,
                    "the database refused the last write");
      return FALSE;
    }
  if (g_access (self->path, W_OK) != 0)
    {
      hg_set_error (error, HG_ERROR_UNAVAILABLE, "not_ready", NULL,
                    "the database file is not writable: %s", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
hg_store_is_empty (HgStore *self)
{
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, "SELECT NOT EXISTS (SELECT 1 FROM staff)", NULL);
  gboolean empty = FALSE;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    empty = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return empty;
}

static void
hg_store_dispose (GObject *object)
{
  HgStore *self = HG_STORE (object);

  if (self->thread != NULL)
    hg_store_close (self);
  G_OBJECT_CLASS (hg_store_parent_class)->dispose (object);
}

static void
hg_store_finalize (GObject *object)
{
  HgStore *self = HG_STORE (object);

  g_clear_pointer (&self->reader, hg_db_free);
  g_clear_pointer (&self->writer, hg_db_free);
  g_clear_pointer (&self->checkpoint_db, hg_db_free);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->commits, g_async_queue_unref);
  g_clear_pointer (&self->checkpoints, g_async_queue_unref);
  if (self->wal_fd >= 0)
    g_close (self->wal_fd, NULL);
  g_clear_pointer (&self->wal_path, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->seq_lock);
  G_OBJECT_CLASS (hg_store_parent_class)->finalize (object);
}

static void
hg_store_class_init (HgStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hg_store_dispose;
  object_class->finalize = hg_store_finalize;

  /**
   * HgStore::events-committed:
   * @last_seq: the newest event seq now on disk
   *
   * Emitted on the opening thread's main context after a commit that
   * wrote events.
   */
  signals[SIGNAL_EVENTS_COMMITTED] =
    g_signal_new ("events-committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
hg_store_init (HgStore *self)
{
  self->queue = g_async_queue_new ();
  self->commits = g_async_queue_new ();
  self->checkpoints = g_async_queue_new ();
  self->wal_fd = -1;
  g_mutex_init (&self->seq_lock);
}

typedef struct {
  gboolean  done;
  GError   *error;
} SyncWait;

static void
sync_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SyncWait *wait = user_data;

  hg_store_job_finish (HG_STORE (object), result, hg_store_run_sync, &wait->error);
  wait->done = TRUE;
}

/* For start-up work (the demo hospital) before the server serves. */
gboolean
hg_store_run_sync (HgStore        *self,
                   HgStoreJobFunc  func,
                   gpointer        data,
                   GError        **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  SyncWait wait = { FALSE, NULL };

  g_main_context_push_thread_default (context);
  hg_store_queue_job (self, func, data, NULL, hg_store_run_sync, sync_done, &wait);
  while (!wait.done)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  if (wait.error != NULL)
    {
      g_propagate_error (error, wait.error);
      return FALSE;
    }
  return TRUE;
}
