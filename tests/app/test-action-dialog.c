/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The questions an incident action asks (app/hg-action-dialog.c), in real
 * windows: what each one requires before it may be confirmed, the request
 * body it answers with, that cancelling sends nothing, and the colleagues
 * a reassignment offers, against the real server (in-process, the demo
 * hospital). */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include <string.h>

#include "hg-action-dialog.h"
#include "hg-client.h"
#include "hg-json.h"
#include "hg-test-app.h"
#include "hg-test-server.h"

typedef struct {
  HgTestServer *ts;
  HgClient     *client;     /* N01, signed in, not following the stream */
  GtkWindow    *window;
  GtkWidget    *parent;
  GObject      *receiver;
  GPtrArray    *answers;    /* bodies, as the receiver got them */
  HgAction      answered_action;
  JsonNode     *incident;   /* a new cardiac arrest, assigned */
} Fixture;

static Fixture *current;

static void
answered (GObject    *receiver,
          HgAction    action,
          const char *body_json)
{
  g_assert_true (receiver == current->receiver);
  current->answered_action = action;
  g_ptr_array_add (current->answers, g_strdup (body_json));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) answer = NULL;

  current = f;
  f->ts = hg_test_server_start (NULL, NULL);
  token = hg_test_login (f->ts, "N01");
  answer = hg_test_post_alert (f->ts, token, "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}");
  f->incident = json_node_copy (json_object_get_member (json_node_get_object (answer), "incident"));
  g_assert_nonnull (hg_test_json_string (f->incident, "assignee.id"));

  url = hg_test_server_url (f->ts, "");
  f->client = hg_client_new (url);
  hg_test_app_sign_in (f->client, "N01", "test-action-dialog");

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 800, 600);
  f->parent = gtk_button_new_with_label ("Incident");
  gtk_window_set_child (f->window, f->parent);
  gtk_window_present (f->window);
  f->receiver = g_object_new (G_TYPE_OBJECT, NULL);
  f->answers = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->receiver);
  g_clear_pointer (&f->window, gtk_window_destroy);
  hg_test_app_wait_for (hg_test_app_only_ours, f->client, 5000);
  g_assert_finalize_object (f->client);
  hg_test_server_stop (f->ts);
  g_clear_pointer (&f->incident, json_node_unref);
  g_clear_pointer (&f->answers, g_ptr_array_unref);
  current = NULL;
}

/* The incident as the app holds it, with @status instead of the
 * server's when not NULL. */
static HgIncident *
incident_with_status (Fixture    *f,
                      const char *status)
{
  g_autoptr(JsonNode) node = json_node_copy (f->incident);
  g_autoptr(GError) error = NULL;
  HgIncident *incident;

  if (status != NULL)
    json_object_set_string_member (json_node_get_object (node), "status", status);
  incident = hg_json_incident_from_node (node, &error);
  g_assert_no_error (error);
  return incident;
}

static AdwMessageDialog *
open_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return open_dialog () != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return open_dialog () == NULL;
}

/* Asks, and returns the dialog once it is on screen. */
static AdwMessageDialog *
ask (Fixture    *f,
     HgIncident *incident,
     HgAction    action)
{
  AdwMessageDialog *dialog;

  hg_action_dialog_ask (f->parent, f->client, incident, action, f->receiver, answered);
  hg_test_app_wait_for (dialog_shown, NULL, 10000);
  dialog = open_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == f->window);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  return dialog;
}

/* As a click on the response's button does: the response, then the
 * dialog closes. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  hg_test_app_wait_for (dialog_gone, NULL, 5000);
}

static void
type_text (AdwMessageDialog *dialog,
           const char       *text)
{
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), text);
}

static gboolean
confirm_enabled (AdwMessageDialog *dialog)
{
  return adw_message_dialog_get_response_enabled (dialog, "confirm");
}

/* --- A note or a reason -------------------------------------------------- */

/* Before anyone started on it, resolving says it needed no action: the
 * note is required. The body carries it without surrounding spaces. */
static void
test_resolve_unstarted (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(HgIncident) incident = incident_with_status (f, NULL);
  AdwMessageDialog *dialog;

  g_assert_cmpint (hg_incident_get_status (incident), ==, HG_INCIDENT_STATUS_ASSIGNED);
  dialog = ask (f, incident, HG_ACTION_RESOLVE);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Resolve Incident?");
  g_assert_false (confirm_enabled (dialog));
  type_text (dialog, "   ");
  g_assert_true (confirm_enabled (dialog));   /* spaces are text while typing… */
  type_text (dialog, "");
  g_assert_false (confirm_enabled (dialog));
  hg_test_app_screenshot (GTK_WIDGET (dialog), "action-resolve-unstarted");
  type_text (dialog, "  false alarm: sensor came off  ");
  g_assert_true (confirm_enabled (dialog));
  respond (dialog, "confirm");

  g_assert_cmpuint (f->answers->len, ==, 1);
  g_assert_cmpint (f->answered_action, ==, HG_ACTION_RESOLVE);
  g_assert_cmpstr (f->answers->pdata[0], ==, "{\"note\":\"false alarm: sensor came off\"}");
}

/* Once someone is on it, the closing note is optional, and an empty one
 * sends an empty body. */
static void
test_resolve_started (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(HgIncident) incident = incident_with_status (f, "in_progress");
  AdwMessageDialog *dialog = ask (f, incident, HG_ACTION_RESOLVE);

  g_assert_true (confirm_enabled (dialog));
  type_text (dialog, "   ");   /* …and nothing once sent */
  respond (dialog, "confirm");
  g_assert_cmpuint (f->answers->len, ==, 1);
  g_assert_cmpstr (f->answers->pdata[0], ==, "{}");
}

/* Declining needs a reason: the next colleague reads it. */
static void
test_decline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(HgIncident) incident = incident_with_status (f, NULL);
  AdwMessageDialog *dialog = ask (f, incident, HG_ACTION_DECLINE);

  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Decline Incident?");
  g_assert_false (confirm_enabled (dialog));
  type_text (dialog, "in theatre");
  g_assert_true (confirm_enabled (dialog));
  respond (dialog, "confirm");
  g_assert_cmpint (f->answered_action, ==, HG_ACTION_DECLINE);
  g_assert_cmpstr (f->answers->pdata[0], ==, "{\"reason\":\"in theatre\"}");
}

/* Escalating is destructive (it alerts the next level) and its reason
 * optional. */
static void
test_escalate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(HgIncident) incident = incident_with_status (f, NULL);
  AdwMessageDialog *dialog = ask (f, incident, HG_ACTION_ESCALATE);

  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Escalate Incident?");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "confirm"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_true (confirm_enabled (dialog));
  respond (dialog, "confirm");
  g_assert_cmpint (f->answered_action, ==, HG_ACTION_ESCALATE);
  g_assert_cmpstr (f->answers->pdata[0], ==, "{}");
}

/* Cancel, or Escape (the close response), sends nothing; neither does a
 * confirmation once the one who asked is gone. */
static void
test_cancel_sends_nothing (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(HgIncident) incident = incident_with_status (f, NULL);
  AdwMessageDialog *dialog = ask (f, incident, HG_ACTION_DECLINE);

  type_text (dialog, "busy");
  respond (dialog, "cancel");
  g_assert_cmpuint (f->answers->len, ==, 0);

  dialog = ask (f, incident, HG_ACTION_DECLINE);
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  type_text (dialog, "busy");
  g_clear_object (&f->receiver);
  respond (dialog, "confirm");
  g_assert_cmpuint (f->answers->len, ==, 0);
}

/* --- A colleague ----------------------------------------------------------- */

static int
by_workload_then_id (gconstpointer a,
                     gconstpointer b)
{
  JsonObject *x = json_node_get_object (*(JsonNode **) a);
  JsonObject *y = json_node_get_object (*(JsonNode **) b);
  gint64 wx = json_object_get_int_member (x, "workload");
  gint64 wy = json_object_get_int_member (y, "workload");

  if (wx != wy)
    return wx < wy ? -1 : 1;
  return g_strcmp0 (json_object_get_string_member (x, "id"), json_object_get_string_member (y, "id"));
}

/* Everyone on duty but the holder, the least busy first, as the server
 * lists them: ids, and their names in @names. */
static GPtrArray *
expected_colleagues (Fixture    *f,
                     GPtrArray **names)
{
  g_autofree char *token = hg_test_login (f->ts, "N01");
  g_autoptr(JsonNode) staff = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) people = g_ptr_array_new ();
  const char *holder = hg_test_json_string (f->incident, "assignee.id");
  JsonArray *array;
  guint status;

  staff = hg_test_request (f->ts, "GET", "/api/v1/staff", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  array = JSON_NODE_HOLDS_ARRAY (staff) ? json_node_get_array (staff)
                                         : json_object_get_array_member (json_node_get_object (staff), "staff");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *person = json_array_get_element (array, i);
      JsonObject *object = json_node_get_object (person);

      if (json_object_get_boolean_member (object, "on_duty") &&
          g_strcmp0 (json_object_get_string_member (object, "id"), holder) != 0)
        g_ptr_array_add (people, person);
    }
  g_ptr_array_sort (people, by_workload_then_id);
  *names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < people->len; i++)
    {
      JsonObject *object = json_node_get_object (people->pdata[i]);

      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (object, "id")));
      g_ptr_array_add (*names, g_strdup (json_object_get_string_member (object, "name")));
    }
  return ids;
}

static void
test_reassign (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(HgIncident) incident = incident_with_status (f, NULL);
  g_autoptr(GPtrArray) expected_names = NULL;
  g_autoptr(GPtrArray) expected = expected_colleagues (f, &expected_names);
  AdwMessageDialog *dialog;
  GtkDropDown *dropdown;
  GListModel *names;
  g_autofree char *body = NULL;

  g_assert_cmpuint (expected->len, >, 2);
  dialog = ask (f, incident, HG_ACTION_REASSIGN);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Reassign Incident?");
  dropdown = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  names = gtk_drop_down_get_model (dropdown);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      const char *line = gtk_string_list_get_string (GTK_STRING_LIST (names), i);

      /* "Name — Role, N active", in the server's order; the holder is
       * not among them. */
      if (!g_str_has_prefix (line, expected_names->pdata[i]) || !g_str_has_suffix (line, " active"))
        g_error ("colleague %u is “%s”, not %s", i, line, (char *) expected_names->pdata[i]);
    }
  hg_test_app_screenshot (GTK_WIDGET (dialog), "action-reassign");

  gtk_drop_down_set_selected (dropdown, 2);
  respond (dialog, "confirm");
  g_assert_cmpuint (f->answers->len, ==, 1);
  g_assert_cmpint (f->answered_action, ==, HG_ACTION_REASSIGN);
  body = hg_action_body ("staff_id", expected->pdata[2]);
  g_assert_cmpstr (f->answers->pdata[0], ==, body);
}

int
main (int   argc,
      char *argv[])
{
  hg_test_app_init (&argc, &argv);
#define ADD(path, func) g_test_add ("/app/action-dialog/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("resolve-unstarted", test_resolve_unstarted);
  ADD ("resolve-started", test_resolve_started);
  ADD ("decline", test_decline);
  ADD ("escalate", test_escalate);
  ADD ("cancel-sends-nothing", test_cancel_sends_nothing);
  ADD ("reassign", test_reassign);
#undef ADD
  return g_test_run ();
}
