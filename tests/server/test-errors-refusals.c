/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance: the refusals in the contract's error table (401, 403, 404,
 * 405, 409, 422, 429, 503), each provoked by a test that also checks that
 * nothing was stored. Split from test-errors.c; see there for the checks. */
#include "config.h"

#include "hg-test-errors.h"

/* --- 401 -------------------------------------------------------------- */

static void
assert_unauthorized (Fixture    *f,
                     const char *method,
                     const char *path,
                     const char *token,
                     const char *body)
{
  g_autoptr(SoupMessageHeaders) headers = refused_full (f, method, path, token, NULL, body, -1,
                                                        401, NULL, NULL);

  g_assert_nonnull (soup_message_headers_get_one (headers, "WWW-Authenticate"));
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (headers, "WWW-Authenticate"), "Bearer"));
}

static void
test_401_no_token (Fixture       *f,
                   gconstpointer  data)
{
  assert_unauthorized (f, "GET", "/api/v1/incidents", NULL, NULL);
  assert_unauthorized (f, "GET", "/api/v1/me", NULL, NULL);
  assert_unauthorized (f, "POST", "/api/v1/alerts", NULL, "{\"type\": \"CALL_BUTTON\"}");
}

static void
test_401_unknown_token (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *forged = g_strdup (f->nurse);

  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  assert_unauthorized (f, "GET", "/api/v1/incidents", "not-a-token", NULL);
  assert_unauthorized (f, "POST", "/api/v1/alerts", forged, "{\"type\": \"CALL_BUTTON\"}");
}

static void
test_401_not_bearer (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *url = hg_test_server_url (f->ts, "/api/v1/me");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *basic = g_strdup_printf ("Basic %s", f->nurse);
  g_autoptr(JsonNode) answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", basic);
  answer = hg_test_send_message (f->ts, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  assert_error_body (answer, NULL, NULL);
  g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                  "WWW-Authenticate"));
}

static void
test_401_revoked_token (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N02");
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  me = hg_test_request (f->ts, "GET", "/api/v1/me", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hg_test_json_string (me, "id"), ==, "N02");

  answer = hg_test_request (f->ts, "POST", "/api/v1/auth/logout", token, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  g_assert_null (answer);

  assert_unauthorized (f, "GET", "/api/v1/me", token, NULL);
  assert_unauthorized (f, "POST", "/api/v1/alerts", token, "{\"type\": \"CALL_BUTTON\"}");
  assert_unauthorized (f, "POST", "/api/v1/auth/logout", token, NULL);
  /* Other sessions stay valid. */
  g_clear_pointer (&me, json_node_unref);
  me = hg_test_request (f->ts, "GET", "/api/v1/me", f->nurse, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
}

static void
test_401_expired_token (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N02");

  hg_test_sql (f->db, "UPDATE tokens SET expires_at = 1 WHERE staff_id = 'N02'");
  assert_unauthorized (f, "GET", "/api/v1/me", token, NULL);
  assert_unauthorized (f, "POST", "/api/v1/alerts", token, "{\"type\": \"CALL_BUTTON\"}");
}

static JsonNode *
login_refused (Fixture    *f,
               const char *staff_id,
               const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"%s\", \"password\": \"%s\"}", staff_id, password);
  g_autofree char *before = hg_test_fingerprint (f->db);
  g_autofree char *after = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  JsonNode *answer;
  guint status;

  answer = hg_test_request_full (f->ts, "POST", "/api/v1/auth/login", NULL, NULL, body, strlen (body),
                                 &status, &headers);
  g_assert_cmpuint (status, ==, 401);
  assert_error_body (answer, NULL, NULL);
  g_assert_nonnull (soup_message_headers_get_one (headers, "WWW-Authenticate"));
  after = hg_test_fingerprint (f->db);
  g_assert_cmpstr (after, ==, before);
  return answer;
}

static void
test_401_bad_credentials (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) wrong_password = login_refused (f, "N02", "password124");
  g_autoptr(JsonNode) unknown_id = login_refused (f, "N99", "password123");
  g_autoptr(JsonNode) admin_wrong = login_refused (f, "A01", "Password123");

  /* Nothing in the answer tells a guesser which of the two was wrong. */
  g_assert_cmpstr (hg_test_json_string (wrong_password, "error.code"), ==,
                   hg_test_json_string (unknown_id, "error.code"));
  g_assert_cmpstr (hg_test_json_string (wrong_password, "error.message"), ==,
                   hg_test_json_string (unknown_id, "error.message"));
  g_assert_cmpstr (hg_test_json_string (wrong_password, "error.field"), ==,
                   hg_test_json_string (unknown_id, "error.field"));
  g_assert_cmpstr (hg_test_json_string (admin_wrong, "error.code"), ==,
                   hg_test_json_string (unknown_id, "error.code"));
}

/* --- 403 -------------------------------------------------------------- */

static void
test_403_not_your_incident (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) posted = post_alert (f, "CARDIAC_ARREST", "P001");
  g_autofree char *nurse = hg_test_login (f->ts, "N03");
  g_autofree char *acknowledge = incident_path (posted, "acknowledge");
  g_autofree char *escalate = incident_path (posted, "escalate");
  g_autofree char *decline = incident_path (posted, "decline");

  g_assert_cmpstr (hg_test_json_string (posted, "incident.assignee.specialty"), ==, "cardiology");
  refused (f, "POST", acknowledge, nurse, NULL, 403, "not_your_incident", NULL);
  refused (f, "POST", escalate, nurse, "{\"reason\": \"help\"}", 403, "not_your_incident", NULL);
  refused (f, "POST", decline, nurse, "{\"reason\": \"busy\"}", 403, "not_your_incident", NULL);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM incidents WHERE status = 'assigned'"), ==, 1);
}

/* --- 404 -------------------------------------------------------------- */

static void
test_404_unknown_incident (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JsonNode) posted = post_alert (f, "CALL_BUTTON", "P001");

  refused (f, "GET", "/api/v1/incidents/999999", f->nurse, NULL, 404, "not_found", NULL);
  refused (f, "POST", "/api/v1/incidents/999999/acknowledge", f->nurse, NULL, 404, "not_found", NULL);
  refused (f, "POST", "/api/v1/incidents/999999/resolve", f->nurse, "{\"note\": \"x\"}", 404, "not_found", NULL);
  refused (f, "POST", "/api/v1/incidents/999999/notes", f->nurse, "{\"text\": \"x\"}", 404, "not_found", NULL);
}

static void
test_404_non_numeric_id (Fixture       *f,
                         gconstpointer  data)
{
  refused (f, "GET", "/api/v1/incidents/abc", f->nurse, NULL, 404, "not_found", NULL);
  refused (f, "GET", "/api/v1/incidents/0", f->nurse, NULL, 404, "not_found", NULL);
  refused (f, "GET", "/api/v1/incidents/-1", f->nurse, NULL, 404, "not_found", NULL);
  refused (f, "GET", "/api/v1/incidents/1.5", f->nurse, NULL, 404, "not_found", NULL);
  refused (f, "GET", "/api/v1/incidents/99999999999999999999999", f->nurse, NULL, 404, "not_found", NULL);
  refused (f, "POST", "/api/v1/incidents/abc/acknowledge", f->nurse, NULL, 404, "not_found", NULL);
  refused (f, "GET", "/api/v1/alerts/abc", f->nurse, NULL, 404, "not_found", NULL);
}

static void
test_404_unknown_alert (Fixture       *f,
                        gconstpointer  data)
{
  refused (f, "GET", "/api/v1/alerts/999999", f->nurse, NULL, 404, "not_found", NULL);
}

static void
test_404_unknown_path (Fixture       *f,
                       gconstpointer  data)
{
  refused (f, "GET", "/api/v1/nope", f->nurse, NULL, 404, "not_found", NULL);
  refused (f, "GET", "/api/v2/incidents", f->nurse, NULL, 404, "not_found", NULL);
  refused (f, "GET", "/", NULL, NULL, 404, "not_found", NULL);
  refused (f, "GET", "/api/v1/incidents/1/notes/2", f->nurse, NULL, 404, "not_found", NULL);
  /* An unknown path is unknown to everybody, signed in or not. */
  refused (f, "POST", "/api/v1/nope", NULL, "{}", 404, "not_found", NULL);
}

static void
test_404_unknown_action (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) posted = post_alert (f, "CALL_BUTTON", "P001");
  g_autofree char *explode = incident_path (posted, "explode");
  g_autofree char *upper = incident_path (posted, "ACKNOWLEDGE");

  refused (f, "POST", explode, f->nurse, NULL, 404, "unknown_action", NULL);
  refused (f, "POST", upper, f->nurse, NULL, 404, "unknown_action", NULL);
  refused (f, "POST", "/api/v1/incidents/999999/explode", f->nurse, NULL, 404, NULL, NULL);
}

static void
test_404_unknown_staff (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) known = NULL;
  guint status;

  known = hg_test_request (f->ts, "GET", "/api/v1/staff/N02", f->nurse, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  refused (f, "GET", "/api/v1/staff/Z99", f->nurse, NULL, 404, "not_found", NULL);
  refused (f, "GET", "/api/v1/staff/n02", f->nurse, NULL, 404, "not_found", NULL);
}

/* --- 405: not in the contract's table ---------------------------------- */

/* The contract is silent on a known path with the wrong method; the server
 * answers 405 with the contract's error body, as HTTP asks, and an Allow
 * header naming the methods the path takes. */
static void
assert_method_not_allowed (Fixture    *f,
                           const char *method,
                           const char *path,
                           const char *token,
                           const char *allowed)
{
  g_autoptr(SoupMessageHeaders) headers = refused_full (f, method, path, token, NULL,
                                                        g_str_equal (method, "GET") ? NULL : "{}", -1,
                                                        405, "method_not_allowed", NULL);
  const char *allow = soup_message_headers_get_one (headers, "Allow");

  g_assert_nonnull (allow);
  g_assert_true (soup_header_contains (allow, allowed));
}

static void
test_405_wrong_method (Fixture       *f,
                       gconstpointer  data)
{
  assert_method_not_allowed (f, "DELETE", "/api/v1/alerts", f->nurse, "POST");
  assert_method_not_allowed (f, "PUT", "/api/v1/incidents/1", f->nurse, "GET");
  assert_method_not_allowed (f, "GET", "/api/v1/auth/login", NULL, "POST");
  assert_method_not_allowed (f, "POST", "/health", NULL, "GET");
}

/* --- 409 -------------------------------------------------------------- */

static void
test_409_resolved_incident (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) posted = post_alert (f, "CALL_BUTTON", "P001");
  g_autofree char *resolve = incident_path (posted, "resolve");
  g_autofree char *acknowledge = incident_path (posted, "acknowledge");
  g_autofree char *claim = incident_path (posted, "claim");
  g_autoptr(JsonNode) resolved = NULL;
  guint status;

  /* The charge nurse closes it as a false alarm. */
  resolved = hg_test_request (f->ts, "POST", resolve, f->nurse, "{\"note\": \"false alarm\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hg_test_json_string (resolved, "status"), ==, "resolved");

  refused (f, "POST", acknowledge, f->nurse, NULL, 409, "illegal_transition", NULL);
  refused (f, "POST", resolve, f->nurse, "{\"note\": \"again\"}", 409, "illegal_transition", NULL);
  refused (f, "POST", claim, f->nurse, NULL, 409, "illegal_transition", NULL);
}

static void
test_409_stale_version (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) posted = post_alert (f, "CARDIAC_ARREST", "P001");
  g_autofree char *assignee = hg_test_login (f->ts, hg_test_json_string (posted, "incident.assignee.id"));
  g_autofree char *notes = incident_path (posted, "notes");
  g_autofree char *acknowledge = incident_path (posted, "acknowledge");
  g_autofree char *stale = NULL;
  g_autofree char *fresh = NULL;
  g_autoptr(JsonNode) note = NULL;
  g_autoptr(JsonNode) done = NULL;
  gint64 version = hg_test_json_int (posted, "incident.version");
  guint status;

  /* Someone else changes it between the read and the action. */
  note = hg_test_request (f->ts, "POST", notes, f->nurse, "{\"text\": \"family called\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  stale = g_strdup_printf ("{\"version\": %" G_GINT64_FORMAT "}", version);
  refused (f, "POST", acknowledge, assignee, stale, 409, "version_conflict", "version");

  /* With the current version it goes through. */
  fresh = g_strdup_printf ("{\"version\": %" G_GINT64_FORMAT "}", version + 1);
  done = hg_test_request (f->ts, "POST", acknowledge, assignee, fresh, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hg_test_json_string (done, "status"), ==, "acknowledged");
}

/* --- 422 -------------------------------------------------------------- */

static void
test_422_unknown_alert_type (Fixture       *f,
                             gconstpointer  data)
{
  refused (f, "POST", "/api/v1/alerts", f->nurse, "{\"type\": \"ALIEN_INVASION\", \"patient_id\": \"P001\"}",
           422, "unknown_alert_type", "type");
}

static void
test_422_unknown_patient (Fixture       *f,
                          gconstpointer  data)
{
  refused (f, "POST", "/api/v1/alerts", f->nurse, "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P999\"}",
           422, "unknown_patient", "patient_id");
}

static void
test_422_unknown_staff (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) posted = post_alert (f, "CALL_BUTTON", "P001");
  g_autofree char *reassign = incident_path (posted, "reassign");

  refused (f, "POST", reassign, f->nurse, "{\"staff_id\": \"Z99\"}", 422, "unknown_staff", "staff_id");
}

static void
test_422_batch_unknown_patient (Fixture       *f,
                                gconstpointer  data)
{
  refused (f, "POST", "/api/v1/alerts", f->nurse,
           "[{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P001\", \"message\": \"first, valid\"},"
           " {\"type\": \"CALL_BUTTON\", \"patient_id\": \"P999\"}]",
           422, "unknown_patient", "[1].patient_id");
  refused (f, "POST", "/api/v1/alerts", f->nurse,
           "[{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"},"
           " {\"type\": \"CALL_BUTTON\", \"patient_id\": \"P002\"},"
           " {\"type\": \"ALIEN_INVASION\"}]",
           422, "unknown_alert_type", "[2].type");
  /* The first, valid, alerts were not stored, nor their incidents. */
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM alerts"), ==, 0);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM incidents"), ==, 0);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM timeline"), ==, 0);
}

/* --- 429 -------------------------------------------------------------- */

static void
test_429_failed_logins (Fixture       *f,
                        gconstpointer  data)
{
  static const char right[] = "{\"staff_id\": \"N02\", \"password\": \"password123\"}";
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *other = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(JsonNode) answer = login_refused (f, "N02", "guess");
    }
  /* The sixth attempt is refused before the password is looked at. */
  headers = refused_full (f, "POST", "/api/v1/auth/login", NULL, NULL, right, -1,
                          429, "too_many_attempts", NULL);
  assert_positive_integer_header (headers, "Retry-After");

  /* The limit is per staff id: a colleague at the same desk signs in. */
  other = hg_test_login (f->ts, "N06");
  g_assert_nonnull (other);
}

/* --- 503 -------------------------------------------------------------- */

static void
test_503_store_closed (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) ready = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  guint status;

  ready = hg_test_request (f->ts, "GET", "/health/ready", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hg_test_json_string (ready, "status"), ==, "ready");

  hg_test_server_close_store (f->ts);

  /* A 5xx is logged as a warning, which these tests otherwise treat as fatal. */
  g_test_expect_message ("HealthGuard-Server", G_LOG_LEVEL_WARNING, "GET /health/ready failed*");
  headers = refused_full (f, "GET", "/health/ready", NULL, NULL, NULL, -1, 503, NULL, NULL);
  g_test_assert_expected_messages ();
  if (soup_message_headers_get_one (headers, "Retry-After") != NULL)
    assert_positive_integer_header (headers, "Retry-After");

  g_test_expect_message ("HealthGuard-Server", G_LOG_LEVEL_WARNING, "POST /api/v1/alerts failed*");
  refused (f, "POST", "/api/v1/alerts", f->nurse, "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P001\"}",
           503, NULL, NULL);
  g_test_assert_expected_messages ();
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM alerts"), ==, 0);

  /* Liveness is not readiness. */
  g_clear_pointer (&ready, json_node_unref);
  ready = hg_test_request (f->ts, "GET", "/health", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/errors/" path, Fixture, NULL, setup, func, teardown)
  ADD ("401/no-token", test_401_no_token);
  ADD ("401/unknown-token", test_401_unknown_token);
  ADD ("401/not-bearer", test_401_not_bearer);
  ADD ("401/revoked-token", test_401_revoked_token);
  ADD ("401/expired-token", test_401_expired_token);
  ADD ("401/bad-credentials", test_401_bad_credentials);
  ADD ("403/not-your-incident", test_403_not_your_incident);
  ADD ("404/unknown-incident", test_404_unknown_incident);
  ADD ("404/non-numeric-id", test_404_non_numeric_id);
  ADD ("404/unknown-alert", test_404_unknown_alert);
  ADD ("404/unknown-path", test_404_unknown_path);
  ADD ("404/unknown-action", test_404_unknown_action);
  ADD ("404/unknown-staff", test_404_unknown_staff);
  ADD ("405/wrong-method", test_405_wrong_method);
  ADD ("409/resolved-incident", test_409_resolved_incident);
  ADD ("409/stale-version", test_409_stale_version);
  ADD ("422/unknown-alert-type", test_422_unknown_alert_type);
  ADD ("422/unknown-patient", test_422_unknown_patient);
  ADD ("422/unknown-staff", test_422_unknown_staff);
  ADD ("422/batch-unknown-patient", test_422_batch_unknown_patient);
  ADD ("429/failed-logins", test_429_failed_logins);
  ADD ("503/store-closed", test_503_store_closed);
#undef ADD

  return g_test_run ();
}
