/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-incident-format.h"
#include "hg-incident-rows.h"

void
hg_incident_rows_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    {
      if (!GTK_IS_LIST_BOX_ROW (child))
        break;   /* the placeholder comes last */
      gtk_list_box_remove (list, child);
    }
}

static void
add_row (GtkListBox *list,
         const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_append (list, row);
}

static const char *
who (const char *name,
     const char *id)
{
  return name ? name : id ? id : C_("actor", "HealthGuard");
}

void
hg_incident_rows_fill_notes (GtkListBox *list,
                             GPtrArray  *notes)
{
  hg_incident_rows_clear (list);
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    {
      const HgNote *note = notes->pdata[i];
      g_autofree char *when = hg_format_time (note->created_at);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", who (note->author_name, note->author_id), when);

      add_row (list, note->text, subtitle);
    }
}

void
hg_incident_rows_fill_timeline (GtkListBox *list,
                                GPtrArray  *timeline)
{
  hg_incident_rows_clear (list);
  for (guint i = 0; timeline != NULL && i < timeline->len; i++)
    {
      const HgTimelineEntry *entry = timeline->pdata[i];
      g_autofree char *when = hg_format_time (entry->at);
      g_autofree char *subtitle = NULL;

      if (entry->detail != NULL && *entry->detail != '\0')
        subtitle = g_strdup_printf ("%s · %s\n%s", when, who (entry->actor_name, entry->actor_id), entry->detail);
      else
        subtitle = g_strdup_printf ("%s · %s", when, who (entry->actor_name, entry->actor_id));
      add_row (list, hg_timeline_action_label (entry->action), subtitle);
    }
}

void
hg_incident_rows_fill_alerts (GtkListBox *list,
                              GPtrArray  *alerts)
{
  hg_incident_rows_clear (list);
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      HgAlert *alert = alerts->pdata[i];
      g_autofree char *source = NULL;
      gint64 received_at = 0;
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      const char *message = hg_alert_get_message (alert);

      g_object_get (alert, "source", &source, "received-at", &received_at, NULL);
      when = hg_format_time (received_at);
      subtitle = source ? g_strdup_printf ("%s · %s · %s", when, hg_alert_get_alert_type (alert), source)
                        : g_strdup_printf ("%s · %s", when, hg_alert_get_alert_type (alert));
      add_row (list, message && *message ? message : hg_alert_get_alert_type (alert), subtitle);
    }
}
