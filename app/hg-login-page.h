/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hg-client.h"

G_BEGIN_DECLS

#define HG_TYPE_LOGIN_PAGE (hg_login_page_get_type ())
G_DECLARE_FINAL_TYPE (HgLoginPage, hg_login_page, HG, LOGIN_PAGE, AdwBin)

/* Fills the form and signs in, as the Sign In button does (the app's
 * hidden --demo-login option uses it). */
void hg_login_page_sign_in (HgLoginPage *self,
                            const char  *server,
                            const char  *staff_id,
                            const char  *password);
/* Tries the remembered password again, as at start, unless someone is
 * signed in (the window does while it shows the last board because the
 * server could not be reached). */
void hg_login_page_retry_remembered (HgLoginPage *self);
/* Back to an empty form after a sign-out; with @forget, the remembered
 * credentials are forgotten too. */
void hg_login_page_reset (HgLoginPage *self,
                          gboolean     forget);

G_END_DECLS
