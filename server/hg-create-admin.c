/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hg-auth.h"
#include "hg-create-admin.h"
#include "hg-error.h"
#include "hg-passwords.h"
#include "hg-store.h"

/* Longer than any allowed password in any script (128 characters). */
#define MAX_LINE 1024

/* The first line, without its end; NULL when there is none. A line
 * longer than MAX_LINE is cut there, and the policy refuses it. */
static char *
read_first_line (int      input,
                 GError **error)
{
  char buffer[MAX_LINE + 1];
  gsize len = 0;
  char *end, *line;

  while (len < sizeof buffer - 1)
    {
      gssize n = read (input, buffer + len, sizeof buffer - 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          hg_set_error (error, HG_ERROR_INVALID, NULL, NULL, "cannot read standard input: %s",
                        g_strerror (errno));
          memset (buffer, 0, sizeof buffer);
          return NULL;
        }
      if (n == 0)
        break;
      len += n;
      if (memchr (buffer, '\n', len) != NULL)
        break;
    }
  buffer[len] = '\0';
  end = strpbrk (buffer, "\r\n");
  if (end != NULL)
    *end = '\0';
  line = buffer[0] != '\0' ? g_strdup (buffer) : NULL;
  memset (buffer, 0, sizeof buffer);
  return line;
}

static gboolean
is_staff_id (const char *id)
{
  gsize len = strlen (id);

  if (len < 2 || len > 16 || !g_ascii_isupper (id[0]))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_isupper (id[i]) && !g_ascii_isdigit (id[i]))
      return FALSE;
  return TRUE;
}

static void
wipe (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

/* The password's hash, or NULL after saying why on standard error. */
static char *
read_password_hash (int  input,
                    int *out_status)
{
  g_autoptr(GError) error = NULL;
  char *password = read_first_line (input, &error);
  char *hash;

  *out_status = 2;
  if (password == NULL)
    {
      g_printerr ("healthguard-server: no password: write it as the first line of standard input%s%s\n",
                  error ? ": " : "", error ? error->message : "");
      return NULL;
    }
  if (!hg_password_check_policy (password, &error))
    {
      wipe (password);
      g_printerr ("healthguard-server: password refused: %s\n", error->message);
      return NULL;
    }
  hash = hg_auth_hash_password (password, &error);
  wipe (password);
  if (hash == NULL)
    {
      *out_status = EXIT_FAILURE;
      g_printerr ("healthguard-server: %s\n", error->message);
    }
  return hash;
}

int
hg_create_admin_run (const HgConfig *config,
                     const char     *id,
                     int             input)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HgStore) store = NULL;
  char *hash = NULL;
  gboolean created = FALSE;
  gboolean ok;
  int status;

  if (!is_staff_id (id))
    {
      g_printerr ("healthguard-server: “%s” is not a staff id: a capital letter then 1 to 15 capitals"
                  " or digits, such as A02\n", id);
      return 2;
    }
  hash = read_password_hash (input, &status);
  if (hash == NULL)
    return status;
  store = hg_store_open (config->database, NULL, &error);
  ok = store != NULL && hg_store_set_admin (store, id, hash, &created, &error);
  wipe (hash);
  if (store != NULL)
    hg_store_close (store);
  if (!ok)
    {
      g_printerr ("healthguard-server: %s\n", error->message);
      return g_error_matches (error, HG_ERROR, HG_ERROR_CONFLICT) ? 2 : EXIT_FAILURE;
    }
  if (created)
    g_printerr ("healthguard-server: admin account %s created in %s\n", id, config->database);
  else
    g_printerr ("healthguard-server: password of admin account %s set in %s; its sessions are signed out\n",
                id, config->database);
  return EXIT_SUCCESS;
}
