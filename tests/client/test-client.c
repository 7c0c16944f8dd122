/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Test"

#include "config.h"

#include "hg-client.h"
#include "hg-client-enums.h"
#include "hg-client-private.h"
#include "hg-error.h"
#include "hg-incident-list.h"
#include "hg-json.h"
#include "hg-test-server.h"

#define ACTIVE_PATH "/api/v1/incidents?status=open,assigned,acknowledged,in_progress&limit=500"

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the test's main context until @cond holds; fails after @msec. */
#define WAIT_UNTIL(cond, msec) G_STMT_START {                                 \
    gint64 deadline_ = g_get_monotonic_time () + (gint64) (msec) * 1000;      \
    guint tick_ = g_timeout_add (20, tick, NULL);                             \
    while (!(cond))                                                           \
      {                                                                       \
        if (g_get_monotonic_time () > deadline_)                              \
          g_error ("%s:%d: not within %d ms: %s", __FILE__, __LINE__,         \
                   (int) (msec), #cond);                                      \
        g_main_context_iteration (NULL, TRUE);                                \
      }                                                                       \
    g_source_remove (tick_);                                                  \
  } G_STMT_END

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  WAIT_UNTIL (*slot != NULL, 10000);
  return *slot;
}

static gboolean
login (HgClient    *client,
       const char  *staff_id,
       const char  *password,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hg_client_login_async (client, staff_id, password, "test-station", NULL, got_result, &result);
  return hg_client_login_finish (client, wait_result (&result), error);
}

static HgClient *
new_client (HgTestServer *ts,
            const char   *staff_id)
{
  g_autofree char *url = hg_test_server_url (ts, "");
  HgClient *client = hg_client_new (url);
  g_autoptr(GError) error = NULL;

  login (client, staff_id, "password123", &error);
  g_assert_no_error (error);
  g_assert_nonnull (hg_client_get_token (client));
  return client;
}

static HgIncident *
act (HgClient    *client,
     gint64       id,
     const char  *action,
     const char  *body,
     GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hg_client_act_async (client, id, action, body, NULL, got_result, &result);
  return hg_client_act_finish (client, wait_result (&result), error);
}

static HgIncident *
find (GListModel *model,
      gint64      id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HgIncident) incident = g_list_model_get_item (model, i);

      if (hg_incident_get_id (incident) == id)
        return incident;   /* the model keeps it alive */
    }
  return NULL;
}

/* id → version of the active incidents, as a fresh GET answers them. */
static GHashTable *
server_snapshot (HgTestServer *ts,
                 const char   *token)
{
  GHashTable *versions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  guint status;
  g_autoptr(JsonNode) answer = hg_test_request (ts, "GET", ACTIVE_PATH, token, NULL, &status);
  JsonArray *list;

  g_assert_cmpuint (status, ==, 200);
  g_assert_true (hg_test_json_is_null (answer, "next_cursor"));
  list = json_node_get_array (hg_test_json_get (answer, "incidents"));
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      gint64 id = json_object_get_int_member (item, "id");
      gint64 version = json_object_get_int_member (item, "version");

      g_hash_table_insert (versions, g_memdup2 (&id, sizeof id), g_memdup2 (&version, sizeof version));
    }
  return versions;
}

/* The model holds exactly those ids at those versions, each once. */
static gboolean
model_matches (GListModel *model,
               GHashTable *versions)
{
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (n != g_hash_table_size (versions))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HgIncident) incident = g_list_model_get_item (model, i);
      gint64 id = hg_incident_get_id (incident);
      gint64 *version = g_hash_table_lookup (versions, &id);

      if (version == NULL || *version != hg_incident_get_version (incident))
        return FALSE;
      if (g_hash_table_contains (seen, &id))
        return FALSE;   /* the same id twice */
      g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
    }
  return TRUE;
}

static gint64
post_alert (HgTestServer *ts,
            const char   *token,
            const char   *patient,
            char        **out_assignee)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"patient_id\": \"%s\"}", patient);
  g_autoptr(JsonNode) answer = hg_test_post_alert (ts, token, body);

  if (out_assignee != NULL)
    *out_assignee = g_strdup (hg_test_json_string (answer, "incident.assignee.id"));
  return hg_test_json_int (answer, "incident.id");
}

/* (a) ------------------------------------------------------------------- */

static void
test_login_refused (void)
{
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autofree char *url = hg_test_server_url (ts, "");
  g_autoptr(HgClient) client = hg_client_new (url);
  g_autoptr(GError) error = NULL;

  g_assert_false (login (client, "N01", "not-the-password", &error));
  g_assert_error (error, HG_ERROR, HG_ERROR_UNAUTHENTICATED);
  g_assert_cmpstr (error->message, ==, "unknown staff id or wrong password");
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, "bad_credentials");
  g_assert_null (hg_client_get_token (client));
  g_clear_error (&error);

  g_assert_true (login (client, "N01", "password123", &error));
  g_assert_no_error (error);
  g_assert_nonnull (hg_client_get_token (client));

  g_clear_object (&client);
  hg_test_server_stop (ts);
}

/* (b) ------------------------------------------------------------------- */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_live_list (void)
{
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autoptr(HgClient) client = new_client (ts, "N01");
  GListModel *model = hg_client_get_incidents (client);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(HgClient) assignee_client = NULL;
  g_autoptr(HgIncident) held = NULL;
  g_autoptr(HgIncident) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *assignee = NULL;
  guint status_notes = 0;
  guint n_before;
  gint64 id;

  g_assert_cmpint (hg_client_get_state (client), ==, HG_CLIENT_STATE_OFFLINE);
  hg_client_start (client);
  g_assert_cmpint (hg_client_get_state (client), ==, HG_CLIENT_STATE_CONNECTING);
  WAIT_UNTIL (hg_client_get_state (client) == HG_CLIENT_STATE_LIVE, 10000);
  before = server_snapshot (ts, hg_client_get_token (client));
  g_assert_true (model_matches (model, before));
  n_before = g_list_model_get_n_items (model);

  /* A new alert shows up within a second. */
  id = post_alert (ts, hg_client_get_token (client), "P003", &assignee);
  WAIT_UNTIL (find (model, id) != NULL, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before + 1);
  held = g_object_ref (find (model, id));
  g_assert_cmpint (hg_incident_get_status (held), ==, HG_INCIDENT_STATUS_ASSIGNED);
  g_signal_connect (held, "notify::status", G_CALLBACK (count_notify), &status_notes);

  /* The assignee acknowledges, with the client's own action call: the
   * item changes in place. */
  assignee_client = new_client (ts, assignee);
  answer = act (assignee_client, id, "acknowledge", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hg_incident_get_status (answer), ==, HG_INCIDENT_STATUS_ACKNOWLEDGED);
  WAIT_UNTIL (hg_incident_get_status (held) == HG_INCIDENT_STATUS_ACKNOWLEDGED, 1000);
  g_assert_true (find (model, id) == held);
  g_assert_cmpuint (status_notes, ==, 1);
  g_assert_cmpint (hg_incident_get_version (held), ==, hg_incident_get_version (answer));

  /* A refused action is an error in the server's words. */
  g_clear_object (&answer);
  answer = act (assignee_client, id, "acknowledge", NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, HG_ERROR, HG_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "cannot acknowledge an incident that is acknowledged");
  g_clear_error (&error);

  answer = act (assignee_client, id, "start", NULL, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (hg_incident_get_status (held) == HG_INCIDENT_STATUS_IN_PROGRESS, 1000);
  g_assert_cmpuint (status_notes, ==, 2);

  /* Resolving removes it. */
  g_clear_object (&answer);
  answer = act (assignee_client, id, "resolve", "{\"note\": \"patient settled\"}", &error);
  g_assert_no_error (error);
  WAIT_UNTIL (find (model, id) == NULL, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before);
  g_assert_cmpuint (status_notes, ==, 2);   /* removed, not updated */

  after = server_snapshot (ts, hg_client_get_token (client));
  WAIT_UNTIL (model_matches (model, after), 1000);
  g_assert_cmpint (hg_client_get_last_seq (client), >, 0);

  hg_client_stop (client);
  g_assert_cmpint (hg_client_get_state (client), ==, HG_CLIENT_STATE_OFFLINE);
  g_clear_object (&client);
  g_clear_object (&assignee_client);
  hg_test_server_stop (ts);
}

/* (c) ------------------------------------------------------------------- */

static void
record_state (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  HgClientState state = hg_client_get_state (HG_CLIENT (object));

  g_array_append_val ((GArray *) user_data, state);
}

/* @states holds @a, later @b, later @c. */
static gboolean
went_through (GArray        *states,
              HgClientState  a,
              HgClientState  b,
              HgClientState  c)
{
  HgClientState wanted[] = { a, b, c };
  guint next = 0;

  for (guint i = 0; i < states->len && next < G_N_ELEMENTS (wanted); i++)
    if (g_array_index (states, HgClientState, i) == wanted[next])
      next++;
  return next == G_N_ELEMENTS (wanted);
}

static void
test_reconnect_resume (void)
{
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autoptr(HgClient) client = new_client (ts, "N01");
  GListModel *model = hg_client_get_incidents (client);
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (HgClientState));
  g_autoptr(GHashTable) expected = NULL;
  g_autofree char *assignee = NULL;
  g_autofree char *assignee_token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) answer = NULL;
  HgIncident *first_object;
  gint64 first, second, seq_before;
  guint status;

  /* Short, so that the outage below is long enough to count. */
  hg_client_set_offline_timeout (client, 1);
  hg_client_start (client);
  WAIT_UNTIL (hg_client_get_state (client) == HG_CLIENT_STATE_LIVE, 10000);
  first = post_alert (ts, hg_client_get_token (client), "P003", &assignee);
  WAIT_UNTIL (find (model, first) != NULL, 1000);
  first_object = find (model, first);
  seq_before = hg_client_get_last_seq (client);
  g_signal_connect (client, "notify::state", G_CALLBACK (record_state), states);

  /* The server goes away (closing the stream) and comes back; the client
   * has not run meanwhile, so everything below happens while it is
   * disconnected. */
  hg_test_server_restart (ts);
  assignee_token = hg_test_login (ts, assignee);
  second = post_alert (ts, hg_client_get_token (client), "P004", NULL);
  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/acknowledge", first);
  answer = hg_test_request (ts, "POST", path, assignee_token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  expected = server_snapshot (ts, hg_client_get_token (client));
  g_assert_true (g_hash_table_contains (expected, &second));
  g_assert_false (model_matches (model, expected));

  WAIT_UNTIL (went_through (states, HG_CLIENT_STATE_RECONNECTING, HG_CLIENT_STATE_OFFLINE,
                            HG_CLIENT_STATE_LIVE), 10000);
  g_assert_cmpint (hg_client_get_offline_since (client), ==, 0);
  WAIT_UNTIL (model_matches (model, expected), 2000);
  /* Resumed, not refetched: the missed events were replayed in order. */
  g_assert_true (find (model, first) == first_object);
  g_assert_cmpint (hg_incident_get_status (first_object), ==, HG_INCIDENT_STATUS_ACKNOWLEDGED);
  g_assert_cmpint (hg_client_get_last_seq (client), >, seq_before);

  g_signal_handlers_disconnect_by_data (client, states);
  hg_client_stop (client);
  g_clear_object (&client);
  hg_test_server_stop (ts);
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* resync_required: the list is fetched again and swapped in at once. */
static void
test_resync (void)
{
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autoptr(HgClient) client = new_client (ts, "N01");
  GListModel *model = hg_client_get_incidents (client);
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *frame = NULL;
  guint changes = 0;
  gint64 id;

  hg_client_start (client);
  WAIT_UNTIL (hg_client_get_state (client) == HG_CLIENT_STATE_LIVE, 10000);
  id = post_alert (ts, hg_client_get_token (client), "P003", NULL);
  expected = server_snapshot (ts, hg_client_get_token (client));
  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes), &changes);
  frame = g_strdup_printf ("{\"seq\": %" G_GINT64_FORMAT ", \"type\": \"resync_required\", \"at\": \"x\","
                           " \"data\": {\"last_seq\": %" G_GINT64_FORMAT "}}",
                           hg_client_get_last_seq (client), hg_client_get_last_seq (client));
  g_assert_true (hg_client_handle_frame (client, frame, strlen (frame), &error));
  g_assert_no_error (error);
  WAIT_UNTIL (model_matches (model, expected), 2000);
  g_assert_nonnull (find (model, id));
  /* The refetch arrived first, as one change; the live event for the new
   * alert found it already there. */
  g_assert_cmpuint (changes, ==, 1);

  g_signal_handlers_disconnect_by_data (model, &changes);
  hg_client_stop (client);
  g_clear_object (&client);
  hg_test_server_stop (ts);
}

static void
test_unreachable (void)
{
  HgTestServer *ts = hg_test_server_start (NULL, NULL);
  g_autoptr(HgClient) client = new_client (ts, "N01");

  /* Nobody listens there any more. */
  hg_test_server_stop (ts);
  hg_client_start (client);
  WAIT_UNTIL (hg_client_get_state (client) == HG_CLIENT_STATE_OFFLINE, 5000);
  g_assert_cmpint (hg_client_get_offline_since (client), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (hg_client_get_incidents (client)), ==, 0);
  hg_client_stop (client);
}

/* (d) ------------------------------------------------------------------- */

static char *
incident_frame (gint64      seq,
                const char *type,
                gint64      id,
                gint64      version,
                const char *status)
{
  return g_strdup_printf ("{\"seq\": %" G_GINT64_FORMAT ", \"type\": \"%s\", \"at\": \"2026-11-23T04:23:18.839Z\","
                          " \"data\": {\"id\": %" G_GINT64_FORMAT ", \"version\": %" G_GINT64_FORMAT ","
                          " \"status\": \"%s\", \"severity\": \"high\", \"title\": \"Call button\","
                          " \"alert_type\": \"CALL_BUTTON\", \"patient\": null,"
                          " \"location\": {\"ward\": \"Surgery\", \"room\": \"508\", \"bed\": \"B\"},"
                          " \"assignee\": null, \"required_role\": \"nurse\", \"required_specialty\": null,"
                          " \"alert_count\": 1, \"escalation_level\": 0,"
                          " \"created_at\": \"2026-11-23T03:54:02.640Z\", \"assigned_at\": null,"
                          " \"acknowledged_at\": null, \"started_at\": null, \"resolved_at\": null}}",
                          seq, type, id, version, status);
}

static void
feed (HgClient   *client,
      gint64      seq,
      const char *type,
      gint64      id,
      gint64      version,
      const char *status)
{
  g_autofree char *frame = incident_frame (seq, type, id, version, status);
  g_autoptr(GError) error = NULL;

  g_assert_true (hg_client_handle_frame (client, frame, strlen (frame), &error));
  g_assert_no_error (error);
}

static void
test_apply_events (void)
{
  g_autoptr(HgClient) client = hg_client_new ("http://127.0.0.1:9/");
  GListModel *model = hg_client_get_incidents (client);
  HgIncident *incident;
  guint status_notes = 0;

  g_assert_cmpstr (hg_client_get_base_url (client), ==, "http://127.0.0.1:9");
  feed (client, 10, "incident.created", 1, 2, "assigned");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  incident = find (model, 1);
  g_signal_connect (incident, "notify::status", G_CALLBACK (count_notify), &status_notes);

  /* An older version never wins. */
  feed (client, 11, "incident.updated", 1, 1, "open");
  g_assert_cmpint (hg_incident_get_version (incident), ==, 2);
  g_assert_cmpint (hg_incident_get_status (incident), ==, HG_INCIDENT_STATUS_ASSIGNED);
  /* Nor the same one. */
  feed (client, 12, "incident.updated", 1, 2, "acknowledged");
  g_assert_cmpint (hg_incident_get_status (incident), ==, HG_INCIDENT_STATUS_ASSIGNED);
  g_assert_cmpuint (status_notes, ==, 0);

  feed (client, 13, "incident.updated", 1, 3, "acknowledged");
  g_assert_true (find (model, 1) == incident);
  g_assert_cmpint (hg_incident_get_status (incident), ==, HG_INCIDENT_STATUS_ACKNOWLEDGED);
  g_assert_cmpuint (status_notes, ==, 1);

  /* A frame at or below the last seq is a repeat. */
  feed (client, 13, "incident.updated", 1, 9, "in_progress");
  g_assert_cmpint (hg_incident_get_version (incident), ==, 3);
  g_assert_cmpint (hg_client_get_last_seq (client), ==, 13);

  /* A created event for something held is an update, not a duplicate. */
  feed (client, 14, "incident.created", 2, 1, "open");
  feed (client, 15, "incident.created", 2, 1, "open");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  /* Resolved leaves; a stale event afterwards does not bring it back. */
  feed (client, 16, "incident.updated", 1, 5, "resolved");
  g_assert_null (find (model, 1));
  feed (client, 17, "incident.updated", 1, 4, "in_progress");
  g_assert_null (find (model, 1));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpint (hg_client_get_last_seq (client), ==, 17);
}

static HgIncident *
incident_from_frame (gint64      id,
                     gint64      version,
                     const char *status)
{
  g_autofree char *frame = incident_frame (1, "incident.updated", id, version, status);
  g_autoptr(JsonNode) node = hg_json_parse (frame, strlen (frame), NULL);
  JsonNode *data = json_object_get_member (json_node_get_object (node), "data");
  g_autoptr(GError) error = NULL;
  HgIncident *incident = hg_json_incident_from_node (data, &error);

  g_assert_no_error (error);
  return incident;
}

/* The first fill pages each status on its own, so an incident that moved
 * meanwhile may come twice: the list holds it once, at its newest. */
static void
test_replace_duplicates (void)
{
  g_autoptr(HgIncidentList) list = hg_incident_list_new ();
  g_autoptr(GPtrArray) answer = g_ptr_array_new_with_free_func (g_object_unref);
  HgIncident *held;

  g_ptr_array_add (answer, incident_from_frame (1, 2, "open"));
  g_ptr_array_add (answer, incident_from_frame (2, 1, "open"));
  g_ptr_array_add (answer, incident_from_frame (1, 4, "acknowledged"));
  g_ptr_array_add (answer, incident_from_frame (2, 3, "resolved"));
  g_ptr_array_add (answer, incident_from_frame (1, 3, "assigned"));
  hg_incident_list_replace (list, answer);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  held = hg_incident_list_lookup (list, 1);
  g_assert_cmpint (hg_incident_get_version (held), ==, 4);
  g_assert_cmpint (hg_incident_get_status (held), ==, HG_INCIDENT_STATUS_ACKNOWLEDGED);
  /* A later resolved answer wins too; the stream's event removes it. */
  held = hg_incident_list_lookup (list, 2);
  g_assert_cmpint (hg_incident_get_version (held), ==, 3);
}

static void
record_change (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               gpointer    user_data)
{
  g_string_append_printf (user_data, "%u-%u+%u ", position, removed, added);
}

static GPtrArray *
answer_of (const gint64 *ids,
           guint         n,
           gint64        version)
{
  GPtrArray *answer = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (answer, incident_from_frame (ids[i], version, "assigned"));
  return answer;
}

/* A refetch changes the model only where the answer differs: the same
 * incidents again (newer versions) change nothing; those gone go run by
 * run; new ones come at the end, in one change; the objects are kept. */
static void
test_replace_in_place (void)
{
  g_autoptr(HgIncidentList) list = hg_incident_list_new ();
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GPtrArray) first = answer_of ((gint64[]) { 1, 2, 3, 4, 5 }, 5, 1);
  g_autoptr(GPtrArray) same = answer_of ((gint64[]) { 5, 4, 3, 2, 1 }, 5, 2);
  g_autoptr(GPtrArray) changed = answer_of ((gint64[]) { 1, 3, 6, 7 }, 4, 3);
  HgIncident *three;

  hg_incident_list_replace (list, first);
  three = hg_incident_list_lookup (list, 3);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_change), changes);

  hg_incident_list_replace (list, same);
  g_assert_cmpstr (changes->str, ==, "");
  g_assert_cmpint (hg_incident_get_version (three), ==, 2);

  /* 4 and 5 (positions 3, 4) go in one change, then 2 (position 1). */
  hg_incident_list_replace (list, changed);
  g_assert_cmpstr (changes->str, ==, "3-2+0 1-1+0 2-0+2 ");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  g_assert_true (hg_incident_list_lookup (list, 3) == three);
  g_assert_cmpint (hg_incident_get_version (three), ==, 3);
  g_assert_null (hg_incident_list_lookup (list, 2));
  g_assert_nonnull (hg_incident_list_lookup (list, 7));
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(HgIncident) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_true (hg_incident_list_lookup (list, hg_incident_get_id (item)) == item);
    }
  g_signal_handlers_disconnect_by_data (list, changes);
}

static void
count_staff_updated (HgClient *client,
                     HgStaff  *staff,
                     gpointer  user_data)
{
  g_ptr_array_add (user_data, g_object_ref (staff));
}

/* "staff.updated" frames come out as the "staff-updated" signal, once. */
static void
test_staff_events (void)
{
  g_autoptr(HgClient) client = hg_client_new ("http://127.0.0.1:9/");
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);
  const char *frame = "{\"seq\": 20, \"type\": \"staff.updated\", \"at\": \"2026-11-23T04:23:18.839Z\","
                      " \"data\": {\"id\": \"N01\", \"name\": \"Maria Santos\", \"role\": \"charge_nurse\","
                      " \"specialty\": null, \"ward\": \"Cardiology\", \"on_duty\": true,"
                      " \"available\": false, \"logged_in\": true, \"workload\": 2}}";
  g_autoptr(GError) error = NULL;
  HgStaff *staff;

  g_signal_connect (client, "staff-updated", G_CALLBACK (count_staff_updated), seen);
  g_assert_true (hg_client_handle_frame (client, frame, strlen (frame), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 1);
  staff = seen->pdata[0];
  g_assert_cmpstr (hg_staff_get_id (staff), ==, "N01");
  g_assert_false (hg_staff_get_available (staff));
  g_assert_cmpuint (hg_staff_get_workload (staff), ==, 2);
  g_assert_cmpint (hg_client_get_last_seq (client), ==, 20);

  /* A repeat is dropped like any other. */
  g_assert_true (hg_client_handle_frame (client, frame, strlen (frame), &error));
  g_assert_cmpuint (seen->len, ==, 1);
}

static void
test_backoff (void)
{
  for (guint attempt = 0; attempt < 40; attempt++)
    {
      guint base = MIN (500u << MIN (attempt, 16u), 30000u);
      guint delay = hg_client_backoff_msec (attempt);

      g_assert_cmpuint (delay, >=, base * 8 / 10);
      g_assert_cmpuint (delay, <=, base * 12 / 10);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/login/refused", test_login_refused);
  g_test_add_func ("/client/live-list", test_live_list);
  g_test_add_func ("/client/reconnect-resume", test_reconnect_resume);
  g_test_add_func ("/client/resync", test_resync);
  g_test_add_func ("/client/unreachable", test_unreachable);
  g_test_add_func ("/client/apply-events", test_apply_events);
  g_test_add_func ("/client/replace-duplicates", test_replace_duplicates);
  g_test_add_func ("/client/replace-in-place", test_replace_in_place);
  g_test_add_func ("/client/staff-events", test_staff_events);
  g_test_add_func ("/client/backoff", test_backoff);

  return g_test_run ();
}
