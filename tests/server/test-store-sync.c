/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The group commit pipeline: a write is answered, and the stream told,
 * only after the WAL holding it was made durable; meanwhile the writer
 * already commits the next batch. A sync hook holds the syncer so the
 * test can look at the state in between. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "hg-error.h"
#include "hg-events.h"
#include "hg-store-private.h"

typedef struct {
  GMutex   lock;
  GCond    changed;
  guint    syncs;       /* syncs that reached the hook */
  gboolean release;     /* the hook may return */
} Gate;

typedef struct {
  char        *dir;
  char        *path;
  HgStore     *store;
  Gate         gate;
  guint        answered;
  GError      *error;
  gint64       announced;
} Fixture;

static void
hold_sync (HgStore *store,
           gpointer data)
{
  Gate *gate = data;

  g_mutex_lock (&gate->lock);
  gate->syncs++;
  g_cond_broadcast (&gate->changed);
  while (!gate->release)
    g_cond_wait (&gate->changed, &gate->lock);
  g_mutex_unlock (&gate->lock);
}

static void
wait_for_syncs (Gate  *gate,
                guint  n)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&gate->lock);
  while (gate->syncs < n)
    if (!g_cond_wait_until (&gate->changed, &gate->lock, deadline))
      g_error ("the syncer did not reach sync %u within 30 s", n);
  g_mutex_unlock (&gate->lock);
}

static void
open_gate (Gate *gate)
{
  g_mutex_lock (&gate->lock);
  gate->release = TRUE;
  g_cond_broadcast (&gate->changed);
  g_mutex_unlock (&gate->lock);
}

static void
on_events_committed (HgStore *store,
                     gint64   last_seq,
                     gpointer user_data)
{
  Fixture *f = user_data;

  f->announced = last_seq;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  HgStoreSettings settings = { 0 };
  GError *error = NULL;

  f->dir = g_dir_make_tmp ("hg-store-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "healthguard.db", NULL);
  settings.correlation_window_ms = 60000;
  f->store = hg_store_open (f->path, &settings, &error);
  g_assert_no_error (error);
  g_mutex_init (&f->gate.lock);
  g_cond_init (&f->gate.changed);
  hg_store_set_sync_hook (f->store, hold_sync, &f->gate);
  g_signal_connect (f->store, "events-committed", G_CALLBACK (on_events_committed), f);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  open_gate (&f->gate);
  hg_store_close (f->store);
  g_clear_object (&f->store);
  g_clear_error (&f->error);
  g_remove (f->path);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_mutex_clear (&f->gate.lock);
  g_cond_clear (&f->gate.changed);
}

/* A job that writes one row and one event, as every write does. */
static gboolean
write_marker (HgStore  *self,
              HgDb     *db,
              gint64    now,
              gpointer  data,
              GError  **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO metric_values (name, value)"
                                          " VALUES ('test_marker_%s', 1)", (const char *) data);
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), data);

  return hg_db_exec (db, sql, error) &&
         hg_events_append (db, now, "test.marker", NULL, node, error);
}

static void
marker_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Fixture *f = user_data;

  hg_store_job_finish (HG_STORE (source), result, write_marker, &f->error);
  f->answered++;
}

static void
queue_marker (Fixture    *f,
              const char *name)
{
  hg_store_queue_job (f->store, write_marker, g_strdup (name), g_free, write_marker,
                      marker_written, f);
}

/* What another process reading the file sees: committed rows only. */
static gboolean
marker_committed (Fixture    *f,
                  const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM metric_values"
                                          " WHERE name = 'test_marker_%s'", name);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  found = sqlite3_column_int (stmt, 0) == 1;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return found;
}

/* Runs the main context for @ms, so that an answer that was (wrongly)
 * ready would be delivered. */
static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_answer_after_sync (Fixture       *f,
                        gconstpointer  data)
{
  gint64 deadline;

  queue_marker (f, "first");
  wait_for_syncs (&f->gate, 1);
  /* Committed to the WAL, but not yet made durable: no answer, no event. */
  g_assert_true (marker_committed (f, "first"));
  spin (200);
  g_assert_cmpuint (f->answered, ==, 0);
  g_assert_cmpint (f->announced, ==, 0);

  /* The writer does not wait for the sync: the next batch commits. */
  queue_marker (f, "second");
  deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  while (!marker_committed (f, "second"))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
  spin (100);
  g_assert_cmpuint (f->answered, ==, 0);

  open_gate (&f->gate);
  deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  while (f->answered < 2 || f->announced < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->answered, ==, 2);
  g_assert_cmpint (f->announced, ==, 2);
}

/* A job that fails is answered with its error and leaves nothing. */
static gboolean
fail_job (HgStore  *self,
          HgDb     *db,
          gint64    now,
          gpointer  data,
          GError  **error)
{
  hg_db_exec (db, "INSERT INTO metric_values (name, value) VALUES ('test_marker_failed', 1)", NULL);
  g_set_error (error, HG_ERROR, HG_ERROR_INVALID, "refused on purpose");
  return FALSE;
}

static void
failed_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (hg_store_job_finish (HG_STORE (source), result, fail_job, &f->error));
  f->answered++;
}

static void
test_failed_job (Fixture       *f,
                 gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  open_gate (&f->gate);
  hg_store_queue_job (f->store, fail_job, NULL, NULL, fail_job, failed_done, f);
  while (f->answered < 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_error (f->error, HG_ERROR, HG_ERROR_INVALID);
  g_assert_false (marker_committed (f, "failed"));
}

/* A job that keeps the writer until it is let go: the jobs queued
 * meanwhile make one batch. */
typedef struct {
  Gate     gate;
  gboolean entered;
} Hold;

static gboolean
hold_writer (HgStore  *self,
             HgDb     *db,
             gint64    now,
             gpointer  data,
             GError  **error)
{
  Hold *hold = data;

  g_mutex_lock (&hold->gate.lock);
  hold->entered = TRUE;
  g_cond_broadcast (&hold->gate.changed);
  while (!hold->gate.release)
    g_cond_wait (&hold->gate.changed, &hold->gate.lock);
  g_mutex_unlock (&hold->gate.lock);
  return TRUE;
}

static void
held_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_nonnull (hg_store_job_finish (HG_STORE (source), result, hold_writer, NULL));
  f->answered++;
}

/* In a batch of several jobs, the one that fails is rolled back to its
 * savepoint, and the jobs before and after it are committed. (Alone in
 * its batch, as in failed-job, a job runs without a savepoint and its
 * failure rolls back the whole transaction.) */
static void
test_failed_job_in_batch (Fixture       *f,
                          gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  Hold hold = { 0 };

  g_mutex_init (&hold.gate.lock);
  g_cond_init (&hold.gate.changed);
  open_gate (&f->gate);
  hg_store_queue_job (f->store, hold_writer, &hold, NULL, hold_writer, held_done, f);
  g_mutex_lock (&hold.gate.lock);
  while (!hold.entered)
    g_cond_wait (&hold.gate.changed, &hold.gate.lock);
  g_mutex_unlock (&hold.gate.lock);
  queue_marker (f, "before");
  hg_store_queue_job (f->store, fail_job, NULL, NULL, fail_job, failed_done, f);
  queue_marker (f, "after");
  open_gate (&hold.gate);
  while (f->answered < 4)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_error (f->error, HG_ERROR, HG_ERROR_INVALID);
  g_assert_true (marker_committed (f, "before"));
  g_assert_true (marker_committed (f, "after"));
  g_assert_false (marker_committed (f, "failed"));
  g_mutex_clear (&hold.gate.lock);
  g_cond_clear (&hold.gate.changed);
}

/* A job whose work only the commit refuses: a foreign key checked at the
 * end of the transaction. */
static gboolean
break_commit (HgStore  *self,
              HgDb     *db,
              gint64    now,
              gpointer  data,
              GError  **error)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), "refused");

  /* Two events, both gone with the commit. */
  return hg_events_append (db, now, "test.marker", NULL, node, error) &&
         hg_events_append (db, now, "test.marker", NULL, node, error) &&
         hg_db_exec (db, "PRAGMA defer_foreign_keys = ON;"
                         "INSERT INTO deadlines (incident_id, step, due_at) VALUES (424242, 'remind', 0)",
                     error);
}

/* A job that writes, but no event. */
static gboolean
write_quietly (HgStore  *self,
               HgDb     *db,
               gint64    now,
               gpointer  data,
               GError  **error)
{
  return hg_db_exec (db, "INSERT INTO metric_values (name, value) VALUES ('test_quiet', 1)", error);
}

static void
quiet_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fixture *f = user_data;

  hg_store_job_finish (HG_STORE (source), result, write_quietly, &f->error);
  f->answered++;
}

static void
broken_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (hg_store_job_finish (HG_STORE (source), result, break_commit, &f->error));
  f->answered++;
}

static void
wait_answers (Fixture *f,
              guint    n)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (f->answered < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Readiness says whether the last batch could be committed and made
 * durable: a refused commit makes the store not ready, the next good
 * batch ready again. */
static void
test_failed_commit (Fixture       *f,
                    gconstpointer  data)
{
  GError *error = NULL;

  open_gate (&f->gate);
  g_assert_true (hg_store_check_writable (f->store, &error));
  g_assert_no_error (error);

  g_test_expect_message ("HealthGuard-Store", G_LOG_LEVEL_WARNING, "Database error*FOREIGN KEY*");
  hg_store_queue_job (f->store, break_commit, NULL, NULL, break_commit, broken_done, f);
  wait_answers (f, 1);
  g_test_assert_expected_messages ();
  g_assert_nonnull (f->error);
  g_clear_error (&f->error);
  g_assert_false (hg_store_check_writable (f->store, &error));
  g_assert_error (error, HG_ERROR, HG_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  /* A batch without events announces nothing: the refused events were
   * never there. */
  hg_store_queue_job (f->store, write_quietly, NULL, NULL, write_quietly, quiet_done, f);
  wait_answers (f, 2);
  g_assert_no_error (f->error);
  spin (100);
  g_assert_cmpint (f->announced, ==, 0);

  /* The next event takes the first seq again, and is announced. */
  queue_marker (f, "after");
  wait_answers (f, 3);
  g_assert_no_error (f->error);
  g_assert_true (marker_committed (f, "after"));
  for (guint i = 0; i < 3000 && f->announced < 1; i++)
    spin (10);
  g_assert_cmpint (f->announced, ==, 1);
  g_assert_true (hg_store_check_writable (f->store, &error));
  g_assert_no_error (error);
}

/* Checkpoints run on a thread of their own: a commit that takes the WAL
 * past 1,000 pages asks for one, and the pages reach the database file
 * while the store is open, even as the writer is kept busy. */
static gboolean
write_big (HgStore  *self,
           HgDb     *db,
           gint64    now,
           gpointer  data,
           GError  **error)
{
  return hg_db_exec (db, "CREATE TABLE IF NOT EXISTS test_big (b BLOB);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6)"
                         " INSERT INTO test_big SELECT randomblob(1000000) FROM n",
                     error);
}

static void
big_written (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *f = user_data;

  hg_store_job_finish (HG_STORE (source), result, write_big, &f->error);
  f->answered++;
}

static goffset
file_size (const char *path)
{
  GStatBuf buf;

  return g_stat (path, &buf) == 0 ? buf.st_size : -1;
}

static void
test_checkpoint_off_writer (Fixture       *f,
                            gconstpointer  data)
{
  Hold hold = { 0 };
  goffset before = file_size (f->path);
  gint64 deadline;

  g_mutex_init (&hold.gate.lock);
  g_cond_init (&hold.gate.changed);
  open_gate (&f->gate);
  hg_store_queue_job (f->store, write_big, NULL, NULL, write_big, big_written, f);
  wait_answers (f, 1);
  g_assert_no_error (f->error);
  hg_store_queue_job (f->store, hold_writer, &hold, NULL, hold_writer, held_done, f);

  deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  while (file_size (f->path) < before + 6000000)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the database file is %" G_GOFFSET_FORMAT " bytes after 30 s: no checkpoint ran",
                 file_size (f->path));
      g_usleep (10 * 1000);
    }
  open_gate (&hold.gate);
  wait_answers (f, 2);
  g_mutex_clear (&hold.gate.lock);
  g_cond_clear (&hold.gate.changed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/sync/answer-after-sync", Fixture, NULL, setup, test_answer_after_sync, teardown);
  g_test_add ("/store/sync/failed-job", Fixture, NULL, setup, test_failed_job, teardown);
  g_test_add ("/store/sync/failed-job-in-batch", Fixture, NULL, setup, test_failed_job_in_batch, teardown);
  g_test_add ("/store/sync/failed-commit", Fixture, NULL, setup, test_failed_commit, teardown);
  g_test_add ("/store/sync/checkpoint-off-writer", Fixture, NULL, setup, test_checkpoint_off_writer, teardown);
  return g_test_run ();
}
