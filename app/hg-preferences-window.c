/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-a11y.h"
#include "hg-application.h"
#include "hg-preferences-window.h"

/* The positions of the mode row, and the schema's nicks for them. */
static const char *const modes[] = { "station", "personal" };

struct _HgPreferencesWindow {
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *mode_row;
  AdwEntryRow          *ward_row;
  GtkSwitch            *notifications_switch;
  GtkScale             *volume_scale;
  GtkAdjustment        *volume_adjustment;
  GtkAdjustment        *silence_adjustment;
};

G_DEFINE_FINAL_TYPE (HgPreferencesWindow, hg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
hg_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (HG_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}

static gboolean
mode_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char *mode = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_str_equal (mode, modes[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
position_to_mode (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (modes))
    return NULL;
  return g_variant_new_string (modes[position]);
}

static gboolean
mode_is_station (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  g_value_set_boolean (value, g_str_equal (g_variant_get_string (variant, NULL), "station"));
  return TRUE;
}

/* The ward is written when the user applies it (Enter or the row's
 * button), not at each key: the board would jump at every letter. */
static void
on_ward_apply (HgPreferencesWindow *self)
{
  g_autofree char *ward = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ward_row)));

  g_settings_set_string (self->settings, "station-ward", g_strstrip (ward));
}

static char *
format_volume (GtkScale *scale,
               double    value,
               gpointer  user_data)
{
  /* Translators: the alarm volume in percent; %% is a percent sign */
  return g_strdup_printf (_("%d %%"), (int) (value * 100 + 0.5));
}

/* Plays one burst of each priority through the same pipeline as the
 * alarms, so that someone hears what an alarm will sound like here. */
static void
on_test_sound (HgPreferencesWindow *self)
{
  GApplication *app = g_application_get_default ();
  HgAlarmSound *sound = HG_IS_APPLICATION (app) ? hg_application_get_alarm_sound (HG_APPLICATION (app)) : NULL;
  g_autofree char *message = NULL;

  if (sound == NULL || hg_alarm_sound_get_failed (sound))
    /* Translators: %s says what failed, from the audio system */
    message = g_strdup_printf (_("The alarm sound does not work: %s"),
                               sound && hg_alarm_sound_get_error (sound) ? hg_alarm_sound_get_error (sound)->message
                                                                          : _("no audio output"));
  else if (!hg_alarm_sound_test_patterns (sound))
    message = g_strdup (_("An alarm is sounding: test again once it is over"));
  else
    message = g_strdup (_("Playing low, medium and high priority"));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static void
bind_settings (HgPreferencesWindow *self)
{
  g_settings_bind_with_mapping (self->settings, "mode", self->mode_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, mode_to_position, position_to_mode,
                                NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "mode", self->ward_row, "sensitive",
                                G_SETTINGS_BIND_GET, mode_is_station, NULL, NULL, NULL);
  g_settings_bind (self->settings, "station-ward", self->ward_row, "text", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "desktop-notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alarm-volume", self->volume_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alarm-silence-seconds", self->silence_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
hg_preferences_window_constructed (GObject *object)
{
  HgPreferencesWindow *self = HG_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (hg_preferences_window_parent_class)->constructed (object);
  g_assert (self->settings != NULL);
  bind_settings (self);
}

static void
hg_preferences_window_dispose (GObject *object)
{
  HgPreferencesWindow *self = HG_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HG_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (hg_preferences_window_parent_class)->dispose (object);
}

static void
hg_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HgPreferencesWindow *self = HG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS: g_value_set_object (value, self->settings); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HgPreferencesWindow *self = HG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS: self->settings = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_preferences_window_class_init (HgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hg_preferences_window_constructed;
  object_class->dispose = hg_preferences_window_dispose;
  object_class->get_property = hg_preferences_window_get_property;
  object_class->set_property = hg_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/healthguard/Ops/hg-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HgPreferencesWindow, mode_row);
  gtk_widget_class_bind_template_child (widget_class, HgPreferencesWindow, ward_row);
  gtk_widget_class_bind_template_child (widget_class, HgPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, HgPreferencesWindow, volume_scale);
  gtk_widget_class_bind_template_child (widget_class, HgPreferencesWindow, volume_adjustment);
  gtk_widget_class_bind_template_child (widget_class, HgPreferencesWindow, silence_adjustment);
  gtk_widget_class_bind_template_callback (widget_class, on_ward_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_test_sound);
}

static void
hg_preferences_window_init (HgPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hg_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  gtk_scale_set_format_value_func (self->volume_scale, format_volume, NULL, NULL);
}
