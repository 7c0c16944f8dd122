/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* All SQL lives behind this interface.
 *
 * Writes run on one writer thread: each request's job is queued, the writer
 * takes every job waiting (up to a bound) into one transaction, each job
 * inside its own SAVEPOINT so a refused job changes nothing, commits with
 * synchronous=FULL, and only then completes the jobs' GTasks back on the
 * caller's main context. One fsync serves a whole batch (group commit).
 *
 * Reads run synchronously on the caller's thread on their own connection;
 * they are short, indexed queries, and WAL lets them run beside the writer.
 * Reads and async calls must all come from the thread that opened the store. */

#include <gio/gio.h>
#include "hg-config.h"
#include "hg-models.h"
#include "hg-news2.h"

G_BEGIN_DECLS

#define HG_TYPE_STORE (hg_store_get_type ())
G_DECLARE_FINAL_TYPE (HgStore, hg_store, HG, STORE, GObject)

typedef enum {
  HG_PRINCIPAL_STAFF,
  HG_PRINCIPAL_INTEGRATION,
} HgPrincipalKind;

/* Who is acting: a signed-in staff member, or an integration key (then
 * staff_id is NULL, name is the key's name, and role means nothing). */
typedef struct {
  char            *staff_id;
  char            *name;
  HgRole           role;
  guchar           token_hash[32];
  HgPrincipalKind  kind;
  gint64           integration_id;
  gint64           last_used_at;   /* a session's stored last use (ms) */
} HgPrincipal;

void hg_principal_clear (HgPrincipal *principal);
/* Who did it, as posted_by and the audit trail name them: the staff id,
 * or "integration:NAME". */
char *hg_principal_actor (const HgPrincipal *principal);

typedef struct {
  gint64              correlation_window_ms;
  /* Per severity; a policy left all zero takes the documented default. */
  HgEscalationPolicy  escalation[HG_N_SEVERITIES];
} HgStoreSettings;

HgStore    *hg_store_open              (const char             *path,
                                        const HgStoreSettings  *settings,
                                        GError                **error);
/* Stops the writer after the jobs already queued. */
void        hg_store_close             (HgStore                *self);
const char *hg_store_get_path          (HgStore                *self);
/* TRUE when the database accepts a write now (for /health/ready). */
gboolean    hg_store_check_writable    (HgStore                *self,
                                        GError                **error);

/* --- Demo and administration (synchronous, before serving) --- */
gboolean    hg_store_is_empty          (HgStore                *self);
gboolean    hg_store_load_demo         (HgStore                *self,
                                        GBytes                 *hospital_json,
                                        const char             *password,
                                        GError                **error);

/* --- Reads --- */
typedef struct {
  guint     statuses;       /* bit set of 1 << HgIncidentStatus; 0: any */
  guint     severities;     /* bit set of 1 << HgSeverity; 0: any */
  char     *assignee_id;
  char     *ward;
  char     *patient_id;
  gint64    before_id;      /* keyset cursor: only ids below; 0: from the top */
  guint     limit;
} HgIncidentFilter;

void        hg_incident_filter_clear   (HgIncidentFilter       *filter);
/* The SQL a list query runs, for tests that check its plan. */
char       *hg_store_incident_list_sql (const HgIncidentFilter *filter);

gboolean    hg_store_lookup_token      (HgStore                *self,
                                        const guchar            hash[32],
                                        HgPrincipal            *out,
                                        GError                **error);
/* The yescrypt hash of an enabled account, or NULL (unknown or disabled). */
char       *hg_store_get_password_hash (HgStore                *self,
                                        const char             *staff_id);
HgIncident *hg_store_get_incident      (HgStore                *self,
                                        gint64                  id,
                                        gboolean                detail,
                                        GError                **error);
/* Returns HgIncident*s, newest first; @out_next_before is the id to continue
 * below, or 0 at the end. */
GPtrArray  *hg_store_list_incidents    (HgStore                *self,
                                        const HgIncidentFilter *filter,
                                        gint64                 *out_next_before,
                                        GError                **error);
HgAlert    *hg_store_get_alert         (HgStore                *self,
                                        gint64                  id,
                                        GError                **error);
GPtrArray  *hg_store_list_alerts       (HgStore                *self,
                                        gint64                  before_id,
                                        guint                   limit,
                                        gint64                 *out_next_before,
                                        GError                **error);
GPtrArray  *hg_store_list_alert_types  (HgStore                *self,
                                        GError                **error);
HgStaff    *hg_store_get_staff         (HgStore                *self,
                                        const char             *id,
                                        GError                **error);
/* All staff, or with @on_duty_only those on duty now, filtered by the
 * optional role, specialty and ward. */
GPtrArray  *hg_store_list_staff        (HgStore                *self,
                                        gboolean                on_duty_only,
                                        const int              *role,
                                        const char             *specialty,
                                        const char             *ward,
                                        GError                **error);

typedef struct {
  guint  count;
  double mean;
  double p50;
  double p90;
} HgDurationStats;

typedef struct {
  gint64          window_ms;
  guint           by_status[HG_N_STATUSES];
  guint           by_severity[HG_N_SEVERITIES];
  guint           total;
  HgDurationStats mtta;     /* seconds, alert to acknowledgement */
  HgDurationStats mttr;     /* seconds, alert to resolution */
} HgIncidentStats;

gboolean    hg_store_incident_stats    (HgStore                *self,
                                        gint64                  window_ms,
                                        HgIncidentStats        *out,
                                        GError                **error);

/* One row of what a scrape reads (see hg-store-metrics.c): trigger-kept
 * counters, gauges and histogram buckets ("mtta_bucket", severity, le in
 * ms as text), the alert types ("alert_type", code, severity) and staff on
 * duty by role ("staff_on_duty", role). */
typedef struct {
  char   *name;
  char   *label1;
  char   *label2;
  gint64  value;
} HgMetricRow;

/* Whether a patient (@what "patient") or an alert type ("alert_type")
 * with this id exists; FALSE with @error unset when it does not. */
gboolean    hg_store_exists            (HgStore                *self,
                                        const char             *what,
                                        const char             *key,
                                        GError                **error);

/* A few hundred rows whatever the size of the history. */
GPtrArray  *hg_store_read_metrics      (HgStore                *self,
                                        GError                **error);

/* --- Writes (asynchronous, group-committed) --- */

/* One posted alert's outcome. */
typedef struct {
  HgAlert    *alert;
  HgIncident *incident;      /* NULL for an "end" that matched nothing */
  gboolean    deduplicated;
} HgIngestResult;

/* Ingests @alerts (HgAlert*) all or nothing. @posted_by names the poster.
 * The result is a GPtrArray of HgIngestResult*, in order. */
void        hg_store_ingest_async      (HgStore                *self,
                                        GPtrArray              *alerts,
                                        const char             *posted_by,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
GPtrArray  *hg_store_ingest_finish     (HgStore                *self,
                                        GAsyncResult           *result,
                                        GError                **error);

typedef struct {
  gint64       incident_id;
  HgAction     action;
  const char  *text;             /* note or reason, may be NULL */
  const char  *target_staff_id;  /* reassign */
  gint64       expected_version; /* 0: any */
} HgActionRequest;

void        hg_store_act_async         (HgStore                *self,
                                        const HgPrincipal      *actor,
                                        const HgActionRequest  *request,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
HgIncident *hg_store_act_finish        (HgStore                *self,
                                        GAsyncResult           *result,
                                        GError                **error);

void        hg_store_add_note_async    (HgStore                *self,
                                        const HgPrincipal      *actor,
                                        gint64                  incident_id,
                                        const char             *text,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
HgNote     *hg_store_add_note_finish   (HgStore                *self,
                                        GAsyncResult           *result,
                                        GError                **error);

/* Stores a new session for @staff_id; the token itself is never stored.
 * @address (the client's) goes to the audit trail with the station. */
void        hg_store_create_session_async (HgStore             *self,
                                        const char             *staff_id,
                                        const guchar            token_hash[32],
                                        const char             *station,
                                        const char             *address,
                                        gint64                  expires_at,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
HgStaff    *hg_store_create_session_finish (HgStore            *self,
                                        GAsyncResult           *result,
                                        GError                **error);
void        hg_store_revoke_session_async (HgStore             *self,
                                        const guchar            token_hash[32],
                                        const char             *address,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean    hg_store_revoke_session_finish (HgStore            *self,
                                        GAsyncResult           *result,
                                        GError                **error);

/* --- Accounts and integration keys (hg-store-accounts.c) --- */

/* One session's use that the server saw in memory (ms). */
typedef struct {
  guchar  hash[32];
  gint64  at;
} HgSessionUse;

/* Writes the sessions' last uses (never moving one back), then closes the
 * sessions idle since before @idle_before (ms) and says so on the stream. */
void        hg_store_touch_sessions_async (HgStore             *self,
                                        GArray                 *uses,
                                        gint64                  idle_before,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean    hg_store_touch_sessions_finish (HgStore            *self,
                                        GAsyncResult           *result,
                                        GError                **error);

/* A staff account as created, or the changes to one. Strings NULL and
 * the set_ flags FALSE leave a member as it is. */
typedef struct {
  char      *name;
  gboolean   set_role;
  HgRole     role;
  char      *specialty;      /* specialists only; cleared when the role changes away */
  char      *ward;
  gboolean   set_disabled;
  gboolean   disabled;
  char      *password_hash;  /* yescrypt, never the password */
} HgStaffChange;

void        hg_staff_change_clear      (HgStaffChange          *change);

/* Creates @id (HG_ERROR_CONFLICT "staff_exists" if it is taken); @actor
 * is for the audit trail. */
void        hg_store_create_staff_async (HgStore               *self,
                                        const char             *actor,
                                        const char             *id,
                                        const HgStaffChange    *change,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
HgStaff    *hg_store_create_staff_finish (HgStore              *self,
                                        GAsyncResult           *result,
                                        GError                **error);
/* Changes @id (HG_ERROR_NOT_FOUND if unknown). Disabling revokes every
 * session, ends a running shift and hands the person's incidents over; a
 * new password revokes every session. Leaving no enabled admin is
 * HG_ERROR_CONFLICT "last_admin". */
void        hg_store_update_staff_async (HgStore               *self,
                                        const char             *actor,
                                        const char             *id,
                                        const HgStaffChange    *change,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
HgStaff    *hg_store_update_staff_finish (HgStore              *self,
                                        GAsyncResult           *result,
                                        GError                **error);
/* --create-admin: creates the admin @id or, if it is one, sets its
 * password, enables it and revokes its sessions. Synchronous, before
 * serving. Another role under @id is HG_ERROR_CONFLICT. */
gboolean    hg_store_set_admin         (HgStore                *self,
                                        const char             *id,
                                        const char             *password_hash,
                                        gboolean               *out_created,
                                        GError                **error);

typedef struct {
  gint64  id;
  char   *name;
  char   *created_by;
  gint64  created_at;
  gint64  revoked_at;   /* 0: the key works */
} HgIntegration;

void        hg_integration_free        (HgIntegration          *integration);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgIntegration, hg_integration_free)

/* A working key's principal, or HG_ERROR_UNAUTHENTICATED. */
gboolean    hg_store_lookup_key        (HgStore                *self,
                                        const guchar            hash[32],
                                        HgPrincipal            *out,
                                        GError                **error);
/* Every key, working or revoked, oldest first (HgIntegration*). */
GPtrArray  *hg_store_list_integrations (HgStore                *self,
                                        GError                **error);
/* Stores a key's hash under @name (HG_ERROR_CONFLICT
 * "integration_exists" when a working key has that name). */
void        hg_store_create_integration_async (HgStore         *self,
                                        const char             *actor,
                                        const char             *name,
                                        const guchar            key_hash[32],
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
HgIntegration *hg_store_create_integration_finish (HgStore     *self,
                                        GAsyncResult           *result,
                                        GError                **error);
/* HG_ERROR_NOT_FOUND unless @id is a working key. */
void        hg_store_revoke_integration_async (HgStore         *self,
                                        const char             *actor,
                                        gint64                  id,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean    hg_store_revoke_integration_finish (HgStore        *self,
                                        GAsyncResult           *result,
                                        GError                **error);

/* --- The event log and notifications --- */

typedef struct {
  gint64  seq;
  gint64  at;
  char   *type;
  char   *audience;    /* NULL: everyone */
  char   *data;        /* JSON text */
} HgEvent;

void        hg_event_free              (HgEvent                *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgEvent, hg_event_free)

/* The newest seq on disk, and the newest the retention has removed. */
gint64      hg_store_get_last_seq      (HgStore                *self);
gint64      hg_store_get_pruned_through (HgStore               *self);
/* Events after @since, oldest first, at most @limit; with @staff_id only
 * those for everyone and for that person. HgEvent*s. */
GPtrArray  *hg_store_events_since      (HgStore                *self,
                                        gint64                  since,
                                        const char             *staff_id,
                                        guint                   limit,
                                        GError                **error);
/* Removes events older than @older_than (ms since the epoch). */
void        hg_store_prune_events_async (HgStore               *self,
                                        gint64                  older_than,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean    hg_store_prune_events_finish (HgStore              *self,
                                        GAsyncResult           *result,
                                        GError                **error);

/* The caller's notifications, newest first (JSON objects). */
GPtrArray  *hg_store_list_notifications (HgStore               *self,
                                        const char             *staff_id,
                                        gboolean                unread_only,
                                        gint64                  before_id,
                                        guint                   limit,
                                        gint64                 *out_next_before,
                                        GError                **error);
/* Marks one notification (@id > 0) or all (@id 0) of @staff_id read; a
 * notification that is not theirs is HG_ERROR_NOT_FOUND. */
void        hg_store_mark_read_async   (HgStore                *self,
                                        const char             *staff_id,
                                        gint64                  id,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean    hg_store_mark_read_finish  (HgStore                *self,
                                        GAsyncResult           *result,
                                        GError                **error);
void        hg_store_mark_delivered_async (HgStore             *self,
                                        const char             *staff_id,
                                        gint64                  id,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean    hg_store_mark_delivered_finish (HgStore            *self,
                                        GAsyncResult           *result,
                                        GError                **error);

/* --- Shifts, availability and handover --- */

/* @staff_id is on duty from @starts_at until @ends_at (ms). */
typedef struct {
  gint64  id;
  char   *staff_id;
  HgRole  role;
  char   *ward;
  gint64  starts_at;
  gint64  ends_at;
} HgShift;

void        hg_shift_free              (HgShift                *shift);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgShift, hg_shift_free)

typedef struct {
  char     *staff_id;   /* NULL: anyone */
  char     *ward;       /* the shift's ward; NULL: any */
  gint64    from;       /* only shifts that end after this */
  gint64    to;         /* and start before this; 0: no bound */
  gint64    after_id;   /* keyset cursor: the previous page's last shift; 0: none */
  guint     limit;
} HgShiftFilter;

void        hg_shift_filter_clear      (HgShiftFilter          *filter);
/* HgShift*s in order of end, then id; @out_next_after is the id to continue
 * after, or 0 at the end. A cursor whose shift was deleted since is
 * HG_ERROR_INVALID. */
GPtrArray  *hg_store_list_shifts       (HgStore                *self,
                                        const HgShiftFilter    *filter,
                                        gint64                 *out_next_after,
                                        GError                **error);
/* When the handover has work next (ms): the soonest end of a shift not
 * handled yet or start of one since the last run; 0 if none; -1 on error. */
gint64      hg_store_next_shift_change (HgStore                *self,
                                        GError                **error);
/* Adds a shift; @role NULL takes the person's role, @ward NULL their home
 * ward. Unknown staff, a role other than theirs, a disabled account or an
 * admin is HG_ERROR_UNKNOWN_REFERENCE; an overlap with another of their
 * shifts HG_ERROR_CONFLICT. @actor_id did it (for the audit trail). */
void        hg_store_add_shift_async   (HgStore                *self,
                                        const char             *actor_id,
                                        const char             *staff_id,
                                        const HgRole           *role,
                                        const char             *ward,
                                        gint64                  starts_at,
                                        gint64                  ends_at,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
HgShift    *hg_store_add_shift_finish  (HgStore                *self,
                                        GAsyncResult           *result,
                                        GError                **error);
/* Removes a shift; removing one that is running ends it at once, with its
 * handover in the same transaction. */
void        hg_store_delete_shift_async (HgStore               *self,
                                        const char             *actor_id,
                                        gint64                  id,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean    hg_store_delete_shift_finish (HgStore              *self,
                                        GAsyncResult           *result,
                                        GError                **error);
/* Answers the person as they are now. */
void        hg_store_set_availability_async (HgStore           *self,
                                        const char             *staff_id,
                                        gboolean                available,
                                        const char             *reason,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
HgStaff    *hg_store_set_availability_finish (HgStore          *self,
                                        GAsyncResult           *result,
                                        GError                **error);
/* Handles every shift that has ended since the last run (hands its
 * person's active incidents to the next shift), announces the shifts that
 * have started, and offers again what nobody could take before. */
void        hg_store_hand_over_async   (HgStore                *self,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean    hg_store_hand_over_finish  (HgStore                *self,
                                        GAsyncResult           *result,
                                        GError                **error);

/* --- The audit trail (see hg-audit.h) --- */

/* Borrowed strings; NULL: any. An @action ending in "." matches every
 * action that starts with it ("incident."). */
typedef struct {
  const char *actor;
  const char *action;
  const char *object;
  gint64      before_id;    /* keyset cursor: only ids below; 0: from the top */
  guint       limit;
} HgAuditFilter;

/* The rows newest first, as JSON objects {id, at, actor, action, object,
 * detail, hash}; @out_next_before is the id to continue below, or 0. */
GPtrArray  *hg_store_list_audit        (HgStore                *self,
                                        const HgAuditFilter    *filter,
                                        gint64                 *out_next_before,
                                        GError                **error);
/* Appends one row in a job of its own, for events that change nothing
 * else (a failed sign-in). @detail is JSON text or NULL. */
void        hg_store_audit_async       (HgStore                *self,
                                        const char             *actor,
                                        const char             *action,
                                        const char             *object,
                                        const char             *detail,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean    hg_store_audit_finish      (HgStore                *self,
                                        GAsyncResult           *result,
                                        GError                **error);

/* --- Escalation deadlines --- */

/* The earliest escalation deadline (ms since the epoch), or 0 if none. */
gint64      hg_store_next_deadline     (HgStore                *self);
/* Runs every escalation step that is due now, each in the same transaction
 * as the removal of its deadline. @out_ran receives how many ran. */
void        hg_store_run_deadlines_async (HgStore              *self,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean    hg_store_run_deadlines_finish (HgStore             *self,
                                        GAsyncResult           *result,
                                        guint                  *out_ran,
                                        GError                **error);

/* --- Vital signs (hg-store-vitals.c) --- */

/* What recording one set of vitals did. */
typedef struct {
  HgObservation  *observation;   /* as stored: id, times, NEWS2, alert_id */
  HgIngestResult *alert;         /* the NEWS2 alert it raised; NULL: none */
} HgVitalsResult;

void        hg_vitals_result_free      (HgVitalsResult         *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgVitalsResult, hg_vitals_result_free)

/* Scores @observation (NEWS2) and stores it as @recorded_by. A score that
 * calls for a response (see hg_news2_is_urgent ()) raises a high
 * NEWS2_URGENT alert, or at 7 and above a critical NEWS2_EMERGENCY one,
 * through the same ingestion as POST /alerts and in the same transaction:
 * both are stored or neither. An unknown patient is
 * HG_ERROR_UNKNOWN_REFERENCE "unknown_patient". */
void        hg_store_record_vitals_async (HgStore              *self,
                                        const HgObservation    *observation,
                                        const char             *recorded_by,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
HgVitalsResult *hg_store_record_vitals_finish (HgStore         *self,
                                        GAsyncResult           *result,
                                        GError                **error);
/* A patient's observations (HgObservation*), newest first: by observed_at,
 * then by id. @before_id is the last observation of the previous page (0:
 * from the top); @out_next_before the one to continue after, or 0 at the
 * end. An unknown patient is HG_ERROR_NOT_FOUND. */
GPtrArray  *hg_store_list_vitals       (HgStore                *self,
                                        const char             *patient_id,
                                        gint64                  before_id,
                                        guint                   limit,
                                        gint64                 *out_next_before,
                                        GError                **error);

G_END_DECLS
