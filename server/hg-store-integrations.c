/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include <string.h>

#include "hg-audit.h"
#include "hg-error.h"
#include "hg-events.h"
#include "hg-store-private.h"

/* Integration keys, and the idle time of staff sessions. */

void
hg_integration_free (HgIntegration *integration)
{
  if (integration == NULL)
    return;
  g_free (integration->name);
  g_free (integration->created_by);
  g_free (integration);
}

#define INTEGRATION_COLUMNS "id, name, created_by, created_at, coalesce(revoked_at, 0)"

static HgIntegration *
integration_from_row (sqlite3_stmt *stmt)
{
  HgIntegration *integration = g_new0 (HgIntegration, 1);

  integration->id = sqlite3_column_int64 (stmt, 0);
  integration->name = hg_column_dup (stmt, 1);
  integration->created_by = hg_column_dup (stmt, 2);
  integration->created_at = sqlite3_column_int64 (stmt, 3);
  integration->revoked_at = sqlite3_column_int64 (stmt, 4);
  return integration;
}

/* --- Reads ------------------------------------------------------------ */

gboolean
hg_store_lookup_key (HgStore      *self,
                     const guchar  hash[32],
                     HgPrincipal  *out,
                     GError      **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, "SELECT id, name FROM integrations"
                                      " WHERE key_hash = ? AND revoked_at IS NULL", error);
  gboolean found = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, 32, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      out->kind = HG_PRINCIPAL_INTEGRATION;
      out->integration_id = sqlite3_column_int64 (stmt, 0);
      out->name = hg_column_dup (stmt, 1);
      memcpy (out->token_hash, hash, 32);
    }
  else if (rc != SQLITE_DONE)
    hg_db_set_error (self->reader, error, "reading a key");
  sqlite3_reset (stmt);
  if (!found && rc == SQLITE_DONE)
    hg_set_error (error, HG_ERROR_UNAUTHENTICATED, "invalid_token", NULL,
                  "the integration key is unknown or revoked");
  return found;
}

GPtrArray *
hg_store_list_integrations (HgStore  *self,
                            GError  **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (self->reader, "SELECT " INTEGRATION_COLUMNS
                                      " FROM integrations ORDER BY id", error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) hg_integration_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, integration_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (self->reader, error, "reading integration keys");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* --- Keys ------------------------------------------------------------- */

typedef struct {
  char          *actor;
  char          *name;
  guchar         hash[32];
  gint64         id;
  HgIntegration *integration;   /* the answer */
} KeyJob;

static void
key_job_free (gpointer data)
{
  KeyJob *job = data;

  g_free (job->actor);
  g_free (job->name);
  hg_integration_free (job->integration);
  g_free (job);
}

static gboolean
audit_key (HgDb        *db,
           gint64       now,
           const char  *actor,
           const char  *action,
           gint64       id,
           const char  *name,
           GError     **error)
{
  g_autofree char *object = g_strdup_printf ("integration:%" G_GINT64_FORMAT, id);
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *text = NULL;

  json_object_set_string_member (detail, "name", name);
  text = hg_audit_detail (detail);
  return hg_audit_append (db, now, actor, action, object, text, error);
}

static gboolean
name_in_use (HgDb        *db,
             const char  *name,
             gboolean    *out,
             GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT EXISTS (SELECT 1 FROM integrations"
                                      " WHERE name = ? AND revoked_at IS NULL)", error);

  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, name);
  *out = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
create_key_job (HgStore  *self,
                HgDb     *db,
                gint64    now,
                gpointer  data,
                GError  **error)
{
  KeyJob *job = data;
  sqlite3_stmt *stmt;
  gboolean taken = FALSE;

  if (!name_in_use (db, job->name, &taken, error))
    return FALSE;
  if (taken)
    {
      hg_set_error (error, HG_ERROR_CONFLICT, "integration_exists", "name",
                    "a working key is already named “%s”: revoke it first or choose another name", job->name);
      return FALSE;
    }
  if (!(stmt = hg_db_prepare (db, "INSERT INTO integrations (name, key_hash, created_by, created_at)"
                              " VALUES (?, ?, ?, ?)", error)))
    return FALSE;
  hg_bind_text (stmt, 1, job->name);
  sqlite3_bind_blob (stmt, 2, job->hash, sizeof job->hash, SQLITE_STATIC);
  hg_bind_text (stmt, 3, job->actor);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  job->integration = g_new0 (HgIntegration, 1);
  job->integration->id = sqlite3_last_insert_rowid (db->handle);
  job->integration->name = g_strdup (job->name);
  job->integration->created_by = g_strdup (job->actor);
  job->integration->created_at = now;
  return audit_key (db, now, job->actor, "integration.create", job->integration->id, job->name, error);
}

void
hg_store_create_integration_async (HgStore             *self,
                                   const char          *actor,
                                   const char          *name,
                                   const guchar         key_hash[32],
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  KeyJob *job = g_new0 (KeyJob, 1);

  g_return_if_fail (HG_IS_STORE (self));
  job->actor = g_strdup (actor);
  job->name = g_strdup (name);
  memcpy (job->hash, key_hash, sizeof job->hash);
  hg_store_queue_job (self, create_key_job, job, key_job_free, hg_store_create_integration_async,
                      callback, user_data);
}

HgIntegration *
hg_store_create_integration_finish (HgStore       *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  KeyJob *job = hg_store_job_finish (self, result, hg_store_create_integration_async, error);

  return job ? g_steal_pointer (&job->integration) : NULL;
}

static gboolean
revoke_key_job (HgStore  *self,
                HgDb     *db,
                gint64    now,
                gpointer  data,
                GError  **error)
{
  KeyJob *job = data;
  sqlite3_stmt *stmt = hg_db_prepare (db, "UPDATE integrations SET revoked_at = ? WHERE id = ?"
                                      " AND revoked_at IS NULL RETURNING name", error);
  g_autofree char *name = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, job->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    name = hg_column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    hg_db_set_error (db, error, "revoking a key");
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return FALSE;
  if (name == NULL)
    {
      hg_set_error (error, HG_ERROR_NOT_FOUND, NULL, NULL, "no working integration key with id %" G_GINT64_FORMAT,
                    job->id);
      return FALSE;
    }
  return audit_key (db, now, job->actor, "integration.revoke", job->id, name, error);
}

void
hg_store_revoke_integration_async (HgStore             *self,
                                   const char          *actor,
                                   gint64               id,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  KeyJob *job = g_new0 (KeyJob, 1);

  g_return_if_fail (HG_IS_STORE (self));
  job->actor = g_strdup (actor);
  job->id = id;
  hg_store_queue_job (self, revoke_key_job, job, key_job_free, hg_store_revoke_integration_async,
                      callback, user_data);
}

gboolean
hg_store_revoke_integration_finish (HgStore       *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return hg_store_job_finish (self, result, hg_store_revoke_integration_async, error) != NULL;
}

/* --- Session idle time ------------------------------------------------ */

typedef struct {
  GArray *uses;          /* HgSessionUse */
  gint64  idle_before;
} TouchJob;

static void
touch_job_free (gpointer data)
{
  TouchJob *job = data;

  g_array_unref (job->uses);
  g_free (job);
}

static gboolean
write_uses (HgDb     *db,
            GArray   *uses,
            GError  **error)
{
  for (guint i = 0; i < uses->len; i++)
    {
      HgSessionUse *use = &g_array_index (uses, HgSessionUse, i);
      sqlite3_stmt *stmt = hg_db_prepare (db, "UPDATE tokens SET last_used_at ="
                                          " max(coalesce(last_used_at, created_at), ?) WHERE hash = ?", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, use->at);
      sqlite3_bind_blob (stmt, 2, use->hash, sizeof use->hash, SQLITE_STATIC);
      if (!hg_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Closing idle sessions in the database keeps "logged_in" true to what
 * the server would accept; the people concerned get a "staff.updated". */
static gboolean
close_idle (HgDb     *db,
            gint64    now,
            gint64    idle_before,
            GError  **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "UPDATE tokens SET revoked_at = ?1"
                                      " WHERE revoked_at IS NULL AND expires_at > ?1"
                                      " AND coalesce(last_used_at, created_at) < ?2 RETURNING staff_id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, idle_before);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    hg_events_touch_staff (db, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "closing idle sessions");
      return FALSE;
    }
  return TRUE;
}

static gboolean
touch_sessions_job (HgStore  *self,
                    HgDb     *db,
                    gint64    now,
                    gpointer  data,
                    GError  **error)
{
  TouchJob *job = data;

  return write_uses (db, job->uses, error) && close_idle (db, now, job->idle_before, error);
}

void
hg_store_touch_sessions_async (HgStore             *self,
                               GArray              *uses,
                               gint64               idle_before,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  TouchJob *job = g_new0 (TouchJob, 1);

  g_return_if_fail (HG_IS_STORE (self));
  job->uses = g_array_ref (uses);
  job->idle_before = idle_before;
  hg_store_queue_job (self, touch_sessions_job, job, touch_job_free, hg_store_touch_sessions_async,
                      callback, user_data);
}

gboolean
hg_store_touch_sessions_finish (HgStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return hg_store_job_finish (self, result, hg_store_touch_sessions_async, error) != NULL;
}
