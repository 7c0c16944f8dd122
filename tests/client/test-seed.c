/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hg_client_seed(): a client that starts from the offline cache's board
 * resumes from its seq (or refetches when the server says resync), against
 * the real server in-process. */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include <glib/gstdio.h>

#include "hg-cache.h"
#include "hg-client.h"
#include "hg-json.h"
#include "hg-test-server.h"

#define ACTIVE_PATH "/api/v1/incidents?status=open,assigned,acknowledged,in_progress&limit=500"

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_UNTIL(cond, msec) G_STMT_START {                                 \
    gint64 deadline_ = g_get_monotonic_time () + (gint64) (msec) * 1000;      \
    guint tick_ = g_timeout_add (20, tick, NULL);                             \
    while (!(cond))                                                           \
      {                                                                       \
        if (g_get_monotonic_time () > deadline_)                              \
          g_error ("%s:%d: not within %d ms: %s", __FILE__, __LINE__,         \
                   (int) (msec), #cond);                                      \
        g_main_context_iteration (NULL, TRUE);                                \
      }                                                                       \
    g_source_remove (tick_);                                                  \
  } G_STMT_END

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static HgClient *
new_client (HgTestServer *ts,
            const char   *staff_id)
{
  g_autofree char *url = hg_test_server_url (ts, "");
  HgClient *client = hg_client_new (url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hg_client_login_async (client, staff_id, "password123", "test-seed", NULL, got_result, &result);
  WAIT_UNTIL (result != NULL, 10000);
  g_assert_true (hg_client_login_finish (client, result, &error));
  g_assert_no_error (error);
  return client;
}

static HgIncident *
find (GListModel *model,
      gint64      id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HgIncident) incident = g_list_model_get_item (model, i);

      if (hg_incident_get_id (incident) == id)
        return incident;   /* the model keeps it alive */
    }
  return NULL;
}

/* The model holds exactly the server's active incidents at their
 * versions, each once. */
static gboolean
matches_server (GListModel   *model,
                HgTestServer *ts,
                const char   *token)
{
  guint status, n = g_list_model_get_n_items (model);
  g_autoptr(JsonNode) answer = hg_test_request (ts, "GET", ACTIVE_PATH, token, NULL, &status);
  JsonArray *list = json_node_get_array (hg_test_json_get (answer, "incidents"));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_assert_cmpuint (status, ==, 200);
  if (json_array_get_length (list) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      gint64 id = json_object_get_int_member (item, "id");
      HgIncident *held = find (model, id);

      if (held == NULL || hg_incident_get_version (held) != json_object_get_int_member (item, "version")
          || !g_hash_table_add (seen, g_memdup2 (&id, sizeof id)))
        return FALSE;
    }
  return TRUE;
}

static gint64
post_alert (HgTestServer *ts,
            const char   *token,
            const char   *type,
            const char   *patient,
            char        **out_assignee)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"%s\", \"patient_id\": \"%s\"}", type, patient);
  g_autoptr(JsonNode) answer = hg_test_post_alert (ts, token, body);

  if (out_assignee != NULL)
    *out_assignee = g_strdup (hg_test_json_string (answer, "incident.assignee.id"));
  return hg_test_json_int (answer, "incident.id");
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* A live client's board, through the cache as the app keeps it. */
static HgCacheSnapshot *
saved_board (HgTestServer *ts,
             const char   *path)
{
  g_autoptr(HgClient) client = new_client (ts, "N01");
  g_autoptr(HgCache) cache = hg_cache_new (path);
  g_autoptr(GError) error = NULL;
  HgCacheSnapshot *snapshot;

  hg_client_start (client);
  WAIT_UNTIL (hg_client_get_state (client) == HG_CLIENT_STATE_LIVE, 10000);
  WAIT_UNTIL (matches_server (hg_client_get_incidents (client), ts, hg_client_get_token (client)), 2000);
  hg_cache_set_origin (cache, "N01@somewhere");
  g_assert_true (hg_cache_save (cache, hg_client_get_incidents (client), hg_client_get_last_seq (client),
                                &error));
  g_assert_no_error (error);
  hg_client_stop (client);

  snapshot = hg_cache_load (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (snapshot->origin, ==, "N01@somewhere");
  g_assert_cmpint (snapshot->seq, ==, hg_client_get_last_seq (client));
  return snapshot;
}

/* Seeded, the list shows before any answer; started, it resumes: the
 * seeded objects stay, and what changed meanwhile arrives as events. */
static void
test_seed_resume (void)
{
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autofree char *token = hg_test_login (ts, "N01");
  g_autofree char *dir = g_dir_make_tmp ("hg-seed-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autofree char *assignee = NULL;
  g_autofree char *assignee_token = NULL;
  g_autofree char *ack = NULL;
  g_autoptr(HgCacheSnapshot) snapshot = NULL;
  g_autoptr(HgClient) client = NULL;
  g_autoptr(JsonNode) answer = NULL;
  GListModel *model;
  HgIncident *first_object;
  gint64 first, later;
  guint status;

  first = post_alert (ts, token, "CALL_BUTTON", "P003", &assignee);
  post_alert (ts, token, "BED_EXIT", "P004", NULL);
  snapshot = saved_board (ts, path);
  g_assert_cmpuint (snapshot->incidents->len, ==, 2);

  /* While nobody follows: a new incident and an acknowledgement. */
  later = post_alert (ts, token, "PATIENT_FALL", "P005", NULL);
  assignee_token = hg_test_login (ts, assignee);
  ack = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/acknowledge", first);
  answer = hg_test_request (ts, "POST", ack, assignee_token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  client = new_client (ts, "N01");
  model = hg_client_get_incidents (client);
  hg_client_seed (client, snapshot->incidents, snapshot->seq);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpint (hg_client_get_last_seq (client), ==, snapshot->seq);
  first_object = find (model, first);
  g_assert_nonnull (first_object);
  g_assert_null (find (model, later));

  hg_client_start (client);
  WAIT_UNTIL (hg_client_get_state (client) == HG_CLIENT_STATE_LIVE, 10000);
  WAIT_UNTIL (matches_server (model, ts, token), 5000);
  /* Resumed, not refetched: the seeded object took the acknowledgement. */
  g_assert_true (find (model, first) == first_object);
  g_assert_cmpint (hg_incident_get_status (first_object), ==, HG_INCIDENT_STATUS_ACKNOWLEDGED);
  g_assert_nonnull (find (model, later));

  hg_client_stop (client);
  remove_dir (dir);
  hg_test_server_stop (ts);
}

/* A seq the server cannot resume from (another database, a pruned log):
 * resync_required, and the list is fetched again, without what only the
 * cache had. */
static void
test_seed_resync (void)
{
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autofree char *token = hg_test_login (ts, "N01");
  g_autofree char *dir = g_dir_make_tmp ("hg-seed-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(HgCacheSnapshot) snapshot = NULL;
  g_autoptr(HgClient) client = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(HgIncident) other = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;
  gint64 kept;

  kept = post_alert (ts, token, "CALL_BUTTON", "P003", NULL);
  snapshot = saved_board (ts, path);
  g_assert_cmpuint (snapshot->incidents->len, ==, 1);
  /* From a server whose log runs far ahead of this one's. */
  node = hg_json_incident_to_node (snapshot->incidents->pdata[0], FALSE);
  json_object_set_int_member (json_node_get_object (node), "id", 999999);
  other = hg_json_incident_from_node (node, &error);
  g_assert_no_error (error);
  g_ptr_array_add (snapshot->incidents, g_steal_pointer (&other));
  post_alert (ts, token, "BED_EXIT", "P004", NULL);

  client = new_client (ts, "N01");
  model = hg_client_get_incidents (client);
  hg_client_seed (client, snapshot->incidents, snapshot->seq + 1000000);
  g_assert_nonnull (find (model, 999999));

  hg_client_start (client);
  WAIT_UNTIL (hg_client_get_state (client) == HG_CLIENT_STATE_LIVE, 10000);
  WAIT_UNTIL (matches_server (model, ts, token), 5000);
  g_assert_null (find (model, 999999));
  g_assert_nonnull (find (model, kept));
  g_assert_cmpint (hg_client_get_last_seq (client), <, snapshot->seq + 1000000);

  hg_client_stop (client);
  remove_dir (dir);
  hg_test_server_stop (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/seed/resume", test_seed_resume);
  g_test_add_func ("/client/seed/resync", test_seed_resync);
  return g_test_run ();
}
