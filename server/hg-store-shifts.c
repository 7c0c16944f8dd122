/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include "hg-audit.h"
#include "hg-error.h"
#include "hg-events.h"
#include "hg-store-private.h"

#define SHIFT_COLUMNS "id, staff_id, role, ward, starts_at, ends_at"

void
hg_shift_free (HgShift *shift)
{
  if (shift == NULL)
    return;
  g_free (shift->staff_id);
  g_free (shift->ward);
  g_free (shift);
}

void
hg_shift_filter_clear (HgShiftFilter *filter)
{
  g_clear_pointer (&filter->staff_id, g_free);
  g_clear_pointer (&filter->ward, g_free);
}

static HgShift *
shift_from_row (sqlite3_stmt *stmt)
{
  HgShift *shift = g_new0 (HgShift, 1);

  shift->id = sqlite3_column_int64 (stmt, 0);
  shift->staff_id = hg_column_dup (stmt, 1);
  hg_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &shift->role);
  shift->ward = hg_column_dup (stmt, 3);
  shift->starts_at = sqlite3_column_int64 (stmt, 4);
  shift->ends_at = sqlite3_column_int64 (stmt, 5);
  return shift;
}

/* --- Reads ------------------------------------------------------------ */

/* The end time of the cursor's shift, or FALSE when it is gone. */
static gboolean
cursor_end (HgDb     *db,
            gint64    after_id,
            gint64   *out_end,
            GError  **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT ends_at FROM shifts WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_end = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    hg_db_set_error (db, error, "reading a cursor");
  else
    hg_set_error (error, HG_ERROR_INVALID, "invalid_cursor", "cursor",
                  "the shift this page ended with was deleted: start again without a cursor");
  return FALSE;
}

/* Enumerated filters go into the text so the statement cache keys on the
 * filter's shape and each shape gets the index that fits it. */
static char *
list_sql (const HgShiftFilter *filter)
{
  GString *sql = g_string_new ("SELECT " SHIFT_COLUMNS " FROM shifts"
                               " WHERE ends_at >= ?1 AND (ends_at > ?1 OR id > ?2)");

  if (filter->staff_id != NULL)
    g_string_append (sql, " AND staff_id = ?3");
  if (filter->ward != NULL)
    g_string_append (sql, " AND ward = ?4");
  if (filter->to > 0)
    g_string_append (sql, " AND starts_at < ?5");
  g_string_append (sql, " ORDER BY ends_at, id LIMIT ?6");
  return g_string_free (sql, FALSE);
}

/* Keyset pagination in end order: the scan starts at the window's start
 * (or the cursor) on an index of end times, so a page costs the same
 * however long the history of shifts grows. */
GPtrArray *
hg_store_list_shifts (HgStore             *self,
                      const HgShiftFilter *filter,
                      gint64              *out_next_after,
                      GError             **error)
{
  g_autoptr(GPtrArray) shifts = g_ptr_array_new_with_free_func ((GDestroyNotify) hg_shift_free);
  g_autofree char *sql = list_sql (filter);
  guint limit = filter->limit > 0 ? filter->limit : 50;
  gint64 end = filter->from;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (HG_IS_STORE (self), NULL);

  if (filter->after_id > 0 && !cursor_end (self->reader, filter->after_id, &end, error))
    return NULL;
  if (!(stmt = hg_db_prepare (self->reader, sql, error)))
    return NULL;
  /* Without a cursor, shifts ending exactly at "from" are over: skip them. */
  sqlite3_bind_int64 (stmt, 1, end);
  sqlite3_bind_int64 (stmt, 2, filter->after_id > 0 ? filter->after_id : G_MAXINT64);
  hg_bind_text (stmt, 3, filter->staff_id);
  hg_bind_text (stmt, 4, filter->ward);
  sqlite3_bind_int64 (stmt, 5, filter->to);
  sqlite3_bind_int (stmt, 6, limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && shifts->len < limit)
    g_ptr_array_add (shifts, shift_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      hg_db_set_error (self->reader, error, "listing shifts");
      return NULL;
    }
  *out_next_after = 0;
  if (rc == SQLITE_ROW && shifts->len > 0)
    *out_next_after = ((HgShift *) g_ptr_array_index (shifts, shifts->len - 1))->id;
  return g_steal_pointer (&shifts);
}

static gint64
single_int (HgDb       *db,
            const char *sql,
            gint64      param,
            GError    **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, sql, error);
  gint64 value = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, param);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "reading shift times");
      return -1;
    }
  return value;
}

gint64
hg_store_next_shift_change (HgStore  *self,
                            GError  **error)
{
  gint64 seen, end, start;

  g_return_val_if_fail (HG_IS_STORE (self), -1);

  /* Both minimums come from an index (see 004-shifts.sql). */
  if ((seen = single_int (self->reader, "SELECT value FROM store_meta"
                          " WHERE key = 'shift_starts_seen'", 0, error)) < 0 ||
      (end = single_int (self->reader, "SELECT min(ends_at) FROM shifts WHERE handled_at IS NULL",
                         0, error)) < 0 ||
      (start = single_int (self->reader, "SELECT min(starts_at) FROM shifts WHERE starts_at > ?1",
                           seen > 0 ? seen : hg_time_now_ms (), error)) < 0)
    return -1;
  if (end == 0 || start == 0)
    return MAX (end, start);
  return MIN (end, start);
}

/* --- Adding and removing shifts ---------------------------------------- */

typedef struct {
  HgShift  shift;
  gboolean role_given;
  gint64   id;          /* delete */
  char    *actor_id;
} ShiftJob;

static void
shift_job_free (gpointer data)
{
  ShiftJob *job = data;

  g_free (job->actor_id);
  g_free (job->shift.staff_id);
  g_free (job->shift.ward);
  g_free (job);
}

static gboolean
check_person (HgStaff   *staff,
              ShiftJob  *job,
              GError   **error)
{
  if (staff->disabled || staff->role == HG_ROLE_ADMIN)
    {
      hg_set_error (error, HG_ERROR_UNKNOWN_REFERENCE, "staff_cannot_take_shifts", "staff_id",
                    "%s cannot take shifts: %s", staff->id,
                    staff->disabled ? "the account is disabled" : "admins do not take incidents");
      return FALSE;
    }
  /* Routing reads the person's role, so a shift in another role would say
   * something the server does not do. */
  if (job->role_given && job->shift.role != staff->role)
    {
      hg_set_error (error, HG_ERROR_UNKNOWN_REFERENCE, "role_mismatch", "role",
                    "%s is a %s, not a %s", staff->id, hg_role_to_string (staff->role),
                    hg_role_to_string (job->shift.role));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_overlap (HgDb     *db,
               HgShift  *shift,
               GError  **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT id, starts_at, ends_at FROM shifts"
                                      " WHERE staff_id = ? AND ends_at > ? AND starts_at < ?"
                                      " ORDER BY ends_at LIMIT 1", error);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  gint64 other;
  int rc;

  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, shift->staff_id);
  sqlite3_bind_int64 (stmt, 2, shift->starts_at);
  sqlite3_bind_int64 (stmt, 3, shift->ends_at);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      other = sqlite3_column_int64 (stmt, 0);
      from = hg_time_format (sqlite3_column_int64 (stmt, 1));
      to = hg_time_format (sqlite3_column_int64 (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    hg_db_set_error (db, error, "checking shifts");
  else
    hg_set_error (error, HG_ERROR_CONFLICT, "shift_overlap", "starts_at",
                  "%s already has shift %" G_GINT64_FORMAT " from %s to %s", shift->staff_id,
                  other, from, to);
  return FALSE;
}

/* "shift.create" or "shift.delete": whose shift, where and when. */
static gboolean
audit_shift (HgDb           *db,
             const char     *action,
             const char     *actor_id,
             const HgShift  *shift,
             gint64          now,
             GError        **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *object = g_strdup_printf ("shift:%" G_GINT64_FORMAT, shift->id);
  g_autofree char *starts = hg_time_format (shift->starts_at);
  g_autofree char *ends = hg_time_format (shift->ends_at);
  g_autofree char *text = NULL;

  json_object_set_string_member (detail, "staff_id", shift->staff_id);
  json_object_set_string_member (detail, "role", hg_role_to_string (shift->role));
  if (shift->ward != NULL)
    json_object_set_string_member (detail, "ward", shift->ward);
  json_object_set_string_member (detail, "starts_at", starts);
  json_object_set_string_member (detail, "ends_at", ends);
  text = hg_audit_detail (detail);
  return hg_audit_append (db, now, actor_id, action, object, text, error);
}

static gboolean
add_shift_job (HgStore  *self,
               HgDb     *db,
               gint64    now,
               gpointer  data,
               GError  **error)
{
  ShiftJob *job = data;
  g_autoptr(HgStaff) staff = hg_store_load_staff (db, job->shift.staff_id, now, error);
  sqlite3_stmt *stmt;

  if (staff == NULL || !check_person (staff, job, error))
    return FALSE;
  job->shift.role = staff->role;
  if (job->shift.ward == NULL)
    job->shift.ward = g_strdup (staff->ward);
  if (!check_overlap (db, &job->shift, error))
    return FALSE;
  stmt = hg_db_prepare (db, "INSERT INTO shifts (staff_id, role, ward, starts_at, ends_at)"
                        " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, staff->id);
  hg_bind_text (stmt, 2, hg_role_to_string (staff->role));
  hg_bind_text (stmt, 3, job->shift.ward);
  sqlite3_bind_int64 (stmt, 4, job->shift.starts_at);
  sqlite3_bind_int64 (stmt, 5, job->shift.ends_at);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  job->shift.id = sqlite3_last_insert_rowid (db->handle);
  /* A shift running now puts the person on duty at once. */
  if (job->shift.starts_at <= now)
    hg_events_touch_staff (db, staff->id);
  return audit_shift (db, "shift.create", job->actor_id, &job->shift, now, error);
}

void
hg_store_add_shift_async (HgStore             *self,
                          const char          *actor_id,
                          const char          *staff_id,
                          const HgRole        *role,
                          const char          *ward,
                          gint64               starts_at,
                          gint64               ends_at,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  ShiftJob *job = g_new0 (ShiftJob, 1);

  g_return_if_fail (HG_IS_STORE (self));
  job->actor_id = g_strdup (actor_id);
  job->shift.staff_id = g_strdup (staff_id);
  job->role_given = role != NULL;
  job->shift.role = role ? *role : HG_ROLE_NURSE;
  job->shift.ward = g_strdup (ward);
  job->shift.starts_at = starts_at;
  job->shift.ends_at = ends_at;
  hg_store_queue_job (self, add_shift_job, job, shift_job_free, hg_store_add_shift_async,
                      callback, user_data);
}

HgShift *
hg_store_add_shift_finish (HgStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  ShiftJob *job = hg_store_job_finish (self, result, hg_store_add_shift_async, error);
  HgShift *shift;

  if (job == NULL)
    return NULL;
  shift = g_memdup2 (&job->shift, sizeof job->shift);
  shift->staff_id = g_strdup (job->shift.staff_id);
  shift->ward = g_strdup (job->shift.ward);
  return shift;
}

static gboolean
delete_shift_job (HgStore  *self,
                  HgDb     *db,
                  gint64    now,
                  gpointer  data,
                  GError  **error)
{
  ShiftJob *job = data;
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT " SHIFT_COLUMNS ", handled_at IS NULL"
                                      " FROM shifts WHERE id = ?", error);
  g_autoptr(HgShift) shift = NULL;
  gboolean was_on = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      shift = shift_from_row (stmt);
      /* Running, or ended but not handed over yet. */
      was_on = shift->starts_at <= now && sqlite3_column_int (stmt, 6);
    }
  sqlite3_reset (stmt);
  if (shift == NULL)
    {
      hg_set_error (error, HG_ERROR_NOT_FOUND, NULL, NULL, "no shift with id %" G_GINT64_FORMAT, job->id);
      return FALSE;
    }
  if (!(stmt = hg_db_prepare (db, "DELETE FROM shifts WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->id);
  if (!hg_db_step_done (db, stmt, error) ||
      !audit_shift (db, "shift.delete", job->actor_id, shift, now, error))
    return FALSE;
  if (!was_on)
    return TRUE;
  /* Ending a shift early is an end like any other: hand over now. */
  hg_events_touch_staff (db, shift->staff_id);
  return hg_store_hand_over_from (db, shift->staff_id, now, error);
}

void
hg_store_delete_shift_async (HgStore             *self,
                             const char          *actor_id,
                             gint64               id,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  ShiftJob *job = g_new0 (ShiftJob, 1);

  g_return_if_fail (HG_IS_STORE (self));
  job->actor_id = g_strdup (actor_id);
  job->id = id;
  hg_store_queue_job (self, delete_shift_job, job, shift_job_free, hg_store_delete_shift_async,
                      callback, user_data);
}

gboolean
hg_store_delete_shift_finish (HgStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return hg_store_job_finish (self, result, hg_store_delete_shift_async, error) != NULL;
}

/* --- Availability ------------------------------------------------------ */

typedef struct {
  char     *staff_id;
  gboolean  available;
  char     *reason;
  HgStaff  *staff;      /* the answer */
} AvailabilityJob;

static void
availability_job_free (gpointer data)
{
  AvailabilityJob *job = data;

  g_free (job->staff_id);
  g_free (job->reason);
  g_clear_object (&job->staff);
  g_free (job);
}

/* The reason may be personal (sick leave): only its length and hash. */
static gboolean
audit_availability (HgDb             *db,
                    AvailabilityJob  *job,
                    gint64            now,
                    GError          **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *object = g_strconcat ("staff:", job->staff_id, NULL);
  g_autofree char *text = NULL;

  json_object_set_boolean_member (detail, "available", job->available);
  hg_audit_set_text (detail, "reason", job->reason);
  text = hg_audit_detail (detail);
  return hg_audit_append (db, now, job->staff_id, "staff.availability", object, text, error);
}

static gboolean
availability_job (HgStore  *self,
                  HgDb     *db,
                  gint64    now,
                  gpointer  data,
                  GError  **error)
{
  AvailabilityJob *job = data;
  sqlite3_stmt *stmt = hg_db_prepare (db, "UPDATE staff SET available = ?, available_reason = ?"
                                      " WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, job->available ? 1 : 0);
  hg_bind_text (stmt, 2, job->reason);
  hg_bind_text (stmt, 3, job->staff_id);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  hg_events_touch_staff (db, job->staff_id);
  job->staff = hg_store_load_staff (db, job->staff_id, now, error);
  return job->staff != NULL && audit_availability (db, job, now, error);
}

void
hg_store_set_availability_async (HgStore             *self,
                                 const char          *staff_id,
                                 gboolean             available,
                                 const char          *reason,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  AvailabilityJob *job = g_new0 (AvailabilityJob, 1);

  g_return_if_fail (HG_IS_STORE (self));
  job->staff_id = g_strdup (staff_id);
  job->available = available;
  job->reason = g_strdup (reason);
  hg_store_queue_job (self, availability_job, job, availability_job_free,
                      hg_store_set_availability_async, callback, user_data);
}

HgStaff *
hg_store_set_availability_finish (HgStore       *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  AvailabilityJob *job = hg_store_job_finish (self, result, hg_store_set_availability_async, error);

  return job ? g_object_ref (job->staff) : NULL;
}
