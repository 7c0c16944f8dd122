/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include "hg-store-private.h"

/* What a scrape reads: the trigger-kept tables of 007-metrics.sql, the
 * alert types (so that every type's counter is there from the start) and
 * who is on duty now. None of it grows with the number of incidents. */

static void
metric_row_free (gpointer data)
{
  HgMetricRow *row = data;

  g_free (row->name);
  g_free (row->label1);
  g_free (row->label2);
  g_free (row);
}

static gboolean
collect (HgDb       *db,
         const char *sql,
         gint64      now,
         GPtrArray  *rows,
         GError    **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HgMetricRow *row = g_new0 (HgMetricRow, 1);

      row->name = hg_column_dup (stmt, 0);
      row->label1 = hg_column_dup (stmt, 1);
      row->label2 = hg_column_dup (stmt, 2);
      row->value = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "reading metrics");
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
hg_store_read_metrics (HgStore  *self,
                       GError  **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (metric_row_free);
  gint64 now = hg_time_now_ms ();

  g_return_val_if_fail (HG_IS_STORE (self), NULL);

  if (!collect (self->reader, "SELECT name, label1, label2, value FROM metric_values",
                now, rows, error) ||
      /* le in label2, as text: the bucket's bound in ms. */
      !collect (self->reader, "SELECT name || '_bucket', severity, le_ms, count FROM metric_buckets",
                now, rows, error) ||
      !collect (self->reader, "SELECT 'alert_type', code, severity, 0 FROM alert_types",
                now, rows, error) ||
      !collect (self->reader, "SELECT 'staff_on_duty', s.role, '', count(*) FROM staff s"
                " WHERE s.disabled = 0 AND EXISTS (SELECT 1 FROM shifts h WHERE h.staff_id = s.id"
                " AND h.ends_at > ?1 AND h.starts_at <= ?1) GROUP BY s.role",
                now, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}
