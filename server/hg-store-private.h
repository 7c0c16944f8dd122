/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the hg-store-*.c files share: one connection with its statement
 * cache, the writer's job queue, and the row-to-object loaders that both the
 * reader (for GETs) and the writer (to answer a write) use. */

#include <sqlite3.h>
#include "hg-store.h"
#include "hg-models-private.h"

G_BEGIN_DECLS

typedef struct {
  sqlite3    *handle;
  GHashTable *stmts;     /* SQL text -> sqlite3_stmt*, prepared once */
  /* The writer's bookkeeping for one job (see hg-events.h). */
  GArray     *touched_incidents;   /* gint64, in order of first touch */
  GHashTable *created_incidents;   /* gint64* set */
  GPtrArray  *touched_staff;       /* char*, in order of first touch */
  GPtrArray  *personal;            /* alarms and notifications to write last */
  gint64      last_event_seq;      /* the newest seq this connection wrote */
  /* Those on duty, read once for a run of alerts (hg_assigner_choose_new)
   * while cache_candidates is set; the writer forgets them before any
   * other kind of job, after a job that failed, and at each batch. */
  gboolean    cache_candidates;
  GPtrArray  *candidates;          /* HgStaff*, or NULL until read */
} HgDb;

/* Tests: called on the syncer thread after the WAL was made durable and
 * before the synced batches are answered. */
typedef void (*HgStoreSyncHook) (HgStore *self,
                                 gpointer data);

struct _HgStore {
  GObject          parent_instance;
  GMainContext    *context;     /* where signals are emitted */
  GMutex           seq_lock;    /* guards the two below */
  gint64           committed_seq; /* the newest event seq on disk */
  gboolean         announcing;  /* an emission is queued */
  char            *path;
  HgStoreSettings  settings;
  HgDb            *reader;      /* the opening thread's */
  HgDb            *writer;      /* the writer thread's, once it runs */
  GThread         *thread;
  GAsyncQueue     *queue;       /* of GTask* */
  gint             write_failed; /* atomic: the last batch could not commit */
  /* Group commit is a pipeline: the writer commits a batch to the WAL and
   * goes on with the next while the syncer makes the WAL durable and only
   * then answers the batch's requests. */
  GThread         *syncer;
  GAsyncQueue     *commits;     /* of HgCommit*, writer to syncer */
  char            *wal_path;
  int              wal_fd;      /* the syncer's, -1 until the first sync */
  HgStoreSyncHook  sync_hook;   /* tests: called after each sync */
  gpointer         sync_hook_data;
  /* Checkpoints run on a thread and connection of their own, so the
   * writer never stops to copy the WAL into the database. */
  GThread         *checkpointer;
  HgDb            *checkpoint_db; /* the checkpointer's, once it runs */
  GAsyncQueue     *checkpoints; /* requests from the writer's WAL hook */
  gint             checkpoint_asked; /* atomic: a request is queued */
};

HgDb         *hg_db_open        (const char   *path,
                                 gboolean      read_only,
                                 GError      **error);
void          hg_db_free        (HgDb         *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgDb, hg_db_free)
/* A cached statement, reset and with its bindings cleared. */
sqlite3_stmt *hg_db_prepare     (HgDb         *db,
                                 const char   *sql,
                                 GError      **error);
gboolean      hg_db_exec        (HgDb         *db,
                                 const char   *sql,
                                 GError      **error);
/* Steps a statement that returns no row and resets it. */
gboolean      hg_db_step_done   (HgDb         *db,
                                 sqlite3_stmt *stmt,
                                 GError      **error);
/* Turns the connection's last error into a GError: HG_ERROR_UNAVAILABLE for
 * a full, read-only or failing disk, HG_ERROR_INTERNAL otherwise. */
void          hg_db_set_error   (HgDb         *db,
                                 GError      **error,
                                 const char   *what);

void          hg_bind_text      (sqlite3_stmt *stmt,
                                 int           index,
                                 const char   *text);
char         *hg_column_dup     (sqlite3_stmt *stmt,
                                 int           index);

/* Runs on the writer thread inside its own SAVEPOINT; returning FALSE rolls
 * back everything it did. @now is the batch's clock, in ms. */
typedef gboolean (*HgStoreJobFunc) (HgStore  *self,
                                    HgDb     *db,
                                    gint64    now,
                                    gpointer  data,
                                    GError  **error);

/* Queues a job that runs in a batch of its own: a big one (an array of
 * alerts), which runs faster without the savepoint a batch gives each of
 * its jobs (see run_batch in hg-store.c). */
void          hg_store_queue_big_job (HgStore             *self,
                                      HgStoreJobFunc       func,
                                      gpointer             data,
                                      GDestroyNotify       destroy,
                                      gpointer             source_tag,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void          hg_store_queue_job  (HgStore             *self,
                                   HgStoreJobFunc       func,
                                   gpointer             data,
                                   GDestroyNotify       destroy,
                                   gpointer             source_tag,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
/* The job's data, borrowed from the task, or NULL with @error set. */
gpointer      hg_store_job_finish (HgStore             *self,
                                   GAsyncResult        *result,
                                   gpointer             source_tag,
                                   GError             **error);

void          hg_store_set_sync_hook (HgStore         *self,
                                      HgStoreSyncHook  hook,
                                      gpointer         data);

gboolean      hg_store_run_sync   (HgStore             *self,
                                   HgStoreJobFunc       func,
                                   gpointer             data,
                                   GError             **error);

/* Loaders shared by both connections. */
HgIncident   *hg_store_load_incident   (HgDb        *db,
                                        gint64       id,
                                        gboolean     detail,
                                        GError     **error);
HgAlertType  *hg_store_load_alert_type (HgDb        *db,
                                        const char  *code,
                                        GError     **error);
HgPatient    *hg_store_load_patient    (HgDb        *db,
                                        const char  *id,
                                        GError     **error);
HgStaff      *hg_store_load_staff      (HgDb        *db,
                                        const char  *id,
                                        gint64       now,
                                        GError     **error);
/* The staff on duty now, not disabled, not admins: assignment candidates. */
GPtrArray    *hg_store_load_candidates (HgDb        *db,
                                        gint64       now,
                                        GError     **error);
HgAlert      *hg_store_alert_from_row  (sqlite3_stmt *stmt);
/* Hands the active incidents of @staff_id, whose shift just ended, to the
 * best candidate on duty, unless another shift of theirs runs on. */
gboolean      hg_store_hand_over_from  (HgDb        *db,
                                        const char  *staff_id,
                                        gint64       now,
                                        GError     **error);

/* Ingests one alert inside the running job, exactly as POST /alerts does
 * (defaults, correlation, incident, assignment, events), so that a job
 * that raises an alert of its own stores it with its other rows. NULL
 * with @error set; the job must then fail. */
HgIngestResult *hg_store_ingest_one    (HgStore     *self,
                                        HgDb        *db,
                                        gint64       now,
                                        HgAlert     *alert,
                                        const char  *posted_by,
                                        GError     **error);
void          hg_ingest_result_free    (gpointer     data);

/* Records the escalation policies in the audit trail when they differ
 * from the last recorded ones; in a transaction of its own, before the
 * writer thread runs. */
gboolean      hg_store_audit_settings  (HgDb                     *db,
                                        const HgEscalationPolicy *policies,
                                        GError                  **error);

#define HG_ALERT_COLUMNS \
  "a.id, a.incident_id, a.type, a.patient_id, a.ward, a.room, a.bed, a.severity, " \
  "a.message, a.source, a.labels, a.dedup_key, a.phase, a.occurred_at, a.received_at"

G_END_DECLS
