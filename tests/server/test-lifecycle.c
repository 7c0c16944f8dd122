/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance: every allowed transition works over HTTP, every other one
 * answers 409, and acting on someone else's incident answers 403. The
 * expected outcomes are written out by hand from the contract, not derived
 * from the code under test. */
#include "config.h"

#include "hg-test-server.h"

typedef struct {
  const char *state;     /* the incident's status before */
  const char *actor;     /* who acts */
  const char *action;
  guint       status;    /* HTTP answer */
  const char *next;      /* status after, for 200 */
} Row;

/* The assignee is S01 (cardiologist); an open incident has nobody, and the
 * charge nurse N01 acts on it. */
static const Row own_rows[] = {
  { "open", "N01", "acknowledge", 409, NULL },
  { "open", "N01", "start", 409, NULL },
  { "open", "N01", "resolve", 200, "resolved" },
  { "open", "N01", "claim", 200, "acknowledged" },
  { "open", "N01", "decline", 409, NULL },
  { "open", "N01", "reassign", 200, "assigned" },
  { "open", "N01", "escalate", 200, "assigned" },

  { "assigned", "S01", "acknowledge", 200, "acknowledged" },
  { "assigned", "S01", "start", 409, NULL },
  { "assigned", "S01", "resolve", 200, "resolved" },
  { "assigned", "S01", "claim", 200, "acknowledged" },
  { "assigned", "S01", "decline", 200, "assigned" },
  { "assigned", "S01", "reassign", 200, "assigned" },
  { "assigned", "S01", "escalate", 200, "assigned" },

  { "acknowledged", "S01", "acknowledge", 409, NULL },
  { "acknowledged", "S01", "start", 200, "in_progress" },
  { "acknowledged", "S01", "resolve", 409, NULL },
  { "acknowledged", "S01", "claim", 409, NULL },
  { "acknowledged", "S01", "decline", 409, NULL },
  { "acknowledged", "S01", "reassign", 200, "assigned" },
  { "acknowledged", "S01", "escalate", 200, "acknowledged" },

  { "in_progress", "S01", "acknowledge", 409, NULL },
  { "in_progress", "S01", "start", 409, NULL },
  { "in_progress", "S01", "resolve", 200, "resolved" },
  { "in_progress", "S01", "claim", 409, NULL },
  { "in_progress", "S01", "decline", 409, NULL },
  { "in_progress", "S01", "reassign", 200, "assigned" },
  { "in_progress", "S01", "escalate", 200, "in_progress" },

  { "resolved", "S01", "acknowledge", 409, NULL },
  { "resolved", "S01", "start", 409, NULL },
  { "resolved", "S01", "resolve", 409, NULL },
  { "resolved", "S01", "claim", 409, NULL },
  { "resolved", "S01", "decline", 409, NULL },
  { "resolved", "S01", "reassign", 409, NULL },
  { "resolved", "S01", "escalate", 409, NULL },
  { "resolved", "N01", "resolve", 409, NULL },
};

/* N03, a nurse who is neither the assignee nor a supervisor. The state is
 * judged first: what the state forbids is 409 for anyone. */
static const Row other_rows[] = {
  { "assigned", "N03", "acknowledge", 403, NULL },
  { "assigned", "N03", "resolve", 403, NULL },
  { "assigned", "N03", "decline", 403, NULL },
  { "assigned", "N03", "reassign", 403, NULL },
  { "assigned", "N03", "escalate", 403, NULL },
  { "assigned", "N03", "claim", 409, NULL },
  { "assigned", "N03", "start", 409, NULL },
  { "acknowledged", "N03", "start", 403, NULL },
  { "acknowledged", "N03", "reassign", 403, NULL },
  { "acknowledged", "N03", "escalate", 403, NULL },
  { "in_progress", "N03", "resolve", 403, NULL },
  { "in_progress", "N03", "reassign", 403, NULL },
  { "in_progress", "N03", "escalate", 403, NULL },
  { "open", "N03", "resolve", 403, NULL },
  { "open", "N03", "reassign", 403, NULL },
  /* Supervisors may act on anyone's incident. */
  { "assigned", "N01", "reassign", 200, "assigned" },
  { "in_progress", "N01", "resolve", 200, "resolved" },
  { "assigned", "A01", "escalate", 200, "assigned" },
};

typedef struct {
  HgTestServer *ts;
  GHashTable   *tokens;   /* staff id -> token */
  guint         serial;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->ts = hg_test_server_start (NULL, NULL);
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_hash_table_unref (f->tokens);
  hg_test_server_stop (f->ts);
}

static const char *
token_for (Fixture    *f,
           const char *staff_id)
{
  char *token = g_hash_table_lookup (f->tokens, staff_id);

  if (token == NULL)
    {
      token = hg_test_login (f->ts, staff_id);
      g_hash_table_insert (f->tokens, (gpointer) staff_id, token);
    }
  return token;
}

/* A fresh incident, put into @state for S01 by plain SQL. */
static gint64
incident_in_state (Fixture    *f,
                   const char *state,
                   guint       escalation_level)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\","
                                           " \"dedup_key\": \"lifecycle-%u\"}", f->serial++);
  g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, token_for (f, "N01"), body);
  gint64 id = hg_test_json_int (answer, "incident.id");
  g_autofree char *sql = g_strdup_printf ("UPDATE incidents SET status = '%s', assignee_id = %s,"
                                          " escalation_level = %u WHERE id = %" G_GINT64_FORMAT,
                                          state, g_str_equal (state, "open") ? "NULL" : "'S01'",
                                          escalation_level, id);

  hg_test_sql (hg_test_server_db_path (f->ts), sql);
  return id;
}

static const char *
body_for (const char *action)
{
  if (g_str_equal (action, "resolve"))
    return "{\"note\": \"false alarm: lead came off\"}";
  if (g_str_equal (action, "decline") || g_str_equal (action, "escalate"))
    return "{\"reason\": \"with another patient\"}";
  if (g_str_equal (action, "reassign"))
    return "{\"staff_id\": \"S02\"}";
  return NULL;
}

static gint64
timeline_rows (Fixture *f,
               gint64   id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM timeline WHERE incident_id = %"
                                          G_GINT64_FORMAT, id);
  return hg_test_sql_int (hg_test_server_db_path (f->ts), sql);
}

static gint64
version_of (Fixture *f,
            gint64   id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT version FROM incidents WHERE id = %" G_GINT64_FORMAT, id);
  return hg_test_sql_int (hg_test_server_db_path (f->ts), sql);
}

static void
check_row (Fixture   *f,
           const Row *row)
{
  const char *token = token_for (f, row->actor);
  gint64 id = incident_in_state (f, row->state, 0);
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/%s", id, row->action);
  g_autofree char *before = hg_test_fingerprint (hg_test_server_db_path (f->ts));
  gint64 version = version_of (f, id);
  gint64 timeline = timeline_rows (f, id);
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  g_test_message ("%s %s on a %s incident", row->actor, row->action, row->state);
  answer = hg_test_request (f->ts, "POST", path, token, body_for (row->action), &status);
  g_assert_cmpuint (status, ==, row->status);

  if (row->status == 200)
    {
      g_assert_cmpstr (hg_test_json_string (answer, "status"), ==, row->next);
      /* Every change bumps the version and writes the timeline. */
      g_assert_cmpint (hg_test_json_int (answer, "version"), >, version);
      g_assert_cmpint (timeline_rows (f, id), >, timeline);
      if (g_str_equal (row->action, "decline"))
        g_assert_cmpstr (hg_test_json_string (answer, "assignee.id"), !=, row->actor);
      if (g_str_equal (row->action, "reassign"))
        g_assert_cmpstr (hg_test_json_string (answer, "assignee.id"), ==, "S02");
      if (g_str_equal (row->action, "escalate"))
        g_assert_cmpint (hg_test_json_int (answer, "escalation_level"), ==, 1);
      if (g_str_equal (row->action, "claim"))
        g_assert_cmpstr (hg_test_json_string (answer, "assignee.id"), ==, row->actor);
    }
  else
    {
      g_autofree char *after = hg_test_fingerprint (hg_test_server_db_path (f->ts));

      const char *code = hg_test_json_string (answer, "error.code");

      if (row->status == 409)
        g_assert_cmpstr (code, ==, "illegal_transition");
      else
        g_assert_true (g_strv_contains ((const char *[]) { "not_your_incident", "role_not_allowed", NULL }, code));
      g_assert_cmpstr (after, ==, before);
    }
}

static void
test_own_table (Fixture       *f,
                gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (own_rows); i++)
    check_row (f, &own_rows[i]);
}

static void
test_others_table (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (other_rows); i++)
    check_row (f, &other_rows[i]);
}

static void
test_claim_escalated (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = incident_in_state (f, "assigned", 1);
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/claim", id);
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  /* An escalated incident may be taken by whoever is free. */
  answer = hg_test_request (f->ts, "POST", path, token_for (f, "N03"), NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hg_test_json_string (answer, "assignee.id"), ==, "N03");
  g_assert_cmpstr (hg_test_json_string (answer, "status"), ==, "acknowledged");
}

static void
test_text_required (Fixture       *f,
                    gconstpointer  data)
{
  const char *token = token_for (f, "S01");
  gint64 id = incident_in_state (f, "assigned", 0);
  g_autofree char *resolve = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/resolve", id);
  g_autofree char *decline = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/decline", id);
  g_autofree char *before = hg_test_fingerprint (hg_test_server_db_path (f->ts));
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  guint status;

  /* Closing an unworked incident as a false alarm needs a note. */
  a = hg_test_request (f->ts, "POST", resolve, token, NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (hg_test_json_string (a, "error.field"), ==, "note");
  b = hg_test_request (f->ts, "POST", decline, token, "{}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (hg_test_json_string (b, "error.field"), ==, "reason");
  after = hg_test_fingerprint (hg_test_server_db_path (f->ts));
  g_assert_cmpstr (after, ==, before);
}

static void
test_full_story (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) posted = hg_test_post_alert (f->ts, token_for (f, "N01"),
      "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\", \"message\": \"VF detected\"}");
  const char *doctor = hg_test_json_string (posted, "incident.assignee.id");
  gint64 id = hg_test_json_int (posted, "incident.id");
  static const char *const steps[] = { "acknowledge", "start", "resolve" };
  g_autoptr(JsonNode) detail = NULL;
  g_autofree char *path = NULL;
  guint status;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *step = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/%s", id, steps[i]);
      g_autoptr(JsonNode) answer = hg_test_request (f->ts, "POST", step, token_for (f, doctor),
                                                    body_for (steps[i]), &status);
      g_assert_cmpuint (status, ==, 200);
    }
  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/notes", id);
  g_clear_pointer (&detail, json_node_unref);
  detail = hg_test_request (f->ts, "POST", path, token_for (f, "N03"), "{\"text\": \"family informed\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (hg_test_json_string (detail, "author.id"), ==, "N03");

  g_clear_pointer (&path, g_free);
  g_clear_pointer (&detail, json_node_unref);
  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT, id);
  detail = hg_test_request (f->ts, "GET", path, token_for (f, "N03"), NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hg_test_json_string (detail, "status"), ==, "resolved");
  g_assert_false (hg_test_json_is_null (detail, "acknowledged_at"));
  g_assert_false (hg_test_json_is_null (detail, "started_at"));
  g_assert_false (hg_test_json_is_null (detail, "resolved_at"));
  g_assert_cmpstr (hg_test_json_string (detail, "alerts.0.message"), ==, "VF detected");
  /* The resolve note and the later note, in order. */
  g_assert_cmpstr (hg_test_json_string (detail, "notes.0.text"), ==, "false alarm: lead came off");
  g_assert_cmpstr (hg_test_json_string (detail, "notes.1.text"), ==, "family informed");
  /* created, assigned, acknowledged, started, resolved, note. */
  g_assert_cmpstr (hg_test_json_string (detail, "timeline.0.action"), ==, "created");
  g_assert_cmpstr (hg_test_json_string (detail, "timeline.1.action"), ==, "assigned");
  g_assert_cmpstr (hg_test_json_string (detail, "timeline.2.action"), ==, "acknowledged");
  g_assert_cmpstr (hg_test_json_string (detail, "timeline.2.actor.id"), ==, doctor);
  g_assert_cmpstr (hg_test_json_string (detail, "timeline.3.action"), ==, "started");
  g_assert_cmpstr (hg_test_json_string (detail, "timeline.4.action"), ==, "resolved");
  g_assert_cmpstr (hg_test_json_string (detail, "timeline.4.from"), ==, "in_progress");
  g_assert_cmpstr (hg_test_json_string (detail, "timeline.4.to"), ==, "resolved");
  g_assert_cmpstr (hg_test_json_string (detail, "timeline.5.action"), ==, "note");
}

static void
test_decline_until_nobody (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JsonNode) posted = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *path = NULL;
  guint status;

  /* Only the two cardiologists and nobody else on duty. */
  hg_test_sql (hg_test_server_db_path (f->ts), "DELETE FROM shifts WHERE staff_id NOT IN ('S01', 'S02')");
  posted = hg_test_post_alert (f->ts, token_for (f, "N01"), "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P002\"}");
  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/decline", hg_test_json_int (posted, "incident.id"));

  answer = hg_test_request (f->ts, "POST", path, token_for (f, hg_test_json_string (posted, "incident.assignee.id")),
                            body_for ("decline"), &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hg_test_json_string (answer, "status"), ==, "assigned");
  g_assert_cmpstr (hg_test_json_string (answer, "assignee.id"), !=,
                   hg_test_json_string (posted, "incident.assignee.id"));

  {
    g_autoptr(JsonNode) last = hg_test_request (f->ts, "POST", path,
                                                token_for (f, hg_test_json_string (answer, "assignee.id")),
                                                body_for ("decline"), &status);
    /* Nobody left: back to open, and escalated. */
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpstr (hg_test_json_string (last, "status"), ==, "open");
    g_assert_true (hg_test_json_is_null (last, "assignee"));
    g_assert_cmpint (hg_test_json_int (last, "escalation_level"), ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/lifecycle/own-incident-table", Fixture, NULL, setup, test_own_table, teardown);
  g_test_add ("/server/lifecycle/someone-elses-table", Fixture, NULL, setup, test_others_table, teardown);
  g_test_add ("/server/lifecycle/claim-escalated", Fixture, NULL, setup, test_claim_escalated, teardown);
  g_test_add ("/server/lifecycle/text-required", Fixture, NULL, setup, test_text_required, teardown);
  g_test_add ("/server/lifecycle/full-story", Fixture, NULL, setup, test_full_story, teardown);
  g_test_add ("/server/lifecycle/decline-until-nobody", Fixture, NULL, setup, test_decline_until_nobody, teardown);

  return g_test_run ();
}
