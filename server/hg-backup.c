/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "hg-audit-verify.h"
#include "hg-backup.h"
#include "hg-error.h"

/* Pages copied per sqlite3_backup_step (), and how long to wait before
 * trying again when the live database is busy or locked. */
#define STEP_PAGES     256
#define BUSY_SLEEP_MS  50
/* A database busy this long without a break is not going to free up. */
#define BUSY_GIVE_UP_S 60

#define EXIT_USAGE        2
#define EXIT_AUDIT_BROKEN 3

static gboolean
sql_failed (sqlite3     *handle,
            const char  *what,
            GError     **error)
{
  hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL, "%s: %s", what, sqlite3_errmsg (handle));
  return FALSE;
}

static gboolean
exec (sqlite3     *handle,
      const char  *sql,
      const char  *what,
      GError     **error)
{
  if (sqlite3_exec (handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sql_failed (handle, what, error);
  return TRUE;
}

/* --- Which file is which --------------------------------------------- */

/* @path with its folder made absolute and canonical, or a copy of @path
 * when the folder does not exist. */
static char *
canonical_path (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  char *real_dir = realpath (dir, NULL);
  char *result;

  if (real_dir == NULL)
    return g_strdup (path);
  result = g_build_filename (real_dir, name, NULL);
  free (real_dir);
  return result;
}

static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf sa, sb;

  if (g_stat (a, &sa) != 0 || g_stat (b, &sb) != 0)
    return FALSE;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Renaming the copy over the live database, or over its WAL, would
 * destroy it: refuse every name that is, or links to, one of them. */
static gboolean
check_target (const char  *database,
              const char  *target,
              GError     **error)
{
  const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *canonical_target = canonical_path (target);
  g_autofree char *canonical_database = canonical_path (database);

  if (g_file_test (target, G_FILE_TEST_IS_DIR))
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, NULL,
                    "%s is a folder: name the backup file, such as %s/server.db", target, target);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *live = g_strconcat (database, suffixes[i], NULL);
      g_autofree char *canonical_live = g_strconcat (canonical_database, suffixes[i], NULL);

      if (g_str_equal (canonical_target, canonical_live) || same_file (target, live))
        {
          hg_set_error (error, HG_ERROR_INVALID, NULL, NULL,
                        "refusing to write the backup over %s, %s: name a file outside the live database",
                        target, suffixes[i][0] == '\0' ? "the live database itself"
                                                        : "a file of the live database");
          return FALSE;
        }
    }
  return TRUE;
}

/* --- The copy --------------------------------------------------------- */

/* Copies @source into @dest with the online backup API. One read
 * transaction spans every step, so the copy is one snapshot and, in WAL
 * mode, the server's commits meanwhile neither wait for it nor make it
 * start over. */
static gboolean
copy_snapshot (sqlite3  *source,
               sqlite3  *dest,
               int      *out_pages,
               GError  **error)
{
  sqlite3_backup *backup;
  gint64 busy_since = 0;
  int rc, finish_rc;

  if (!exec (source, "BEGIN; SELECT count(*) FROM sqlite_master", "cannot read the live database", error))
    return FALSE;
  backup = sqlite3_backup_init (dest, "main", source, "main");
  if (backup == NULL)
    {
      sql_failed (dest, "cannot start the backup", error);
      sqlite3_exec (source, "COMMIT", NULL, NULL, NULL);
      return FALSE;
    }
  do
    {
      rc = sqlite3_backup_step (backup, STEP_PAGES) & 0xff;
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        {
          gint64 now = g_get_monotonic_time ();

          if (busy_since == 0)
            busy_since = now;
          else if (now - busy_since > BUSY_GIVE_UP_S * G_USEC_PER_SEC)
            break;
          g_usleep (BUSY_SLEEP_MS * 1000);
        }
      else
        busy_since = 0;
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  *out_pages = sqlite3_backup_pagecount (backup);
  finish_rc = sqlite3_backup_finish (backup);
  sqlite3_exec (source, "COMMIT", NULL, NULL, NULL);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    {
      hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL,
                    "the live database stayed busy for %d seconds: %s", BUSY_GIVE_UP_S, sqlite3_errstr (rc));
      return FALSE;
    }
  if (rc != SQLITE_DONE || finish_rc != SQLITE_OK)
    {
      /* sqlite3_backup_finish () left the step's error on @dest. */
      hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL, "copying failed: %s", sqlite3_errmsg (dest));
      return FALSE;
    }
  return TRUE;
}

/* The copy carries the live database's WAL flag: make it a plain
 * rollback-journal file, whole without side files, which the server
 * turns back to WAL when it opens it. */
static gboolean
make_standalone (sqlite3  *dest,
                 GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (dest, "PRAGMA journal_mode=DELETE", -1, &stmt, NULL) != SQLITE_OK)
    return sql_failed (dest, "cannot leave WAL mode in the copy", error);
  ok = sqlite3_step (stmt) == SQLITE_ROW &&
       g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "delete") == 0;
  sqlite3_finalize (stmt);
  if (!ok)
    return sql_failed (dest, "cannot leave WAL mode in the copy", error);
  return TRUE;
}

static gboolean
check_integrity (sqlite3  *dest,
                 GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  if (sqlite3_prepare_v2 (dest, "PRAGMA integrity_check(10)", -1, &stmt, NULL) != SQLITE_OK)
    return sql_failed (dest, "cannot check the copy's integrity", error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "", line);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_failed (dest, "cannot check the copy's integrity", error);
  if (problems->len > 0)
    {
      hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL,
                    "the copy failed PRAGMA integrity_check: %s", problems->str);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sync_path (const char  *path,
           gboolean     is_dir,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | (is_dir ? O_DIRECTORY : 0), 0);
  int saved;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved = errno;
      if (fd >= 0)
        close (fd);
      hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL, "cannot sync %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Makes, fills and checks the temporary copy @tmp_path; @audit says what
 * its audit chain looks like. */
static gboolean
make_copy (const char    *database,
           const char    *tmp_path,
           int           *out_pages,
           int           *out_page_size,
           HgAuditCheck  *audit,
           GError       **error)
{
  sqlite3 *source = NULL;
  sqlite3 *dest = NULL;
  gboolean ok = FALSE;

  if (sqlite3_open_v2 (database, &source, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    sql_failed (source, "cannot open the live database", error);
  else if (sqlite3_open_v2 (tmp_path, &dest, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    sql_failed (dest, "cannot open the copy", error);
  else
    {
      sqlite3_busy_timeout (source, 5000);
      ok = copy_snapshot (source, dest, out_pages, error) && make_standalone (dest, error) &&
           check_integrity (dest, error);
    }
  sqlite3_close (source);
  if (ok)
    {
      g_autoptr(GError) local_error = NULL;

      if (!hg_audit_verify (dest, audit, &local_error))
        {
          hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL,
                        "cannot check the copy's audit chain (is %s a HealthGuard database?): %s",
                        database, local_error->message);
          ok = FALSE;
        }
      else
        {
          sqlite3_stmt *stmt = NULL;

          if (sqlite3_prepare_v2 (dest, "PRAGMA page_size", -1, &stmt, NULL) == SQLITE_OK &&
              sqlite3_step (stmt) == SQLITE_ROW)
            *out_page_size = sqlite3_column_int (stmt, 0);
          sqlite3_finalize (stmt);
        }
    }
  if (sqlite3_close (dest) != SQLITE_OK && ok)
    {
      hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL, "cannot close the copy: %s", sqlite3_errmsg (dest));
      ok = FALSE;
    }
  return ok && sync_path (tmp_path, FALSE, error);
}

/* A name for the copy while it is made: in @target's folder, so that the
 * rename is atomic, and hidden. The file is created, empty. */
static char *
create_temporary (const char  *target,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *name = g_path_get_basename (target);
  g_autofree char *template = g_strdup_printf (".%s.XXXXXX", name);
  char *path = g_build_filename (dir, template, NULL);
  int fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      hg_set_error (error, HG_ERROR_UNAVAILABLE, NULL, NULL,
                    "cannot create a file in %s: %s", dir, g_strerror (errno));
      g_free (path);
      return NULL;
    }
  close (fd);
  return path;
}

static void
remove_temporary (const char *tmp_path)
{
  const char *const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (tmp_path, suffixes[i], NULL);
      g_unlink (path);
    }
}

int
hg_backup_run (const HgConfig *config,
               const char     *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *dir = NULL;
  g_auto(HgAuditCheck) audit = { 0 };
  int pages = 0, page_size = 0;

  g_return_val_if_fail (config != NULL && path != NULL, EXIT_FAILURE);

  if (config->demo)
    {
      g_printerr ("healthguard-server: --backup only reads the database: it takes no --demo\n");
      return EXIT_USAGE;
    }
  if (!check_target (config->database, path, &error))
    {
      g_printerr ("healthguard-server: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (!g_file_test (config->database, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("healthguard-server: no database at %s: name it with --database or --config\n",
                  config->database);
      return EXIT_FAILURE;
    }
  tmp_path = create_temporary (path, &error);
  if (tmp_path == NULL || !make_copy (config->database, tmp_path, &pages, &page_size, &audit, &error))
    {
      g_printerr ("healthguard-server: backup of %s failed, %s is left as it was: %s\n",
                  config->database, path, error->message);
      if (tmp_path != NULL)
        remove_temporary (tmp_path);
      return EXIT_FAILURE;
    }
  dir = g_path_get_dirname (path);
  if (g_rename (tmp_path, path) != 0)
    {
      int saved = errno;

      g_printerr ("healthguard-server: backup of %s failed: cannot rename %s to %s: %s\n",
                  config->database, tmp_path, path, g_strerror (saved));
      remove_temporary (tmp_path);
      return EXIT_FAILURE;
    }
  if (!sync_path (dir, TRUE, &error))
    {
      g_printerr ("healthguard-server: backup of %s written to %s but not made durable: %s\n",
                  config->database, path, error->message);
      return EXIT_FAILURE;
    }
  if (audit.broken)
    {
      g_printerr ("healthguard-server: backup of %s written to %s, but its audit chain is broken at row %"
                  G_GINT64_FORMAT ": %s. The live database's chain is broken too: see docs/SECURITY.md,"
                  " \"Reading the audit chain\"\n", config->database, path, audit.broken_id, audit.reason);
      return EXIT_AUDIT_BROKEN;
    }
  g_print ("backup of %s written to %s: %d pages, %" G_GUINT64_FORMAT " bytes, integrity ok,"
           " audit chain OK: %" G_GINT64_FORMAT " rows\n",
           config->database, path, pages, (guint64) pages * (guint64) page_size, audit.rows);
  return EXIT_SUCCESS;
}
