/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The app's preferences, bound to its GSettings (org.healthguard.Ops):
 * station or personal mode, the station's ward, desktop notifications and
 * the alarm volume. Every change takes effect at once. */

#include <adwaita.h>

G_BEGIN_DECLS

#define HG_TYPE_PREFERENCES_WINDOW (hg_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (HgPreferencesWindow, hg_preferences_window, HG, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *hg_preferences_window_new (GtkWindow *parent,
                                      GSettings *settings);

G_END_DECLS
