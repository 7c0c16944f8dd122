/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Small helpers every benchmark would otherwise write again. */

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* --- Figures ------------------------------------------------------------ */

/* Orders doubles from the smallest up, for g_array_sort(). */
int         hg_bench_compare_doubles (gconstpointer   a,
                                      gconstpointer   b);
/* The rule every benchmark's percentiles use: nearest rank, ceil(@q * @n) clamped to [1, @n]; 0 when @n is 0. */
guint64     hg_bench_rank            (double          q,
                                      guint64         n);
/* The @q quantile (0 to 1) of @sorted, a sorted GArray of doubles, by hg_bench_rank(); 0 when empty. */
double      hg_bench_percentile      (GArray         *sorted,
                                      double          q);
/* The sum of the samples on the lines of @text (Prometheus text) that start with @prefix. */
double      hg_bench_sum_samples     (const char     *text,
                                      const char     *prefix);

/* --- Processes ---------------------------------------------------------- */

/* Raises this process's limit of open files to its hard limit. */
void        hg_bench_raise_fd_limit  (void);
/* @field ("VmRSS:", "VmHWM:") of @process's /proc/PID/status, in kB; -1 when it cannot be read. */
gint64      hg_bench_process_kb      (GSubprocess    *process,
                                      const char     *field);

/* The CPU time (user + system) process @pid has used, in µs, from
 * /proc/PID/stat; -1 when it cannot be read. */
gint64      hg_bench_process_cpu_us  (int             pid);

/* --- Requests ----------------------------------------------------------- */

/* Sends @method @base@path with JSON @body (and @token if set), waits: the object answered @expected, or NULL. */
JsonObject *hg_bench_request_json    (SoupSession    *session,
                                      const char     *base,
                                      const char     *method,
                                      const char     *path,
                                      const char     *token,
                                      const char     *body,
                                      guint           expected,
                                      GError        **error);
/* Signs in to @base as the demo staff member @staff_id: the session's token, or NULL and @error. */
char       *hg_bench_login           (SoupSession    *session,
                                      const char     *base,
                                      const char     *staff_id,
                                      GError        **error);

G_END_DECLS
