/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "hg-types.h"

G_BEGIN_DECLS

typedef struct {
  guint remind_after;             /* seconds */
  guint reassign_after;
  guint alert_supervisors_after;
  guint start_within;
} HgEscalationPolicy;

typedef struct {
  char               *listen_host;
  guint               listen_port;
  char               *database;
  char               *tls_certificate;
  char               *tls_key;
  gboolean            allow_plain_http;     /* on an address that is not loopback */
  char              **allowed_origins;      /* WebSocket Origins; NULL: none */
  guint               max_streams_per_token;
  char               *metrics_token;
  guint               correlation_window;   /* seconds */
  guint               token_lifetime;       /* seconds */
  guint               token_idle_timeout;   /* seconds without a request that end a session */
  guint               login_failure_window; /* seconds */
  guint               login_failures_per_id;
  guint               login_failures_per_address;
  guint               ingest_rate_limit;    /* alerts a second per integration key */
  guint               event_retention;      /* seconds; at least a day */
  guint               ping_interval;        /* WebSocket pings, seconds */
  guint               drop_after;           /* silent WebSocket clients, seconds */
  guint               idle_timeout;         /* seconds to wait for a request head */
  gboolean            demo;
  HgEscalationPolicy  escalation[HG_N_SEVERITIES];
} HgConfig;

/* The documented defaults: listen 127.0.0.1:8088, the database in
 * $XDG_DATA_HOME/healthguard/server.db. */
HgConfig *hg_config_new_default (void);
void      hg_config_free        (HgConfig    *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgConfig, hg_config_free)

/* Reads a key file over the current values; unknown groups and keys are
 * refused so a typo never silently leaves a default in place. */
gboolean  hg_config_load_file   (HgConfig    *config,
                                 const char  *path,
                                 GError     **error);
/* "HOST:PORT", "[v6]:PORT" or ":PORT". */
gboolean  hg_config_set_listen  (HgConfig    *config,
                                 const char  *listen,
                                 GError     **error);

G_END_DECLS
