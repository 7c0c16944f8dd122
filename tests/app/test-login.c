/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real window against the real server (in-process, 127.0.0.1:0):
 * signing in by hand, a refused password, and a remembered one. */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include "hg-application.h"
#include "hg-credentials.h"
#include "hg-login-page.h"
#include "hg-test-app.h"
#include "hg-test-server.h"
#include "hg-window.h"

static HgApplication *app;

typedef struct {
  HgTestServer *ts;
  char         *url;
  HgWindow     *window;
  GtkWidget    *login_page;
} Fixture;

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
  GObject *child = gtk_widget_get_template_child (f->login_page, HG_TYPE_LOGIN_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

static void
open_window (Fixture *f)
{
  f->window = hg_window_new (app);
  gtk_window_present (GTK_WINDOW (f->window));
  f->login_page = window_child (f, "login_page");
}

static void
close_window (Fixture *f)
{
  g_clear_pointer ((GtkWindow **) &f->window, gtk_window_destroy);
  f->login_page = NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = hg_test_server_start (NULL, NULL);
  f->url = hg_test_server_url (f->ts, "");
  open_window (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  close_window (f);
  hg_test_server_stop (f->ts);
  g_free (f->url);
}

static void
fill (Fixture    *f,
      const char *staff_id,
      const char *password)
{
  gtk_editable_set_text (login_child (f, "server_row"), f->url);
  gtk_editable_set_text (login_child (f, "staff_row"), staff_id);
  gtk_editable_set_text (login_child (f, "password_row"), password);
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

  return g_strcmp0 (gtk_label_get_label (window_child (f, "connection_label")), "Live") == 0;
}

static gboolean
shows_error (gpointer data)
{
  Fixture *f = data;
  GtkWidget *label = login_child (f, "error_label");

  return gtk_widget_get_visible (label) && *gtk_label_get_label (GTK_LABEL (label)) != '\0';
}

static void
wait_live (Fixture *f)
{
  hg_test_app_wait_for (on_main_page, f, 10000);
  hg_test_app_wait_for (is_live, f, 5000);
}

static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  fill (f, "N01", "password123");
  hg_test_app_screenshot (f->login_page, "login");

  gtk_widget_activate (login_child (f, "sign_in_button"));
  wait_live (f);
  g_assert_nonnull (hg_window_get_client (f->window));
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  /* What the server says, in its own words, to anyone who tries. */
  answer = hg_test_request (f->ts, "POST", "/api/v1/auth/login", NULL,
                            "{\"staff_id\":\"N02\",\"password\":\"not-it\"}", &status);
  g_assert_cmpuint (status, ==, 401);

  fill (f, "N02", "not-it");
  gtk_widget_activate (login_child (f, "sign_in_button"));
  hg_test_app_wait_for (shows_error, f, 10000);
  g_assert_cmpstr (gtk_label_get_label (login_child (f, "error_label")), ==,
                   hg_test_json_string (answer, "error.message"));
  g_assert_false (on_main_page (f));
  g_assert_true (gtk_widget_get_sensitive (login_child (f, "sign_in_button")));
}

static char *
keyring_password (Fixture    *f,
                  const char *staff_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret, *password;

  hg_credentials_lookup_async (f->url, staff_id, NULL, hg_test_app_keep_result, &result);
  hg_test_app_wait_for (hg_test_app_is_set, &result, 10000);
  secret = hg_credentials_lookup_finish (result, &error);
  g_assert_no_error (error);
  password = g_strdup (secret);
  secret_password_free (secret);
  return password;
}

static gboolean
keyring_has_n03 (gpointer data)
{
  g_autofree char *password = keyring_password (data, "N03");

  return g_strcmp0 (password, "password123") == 0;
}

static gboolean
keyring_lacks_n03 (gpointer data)
{
  g_autofree char *password = keyring_password (data, "N03");

  return password == NULL;
}

/* "Remember on this workstation": the next start signs in by itself, and
 * signing out forgets the password. */
static void
test_remembered (Fixture       *f,
                 gconstpointer  data)
{
  fill (f, "N03", "password123");
  gtk_switch_set_active (login_child (f, "remember_switch"), TRUE);
  gtk_widget_activate (login_child (f, "sign_in_button"));
  wait_live (f);
  hg_test_app_wait_for (keyring_has_n03, f, 10000);

  close_window (f);
  open_window (f);
  wait_live (f);
  g_assert_true (gtk_switch_get_active (login_child (f, "remember_switch")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sign-out", NULL));
  g_assert_false (on_main_page (f));
  hg_test_app_wait_for (keyring_lacks_n03, f, 10000);
  g_assert_false (gtk_switch_get_active (login_child (f, "remember_switch")));
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  hg_test_app_init (&argc, &argv);

  /* One application for every window, as in the program; not unique, so
   * that it never hands its windows to another instance on the bus. */
  app = hg_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add ("/app/login/sign-in", Fixture, NULL, fixture_setup, test_sign_in, fixture_teardown);
  g_test_add ("/app/login/wrong-password", Fixture, NULL, fixture_setup, test_wrong_password,
              fixture_teardown);
  g_test_add ("/app/login/remembered", Fixture, NULL, fixture_setup, test_remembered, fixture_teardown);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
