/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the benchmarks that start a real healthguard-server share. */

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  GSubprocess *process;
  char        *base;     /* "http://127.0.0.1:PORT" */
} HgBenchServer;

/* Starts @binary with the demo hospital on @db and port 0, and waits for
 * its "Listening on" line. */
gboolean hg_bench_server_start (HgBenchServer  *server,
                                const char     *binary,
                                const char     *db,
                                GError        **error);
/* SIGTERM, then waits; the server may be started again. */
void     hg_bench_server_stop  (HgBenchServer  *server);
/* SIGKILL (no clean shutdown: a crash), then waits; the server may be
 * started again. */
void     hg_bench_server_kill  (HgBenchServer  *server);

/* Runs @sql on the database file @db_path (outside the server). */
gboolean hg_bench_sql          (const char     *db_path,
                                const char     *sql,
                                GError        **error);

G_END_DECLS
