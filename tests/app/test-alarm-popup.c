/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The alarm popup against the real server (in-process, 127.0.0.1:0, the
 * demo hospital), with the real alarm sound on a clock-paced fakesink:
 * a critical alert brings the popup up, sounding high priority, and its
 * Acknowledge button acknowledges the incident on the server; losing the
 * server raises the technical alarm, and its return clears it. */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include "hg-alarm-monitor.h"
#include "hg-alarm-row.h"
#include "hg-client.h"
#include "hg-test-app.h"
#include "hg-test-server.h"

#define CRITICAL_ALERT "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}"

typedef struct {
  HgTestServer   *ts;
  char           *poster;       /* N01's token, to post alerts */
  char           *staff_id;     /* whom the critical alert goes to */
  GSettings      *settings;
  HgAlarmSound   *sound;
  HgClient       *client;
  HgAlarmMonitor *monitor;
} Fixture;

/* --- Helpers ------------------------------------------------------------- */

static gboolean
is_live (gpointer data)
{
  return hg_client_get_state (data) == HG_CLIENT_STATE_LIVE;
}

static HgAlarm *
alarm_of (Fixture *f)
{
  return hg_alarm_monitor_get_alarm (f->monitor);
}

static GtkWidget *
popup (Fixture *f)
{
  return GTK_WIDGET (hg_alarm_monitor_get_window (f->monitor));
}

/* The active alarm of @kind (and of @incident_id, for an incident's). */
static HgActiveAlarm *
find_alarm (Fixture           *f,
            HgActiveAlarmKind  kind,
            gint64             incident_id)
{
  GListModel *active = hg_alarm_get_active (alarm_of (f));

  for (guint i = 0; i < g_list_model_get_n_items (active); i++)
    {
      g_autoptr(HgActiveAlarm) alarm = g_list_model_get_item (active, i);
      HgIncident *incident = hg_active_alarm_get_incident (alarm);

      if (hg_active_alarm_get_kind (alarm) == kind
          && (incident == NULL || hg_incident_get_id (incident) == incident_id))
        return alarm;   /* the list keeps it alive */
    }
  return NULL;
}

/* The visible button of the row showing @incident_id that runs @action. */
static GtkWidget *
find_button (GtkWidget  *widget,
             gint64      incident_id,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "alarm.act") == 0)
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
      gint64 id;
      const char *name;

      g_variant_get (target, "(x&s)", &id, &name);
      if (id == incident_id && g_str_equal (name, action))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, incident_id, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
incident_status (Fixture *f,
                 gint64   id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT, id);
  guint status;
  g_autoptr(JsonNode) answer = hg_test_request (f->ts, "GET", path, f->poster, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return g_strdup (hg_test_json_string (answer, "status"));
}

/* --- Fixture ------------------------------------------------------------- */

static gboolean
sound_plays (gpointer data)
{
  return hg_alarm_sound_get_playing (data);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static GtkCssProvider *css;
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) staff = NULL;
  JsonArray *list;
  guint status;

  if (css == NULL)
    {
      css = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (css, "/org/healthguard/Ops/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  f->ts = hg_test_server_start (NULL, NULL);
  f->poster = hg_test_login (f->ts, "N01");

  /* Who takes a cardiac arrest here: the first cardiologist on duty, once
   * the others are on a break (routing takes the longest idle of them). */
  staff = hg_test_request (f->ts, "GET", "/api/v1/staff", f->poster, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  list = JSON_NODE_HOLDS_ARRAY (staff) ? json_node_get_array (staff)
                                        : json_object_get_array_member (json_node_get_object (staff), "staff");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *person = json_array_get_object_element (list, i);
      const char *id = json_object_get_string_member (person, "id");
      g_autofree char *token = NULL;
      g_autoptr(JsonNode) answer = NULL;

      if (g_strcmp0 (json_object_get_string_member_with_default (person, "specialty", ""), "cardiology") != 0
          || !json_object_get_boolean_member_with_default (person, "on_duty", FALSE))
        continue;
      if (f->staff_id == NULL)
        {
          f->staff_id = g_strdup (id);
          continue;
        }
      token = hg_test_login (f->ts, id);
      answer = hg_test_request (f->ts, "PUT", "/api/v1/me/availability", token,
                                "{\"available\": false, \"reason\": \"break\"}", &status);
      g_assert_cmpuint (status, ==, 200);
    }
  g_assert_nonnull (f->staff_id);

  f->settings = g_settings_new ("org.healthguard.Ops");
  g_settings_set_string (f->settings, "mode", "personal");
  g_settings_reset (f->settings, "alarm-silence-seconds");

  /* The real pipeline, paced by the clock as a sound card would be. */
  f->sound = hg_alarm_sound_new ("fakesink sync=true");
  hg_alarm_sound_start_async (f->sound, NULL, NULL, NULL);
  hg_test_app_wait_for (sound_plays, f->sound, 10000);

  url = hg_test_server_url (f->ts, "");
  f->client = hg_client_new (url);
  hg_test_app_sign_in (f->client, f->staff_id, "test-alarm");

  f->monitor = hg_alarm_monitor_new (NULL, f->settings, f->client, f->sound);
  hg_client_start (f->client);
  hg_test_app_wait_for (is_live, f->client, 10000);
  g_assert_cmpuint (hg_alarm_get_n_active (alarm_of (f)), ==, 0);
  g_assert_false (gtk_widget_get_visible (popup (f)));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  hg_client_stop (f->client);
  g_clear_object (&f->monitor);
  g_clear_object (&f->client);
  g_clear_object (&f->sound);
  g_clear_object (&f->settings);
  hg_test_server_stop (f->ts);
  g_free (f->poster);
  g_free (f->staff_id);
}

/* --- Tests -------------------------------------------------------------------- */

typedef struct {
  Fixture *f;
  gint64   id;
} Wait;

static gboolean
popup_shows_incident (gpointer data)
{
  Wait *wait = data;

  return gtk_widget_get_mapped (popup (wait->f))
         && find_alarm (wait->f, HG_ACTIVE_ALARM_KIND_INCIDENT, wait->id) != NULL
         && find_button (popup (wait->f), wait->id, "acknowledge") != NULL;
}

static gboolean
acknowledged_on_server (gpointer data)
{
  Wait *wait = data;
  g_autofree char *status = incident_status (wait->f, wait->id);

  return g_str_equal (status, "acknowledged");
}

static gboolean
popup_gone (gpointer data)
{
  Fixture *f = data;

  return hg_alarm_get_n_active (alarm_of (f)) == 0 && !gtk_widget_get_visible (popup (f));
}

static void
test_acknowledge (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, f->poster, CRITICAL_ALERT);
  Wait wait = { f, hg_test_json_int (answer, "incident.id") };
  HgActiveAlarm *alarm;
  g_autofree char *status = NULL;

  g_assert_cmpstr (hg_test_json_string (answer, "incident.assignee.id"), ==, f->staff_id);
  hg_test_app_wait_for (popup_shows_incident, &wait, 5000);
  alarm = find_alarm (f, HG_ACTIVE_ALARM_KIND_INCIDENT, wait.id);
  g_assert_cmpint (hg_active_alarm_get_priority (alarm), ==, HG_ALARM_PRIORITY_HIGH);
  g_assert_cmpint (hg_alarm_get_sounding_priority (alarm_of (f)), ==, HG_ALARM_PRIORITY_HIGH);
  g_assert_true (hg_alarm_sound_get_playing (f->sound));
  hg_test_app_screenshot (popup (f), "alarm-popup");

  status = incident_status (f, wait.id);
  g_assert_cmpstr (status, ==, "assigned");
  g_signal_emit_by_name (find_button (popup (f), wait.id, "acknowledge"), "clicked");
  /* The sound stops at the click, before the server answers. */
  g_assert_cmpint (hg_alarm_get_sounding_priority (alarm_of (f)), ==, -1);
  hg_test_app_wait_for (acknowledged_on_server, &wait, 5000);
  hg_test_app_wait_for (popup_gone, f, 5000);
}

static gboolean
link_alarm_shown (gpointer data)
{
  Fixture *f = data;

  return find_alarm (f, HG_ACTIVE_ALARM_KIND_LINK, 0) != NULL && gtk_widget_get_mapped (popup (f));
}

static gboolean
link_alarm_gone (gpointer data)
{
  Fixture *f = data;

  return find_alarm (f, HG_ACTIVE_ALARM_KIND_LINK, 0) == NULL && is_live (f->client);
}

static void
test_server_lost (Fixture       *f,
                  gconstpointer  data)
{
  gint64 down_at;
  HgActiveAlarm *alarm;

  hg_test_server_go_down (f->ts);
  down_at = g_get_monotonic_time ();
  hg_test_app_wait_for (link_alarm_shown, f, 15000);
  g_test_message ("technical alarm %.1f s after the server went down",
                  (g_get_monotonic_time () - down_at) / 1e6);
  alarm = find_alarm (f, HG_ACTIVE_ALARM_KIND_LINK, 0);
  g_assert_cmpint (hg_active_alarm_get_priority (alarm), ==, HG_ALARM_PRIORITY_MEDIUM);
  g_assert_cmpint (hg_alarm_get_sounding_priority (alarm_of (f)), ==, HG_ALARM_PRIORITY_MEDIUM);
  hg_test_app_screenshot (popup (f), "alarm-technical");

  hg_test_server_come_back (f->ts);
  hg_test_app_wait_for (link_alarm_gone, f, 30000);
  hg_test_app_wait_for (popup_gone, f, 5000);
}

int
main (int   argc,
      char *argv[])
{
  hg_test_app_init (&argc, &argv);

  g_test_add ("/app/alarm-popup/acknowledge", Fixture, NULL, fixture_setup, test_acknowledge, fixture_teardown);
  g_test_add ("/app/alarm-popup/server-lost", Fixture, NULL, fixture_setup, test_server_lost, fixture_teardown);
  return g_test_run ();
}
