/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include "hg-test-app.h"

void
hg_test_app_init (int    *argc,
                  char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* Screenshots show where things end up, not a frame of a transition
   * (libadwaita follows this setting too). */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* The app's icons from the source tree, as an installed app has them. */
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                  HG_TEST_ICON_DIR);
  /* The test session has no notification daemon: GLib's freedesktop
   * backend would warn (fatal in a test) whenever the answer to a desktop
   * notification came back before the test ended, so the result depended
   * on the machine's load. The notifications' content is tested with
   * hg_notifier_build(); GSETTINGS_BACKEND=memory keeps this to the test,
   * and test-preferences resets the key for its own checks. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("org.healthguard.Ops");

    g_settings_set_boolean (settings, "desktop-notifications", FALSE);
  }
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
hg_test_app_wait_for (gboolean (*cond) (gpointer data),
                      gpointer  data,
                      guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  /* The condition may change without a source of ours firing (a reply
   * handled on another thread, a frame): look again every 10 ms. */
  guint ticker = g_timeout_add (10, wake_up, NULL);
  gboolean met;

  while (!(met = cond (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  if (!met)
    {
      g_autofree char *message = g_strdup_printf ("the condition was not met within %u ms", timeout_ms);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
    }
}

typedef struct {
  GtkWidget *root;
  gboolean   painted;
} Frame;

static gboolean
is_mapped (gpointer data)
{
  Frame *frame = data;

  return gtk_widget_get_mapped (frame->root) && gtk_widget_get_width (frame->root) > 0;
}

static void
after_paint (GdkFrameClock *clock,
             gpointer       data)
{
  Frame *frame = data;

  frame->painted = TRUE;
}

static gboolean
is_painted (gpointer data)
{
  Frame *frame = data;

  return frame->painted;
}

/* Mapped, laid out and drawn once, so that what is saved is what shows. */
static void
wait_for_frame (GtkWidget *root)
{
  Frame frame = { root, FALSE };
  GdkFrameClock *clock;
  gulong handler;

  hg_test_app_wait_for (is_mapped, &frame, 5000);
  clock = gtk_widget_get_frame_clock (root);
  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), &frame);
  gtk_widget_queue_draw (root);
  hg_test_app_wait_for (is_painted, &frame, 5000);
  g_signal_handler_disconnect (clock, handler);
}

void
hg_test_app_screenshot (GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("HG_SCREENSHOT_DIR");
  GtkWidget *root;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  int width, height;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (name != NULL);

  if (dir == NULL || *dir == '\0')
    {
      g_test_message ("HG_SCREENSHOT_DIR is not set: no %s.png", name);
      return;
    }
  root = GTK_WIDGET (gtk_widget_get_root (widget));
  g_assert_nonnull (root);
  wait_for_frame (root);

  /* A GtkWidgetPaintable draws the window as it is now, its whole tree,
   * into a render node that the window's own renderer (GSK_RENDERER=cairo
   * under Xvfb) turns into pixels. */
  width = gtk_widget_get_width (root);
  height = gtk_widget_get_height (root);
  paintable = gtk_widget_paintable_new (root);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (root)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

void
hg_test_app_keep_result (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
hg_test_app_is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

void
hg_test_app_sign_in (HgClient   *client,
                     const char *staff_id,
                     const char *station)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hg_client_login_async (client, staff_id, "password123", station, NULL, hg_test_app_keep_result, &result);
  hg_test_app_wait_for (hg_test_app_is_set, &result, 10000);
  g_assert_true (hg_client_login_finish (client, result, &error));
  g_assert_no_error (error);
}

gboolean
hg_test_app_only_ours (gpointer data)
{
  return G_OBJECT (data)->ref_count == 1;
}
