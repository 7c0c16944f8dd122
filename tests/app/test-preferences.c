/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences window: each control writes its setting (the memory
 * backend, GSETTINGS_BACKEND=memory), and station mode narrows the real
 * window's board to the station's ward and names it in the title. */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include "hg-application.h"
#include "hg-board-page.h"
#include "hg-preferences-window.h"
#include "hg-test-app.h"
#include "hg-window.h"

static HgApplication *app;

typedef struct {
  GSettings *settings;
  GtkWidget *preferences;
} Fixture;

static gpointer
child_of (gpointer    widget,
          GType       type,
          const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static gpointer
preferences_child (Fixture    *f,
                   const char *name)
{
  return child_of (f->preferences, HG_TYPE_PREFERENCES_WINDOW, name);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->settings = g_settings_new (HG_APPLICATION_ID);
  /* Each test starts from the schema's defaults. */
  g_settings_reset (f->settings, "mode");
  g_settings_reset (f->settings, "station-ward");
  g_settings_reset (f->settings, "desktop-notifications");
  g_settings_reset (f->settings, "alarm-volume");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer ((GtkWindow **) &f->preferences, gtk_window_destroy);
  g_clear_object (&f->settings);
}

static void
open_preferences (Fixture   *f,
                  GtkWindow *parent)
{
  f->preferences = hg_preferences_window_new (parent, f->settings);
  gtk_window_present (GTK_WINDOW (f->preferences));
}

static void
test_controls (Fixture       *f,
               gconstpointer  data)
{
  AdwComboRow *mode = NULL;
  AdwEntryRow *ward = NULL;
  g_autofree char *text = NULL;

  open_preferences (f, NULL);
  mode = preferences_child (f, "mode_row");
  ward = preferences_child (f, "ward_row");

  /* The settings show… */
  g_assert_cmpuint (adw_combo_row_get_selected (mode), ==, 1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (ward)));
  g_assert_true (gtk_switch_get_active (preferences_child (f, "notifications_switch")));
  g_assert_cmpfloat (gtk_range_get_value (preferences_child (f, "volume_scale")), ==, 1.0);

  /* …and the controls write them. */
  adw_combo_row_set_selected (mode, 0);
  text = g_settings_get_string (f->settings, "mode");
  g_assert_cmpstr (text, ==, "station");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (ward)));

  gtk_editable_set_text (GTK_EDITABLE (ward), " Cardiology ");
  g_clear_pointer (&text, g_free);
  text = g_settings_get_string (f->settings, "station-ward");
  g_assert_cmpstr (text, ==, "");   /* not before it is applied */
  g_signal_emit_by_name (ward, "apply");
  g_clear_pointer (&text, g_free);
  text = g_settings_get_string (f->settings, "station-ward");
  g_assert_cmpstr (text, ==, "Cardiology");

  gtk_switch_set_active (preferences_child (f, "notifications_switch"), FALSE);
  g_assert_false (g_settings_get_boolean (f->settings, "desktop-notifications"));

  gtk_range_set_value (preferences_child (f, "volume_scale"), 0.6);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (f->settings, "alarm-volume"), 0.6, 1e-9);
  /* Down, never off: the scale stops where the schema does. */
  gtk_range_set_value (preferences_child (f, "volume_scale"), 0.0);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (f->settings, "alarm-volume"), 0.3, 1e-9);
  gtk_range_set_value (preferences_child (f, "volume_scale"), 0.8);

  /* A change made elsewhere shows here. */
  g_settings_set_string (f->settings, "mode", "personal");
  g_assert_cmpuint (adw_combo_row_get_selected (mode), ==, 1);
  g_settings_set_string (f->settings, "mode", "station");

  hg_test_app_screenshot (f->preferences, "preferences");
}

static void
test_station (Fixture       *f,
              gconstpointer  data)
{
  HgWindow *window = hg_window_new (app);
  HgBoardPage *board = child_of (window, HG_TYPE_WINDOW, "board_page");
  g_autofree char *ward = NULL;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (hg_board_page_get_ward (board));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "HealthGuard");

  /* Through the preferences, as a person would. */
  open_preferences (f, GTK_WINDOW (window));
  gtk_editable_set_text (preferences_child (f, "ward_row"), "Cardiology");
  adw_combo_row_set_selected (preferences_child (f, "mode_row"), 0);
  g_signal_emit_by_name (preferences_child (f, "ward_row"), "apply");

  ward = hg_board_page_get_ward (board);
  g_assert_cmpstr (ward, ==, "Cardiology");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Station · Cardiology");

  /* Personal: every ward again. */
  adw_combo_row_set_selected (preferences_child (f, "mode_row"), 1);
  g_clear_pointer (&ward, g_free);
  ward = hg_board_page_get_ward (board);
  g_assert_null (ward);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "HealthGuard");

  g_clear_pointer ((GtkWindow **) &f->preferences, gtk_window_destroy);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* AdwApplication loads gtk/help-overlay.ui by itself for every window. */
static void
test_shortcuts (Fixture       *f,
                gconstpointer  data)
{
  HgWindow *window = hg_window_new (app);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));

  g_assert_nonnull (overlay);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_window_set_default_size (GTK_WINDOW (overlay), 900, 560);
  hg_test_app_screenshot (GTK_WIDGET (overlay), "shortcuts");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  hg_test_app_init (&argc, &argv);

  app = hg_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add ("/app/preferences/controls", Fixture, NULL, fixture_setup, test_controls, fixture_teardown);
  g_test_add ("/app/preferences/station", Fixture, NULL, fixture_setup, test_station, fixture_teardown);
  g_test_add ("/app/preferences/shortcuts", Fixture, NULL, fixture_setup, test_shortcuts, fixture_teardown);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
