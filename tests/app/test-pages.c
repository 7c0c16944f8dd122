/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Staff and Metrics pages in a real window, against the real server
 * (in-process, 127.0.0.1:0, the demo hospital), signed in as N01. */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include "hg-chart.h"
#include "hg-client.h"
#include "hg-metrics-page.h"
#include "hg-staff-page.h"
#include "hg-test-app.h"
#include "hg-test-server.h"

typedef struct {
  HgTestServer *ts;
  HgClient     *client;
  char         *token;      /* N01's own, for checks beside the app */
  GtkWindow    *window;
  GtkWidget    *page;
  gint64        first_id;   /* the first incident post_alerts() made */
  char         *first_assignee;
} Fixture;

/* --- Helpers ------------------------------------------------------------- */

static gboolean
is_live (gpointer data)
{
  return hg_client_get_state (data) == HG_CLIENT_STATE_LIVE;
}

/* The widget named @name (gtk_widget_set_name) under @widget. */
static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *url = NULL;

  f->ts = hg_test_server_start (NULL, NULL);
  f->token = hg_test_login (f->ts, "N01");
  url = hg_test_server_url (f->ts, "");
  f->client = hg_client_new (url);
  hg_test_app_sign_in (f->client, "N01", "test-pages");
  hg_client_start (f->client);
  hg_test_app_wait_for (is_live, f->client, 10000);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->window, gtk_window_destroy);
  hg_client_stop (f->client);
  g_assert_finalize_object (f->client);
  hg_test_server_stop (f->ts);
  g_free (f->token);
  g_free (f->first_assignee);
}

static void
show_page (Fixture *f,
           GType    type)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 900);
  f->page = g_object_new (type, "client", f->client, NULL);
  gtk_window_set_child (f->window, f->page);
  gtk_window_present (f->window);
}

/* Posts alerts in N01's name: two critical, one of each other severity. */
static void
post_alerts (Fixture *f)
{
  static const char *const bodies[] = {
    "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}",
    "{\"type\": \"ANAPHYLAXIS\", \"patient_id\": \"P002\"}",
    "{\"type\": \"SEIZURE\", \"patient_id\": \"P005\"}",
    "{\"type\": \"BED_EXIT\", \"patient_id\": \"P003\"}",
    "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P004\"}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, f->token, bodies[i]);

      if (i == 0)
        {
          f->first_id = hg_test_json_int (answer, "incident.id");
          f->first_assignee = g_strdup (hg_test_json_string (answer, "incident.assignee.id"));
        }
    }
}

/* --- Staff --------------------------------------------------------------- */

typedef struct {
  GtkWidget  *page;
  const char *group;
  guint       rows;
} RowCount;

static GtkListBox *
group_list (GtkWidget  *page,
            const char *group)
{
  g_autofree char *name = g_strconcat (group, "-list", NULL);
  GtkWidget *widget = find_named (page, name);

  return widget != NULL ? GTK_LIST_BOX (widget) : NULL;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (list != NULL && gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static gboolean
has_rows (gpointer data)
{
  RowCount *count = data;

  return count_rows (group_list (count->page, count->group)) == count->rows;
}

static gboolean
switch_settled_off (gpointer data)
{
  GtkSwitch *sw = data;

  return !gtk_switch_get_state (sw) && !gtk_switch_get_active (sw);
}

static gboolean
switch_ready_on (gpointer data)
{
  GtkSwitch *sw = data;

  return gtk_widget_get_sensitive (GTK_WIDGET (sw)) && gtk_switch_get_state (sw);
}

static gboolean
group_says (gpointer data)
{
  RowCount *count = data;
  GtkWidget *group = find_named (count->page, count->group);

  return g_strcmp0 (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)),
                    "1 on duty, 1 not available") == 0;
}

static void
test_staff (Fixture       *f,
            gconstpointer  data)
{
  RowCount nurses = { NULL, "nurse", 5 };
  RowCount charge = { NULL, "charge_nurse", 1 };
  GtkSwitch *sw;
  guint status;
  g_autoptr(JsonNode) me = NULL;

  post_alerts (f);
  show_page (f, HG_TYPE_STAFF_PAGE);
  nurses.page = charge.page = f->page;
  hg_test_app_wait_for (has_rows, &nurses, 10000);
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (find_named (f->page, "nurse"))),
                   ==, "Nurses");
  g_assert_cmpuint (count_rows (group_list (f->page, "charge_nurse")), ==, 1);
  g_assert_cmpuint (count_rows (group_list (f->page, "emergency_doctor")), ==, 4);
  g_assert_cmpuint (count_rows (group_list (f->page, "specialist")), ==, 12);
  g_assert_false (gtk_widget_get_visible (find_named (f->page, "off_duty")));

  /* My availability: the switch changes it on the server, and the event
   * that follows moves the group's count. */
  sw = GTK_SWITCH (gtk_widget_get_template_child (f->page, HG_TYPE_STAFF_PAGE, "availability_switch"));
  hg_test_app_wait_for (switch_ready_on, sw, 10000);
  gtk_switch_set_active (sw, FALSE);
  hg_test_app_wait_for (switch_settled_off, sw, 10000);
  me = hg_test_request (f->ts, "GET", "/api/v1/staff/N01", f->token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (me), "available"));
  hg_test_app_wait_for (group_says, &charge, 10000);

  hg_test_app_screenshot (f->page, "staff");

  /* A refusal puts the switch back: the store is gone, the PUT fails. */
  hg_test_server_close_store (f->ts);
  g_test_expect_message ("HealthGuard-Server", G_LOG_LEVEL_WARNING,
                         "PUT /api/v1/me/availability failed*");
  gtk_switch_set_active (sw, TRUE);
  g_assert_true (gtk_switch_get_active (sw));
  hg_test_app_wait_for (switch_settled_off, sw, 10000);
  g_test_assert_expected_messages ();
}

/* --- Metrics ------------------------------------------------------------- */

typedef struct {
  GtkWidget  *page;
  const char *name;
  const char *text;
} LabelText;

static gboolean
label_says (gpointer data)
{
  LabelText *expect = data;
  GtkWidget *label = find_named (expect->page, expect->name);

  return label != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), expect->text) == 0;
}

static gboolean
chart_total_is_5 (gpointer data)
{
  return hg_chart_get_total (data) == 5;
}

#define N_HISTORY 18

static gboolean
chart_total_with_history (gpointer data)
{
  return hg_chart_get_total (data) == 5 + N_HISTORY;
}

/* How many hours back post_history() moves incident @id. */
static guint
hours_back (gint64 id)
{
  return (guint) ((id * 5) % 22) + 1;
}

/* Eighteen more incidents, moved back into the last 22 hours. */
static void
post_history (Fixture *f,
              guint    expected[24])
{
  static const char *const types[] = {
    "BATHROOM_CALL", "PAIN_UNCONTROLLED", "LEADS_OFF",
    "MEDICATION_OVERDUE", "EQUIPMENT_FAILURE", "PATIENT_FALL",
  };
  static const char *const patients[] = { "P006", "P007", "P008" };
  g_autofree char *sql = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) half_past = NULL;
  gint64 first = 0, last = 0;

  for (gsize t = 0; t < G_N_ELEMENTS (types); t++)
    for (gsize p = 0; p < G_N_ELEMENTS (patients); p++)
      {
        g_autofree char *body = g_strdup_printf ("{\"type\": \"%s\", \"patient_id\": \"%s\"}",
                                                 types[t], patients[p]);
        g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, f->token, body);

        last = hg_test_json_int (answer, "incident.id");
        first = first ? first : last;
      }
  g_assert_cmpint (last - first + 1, ==, N_HISTORY);
  /* Each goes to the middle of its hour, counted from this one, as the
   * chart's hours are clock hours: moved back from when it was posted,
   * incidents posted on either side of an hour's turn would land in two
   * hours' bars. */
  now = g_date_time_new_now_local ();
  half_past = g_date_time_add_full (now, 0, 0, 0, 0, 30 - g_date_time_get_minute (now),
                                    -g_date_time_get_seconds (now));
  sql = g_strdup_printf ("UPDATE incidents SET created_at = %" G_GINT64_FORMAT
                         " - ((id * 5) %% 22 + 1) * 3600000"
                         " WHERE id BETWEEN %" G_GINT64_FORMAT " AND %" G_GINT64_FORMAT,
                         g_date_time_to_unix (half_past) * 1000, first, last);
  hg_test_sql (hg_test_server_db_path (f->ts), sql);
  for (gint64 id = first; id <= last; id++)
    expected[23 - hours_back (id)]++;
}

/* The chart holds @expected, or @expected one hour on if the clock
 * passed an hour between post_history() and the chart. */
static void
assert_chart (HgChart     *chart,
              const guint  expected[24])
{
  gboolean same = TRUE, shifted = TRUE;

  g_assert_cmpuint (hg_chart_get_n_bars (chart), ==, 24);
  for (guint i = 0; i < 24; i++)
    {
      same = same && hg_chart_get_value (chart, i) == expected[i];
      shifted = shifted && hg_chart_get_value (chart, i) == (i == 23 ? 0 : expected[i + 1]);
    }
  g_assert_true (same || shifted);
}

static gboolean
mtta_known (gpointer data)
{
  GtkLabel *label = data;

  return g_strcmp0 (gtk_label_get_label (label), "None yet") != 0;
}

static void
test_metrics (Fixture       *f,
              gconstpointer  data)
{
  LabelText expect[] = {
    { NULL, "open-critical", "2" },
    { NULL, "open-high", "1" },
    { NULL, "open-medium", "1" },
    { NULL, "open-low", "1" },
  };
  guint expected_bars[24] = { [23] = 5 };
  g_autofree char *description = NULL;
  g_autoptr(JsonNode) acked = NULL;
  g_autofree char *assignee_token = NULL;
  g_autofree char *ack_path = NULL;
  HgChart *chart;
  GtkLabel *mtta;
  guint status;

  show_page (f, HG_TYPE_METRICS_PAGE);
  chart = HG_CHART (find_type (f->page, HG_TYPE_CHART));
  g_assert_nonnull (chart);
  g_assert_cmpuint (hg_chart_get_n_bars (chart), ==, 24);

  /* The counts follow the live list, without a refresh. */
  post_alerts (f);
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      expect[i].page = f->page;
      hg_test_app_wait_for (label_says, &expect[i], 10000);
    }

  /* The chart and the response times come with a refresh. */
  g_assert_nonnull (f->first_assignee);
  assignee_token = hg_test_login (f->ts, f->first_assignee);
  ack_path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/acknowledge", f->first_id);
  acked = hg_test_request (f->ts, "POST", ack_path, assignee_token, "{}", &status);
  g_assert_cmpuint (status, ==, 200);
  hg_metrics_page_refresh (HG_METRICS_PAGE (f->page));
  hg_test_app_wait_for (chart_total_is_5, chart, 10000);
  g_assert_cmpuint (hg_chart_get_n_bars (chart), ==, 24);
  g_assert_cmpuint (hg_chart_get_value (chart, 23) + hg_chart_get_value (chart, 22), ==, 5);
  mtta = GTK_LABEL (gtk_widget_get_template_child (f->page, HG_TYPE_METRICS_PAGE, "mtta_value"));
  hg_test_app_wait_for (mtta_known, mtta, 10000);

  /* Incidents of earlier hours land in their own bars. */
  post_history (f, expected_bars);
  hg_metrics_page_refresh (HG_METRICS_PAGE (f->page));
  hg_test_app_wait_for (chart_total_with_history, chart, 10000);
  assert_chart (chart, expected_bars);
  description = hg_chart_dup_description (chart);
  g_assert_true (g_str_has_prefix (description, "Incidents per hour, last 24 hours: 23 in total, peak 5 at "));

  hg_test_app_screenshot (f->page, "metrics");
}

static void
test_format_duration (void)
{
  static const struct { double seconds; const char *words; } cases[] = {
    { 0.24, "0.2 s" },
    { 9.5, "9.5 s" },
    { 45, "45 s" },
    { 59.6, "1 min" },
    { 130, "2 min 10 s" },
    { 3600, "1 h" },
    { 3900, "1 h 5 min" },
    { 7199, "2 h" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = hg_format_duration (cases[i].seconds);

      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  hg_test_app_init (&argc, &argv);
  /* The app's style sheet, as HgApplication loads it, for the screenshots. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/org/healthguard/Ops/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add_func ("/app/pages/format-duration", test_format_duration);
  g_test_add ("/app/pages/staff", Fixture, NULL, fixture_setup, test_staff, fixture_teardown);
  g_test_add ("/app/pages/metrics", Fixture, NULL, fixture_setup, test_metrics, fixture_teardown);
  return g_test_run ();
}
