/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8 names a button whose label has a mnemonic twice over: by the
 * label property it sets ("_Start") and again by the label inside it
 * ("Start"), so a screen reader says "_Start Start". These drop the
 * property; the name is then the label's text, as a person reads it. */
void hg_a11y_fix_mnemonic_button  (GtkButton *button);
/* Every button with a mnemonic under @root (@root included). */
void hg_a11y_fix_mnemonic_buttons (GtkWidget *root);
/* gtk_button_set_label() and the fix in one. */
void hg_a11y_set_button_label     (GtkButton  *button,
                                   const char *label);

G_END_DECLS
