/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "hg-audit-verify.h"
#include "hg-backup.h"
#include "hg-config.h"
#include "hg-create-admin.h"
#include "hg-listener.h"
#include "hg-server.h"
#include "hg-store.h"

#define DEMO_PASSWORD "password123"

static char *opt_config;
static char *opt_listen;
static char *opt_database;
static char *opt_tls_certificate;
static char *opt_tls_key;
static gboolean opt_demo;
static char *opt_create_admin;
static gboolean opt_version;
static gboolean opt_verify_audit;
static char *opt_backup;

static const GOptionEntry entries[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Read the configuration from FILE", "FILE" },
  { "listen", 'l', 0, G_OPTION_ARG_STRING, &opt_listen, "Listen on HOST:PORT (default 127.0.0.1:8088)", "HOST:PORT" },
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &opt_database, "Keep the data in PATH", "PATH" },
  { "tls-certificate", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_certificate,
    "Serve HTTPS with the PEM certificate (and chain) in FILE", "FILE" },
  { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_key, "The certificate's PEM private key", "FILE" },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &opt_demo, "Fill an empty database with the demo hospital", NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, "Print the version and exit", NULL },
  { "create-admin", 0, 0, G_OPTION_ARG_STRING, &opt_create_admin,
    "Create the admin account ID, or set its password, from the first line of standard input, and exit", "ID" },
  { "verify-audit", 0, 0, G_OPTION_ARG_NONE, &opt_verify_audit,
    "Check the audit trail's hash chain and exit (0: intact, 1: broken)", NULL },
  { "backup", 0, 0, G_OPTION_ARG_FILENAME, &opt_backup,
    "Copy the database to PATH, also while the server runs, check the copy and exit", "PATH" },
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
  if (opt_tls_certificate != NULL)
    {
      g_free (config->tls_certificate);
      config->tls_certificate = g_strdup (opt_tls_certificate);
    }
  if (opt_tls_key != NULL)
    {
      g_free (config->tls_key);
      config->tls_key = g_strdup (opt_tls_key);
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

/* Reads the database only: opened read-only, no migration, no server. */
static int
verify_audit (const HgConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_auto(HgAuditCheck) check = { 0 };

  if (config->demo)
    {
      g_printerr ("healthguard-server: --verify-audit only reads the database: it takes no --demo\n");
      return 2;
    }
  if (!hg_audit_verify_file (config->database, &check, &error))
    {
      g_printerr ("healthguard-server: %s\n", error->message);
      return 2;
    }
  if (check.broken)
    {
      g_print ("audit chain broken at row %" G_GINT64_FORMAT ": %s\n", check.broken_id, check.reason);
      return EXIT_FAILURE;
    }
  g_print ("audit chain OK: %" G_GINT64_FORMAT " rows\n", check.rows);
  return EXIT_SUCCESS;
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
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HgConfig) config = NULL;

  /* GLib 2.74 (Debian 12) still allocates its small blocks (every JSON
   * node, every hash table of an answer) from GSlice's magazines behind a
   * mutex; plain malloc serialises a page of 500 incidents in 9 ms instead
   * of 16. GLib 2.76 made GSlice plain malloc for the same reason. Before
   * anything allocates; an explicit G_SLICE setting wins. */
  g_setenv ("G_SLICE", "always-malloc", FALSE);
  context = g_option_context_new ("- the HealthGuard incident and alarm server");

  setlocale (LC_ALL, "");
  /* GLib's gnutls backend offers TLS 1.0 and 1.1 on Debian 12, and GIO
   * has no minimum version to set: offer 1.2 and 1.3 only, before any
   * thread or TLS connection exists. An administrator's own setting
   * wins; hg-listener drops anything older than 1.2 whatever it says. */
  g_setenv ("G_TLS_GNUTLS_PRIORITY", "NORMAL:%COMPAT:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2", FALSE);
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
  if (config != NULL && opt_verify_audit)
    return verify_audit (config);
  if (config != NULL && opt_backup != NULL)
    return hg_backup_run (config, opt_backup);
  if (config != NULL && opt_create_admin != NULL)
    return hg_create_admin_run (config, opt_create_admin, STDIN_FILENO);
  /* A transport that cannot be served is a configuration error: say so
   * before the database is even opened. */
  if (config == NULL || !hg_listener_check_config (config, &error))
    {
      g_printerr ("healthguard-server: %s\n", error->message);
      return 2;
    }
  return run (config);
}
