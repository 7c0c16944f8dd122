/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include <string.h>

#include "hg-audit.h"
#include "hg-error.h"
#include "hg-events.h"
#include "hg-store-private.h"

/* Staff accounts as an admin changes them. Every change writes its audit
 * rows and its "staff.updated" event in the same transaction. */

void
hg_staff_change_clear (HgStaffChange *change)
{
  g_clear_pointer (&change->name, g_free);
  g_clear_pointer (&change->specialty, g_free);
  g_clear_pointer (&change->ward, g_free);
  if (change->password_hash != NULL)
    memset (change->password_hash, 0, strlen (change->password_hash));
  g_clear_pointer (&change->password_hash, g_free);
}

char *
hg_principal_actor (const HgPrincipal *principal)
{
  if (principal->kind == HG_PRINCIPAL_INTEGRATION)
    return g_strdup_printf ("integration:%s", principal->name);
  return g_strdup (principal->staff_id);
}

typedef struct {
  char          *actor;
  char          *id;
  HgStaffChange  change;
  gboolean       created;
  HgStaff       *staff;     /* the answer */
} StaffJob;

static void
staff_job_free (gpointer data)
{
  StaffJob *job = data;

  g_free (job->actor);
  g_free (job->id);
  hg_staff_change_clear (&job->change);
  g_clear_object (&job->staff);
  g_free (job);
}

static StaffJob *
staff_job_new (const char          *actor,
               const char          *id,
               const HgStaffChange *change)
{
  StaffJob *job = g_new0 (StaffJob, 1);

  job->actor = g_strdup (actor);
  job->id = g_strdup (id);
  if (change != NULL)
    {
      job->change = *change;
      job->change.name = g_strdup (change->name);
      job->change.specialty = g_strdup (change->specialty);
      job->change.ward = g_strdup (change->ward);
      job->change.password_hash = g_strdup (change->password_hash);
    }
  return job;
}

static gboolean
audit_staff (HgDb        *db,
             gint64       now,
             const char  *actor,
             const char  *action,
             const char  *id,
             JsonObject  *detail,
             GError     **error)
{
  g_autofree char *object = g_strdup_printf ("staff:%s", id);
  g_autofree char *text = detail ? hg_audit_detail (detail) : NULL;

  return hg_audit_append (db, now, actor, action, object, text, error);
}

/* The member's row, or NULL with no error when there is none. */
static HgStaff *
load_existing (HgDb        *db,
               const char  *id,
               gint64       now,
               GError     **error)
{
  GError *local_error = NULL;
  HgStaff *staff = hg_store_load_staff (db, id, now, &local_error);

  if (local_error != NULL && g_error_matches (local_error, HG_ERROR, HG_ERROR_UNKNOWN_REFERENCE))
    g_clear_error (&local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return staff;
}

/* Only specialists have a specialty, and every specialist has one: routing
 * matches on it. A role change away from specialist drops it. */
static gboolean
resolve_specialty (HgRole       role,
                   const char  *requested,
                   const char  *current,
                   const char **out,
                   GError     **error)
{
  if (role != HG_ROLE_SPECIALIST && requested != NULL)
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "specialty",
                    "only specialists have a specialty");
      return FALSE;
    }
  *out = role == HG_ROLE_SPECIALIST ? (requested ? requested : current) : NULL;
  if (role == HG_ROLE_SPECIALIST && *out == NULL)
    {
      hg_set_error (error, HG_ERROR_INVALID, "missing_field", "specialty",
                    "a specialist needs a specialty");
      return FALSE;
    }
  return TRUE;
}

/* Sessions end on a new password or a disabled account: whoever held
 * them may be the reason. */
static gboolean
revoke_sessions (HgDb        *db,
                 const char  *id,
                 gint64       now,
                 guint       *out_revoked,
                 GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "UPDATE tokens SET revoked_at = ?1 WHERE staff_id = ?2"
                                      " AND revoked_at IS NULL AND expires_at > ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  hg_bind_text (stmt, 2, id);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  *out_revoked = sqlite3_changes (db->handle);
  return TRUE;
}

/* A disabled person goes off duty now, and what they hold is handed over
 * as at the end of a shift. Later shifts stay on the rota: a disabled
 * account is never a candidate, and re-enabling it brings them back. */
static gboolean
end_running_shift (HgDb        *db,
                   const char  *id,
                   gint64       now,
                   GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "UPDATE shifts SET ends_at = ?1, handled_at = ?1"
                                      " WHERE staff_id = ?2 AND starts_at < ?1 AND ends_at > ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  hg_bind_text (stmt, 2, id);
  if (!hg_db_step_done (db, stmt, error) ||
      !(stmt = hg_db_prepare (db, "DELETE FROM shifts WHERE staff_id = ?2 AND starts_at = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  hg_bind_text (stmt, 2, id);
  return hg_db_step_done (db, stmt, error) && hg_store_hand_over_from (db, id, now, error);
}

/* Nobody could sign in to manage accounts any more. */
static gboolean
check_admin_left (HgDb    *db,
                  GError **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT count(*) FROM staff WHERE role = 'admin' AND disabled = 0",
                                      error);
  gint64 admins = 0;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    admins = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (admins > 0)
    return TRUE;
  hg_set_error (error, HG_ERROR_CONFLICT, "last_admin", NULL,
                "this would leave no enabled admin account");
  return FALSE;
}

/* --- Create ----------------------------------------------------------- */

static JsonObject *
created_detail (const StaffJob *job,
                const char     *specialty)
{
  JsonObject *detail = json_object_new ();

  json_object_set_string_member (detail, "name", job->change.name);
  json_object_set_string_member (detail, "role", hg_role_to_string (job->change.role));
  if (specialty != NULL)
    json_object_set_string_member (detail, "specialty", specialty);
  if (job->change.ward != NULL)
    json_object_set_string_member (detail, "ward", job->change.ward);
  json_object_set_boolean_member (detail, "password_set", job->change.password_hash != NULL);
  return detail;
}

static gboolean
insert_staff (HgDb        *db,
              StaffJob    *job,
              const char  *specialty,
              gint64       now,
              GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "INSERT INTO staff (id, name, role, specialty, ward,"
                                      " password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                      error);

  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, job->id);
  hg_bind_text (stmt, 2, job->change.name);
  hg_bind_text (stmt, 3, hg_role_to_string (job->change.role));
  hg_bind_text (stmt, 4, specialty);
  hg_bind_text (stmt, 5, job->change.ward);
  hg_bind_text (stmt, 6, job->change.password_hash);
  sqlite3_bind_int (stmt, 7, job->change.set_disabled && job->change.disabled);
  sqlite3_bind_int64 (stmt, 8, now);
  return hg_db_step_done (db, stmt, error);
}

static gboolean
create_staff_job (HgStore  *self,
                  HgDb     *db,
                  gint64    now,
                  gpointer  data,
                  GError  **error)
{
  StaffJob *job = data;
  GError *local_error = NULL;
  g_autoptr(HgStaff) existing = load_existing (db, job->id, now, &local_error);
  g_autoptr(JsonObject) detail = NULL;
  const char *specialty;

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (existing != NULL)
    {
      hg_set_error (error, HG_ERROR_CONFLICT, "staff_exists", "id", "there is already a staff member %s",
                    job->id);
      return FALSE;
    }
  if (!resolve_specialty (job->change.role, job->change.specialty, NULL, &specialty, error) ||
      !insert_staff (db, job, specialty, now, error))
    return FALSE;
  detail = created_detail (job, specialty);
  if (!audit_staff (db, now, job->actor, "staff.create", job->id, detail, error))
    return FALSE;
  hg_events_touch_staff (db, job->id);
  job->staff = hg_store_load_staff (db, job->id, now, error);
  return job->staff != NULL;
}

void
hg_store_create_staff_async (HgStore             *self,
                             const char          *actor,
                             const char          *id,
                             const HgStaffChange *change,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (HG_IS_STORE (self));
  g_return_if_fail (change->name != NULL && change->set_role);

  hg_store_queue_job (self, create_staff_job, staff_job_new (actor, id, change), staff_job_free,
                      hg_store_create_staff_async, callback, user_data);
}

HgStaff *
hg_store_create_staff_finish (HgStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  StaffJob *job = hg_store_job_finish (self, result, hg_store_create_staff_async, error);

  return job ? g_object_ref (job->staff) : NULL;
}

/* --- Update ----------------------------------------------------------- */

/* The members whose value changes, with their new values. */
static JsonObject *
update_detail (const HgStaff       *before,
               const HgStaffChange *change,
               HgRole               role,
               const char          *specialty)
{
  JsonObject *detail = json_object_new ();

  if (change->name != NULL && g_strcmp0 (change->name, before->name) != 0)
    json_object_set_string_member (detail, "name", change->name);
  if (role != before->role)
    json_object_set_string_member (detail, "role", hg_role_to_string (role));
  if (g_strcmp0 (specialty, before->specialty) != 0)
    {
      if (specialty != NULL)
        json_object_set_string_member (detail, "specialty", specialty);
      else
        json_object_set_null_member (detail, "specialty");
    }
  if (change->ward != NULL && g_strcmp0 (change->ward, before->ward) != 0)
    json_object_set_string_member (detail, "ward", change->ward);
  return detail;
}

static gboolean
write_update (HgDb                *db,
              const char          *id,
              const HgStaffChange *change,
              HgRole               role,
              const char          *specialty,
              gboolean             disabled,
              GError             **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "UPDATE staff SET name = coalesce(?1, name), role = ?2,"
                                      " specialty = ?3, ward = coalesce(?4, ward), disabled = ?5,"
                                      " password_hash = coalesce(?6, password_hash) WHERE id = ?7", error);

  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, change->name);
  hg_bind_text (stmt, 2, hg_role_to_string (role));
  hg_bind_text (stmt, 3, specialty);
  hg_bind_text (stmt, 4, change->ward);
  sqlite3_bind_int (stmt, 5, disabled);
  hg_bind_text (stmt, 6, change->password_hash);
  hg_bind_text (stmt, 7, id);
  return hg_db_step_done (db, stmt, error);
}

/* Ends what a disabled account or a new password must end. */
static gboolean
apply_security (HgDb                *db,
                StaffJob            *job,
                const HgStaff       *before,
                gboolean             disabled,
                gint64               now,
                GError             **error)
{
  guint revoked = 0;

  if (disabled != before->disabled)
    {
      const char *action = disabled ? "staff.disable" : "staff.enable";

      if (!audit_staff (db, now, job->actor, action, job->id, NULL, error))
        return FALSE;
    }
  if (disabled && !before->disabled &&
      (!revoke_sessions (db, job->id, now, &revoked, error) || !end_running_shift (db, job->id, now, error)))
    return FALSE;
  if (job->change.password_hash != NULL)
    {
      g_autoptr(JsonObject) detail = json_object_new ();
      guint more = 0;

      if (!revoke_sessions (db, job->id, now, &more, error))
        return FALSE;
      json_object_set_int_member (detail, "sessions_revoked", revoked + more);
      if (!audit_staff (db, now, job->actor, "staff.password", job->id, detail, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
update_staff_job (HgStore  *self,
                  HgDb     *db,
                  gint64    now,
                  gpointer  data,
                  GError  **error)
{
  StaffJob *job = data;
  GError *local_error = NULL;
  g_autoptr(HgStaff) before = load_existing (db, job->id, now, &local_error);
  g_autoptr(JsonObject) detail = NULL;
  HgRole role;
  gboolean disabled;
  const char *specialty;

  if (local_error != NULL || before == NULL)
    {
      if (local_error == NULL)
        hg_set_error (&local_error, HG_ERROR_NOT_FOUND, NULL, NULL, "no staff member with id %s", job->id);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  role = job->change.set_role ? job->change.role : before->role;
  disabled = job->change.set_disabled ? job->change.disabled : before->disabled;
  if (!resolve_specialty (role, job->change.specialty, before->specialty, &specialty, error) ||
      !write_update (db, job->id, &job->change, role, specialty, disabled, error))
    return FALSE;
  if (before->role == HG_ROLE_ADMIN && !before->disabled && (role != HG_ROLE_ADMIN || disabled) &&
      !check_admin_left (db, error))
    return FALSE;
  detail = update_detail (before, &job->change, role, specialty);
  if ((json_object_get_size (detail) > 0 &&
       !audit_staff (db, now, job->actor, "staff.update", job->id, detail, error)) ||
      !apply_security (db, job, before, disabled, now, error))
    return FALSE;
  hg_events_touch_staff (db, job->id);
  job->staff = hg_store_load_staff (db, job->id, now, error);
  return job->staff != NULL;
}

void
hg_store_update_staff_async (HgStore             *self,
                             const char          *actor,
                             const char          *id,
                             const HgStaffChange *change,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (HG_IS_STORE (self));

  hg_store_queue_job (self, update_staff_job, staff_job_new (actor, id, change), staff_job_free,
                      hg_store_update_staff_async, callback, user_data);
}

HgStaff *
hg_store_update_staff_finish (HgStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  StaffJob *job = hg_store_job_finish (self, result, hg_store_update_staff_async, error);

  return job ? g_object_ref (job->staff) : NULL;
}

/* --- --create-admin --------------------------------------------------- */

static gboolean
reset_admin (HgDb           *db,
             StaffJob       *job,
             const HgStaff  *existing,
             gint64          now,
             GError        **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  sqlite3_stmt *stmt;
  guint revoked = 0;

  if (existing->role != HG_ROLE_ADMIN)
    {
      hg_set_error (error, HG_ERROR_CONFLICT, "staff_not_admin", "id",
                    "%s is a %s, not an admin: choose another id", job->id, hg_role_to_string (existing->role));
      return FALSE;
    }
  if (!(stmt = hg_db_prepare (db, "UPDATE staff SET password_hash = ?, disabled = 0 WHERE id = ?", error)))
    return FALSE;
  hg_bind_text (stmt, 1, job->change.password_hash);
  hg_bind_text (stmt, 2, job->id);
  if (!hg_db_step_done (db, stmt, error) || !revoke_sessions (db, job->id, now, &revoked, error))
    return FALSE;
  json_object_set_string_member (detail, "via", "--create-admin");
  json_object_set_int_member (detail, "sessions_revoked", revoked);
  return (!existing->disabled || audit_staff (db, now, NULL, "staff.enable", job->id, NULL, error)) &&
         audit_staff (db, now, NULL, "staff.password", job->id, detail, error);
}

static gboolean
set_admin_job (HgStore  *self,
               HgDb     *db,
               gint64    now,
               gpointer  data,
               GError  **error)
{
  StaffJob *job = data;
  GError *local_error = NULL;
  g_autoptr(HgStaff) existing = load_existing (db, job->id, now, &local_error);
  g_autoptr(JsonObject) detail = NULL;

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  hg_events_touch_staff (db, job->id);
  if (existing != NULL)
    return reset_admin (db, job, existing, now, error);
  job->created = TRUE;
  job->change.name = g_strdup ("Administrator");
  job->change.set_role = TRUE;
  job->change.role = HG_ROLE_ADMIN;
  detail = created_detail (job, NULL);
  json_object_set_string_member (detail, "via", "--create-admin");
  return insert_staff (db, job, NULL, now, error) &&
         audit_staff (db, now, NULL, "staff.create", job->id, detail, error);
}

gboolean
hg_store_set_admin (HgStore     *self,
                    const char  *id,
                    const char  *password_hash,
                    gboolean    *out_created,
                    GError     **error)
{
  StaffJob *job;
  gboolean ok;

  g_return_val_if_fail (HG_IS_STORE (self), FALSE);
  g_return_val_if_fail (password_hash != NULL, FALSE);

  job = staff_job_new (NULL, id, NULL);
  job->change.password_hash = g_strdup (password_hash);
  ok = hg_store_run_sync (self, set_admin_job, job, error);
  if (out_created != NULL)
    *out_created = job->created;
  staff_job_free (job);
  return ok;
}
