/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hg-credentials against a real secret service: the gnome-keyring that
 * build-aux/with-keyring starts, unlocked, in the test's own D-Bus
 * session. */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include <unistd.h>

#include "hg-credentials.h"
#include "hg-test-app.h"

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  hg_test_app_wait_for (hg_test_app_is_set, slot, 10000);
  return *slot;
}

static void
store (const char *server,
       const char *staff_id,
       const char *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hg_credentials_store_async (server, staff_id, password, NULL, hg_test_app_keep_result, &result);
  g_assert_true (hg_credentials_store_finish (wait_result (&result), &error));
  g_assert_no_error (error);
}

/* The password, or NULL; asserts the keyring answered. */
static char *
lookup (const char *server,
        const char *staff_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret, *password;

  hg_credentials_lookup_async (server, staff_id, NULL, hg_test_app_keep_result, &result);
  secret = hg_credentials_lookup_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  password = g_strdup (secret);
  secret_password_free (secret);
  return password;
}

static void
clear (const char *server,
       const char *staff_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hg_credentials_clear_async (server, staff_id, NULL, hg_test_app_keep_result, &result);
  g_assert_true (hg_credentials_clear_finish (wait_result (&result), &error));
  g_assert_no_error (error);
}

/* A server of its own per run: a keyring shared with other runs (a
 * developer's) never answers for this one. */
static char *
test_server (void)
{
  return g_strdup_printf ("https://credentials-%d.test.invalid:8443", (int) getpid ());
}

static void
test_round_trip (void)
{
  g_autofree char *server = test_server ();
  g_autofree char *found = NULL;
  g_autofree char *other = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *gone = NULL;

  store (server, "N01", "correct horse battery staple");
  found = lookup (server, "N01");
  g_assert_cmpstr (found, ==, "correct horse battery staple");

  /* Attributes match exactly: another staff id, or the same one on
   * another server, finds nothing. */
  other = lookup (server, "N02");
  g_assert_null (other);
  elsewhere = lookup ("https://elsewhere.test.invalid", "N01");
  g_assert_null (elsewhere);

  clear (server, "N01");
  gone = lookup (server, "N01");
  g_assert_null (gone);
}

static void
test_store_replaces (void)
{
  g_autofree char *server = test_server ();
  g_autofree char *found = NULL;
  g_autofree char *gone = NULL;

  store (server, "N03", "first");
  store (server, "N03", "second");
  found = lookup (server, "N03");
  g_assert_cmpstr (found, ==, "second");

  clear (server, "N03");
  gone = lookup (server, "N03");
  g_assert_null (gone);
}

static void
test_clear_nothing (void)
{
  g_autofree char *server = test_server ();

  /* Forgetting what was never kept is not an error (a sign-out does it). */
  clear (server, "N04");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/credentials/round-trip", test_round_trip);
  g_test_add_func ("/app/credentials/store-replaces", test_store_replaces);
  g_test_add_func ("/app/credentials/clear-nothing", test_clear_nothing);
  return g_test_run ();
}
