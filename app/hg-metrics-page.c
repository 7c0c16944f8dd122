/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-chart.h"
#include "hg-metrics-page.h"

#define WINDOW_SECONDS  86400
#define N_HOURS         24
#define REFRESH_SECONDS 60

struct _HgMetricsPage {
  AdwBin        parent_instance;

  HgClient     *client;
  GCancellable *cancellable;     /* the refresh under way */
  guint         pending;         /* its requests not yet answered */
  char         *refresh_error;
  gint64        hours_since_ms;  /* the first hour of the chart */
  guint         timer;
  guint         recount_idle;

  GtkLabel     *mtta_value;
  GtkLabel     *mtta_detail;
  GtkLabel     *mttr_value;
  GtkLabel     *mttr_detail;
  GtkBox       *severity_box;
  GtkLabel     *severity_counts[HG_N_SEVERITIES];
  HgChart      *chart;
  GtkLabel     *updated_label;
};

G_DEFINE_FINAL_TYPE (HgMetricsPage, hg_metrics_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
hg_format_duration (double seconds)
{
  guint64 s;

  if (seconds < 9.95)
    /* Translators: a short duration in seconds, "4.5 s" */
    return g_strdup_printf (_("%.1f s"), MAX (seconds, 0));
  s = (guint64) (seconds + 0.5);
  if (s < 60)
    /* Translators: a duration in seconds, "45 s" */
    return g_strdup_printf (_("%u s"), (guint) s);
  if (s < 3600 && s % 60 == 0)
    /* Translators: a duration in minutes, "2 min" */
    return g_strdup_printf (_("%u min"), (guint) (s / 60));
  if (s < 3600)
    /* Translators: a duration in minutes and seconds, "2 min 10 s" */
    return g_strdup_printf (_("%u min %u s"), (guint) (s / 60), (guint) (s % 60));
  s = (s + 30) / 60;   /* whole minutes from here on */
  if (s % 60 == 0)
    /* Translators: a duration in hours, "3 h" */
    return g_strdup_printf (_("%u h"), (guint) (s / 60));
  /* Translators: a duration in hours and minutes, "1 h 5 min" */
  return g_strdup_printf (_("%u h %u min"), (guint) (s / 60), (guint) (s % 60));
}

/* --- Open incidents by severity, from the live list ---------------------- */

static const struct {
  HgSeverity  severity;
  const char *name;
  const char *icon;
} severity_defs[] = {
  { HG_SEVERITY_CRITICAL, N_("Critical"), "dialog-error-symbolic" },
  { HG_SEVERITY_HIGH, N_("High"), "dialog-warning-symbolic" },
  { HG_SEVERITY_MEDIUM, N_("Medium"), "emblem-important-symbolic" },
  { HG_SEVERITY_LOW, N_("Low"), "dialog-information-symbolic" },
};

static void
build_severity_cards (HgMetricsPage *self)
{
  for (gsize i = 0; i < G_N_ELEMENTS (severity_defs); i++)
    {
      const char *name = hg_severity_to_string (severity_defs[i].severity);
      g_autofree char *css = g_strconcat ("severity-", name, NULL);
      g_autofree char *widget_name = g_strconcat ("open-", name, NULL);
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *icon = gtk_image_new_from_icon_name (severity_defs[i].icon);
      GtkWidget *caption = gtk_label_new (_(severity_defs[i].name));
      GtkWidget *count = gtk_label_new ("0");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
      gtk_widget_add_css_class (caption, "metric-caption");
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_box_append (GTK_BOX (header), icon);
      gtk_box_append (GTK_BOX (header), caption);

      gtk_widget_set_name (count, widget_name);
      gtk_label_set_xalign (GTK_LABEL (count), 0);
      gtk_widget_add_css_class (count, "metric-value");

      gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(severity_defs[i].name), -1);
      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "metric-card");
      gtk_widget_add_css_class (card, "severity-card");
      gtk_widget_add_css_class (card, css);
      gtk_box_append (GTK_BOX (card), header);
      gtk_box_append (GTK_BOX (card), count);
      gtk_box_append (self->severity_box, card);
      self->severity_counts[severity_defs[i].severity] = GTK_LABEL (count);
    }
}

static gboolean
recount (gpointer data)
{
  HgMetricsPage *self = data;
  guint counts[HG_N_SEVERITIES] = { 0 };
  GListModel *incidents = self->client ? hg_client_get_incidents (self->client) : NULL;

  self->recount_idle = 0;
  for (guint i = 0; incidents != NULL && i < g_list_model_get_n_items (incidents); i++)
    {
      g_autoptr(HgIncident) incident = g_list_model_get_item (incidents, i);

      if (hg_incident_status_is_active (hg_incident_get_status (incident)))
        counts[hg_incident_get_severity (incident)]++;
    }
  for (guint s = 0; s < HG_N_SEVERITIES; s++)
    {
      g_autofree char *text = g_strdup_printf ("%u", counts[s]);

      gtk_label_set_label (self->severity_counts[s], text);
    }
  return G_SOURCE_REMOVE;
}

/* Events change incidents in place: count again once they have landed. */
static void
schedule_recount (HgMetricsPage *self)
{
  if (self->recount_idle == 0)
    self->recount_idle = g_idle_add (recount, self);
}

/* --- Response times ------------------------------------------------------ */

static void
show_durations (GtkLabel          *value,
                GtkLabel          *detail,
                const HgDurations *durations,
                const char        *none)
{
  g_autofree char *mean = NULL, *p50 = NULL, *p90 = NULL, *text = NULL;

  gboolean known = durations->count > 0 && durations->mean >= 0;

  /* "None yet" is a fact, but not a figure: it stays in the background. */
  if (known)
    gtk_widget_remove_css_class (GTK_WIDGET (value), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (value), "dim-label");
  if (!known)
    {
      gtk_label_set_label (value, _("None yet"));
      gtk_label_set_label (detail, none);
      return;
    }
  mean = hg_format_duration (durations->mean);
  p50 = hg_format_duration (MAX (durations->p50, 0));
  p90 = hg_format_duration (MAX (durations->p90, 0));
  /* Translators: under the mean; "Median 1 min 5 s, 90th percentile 4 min, over 12 incidents" */
  text = g_strdup_printf (g_dngettext (NULL, "Median %s, 90th percentile %s, over %u incident",
                                       "Median %s, 90th percentile %s, over %u incidents",
                                       durations->count),
                          p50, p90, durations->count);
  gtk_label_set_label (value, mean);
  gtk_label_set_label (detail, text);
}

static void
show_stats (HgMetricsPage         *self,
            const HgIncidentStats *stats)
{
  show_durations (self->mtta_value, self->mtta_detail, &stats->mtta,
                  _("No incident was acknowledged in the last 24 hours"));
  show_durations (self->mttr_value, self->mttr_detail, &stats->mttr,
                  _("No incident was resolved in the last 24 hours"));
}

/* --- Incidents per hour -------------------------------------------------- */

static void
show_hours (HgMetricsPage *self,
            GPtrArray     *incidents)
{
  guint values[N_HOURS] = { 0 };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (self->hours_since_ms / 1000);

  for (guint i = 0; i < incidents->len; i++)
    {
      gint64 offset = hg_incident_get_created_at (incidents->pdata[i]) - self->hours_since_ms;

      if (offset >= 0 && offset / 3600000 < N_HOURS)
        values[offset / 3600000]++;
    }
  for (int h = 0; h < N_HOURS; h++)
    {
      g_autoptr(GDateTime) hour = g_date_time_add_hours (start, h);
      g_autofree char *label = g_date_time_format (hour, "%H:%M");

      g_strv_builder_add (builder, label);
    }
  labels = g_strv_builder_end (builder);
  hg_chart_set_data (self->chart, values, (const char * const *) labels, N_HOURS);
}

/* The start of the hour 23 hours before this one, in ms. */
static gint64
first_hour_ms (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) hour = g_date_time_add_full (now, 0, 0, 0, -23,
                                                   -g_date_time_get_minute (now),
                                                   -g_date_time_get_seconds (now));

  return g_date_time_to_unix (hour) * 1000;
}

/* --- Refreshing ---------------------------------------------------------- */

static void
request_done (HgMetricsPage *self,
              GError        *error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *hhmm = NULL, *text = NULL;

  if (error != NULL && self->refresh_error == NULL)
    self->refresh_error = g_strdup (error->message);
  if (--self->pending > 0)
    return;
  now = g_date_time_new_now_local ();
  hhmm = g_date_time_format (now, "%H:%M");
  if (self->refresh_error != NULL)
    /* Translators: "Not updated at 14:32: the server answered 503" */
    text = g_strdup_printf (_("Not updated at %s: %s"), hhmm, self->refresh_error);
  else
    /* Translators: %s is a time of day, 14:32 */
    text = g_strdup_printf (_("Updated at %s"), hhmm);
  gtk_label_set_label (self->updated_label, text);
  g_clear_pointer (&self->refresh_error, g_free);
}

static void
stats_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  HgMetricsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HgIncidentStats) stats = hg_client_get_stats_finish (HG_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (stats != NULL)
    show_stats (self, stats);
  request_done (self, error);
}

static void
hours_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  HgMetricsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) incidents = hg_client_list_recent_incidents_finish (HG_CLIENT (source),
                                                                          result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (incidents != NULL)
    show_hours (self, incidents);
  request_done (self, error);
}

void
hg_metrics_page_refresh (HgMetricsPage *self)
{
  g_return_if_fail (HG_IS_METRICS_PAGE (self));

  if (self->client == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->refresh_error, g_free);
  self->cancellable = g_cancellable_new ();
  self->pending = 2;
  self->hours_since_ms = first_hour_ms ();
  hg_client_get_stats_async (self->client, WINDOW_SECONDS, self->cancellable, stats_done, self);
  hg_client_list_recent_incidents_async (self->client, self->hours_since_ms, self->cancellable,
                                         hours_done, self);
  schedule_recount (self);
}

static gboolean
tick (gpointer data)
{
  hg_metrics_page_refresh (data);
  return G_SOURCE_CONTINUE;
}

/* --- The client and GObject ---------------------------------------------- */

static void
show_empty (HgMetricsPage *self)
{
  static const HgIncidentStats none = { 0 };
  g_autoptr(GPtrArray) no_incidents = g_ptr_array_new ();

  show_stats (self, &none);
  self->hours_since_ms = first_hour_ms ();
  show_hours (self, no_incidents);
  gtk_label_set_label (self->updated_label, _("Loading…"));
}

static void
set_client (HgMetricsPage *self,
            HgClient      *client)
{
  if (self->client == client)
    return;
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_signal_handlers_disconnect_by_data (hg_client_get_incidents (self->client), self);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->client, client);
  show_empty (self);
  if (client != NULL)
    {
      g_signal_connect_object (hg_client_get_incidents (client), "items-changed",
                               G_CALLBACK (schedule_recount), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::last-seq",
                               G_CALLBACK (schedule_recount), self, G_CONNECT_SWAPPED);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        hg_metrics_page_refresh (self);
    }
  schedule_recount (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
hg_metrics_page_map (GtkWidget *widget)
{
  HgMetricsPage *self = HG_METRICS_PAGE (widget);

  GTK_WIDGET_CLASS (hg_metrics_page_parent_class)->map (widget);
  hg_metrics_page_refresh (self);
  g_clear_handle_id (&self->timer, g_source_remove);
  self->timer = g_timeout_add_seconds (REFRESH_SECONDS, tick, self);
}

static void
hg_metrics_page_unmap (GtkWidget *widget)
{
  HgMetricsPage *self = HG_METRICS_PAGE (widget);

  g_clear_handle_id (&self->timer, g_source_remove);
  GTK_WIDGET_CLASS (hg_metrics_page_parent_class)->unmap (widget);
}

static void
hg_metrics_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HgMetricsPage *self = HG_METRICS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_metrics_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HgMetricsPage *self = HG_METRICS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_metrics_page_dispose (GObject *object)
{
  HgMetricsPage *self = HG_METRICS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->recount_idle, g_source_remove);
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_signal_handlers_disconnect_by_data (hg_client_get_incidents (self->client), self);
    }
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), HG_TYPE_METRICS_PAGE);
  G_OBJECT_CLASS (hg_metrics_page_parent_class)->dispose (object);
}

static void
hg_metrics_page_finalize (GObject *object)
{
  HgMetricsPage *self = HG_METRICS_PAGE (object);

  g_free (self->refresh_error);
  G_OBJECT_CLASS (hg_metrics_page_parent_class)->finalize (object);
}

static void
hg_metrics_page_class_init (HgMetricsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hg_metrics_page_get_property;
  object_class->set_property = hg_metrics_page_set_property;
  object_class->dispose = hg_metrics_page_dispose;
  object_class->finalize = hg_metrics_page_finalize;
  widget_class->map = hg_metrics_page_map;
  widget_class->unmap = hg_metrics_page_unmap;

  properties[PROP_CLIENT] =
    g_param_spec_object (HG_PAGE_PROP_CLIENT, NULL, NULL, HG_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HG_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/healthguard/Ops/hg-metrics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HgMetricsPage, mtta_value);
  gtk_widget_class_bind_template_child (widget_class, HgMetricsPage, mtta_detail);
  gtk_widget_class_bind_template_child (widget_class, HgMetricsPage, mttr_value);
  gtk_widget_class_bind_template_child (widget_class, HgMetricsPage, mttr_detail);
  gtk_widget_class_bind_template_child (widget_class, HgMetricsPage, severity_box);
  gtk_widget_class_bind_template_child (widget_class, HgMetricsPage, chart);
  gtk_widget_class_bind_template_child (widget_class, HgMetricsPage, updated_label);
}

static void
hg_metrics_page_init (HgMetricsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_severity_cards (self);
  show_empty (self);
  gtk_label_set_label (self->updated_label, "");
}
