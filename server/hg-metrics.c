/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "hg-metrics.h"
#include "hg-types.h"

#define NS "healthguard_"

/* Request latencies: from a fast read to a slow write under load. */
static const double request_bounds[] = {
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};

typedef struct {
  const double *bounds;
  guint         n_bounds;
  guint64      *counts;    /* per bucket, not cumulative; [n_bounds]: above all */
  double        sum;
  guint64       count;
} Histogram;

struct _HgMetrics {
  GHashTable *requests;          /* "method\troute\tcode" -> guint64* */
  GHashTable *durations;         /* route label -> Histogram* */
  GPtrArray  *route_labels;      /* interned, in table order */
  Histogram  *alert_processing;
  gint64      start_time;        /* s since the epoch */
};

static Histogram *
histogram_new (const double *bounds,
               guint         n_bounds)
{
  Histogram *h = g_new0 (Histogram, 1);

  h->bounds = bounds;
  h->n_bounds = n_bounds;
  h->counts = g_new0 (guint64, n_bounds + 1);
  return h;
}

static void
histogram_free (gpointer data)
{
  Histogram *h = data;

  g_free (h->counts);
  g_free (h);
}

static void
histogram_observe (Histogram *h,
                   double     value,
                   guint64    times)
{
  guint i = 0;

  while (i < h->n_bounds && value > h->bounds[i])
    i++;
  h->counts[i] += times;
  h->sum += value * times;
  h->count += times;
}

/* When the kernel started this process, from /proc; now if unknown. */
static gint64
read_start_time (void)
{
  g_autofree char *stat = NULL;
  g_autofree char *sys = NULL;
  const char *p;
  guint64 ticks = 0, boot = 0;
  long hz = sysconf (_SC_CLK_TCK);

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      !g_file_get_contents ("/proc/stat", &sys, NULL, NULL) || hz <= 0)
    return g_get_real_time () / G_USEC_PER_SEC;
  /* Field 22, counted after the command name, which may hold spaces. */
  p = strrchr (stat, ')');
  for (int field = 2; p != NULL && field < 22; field++)
    p = strchr (p + 1, ' ');
  if (p != NULL)
    ticks = g_ascii_strtoull (p + 1, NULL, 10);
  if ((p = strstr (sys, "\nbtime ")) != NULL)
    boot = g_ascii_strtoull (p + 7, NULL, 10);
  if (ticks == 0 || boot == 0)
    return g_get_real_time () / G_USEC_PER_SEC;
  return boot + ticks / hz;
}

const char *
hg_metrics_route_label (const char *pattern)
{
  g_autoptr(GString) label = g_string_new (NULL);
  guint n = 0;

  for (const char *p = pattern; *p != '\0'; p++)
    {
      if (p[0] == '{' && p[1] == '}')
        {
          g_string_append (label, n++ == 0 ? "{id}" : "{action}");
          p++;
        }
      else
        g_string_append_c (label, *p);
    }
  return g_intern_string (label->str);
}

HgMetrics *
hg_metrics_new (const char *const *route_patterns,
                guint              n_routes)
{
  static const double alert_bounds[] = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
  };
  HgMetrics *self = g_new0 (HgMetrics, 1);

  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->durations = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, histogram_free);
  self->route_labels = g_ptr_array_new ();
  for (guint i = 0; i <= n_routes; i++)
    {
      const char *label = i < n_routes ? hg_metrics_route_label (route_patterns[i])
                                       : HG_METRICS_ROUTE_UNMATCHED;

      /* Two methods on one path share a label. */
      if (g_hash_table_contains (self->durations, label))
        continue;
      g_ptr_array_add (self->route_labels, (gpointer) label);
      g_hash_table_insert (self->durations, (gpointer) label,
                           histogram_new (request_bounds, G_N_ELEMENTS (request_bounds)));
    }
  self->alert_processing = histogram_new (alert_bounds, G_N_ELEMENTS (alert_bounds));
  self->start_time = read_start_time ();
  return self;
}

void
hg_metrics_free (HgMetrics *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->requests);
  g_hash_table_unref (self->durations);
  g_ptr_array_unref (self->route_labels);
  histogram_free (self->alert_processing);
  g_free (self);
}

/* A hostile client may send any method: only the ones HTTP defines get a
 * label of their own, so that the series stay few. */
static const char *
method_label (const char *method)
{
  static const char *const known[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    {
      if (g_strcmp0 (method, known[i]) == 0)
        return known[i];
    }
  return "other";
}

void
hg_metrics_observe_request (HgMetrics  *self,
                            const char *method,
                            const char *route_label,
                            guint       status,
                            double      seconds)
{
  g_autofree char *key = NULL;
  guint64 *count;
  Histogram *h;

  g_return_if_fail (self != NULL);

  h = g_hash_table_lookup (self->durations, route_label);
  if (h == NULL)
    {
      route_label = HG_METRICS_ROUTE_UNMATCHED;
      h = g_hash_table_lookup (self->durations, route_label);
    }
  histogram_observe (h, seconds, 1);

  key = g_strdup_printf ("%s\t%s\t%u", method_label (method), route_label, status);
  count = g_hash_table_lookup (self->requests, key);
  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (self->requests, g_steal_pointer (&key), count);
    }
  (*count)++;
}

void
hg_metrics_observe_alerts (HgMetrics *self,
                           guint      n_alerts,
                           double     seconds)
{
  g_return_if_fail (self != NULL);
  histogram_observe (self->alert_processing, seconds, n_alerts);
}

/* --- Writing ---------------------------------------------------------- */

static void
append_escaped (GString    *out,
                const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
}

static void
family (GString    *out,
        const char *name,
        const char *type,
        const char *help)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{k1="v1",k2="v2"} value; labels as NULL-terminated key, value pairs. */
static void
sample (GString    *out,
        const char *name,
        double      value,
        ...)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  const char *key;
  gboolean first = TRUE;
  va_list args;

  g_string_append (out, name);
  va_start (args, value);
  while ((key = va_arg (args, const char *)) != NULL)
    {
      g_string_append (out, first ? "{" : ",");
      g_string_append_printf (out, "%s=\"", key);
      append_escaped (out, va_arg (args, const char *));
      g_string_append_c (out, '"');
      first = FALSE;
    }
  va_end (args);
  if (!first)
    g_string_append_c (out, '}');
  /* 15 digits: what a double holds without the noise of the 17th. */
  g_string_append_printf (out, " %s\n", g_ascii_formatd (number, sizeof number, "%.15g", value));
}

static const char *
bound_text (char   *buf,
            gsize   len,
            double  bound)
{
  return g_ascii_formatd (buf, len, "%g", bound);
}

/* One histogram's series; @label and @value name one label (or NULL). */
static void
histogram_samples (GString         *out,
                   const char      *name,
                   const Histogram *h,
                   const char      *label,
                   const char      *value)
{
  g_autofree char *bucket = g_strconcat (name, "_bucket", NULL);
  g_autofree char *sum = g_strconcat (name, "_sum", NULL);
  g_autofree char *count = g_strconcat (name, "_count", NULL);
  char le[G_ASCII_DTOSTR_BUF_SIZE];
  guint64 cumulative = 0;

  for (guint i = 0; i < h->n_bounds; i++)
    {
      cumulative += h->counts[i];
      bound_text (le, sizeof le, h->bounds[i]);
      if (label != NULL)
        sample (out, bucket, cumulative, label, value, "le", le, NULL);
      else
        sample (out, bucket, cumulative, "le", le, NULL);
    }
  if (label != NULL)
    {
      sample (out, bucket, h->count, label, value, "le", "+Inf", NULL);
      sample (out, sum, h->sum, label, value, NULL);
      sample (out, count, h->count, label, value, NULL);
    }
  else
    {
      sample (out, bucket, h->count, "le", "+Inf", NULL);
      sample (out, sum, h->sum, NULL);
      sample (out, count, h->count, NULL);
    }
}

/* The store's rows by "name\tlabel1\tlabel2". */
typedef struct {
  GHashTable *values;
  GPtrArray  *rows;
} StoreRows;

static gint64
lookup (StoreRows  *rows,
        const char *name,
        const char *label1,
        const char *label2)
{
  g_autofree char *key = g_strdup_printf ("%s\t%s\t%s", name, label1 ? label1 : "", label2 ? label2 : "");
  HgMetricRow *row = g_hash_table_lookup (rows->values, key);

  return row != NULL ? row->value : 0;
}

static void
render_alerts (GString   *out,
               StoreRows *rows)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  family (out, NS "alerts_received_total", "counter", "Alerts received, by severity and alert type.");
  /* Every known type at every severity, then any other counted pair (a
   * type since removed). */
  for (guint i = 0; i < rows->rows->len; i++)
    {
      HgMetricRow *type = rows->rows->pdata[i];

      if (!g_str_equal (type->name, "alert_type"))
        continue;
      for (guint s = 0; s < HG_N_SEVERITIES; s++)
        {
          const char *severity = hg_severity_to_string (s);

          g_hash_table_add (seen, g_strdup_printf ("%s\t%s", severity, type->label1));
          sample (out, NS "alerts_received_total", lookup (rows, "alerts_received", severity, type->label1),
                  "severity", severity, "type", type->label1, NULL);
        }
    }
  for (guint i = 0; i < rows->rows->len; i++)
    {
      HgMetricRow *row = rows->rows->pdata[i];
      g_autofree char *key = NULL;

      if (!g_str_equal (row->name, "alerts_received"))
        continue;
      key = g_strdup_printf ("%s\t%s", row->label1, row->label2);
      if (!g_hash_table_contains (seen, key))
        sample (out, NS "alerts_received_total", row->value, "severity", row->label1, "type", row->label2, NULL);
    }

  family (out, NS "alerts_deduplicated_total", "counter",
          "Alerts that joined an incident already open for the same condition.");
  sample (out, NS "alerts_deduplicated_total", lookup (rows, "alerts_deduplicated", NULL, NULL), NULL);
}

static void
render_incidents (GString   *out,
                  StoreRows *rows)
{
  family (out, NS "incidents_created_total", "counter", "Incidents created, by severity.");
  for (guint s = 0; s < HG_N_SEVERITIES; s++)
    sample (out, NS "incidents_created_total", lookup (rows, "incidents_created", hg_severity_to_string (s), NULL),
            "severity", hg_severity_to_string (s), NULL);

  family (out, NS "incidents", "gauge", "Incidents by status now.");
  for (guint s = 0; s < HG_N_STATUSES; s++)
    sample (out, NS "incidents", lookup (rows, "incidents", hg_incident_status_to_string (s), NULL),
            "status", hg_incident_status_to_string (s), NULL);
}

static int
compare_bucket_rows (gconstpointer a,
                     gconstpointer b)
{
  const HgMetricRow *x = *(HgMetricRow *const *) a;
  const HgMetricRow *y = *(HgMetricRow *const *) b;
  gint64 lx = g_ascii_strtoll (x->label2, NULL, 10);
  gint64 ly = g_ascii_strtoll (y->label2, NULL, 10);

  return lx < ly ? -1 : lx > ly;
}

/* MTTA or MTTR from the store's buckets (bounds in ms). */
static void
render_duration (GString    *out,
                 StoreRows  *rows,
                 const char *which,
                 const char *help)
{
  g_autofree char *name = g_strdup_printf (NS "incident_%s_seconds", which);
  g_autofree char *bucket = g_strconcat (name, "_bucket", NULL);
  g_autofree char *sum = g_strconcat (name, "_sum", NULL);
  g_autofree char *count = g_strconcat (name, "_count", NULL);
  g_autofree char *bucket_row = g_strconcat (which, "_bucket", NULL);
  g_autofree char *sum_row = g_strconcat (which, "_sum_ms", NULL);
  g_autofree char *count_row = g_strconcat (which, "_count", NULL);

  family (out, name, "histogram", help);
  for (guint s = 0; s < HG_N_SEVERITIES; s++)
    {
      const char *severity = hg_severity_to_string (s);
      g_autoptr(GPtrArray) buckets = g_ptr_array_new ();
      gint64 n = lookup (rows, count_row, severity, NULL);

      for (guint i = 0; i < rows->rows->len; i++)
        {
          HgMetricRow *row = rows->rows->pdata[i];

          if (g_str_equal (row->name, bucket_row) && g_str_equal (row->label1, severity))
            g_ptr_array_add (buckets, row);
        }
      g_ptr_array_sort (buckets, compare_bucket_rows);
      for (guint i = 0; i < buckets->len; i++)
        {
          HgMetricRow *row = buckets->pdata[i];
          char le[G_ASCII_DTOSTR_BUF_SIZE];

          bound_text (le, sizeof le, g_ascii_strtoll (row->label2, NULL, 10) / 1000.0);
          sample (out, bucket, row->value, "severity", severity, "le", le, NULL);
        }
      sample (out, bucket, n, "severity", severity, "le", "+Inf", NULL);
      sample (out, sum, lookup (rows, sum_row, severity, NULL) / 1000.0, "severity", severity, NULL);
      sample (out, count, n, "severity", severity, NULL);
    }
}

static void
render_people (GString   *out,
               StoreRows *rows,
               guint      websocket_clients)
{
  static const char *const reasons[] = { "reminder", "reassigned", "supervisors", "start_overdue", "manual" };
  static const char *const kinds[] = { "assigned", "reminder", "escalated", "reassigned", "resolved" };

  family (out, NS "escalations_total", "counter",
          "Escalation steps taken, by incident severity and reason.");
  for (guint s = 0; s < HG_N_SEVERITIES; s++)
    for (gsize r = 0; r < G_N_ELEMENTS (reasons); r++)
      sample (out, NS "escalations_total", lookup (rows, "escalations", hg_severity_to_string (s), reasons[r]),
              "severity", hg_severity_to_string (s), "reason", reasons[r], NULL);

  family (out, NS "notifications_sent_total", "counter", "Notifications sent to staff, by kind.");
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    sample (out, NS "notifications_sent_total", lookup (rows, "notifications_sent", kinds[k], NULL),
            "kind", kinds[k], NULL);

  family (out, NS "websocket_clients", "gauge", "Live event streams connected now.");
  sample (out, NS "websocket_clients", websocket_clients, NULL);

  family (out, NS "staff_on_duty", "gauge", "Enabled staff whose shift is running now, by role.");
  for (guint r = 0; r < HG_N_ROLES; r++)
    sample (out, NS "staff_on_duty", lookup (rows, "staff_on_duty", hg_role_to_string (r), NULL),
            "role", hg_role_to_string (r), NULL);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
render_http (GString   *out,
             HgMetrics *self)
{
  g_autofree const char **keys = NULL;
  guint n_keys;

  family (out, NS "http_requests_total", "counter", "HTTP requests answered, by method, route and status code.");
  keys = (const char **) g_hash_table_get_keys_as_array (self->requests, &n_keys);
  qsort (keys, n_keys, sizeof (char *), compare_strings);
  for (guint i = 0; i < n_keys; i++)
    {
      g_auto(GStrv) parts = g_strsplit (keys[i], "\t", 3);
      guint64 *count = g_hash_table_lookup (self->requests, keys[i]);

      sample (out, NS "http_requests_total", *count,
              "method", parts[0], "route", parts[1], "code", parts[2], NULL);
    }

  family (out, NS "http_request_duration_seconds", "histogram",
          "Time from reading a request to answering it, by route.");
  for (guint i = 0; i < self->route_labels->len; i++)
    {
      const char *route = self->route_labels->pdata[i];

      histogram_samples (out, NS "http_request_duration_seconds",
                         g_hash_table_lookup (self->durations, route), "route", route);
    }

  family (out, NS "alert_processing_seconds", "histogram",
          "Time from an alert's arrival to its being on disk with its incident.");
  histogram_samples (out, NS "alert_processing_seconds", self->alert_processing, NULL, NULL);
}

static void
render_process (GString   *out,
                HgMetrics *self)
{
  g_autofree char *statm = NULL;
  guint64 pages_total = 0, pages_resident = 0;
  long page = sysconf (_SC_PAGESIZE);
  struct rusage usage;
  struct rlimit limit;
  g_autoptr(GDir) fds = NULL;
  guint n_fds = 0;

  family (out, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
  if (getrusage (RUSAGE_SELF, &usage) == 0)
    sample (out, "process_cpu_seconds_total",
            usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
            (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6, NULL);

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    {
      char *end;

      pages_total = g_ascii_strtoull (statm, &end, 10);
      pages_resident = g_ascii_strtoull (end, NULL, 10);
    }
  family (out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  sample (out, "process_resident_memory_bytes", (double) pages_resident * page, NULL);
  family (out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
  sample (out, "process_virtual_memory_bytes", (double) pages_total * page, NULL);

  if ((fds = g_dir_open ("/proc/self/fd", 0, NULL)) != NULL)
    {
      while (g_dir_read_name (fds) != NULL)
        n_fds++;
      /* Not the directory's own descriptor. */
      n_fds = n_fds > 0 ? n_fds - 1 : 0;
    }
  family (out, "process_open_fds", "gauge", "Number of open file descriptors.");
  sample (out, "process_open_fds", n_fds, NULL);
  family (out, "process_max_fds", "gauge", "Maximum number of open file descriptors.");
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
    sample (out, "process_max_fds", limit.rlim_cur == RLIM_INFINITY ? (double) G_MAXINT64 : (double) limit.rlim_cur, NULL);

  family (out, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
  sample (out, "process_start_time_seconds", self->start_time, NULL);
}

GString *
hg_metrics_render (HgMetrics  *self,
                   HgStore    *store,
                   guint       websocket_clients,
                   GError    **error)
{
  g_autoptr(GPtrArray) store_rows = hg_store_read_metrics (store, error);
  g_autoptr(GHashTable) values = NULL;
  StoreRows rows;
  GString *out;

  if (store_rows == NULL)
    return NULL;
  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < store_rows->len; i++)
    {
      HgMetricRow *row = store_rows->pdata[i];

      g_hash_table_insert (values, g_strdup_printf ("%s\t%s\t%s", row->name, row->label1 ? row->label1 : "",
                                                    row->label2 ? row->label2 : ""), row);
    }
  rows.values = values;
  rows.rows = store_rows;

  out = g_string_sized_new (64 * 1024);
  render_alerts (out, &rows);
  render_incidents (out, &rows);
  render_duration (out, &rows, "mtta", "Seconds from an incident's creation to its first acknowledgement.");
  render_duration (out, &rows, "mttr", "Seconds from an incident's creation to its resolution.");
  render_people (out, &rows, websocket_clients);
  render_http (out, self);
  family (out, NS "build_info", "gauge", "The running server's version; always 1.");
  sample (out, NS "build_info", 1, "version", PACKAGE_VERSION, NULL);
  render_process (out, self);
  return out;
}
