/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-incident-cells.h"
#include "hg-incident-format.h"
#include "hg-severity-pill.h"

static char *
status_text (GtkListItem     *item,
             HgIncidentStatus status)
{
  return g_strdup (hg_status_label (status));
}

static char *
patient_text (GtkListItem *item,
              const char  *name,
              const char  *ward,
              const char  *room)
{
  if (room != NULL && *room != '\0')
    /* Translators: a patient's name and room: "Ana Silva · Room 204" */
    return g_strdup_printf (_("%s · Room %s"), name ? name : _("No patient"), room);
  if (ward != NULL && *ward != '\0')
    return g_strdup_printf ("%s · %s", name ? name : _("No patient"), ward);
  return g_strdup (name ? name : _("No patient"));
}

static char *
assignee_text (GtkListItem *item,
               const char  *name)
{
  return g_strdup (name ? name : _("Unassigned"));
}

static char *
age_text (GtkListItem *item,
          gint64       created_at,
          gint64       now)
{
  return created_at > 0 ? hg_format_age (now - created_at) : g_strdup ("");
}

static char *
escalation_text (GtkListItem *item,
                 guint        level)
{
  if (level == 0)
    return g_strdup (C_("escalation", "None"));
  /* Translators: an escalation level, "Level 2" */
  return g_strdup_printf (C_("escalation", "Level %u"), level);
}

static GtkExpression *
incident_property (const char *name)
{
  GtkExpression *item = gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item");

  return gtk_property_expression_new (HG_TYPE_INCIDENT, item, name);
}

static GtkExpression *
text_expression (GObject        *clock,
                 HgIncidentCell  kind)
{
  GtkExpression *params[3];

  switch (kind)
    {
    case HG_INCIDENT_CELL_STATUS:
      params[0] = incident_property ("status");
      return gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params, G_CALLBACK (status_text), NULL, NULL);
    case HG_INCIDENT_CELL_TITLE:
      return incident_property ("title");
    case HG_INCIDENT_CELL_PATIENT:
      params[0] = incident_property ("patient-name");
      params[1] = incident_property ("ward");
      params[2] = incident_property ("room");
      return gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 3, params, G_CALLBACK (patient_text), NULL, NULL);
    case HG_INCIDENT_CELL_ASSIGNEE:
      params[0] = incident_property ("assignee-name");
      return gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params, G_CALLBACK (assignee_text), NULL, NULL);
    case HG_INCIDENT_CELL_AGE:
      /* Every visible age follows the clock: one tick, and only the
       * rows on screen (the ones that have a cell) recompute. */
      params[0] = incident_property ("created-at");
      params[1] = gtk_property_expression_new (G_OBJECT_TYPE (clock), gtk_object_expression_new (clock), "now");
      return gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 2, params, G_CALLBACK (age_text), NULL, NULL);
    case HG_INCIDENT_CELL_ESCALATION:
      params[0] = incident_property ("escalation-level");
      return gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params, G_CALLBACK (escalation_text), NULL, NULL);
    case HG_INCIDENT_CELL_SEVERITY:
    default:
      g_assert_not_reached ();
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            GObject                  *clock)
{
  HgIncidentCell kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "hg-cell-kind"));
  GtkWidget *widget;

  if (kind == HG_INCIDENT_CELL_SEVERITY)
    {
      widget = hg_severity_pill_new ();
      gtk_expression_bind (incident_property ("severity"), widget, "severity", item);
    }
  else
    {
      widget = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (widget), 0);
      gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_END);
      if (kind == HG_INCIDENT_CELL_AGE || kind == HG_INCIDENT_CELL_ESCALATION)
        gtk_widget_add_css_class (widget, "numeric");
      if (kind == HG_INCIDENT_CELL_TITLE)
        gtk_widget_add_css_class (widget, "incident-title");
      gtk_expression_bind (text_expression (clock, kind), widget, "label", item);
    }
  gtk_list_item_set_child (item, widget);
}

GtkListItemFactory *
hg_incident_cell_factory (HgIncidentCell  kind,
                          GObject        *clock)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_return_val_if_fail (G_IS_OBJECT (clock), factory);

  g_object_set_data (G_OBJECT (factory), "hg-cell-kind", GINT_TO_POINTER (kind));
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_cell), clock, 0);
  return factory;
}
