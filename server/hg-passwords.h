/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HG_PASSWORD_MIN_LEN 8
#define HG_PASSWORD_MAX_LEN 128

/* The password policy for passwords set through the API and
 * --create-admin: 8 to 128 characters, and none of the most common
 * passwords (in any case). Fails with HG_ERROR_INVALID, field "password":
 * "password_too_short", "password_too_long" or "weak_password". */
gboolean  hg_password_check_policy (const char  *password,
                                    GError     **error);
/* TRUE when @password is on the built-in list, in any case. */
gboolean  hg_password_is_common    (const char  *password);

G_END_DECLS
