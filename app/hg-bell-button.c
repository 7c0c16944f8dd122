/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-a11y.h"
#include "hg-bell-button.h"
#include "hg-incident-format.h"

/* Every unread one, and the newest read ones beside them. */
#define MAX_UNREAD 500
#define MAX_RECENT 50

struct _HgBellButton {
  AdwBin         parent_instance;

  HgClient      *client;
  GCancellable  *cancellable;
  GListStore    *store;
  guint          unread;
  gboolean       fetch_failed;  /* fetch again when the client is live */

  GtkMenuButton *button;
  GtkLabel      *badge;
  GtkPopover    *popover;
  GtkStack      *stack;
  GtkListBox    *list_box;
  GtkButton     *mark_all_button;
};

G_DEFINE_FINAL_TYPE (HgBellButton, hg_bell_button, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_UNREAD_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_INCIDENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
hg_bell_button_new (void)
{
  return g_object_new (HG_TYPE_BELL_BUTTON, NULL);
}

guint
hg_bell_button_get_unread_count (HgBellButton *self)
{
  g_return_val_if_fail (HG_IS_BELL_BUTTON (self), 0);
  return self->unread;
}

GListModel *
hg_bell_button_get_model (HgBellButton *self)
{
  g_return_val_if_fail (HG_IS_BELL_BUTTON (self), NULL);
  return G_LIST_MODEL (self->store);
}

void
hg_bell_button_popup (HgBellButton *self)
{
  g_return_if_fail (HG_IS_BELL_BUTTON (self));
  gtk_menu_button_popup (self->button);
}

/* --- What the bell says ---------------------------------------------------- */

static void
update (HgBellButton *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint unread = 0;
  g_autofree char *badge = NULL;
  g_autofree char *label = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HgNotification) notification = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      unread += !hg_notification_get_read (notification);
    }

  badge = unread > 99 ? g_strdup ("99+") : g_strdup_printf ("%u", unread);
  gtk_label_set_label (self->badge, badge);
  gtk_widget_set_visible (GTK_WIDGET (self->badge), unread > 0);
  if (unread > 0)
    /* Translators: the bell's name for screen readers and its tooltip */
    label = g_strdup_printf (ngettext ("Notifications, %u unread", "Notifications, %u unread", unread), unread);
  else
    label = g_strdup (_("Notifications, none unread"));
  /* The menu button's inner toggle button, which takes the focus, is
   * labelled by the menu button (GTK 4.8): this names both. A label of
   * its own as well made a screen reader say it twice over. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), label);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bell.mark-all-read", unread > 0);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");

  if (self->unread == unread)
    return;
  self->unread = unread;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
}

/* --- Rows ------------------------------------------------------------------ */

static void
update_row (GtkListBoxRow *row)
{
  HgNotification *notification = g_object_get_data (G_OBJECT (row), "notification");
  GtkLabel *message = g_object_get_data (G_OBJECT (row), "message");
  GtkLabel *caption = g_object_get_data (G_OBJECT (row), "caption");
  gboolean read = hg_notification_get_read (notification);
  g_autofree char *when = hg_format_time (hg_notification_get_created_at (notification));
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  /* Translators: "Unread · 14:32:05" under a notification */
  text = g_strdup_printf (_("%s · %s"), read ? _("Read") : _("Unread"), when);
  gtk_label_set_label (caption, text);
  if (read)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "unread");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "unread");
  /* Translators: a notification for screen readers: its message, then
   * "Unread · 14:32:05" */
  name = g_strdup_printf (_("%s. %s"), hg_notification_get_message (notification), text);
  gtk_label_set_label (message, hg_notification_get_message (notification));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *message = gtk_label_new (NULL);
  GtkWidget *caption = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (message), 40);
  gtk_widget_add_css_class (message, "notification-message");
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "notification-caption");
  gtk_box_append (GTK_BOX (box), message);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_add_css_class (row, "notification-row");

  g_object_set_data_full (G_OBJECT (row), "notification", g_object_ref (item), g_object_unref);
  g_object_set_data (G_OBJECT (row), "message", message);
  g_object_set_data (G_OBJECT (row), "caption", caption);
  g_signal_connect_object (item, "notify::read", G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);
  update_row (GTK_LIST_BOX_ROW (row));
  return row;
}

/* --- The list ---------------------------------------------------------------- */

static int
newest_first (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  gint64 id_a = hg_notification_get_id ((HgNotification *) a);
  gint64 id_b = hg_notification_get_id ((HgNotification *) b);

  return (id_a < id_b) - (id_a > id_b);
}

static HgNotification *
find (HgBellButton *self,
      gint64        id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HgNotification) notification = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (hg_notification_get_id (notification) == id)
        return notification;   /* the store holds it */
    }
  return NULL;
}

/* The stream may replay what the first fetch brought, and the other way
 * round: each notification shows once, and read wins. */
static void
merge (HgBellButton   *self,
       HgNotification *notification)
{
  HgNotification *known = find (self, hg_notification_get_id (notification));

  if (known == NULL)
    g_list_store_insert_sorted (self->store, notification, newest_first, NULL);
  else if (hg_notification_get_read (notification))
    hg_notification_set_read (known, TRUE);
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HgBellButton) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notifications = NULL;

  notifications = hg_client_list_notifications_finish (HG_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (notifications == NULL)
    {
      g_message ("Cannot fetch the notifications: %s", error->message);
      self->fetch_failed = TRUE;
      return;
    }
  for (guint i = 0; i < notifications->len; i++)
    merge (self, notifications->pdata[i]);
  update (self);
}

static void
reload (HgBellButton *self)
{
  self->fetch_failed = FALSE;
  hg_client_list_notifications_async (self->client, TRUE, MAX_UNREAD, self->cancellable,
                                      fetched, g_object_ref (self));
  hg_client_list_notifications_async (self->client, FALSE, MAX_RECENT, self->cancellable,
                                      fetched, g_object_ref (self));
}

/* The stream replays what came while it was away, but not what a failed
 * first fetch missed. */
static void
on_state (HgBellButton *self)
{
  if (self->fetch_failed && hg_client_get_state (self->client) == HG_CLIENT_STATE_LIVE)
    reload (self);
}

static void
on_notification (HgBellButton *self,
                 JsonObject   *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HgNotification) notification = hg_notification_new_from_json (data, &error);

  if (notification == NULL)
    {
      g_debug ("Ignoring a notification: %s", error->message);
      return;
    }
  merge (self, notification);
  update (self);
}

void
hg_bell_button_set_client (HgBellButton *self,
                           HgClient     *client)
{
  g_return_if_fail (HG_IS_BELL_BUTTON (self));
  g_return_if_fail (client == NULL || HG_IS_CLIENT (client));

  if (self->client == client)
    return;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  g_list_store_remove_all (self->store);

  if (client != NULL)
    {
      self->cancellable = g_cancellable_new ();
      g_signal_connect_object (client, "notification", G_CALLBACK (on_notification), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::state", G_CALLBACK (on_state), self, G_CONNECT_SWAPPED);
      reload (self);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/* --- Marking read ------------------------------------------------------------ */

static void
marked (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(HgBellButton) self = user_data;
  g_autoptr(GError) error = NULL;

  if (hg_client_mark_notification_read_finish (HG_CLIENT (source), result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Show what the server knows rather than what we hoped. */
  g_message ("Cannot mark notifications read: %s", error->message);
  if (self->client == HG_CLIENT (source))
    {
      g_list_store_remove_all (self->store);
      reload (self);
      update (self);
    }
}

static void
mark_read (HgBellButton   *self,
           HgNotification *notification)
{
  if (self->client == NULL || hg_notification_get_read (notification))
    return;
  hg_notification_set_read (notification, TRUE);
  update (self);
  hg_client_mark_notification_read_async (self->client, hg_notification_get_id (notification),
                                          self->cancellable, marked, g_object_ref (self));
}

static void
mark_all_read_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  HgBellButton *self = HG_BELL_BUTTON (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  if (self->client == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HgNotification) notification = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      hg_notification_set_read (notification, TRUE);
    }
  update (self);
  hg_client_mark_notification_read_async (self->client, 0, self->cancellable, marked,
                                          g_object_ref (self));
}

static void
on_row_activated (HgBellButton  *self,
                  GtkListBoxRow *row)
{
  HgNotification *notification = g_object_get_data (G_OBJECT (row), "notification");
  gint64 incident_id = hg_notification_get_incident_id (notification);

  mark_read (self, notification);
  if (incident_id > 0)
    {
      gtk_popover_popdown (self->popover);
      g_signal_emit (self, signals[SIGNAL_INCIDENT_ACTIVATED], 0, incident_id);
    }
}

/* --- GObject ------------------------------------------------------------------- */

static void
hg_bell_button_dispose (GObject *object)
{
  HgBellButton *self = HG_BELL_BUTTON (object);

  if (self->store != NULL)
    hg_bell_button_set_client (self, NULL);
  /* The menu button is both AdwBin's child and a template child: let go
   * of it as the first, or AdwBin unparents it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HG_TYPE_BELL_BUTTON);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (hg_bell_button_parent_class)->dispose (object);
}

static void
hg_bell_button_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HgBellButton *self = HG_BELL_BUTTON (object);

  switch (prop_id)
    {
    case PROP_CLIENT: g_value_set_object (value, self->client); break;
    case PROP_UNREAD_COUNT: g_value_set_uint (value, self->unread); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_bell_button_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HgBellButton *self = HG_BELL_BUTTON (object);

  switch (prop_id)
    {
    case PROP_CLIENT: hg_bell_button_set_client (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_bell_button_class_init (HgBellButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hg_bell_button_dispose;
  object_class->get_property = hg_bell_button_get_property;
  object_class->set_property = hg_bell_button_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, HG_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A notification about an incident was activated: show that incident. */
  signals[SIGNAL_INCIDENT_ACTIVATED] =
    g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/healthguard/Ops/hg-bell-button.ui");
  gtk_widget_class_bind_template_child (widget_class, HgBellButton, button);
  gtk_widget_class_bind_template_child (widget_class, HgBellButton, badge);
  gtk_widget_class_bind_template_child (widget_class, HgBellButton, popover);
  gtk_widget_class_bind_template_child (widget_class, HgBellButton, stack);
  gtk_widget_class_bind_template_child (widget_class, HgBellButton, list_box);
  gtk_widget_class_bind_template_child (widget_class, HgBellButton, mark_all_button);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "bell.mark-all-read", NULL, mark_all_read_activated);
}

static void
hg_bell_button_init (HgBellButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hg_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));

  self->store = g_list_store_new (HG_TYPE_NOTIFICATION);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->store), create_row, self, NULL);
  update (self);
}
