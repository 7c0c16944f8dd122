/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Auth"

#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "hg-auth.h"
#include "hg-error.h"

#define TOKEN_BYTES 32

static gboolean
random_bytes (guchar  *buffer,
              gsize    len,
              GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buffer + done, len - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          hg_set_error (error, HG_ERROR_INTERNAL, NULL, NULL,
                        "no random bytes from the system: %s", g_strerror (errno));
          return FALSE;
        }
      done += n;
    }
  return TRUE;
}

char *
hg_auth_hash_password (const char  *password,
                       GError     **error)
{
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  g_autofree struct crypt_data *data = g_new0 (struct crypt_data, 1);
  const char *hash;

  g_return_val_if_fail (password != NULL, NULL);

  /* NULL random bytes: libxcrypt reads the system CSPRNG itself. */
  if (crypt_gensalt_rn ("$y$", 0, NULL, 0, salt, sizeof salt) == NULL)
    {
      hg_set_error (error, HG_ERROR_INTERNAL, NULL, NULL, "cannot make a salt: %s", g_strerror (errno));
      return NULL;
    }
  hash = crypt_rn (password, salt, data, sizeof *data);
  if (hash == NULL || hash[0] == '*')
    {
      hg_set_error (error, HG_ERROR_INTERNAL, NULL, NULL, "cannot hash the password");
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
hg_auth_verify_password (const char *password,
                         const char *hash)
{
  /* A real yescrypt setting, so an unknown id costs the same as a known one. */
  static const char dummy[] = "$y$j9T$c2ydlXhAuM9p6Ok2FfySf0$/aJPcc7o0EUewXy9qCZyO9htBDDUbSgvTuMJ..k4FD6";
  g_autofree struct crypt_data *data = g_new0 (struct crypt_data, 1);
  const char *setting = hash != NULL ? hash : dummy;
  const char *computed;
  gsize len;
  guchar diff = 0;

  if (password == NULL)
    return FALSE;
  computed = crypt_rn (password, setting, data, sizeof *data);
  if (computed == NULL || computed[0] == '*' || hash == NULL)
    return FALSE;
  len = strlen (hash);
  if (strlen (computed) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    diff |= (guchar) computed[i] ^ (guchar) hash[i];
  return diff == 0;
}

void
hg_auth_hash_token (const char *token,
                    guchar      hash[HG_TOKEN_HASH_SIZE])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = HG_TOKEN_HASH_SIZE;

  g_checksum_update (checksum, (const guchar *) token, strlen (token));
  g_checksum_get_digest (checksum, hash, &len);
}

static char *
random_text (GError **error)
{
  guchar bytes[TOKEN_BYTES];
  char *text;

  if (!random_bytes (bytes, sizeof bytes, error))
    return NULL;
  text = g_base64_encode (bytes, sizeof bytes);
  /* URL- and header-safe alphabet, no padding. */
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  g_strdelimit (text, "=", '\0');
  memset (bytes, 0, sizeof bytes);
  return text;
}

char *
hg_auth_new_token (guchar   hash[HG_TOKEN_HASH_SIZE],
                   GError **error)
{
  char *token;

  /* One in 16 million tokens would look like a key: draw again. */
  while ((token = random_text (error)) != NULL && hg_auth_is_integration_key (token))
    g_free (token);
  if (token != NULL)
    hg_auth_hash_token (token, hash);
  return token;
}

char *
hg_auth_new_integration_key (guchar   hash[HG_TOKEN_HASH_SIZE],
                             GError **error)
{
  g_autofree char *random = random_text (error);
  char *key;

  if (random == NULL)
    return NULL;
  key = g_strconcat (HG_INTEGRATION_KEY_PREFIX, random, NULL);
  memset (random, 0, strlen (random));
  hg_auth_hash_token (key, hash);
  return key;
}

gboolean
hg_auth_is_integration_key (const char *token)
{
  return g_str_has_prefix (token, HG_INTEGRATION_KEY_PREFIX);
}

char *
hg_auth_bearer_token (const char *authorization)
{
  const char *value;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;
  value = authorization + 7;
  while (*value == ' ')
    value++;
  if (*value == '\0' || strlen (value) > 512)
    return NULL;
  return g_strdup (value);
}
