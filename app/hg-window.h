/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hg-application.h"
#include "hg-client.h"

G_BEGIN_DECLS

#define HG_TYPE_WINDOW (hg_window_get_type ())
G_DECLARE_FINAL_TYPE (HgWindow, hg_window, HG, WINDOW, AdwApplicationWindow)

HgWindow *hg_window_new        (HgApplication *app);
/* NULL until someone has signed in. */
HgClient *hg_window_get_client (HgWindow      *self);
/* A short message at the bottom of the window. */
void      hg_window_toast      (HgWindow      *self,
                                const char    *message);
/* Shows the incident on the board (or on My Incidents), opened in its
 * pane; says so when it is no longer active. (hg-window-actions.c) */
void      hg_window_show_incident (HgWindow   *self,
                                   gint64      incident_id);

G_END_DECLS
