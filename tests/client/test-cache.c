/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include <glib/gstdio.h>

#include "hg-cache.h"
#include "hg-json.h"

static HgIncident *
make_incident (gint64      id,
               gint64      version,
               const char *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text =
    g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"version\": %" G_GINT64_FORMAT ","
                     " \"status\": \"%s\", \"severity\": \"critical\", \"title\": \"Cardiac arrest\","
                     " \"alert_type\": \"CARDIAC_ARREST\","
                     " \"patient\": {\"id\": \"P001\", \"name\": \"Eleanor Whitfield\", \"ward\": \"Cardiology\", \"room\": \"204\"},"
                     " \"location\": {\"ward\": \"Cardiology\", \"room\": \"204\", \"bed\": \"A\"},"
                     " \"assignee\": {\"id\": \"S01\", \"name\": \"Dr. Sofia Rossi\", \"role\": \"specialist\", \"specialty\": \"cardiology\"},"
                     " \"required_role\": \"specialist\", \"required_specialty\": \"cardiology\","
                     " \"alert_count\": 2, \"escalation_level\": 0,"
                     " \"created_at\": \"2026-11-23T03:54:01.905Z\", \"assigned_at\": \"2026-11-23T03:54:01.905Z\","
                     " \"acknowledged_at\": null, \"started_at\": null, \"resolved_at\": null}",
                     id, version, status);
  g_autoptr(JsonNode) node = hg_json_parse (text, strlen (text), &error);
  HgIncident *incident;

  g_assert_no_error (error);
  incident = hg_json_incident_from_node (node, &error);
  g_assert_no_error (error);
  return incident;
}

static GListStore *
make_board (void)
{
  GListStore *store = g_list_store_new (HG_TYPE_INCIDENT);
  static const struct { gint64 id, version; const char *status; } rows[] = {
    { 7, 3, "assigned" }, { 3, 5, "in_progress" }, { 12, 1, "open" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(HgIncident) incident = make_incident (rows[i].id, rows[i].version, rows[i].status);

      g_list_store_append (store, incident);
    }
  return store;
}

/* Same ids at the same versions and titles, whatever the order. */
static void
assert_same_board (GListModel *model,
                   GPtrArray  *loaded)
{
  g_assert_cmpuint (loaded->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HgIncident) saved = g_list_model_get_item (model, i);
      gboolean found = FALSE;

      for (guint j = 0; j < loaded->len; j++)
        {
          HgIncident *incident = loaded->pdata[j];

          if (hg_incident_get_id (incident) != hg_incident_get_id (saved))
            continue;
          g_assert_false (found);
          found = TRUE;
          g_assert_cmpint (hg_incident_get_version (incident), ==, hg_incident_get_version (saved));
          g_assert_cmpint (hg_incident_get_status (incident), ==, hg_incident_get_status (saved));
          g_assert_cmpstr (hg_incident_get_title (incident), ==, hg_incident_get_title (saved));
          g_assert_cmpstr (hg_staff_get_id (hg_incident_get_assignee (incident)), ==, "S01");
        }
      g_assert_true (found);
    }
}

static void
remove_tree (const char *dir)
{
  g_autofree char *sub = g_build_filename (dir, "healthguard", NULL);
  const char *names[] = { "cache.db", "cache.db-wal", "cache.db-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (sub, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (sub);
  g_rmdir (dir);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hg-cache-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "healthguard", "cache.db", NULL);
  g_autoptr(HgCache) cache = hg_cache_new (path);
  g_autoptr(GListStore) board = make_board ();
  g_autoptr(HgCacheSnapshot) empty = NULL;
  g_autoptr(HgCacheSnapshot) snapshot = NULL;
  gint64 before = g_get_real_time ();

  g_assert_no_error (error);

  /* Nothing saved yet: an empty board, not an error. */
  empty = hg_cache_load (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->incidents->len, ==, 0);
  g_assert_cmpint (empty->seq, ==, 0);
  g_assert_cmpint (empty->saved_at, ==, 0);

  g_assert_true (hg_cache_save (cache, G_LIST_MODEL (board), 42, &error));
  g_assert_no_error (error);
  snapshot = hg_cache_load (cache, &error);
  g_assert_no_error (error);
  assert_same_board (G_LIST_MODEL (board), snapshot->incidents);
  g_assert_cmpint (snapshot->seq, ==, 42);
  g_assert_cmpint (snapshot->saved_at, >=, before);
  g_assert_cmpint (snapshot->saved_at, <=, g_get_real_time ());

  /* A save replaces the whole board. */
  g_list_store_remove (board, 0);
  g_assert_true (hg_cache_save (cache, G_LIST_MODEL (board), 57, &error));
  g_clear_pointer (&snapshot, hg_cache_snapshot_free);
  snapshot = hg_cache_load (cache, &error);
  g_assert_no_error (error);
  assert_same_board (G_LIST_MODEL (board), snapshot->incidents);
  g_assert_cmpint (snapshot->seq, ==, 57);

  g_clear_object (&cache);
  remove_tree (dir);
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_round_trip_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hg-cache-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "healthguard", "cache.db", NULL);
  g_autoptr(HgCache) cache = hg_cache_new (path);
  g_autoptr(GListStore) board = make_board ();
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(HgCacheSnapshot) snapshot = NULL;

  hg_cache_save_async (cache, G_LIST_MODEL (board), 7, NULL, got_result, &saved);
  while (saved == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hg_cache_save_finish (cache, saved, &error));
  g_assert_no_error (error);

  hg_cache_load_async (cache, NULL, got_result, &loaded);
  while (loaded == NULL)
    g_main_context_iteration (NULL, TRUE);
  snapshot = hg_cache_load_finish (cache, loaded, &error);
  g_assert_no_error (error);
  assert_same_board (G_LIST_MODEL (board), snapshot->incidents);
  g_assert_cmpint (snapshot->seq, ==, 7);

  g_clear_object (&saved);
  g_clear_object (&loaded);
  g_clear_object (&cache);
  remove_tree (dir);
}

static void
test_unwritable (void)
{
  g_autoptr(HgCache) cache = hg_cache_new ("/proc/no-such-place/healthguard/cache.db");
  g_autoptr(GListStore) board = make_board ();
  g_autoptr(GError) error = NULL;

  g_assert_false (hg_cache_save (cache, G_LIST_MODEL (board), 1, &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/cache/round-trip", test_round_trip);
  g_test_add_func ("/client/cache/round-trip-async", test_round_trip_async);
  g_test_add_func ("/client/cache/unwritable", test_unwritable);

  return g_test_run ();
}
