/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the app's GTest programs share: start GTK and libadwaita the test
 * way, wait on the main loop for something to become true, and save what
 * a window looks like. The programs run under Xvfb inside a private D-Bus
 * session with an unlocked keyring (build-aux/with-keyring; see
 * tests/app/meson.build for the environment). */

#include <adwaita.h>

#include "hg-client.h"

G_BEGIN_DECLS

/* gtk_test_init() then adw_init(): call first in main(). */
void hg_test_app_init       (int         *argc,
                             char      ***argv);

/* Runs the default main context until @cond returns TRUE; fails the test
 * (an assertion, so the program stops there) after @timeout_ms. */
void hg_test_app_wait_for   (gboolean   (*cond) (gpointer data),
                             gpointer     data,
                             guint        timeout_ms);

/* A GAsyncReadyCallback that keeps a reference to the result in
 * *(GAsyncResult **) @user_data; with hg_test_app_is_set(), a test waits
 * for an async call as a person would wait for the screen. */
void     hg_test_app_keep_result (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data);
/* For hg_test_app_wait_for(): TRUE once *(gpointer *) @data is set. */
gboolean hg_test_app_is_set      (gpointer      data);
/* For hg_test_app_wait_for(): TRUE once the GObject @data is held by the
 * test alone, as before g_assert_finalize_object() on something the app's
 * pending work still holds. */
gboolean hg_test_app_only_ours   (gpointer      data);

/* Signs @client in as @staff_id (the demo's password) on the default main
 * context, as the app would from @station; fails the test if it cannot. */
void     hg_test_app_sign_in     (HgClient     *client,
                                  const char   *staff_id,
                                  const char   *station);

/* Saves @widget's window as $HG_SCREENSHOT_DIR/@name.png (build/screenshots/
 * under meson test), after waiting for it to be mapped and drawn. Does
 * nothing but say so when HG_SCREENSHOT_DIR is not set. */
void hg_test_app_screenshot (GtkWidget   *widget,
                             const char  *name);

G_END_DECLS
