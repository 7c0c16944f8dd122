/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <unistd.h>

#include <glib/gstdio.h>

#include "hg-config.h"
#include "hg-error.h"

static char *
write_config (const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("hg-config-XXXXXX.conf", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_defaults (void)
{
  g_autoptr(HgConfig) config = hg_config_new_default ();

  g_assert_cmpstr (config->listen_host, ==, "127.0.0.1");
  g_assert_cmpuint (config->listen_port, ==, 8088);
  g_assert_true (g_str_has_suffix (config->database, "/healthguard/server.db"));
  g_assert_cmpuint (config->correlation_window, ==, 300);
  /* Critical must climb within a minute. */
  g_assert_cmpuint (config->escalation[HG_SEVERITY_CRITICAL].reassign_after, <=, 60);
  /* Safe by default: no plain HTTP off loopback, no browser origins. */
  g_assert_null (config->tls_certificate);
  g_assert_false (config->allow_plain_http);
  g_assert_null (config->allowed_origins);
  g_assert_cmpuint (config->max_streams_per_token, ==, 8);
}

static void
test_example_loads (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "server.conf.example", NULL);
  g_autoptr(HgConfig) config = hg_config_new_default ();
  g_autoptr(GError) error = NULL;

  hg_config_load_file (config, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->database, ==, "/var/lib/healthguard/server.db");
  g_assert_cmpuint (config->escalation[HG_SEVERITY_CRITICAL].remind_after, ==, 30);
  g_assert_cmpuint (config->escalation[HG_SEVERITY_LOW].start_within, >, 0);
}

static void
test_values (void)
{
  g_autofree char *path = write_config ("[server]\nlisten=[::1]:9000\ncorrelation_window=60\n"
                                        "[escalation.high]\nremind_after=45\n");
  g_autoptr(HgConfig) config = hg_config_new_default ();
  g_autoptr(GError) error = NULL;

  hg_config_load_file (config, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->listen_host, ==, "::1");
  g_assert_cmpuint (config->listen_port, ==, 9000);
  g_assert_cmpuint (config->correlation_window, ==, 60);
  g_assert_cmpuint (config->escalation[HG_SEVERITY_HIGH].remind_after, ==, 45);
  g_unlink (path);
}

static void
test_refused (void)
{
  static const char *const bad[] = {
    "[server]\nlisten=nowhere\n",
    "[server]\nlisten=127.0.0.1:99999\n",
    "[server]\ncorelation_window=60\n",        /* a typo must not pass silently */
    "[server]\ncorrelation_window=-5\n",
    "[server]\ncorrelation_window=soon\n",
    "[escalation.urgent]\nremind_after=30\n",
    "[escalation.critical]\nremind=30\n",
    "[database]\npath=/tmp/x\n",
    "not a key file",
    "[server]\nallow_plain_http=maybe\n",
    "[server]\nallowed_origins=ward.example.org\n",
    "[server]\nallowed_origins=https://ward.example.org/\n",
    "[server]\nallowed_origins=https://ward.example.org/app\n",
    "[server]\nallowed_origins=ftp://ward.example.org\n",
    "[server]\nallowed_origins=*\n",
    "[server]\nmax_streams_per_token=0\n",
    "[server]\nmax_streams_per_token=many\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = write_config (bad[i]);
      g_autoptr(HgConfig) config = hg_config_new_default ();
      g_autoptr(GError) error = NULL;

      g_test_message ("refusing: %s", bad[i]);
      g_assert_false (hg_config_load_file (config, path, &error));
      g_assert_nonnull (error);
      g_unlink (path);
    }
}

static void
test_transport_values (void)
{
  g_autofree char *path = write_config ("[server]\ntls_certificate=/etc/hg/tls.crt\ntls_key=/etc/hg/tls.key\n"
                                        "allow_plain_http=true\nmax_streams_per_token=2\n"
                                        "allowed_origins=https://Ward.Example.org;http://localhost:8080;\n");
  g_autoptr(HgConfig) config = hg_config_new_default ();
  g_autoptr(GError) error = NULL;

  hg_config_load_file (config, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->tls_certificate, ==, "/etc/hg/tls.crt");
  g_assert_cmpstr (config->tls_key, ==, "/etc/hg/tls.key");
  g_assert_true (config->allow_plain_http);
  g_assert_cmpuint (config->max_streams_per_token, ==, 2);
  /* Kept as browsers write them: lowercase. */
  g_assert_cmpuint (g_strv_length (config->allowed_origins), ==, 2);
  g_assert_cmpstr (config->allowed_origins[0], ==, "https://ward.example.org");
  g_assert_cmpstr (config->allowed_origins[1], ==, "http://localhost:8080");
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/config/defaults", test_defaults);
  g_test_add_func ("/server/config/example-loads", test_example_loads);
  g_test_add_func ("/server/config/values", test_values);
  g_test_add_func ("/server/config/refused", test_refused);
  g_test_add_func ("/server/config/transport-values", test_transport_values);
  return g_test_run ();
}
