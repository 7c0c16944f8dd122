/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include "hg-auth.h"
#include "hg-error.h"
#include "hg-json.h"
#include "hg-store-private.h"

/* The demo staff's shift covers the whole time a demo may run. */
#define DEMO_SHIFT_MS (G_GINT64_CONSTANT (30) * 24 * 3600 * 1000)

typedef struct {
  JsonObject *root;
  const char *password;
} DemoJob;

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

static gboolean
insert_rows (HgDb        *db,
             JsonObject  *root,
             const char  *array_name,
             const char  *sql,
             const char  *const *members,
             GError     **error)
{
  JsonArray *array = json_object_get_array_member (root, array_name);
  sqlite3_stmt *stmt = hg_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);

      sqlite3_reset (stmt);
      for (guint m = 0; members[m] != NULL; m++)
        hg_bind_text (stmt, m + 1, member_string (row, members[m]));
      if (!hg_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_alert_types (HgDb        *db,
                    JsonObject  *root,
                    GError     **error)
{
  JsonArray *types = json_object_get_array_member (root, "alert_types");
  sqlite3_stmt *stmt = hg_db_prepare (db, "INSERT INTO alert_types (code, name, category, severity,"
                                      " required_role, specialty, fallback_roles)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      g_autoptr(HgAlertType) type = hg_json_alert_type_from_node (json_array_get_element (types, i), error);
      g_autoptr(GString) fallbacks = g_string_new (NULL);

      if (type == NULL)
        return FALSE;
      for (guint f = 0; f < type->fallback_roles->len; f++)
        g_string_append_printf (fallbacks, "%s%s", f ? "," : "",
                                hg_role_to_string (g_array_index (type->fallback_roles, HgRole, f)));
      sqlite3_reset (stmt);
      hg_bind_text (stmt, 1, type->code);
      hg_bind_text (stmt, 2, type->name);
      hg_bind_text (stmt, 3, type->category);
      hg_bind_text (stmt, 4, hg_severity_to_string (type->severity));
      hg_bind_text (stmt, 5, hg_role_to_string (type->required_role));
      hg_bind_text (stmt, 6, type->specialty);
      hg_bind_text (stmt, 7, fallbacks->str);
      if (!hg_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Every account gets its own salt: the same password must not give the
 * same hash. */
static gboolean
insert_staff (HgDb        *db,
              JsonObject  *root,
              const char  *password,
              gint64       now,
              GError     **error)
{
  static const char *const members[] = { "id", "name", "role", "specialty", "ward", NULL };
  JsonArray *staff = json_object_get_array_member (root, "staff");
  sqlite3_stmt *shift;

  if (!insert_rows (db, root, "staff", "INSERT INTO staff (id, name, role, specialty, ward, created_at)"
                    " VALUES (?, ?, ?, ?, ?, strftime('%s','now') * 1000)", members, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (staff); i++)
    {
      JsonObject *row = json_array_get_object_element (staff, i);
      g_autofree char *hash = hg_auth_hash_password (password, error);
      sqlite3_stmt *stmt;

      if (hash == NULL ||
          !(stmt = hg_db_prepare (db, "UPDATE staff SET password_hash = ? WHERE id = ?", error)))
        return FALSE;
      hg_bind_text (stmt, 1, hash);
      hg_bind_text (stmt, 2, member_string (row, "id"));
      if (!hg_db_step_done (db, stmt, error))
        return FALSE;
      if (g_strcmp0 (member_string (row, "role"), "admin") == 0)
        continue;
      if (!(shift = hg_db_prepare (db, "INSERT INTO shifts (staff_id, role, ward, starts_at, ends_at)"
                                   " VALUES (?, ?, ?, ?, ?)", error)))
        return FALSE;
      hg_bind_text (shift, 1, member_string (row, "id"));
      hg_bind_text (shift, 2, member_string (row, "role"));
      hg_bind_text (shift, 3, member_string (row, "ward"));
      sqlite3_bind_int64 (shift, 4, now - 3600 * 1000);
      sqlite3_bind_int64 (shift, 5, now + DEMO_SHIFT_MS);
      if (!hg_db_step_done (db, shift, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
demo_job (HgStore  *self,
          HgDb     *db,
          gint64    now,
          gpointer  data,
          GError  **error)
{
  static const char *const patient_members[] = { "id", "name", "ward", "room", "bed", NULL };
  DemoJob *job = data;

  return insert_alert_types (db, job->root, error) &&
         insert_rows (db, job->root, "patients", "INSERT INTO patients (id, name, ward, room, bed)"
                      " VALUES (?, ?, ?, ?, ?)", patient_members, error) &&
         insert_staff (db, job->root, job->password, now, error);
}

gboolean
hg_store_load_demo (HgStore     *self,
                    GBytes      *hospital_json,
                    const char  *password,
                    GError     **error)
{
  gsize len;
  const char *data = g_bytes_get_data (hospital_json, &len);
  g_autoptr(JsonNode) root = hg_json_parse (data, len, error);
  DemoJob job;

  g_return_val_if_fail (HG_IS_STORE (self), FALSE);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, NULL, "the demo hospital is not a JSON object");
      return FALSE;
    }
  job.root = json_node_get_object (root);
  job.password = password;
  return hg_store_run_sync (self, demo_job, &job, error);
}
