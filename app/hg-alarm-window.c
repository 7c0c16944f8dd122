/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-a11y.h"
#include "hg-action-dialog.h"
#include "hg-alarm-row.h"
#include "hg-alarm-window.h"
#include "hg-incident-act.h"
#include "hg-incident-format.h"

struct _HgAlarmWindow
{
  AdwWindow        parent_instance;

  HgAlarm         *alarm;
  HgClient        *client;
  GCancellable    *cancellable;
  GPtrArray       *rows;            /* the HgAlarmRow bound now */
  guint            flash_high;      /* timeouts */
  guint            flash_medium;
  guint            tick;

  AdwToastOverlay *toasts;
  AdwWindowTitle  *window_title;
  GtkWidget       *band;
  GtkLabel        *band_label;
  GtkLabel        *silence_label;
  GtkButton       *silence_button;
  GtkListView     *list_view;
};

G_DEFINE_FINAL_TYPE (HgAlarmWindow, hg_alarm_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ALARM,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- Flashing and the clock ---------------------------------------------- */

static gboolean
toggle_class (GtkWidget  *widget,
              const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    gtk_widget_remove_css_class (widget, css_class);
  else
    gtk_widget_add_css_class (widget, css_class);
  return G_SOURCE_CONTINUE;
}

static gboolean
flash_high (gpointer data)
{
  return toggle_class (data, "flash-high");
}

static gboolean
flash_medium (gpointer data)
{
  return toggle_class (data, "flash-medium");
}

static gboolean
tick (gpointer data)
{
  HgAlarmWindow *self = data;
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < self->rows->len; i++)
    hg_alarm_row_tick (self->rows->pdata[i], now);
  return G_SOURCE_CONTINUE;
}

static void
stop_timers (HgAlarmWindow *self)
{
  g_clear_handle_id (&self->flash_high, g_source_remove);
  g_clear_handle_id (&self->flash_medium, g_source_remove);
  g_clear_handle_id (&self->tick, g_source_remove);
}

/* Timers run only while the window shows something. */
static void
start_timers (HgAlarmWindow *self)
{
  if (self->tick != 0)
    return;
  self->flash_high = g_timeout_add (HG_ALARM_FLASH_HIGH_MSEC, flash_high, self);
  self->flash_medium = g_timeout_add (HG_ALARM_FLASH_MEDIUM_MSEC, flash_medium, self);
  self->tick = g_timeout_add_seconds (1, tick, self);
}

/* --- What the band says ----------------------------------------------------- */

static void
update_band (HgAlarmWindow *self)
{
  GListModel *active = hg_alarm_get_active (self->alarm);
  guint n = g_list_model_get_n_items (active);
  g_autoptr(HgActiveAlarm) top = n > 0 ? g_list_model_get_item (active, 0) : NULL;
  gboolean silenced = hg_alarm_get_silenced (self->alarm);
  g_autofree char *count = NULL;
  g_autofree char *silence = NULL;

  for (HgAlarmPriority p = HG_ALARM_PRIORITY_LOW; p <= HG_ALARM_PRIORITY_HIGH; p++)
    gtk_widget_remove_css_class (self->band, hg_alarm_priority_css_class (p));
  if (top == NULL)
    {
      gtk_label_set_label (self->band_label, _("No active alarm"));
      adw_window_title_set_subtitle (self->window_title, NULL);
    }
  else
    {
      HgAlarmPriority priority = hg_active_alarm_get_priority (top);
      g_autofree char *headline = NULL;

      gtk_widget_add_css_class (self->band, hg_alarm_priority_css_class (priority));
      /* Translators: the alarm popup's headline: "High priority alarm" */
      headline = g_strdup_printf (_("%s alarm"), hg_alarm_priority_label (priority));
      gtk_label_set_label (self->band_label, headline);
      count = g_strdup_printf (ngettext ("%u active alarm", "%u active alarms", n), n);
      adw_window_title_set_subtitle (self->window_title, count);
    }

  if (silenced)
    {
      g_autofree char *until = hg_format_time (hg_alarm_get_silenced_until (self->alarm) / 1000);
      g_autofree char *text = NULL;

      /* Translators: %s is a time of day, "14:32:05" */
      text = g_strdup_printf (_("Sound paused until %s. The alarms stay here until acknowledged."), until);
      gtk_label_set_label (self->silence_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->silence_label), silenced);
  /* Translators: the silence button; %u is a number of minutes (or
   * seconds, below) */
  if (hg_alarm_get_silence_duration (self->alarm) % 60 == 0)
    silence = g_strdup_printf (ngettext ("_Silence for %u min", "_Silence for %u min",
                                         hg_alarm_get_silence_duration (self->alarm) / 60),
                               hg_alarm_get_silence_duration (self->alarm) / 60);
  else
    silence = g_strdup_printf (ngettext ("_Silence for %u s", "_Silence for %u s",
                                         hg_alarm_get_silence_duration (self->alarm)),
                               hg_alarm_get_silence_duration (self->alarm));
  hg_a11y_set_button_label (self->silence_button, silence);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "alarm.silence",
                                 hg_alarm_get_sounding_priority (self->alarm) >= 0 || silenced);
}

/* New alarms bring the window up; none left takes it down. */
static void
on_active_changed (HgAlarmWindow *self,
                   guint          position,
                   guint          removed,
                   guint          added,
                   GListModel    *active)
{
  update_band (self);
  if (g_list_model_get_n_items (active) == 0)
    {
      stop_timers (self);
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  start_timers (self);
  if (added > removed || !gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_window_present (GTK_WINDOW (self));
}

/* --- Actions ---------------------------------------------------------------- */

static void
toast (HgAlarmWindow *self,
       const char    *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static HgIncident *
find_incident (HgAlarmWindow *self,
               gint64         incident_id)
{
  GListModel *active = hg_alarm_get_active (self->alarm);

  for (guint i = 0; i < g_list_model_get_n_items (active); i++)
    {
      g_autoptr(HgActiveAlarm) alarm = g_list_model_get_item (active, i);
      HgIncident *incident = hg_active_alarm_get_incident (alarm);

      if (incident != NULL && hg_incident_get_id (incident) == incident_id)
        return incident;
    }
  return NULL;
}

static void
act_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HgAlarmWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hg_incident_act_finish (result, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s is the server's explanation */
      g_autofree char *message = g_strdup_printf (_("Not done: %s"), error->message);

      toast (self, message);
    }
}

static void
run_action (HgAlarmWindow *self,
            HgIncident    *incident,
            HgAction       action,
            const char    *body_json)
{
  /* The sound stops now; the incident stays listed until the server's
   * answer changes it, and sounds again if that never comes. */
  hg_alarm_acknowledge (self->alarm, hg_incident_get_id (incident));
  hg_incident_act_async (self->client, incident, action, body_json, self->cancellable,
                         act_done, g_object_ref (self));
}

static void
on_answered (GObject    *receiver,
             HgAction    action,
             const char *body_json)
{
  HgAlarmWindow *self = HG_ALARM_WINDOW (receiver);
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (receiver, "hg-asked-incident"));
  HgIncident *incident = find_incident (self, id);

  if (incident != NULL)
    run_action (self, incident, action, body_json);
}

static void
act_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HgAlarmWindow *self = HG_ALARM_WINDOW (widget);
  gint64 id;
  const char *name;
  HgAction action;
  HgIncident *incident;

  g_variant_get (parameter, "(x&s)", &id, &name);
  incident = find_incident (self, id);
  if (incident == NULL || self->client == NULL || !hg_action_from_string (name, &action)
      || !hg_incident_may (self->client, incident, action))
    return;
  if (action == HG_ACTION_DECLINE)
    {
      /* A reason first, as everywhere else. */
      g_object_set_data (G_OBJECT (self), "hg-asked-incident", GSIZE_TO_POINTER ((gsize) id));
      hg_action_dialog_ask (widget, self->client, incident, action, G_OBJECT (self), on_answered);
      return;
    }
  run_action (self, incident, action, NULL);
}

static void
silence_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  hg_alarm_silence (HG_ALARM_WINDOW (widget)->alarm);
}

/* --- The list ------------------------------------------------------------------ */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (item, hg_alarm_row_new ());
  /* The row's buttons take the focus, not the row itself. */
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          HgAlarmWindow            *self)
{
  HgAlarmRow *row = HG_ALARM_ROW (gtk_list_item_get_child (item));

  hg_alarm_row_set_alarm (row, gtk_list_item_get_item (item), self->client);
  g_ptr_array_add (self->rows, row);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            HgAlarmWindow            *self)
{
  HgAlarmRow *row = HG_ALARM_ROW (gtk_list_item_get_child (item));

  hg_alarm_row_set_alarm (row, NULL, NULL);
  g_ptr_array_remove_fast (self->rows, row);
}

/* --- The object ------------------------------------------------------------------ */

HgAlarmWindow *
hg_alarm_window_new (GtkApplication *application,
                     HgAlarm        *alarm,
                     HgClient       *client)
{
  g_return_val_if_fail (HG_IS_ALARM (alarm), NULL);

  return g_object_new (HG_TYPE_ALARM_WINDOW,
                       "application", application,
                       "alarm", alarm,
                       "client", client,
                       NULL);
}

HgAlarm *
hg_alarm_window_get_alarm (HgAlarmWindow *self)
{
  g_return_val_if_fail (HG_IS_ALARM_WINDOW (self), NULL);

  return self->alarm;
}

static void
hg_alarm_window_constructed (GObject *object)
{
  HgAlarmWindow *self = HG_ALARM_WINDOW (object);
  GListModel *active;
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  G_OBJECT_CLASS (hg_alarm_window_parent_class)->constructed (object);
  g_assert (self->alarm != NULL);

  active = hg_alarm_get_active (self->alarm);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (active))));
  g_object_unref (gtk_list_view_get_model (self->list_view));

  g_signal_connect_object (active, "items-changed", G_CALLBACK (on_active_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->alarm, "notify::silenced", G_CALLBACK (update_band), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->alarm, "notify::silenced-until", G_CALLBACK (update_band), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->alarm, "notify::silence-duration", G_CALLBACK (update_band), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->alarm, "notify::sounding-priority", G_CALLBACK (update_band), self,
                           G_CONNECT_SWAPPED);
  update_band (self);
  if (g_list_model_get_n_items (active) > 0)
    on_active_changed (self, 0, 0, g_list_model_get_n_items (active), active);
}

static void
hg_alarm_window_dispose (GObject *object)
{
  HgAlarmWindow *self = HG_ALARM_WINDOW (object);

  stop_timers (self);
  g_cancellable_cancel (self->cancellable);
  /* The alarm may outlive this window a little: it must not call back. */
  if (self->alarm != NULL)
    {
      g_signal_handlers_disconnect_by_data (hg_alarm_get_active (self->alarm), self);
      g_signal_handlers_disconnect_by_data (self->alarm, self);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), HG_TYPE_ALARM_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->alarm);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (hg_alarm_window_parent_class)->dispose (object);
}

static void
hg_alarm_window_finalize (GObject *object)
{
  HgAlarmWindow *self = HG_ALARM_WINDOW (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (hg_alarm_window_parent_class)->finalize (object);
}

static void
hg_alarm_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HgAlarmWindow *self = HG_ALARM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ALARM:
      g_value_set_object (value, self->alarm);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_alarm_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HgAlarmWindow *self = HG_ALARM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ALARM:
      self->alarm = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_alarm_window_class_init (HgAlarmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hg_alarm_window_constructed;
  object_class->dispose = hg_alarm_window_dispose;
  object_class->finalize = hg_alarm_window_finalize;
  object_class->get_property = hg_alarm_window_get_property;
  object_class->set_property = hg_alarm_window_set_property;

  properties[PROP_ALARM] =
    g_param_spec_object ("alarm", NULL, NULL, HG_TYPE_ALARM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, HG_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/healthguard/Ops/hg-alarm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HgAlarmWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, HgAlarmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HgAlarmWindow, band);
  gtk_widget_class_bind_template_child (widget_class, HgAlarmWindow, band_label);
  gtk_widget_class_bind_template_child (widget_class, HgAlarmWindow, silence_label);
  gtk_widget_class_bind_template_child (widget_class, HgAlarmWindow, silence_button);
  gtk_widget_class_bind_template_child (widget_class, HgAlarmWindow, list_view);

  gtk_widget_class_install_action (widget_class, "alarm.act", "(xs)", act_activated);
  gtk_widget_class_install_action (widget_class, "alarm.silence", NULL, silence_activated);
}

static void
hg_alarm_window_init (HgAlarmWindow *self)
{
  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  hg_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
}
