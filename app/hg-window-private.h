/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What hg-window.c and hg-window-actions.c share. */

#include "hg-window.h"

G_BEGIN_DECLS

/* hg-window-actions.c: win.preferences, win.show-page (Alt+1 … Alt+4),
 * the notification bell, desktop notifications and station mode. */
void hg_window_class_add_actions   (GtkWidgetClass *widget_class);
/* After gtk_widget_init_template(). */
void hg_window_actions_init        (HgWindow       *self);
/* Whenever the window's client changes (NULL at sign-out). */
void hg_window_actions_set_client  (HgWindow       *self,
                                    HgClient       *client);

G_END_DECLS
