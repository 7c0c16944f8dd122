/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard"

#include "config.h"

#include "hg-a11y.h"

void
hg_a11y_fix_mnemonic_button (GtkButton *button)
{
  g_return_if_fail (GTK_IS_BUTTON (button));

  if (gtk_button_get_use_underline (button) && gtk_button_get_label (button) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

void
hg_a11y_fix_mnemonic_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root))
    hg_a11y_fix_mnemonic_button (GTK_BUTTON (root));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    hg_a11y_fix_mnemonic_buttons (child);
}

void
hg_a11y_set_button_label (GtkButton  *button,
                          const char *label)
{
  gtk_button_set_label (button, label);
  hg_a11y_fix_mnemonic_button (button);
}
