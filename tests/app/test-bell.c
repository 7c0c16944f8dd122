/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The notification bell in the real window against the real server
 * (in-process, 127.0.0.1:0, the demo hospital): the assignee of a new
 * incident signs in and sees it, the next one arrives through the stream,
 * and "Mark All as Read" reaches the server. */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include "hg-application.h"
#include "hg-bell-button.h"
#include "hg-board-page.h"
#include "hg-client.h"
#include "hg-login-page.h"
#include "hg-notifier.h"
#include "hg-test-app.h"
#include "hg-test-server.h"
#include "hg-window.h"

static HgApplication *app;

typedef struct {
  HgTestServer *ts;
  char         *url;
  char         *token;      /* N01's (a charge nurse), to post and reassign */
  char         *assignee;   /* who has the first incident */
  char         *assignee_token;
  gint64        first_id;
  HgWindow     *window;
  HgBellButton *bell;
} Fixture;

/* --- Helpers ------------------------------------------------------------- */

static gpointer
child_of (gpointer    widget,
          GType       type,
          const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static gboolean
is_live (gpointer data)
{
  Fixture *f = data;
  HgClient *client = hg_window_get_client (f->window);

  return client != NULL && hg_client_get_state (client) == HG_CLIENT_STATE_LIVE;
}

typedef struct {
  Fixture *f;
  guint    n;
} Count;

static gboolean
has_unread (gpointer data)
{
  Count *count = data;

  return hg_bell_button_get_unread_count (count->f->bell) == count->n;
}

static void
wait_for_unread (Fixture *f,
                 guint    n,
                 guint    timeout_ms)
{
  Count count = { f, n };

  hg_test_app_wait_for (has_unread, &count, timeout_ms);
}

/* What the server says: how many unread notifications the assignee has. */
static guint
server_unread (Fixture *f)
{
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = hg_test_request (f->ts, "GET", "/api/v1/notifications?unread=true", f->assignee_token,
                            NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_array_get_length (json_node_get_array (hg_test_json_get (answer, "notifications")));
}

static gboolean
server_has_unread (gpointer data)
{
  Count *count = data;

  return server_unread (count->f) == count->n;
}

/* A new incident given to the assignee: by the assigner, or by N01. */
static gint64
give_new_incident (Fixture    *f,
                   const char *alert)
{
  g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, f->token, alert);
  gint64 id = hg_test_json_int (answer, "incident.id");

  if (g_strcmp0 (hg_test_json_string (answer, "incident.assignee.id"), f->assignee) != 0)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/reassign", id);
      g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"%s\"}", f->assignee);
      g_autoptr(JsonNode) reassigned = NULL;
      guint status = 0;

      reassigned = hg_test_request (f->ts, "POST", path, f->token, body, &status);
      g_assert_cmpuint (status, ==, 200);
    }
  return id;
}

static void
sign_in (Fixture *f)
{
  GtkWidget *login_page = child_of (f->window, HG_TYPE_WINDOW, "login_page");

  gtk_editable_set_text (child_of (login_page, HG_TYPE_LOGIN_PAGE, "server_row"), f->url);
  gtk_editable_set_text (child_of (login_page, HG_TYPE_LOGIN_PAGE, "staff_row"), f->assignee);
  gtk_editable_set_text (child_of (login_page, HG_TYPE_LOGIN_PAGE, "password_row"), "password123");
  gtk_widget_activate (child_of (login_page, HG_TYPE_LOGIN_PAGE, "sign_in_button"));
  hg_test_app_wait_for (is_live, f, 10000);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *sql = NULL;

  f->ts = hg_test_server_start (NULL, NULL);
  f->url = hg_test_server_url (f->ts, "");
  f->token = hg_test_login (f->ts, "N01");
  answer = hg_test_post_alert (f->ts, f->token, "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}");
  f->first_id = hg_test_json_int (answer, "incident.id");
  sql = g_strdup_printf ("SELECT assignee_id FROM incidents WHERE id = %" G_GINT64_FORMAT, f->first_id);
  f->assignee = hg_test_sql_text (hg_test_server_db_path (f->ts), sql);
  g_assert_nonnull (f->assignee);
  g_assert_cmpstr (f->assignee, ==, hg_test_json_string (answer, "incident.assignee.id"));
  f->assignee_token = hg_test_login (f->ts, f->assignee);

  f->window = hg_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1180, 720);
  gtk_window_present (GTK_WINDOW (f->window));
  f->bell = child_of (f->window, HG_TYPE_WINDOW, "bell_button");
  sign_in (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* What GTK queued for the window runs while the window is there. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer ((GtkWindow **) &f->window, gtk_window_destroy);
  hg_test_server_stop (f->ts);
  g_free (f->url);
  g_free (f->token);
  g_free (f->assignee);
  g_free (f->assignee_token);
}

/* The popover is a surface of its own: the window's picture does not
 * have it. Draw it on top, where the display puts it. */
static gboolean
popover_drawn (gpointer data)
{
  GtkWidget *popover = data;

  return gtk_widget_get_mapped (popover) && gtk_widget_get_height (popover) > 0
         && g_object_get_data (data, "painted") != NULL;
}

static void
after_paint (GdkFrameClock *clock,
             gpointer       popover)
{
  g_object_set_data (popover, "painted", GINT_TO_POINTER (TRUE));
}

static void
screenshot_with_popover (GtkWidget  *window,
                         GtkPopover *popover,
                         const char *name)
{
  const char *dir = g_getenv ("HG_SCREENSHOT_DIR");
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GdkPaintable) under = NULL;
  g_autoptr(GdkPaintable) over = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = NULL;
  double window_x, window_y, popover_x, popover_y;
  int x, y, width, height;
  graphene_rect_t bounds;

  hg_test_app_screenshot (window, name);   /* waits for the window's frame */
  if (dir == NULL || *dir == '\0')
    return;
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (popover)), "after-paint",
                    G_CALLBACK (after_paint), popover);
  gtk_widget_queue_draw (GTK_WIDGET (popover));
  hg_test_app_wait_for (popover_drawn, popover, 5000);
  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (popover)),
                                        after_paint, popover);

  gtk_native_get_surface_transform (GTK_NATIVE (window), &window_x, &window_y);
  gtk_native_get_surface_transform (GTK_NATIVE (popover), &popover_x, &popover_y);
  x = gdk_popup_get_position_x (GDK_POPUP (gtk_native_get_surface (GTK_NATIVE (popover))));
  y = gdk_popup_get_position_y (GDK_POPUP (gtk_native_get_surface (GTK_NATIVE (popover))));

  x += popover_x - window_x;
  y += popover_y - window_y;
  width = gtk_widget_get_width (GTK_WIDGET (popover));
  height = gtk_widget_get_height (GTK_WIDGET (popover));
  /* The popover may reach past the window, as it does on the screen. */
  graphene_rect_union (&GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (window), gtk_widget_get_height (window)),
                       &GRAPHENE_RECT_INIT (x, y, width, height), &bounds);

  under = gtk_widget_paintable_new (window);
  over = gtk_widget_paintable_new (GTK_WIDGET (popover));
  gdk_paintable_snapshot (under, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (window),
                          gtk_widget_get_height (window));
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gdk_paintable_snapshot (over, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, &bounds);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* --- Tests ---------------------------------------------------------------- */

static const char *
accessible_label (GtkWidget *widget)
{
  return gtk_widget_get_tooltip_text (widget);   /* the same words as its accessible name */
}

static gboolean
popover_hidden (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *button = child_of (f->bell, HG_TYPE_BELL_BUTTON, "button");
  GtkWidget *badge = child_of (f->bell, HG_TYPE_BELL_BUTTON, "badge");
  GtkPopover *popover = child_of (f->bell, HG_TYPE_BELL_BUTTON, "popover");
  gint64 started;

  /* The assignment of the first incident, from the list at sign-in. */
  wait_for_unread (f, 1, 5000);
  g_assert_true (gtk_widget_get_visible (badge));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (badge)), ==, "1");
  g_assert_cmpstr (accessible_label (button), ==, "Notifications, 1 unread");

  /* The next one comes through the stream, within a second. */
  started = g_get_monotonic_time ();
  give_new_incident (f, "{\"type\": \"PATIENT_FALL\", \"patient_id\": \"P002\"}");
  wait_for_unread (f, 2, 1000);
  g_test_message ("the second notification took %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (badge)), ==, "2");
  g_assert_cmpstr (accessible_label (button), ==, "Notifications, 2 unread");
  g_assert_cmpuint (g_list_model_get_n_items (hg_bell_button_get_model (f->bell)), ==, 2);

  hg_bell_button_popup (f->bell);
  screenshot_with_popover (GTK_WIDGET (f->window), popover, "bell");

  gtk_widget_activate (child_of (f->bell, HG_TYPE_BELL_BUTTON, "mark_all_button"));
  wait_for_unread (f, 0, 1000);
  g_assert_false (gtk_widget_get_visible (badge));
  g_assert_cmpstr (accessible_label (button), ==, "Notifications, none unread");
  hg_test_app_wait_for (server_has_unread, &(Count) { f, 0 }, 5000);
  g_assert_cmpuint (g_list_model_get_n_items (hg_bell_button_get_model (f->bell)), ==, 2);

  /* Closed, as a person would, before the window goes. Destroyed open,
   * the popover left GTK 4.8 a source that later asked for the pointer on
   * its freed surface (gdk_surface_get_device_position: a critical, fatal
   * here), in the next test, whenever the machine was busy. */
  gtk_popover_popdown (popover);
  hg_test_app_wait_for (popover_hidden, popover, 2000);
}

static gboolean
board_shows (gpointer data)
{
  Fixture *f = data;
  HgBoardPage *board = child_of (f->window, HG_TYPE_WINDOW, "board_page");
  HgIncident *selected = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (hg_board_page_get_model (board)));

  return selected != NULL && hg_incident_get_id (selected) == f->first_id;
}

static void
test_activate (Fixture       *f,
               gconstpointer  data)
{
  GtkListBox *list = child_of (f->bell, HG_TYPE_BELL_BUTTON, "list_box");
  AdwViewStack *stack = child_of (f->window, HG_TYPE_WINDOW, "view_stack");

  wait_for_unread (f, 1, 5000);
  /* Alt+3 */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "staff");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "staff");
  hg_bell_button_popup (f->bell);

  /* A click on the notification: read here and on the server, and its
   * incident open on the board. */
  g_signal_emit_by_name (gtk_list_box_get_row_at_index (list, 0), "activate");
  wait_for_unread (f, 0, 1000);
  hg_test_app_wait_for (server_has_unread, &(Count) { f, 0 }, 5000);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "board");
  g_assert_true (board_shows (f));
}

/* What calls for a desktop notification, and what a click on it runs. */
static void
test_desktop_notification (void)
{
  static const char *const calls[] = {
    "{\"id\": 1, \"incident_id\": 7, \"kind\": \"assigned\", \"message\": \"Fall: assigned to you\"}",
    "{\"id\": 2, \"incident_id\": 7, \"kind\": \"escalated\", \"message\": \"Fall: escalated to you\"}",
    "{\"id\": 3, \"incident_id\": 7, \"kind\": \"reassigned\", \"message\": \"Fall: moved to N03\"}",
  };
  static const char *const quiet[] = {
    "{\"id\": 4, \"incident_id\": 7, \"kind\": \"resolved\", \"message\": \"Fall: resolved\"}",
    "{\"id\": 5, \"incident_id\": 7, \"kind\": \"reminder\", \"message\": \"Fall: waiting\"}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (calls) + G_N_ELEMENTS (quiet); i++)
    {
      const char *text = i < G_N_ELEMENTS (calls) ? calls[i] : quiet[i - G_N_ELEMENTS (calls)];
      g_autoptr(JsonNode) node = json_from_string (text, NULL);
      g_autoptr(GNotification) notification = NULL;
      g_autofree char *id = NULL;

      notification = hg_notifier_build (NULL, "notification", json_node_get_object (node), &id);
      if (i < G_N_ELEMENTS (calls))
        {
          g_assert_nonnull (notification);
          g_assert_cmpstr (id, ==, "incident-7");
        }
      else
        g_assert_null (notification);
    }
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  hg_test_app_init (&argc, &argv);
  /* The app's own icons (the bell), as GtkApplication adds them. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/org/healthguard/Ops/icons");

  app = hg_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/app/bell/desktop-notification", test_desktop_notification);
  g_test_add ("/app/bell/live", Fixture, NULL, fixture_setup, test_live, fixture_teardown);
  g_test_add ("/app/bell/activate", Fixture, NULL, fixture_setup, test_activate, fixture_teardown);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
