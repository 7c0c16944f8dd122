/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HG_TOKEN_HASH_SIZE 32
#define HG_INTEGRATION_KEY_PREFIX "hgk_"

/* A yescrypt hash (libxcrypt) with a fresh salt from the system CSPRNG. */
char     *hg_auth_hash_password   (const char  *password,
                                   GError     **error);
/* Compares in constant time. With @hash NULL (unknown account) it still
 * spends a hash's worth of time, so the answer does not say which ids exist. */
gboolean  hg_auth_verify_password (const char  *password,
                                   const char  *hash);
/* A new token of 256 random bits (base64url) and its SHA-256. */
char     *hg_auth_new_token       (guchar       hash[HG_TOKEN_HASH_SIZE],
                                   GError     **error);
/* A new integration key: HG_INTEGRATION_KEY_PREFIX then 256 random bits
 * (base64url), and its SHA-256. The prefix makes a leaked key easy to
 * recognise (secret scanners, logs); staff tokens never start with it. */
char     *hg_auth_new_integration_key (guchar   hash[HG_TOKEN_HASH_SIZE],
                                       GError **error);
gboolean  hg_auth_is_integration_key  (const char *token);
void      hg_auth_hash_token      (const char  *token,
                                   guchar       hash[HG_TOKEN_HASH_SIZE]);
/* Reads the Bearer token of an Authorization header value; NULL if none. */
char     *hg_auth_bearer_token    (const char  *authorization);

G_END_DECLS
