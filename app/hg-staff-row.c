/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-staff-row.h"

static const char *
role_name (HgRole role)
{
  switch (role)
    {
    case HG_ROLE_NURSE: return _("Nurse");
    case HG_ROLE_CHARGE_NURSE: return _("Charge nurse");
    case HG_ROLE_EMERGENCY_DOCTOR: return _("Emergency doctor");
    case HG_ROLE_SPECIALIST: return _("Specialist");
    case HG_ROLE_ADMIN: default: return _("Administrator");
    }
}

/* "Cardiology · Cardiology ward": what the row's title does not say. */
static char *
describe_place (HgStaff  *staff,
                gboolean  with_role)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *specialty = hg_staff_get_specialty (staff);

  if (with_role)
    g_ptr_array_add (parts, g_strdup (role_name (hg_staff_get_role (staff))));
  if (specialty != NULL && *specialty != '\0')
    {
      char *capital = g_strdup (specialty);

      capital[0] = g_ascii_toupper (capital[0]);
      g_ptr_array_add (parts, capital);
    }
  if (hg_staff_get_ward (staff) != NULL)
    /* Translators: %s is a ward, such as Cardiology */
    g_ptr_array_add (parts, g_strdup_printf (_("%s ward"), hg_staff_get_ward (staff)));
  else
    g_ptr_array_add (parts, g_strdup (_("No home ward")));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* An icon and words: the colour class only repeats what they say. */
static GtkWidget *
make_chip (GtkSizeGroup *column,
           const char  *icon_name,
           const char  *text,
           const char  *css_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (text);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (box, "staff-chip");
  if (css_class != NULL)
    gtk_widget_add_css_class (box, css_class);
  if (column != NULL)
    gtk_size_group_add_widget (column, box);
  return box;
}

GtkWidget *
hg_staff_row_new (HgStaff      *staff,
                  GtkSizeGroup *columns[HG_STAFF_ROW_N_COLUMNS])
{
  gboolean on_duty = hg_staff_get_on_duty (staff);
  guint workload = hg_staff_get_workload (staff);
  g_autofree char *place = describe_place (staff, !on_duty);
  g_autofree char *load = NULL;
  g_autofree char *description = NULL;
  const char *available, *signed_in;
  AdwActionRow *row;

  g_return_val_if_fail (HG_IS_STAFF (staff), NULL);

  row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hg_staff_get_name (staff));
  adw_action_row_set_subtitle (row, place);

  load = workload == 0 ? g_strdup (_("No incidents"))
    : g_strdup_printf (g_dngettext (NULL, "%u incident", "%u incidents", workload), workload);
  adw_action_row_add_suffix (row, make_chip (columns ? columns[0] : NULL, "alarm-symbolic", load,
                                             workload > 0 ? "staff-busy" : "staff-idle"));

  if (!on_duty)
    available = _("Off duty");
  else if (hg_staff_get_available (staff))
    available = _("Available");
  else
    available = _("Not available");
  adw_action_row_add_suffix (row, make_chip (columns ? columns[1] : NULL,
                                             on_duty && hg_staff_get_available (staff)
                                               ? "object-select-symbolic" : "action-unavailable-symbolic",
                                             available,
                                             !on_duty ? "staff-off-duty"
                                               : hg_staff_get_available (staff) ? "staff-available"
                                               : "staff-unavailable"));

  signed_in = hg_staff_get_logged_in (staff) ? _("Signed in") : _("Signed out");
  adw_action_row_add_suffix (row, make_chip (columns ? columns[2] : NULL,
                                             hg_staff_get_logged_in (staff)
                                               ? "avatar-default-symbolic" : "system-log-out-symbolic",
                                             signed_in,
                                             hg_staff_get_logged_in (staff) ? "staff-signed-in"
                                               : "staff-signed-out"));

  /* Translators: a screen reader's description of a person's row:
   * "Cardiology ward. 2 incidents. Available. Signed in." */
  description = g_strdup_printf (_("%s. %s. %s. %s."), place, load, available, signed_in);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  return GTK_WIDGET (row);
}

