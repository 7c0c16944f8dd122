/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Auth"

#include "config.h"

#include <string.h>

#include "hg-error.h"
#include "hg-passwords.h"

/* The most used passwords of 8 characters or more, from public breach
 * lists (SecLists' top lists, NCSC's 100,000 most breached, the yearly
 * vendor rankings), plus the obvious ones for a hospital and for this
 * program. Anything shorter is refused by length already. Lower case: the
 * comparison ignores case, since "Password123" is no better a guess. */
static const char *const common[] = {
  "password", "password1", "password12", "password123", "password1234",
  "password!", "password1!", "passw0rd", "p@ssw0rd", "p@ssword",
  "p@ssword1", "1password", "12345678", "123456789", "1234567890",
  "12345678910", "0123456789", "11111111", "00000000", "88888888",
  "87654321", "987654321", "123123123", "11223344", "12341234",
  "123456789a", "12345678a", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y",
  "1qaz2wsx", "1qazxsw2", "1qaz@wsx", "qwertyui", "qwertyuiop",
  "qwerty123", "qwerty12", "qwerty1234", "qwerty123456", "asdfghjk",
  "asdfghjkl", "zxcvbnm1", "zxcvbnm123", "zaq12wsx", "zaq1zaq1",
  "q1w2e3r4", "q1w2e3r4t5", "qweasdzxc", "123qweasd", "123qweasdzxc",
  "1234qwer", "12qwaszx", "qwe12345", "asd12345", "abcd1234",
  "abc12345", "abcdefgh", "aa123456", "a1b2c3d4", "iloveyou",
  "iloveyou1", "sunshine", "sunshine1", "princess", "princess1",
  "football", "football1", "baseball", "basketball", "superman",
  "starwars", "trustno1", "welcome1", "welcome123", "letmein1",
  "letmein123", "computer", "michelle", "jennifer", "whatever",
  "changeme", "changeme1", "administrator", "admin123", "admin1234",
  "adminadmin", "rootroot", "passpass", "secret123", "login123",
  "master123", "monkey123", "dragon123", "hello123", "liverpool",
  "chocolate", "butterfly", "hospital", "hospital1", "healthguard",
};

gboolean
hg_password_is_common (const char *password)
{
  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    if (g_ascii_strcasecmp (password, common[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
hg_password_check_policy (const char  *password,
                          GError     **error)
{
  glong len;

  g_return_val_if_fail (password != NULL, FALSE);

  if (!g_utf8_validate (password, -1, NULL))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "password", "the password is not valid UTF-8");
      return FALSE;
    }
  /* Characters, not bytes: a passphrase in any script counts the same. */
  len = g_utf8_strlen (password, -1);
  if (len < HG_PASSWORD_MIN_LEN)
    {
      hg_set_error (error, HG_ERROR_INVALID, "password_too_short", "password",
                    "the password needs at least %d characters", HG_PASSWORD_MIN_LEN);
      return FALSE;
    }
  if (len > HG_PASSWORD_MAX_LEN)
    {
      hg_set_error (error, HG_ERROR_INVALID, "password_too_long", "password",
                    "the password may have at most %d characters", HG_PASSWORD_MAX_LEN);
      return FALSE;
    }
  if (hg_password_is_common (password))
    {
      hg_set_error (error, HG_ERROR_INVALID, "weak_password", "password",
                    "this password is one of the most common ones: choose another");
      return FALSE;
    }
  return TRUE;
}
