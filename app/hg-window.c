/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-a11y.h"
#include "hg-board-cache.h"
#include "hg-board-page.h"
#include "hg-first-frame.h"
#include "hg-login-page.h"
#include "hg-metrics-page.h"
#include "hg-staff-page.h"
#include "hg-window-private.h"

struct _HgWindow {
  AdwApplicationWindow  parent_instance;

  HgClient             *client;
  guint                 clock_source;
  /* The offline board, and the time the board shows when it is not live
   * (wall-clock µs; 0: live, or the time the connection went). */
  HgBoardCache         *board_cache;
  gint64                board_as_of;
  gboolean              waiting_for_cache;  /* signed in before it loaded */
  guint                 retry_source;

  AdwToastOverlay      *toasts;
  GtkStack             *main_stack;
  HgLoginPage          *login_page;
  GtkLabel             *connection_label;
  GtkButton            *back_button;
  GtkRevealer          *stale_revealer;
  GtkLabel             *stale_label;
  GtkButton            *stale_sign_in_button;
  AdwViewStack         *view_stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  HgBoardPage          *board_page;
  HgBoardPage          *mine_page;
  HgStaffPage          *staff_page;
  HgMetricsPage        *metrics_page;
};

G_DEFINE_FINAL_TYPE (HgWindow, hg_window, ADW_TYPE_APPLICATION_WINDOW)

HgWindow *
hg_window_new (HgApplication *app)
{
  return g_object_new (HG_TYPE_WINDOW, "application", app, NULL);
}

HgClient *
hg_window_get_client (HgWindow *self)
{
  g_return_val_if_fail (HG_IS_WINDOW (self), NULL);
  return self->client;
}

void
hg_window_toast (HgWindow   *self,
                 const char *message)
{
  g_return_if_fail (HG_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

/* "Live", "Reconnecting…", "Offline since 14:32": in words, and in a colour
 * class that is never the only sign. */
/* A client that shows the last saved board and has no token: nobody
 * could sign in (the server could not be reached). */
static gboolean
is_read_only (HgWindow *self)
{
  return self->client != NULL && hg_client_get_token (self->client) == NULL;
}

/* "Showing the board as of 14:32; not connected" while the board is the
 * saved one, or the connection has been gone for longer than a blip. */
static void
update_banner (HgWindow *self)
{
  HgClientState state = self->client ? hg_client_get_state (self->client) : HG_CLIENT_STATE_LIVE;
  gint64 as_of = self->board_as_of;
  gboolean stale;

  if (state == HG_CLIENT_STATE_LIVE)
    self->board_as_of = as_of = 0;
  else if (as_of == 0 && state == HG_CLIENT_STATE_OFFLINE)
    as_of = hg_client_get_offline_since (self->client);
  stale = is_read_only (self) || (as_of > 0 && state != HG_CLIENT_STATE_RECONNECTING);
  if (stale)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (MAX (as_of, 0) / G_USEC_PER_SEC);
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      gboolean today = g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now)
                       && g_date_time_get_year (when) == g_date_time_get_year (now);
      /* Translators: a time of day (14:32), or a day and a time when it is not today */
      g_autofree char *hhmm = g_date_time_format (when, today ? _("%H:%M") : _("%e %b %H:%M"));
      g_autofree char *text = NULL;

      /* Translators: %s is a time of day such as 14:32 */
      text = as_of > 0 ? g_strdup_printf (_("Showing the board as of %s; not connected"), g_strstrip (hhmm))
                       : g_strdup (_("Showing the last board; not connected"));
      gtk_label_set_label (self->stale_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->stale_sign_in_button), is_read_only (self));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), is_read_only (self));
  gtk_revealer_set_reveal_child (self->stale_revealer, stale);
}

static void
update_connection (HgWindow *self)
{
  static const char *const classes[] = { "live", "reconnecting", "offline" };
  g_autofree char *text = NULL;
  const char *css = "offline";

  for (gsize i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->connection_label), classes[i]);
  update_banner (self);
  if (self->client == NULL)
    return;

  switch (hg_client_get_state (self->client))
    {
    case HG_CLIENT_STATE_LIVE:
      text = g_strdup (_("Live"));
      css = "live";
      break;
    case HG_CLIENT_STATE_CONNECTING:
      text = g_strdup (_("Connecting…"));
      css = "reconnecting";
      break;
    case HG_CLIENT_STATE_RECONNECTING:
      text = g_strdup (_("Reconnecting…"));
      css = "reconnecting";
      break;
    case HG_CLIENT_STATE_OFFLINE:
    default:
      {
        gint64 since = hg_client_get_offline_since (self->client);
        g_autoptr(GDateTime) when = since > 0 ? g_date_time_new_from_unix_local (since / G_USEC_PER_SEC) : NULL;
        g_autofree char *hhmm = when ? g_date_time_format (when, "%H:%M") : NULL;

        /* Translators: %s is a time of day, such as 14:32 */
        text = hhmm ? g_strdup_printf (_("Offline since %s"), hhmm) : g_strdup (_("Offline"));
      }
      break;
    }
  gtk_label_set_label (self->connection_label, text);
  gtk_widget_add_css_class (GTK_WIDGET (self->connection_label), css);
}

static void
set_client (HgWindow *self,
            HgClient *client)
{
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      hg_client_stop (self->client);
    }
  g_set_object (&self->client, client);
  if (client != NULL)
    g_signal_connect_swapped (client, "notify::state", G_CALLBACK (update_connection), self);

  g_object_set (self->board_page, HG_PAGE_PROP_CLIENT, client, NULL);
  g_object_set (self->mine_page, HG_PAGE_PROP_CLIENT, client, NULL);
  /* The last board, read-only, has nothing to show on the others. */
  if (client != NULL && hg_client_get_token (client) == NULL)
    client = NULL;
  g_object_set (self->staff_page, HG_PAGE_PROP_CLIENT, client, NULL);
  g_object_set (self->metrics_page, HG_PAGE_PROP_CLIENT, client, NULL);
  hg_window_actions_set_client (self, client);
  update_connection (self);
}

/* --- The offline board ------------------------------------------------- */

static gboolean
retry_sign_in (gpointer data)
{
  HgWindow *self = data;

  if (!is_read_only (self))
    {
      self->retry_source = 0;
      return G_SOURCE_REMOVE;
    }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0)
    hg_login_page_retry_remembered (self->login_page);
  return G_SOURCE_CONTINUE;
}

/* The server could not be reached, or nobody has signed in yet: whoever
 * signed in last on this workstation sees their last board at once,
 * read-only and marked stale, and the remembered sign-in (if any) is
 * tried again now and then. A sign-in replaces it with the live board. */
static void
show_saved_board (HgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = HG_IS_APPLICATION (app) ? hg_application_get_settings (HG_APPLICATION (app)) : NULL;
  g_autofree char *server = settings ? g_settings_get_string (settings, "server-url") : NULL;
  g_autofree char *staff = settings ? g_settings_get_string (settings, "staff-id") : NULL;
  const HgCacheSnapshot *snapshot = hg_board_cache_lookup (self->board_cache, server, staff);
  g_autoptr(HgClient) client = NULL;

  if (self->client != NULL || snapshot == NULL)
    return;
  client = hg_client_new (server);
  hg_client_seed (client, snapshot->incidents, snapshot->seq);
  self->board_as_of = snapshot->saved_at;
  set_client (self, client);
  gtk_stack_set_visible_child_name (self->main_stack, "main");
  if (self->retry_source == 0)
    self->retry_source = g_timeout_add_seconds (15, retry_sign_in, self);
}

/* The new client starts from the saved board when it is this person's
 * on this server, and resumes from its seq. */
static void
seed_from_cache (HgWindow *self,
                 HgClient *client)
{
  const HgCacheSnapshot *snapshot = hg_board_cache_lookup (self->board_cache, hg_client_get_base_url (client),
                                                           hg_client_get_staff_id (client));

  self->board_as_of = 0;
  if (snapshot != NULL)
    {
      hg_client_seed (client, snapshot->incidents, snapshot->seq);
      self->board_as_of = snapshot->saved_at;
    }
  /* Once: after this the live list is the truth. */
  hg_board_cache_drop_snapshot (self->board_cache);
}

static void
show_sign_in_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  HgWindow *self = HG_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->main_stack, "login");
}

static void
show_board_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  HgWindow *self = HG_WINDOW (widget);

  if (is_read_only (self))
    gtk_stack_set_visible_child_name (self->main_stack, "main");
}

static void
go_live (HgWindow *self)
{
  g_autoptr(HgClient) client = g_object_ref (self->client);

  self->waiting_for_cache = FALSE;
  /* The board takes the seeded list as it takes any change. */
  seed_from_cache (self, client);
  update_connection (self);
  hg_board_cache_follow (self->board_cache, client);
  hg_client_start (client);
}

static void
on_cache_loaded (HgWindow *self)
{
  if (self->waiting_for_cache)
    go_live (self);
  else
    show_saved_board (self);
}

static void
on_signed_in (HgWindow *self,
              HgClient *client)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  set_client (self, client);
  /* Reading the cache takes a moment, fetching the list much longer. */
  if (hg_board_cache_is_loaded (self->board_cache))
    go_live (self);
  else
    self->waiting_for_cache = TRUE;
  gtk_stack_set_visible_child_name (self->main_stack, "main");
  gtk_widget_grab_focus (GTK_WIDGET (self->board_page));
}

static void
sign_out_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HgWindow *self = HG_WINDOW (widget);

  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->waiting_for_cache = FALSE;
  /* The next person must not see this one's board before signing in. */
  hg_board_cache_clear (self->board_cache);
  set_client (self, NULL);
  hg_login_page_reset (self->login_page, TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "login");
}

/* The offline label's time and the board's ages move on by themselves. */
static gboolean
tick (gpointer data)
{
  update_connection (data);
  return G_SOURCE_CONTINUE;
}

static void
hg_window_dispose (GObject *object)
{
  HgWindow *self = HG_WINDOW (object);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->board_cache != NULL)
    {
      hg_board_cache_save_now (self->board_cache);
      g_signal_handlers_disconnect_by_data (self->board_cache, self);
      g_clear_object (&self->board_cache);
    }
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      hg_client_stop (self->client);
    }
  g_clear_object (&self->client);
  /* libadwaita 1.2: a view switcher that outlives the AdwViewStack's pages
   * unparents buttons that are gone already, a critical at every window
   * close. Letting go of the stack first tears them down in order. */
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HG_TYPE_WINDOW);
  G_OBJECT_CLASS (hg_window_parent_class)->dispose (object);
}

static void
hg_window_class_init (HgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hg_window_dispose;

  g_type_ensure (HG_TYPE_LOGIN_PAGE);
  g_type_ensure (HG_TYPE_BOARD_PAGE);
  g_type_ensure (HG_TYPE_STAFF_PAGE);
  g_type_ensure (HG_TYPE_METRICS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/healthguard/Ops/hg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HgWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, stale_revealer);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, stale_label);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, stale_sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, board_page);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, mine_page);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, staff_page);
  gtk_widget_class_bind_template_child (widget_class, HgWindow, metrics_page);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_in);

  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_activated);
  gtk_widget_class_install_action (widget_class, "win.show-sign-in", NULL, show_sign_in_activated);
  gtk_widget_class_install_action (widget_class, "win.show-board", NULL, show_board_activated);
  /* win.preferences, Alt+1 … Alt+4 (win.show-page), the bell. */
  hg_window_class_add_actions (widget_class);
}

static void
hg_window_init (HgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hg_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  hg_window_actions_init (self);
  self->clock_source = g_timeout_add_seconds (30, tick, self);
  self->board_cache = hg_board_cache_new (NULL);
  g_signal_connect_swapped (self->board_cache, "loaded", G_CALLBACK (on_cache_loaded), self);
  update_banner (self);
  hg_first_frame_watch (GTK_WIDGET (self->board_page),
                        G_LIST_MODEL (hg_board_page_get_model (self->board_page)));
}
