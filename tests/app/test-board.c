/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Board page and its incident pane in a real window, against the real
 * server (in-process, 127.0.0.1:0, the demo hospital). */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include "hg-board-page.h"
#include "hg-client.h"
#include "hg-incident-pane.h"
#include "hg-test-app.h"
#include "hg-test-server.h"

/* One alert of each severity, and a second critical one, newer. */
static const char *const alerts[] = {
  "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}",
  "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P004\"}",
  "{\"type\": \"BED_EXIT\", \"patient_id\": \"P003\"}",
  "{\"type\": \"PATIENT_FALL\", \"patient_id\": \"P002\"}",
  "{\"type\": \"STROKE_SIGNS\", \"patient_id\": \"P005\"}",
};
#define N_ALERTS G_N_ELEMENTS (alerts)

typedef struct {
  HgTestServer *ts;
  char         *token;                 /* N01's, to post alerts */
  gint64        ids[N_ALERTS];
  char         *assignees[N_ALERTS];
  HgClient     *client;
  GtkWindow    *window;
  HgBoardPage  *page;
} Fixture;

/* --- Helpers ------------------------------------------------------------- */

static gboolean
is_live (gpointer data)
{
  return hg_client_get_state (data) == HG_CLIENT_STATE_LIVE;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GListModel *
board_model (Fixture *f)
{
  return G_LIST_MODEL (hg_board_page_get_model (f->page));
}

static HgIncident *
item (Fixture *f,
      guint    position)
{
  g_autoptr(HgIncident) incident = g_list_model_get_item (board_model (f), position);

  return incident;   /* the list holds it */
}

typedef struct {
  Fixture *f;
  guint    n;
} Count;

static gboolean
has_n_items (gpointer data)
{
  Count *count = data;

  return g_list_model_get_n_items (board_model (count->f)) == count->n;
}

static void
wait_for_n_items (Fixture *f,
                  guint    n)
{
  Count count = { f, n };

  hg_test_app_wait_for (has_n_items, &count, 5000);
}

/* Signs @client in as @staff_id on this main loop, and follows the stream. */
static HgClient *
signed_in_client (Fixture    *f,
                  const char *staff_id)
{
  g_autofree char *url = hg_test_server_url (f->ts, "");
  HgClient *client = hg_client_new (url);

  hg_test_app_sign_in (client, staff_id, "test-board");
  g_assert_cmpstr (hg_client_get_staff_id (client), ==, staff_id);
  return client;
}

/* The board in a window with the app's style sheet (an AdwApplication
 * would load it by itself). */
static void
show_board (Fixture    *f,
            const char *staff_id,
            gboolean    mine)
{
  static GtkCssProvider *css;

  if (css == NULL)
    {
      css = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (css, "/org/healthguard/Ops/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  f->client = signed_in_client (f, staff_id);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1280, 760);
  f->page = g_object_new (HG_TYPE_BOARD_PAGE, "mine", mine, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  g_object_set (f->page, "client", f->client, NULL);
  hg_client_start (f->client);
  hg_test_app_wait_for (is_live, f->client, 10000);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = hg_test_server_start (NULL, NULL);
  f->token = hg_test_login (f->ts, "N01");
  for (gsize i = 0; i < N_ALERTS; i++)
    {
      g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, f->token, alerts[i]);

      f->ids[i] = hg_test_json_int (answer, "incident.id");
      f->assignees[i] = g_strdup (hg_test_json_string (answer, "incident.assignee.id"));
      g_assert_nonnull (f->assignees[i]);
    }
}

/* Requests still under way (cancelled with the window) hold the client
 * until their callbacks ran. */
static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->window, gtk_window_destroy);
  if (f->client != NULL)
    {
      hg_client_stop (f->client);
      hg_test_app_wait_for (hg_test_app_only_ours, f->client, 5000);
      g_assert_finalize_object (f->client);
    }
  hg_test_server_stop (f->ts);
  g_free (f->token);
  for (gsize i = 0; i < N_ALERTS; i++)
    g_free (f->assignees[i]);
}

/* --- Tests ---------------------------------------------------------------- */

static void
assert_sorted (Fixture *f)
{
  for (guint i = 1; i < g_list_model_get_n_items (board_model (f)); i++)
    {
      HgIncident *before = item (f, i - 1), *after = item (f, i);

      g_assert_cmpint (hg_incident_get_severity (before), >=, hg_incident_get_severity (after));
      if (hg_incident_get_severity (before) == hg_incident_get_severity (after))
        g_assert_cmpint (hg_incident_get_created_at (before), <=, hg_incident_get_created_at (after));
    }
}

/* A timeline row says "Created" once the pane has the incident's detail. */
static gboolean
has_row_titled (GtkWidget  *widget,
                const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_row_titled (child, title))
      return TRUE;
  return FALSE;
}

static gboolean
shows_created (gpointer data)
{
  return has_row_titled (data, "Created");
}

static void
test_sorted (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *pane;

  show_board (f, "N01", FALSE);
  wait_for_n_items (f, N_ALERTS);
  assert_sorted (f);
  g_assert_cmpint (hg_incident_get_severity (item (f, 0)), ==, HG_SEVERITY_CRITICAL);
  g_assert_cmpint (hg_incident_get_id (item (f, 0)), ==, f->ids[0]);   /* the older critical */
  g_assert_cmpint (hg_incident_get_id (item (f, 1)), ==, f->ids[4]);
  g_assert_cmpint (hg_incident_get_severity (item (f, N_ALERTS - 1)), ==, HG_SEVERITY_LOW);

  /* Selecting a row opens the pane, which loads the detail. */
  pane = find_type (GTK_WIDGET (f->page), HG_TYPE_INCIDENT_PANE);
  g_assert_false (gtk_widget_get_visible (pane));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (hg_board_page_get_model (f->page)), 0);
  g_assert_true (gtk_widget_get_visible (pane));
  g_assert_true (hg_incident_pane_get_incident (HG_INCIDENT_PANE (pane)) == item (f, 0));
  hg_test_app_wait_for (shows_created, pane, 5000);
  hg_test_app_screenshot (GTK_WIDGET (f->page), "board");
}

typedef struct {
  HgIncident       *incident;
  HgIncidentStatus  status;
} StatusWait;

static gboolean
has_status (gpointer data)
{
  StatusWait *wait = data;

  return hg_incident_get_status (wait->incident) == wait->status;
}

/* An acknowledgement made elsewhere shows within a second. */
static void
test_live_update (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) answer = NULL;
  HgIncident *critical;
  StatusWait wait;
  guint status = 0;

  show_board (f, "N01", FALSE);
  wait_for_n_items (f, N_ALERTS);
  critical = item (f, 0);
  g_assert_cmpint (hg_incident_get_status (critical), ==, HG_INCIDENT_STATUS_ASSIGNED);

  token = hg_test_login (f->ts, f->assignees[0]);
  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/acknowledge", f->ids[0]);
  answer = hg_test_request (f->ts, "POST", path, token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  wait = (StatusWait) { critical, HG_INCIDENT_STATUS_ACKNOWLEDGED };
  hg_test_app_wait_for (has_status, &wait, 1000);
  g_assert_true (item (f, 0) == critical);
  assert_sorted (f);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  show_board (f, "N01", FALSE);
  wait_for_n_items (f, N_ALERTS);

  hg_board_page_set_search (f->page, "herrera");          /* P003's name */
  g_assert_cmpuint (g_list_model_get_n_items (board_model (f)), ==, 1);
  g_assert_cmpint (hg_incident_get_id (item (f, 0)), ==, f->ids[2]);
  hg_board_page_set_search (f->page, "P004");              /* a patient id */
  g_assert_cmpuint (g_list_model_get_n_items (board_model (f)), ==, 1);
  g_assert_cmpint (hg_incident_get_id (item (f, 0)), ==, f->ids[1]);
  hg_board_page_set_search (f->page, "204");               /* a room */
  g_assert_cmpuint (g_list_model_get_n_items (board_model (f)), ==, 2);
  hg_board_page_set_search (f->page, "no such thing");
  g_assert_cmpuint (g_list_model_get_n_items (board_model (f)), ==, 0);
  hg_test_app_screenshot (GTK_WIDGET (f->page), "board-no-match");
  hg_board_page_set_search (f->page, "");
  g_assert_cmpuint (g_list_model_get_n_items (board_model (f)), ==, N_ALERTS);
  assert_sorted (f);
}

/* "My Incidents" shows only the signed-in person's. */
static void
test_mine (Fixture       *f,
           gconstpointer  data)
{
  const char *me = f->assignees[1];   /* whoever took the call button */
  guint expected = 0;

  for (gsize i = 0; i < N_ALERTS; i++)
    expected += g_str_equal (f->assignees[i], me);
  show_board (f, me, TRUE);
  wait_for_n_items (f, expected);
  for (guint i = 0; i < expected; i++)
    g_assert_cmpstr (hg_staff_get_id (hg_incident_get_assignee (item (f, i))), ==, me);
}

typedef struct {
  HgIncident *incident;
  gint64      version;
} VersionWait;

static gboolean
version_above (gpointer data)
{
  VersionWait *wait = data;

  return hg_incident_get_version (wait->incident) > wait->version;
}

/* The assignee acknowledges in the pane: the status changes at once, and
 * the server's answer (a new version) follows. */
static void
test_acknowledge (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *pane;
  HgIncident *critical;
  VersionWait wait;

  show_board (f, f->assignees[0], TRUE);
  wait_for_n_items (f, 1 + g_str_equal (f->assignees[4], f->assignees[0]));
  critical = item (f, 0);
  g_assert_cmpint (hg_incident_get_id (critical), ==, f->ids[0]);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (hg_board_page_get_model (f->page)), 0);
  pane = find_type (GTK_WIDGET (f->page), HG_TYPE_INCIDENT_PANE);

  wait = (VersionWait) { critical, hg_incident_get_version (critical) };
  g_assert_true (gtk_widget_activate_action (pane, "incident.acknowledge", NULL));
  g_assert_cmpint (hg_incident_get_status (critical), ==, HG_INCIDENT_STATUS_ACKNOWLEDGED);
  hg_test_app_wait_for (version_above, &wait, 5000);
  g_assert_cmpint (hg_incident_get_status (critical), ==, HG_INCIDENT_STATUS_ACKNOWLEDGED);
}

/* A refusal puts the incident back as it was. The stream is stopped so
 * that the list does not learn of the change made behind its back. */
static void
test_rollback (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) answer = NULL;
  GtkWidget *pane;
  HgIncident *critical;
  StatusWait wait;
  guint status = 0;

  show_board (f, f->assignees[0], TRUE);
  wait_for_n_items (f, 1 + g_str_equal (f->assignees[4], f->assignees[0]));
  critical = item (f, 0);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (hg_board_page_get_model (f->page)), 0);
  pane = find_type (GTK_WIDGET (f->page), HG_TYPE_INCIDENT_PANE);
  hg_client_stop (f->client);

  token = hg_test_login (f->ts, f->assignees[0]);
  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/acknowledge", f->ids[0]);
  answer = hg_test_request (f->ts, "POST", path, token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  g_test_expect_message ("HealthGuard-App", G_LOG_LEVEL_MESSAGE, "Not done: *");
  g_assert_true (gtk_widget_activate_action (pane, "incident.acknowledge", NULL));
  g_assert_cmpint (hg_incident_get_status (critical), ==, HG_INCIDENT_STATUS_ACKNOWLEDGED);
  wait = (StatusWait) { critical, HG_INCIDENT_STATUS_ASSIGNED };
  hg_test_app_wait_for (has_status, &wait, 5000);
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  hg_test_app_init (&argc, &argv);

  g_test_add ("/app/board/sorted", Fixture, NULL, fixture_setup, test_sorted, fixture_teardown);
  g_test_add ("/app/board/live-update", Fixture, NULL, fixture_setup, test_live_update, fixture_teardown);
  g_test_add ("/app/board/search", Fixture, NULL, fixture_setup, test_search, fixture_teardown);
  g_test_add ("/app/board/mine", Fixture, NULL, fixture_setup, test_mine, fixture_teardown);
  g_test_add ("/app/board/acknowledge", Fixture, NULL, fixture_setup, test_acknowledge, fixture_teardown);
  g_test_add ("/app/board/rollback", Fixture, NULL, fixture_setup, test_rollback, fixture_teardown);
  return g_test_run ();
}
