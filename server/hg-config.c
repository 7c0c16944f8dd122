/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <string.h>

#include "hg-config.h"
#include "hg-error.h"
#include "hg-protocol.h"

/* Seconds: remind, reassign, alert supervisors, start within. Critical
 * climbs within a minute. */
static const HgEscalationPolicy default_policies[HG_N_SEVERITIES] = {
  [HG_SEVERITY_LOW] = { 900, 1800, 3600, 3600 },
  [HG_SEVERITY_MEDIUM] = { 300, 600, 900, 1800 },
  [HG_SEVERITY_HIGH] = { 60, 180, 300, 900 },
  [HG_SEVERITY_CRITICAL] = { 30, 60, 120, 600 },
};

HgConfig *
hg_config_new_default (void)
{
  HgConfig *config = g_new0 (HgConfig, 1);

  config->listen_host = g_strdup ("127.0.0.1");
  config->listen_port = HG_DEFAULT_PORT;
  config->database = g_build_filename (g_get_user_data_dir (), "healthguard", "server.db", NULL);
  config->correlation_window = HG_DEFAULT_CORRELATION_WINDOW;
  config->token_lifetime = 12 * 3600;
  /* A ward station left alone for an hour signs out; one in use stays
   * signed in for the whole 12-hour shift. */
  config->token_idle_timeout = 3600;
  config->login_failure_window = 5 * 60;
  config->login_failures_per_id = 5;
  config->login_failures_per_address = 20;
  config->ingest_rate_limit = 1000;
  config->event_retention = 48 * 3600;
  config->ping_interval = 15;
  config->drop_after = 45;
  config->idle_timeout = 60;
  config->max_streams_per_token = 8;
  memcpy (config->escalation, default_policies, sizeof default_policies);
  return config;
}

void
hg_config_free (HgConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->listen_host);
  g_free (config->database);
  g_free (config->tls_certificate);
  g_free (config->tls_key);
  g_strfreev (config->allowed_origins);
  g_free (config->metrics_token);
  g_free (config);
}

gboolean
hg_config_set_listen (HgConfig    *config,
                      const char  *listen,
                      GError     **error)
{
  const char *colon = strrchr (listen, ':');
  g_autofree char *host = NULL;
  guint64 port;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, "listen",
                    "“%s” is not HOST:PORT", listen);
      return FALSE;
    }
  host = g_strndup (listen, colon - listen);
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);
      g_free (host);
      host = inner;
    }
  g_free (config->listen_host);
  config->listen_host = host[0] ? g_steal_pointer (&host) : g_strdup ("0.0.0.0");
  config->listen_port = port;
  return TRUE;
}

static gboolean
read_seconds (GKeyFile    *file,
              const char  *group,
              const char  *key,
              guint       *out,
              GError     **error)
{
  g_autofree char *value = g_key_file_get_value (file, group, key, NULL);
  guint64 seconds;

  if (value == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (g_strstrip (value), 10, 1, 7 * 24 * 3600, &seconds, NULL))
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, key,
                    "[%s] %s must be a number of seconds from 1 to 604800", group, key);
      return FALSE;
    }
  *out = seconds;
  return TRUE;
}

static gboolean
replace_string (GKeyFile    *file,
                const char  *group,
                const char  *key,
                char       **out)
{
  g_autofree char *value = g_key_file_get_string (file, group, key, NULL);

  if (value == NULL)
    return FALSE;
  g_free (*out);
  *out = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
read_boolean (GKeyFile    *file,
              const char  *group,
              const char  *key,
              gboolean    *out,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean value;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  value = g_key_file_get_boolean (file, group, key, &local_error);
  if (local_error != NULL)
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, key, "[%s] %s must be true or false", group, key);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
read_count (GKeyFile    *file,
            const char  *group,
            const char  *key,
            guint        max,
            guint       *out,
            GError     **error)
{
  g_autofree char *value = g_key_file_get_value (file, group, key, NULL);
  guint64 number;

  if (value == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (g_strstrip (value), 10, 1, max, &number, NULL))
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, key, "[%s] %s must be a number from 1 to %u",
                    group, key, max);
      return FALSE;
    }
  *out = number;
  return TRUE;
}

/* A browser sends its page's origin as "scheme://host[:port]", lowercase
 * and without a path; an entry in any other form could never match. */
static char *
normalize_origin (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_path (uri)[0] != '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return NULL;
  return g_ascii_strdown (text, -1);
}

static gboolean
read_origins (GKeyFile    *file,
              HgConfig    *config,
              GError     **error)
{
  g_auto(GStrv) list = g_key_file_get_string_list (file, "server", "allowed_origins", NULL, NULL);
  g_autoptr(GStrvBuilder) origins = g_strv_builder_new ();

  if (list == NULL)
    return TRUE;
  for (guint i = 0; list[i] != NULL; i++)
    {
      g_autofree char *origin = normalize_origin (g_strstrip (list[i]));

      if (list[i][0] == '\0')
        continue;
      if (origin == NULL)
        {
          hg_set_error (error, HG_ERROR_INVALID, NULL, "allowed_origins",
                        "[server] allowed_origins: “%s” is not an origin like https://ward.example.org",
                        list[i]);
          return FALSE;
        }
      g_strv_builder_add (origins, origin);
    }
  g_strfreev (config->allowed_origins);
  config->allowed_origins = g_strv_builder_end (origins);
  return TRUE;
}

static gboolean
check_keys (GKeyFile           *file,
            const char         *group,
            const char *const  *allowed,
            GError            **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (allowed, keys[i]))
      {
        hg_set_error (error, HG_ERROR_INVALID, NULL, keys[i],
                      "unknown key “%s” in [%s]", keys[i], group);
        return FALSE;
      }
  return TRUE;
}

static gboolean
load_server_group (HgConfig  *config,
                   GKeyFile  *file,
                   GError   **error)
{
  static const char *const keys[] = {
    "listen", "database", "tls_certificate", "tls_key", "metrics_token",
    "correlation_window", "token_lifetime", "event_retention", "websocket_ping_interval",
    "websocket_drop_after", "allow_plain_http", "allowed_origins", "max_streams_per_token",
    "token_idle_timeout", "login_failure_window", "login_failures_per_id", "login_failures_per_address",
    "ingest_rate_limit", "idle_timeout", NULL
  };
  g_autofree char *listen = g_key_file_get_string (file, "server", "listen", NULL);

  if (!check_keys (file, "server", keys, error))
    return FALSE;
  if (listen != NULL && !hg_config_set_listen (config, listen, error))
    return FALSE;
  replace_string (file, "server", "database", &config->database);
  replace_string (file, "server", "tls_certificate", &config->tls_certificate);
  replace_string (file, "server", "tls_key", &config->tls_key);
  replace_string (file, "server", "metrics_token", &config->metrics_token);
  if (!read_seconds (file, "server", "correlation_window", &config->correlation_window, error) ||
      !read_seconds (file, "server", "token_lifetime", &config->token_lifetime, error) ||
      !read_seconds (file, "server", "event_retention", &config->event_retention, error) ||
      !read_seconds (file, "server", "websocket_ping_interval", &config->ping_interval, error) ||
      !read_seconds (file, "server", "websocket_drop_after", &config->drop_after, error) ||
      !read_boolean (file, "server", "allow_plain_http", &config->allow_plain_http, error) ||
      !read_origins (file, config, error) ||
      !read_count (file, "server", "max_streams_per_token", 1000, &config->max_streams_per_token, error) ||
      !read_seconds (file, "server", "token_idle_timeout", &config->token_idle_timeout, error) ||
      !read_seconds (file, "server", "login_failure_window", &config->login_failure_window, error) ||
      !read_count (file, "server", "login_failures_per_id", 1000, &config->login_failures_per_id, error) ||
      !read_count (file, "server", "login_failures_per_address", 100000,
                   &config->login_failures_per_address, error) ||
      !read_count (file, "server", "ingest_rate_limit", 1000000, &config->ingest_rate_limit, error) ||
      !read_seconds (file, "server", "idle_timeout", &config->idle_timeout, error))
    return FALSE;
  /* A nurse's screen that was off over a night shift must still resume. */
  if (config->event_retention < 24 * 3600)
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, "event_retention",
                    "[server] event_retention must be at least 86400 (a day)");
      return FALSE;
    }
  if (config->drop_after < config->ping_interval)
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, "websocket_drop_after",
                    "[server] websocket_drop_after must not be shorter than websocket_ping_interval");
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_escalation_group (HgConfig    *config,
                       GKeyFile    *file,
                       const char  *group,
                       GError     **error)
{
  static const char *const keys[] = {
    "remind_after", "reassign_after", "alert_supervisors_after", "start_within", NULL
  };
  HgSeverity severity;
  HgEscalationPolicy *policy;

  if (!hg_severity_from_string (group + strlen ("escalation."), &severity))
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, NULL,
                    "unknown group [%s]: the severities are critical, high, medium and low", group);
      return FALSE;
    }
  policy = &config->escalation[severity];
  return check_keys (file, group, keys, error) &&
         read_seconds (file, group, "remind_after", &policy->remind_after, error) &&
         read_seconds (file, group, "reassign_after", &policy->reassign_after, error) &&
         read_seconds (file, group, "alert_supervisors_after", &policy->alert_supervisors_after, error) &&
         read_seconds (file, group, "start_within", &policy->start_within, error);
}

gboolean
hg_config_load_file (HgConfig    *config,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    return FALSE;
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      gboolean ok;

      if (g_str_equal (groups[i], "server"))
        ok = load_server_group (config, file, error);
      else if (g_str_has_prefix (groups[i], "escalation."))
        ok = load_escalation_group (config, file, groups[i], error);
      else
        {
          hg_set_error (error, HG_ERROR_INVALID, NULL, NULL, "unknown group [%s]", groups[i]);
          ok = FALSE;
        }
      if (!ok)
        {
          g_prefix_error (error, "%s: ", path);
          return FALSE;
        }
    }
  return TRUE;
}
