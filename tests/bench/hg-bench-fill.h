/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A history of incidents written straight into a server's database, for
 * the benchmarks that need a large one. */

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  /* In. */
  gint64  incidents;      /* incidents to write, each with its alert */
  gint64  events;         /* timeline entries, spread over the incidents */
  /* Out. */
  gint64  now_ms;         /* where the history ends (the fill's clock) */
  gint64  first_id;       /* id of the first incident written; the rest follow */
  gint64  active;         /* incidents not resolved */
  gint64  stream_events;  /* rows of the stream's event log (the last 47 h) */
  gint64  rows;           /* every row written */
  double  seconds;        /* time the fill took */
} HgBenchFill;

/* Writes @fill->incidents incidents, two seconds apart and ending now,
 * into the database @db_path (the schema and the demo hospital already
 * there, the server stopped), through the same triggers as the server's
 * writes, one transaction per 100,000 rows. Alert types, patients (so
 * wards, rooms and beds) and assignees come from the demo data. Each
 * incident is acknowledged, started and resolved after plausible delays,
 * so most are resolved and those of the last hour or so are still active
 * (plus a few forgotten ones). Its timeline holds its share of
 * @fill->events: the lifecycle steps it has reached, then notes. */
gboolean hg_bench_fill         (const char         *db_path,
                                HgBenchFill        *fill,
                                GError            **error);

/* The number of timeline entries hg_bench_fill() gave the @index-th
 * incident (0-based, so the incident @fill->first_id + @index). */
gint64   hg_bench_fill_entries (const HgBenchFill  *fill,
                                gint64              index);

G_END_DECLS
