/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real window without its server: the board saved for the next start
 * shows, marked stale, when the server is down then; and a board that
 * loses its server keeps its rows, says "Offline", and catches up without
 * a missed or doubled change when the server comes back. */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hg-application.h"
#include "hg-board-page.h"
#include "hg-cache.h"
#include "hg-login-page.h"
#include "hg-test-app.h"
#include "hg-test-server.h"
#include "hg-window.h"

#define ACTIVE_PATH "/api/v1/incidents?status=open,assigned,acknowledged,in_progress&limit=500"

static HgApplication *app;
static char *cache_home;

typedef struct {
  HgTestServer *ts;
  char         *url;
  char         *token;    /* N01's, to post alerts */
  HgWindow     *window;
} Fixture;

/* --- The window ------------------------------------------------------------ */

static gpointer
window_child (Fixture    *f,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (f->window), HG_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static gpointer
login_child (Fixture    *f,
             const char *name)
{
  GObject *child = gtk_widget_get_template_child (window_child (f, "login_page"), HG_TYPE_LOGIN_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

static GListModel *
board_model (Fixture *f)
{
  return G_LIST_MODEL (hg_board_page_get_model (window_child (f, "board_page")));
}

static const char *
connection_text (Fixture *f)
{
  return gtk_label_get_label (window_child (f, "connection_label"));
}

static gboolean
banner_shown (Fixture *f)
{
  return gtk_revealer_get_reveal_child (window_child (f, "stale_revealer"));
}

static void
open_window (Fixture *f)
{
  f->window = hg_window_new (app);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
close_window (Fixture *f)
{
  g_clear_pointer ((GtkWindow **) &f->window, gtk_window_destroy);
}

static gboolean
on_main_page (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (window_child (f, "main_stack")), "main") == 0;
}

static gboolean
is_live (gpointer data)
{
  return g_strcmp0 (connection_text (data), "Live") == 0;
}

static gboolean
is_offline (gpointer data)
{
  return g_str_has_prefix (connection_text (data), "Offline");
}

static void
sign_in (Fixture *f)
{
  gtk_editable_set_text (login_child (f, "server_row"), f->url);
  gtk_editable_set_text (login_child (f, "staff_row"), "N01");
  gtk_editable_set_text (login_child (f, "password_row"), "password123");
  gtk_widget_activate (login_child (f, "sign_in_button"));
  hg_test_app_wait_for (on_main_page, f, 10000);
  hg_test_app_wait_for (is_live, f, 10000);
}

/* --- The server ------------------------------------------------------------ */

static const char *const types[] = {
  "CARDIAC_ARREST", "CALL_BUTTON", "BED_EXIT", "PATIENT_FALL", "STROKE_SIGNS", "SPO2_LOW",
  "CHEST_PAIN", "SEIZURE", "HYPOGLYCEMIA", "LEADS_OFF", "PAIN_UNCONTROLLED", "BATHROOM_CALL",
  "APNEA", "ARRHYTHMIA", "SEPSIS_SUSPECTED",
};

/* Incident @i of a test: a type and patient of its own, so that no two
 * correlate. Returns its id and, in @out_assignee, who has it. */
static gint64
post_alert (Fixture  *f,
            guint     i,
            char    **out_assignee)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;

  g_assert_cmpuint (i, <, G_N_ELEMENTS (types));
  body = g_strdup_printf ("{\"type\": \"%s\", \"patient_id\": \"P00%u\"}", types[i], 1 + i % 8);
  answer = hg_test_post_alert (f->ts, f->token, body);
  if (out_assignee != NULL)
    *out_assignee = g_strdup (hg_test_json_string (answer, "incident.assignee.id"));
  return hg_test_json_int (answer, "incident.id");
}

static void
act (Fixture    *f,
     gint64      id,
     const char *staff_id,
     const char *action,
     const char *body)
{
  g_autofree char *token = hg_test_login (f->ts, staff_id);
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/%s", id, action);
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = hg_test_request (f->ts, "POST", path, token, body, &status);
  g_assert_cmpuint (status, ==, 200);
}

/* The model holds exactly the server's active incidents at their
 * versions, each once (what a fresh GET answers). */
static gboolean
matches_server (Fixture    *f,
                GListModel *model)
{
  guint status, n = g_list_model_get_n_items (model);
  g_autoptr(JsonNode) answer = hg_test_request (f->ts, "GET", ACTIVE_PATH, f->token, NULL, &status);
  JsonArray *list = json_node_get_array (hg_test_json_get (answer, "incidents"));
  g_autoptr(GHashTable) versions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  g_assert_cmpuint (status, ==, 200);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      gint64 id = json_object_get_int_member (item, "id");
      gint64 version = json_object_get_int_member (item, "version");

      g_hash_table_insert (versions, g_memdup2 (&id, sizeof id), g_memdup2 (&version, sizeof version));
    }
  if (n != g_hash_table_size (versions))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HgIncident) incident = g_list_model_get_item (model, i);
      gint64 id = hg_incident_get_id (incident);
      gint64 *version = g_hash_table_lookup (versions, &id);

      /* Removing it also catches the same id twice. */
      if (version == NULL || *version != hg_incident_get_version (incident))
        return FALSE;
      g_hash_table_remove (versions, &id);
    }
  return TRUE;
}

static gboolean
board_matches_server (gpointer data)
{
  Fixture *f = data;
  HgClient *client = hg_window_get_client (f->window);

  return client != NULL && matches_server (f, hg_client_get_incidents (client))
         && matches_server (f, board_model (f));
}

typedef struct {
  Fixture *f;
  guint    n;
} Count;

static gboolean
has_n_rows (gpointer data)
{
  Count *count = data;

  return g_list_model_get_n_items (board_model (count->f)) == count->n;
}

static void
wait_for_rows (Fixture *f,
               guint    n)
{
  Count count = { f, n };

  hg_test_app_wait_for (has_n_rows, &count, 5000);
}

/* --- Fixture ---------------------------------------------------------------- */

static char *
cache_path (void)
{
  return g_build_filename (cache_home, "healthguard", "cache.db", NULL);
}

static void
remove_cache (void)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };
  g_autofree char *path = cache_path ();

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GSettings *settings = hg_application_get_settings (app);

  /* Nobody signed in on this workstation before, and nothing saved. */
  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "staff-id");
  remove_cache ();
  f->ts = hg_test_server_start (NULL, NULL);
  f->url = hg_test_server_url (f->ts, "");
  f->token = hg_test_login (f->ts, "N01");
  open_window (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  close_window (f);
  hg_test_server_stop (f->ts);
  g_free (f->url);
  g_free (f->token);
  remove_cache ();
}

/* --- Tests -------------------------------------------------------------------- */

static gboolean
shows_saved_board (gpointer data)
{
  Fixture *f = data;

  return on_main_page (f) && g_list_model_get_n_items (board_model (f)) == 12 && banner_shown (f);
}

/* Signed in once (the password not remembered), the window closes; the
 * next start finds the server down and shows the last board at once. */
static void
test_cached_board (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = cache_path ();
  g_autoptr(HgCache) cache = NULL;
  g_autoptr(HgCacheSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 12; i++)
    post_alert (f, i, NULL);
  sign_in (f);
  wait_for_rows (f, 12);
  g_assert_false (banner_shown (f));
  close_window (f);

  /* Saved as the window closed. */
  cache = hg_cache_new (path);
  snapshot = hg_cache_load (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (snapshot->incidents->len, ==, 12);
  g_assert_cmpint (snapshot->seq, >, 0);
  g_clear_object (&cache);

  hg_test_server_go_down (f->ts);
  open_window (f);
  hg_test_app_wait_for (shows_saved_board, f, 5000);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (window_child (f, "stale_label")),
                                   "Showing the board as of "));
  g_assert_true (g_str_has_prefix (connection_text (f), "Offline"));
  g_assert_true (gtk_widget_get_visible (window_child (f, "stale_sign_in_button")));
  g_assert_true (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (gtk_revealer_get_child (
                   window_child (f, "stale_revealer")))) == GTK_ACCESSIBLE_ROLE_ALERT);
  hg_test_app_screenshot (GTK_WIDGET (f->window), "board-stale");

  /* The sign-in page is one click away, and back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-sign-in", NULL));
  g_assert_false (on_main_page (f));
  g_assert_true (gtk_widget_get_visible (window_child (f, "back_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-board", NULL));
  g_assert_true (on_main_page (f));

  /* The server is back and the nurse signs in: the same rows, now live. */
  hg_test_server_come_back (f->ts);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-sign-in", NULL));
  sign_in (f);
  hg_test_app_wait_for (board_matches_server, f, 5000);
  g_assert_false (banner_shown (f));
  g_assert_false (gtk_widget_get_visible (window_child (f, "back_button")));
}

/* The server goes away while incidents keep changing, and comes back
 * before the window notices it is back. */
static void
test_drop_and_restore (Fixture       *f,
                       gconstpointer  data)
{
  HgClient *client;
  g_autofree char *first_assignee = NULL;
  g_autofree char *second_assignee = NULL;
  gint64 first, second;
  gint64 outage;

  first = post_alert (f, 0, &first_assignee);
  second = post_alert (f, 1, &second_assignee);
  for (guint i = 2; i < 6; i++)
    post_alert (f, i, NULL);
  sign_in (f);
  wait_for_rows (f, 6);
  client = hg_window_get_client (f->window);
  /* "Offline" after 2 s instead of 15, for a short test. */
  hg_client_set_offline_timeout (client, 2000);

  outage = g_get_monotonic_time ();
  hg_test_server_go_down (f->ts);
  hg_test_app_wait_for (is_offline, f, 15000);
  g_test_message ("offline after %.1f s", (g_get_monotonic_time () - outage) / 1e6);
  g_assert_cmpuint (g_list_model_get_n_items (board_model (f)), ==, 6);
  g_assert_true (banner_shown (f));
  hg_test_app_screenshot (GTK_WIDGET (f->window), "board-offline");

  /* Back, and everything below happens before the window runs again:
   * one more incident, an acknowledgement, and one resolved. */
  hg_test_server_come_back (f->ts);
  post_alert (f, 6, NULL);
  act (f, first, first_assignee, "acknowledge", NULL);
  act (f, second, second_assignee, "resolve", "{\"note\": \"False alarm: the patient is fine\"}");
  g_assert_false (board_matches_server (f));

  hg_test_app_wait_for (board_matches_server, f, 20000);
  hg_test_app_wait_for (is_live, f, 5000);
  g_assert_cmpuint (g_list_model_get_n_items (board_model (f)), ==, 6);
  g_assert_false (banner_shown (f));
  g_assert_true (hg_window_get_client (f->window) == client);

  /* And it keeps following. */
  post_alert (f, 7, NULL);
  hg_test_app_wait_for (board_matches_server, f, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int rc;

  /* Before anything asks GLib for the cache folder (it asks once). */
  cache_home = g_dir_make_tmp ("hg-offline-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  hg_test_app_init (&argc, &argv);
  g_assert_cmpstr (g_get_user_cache_dir (), ==, cache_home);

  app = hg_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add ("/app/offline/cached-board", Fixture, NULL, fixture_setup, test_cached_board,
              fixture_teardown);
  g_test_add ("/app/offline/drop-and-restore", Fixture, NULL, fixture_setup, test_drop_and_restore,
              fixture_teardown);
  rc = g_test_run ();
  g_clear_object (&app);
  {
    g_autofree char *dir = g_build_filename (cache_home, "healthguard", NULL);

    remove_cache ();
    g_rmdir (dir);
    g_rmdir (cache_home);
  }
  g_free (cache_home);
  return rc;
}
