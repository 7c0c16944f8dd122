/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real window in French (po/fr.po), against the real server
 * (in-process, 127.0.0.1:0, the demo hospital): the sign-in page, then the
 * board with a dozen incidents of every severity and the pane of the first
 * one. French runs longer than English: the screenshots (login-fr.png,
 * board-fr.png) are for looking at what gets cut off.
 *
 * tests/app/meson.build runs it with LANGUAGE=fr and LC_ALL=C.UTF-8 (no
 * French locale needs to be installed: GNU gettext follows LANGUAGE in any
 * locale but plain "C") and HG_LOCALEDIR=<build>/po, where meson's
 * i18n.gettext() builds fr/LC_MESSAGES/healthguard.mo. */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "hg-application.h"
#include "hg-board-page.h"
#include "hg-client.h"
#include "hg-incident-pane.h"
#include "hg-login-page.h"
#include "hg-severity-pill.h"
#include "hg-test-app.h"
#include "hg-test-server.h"
#include "hg-window.h"

/* Three of each severity, on different patients and conditions, so that
 * none of them joins another. */
static const char *const alerts[] = {
  "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}",             /* critical */
  "{\"type\": \"ANAPHYLAXIS\", \"patient_id\": \"P002\"}",
  "{\"type\": \"STROKE_SIGNS\", \"patient_id\": \"P005\"}",
  "{\"type\": \"PATIENT_FALL\", \"patient_id\": \"P003\"}",               /* high */
  "{\"type\": \"SEPSIS_SUSPECTED\", \"patient_id\": \"P006\"}",
  "{\"type\": \"HYPOGLYCEMIA\", \"patient_id\": \"P007\"}",
  "{\"type\": \"BED_EXIT\", \"patient_id\": \"P004\"}",                   /* medium */
  "{\"type\": \"INFUSION_PUMP_OCCLUSION\", \"patient_id\": \"P008\"}",
  "{\"type\": \"PAIN_UNCONTROLLED\", \"patient_id\": \"P002\"}",
  "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P001\"}",                /* low */
  "{\"type\": \"MEDICATION_OVERDUE\", \"patient_id\": \"P003\"}",
  "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P006\"}",
};
#define N_ALERTS G_N_ELEMENTS (alerts)

static HgApplication *app;

typedef struct {
  HgTestServer *ts;
  char         *url;
  HgWindow     *window;
} Fixture;

/* --- Helpers ------------------------------------------------------------- */

static gpointer
template_child (GtkWidget  *widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (child);
  return child;
}

static gpointer
window_child (Fixture    *f,
              const char *name)
{
  return template_child (GTK_WIDGET (f->window), HG_TYPE_WINDOW, name);
}

static gpointer
login_child (Fixture    *f,
             const char *name)
{
  return template_child (window_child (f, "login_page"), HG_TYPE_LOGIN_PAGE, name);
}

static HgBoardPage *
board (Fixture *f)
{
  return window_child (f, "board_page");
}

/* The first widget of @type under @widget that @match accepts. */
static GtkWidget *
find (GtkWidget  *widget,
      GType       type,
      gboolean  (*match) (GtkWidget *widget, gconstpointer data),
      gconstpointer data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (match == NULL || match (widget, data)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, type, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A label that is drawn (mapped: on screen, in a visible page) and says
 * @data. */
static gboolean
is_shown_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return gtk_widget_get_mapped (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  return find (root, GTK_TYPE_LABEL, is_shown_label, text) != NULL;
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
  Fixture *f = data;

  return g_strcmp0 (gtk_label_get_label (window_child (f, "connection_label")), "En ligne") == 0;
}

static gboolean
has_every_incident (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (G_LIST_MODEL (hg_board_page_get_model (board (f)))) == N_ALERTS;
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

/* The pane's timeline says "Créé" once it has the incident's detail. */
static gboolean
pane_has_timeline (gpointer data)
{
  Fixture *f = data;

  return find (GTK_WIDGET (board (f)), ADW_TYPE_PREFERENCES_ROW, is_row_titled, "Créé") != NULL;
}

/* Moves incident @id along (@action: acknowledge, start, escalate) in its
 * assignee's name. */
static void
act (Fixture    *f,
     gint64      id,
     const char *assignee,
     const char *action)
{
  g_autofree char *token = hg_test_login (f->ts, assignee);
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/%s", id, action);
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = hg_test_request (f->ts, "POST", path, token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *token = NULL;

  f->ts = hg_test_server_start (NULL, NULL);
  f->url = hg_test_server_url (f->ts, "");
  token = hg_test_login (f->ts, "N01");
  for (gsize i = 0; i < N_ALERTS; i++)
    {
      g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, token, alerts[i]);
      gint64 id = hg_test_json_int (answer, "incident.id");
      const char *assignee = hg_test_json_string (answer, "incident.assignee.id");

      g_assert_cmpint (hg_test_json_int (answer, "incident.alert_count"), ==, 1);
      /* A few statuses besides "Assigné": "Pris en compte", "En cours". */
      if (assignee != NULL && (i == 2 || i == 5 || i == 7))
        act (f, id, assignee, "acknowledge");
      if (assignee != NULL && i == 5)
        act (f, id, assignee, "start");
    }

  f->window = hg_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer ((GtkWindow **) &f->window, gtk_window_destroy);
  hg_test_server_stop (f->ts);
  g_free (f->url);
}

/* --- Tests ---------------------------------------------------------------- */

static void
test_board_fr (Fixture       *f,
               gconstpointer  data)
{
  GtkColumnView *columns;
  GListModel *list;
  GtkWidget *pill;
  gboolean has_gravite = FALSE;

  /* The catalog is found and used: a string of the app, and one of its
   * plural forms. */
  g_assert_cmpstr (C_("severity", "Critical"), ==, "Critique");
  g_assert_cmpstr (ngettext ("%u incident", "%u incidents", 2), ==, "%u incidents");

  /* The sign-in page, in French. */
  gtk_editable_set_text (login_child (f, "server_row"), f->url);
  gtk_editable_set_text (login_child (f, "staff_row"), "N01");
  gtk_editable_set_text (login_child (f, "password_row"), "password123");
  gtk_switch_set_active (login_child (f, "remember_switch"), FALSE);
  g_assert_true (shows_label (GTK_WIDGET (f->window), "Connexion à HealthGuard"));
  hg_test_app_screenshot (GTK_WIDGET (f->window), "login-fr");

  gtk_widget_activate (login_child (f, "sign_in_button"));
  hg_test_app_wait_for (on_main_page, f, 10000);
  hg_test_app_wait_for (is_live, f, 5000);
  hg_test_app_wait_for (has_every_incident, f, 5000);

  /* The column headers and the severity pills. */
  columns = template_child (GTK_WIDGET (board (f)), HG_TYPE_BOARD_PAGE, "column_view");
  list = gtk_column_view_get_columns (columns);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (list, i);

      has_gravite |= g_strcmp0 (gtk_column_view_column_get_title (column), "Gravité") == 0;
    }
  g_assert_true (has_gravite);
  g_assert_true (shows_label (GTK_WIDGET (columns), "Gravité"));
  pill = find (GTK_WIDGET (columns), HG_TYPE_SEVERITY_PILL, NULL, NULL);
  g_assert_nonnull (pill);
  g_assert_true (shows_label (pill, "Critique"));
  g_assert_true (shows_label (GTK_WIDGET (columns), "Faible"));
  g_assert_true (shows_label (GTK_WIDGET (columns), "Pris en compte"));
  g_assert_true (shows_label (GTK_WIDGET (f->window), "12 incidents"));

  /* The pane of the first (critical) incident, with its buttons. */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (hg_board_page_get_model (board (f))), 0);
  hg_test_app_wait_for (pane_has_timeline, f, 5000);
  g_assert_true (shows_label (GTK_WIDGET (board (f)), "Lieu"));
  hg_test_app_screenshot (GTK_WIDGET (f->window), "board-fr");
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("HG_LOCALEDIR");
  int rc;

  hg_test_app_init (&argc, &argv);
  /* gtk_test_init() sets its own locale; the environment's (LC_ALL=C.UTF-8,
   * LANGUAGE=fr) is the one to test. */
  setlocale (LC_ALL, "");
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = hg_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add ("/app/board-fr/board", Fixture, NULL, fixture_setup, test_board_fr, fixture_teardown);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
