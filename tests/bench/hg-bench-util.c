/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Bench"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "hg-bench-util.h"

/* --- Figures ------------------------------------------------------------ */

int
hg_bench_compare_doubles (gconstpointer a,
                          gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest rank, the one rule for every percentile the benchmarks print
 * (hg-bench-load's histogram too): the @q quantile of @n samples is the
 * ceil(@q * @n)-th smallest, so p99 of 100 samples is the 99th, p50 of 4
 * the 2nd, and max (@q = 1) the last. The fraction added is a hair short
 * of one, so that a product that lands a rounding error above a whole
 * number (0.07 * 100 is 7.000000000000001) is not taken for the next
 * rank. */
guint64
hg_bench_rank (double  q,
               guint64 n)
{
  guint64 rank;

  if (n == 0)
    return 0;
  rank = (guint64) (q * n + 0.999999);
  return CLAMP (rank, 1, n);
}

double
hg_bench_percentile (GArray *sorted,
                     double  q)
{
  if (sorted->len == 0)
    return 0;
  return g_array_index (sorted, double, hg_bench_rank (q, sorted->len) - 1);
}

double
hg_bench_sum_samples (const char *text,
                      const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  double sum = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      sum += g_ascii_strtod (strrchr (lines[i], ' ') + 1, NULL);
  return sum;
}

/* --- Processes ---------------------------------------------------------- */

void
hg_bench_raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

/* "VmRSS:   123456 kB" → 123456. */
gint64
hg_bench_process_kb (GSubprocess *process,
                     const char  *field)
{
  const char *pid = g_subprocess_get_identifier (process);
  g_autofree char *path = NULL;
  g_autofree char *status = NULL;
  const char *at;

  /* No identifier: the process has exited and been reaped. */
  if (pid == NULL)
    return -1;
  path = g_strdup_printf ("/proc/%s/status", pid);
  if (!g_file_get_contents (path, &status, NULL, NULL) || (at = strstr (status, field)) == NULL)
    return -1;
  return g_ascii_strtoll (at + strlen (field), NULL, 10);
}

gint64
hg_bench_process_cpu_us (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;
  long ticks = sysconf (_SC_CLK_TCK);

  /* The name, in parentheses, may hold spaces: count fields after it. */
  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after_name = strrchr (stat, ')')) == NULL ||
      ticks <= 0)
    return -1;
  fields = g_strsplit (after_name + 2, " ", 0);
  /* utime and stime are fields 14 and 15 of the line, 12 and 13 here. */
  if (g_strv_length (fields) < 14)
    return -1;
  return (g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10)) *
         G_USEC_PER_SEC / ticks;
}

/* --- Requests ----------------------------------------------------------- */

JsonObject *
hg_bench_request_json (SoupSession  *session,
                       const char   *base,
                       const char   *method,
                       const char   *path,
                       const char   *token,
                       const char   *body,
                       guint         expected,
                       GError      **error)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad URL %s", url);
      return NULL;
    }
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  answer = soup_session_send_and_read (session, msg, NULL, error);
  if (answer == NULL)
    return NULL;
  if (soup_message_get_status (msg) != expected ||
      !json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s answered %u: %.*s", method, path,
                   soup_message_get_status (msg), (int) MIN (g_bytes_get_size (answer), 200),
                   (const char *) g_bytes_get_data (answer, NULL));
      return NULL;
    }
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

char *
hg_bench_login (SoupSession  *session,
                const char   *base,
                const char   *staff_id,
                GError      **error)
{
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"%s\", \"password\": \"password123\","
                                           " \"station\": \"bench\"}", staff_id);
  g_autoptr(JsonObject) answer = hg_bench_request_json (session, base, "POST", "/api/v1/auth/login", NULL,
                                                        body, SOUP_STATUS_OK, error);
  const char *token;

  if (answer == NULL)
    return NULL;
  token = json_object_get_string_member_with_default (answer, "token", NULL);
  if (token == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "signing in as %s gave no token", staff_id);
  return g_strdup (token);
}
