/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include "hg-audit.h"
#include "hg-error.h"
#include "hg-json.h"
#include "hg-store-private.h"

/* --- Reads ------------------------------------------------------------ */

/* Filters go into the text so the statement cache keys on the shape. */
static char *
list_sql (const HgAuditFilter *filter)
{
  GString *sql = g_string_new ("SELECT id, at, actor, action, object, detail, hash FROM audit WHERE id < ?1");

  if (filter->actor != NULL)
    g_string_append (sql, " AND actor = ?2");
  /* "incident." asks for every incident action. */
  if (filter->action != NULL && g_str_has_suffix (filter->action, "."))
    g_string_append (sql, " AND substr(action, 1, length(?3)) = ?3");
  else if (filter->action != NULL)
    g_string_append (sql, " AND action = ?3");
  if (filter->object != NULL)
    g_string_append (sql, " AND object = ?4");
  g_string_append (sql, " ORDER BY id DESC LIMIT ?5");
  return g_string_free (sql, FALSE);
}

static void
set_text_or_null (JsonObject   *object,
                  const char   *name,
                  sqlite3_stmt *stmt,
                  int           index)
{
  const char *text = (const char *) sqlite3_column_text (stmt, index);

  if (text == NULL)
    json_object_set_null_member (object, name);
  else
    json_object_set_string_member (object, name, text);
}

static JsonNode *
entry_from_row (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  const char *detail = (const char *) sqlite3_column_text (stmt, 5);
  g_autofree char *at = hg_time_format (sqlite3_column_int64 (stmt, 1));
  JsonNode *parsed = detail ? json_from_string (detail, NULL) : NULL;

  json_object_set_int_member (object, "id", sqlite3_column_int64 (stmt, 0));
  json_object_set_string_member (object, "at", at);
  set_text_or_null (object, "actor", stmt, 2);
  set_text_or_null (object, "action", stmt, 3);
  set_text_or_null (object, "object", stmt, 4);
  /* The server writes JSON there; anything else is shown as it is. */
  if (parsed != NULL)
    json_object_set_member (object, "detail", parsed);
  else
    set_text_or_null (object, "detail", stmt, 5);
  set_text_or_null (object, "hash", stmt, 6);
  return hg_json_node_new_object (object);
}

GPtrArray *
hg_store_list_audit (HgStore             *self,
                     const HgAuditFilter *filter,
                     gint64              *out_next_before,
                     GError             **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *sql = list_sql (filter);
  guint limit = filter->limit > 0 ? filter->limit : 50;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (HG_IS_STORE (self), NULL);

  if (!(stmt = hg_db_prepare (self->reader, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, filter->before_id > 0 ? filter->before_id : G_MAXINT64);
  hg_bind_text (stmt, 2, filter->actor);
  hg_bind_text (stmt, 3, filter->action);
  hg_bind_text (stmt, 4, filter->object);
  sqlite3_bind_int (stmt, 5, limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && list->len < limit)
    g_ptr_array_add (list, entry_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      hg_db_set_error (self->reader, error, "listing the audit trail");
      return NULL;
    }
  *out_next_before = 0;
  if (rc == SQLITE_ROW && list->len > 0)
    *out_next_before = json_object_get_int_member (json_node_get_object (list->pdata[list->len - 1]), "id");
  return g_steal_pointer (&list);
}

/* --- One row on its own ------------------------------------------------- */

typedef struct {
  char *actor;
  char *action;
  char *object;
  char *detail;
} AuditJob;

static void
audit_job_free (gpointer data)
{
  AuditJob *job = data;

  g_free (job->actor);
  g_free (job->action);
  g_free (job->object);
  g_free (job->detail);
  g_free (job);
}

static gboolean
audit_job (HgStore  *self,
           HgDb     *db,
           gint64    now,
           gpointer  data,
           GError  **error)
{
  AuditJob *job = data;

  return hg_audit_append (db, now, job->actor, job->action, job->object, job->detail, error);
}

void
hg_store_audit_async (HgStore             *self,
                      const char          *actor,
                      const char          *action,
                      const char          *object,
                      const char          *detail,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  AuditJob *job = g_new0 (AuditJob, 1);

  g_return_if_fail (HG_IS_STORE (self));
  g_return_if_fail (action != NULL);
  job->actor = g_strdup (actor);
  job->action = g_strdup (action);
  job->object = g_strdup (object);
  job->detail = g_strdup (detail);
  hg_store_queue_job (self, audit_job, job, audit_job_free, hg_store_audit_async, callback, user_data);
}

gboolean
hg_store_audit_finish (HgStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return hg_store_job_finish (self, result, hg_store_audit_async, error) != NULL;
}

/* --- Escalation settings ------------------------------------------------ */

static char *
policies_detail (const HgEscalationPolicy *policies)
{
  g_autoptr(JsonObject) object = json_object_new ();

  for (guint i = 0; i < HG_N_SEVERITIES; i++)
    {
      JsonObject *policy = json_object_new ();

      json_object_set_int_member (policy, "remind_after", policies[i].remind_after);
      json_object_set_int_member (policy, "reassign_after", policies[i].reassign_after);
      json_object_set_int_member (policy, "alert_supervisors_after", policies[i].alert_supervisors_after);
      json_object_set_int_member (policy, "start_within", policies[i].start_within);
      json_object_set_object_member (object, hg_severity_to_string (i), policy);
    }
  return hg_audit_detail (object);
}

/* The values of the newest "settings.escalation" row, NULL if none. */
static gboolean
last_recorded (HgDb     *db,
               char    **out_detail,
               GError  **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT detail FROM audit WHERE action = 'settings.escalation'"
                                      " ORDER BY id DESC LIMIT 1", error);
  int rc;

  *out_detail = NULL;
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_detail = hg_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "reading the audit trail");
      return FALSE;
    }
  return TRUE;
}

/* The policies come from the configuration file, which the server cannot
 * watch being edited: at each start, a change since the last recorded
 * values is recorded, by the server (actor NULL). */
gboolean
hg_store_audit_settings (HgDb                     *db,
                         const HgEscalationPolicy *policies,
                         GError                  **error)
{
  g_autofree char *detail = policies_detail (policies);
  g_autofree char *last = NULL;

  if (!hg_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!last_recorded (db, &last, error))
    goto fail;
  if (g_strcmp0 (last, detail) != 0)
    {
      g_message (last ? "The escalation policies changed: recording them in the audit trail"
                      : "Recording the escalation policies in the audit trail");
      if (!hg_audit_append (db, hg_time_now_ms (), NULL, "settings.escalation", "settings:escalation",
                            detail, error))
        goto fail;
    }
  if (hg_db_exec (db, "COMMIT", error))
    return TRUE;

fail:
  hg_db_exec (db, "ROLLBACK", NULL);
  return FALSE;
}
