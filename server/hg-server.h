/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "hg-config.h"
#include "hg-store.h"

G_BEGIN_DECLS

#define HG_TYPE_SERVER (hg_server_get_type ())
G_DECLARE_FINAL_TYPE (HgServer, hg_server, HG, SERVER, GObject)

/* @config must outlive the server. Everything runs on the thread-default
 * main context of the caller. */
HgServer *hg_server_new      (const HgConfig  *config,
                              HgStore         *store);
gboolean  hg_server_start    (HgServer        *self,
                              GError         **error);
void      hg_server_stop     (HgServer        *self);
/* The port actually bound (useful with port 0). */
guint     hg_server_get_port (HgServer        *self);

/* The route table, for tests that must cover every route ("{}" stands for
 * one path segment). */
typedef struct {
  const char *method;
  const char *pattern;
  gboolean    needs_token;
} HgRouteInfo;

const HgRouteInfo *hg_server_get_routes (guint *n_routes);

G_END_DECLS
