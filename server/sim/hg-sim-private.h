/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What hg-sim.c shares with hg-sim-summary.c. */

#include "hg-sim.h"

G_BEGIN_DECLS

struct _HgSim {
  GObject             parent_instance;

  char               *scenario;
  HgSimOptions        options;
  char               *base;          /* the server's URL, without a final "/" */
  char               *run_id;
  SoupSession        *session;
  GMainLoop          *loop;
  HgSimScenarioFunc   start;
  int                 exit_status;
  gboolean            ending;
  gint64              started_us;    /* monotonic */
  gint64              started_ms;    /* wall clock */

  char               *token;         /* the --staff session */
  JsonObject         *staff;
  char               *admin_token;   /* for a key made with --new-key */
  char               *key;           /* what alerts are posted with, if a key */
  gint64              key_id;        /* the key made for this run, 0 if none */
  GHashTable         *sessions;      /* staff id → token */
  GPtrArray          *tokens;        /* every session opened, to end them */
  guint               pending_logouts;

  GHashTable         *incidents;     /* gint64 * → JsonObject */
  GHashTable         *seen_entries;  /* gint64 * timeline entry ids printed */
  GPtrArray          *summary_lines;
  guint               alerts_posted;
  guint               alerts_deduplicated;
  guint               alerts_ended;

  gboolean            watching;
  guint               watch_pending;
};

/* Prints the summary (fetching every tracked incident again, and the
 * server's own figures), then calls @callback. */
void     hg_sim_summarize_async  (HgSim               *self,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gboolean hg_sim_summarize_finish (HgSim               *self,
                                  GAsyncResult        *result,
                                  GError             **error);

/* Sorted ids of the tracked incidents. */
GArray  *hg_sim_tracked_ids      (HgSim               *self);

G_END_DECLS
