/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-incident-format.h"
#include "hg-severity-pill.h"
#include "hg-enum-types.h"

struct _HgSeverityPill {
  GtkWidget   parent_instance;
  GtkWidget  *label;
  HgSeverity  severity;
};

G_DEFINE_FINAL_TYPE (HgSeverityPill, hg_severity_pill, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SEVERITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
hg_severity_pill_new (void)
{
  return g_object_new (HG_TYPE_SEVERITY_PILL, NULL);
}

HgSeverity
hg_severity_pill_get_severity (HgSeverityPill *self)
{
  g_return_val_if_fail (HG_IS_SEVERITY_PILL (self), HG_SEVERITY_LOW);
  return self->severity;
}

static void
update (HgSeverityPill *self)
{
  g_autofree char *accessible = NULL;

  for (HgSeverity s = HG_SEVERITY_LOW; s <= HG_SEVERITY_CRITICAL; s++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), hg_severity_css_class (s));
  gtk_widget_add_css_class (GTK_WIDGET (self), hg_severity_css_class (self->severity));
  gtk_label_set_label (GTK_LABEL (self->label), hg_severity_label (self->severity));
  /* Translators: what a screen reader says for a severity pill */
  accessible = g_strdup_printf (_("Severity: %s"), hg_severity_label (self->severity));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

void
hg_severity_pill_set_severity (HgSeverityPill *self,
                               HgSeverity      severity)
{
  g_return_if_fail (HG_IS_SEVERITY_PILL (self));

  if (self->severity == severity)
    return;
  self->severity = severity;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEVERITY]);
}

static void
hg_severity_pill_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HgSeverityPill *self = HG_SEVERITY_PILL (object);

  switch (prop_id)
    {
    case PROP_SEVERITY:
      g_value_set_enum (value, self->severity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_severity_pill_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HgSeverityPill *self = HG_SEVERITY_PILL (object);

  switch (prop_id)
    {
    case PROP_SEVERITY:
      hg_severity_pill_set_severity (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_severity_pill_dispose (GObject *object)
{
  HgSeverityPill *self = HG_SEVERITY_PILL (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);
  G_OBJECT_CLASS (hg_severity_pill_parent_class)->dispose (object);
}

static void
hg_severity_pill_class_init (HgSeverityPillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hg_severity_pill_get_property;
  object_class->set_property = hg_severity_pill_set_property;
  object_class->dispose = hg_severity_pill_dispose;

  properties[PROP_SEVERITY] =
    g_param_spec_enum ("severity", NULL, NULL, HG_TYPE_SEVERITY, HG_SEVERITY_LOW,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "severity-pill");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
hg_severity_pill_init (HgSeverityPill *self)
{
  self->label = gtk_label_new (NULL);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  update (self);
}
