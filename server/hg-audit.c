/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Audit"

#include "config.h"

#include <string.h>

#include "hg-audit.h"
#include "hg-error.h"

static void
add_field (GChecksum  *checksum,
           const char *text)
{
  char prefix[32];

  /* NULL and "" differ: a NULL is "-", a string is its length then it. */
  if (text == NULL)
    {
      g_checksum_update (checksum, (const guchar *) "-;", 2);
      return;
    }
  g_snprintf (prefix, sizeof prefix, "%zu:", strlen (text));
  g_checksum_update (checksum, (const guchar *) prefix, strlen (prefix));
  g_checksum_update (checksum, (const guchar *) text, strlen (text));
  g_checksum_update (checksum, (const guchar *) ";", 1);
}

char *
hg_audit_row_hash (gint64      id,
                   gint64      at,
                   const char *actor,
                   const char *action,
                   const char *object,
                   const char *detail,
                   const char *prev_hash)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *numbers = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, id, at);

  add_field (checksum, numbers);
  add_field (checksum, actor);
  add_field (checksum, action);
  add_field (checksum, object);
  add_field (checksum, detail);
  add_field (checksum, prev_hash);
  return g_strdup (g_checksum_get_string (checksum));
}

gboolean
hg_audit_append (HgDb        *db,
                 gint64       now,
                 const char  *actor,
                 const char  *action,
                 const char  *object,
                 const char  *detail,
                 GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT (SELECT hash FROM audit ORDER BY id DESC LIMIT 1),"
                                      " (SELECT seq FROM sqlite_sequence WHERE name = 'audit')", error);
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  gint64 id = 1;

  g_return_val_if_fail (action != NULL, FALSE);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      prev = hg_column_dup (stmt, 0);
      id = sqlite3_column_int64 (stmt, 1) + 1;   /* NULL (no row yet) reads 0 */
    }
  sqlite3_reset (stmt);
  if (prev == NULL)
    prev = g_strdup ("");
  /* The next id is the one AUTOINCREMENT would give, so the hash can cover
   * it. Not the last row's id plus one: after the last row was deleted by
   * hand that would reuse its id and hide the deletion; this leaves a gap
   * that --verify-audit reports. */
  hash = hg_audit_row_hash (id, now, actor, action, object, detail, prev);
  stmt = hg_db_prepare (db, "INSERT INTO audit (id, at, actor, action, object, detail, prev_hash, hash)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  hg_bind_text (stmt, 3, actor);
  hg_bind_text (stmt, 4, action);
  hg_bind_text (stmt, 5, object);
  hg_bind_text (stmt, 6, detail);
  hg_bind_text (stmt, 7, prev);
  hg_bind_text (stmt, 8, hash);
  return hg_db_step_done (db, stmt, error);
}

char *
hg_audit_detail (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

void
hg_audit_set_text (JsonObject *object,
                   const char *prefix,
                   const char *text)
{
  g_autofree char *length = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *digest = NULL;

  if (text == NULL)
    return;
  length = g_strconcat (prefix, "_length", NULL);
  sha = g_strconcat (prefix, "_sha256", NULL);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  json_object_set_int_member (object, length, g_utf8_strlen (text, -1));
  json_object_set_string_member (object, sha, digest);
}
