/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>

#include "hg-config.h"
#include "hg-server.h"
#include "hg-store.h"

#define DEMO_PASSWORD "password123"

static char *opt_config;
static char *opt_listen;
static char *opt_database;
static gboolean opt_demo;
static gboolean opt_version;

static const GOptionEntry entries[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Read the configuration from FILE", "FILE" },
  { "listen", 'l', 0, G_OPTION_ARG_STRING, &opt_listen, "Listen on HOST:PORT (default 127.0.0.1:8088)", "HOST:PORT" },
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &opt_database, "Keep the data in PATH", "PATH" },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &opt_demo, "Fill an empty database with the demo hospital", NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, "Print the version and exit", NULL },
  { NULL }
};

static gboolean
quit_on_signal (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message ("Stopping");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static HgConfig *
load_config (GError **error)
{
  g_autoptr(HgConfig) config = hg_config_new_default ();

  if (opt_config != NULL && !hg_config_load_file (config, opt_config, error))
    return NULL;
  /* Flags win over the file. */
  if (opt_listen != NULL && !hg_config_set_listen (config, opt_listen, error))
    return NULL;
  if (opt_database != NULL)
    {
      g_free (config->database);
      config->database = g_strdup (opt_database);
    }
  config->demo = opt_demo;
  return g_steal_pointer (&config);
}

static gboolean
fill_demo (HgStore  *store,
           GError  **error)
{
  g_autoptr(GBytes) hospital = NULL;

  if (!hg_store_is_empty (store))
    {
      g_message ("The database already holds data: --demo leaves it as it is");
      return TRUE;
    }
  hospital = g_resources_lookup_data ("/org/healthguard/server/demo/hospital.json", 0, error);
  if (hospital == NULL || !hg_store_load_demo (store, hospital, DEMO_PASSWORD, error))
    return FALSE;
  g_message ("Demo hospital loaded: every demo account's password is “%s”. Never use --demo with real patients.",
             DEMO_PASSWORD);
  return TRUE;
}

static HgStoreSettings
store_settings (const HgConfig *config)
{
  HgStoreSettings settings = { (gint64) config->correlation_window * 1000 };

  memcpy (settings.escalation, config->escalation, sizeof settings.escalation);
  return settings;
}

static int
run (HgConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  HgStoreSettings settings = store_settings (config);
  g_autoptr(HgStore) store = hg_store_open (config->database, &settings, &error);
  g_autoptr(HgServer) server = NULL;

  if (store == NULL || (config->demo && !fill_demo (store, &error)))
    {
      g_printerr ("healthguard-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  server = hg_server_new (config, store);
  if (!hg_server_start (server, &error))
    {
      g_printerr ("healthguard-server: cannot listen on %s:%u: %s\n",
                  config->listen_host, config->listen_port, error->message);
      return EXIT_FAILURE;
    }
  g_unix_signal_add (SIGTERM, quit_on_signal, loop);
  g_unix_signal_add (SIGINT, quit_on_signal, loop);
  g_message ("HealthGuard server %s ready, database %s", PACKAGE_VERSION, config->database);
  g_main_loop_run (loop);

  hg_server_stop (server);
  hg_store_close (store);
  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the HealthGuard incident and alarm server");
  g_autoptr(GError) error = NULL;
  g_autoptr(HgConfig) config = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("healthguard-server: %s\n", error->message);
      return 2;
    }
  if (opt_version)
    {
      g_print ("healthguard-server %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  config = load_config (&error);
  if (config == NULL)
    {
      g_printerr ("healthguard-server: %s\n", error->message);
      return 2;
    }
  return run (config);
}
