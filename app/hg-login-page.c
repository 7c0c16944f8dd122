/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hg-a11y.h"
#include "hg-application.h"
#include "hg-credentials.h"
#include "hg-error.h"
#include "hg-login-page.h"
#include "hg-window.h"

struct _HgLoginPage {
  AdwBin        parent_instance;

  /* The sign-in under way (a keyring lookup, then the login). */
  GCancellable *cancellable;
  /* Keyring writes; cancelled only when the page goes. */
  GCancellable *keyring_cancellable;
  gboolean      tried_remembered;
  gboolean      signed_in;
  /* Who signed in last, and whether the keyring holds their password. */
  char         *server;
  char         *staff_id;
  gboolean      remembered;

  AdwEntryRow  *server_row;
  AdwEntryRow  *staff_row;
  AdwEntryRow  *password_row;
  GtkSwitch    *remember_switch;
  GtkLabel     *error_label;
  GtkButton    *sign_in_button;
};

G_DEFINE_FINAL_TYPE (HgLoginPage, hg_login_page, ADW_TYPE_BIN)

enum {
  SIGNAL_SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One sign-in: what it needs once the server has answered. */
typedef struct {
  HgLoginPage *self;
  char        *server;
  char        *staff_id;
  char        *password;
  gboolean     from_keyring;
} Login;

static void
login_free (Login *login)
{
  g_object_unref (login->self);
  g_free (login->server);
  g_free (login->staff_id);
  if (login->password != NULL)
    memset (login->password, 0, strlen (login->password));
  g_free (login->password);
  g_free (login);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Login, login_free)

static GSettings *
get_settings (void)
{
  GApplication *app = g_application_get_default ();

  return HG_IS_APPLICATION (app) ? hg_application_get_settings (HG_APPLICATION (app)) : NULL;
}

static void
show_error (HgLoginPage *self,
            const char  *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* After sign-in the page is out of sight: keyring trouble goes to a toast. */
static void
show_keyring_error (HgLoginPage *self,
                    const char  *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!self->signed_in || !HG_IS_WINDOW (root))
    show_error (self, message);
  else
    hg_window_toast (HG_WINDOW (root), message);
}

static void
set_busy (HgLoginPage *self,
          gboolean     busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
  hg_a11y_set_button_label (self->sign_in_button, busy ? _("Signing In…") : _("_Sign In"));
  /* GTK 4.8 names a button by its label property, underline and all, and
   * then by its label child again ("_Sign In Sign In"): the child's text
   * alone is the name a screen reader should say. */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->sign_in_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* Words for a person at a ward desk, not a status code. */
static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR)
    return g_strdup_printf (_("The server cannot be reached: %s"), error->message);
  return g_strdup (error->message);
}

/* --- the keyring ------------------------------------------------------- */

static void
stored (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(HgLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (hg_credentials_store_finish (result, &error))
    {
      self->remembered = TRUE;
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why, in the keyring's words */
      message = g_strdup_printf (_("Signed in, but the password could not be remembered: %s"),
                                 error->message);
      show_keyring_error (self, message);
    }
}

static void
cleared (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HgLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (hg_credentials_clear_finish (result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  {
    /* Translators: %s says why, in the keyring's words */
    g_autofree char *message = g_strdup_printf (_("The remembered password could not be forgotten: %s"),
                                                error->message);
    show_keyring_error (self, message);
  }
}

static void
forget (HgLoginPage *self)
{
  if (!self->remembered || self->server == NULL || self->staff_id == NULL)
    return;
  self->remembered = FALSE;
  hg_credentials_clear_async (self->server, self->staff_id, self->keyring_cancellable,
                              cleared, g_object_ref (self));
}

/* Keeps the password that just worked, or forgets an older one when the
 * switch is now off. */
static void
remember (HgLoginPage *self,
          Login       *login)
{
  if (!gtk_switch_get_active (self->remember_switch))
    forget (self);
  else if (!login->from_keyring)
    hg_credentials_store_async (login->server, login->staff_id, login->password,
                                self->keyring_cancellable, stored, g_object_ref (self));
}

/* --- signing in ---------------------------------------------------------- */

/* One remembered member of staff per workstation, the one the settings
 * name: someone else signing in forgets the previous one's password. */
static void
set_signed_in (HgLoginPage *self,
               Login       *login)
{
  GSettings *settings = get_settings ();

  self->signed_in = TRUE;
  if (g_strcmp0 (self->server, login->server) != 0 || g_strcmp0 (self->staff_id, login->staff_id) != 0)
    {
      forget (self);
      self->remembered = login->from_keyring;
    }
  g_free (self->server);
  self->server = g_strdup (login->server);
  g_free (self->staff_id);
  self->staff_id = g_strdup (login->staff_id);
  if (settings != NULL)
    {
      g_settings_set_string (settings, "server-url", login->server);
      g_settings_set_string (settings, "staff-id", login->staff_id);
    }
}

static void
login_failed (HgLoginPage  *self,
              Login        *login,
              const GError *error)
{
  g_autofree char *message = describe_error (error);

  if (message == NULL)
    return;
  /* A remembered password the server refuses is stale: forget it rather
   * than try it again at every start. */
  if (login->from_keyring && g_error_matches (error, HG_ERROR, HG_ERROR_UNAUTHENTICATED))
    {
      g_autofree char *words = g_strdup_printf (_("Your remembered password no longer works: %s"), message);

      g_free (self->server);
      self->server = g_strdup (login->server);
      g_free (self->staff_id);
      self->staff_id = g_strdup (login->staff_id);
      self->remembered = TRUE;
      forget (self);
      gtk_switch_set_active (self->remember_switch, FALSE);
      g_free (message);
      message = g_steal_pointer (&words);
    }
  set_busy (self, FALSE);
  show_error (self, message);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
login_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Login) login = user_data;
  HgLoginPage *self = login->self;
  HgClient *client = HG_CLIENT (source);
  g_autoptr(GError) error = NULL;

  if (!hg_client_login_finish (client, result, &error))
    {
      login_failed (self, login, error);
      return;
    }

  set_busy (self, FALSE);
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  set_signed_in (self, login);
  remember (self, login);
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, client);
}

/* Cancels whatever sign-in is under way and starts a new one. */
static GCancellable *
restart (HgLoginPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

static void
sign_in (HgLoginPage *self,
         Login       *login)
{
  g_autoptr(HgClient) client = hg_client_new (login->server);

  set_busy (self, TRUE);
  show_error (self, NULL);
  hg_client_login_async (client, login->staff_id, login->password, g_get_host_name (), self->cancellable,
                         login_done, login);
}

static Login *
login_new (HgLoginPage *self,
           const char  *server,
           const char  *staff_id)
{
  Login *login = g_new0 (Login, 1);

  login->self = g_object_ref (self);
  login->server = g_strstrip (g_strdup (server));
  while (g_str_has_suffix (login->server, "/"))
    login->server[strlen (login->server) - 1] = '\0';
  login->staff_id = g_strstrip (g_strdup (staff_id));
  return login;
}

static void
on_activate (HgLoginPage *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *staff = gtk_editable_get_text (GTK_EDITABLE (self->staff_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  Login *login;

  if (*server == '\0' || *staff == '\0' || *password == '\0')
    {
      show_error (self, _("Fill in the server, your staff ID and your password."));
      return;
    }
  restart (self);
  login = login_new (self, server, staff);
  login->password = g_strdup (password);
  sign_in (self, login);
}

static void
remembered_found (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Login) login = user_data;
  HgLoginPage *self = login->self;
  g_autoptr(GError) error = NULL;
  char *password = hg_credentials_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (password == NULL)
    {
      set_busy (self, FALSE);
      if (error != NULL)
        {
          /* Translators: %s says why, in the keyring's words */
          g_autofree char *message = g_strdup_printf (_("Your remembered password could not be read: %s. "
                                                        "Sign in with your password."),
                                                      error->message);
          show_error (self, message);
        }
      return;
    }

  login->password = g_strdup (password);
  secret_password_free (password);
  login->from_keyring = TRUE;
  gtk_switch_set_active (self->remember_switch, TRUE);
  sign_in (self, g_steal_pointer (&login));
}

/* Signs in without a word when this workstation remembers the password of
 * the last member of staff: a station must come back by itself. */
static void
sign_in_remembered (HgLoginPage *self)
{
  GSettings *settings = get_settings ();
  g_autofree char *server = NULL;
  g_autofree char *staff = NULL;
  Login *login;

  if (settings == NULL)
    return;
  server = g_settings_get_string (settings, "server-url");
  staff = g_settings_get_string (settings, "staff-id");
  if (*server == '\0' || *staff == '\0')
    return;

  restart (self);
  set_busy (self, TRUE);
  login = login_new (self, server, staff);
  hg_credentials_lookup_async (login->server, login->staff_id, self->cancellable, remembered_found, login);
}

void
hg_login_page_sign_in (HgLoginPage *self,
                       const char  *server,
                       const char  *staff_id,
                       const char  *password)
{
  g_return_if_fail (HG_IS_LOGIN_PAGE (self));
  g_return_if_fail (server != NULL && staff_id != NULL && password != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->staff_row), staff_id);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  gtk_switch_set_active (self->remember_switch, FALSE);
  on_activate (self);
}

void
hg_login_page_retry_remembered (HgLoginPage *self)
{
  g_return_if_fail (HG_IS_LOGIN_PAGE (self));

  if (!self->signed_in)
    sign_in_remembered (self);
}

void
hg_login_page_reset (HgLoginPage *self,
                     gboolean     forget_password)
{
  g_return_if_fail (HG_IS_LOGIN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  self->signed_in = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_error (self, NULL);
  set_busy (self, FALSE);
  if (forget_password)
    {
      gtk_switch_set_active (self->remember_switch, FALSE);
      forget (self);
    }
}

static void
hg_login_page_root (GtkWidget *widget)
{
  HgLoginPage *self = HG_LOGIN_PAGE (widget);
  GSettings *settings = get_settings ();

  GTK_WIDGET_CLASS (hg_login_page_parent_class)->root (widget);
  if (settings == NULL)
    return;
  if (*gtk_editable_get_text (GTK_EDITABLE (self->server_row)) == '\0')
    {
      g_autofree char *url = g_settings_get_string (settings, "server-url");
      gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
    }
  if (*gtk_editable_get_text (GTK_EDITABLE (self->staff_row)) == '\0')
    {
      g_autofree char *staff = g_settings_get_string (settings, "staff-id");
      gtk_editable_set_text (GTK_EDITABLE (self->staff_row), staff);
    }
  if (!self->tried_remembered)
    {
      self->tried_remembered = TRUE;
      sign_in_remembered (self);
    }
}

static void
hg_login_page_dispose (GObject *object)
{
  HgLoginPage *self = HG_LOGIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->keyring_cancellable);
  g_clear_object (&self->keyring_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HG_TYPE_LOGIN_PAGE);
  G_OBJECT_CLASS (hg_login_page_parent_class)->dispose (object);
}

static void
hg_login_page_finalize (GObject *object)
{
  HgLoginPage *self = HG_LOGIN_PAGE (object);

  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->staff_id, g_free);
  G_OBJECT_CLASS (hg_login_page_parent_class)->finalize (object);
}

static void
hg_login_page_class_init (HgLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hg_login_page_dispose;
  object_class->finalize = hg_login_page_finalize;
  widget_class->root = hg_login_page_root;

  /* HgLoginPage::signed-in: a client that holds a token. */
  signals[SIGNAL_SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, HG_TYPE_CLIENT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/healthguard/Ops/hg-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HgLoginPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, HgLoginPage, staff_row);
  gtk_widget_class_bind_template_child (widget_class, HgLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, HgLoginPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, HgLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, HgLoginPage, sign_in_button);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
hg_login_page_init (HgLoginPage *self)
{
  self->keyring_cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  hg_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  set_busy (self, FALSE);
}
