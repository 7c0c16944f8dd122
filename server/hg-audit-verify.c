/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Audit"

#include "config.h"

#include "hg-audit.h"
#include "hg-audit-verify.h"
#include "hg-error.h"

void
hg_audit_check_clear (HgAuditCheck *check)
{
  g_clear_pointer (&check->reason, g_free);
  check->rows = 0;
  check->broken = FALSE;
  check->broken_id = 0;
}

static void
set_broken (HgAuditCheck *out,
            gint64        id,
            char         *reason)
{
  out->broken = TRUE;
  out->broken_id = id;
  g_free (out->reason);
  out->reason = reason;
}

static gboolean
read_failed (sqlite3     *handle,
             const char  *what,
             GError     **error)
{
  hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL, "cannot read %s: %s", what, sqlite3_errmsg (handle));
  return FALSE;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  return (const char *) sqlite3_column_text (stmt, index);
}

/* One row against the one before it (@prev_hash, "" for the first): the
 * first check that fails names what is wrong. */
static gboolean
check_row (sqlite3_stmt *stmt,
           gint64        expected_id,
           const char   *prev_hash,
           HgAuditCheck *out)
{
  gint64 id = sqlite3_column_int64 (stmt, 0);
  const char *stored_prev = column_text (stmt, 6);
  const char *stored_hash = column_text (stmt, 7);
  g_autofree char *hash = NULL;

  if (id != expected_id)
    {
      set_broken (out, expected_id, id > expected_id + 1
                  ? g_strdup_printf ("rows %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " are missing",
                                     expected_id, id - 1)
                  : g_strdup_printf ("row %" G_GINT64_FORMAT " is missing (the next row is %" G_GINT64_FORMAT ")",
                                     expected_id, id));
      return FALSE;
    }
  if (g_strcmp0 (stored_prev, prev_hash) != 0)
    {
      set_broken (out, id, g_strdup_printf ("its prev_hash is not the hash of row %" G_GINT64_FORMAT
                                            ": that row, or this link, was altered", id - 1));
      return FALSE;
    }
  hash = hg_audit_row_hash (id, sqlite3_column_int64 (stmt, 1), column_text (stmt, 2),
                            column_text (stmt, 3), column_text (stmt, 4), column_text (stmt, 5),
                            stored_prev);
  if (g_strcmp0 (stored_hash, hash) != 0)
    {
      set_broken (out, id, g_strdup ("its hash does not match its contents: the row was altered"));
      return FALSE;
    }
  return TRUE;
}

/* The last id AUTOINCREMENT handed out, 0 when none. */
static gboolean
read_sequence (sqlite3  *handle,
               gint64   *out_seq,
               GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *out_seq = 0;
  if (sqlite3_prepare_v2 (handle, "SELECT seq FROM sqlite_sequence WHERE name = 'audit'", -1, &stmt, NULL) != SQLITE_OK)
    return read_failed (handle, "sqlite_sequence", error);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return read_failed (handle, "sqlite_sequence", error);
  return TRUE;
}

/* A chain whose every row is fine may still have lost rows at its end. */
static void
check_end (gint64        last_id,
           gint64        seq,
           HgAuditCheck *out)
{
  if (seq > last_id)
    set_broken (out, last_id + 1,
                seq > last_id + 1
                ? g_strdup_printf ("rows %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " were deleted from the end"
                                   " (sqlite_sequence says %" G_GINT64_FORMAT " rows were written)",
                                   last_id + 1, seq, seq)
                : g_strdup_printf ("row %" G_GINT64_FORMAT ", the newest, was deleted"
                                   " (sqlite_sequence says %" G_GINT64_FORMAT " rows were written)",
                                   seq, seq));
  else if (seq < last_id)
    set_broken (out, seq + 1, g_strdup_printf ("sqlite_sequence says %" G_GINT64_FORMAT " rows were written,"
                                               " fewer than the %" G_GINT64_FORMAT " there are: it was altered",
                                               seq, last_id));
}

static gboolean
walk (sqlite3       *handle,
      HgAuditCheck  *out,
      GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev_hash = g_strdup ("");
  gint64 last_id = 0;
  gint64 seq;
  int rc;

  if (sqlite3_prepare_v2 (handle, "SELECT id, at, actor, action, object, detail, prev_hash, hash"
                          " FROM audit ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    return read_failed (handle, "the audit trail", error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      out->rows++;
      if (!check_row (stmt, last_id + 1, prev_hash, out))
        break;
      last_id = sqlite3_column_int64 (stmt, 0);
      g_free (prev_hash);
      prev_hash = g_strdup (column_text (stmt, 7));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return read_failed (handle, "the audit trail", error);
  if (out->broken)
    return TRUE;
  if (!read_sequence (handle, &seq, error))
    return FALSE;
  check_end (last_id, seq, out);
  return TRUE;
}

gboolean
hg_audit_verify (sqlite3       *handle,
                 HgAuditCheck  *out,
                 GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (handle != NULL, FALSE);
  hg_audit_check_clear (out);
  /* One snapshot: the server may be appending meanwhile. */
  if (sqlite3_exec (handle, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return read_failed (handle, "the database", error);
  ok = walk (handle, out, error);
  sqlite3_exec (handle, "COMMIT", NULL, NULL, NULL);
  return ok;
}

gboolean
hg_audit_verify_file (const char    *path,
                      HgAuditCheck  *out,
                      GError       **error)
{
  sqlite3 *handle = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);
  if (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL, "cannot open database %s: %s", path,
                  handle ? sqlite3_errmsg (handle) : "out of memory");
  else if (sqlite3_busy_timeout (handle, 5000) == SQLITE_OK)
    ok = hg_audit_verify (handle, out, error);
  sqlite3_close (handle);
  return ok;
}
