/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connections must not outlive their clients: the server runs for months. */
#include "config.h"

#include "hg-test-server.h"

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
one_client (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

/* Each client sends a request and goes away, as a monitor posting an
 * alert would. Debian 12's libsoup kept every such connection (and its
 * socket) forever when it was left idle in keep-alive. */
static void
test_clients_leave_nothing (void)
{
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autofree char *url = hg_test_server_url (ts, "/health");
  guint before, after;

  one_client (url);
  g_usleep (100 * 1000);
  before = count_fds ();
  for (guint i = 0; i < 300; i++)
    one_client (url);
  /* The server's loop runs on its own thread: give it time to close. */
  for (guint tries = 0; tries < 50 && count_fds () > before + 5; tries++)
    g_usleep (20 * 1000);
  after = count_fds ();
  g_test_message ("open descriptors: %u before, %u after 300 clients", before, after);
  g_assert_cmpuint (after, <=, before + 5);
  hg_test_server_stop (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/connections/clients-leave-nothing", test_clients_leave_nothing);
  return g_test_run ();
}
