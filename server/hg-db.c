/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include "hg-error.h"
#include "hg-store-private.h"

/* --- One connection --------------------------------------------------- */

void
hg_db_set_error (HgDb       *db,
                 GError    **error,
                 const char *what)
{
  int code = sqlite3_extended_errcode (db->handle) & 0xff;
  HgErrorCode hg_code = HG_ERROR_INTERNAL;

  if (code == SQLITE_FULL || code == SQLITE_READONLY || code == SQLITE_IOERR ||
      code == SQLITE_CANTOPEN || code == SQLITE_BUSY || code == SQLITE_LOCKED)
    hg_code = HG_ERROR_UNAVAILABLE;

  g_warning ("Database error while %s: %s", what, sqlite3_errmsg (db->handle));
  hg_set_error (error, hg_code, NULL, NULL, "database error while %s", what);
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* SQLite counts every allocation under one process-wide mutex, for
 * statistics the server never reads: under load that lock and unlock was
 * a tenth of the writer's time. It can only be turned off before SQLite
 * starts, so the first connection does it. */
static void
configure_sqlite (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      if (sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        g_debug ("SQLite was started before the store: its memory statistics stay on");
      g_once_init_leave (&once, 1);
    }
}

HgDb *
hg_db_open (const char  *path,
            gboolean     read_only,
            GError     **error)
{
  g_autoptr(HgDb) db = NULL;
  int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY
                                               : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

  configure_sqlite ();
  db = g_new0 (HgDb, 1);
  db->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  if (sqlite3_open_v2 (path, &db->handle, flags, NULL) != SQLITE_OK)
    {
      hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL,
                    "cannot open database %s: %s", path,
                    db->handle ? sqlite3_errmsg (db->handle) : "out of memory");
      return NULL;
    }
  sqlite3_extended_result_codes (db->handle, 1);
  sqlite3_busy_timeout (db->handle, 5000);
  return g_steal_pointer (&db);
}

void
hg_db_free (HgDb *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->stmts, g_hash_table_unref);
  g_clear_pointer (&db->touched_incidents, g_array_unref);
  g_clear_pointer (&db->created_incidents, g_hash_table_unref);
  g_clear_pointer (&db->touched_staff, g_ptr_array_unref);
  g_clear_pointer (&db->personal, g_ptr_array_unref);
  g_clear_pointer (&db->candidates, g_ptr_array_unref);
  sqlite3_close_v2 (db->handle);
  g_free (db);
}

sqlite3_stmt *
hg_db_prepare (HgDb       *db,
               const char *sql,
               GError    **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->stmts, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      hg_db_set_error (db, error, "preparing a statement");
      g_debug ("Statement was: %s", sql);
      return NULL;
    }
  g_hash_table_insert (db->stmts, g_strdup (sql), stmt);
  return stmt;
}

gboolean
hg_db_exec (HgDb       *db,
            const char *sql,
            GError    **error)
{
  char *message = NULL;

  if (sqlite3_exec (db->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_warning ("Database error: %s", message ? message : "unknown");
      hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL, "database error: %s",
                    message ? message : "unknown");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

gboolean
hg_db_step_done (HgDb         *db,
                 sqlite3_stmt *stmt,
                 GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      hg_db_set_error (db, error, "writing");
      return FALSE;
    }
  return TRUE;
}

void
hg_bind_text (sqlite3_stmt *stmt,
              int           index,
              const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
hg_column_dup (sqlite3_stmt *stmt,
               int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text ? g_strdup ((const char *) text) : NULL;
}
