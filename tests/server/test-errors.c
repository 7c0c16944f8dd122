/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance: every row of the contract's error table is provoked by a test,
 * which also checks that nothing was stored.
 *
 * Each refused request is checked for its status, for the error body
 * {"error": {"code": snake_case, "message": text, "field"?}}, and, when it
 * could have written anything, for an unchanged database fingerprint. The
 * expected codes and fields are the ones the project documents; the limits
 * (1 MiB, 2,000 characters, limit 1..500, 32 levels) are the contract's,
 * written out here rather than taken from the code under test. */
#include "config.h"

#include <string.h>

#include "hg-test-server.h"

#define ONE_MIB (1024 * 1024)

typedef struct {
  HgTestServer *ts;
  const char   *db;
  char         *nurse;    /* N01, the charge nurse of Cardiology */
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->ts = hg_test_server_start (NULL, NULL);
  f->db = hg_test_server_db_path (f->ts);
  f->nurse = hg_test_login (f->ts, "N01");
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_free (f->nurse);
  hg_test_server_stop (f->ts);
}

/* --- Checks ----------------------------------------------------------- */

static gboolean
is_snake_case (const char *text)
{
  return g_regex_match_simple ("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", text, 0, 0);
}

/* The contract's error body, with the code and field the project documents
 * (@field NULL: the server may or may not name one). */
static void
assert_error_body (JsonNode   *body,
                   const char *code,
                   const char *field)
{
  JsonObject *object, *error;
  JsonNode *member;
  g_autoptr(GList) members = NULL;

  g_assert_nonnull (body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (body));
  object = json_node_get_object (body);
  g_assert_cmpuint (json_object_get_size (object), ==, 1);
  member = json_object_get_member (object, "error");
  g_assert_nonnull (member);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (member));
  error = json_node_get_object (member);

  member = json_object_get_member (error, "code");
  g_assert_nonnull (member);
  g_assert_true (JSON_NODE_HOLDS_VALUE (member));
  g_assert_cmpint (json_node_get_value_type (member), ==, G_TYPE_STRING);
  g_assert_true (is_snake_case (json_node_get_string (member)));
  if (code != NULL)
    g_assert_cmpstr (json_node_get_string (member), ==, code);

  member = json_object_get_member (error, "message");
  g_assert_nonnull (member);
  g_assert_true (JSON_NODE_HOLDS_VALUE (member));
  g_assert_cmpint (json_node_get_value_type (member), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (member), !=, "");

  member = json_object_get_member (error, "field");
  if (field != NULL)
    {
      g_assert_nonnull (member);
      g_assert_true (JSON_NODE_HOLDS_VALUE (member));
      g_assert_cmpstr (json_node_get_string (member), ==, field);
    }
  else if (member != NULL)
    g_assert_true (JSON_NODE_HOLDS_NULL (member) ||
                   json_node_get_value_type (member) == G_TYPE_STRING);

  members = json_object_get_members (error);
  for (GList *l = members; l != NULL; l = l->next)
    g_assert_true (g_strv_contains ((const char *[]) { "code", "message", "field", NULL }, l->data));
}

/* Sends a request that must be refused with @status: checks the body and
 * that the database did not change. Returns the answer's headers. */
static SoupMessageHeaders *
refused_full (Fixture    *f,
              const char *method,
              const char *path,
              const char *token,
              const char *content_type,
              const char *body,
              gssize      len,
              guint       status,
              const char *code,
              const char *field)
{
  g_autofree char *before = hg_test_fingerprint (f->db);
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) answer = NULL;
  SoupMessageHeaders *headers = NULL;
  guint got;

  answer = hg_test_request_full (f->ts, method, path, token, content_type, body,
                                 body == NULL ? 0 : len >= 0 ? (gsize) len : strlen (body),
                                 &got, &headers);
  g_test_message ("%s %s: %u", method, path, got);
  g_assert_cmpuint (got, ==, status);
  assert_error_body (answer, code, field);
  after = hg_test_fingerprint (f->db);
  g_assert_cmpstr (after, ==, before);
  return headers;
}

static void
refused (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *body,
         guint       status,
         const char *code,
         const char *field)
{
  g_autoptr(SoupMessageHeaders) headers = refused_full (f, method, path, token, NULL, body, -1,
                                                        status, code, field);
}

static void
assert_positive_integer_header (SoupMessageHeaders *headers,
                                const char         *name)
{
  const char *value = soup_message_headers_get_one (headers, name);
  guint64 seconds = 0;

  g_assert_nonnull (value);
  g_assert_true (g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT32, &seconds, NULL));
  g_assert_cmpuint (seconds, >, 0);
}

static JsonNode *
post_alert (Fixture    *f,
            const char *type,
            const char *patient)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"%s\", \"patient_id\": \"%s\"}", type, patient);

  return hg_test_post_alert (f->ts, f->nurse, body);
}

static char *
incident_path (JsonNode   *posted,
               const char *action)
{
  return g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "%s%s",
                          hg_test_json_int (posted, "incident.id"),
                          action ? "/" : "", action ? action : "");
}

/* --- 400 -------------------------------------------------------------- */

static void
test_400_malformed_json (Fixture       *f,
                         gconstpointer  data)
{
  refused (f, "POST", "/api/v1/alerts", f->nurse, "{", 400, "malformed_json", NULL);
  refused (f, "POST", "/api/v1/alerts", f->nurse, "{\"type\": \"CALL_BUTTON\",}", 400, "malformed_json", NULL);
  refused (f, "POST", "/api/v1/alerts", f->nurse, "{\"type\": \"CALL_BUTTON\"} x", 400, "malformed_json", NULL);
  /* An empty body is not JSON either. */
  refused (f, "POST", "/api/v1/alerts", f->nurse, "", 400, "malformed_json", NULL);
  refused (f, "POST", "/api/v1/auth/login", NULL, "{\"staff_id\": ", 400, "malformed_json", NULL);
}

static void
test_400_not_an_object (Fixture       *f,
                        gconstpointer  data)
{
  refused (f, "POST", "/api/v1/alerts", f->nurse, "42", 400, "invalid_request", NULL);
  refused (f, "POST", "/api/v1/alerts", f->nurse, "\"CALL_BUTTON\"", 400, "invalid_request", NULL);
  refused (f, "POST", "/api/v1/alerts", f->nurse, "[]", 400, "invalid_batch", NULL);
}

static void
test_400_wrong_type (Fixture       *f,
                     gconstpointer  data)
{
  refused (f, "POST", "/api/v1/alerts", f->nurse, "{\"type\": 5}", 400, "invalid_field", "type");
  refused (f, "POST", "/api/v1/alerts", f->nurse, "{\"type\": \"CALL_BUTTON\", \"patient_id\": 1}",
           400, "invalid_field", "patient_id");
  refused (f, "POST", "/api/v1/alerts", f->nurse, "{\"type\": \"CALL_BUTTON\", \"message\": [\"a\"]}",
           400, "invalid_field", "message");
  /* Only "type" is required. */
  refused (f, "POST", "/api/v1/alerts", f->nurse, "{\"patient_id\": \"P001\"}", 400, "invalid_field", "type");
}

static void
test_400_limit_out_of_range (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonNode) page = NULL;
  guint status;

  refused (f, "GET", "/api/v1/incidents?limit=0", f->nurse, NULL, 400, "invalid_field", "limit");
  refused (f, "GET", "/api/v1/incidents?limit=501", f->nurse, NULL, 400, "invalid_field", "limit");
  refused (f, "GET", "/api/v1/incidents?limit=-1", f->nurse, NULL, 400, "invalid_field", "limit");
  refused (f, "GET", "/api/v1/incidents?limit=ten", f->nurse, NULL, 400, "invalid_field", "limit");
  refused (f, "GET", "/api/v1/alerts?limit=501", f->nurse, NULL, 400, "invalid_field", "limit");

  /* The bounds themselves are fine. */
  page = hg_test_request (f->ts, "GET", "/api/v1/incidents?limit=500", f->nurse, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&page, json_node_unref);
  page = hg_test_request (f->ts, "GET", "/api/v1/incidents?limit=1", f->nurse, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
}

static char *
alert_with_message (const char *unit,
                    guint       count)
{
  GString *body = g_string_new ("{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P001\", \"message\": \"");

  for (guint i = 0; i < count; i++)
    g_string_append (body, unit);
  g_string_append (body, "\"}");
  return g_string_free (body, FALSE);
}

static void
test_400_message_too_long (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *too_long = alert_with_message ("x", 2001);
  g_autofree char *too_long_wide = alert_with_message ("\xc3\xa9", 2001);   /* é */
  g_autofree char *longest = alert_with_message ("\xc3\xa9", 2000);
  g_autoptr(JsonNode) answer = NULL;

  refused (f, "POST", "/api/v1/alerts", f->nurse, too_long, 400, "too_long", "message");
  refused (f, "POST", "/api/v1/alerts", f->nurse, too_long_wide, 400, "too_long", "message");
  /* The limit counts characters, not bytes: 2,000 two-byte ones pass. */
  answer = hg_test_post_alert (f->ts, f->nurse, longest);
  g_assert_cmpint (g_utf8_strlen (hg_test_json_string (answer, "alert.message"), -1), ==, 2000);
}

static void
test_400_other_limits (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *long_text = g_strnfill (201, 'y');
  g_autofree char *source = g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"source\": \"%s\"}", long_text);
  g_autofree char *key = g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"labels\": {\"%s\": \"v\"}}", long_text);
  g_autofree char *value = g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"labels\": {\"k\": \"%s\"}}", long_text);
  GString *labels = g_string_new ("{\"type\": \"CALL_BUTTON\", \"labels\": {");
  g_autoptr(JsonNode) answer = NULL;

  /* Source 200 characters, 32 labels, label keys and values 200. */
  refused (f, "POST", "/api/v1/alerts", f->nurse, source, 400, "too_long", "source");
  refused (f, "POST", "/api/v1/alerts", f->nurse, key, 400, "too_long", "labels");
  refused (f, "POST", "/api/v1/alerts", f->nurse, value, 400, "too_long", "labels.k");
  for (guint i = 0; i < 33; i++)
    g_string_append_printf (labels, "%s\"l%u\": \"v\"", i ? ", " : "", i);
  g_string_append (labels, "}}");
  refused (f, "POST", "/api/v1/alerts", f->nurse, labels->str, 400, "too_many", "labels");
  g_string_free (labels, TRUE);

  refused (f, "POST", "/api/v1/alerts", f->nurse,
           "{\"type\": \"CALL_BUTTON\", \"occurred_at\": \"yesterday\"}", 400, "invalid_field", "occurred_at");
  refused (f, "POST", "/api/v1/alerts", f->nurse,
           "{\"type\": \"CALL_BUTTON\", \"location\": \"204\"}", 400, "invalid_field", "location");

  /* At the limits it is accepted. */
  long_text[200] = '\0';
  g_free (source);
  source = g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"source\": \"%s\", \"labels\": {\"%s\": \"%s\"}}",
                            long_text, long_text, long_text);
  answer = hg_test_post_alert (f->ts, f->nurse, source);
  g_assert_cmpint (strlen (hg_test_json_string (answer, "alert.source")), ==, 200);
}

static void
test_400_version_out_of_range (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(JsonNode) posted = post_alert (f, "CARDIAC_ARREST", "P001");
  g_autofree char *path = incident_path (posted, "escalate");

  refused (f, "POST", path, f->nurse, "{\"version\": 0}", 400, "out_of_range", "version");
  refused (f, "POST", path, f->nurse, "{\"version\": \"3\"}", 400, "invalid_field", "version");
}

static void
test_400_unknown_severity (Fixture       *f,
                           gconstpointer  data)
{
  refused (f, "POST", "/api/v1/alerts", f->nurse,
           "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P001\", \"severity\": \"urgent\"}",
           400, "invalid_enum", "severity");
  refused (f, "POST", "/api/v1/alerts", f->nurse,
           "{\"type\": \"CALL_BUTTON\", \"severity\": \"CRITICAL\"}", 400, "invalid_enum", "severity");
  refused (f, "POST", "/api/v1/alerts", f->nurse,
           "{\"type\": \"CALL_BUTTON\", \"phase\": \"middle\"}", 400, "invalid_enum", "phase");
}

static void
test_400_unknown_status_filter (Fixture       *f,
                                gconstpointer  data)
{
  refused (f, "GET", "/api/v1/incidents?status=bogus", f->nurse, NULL, 400, "invalid_enum", "status");
  refused (f, "GET", "/api/v1/incidents?status=open,bogus", f->nurse, NULL, 400, "invalid_enum", "status");
  refused (f, "GET", "/api/v1/incidents?severity=urgent", f->nurse, NULL, 400, "invalid_enum", "severity");
}

static void
test_400_invalid_cursor (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *foreign = g_base64_encode ((const guchar *) "v2:12", 5);
  g_autofree char *negative = g_base64_encode ((const guchar *) "v1:-3", 5);
  g_autofree char *path = NULL;

  refused (f, "GET", "/api/v1/incidents?cursor=garbage", f->nurse, NULL, 400, "invalid_cursor", "cursor");
  refused (f, "GET", "/api/v1/incidents?cursor=", f->nurse, NULL, 400, "invalid_cursor", "cursor");
  refused (f, "GET", "/api/v1/alerts?cursor=garbage", f->nurse, NULL, 400, "invalid_cursor", "cursor");
  path = g_strdup_printf ("/api/v1/incidents?cursor=%s", foreign);
  refused (f, "GET", path, f->nurse, NULL, 400, "invalid_cursor", "cursor");
  g_free (path);
  path = g_strdup_printf ("/api/v1/incidents?cursor=%s", negative);
  refused (f, "GET", path, f->nurse, NULL, 400, "invalid_cursor", "cursor");
}

static void
test_400_batch_all_or_nothing (Fixture       *f,
                               gconstpointer  data)
{
  refused (f, "POST", "/api/v1/alerts", f->nurse,
           "[{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P001\", \"message\": \"first\"},"
           " {\"type\": 5}]", 400, "invalid_field", "[1].type");
  refused (f, "POST", "/api/v1/alerts", f->nurse,
           "[{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P001\"},"
           " {\"type\": \"CALL_BUTTON\", \"patient_id\": \"P002\"},"
           " {\"type\": \"CALL_BUTTON\", \"severity\": \"urgent\"}]", 400, "invalid_enum", "[2].severity");
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM alerts"), ==, 0);
}

static void
test_400_batch_too_big (Fixture       *f,
                        gconstpointer  data)
{
  GString *body = g_string_new ("[");

  /* The contract's batch holds up to 500 alerts. */
  for (guint i = 0; i < 501; i++)
    g_string_append_printf (body, "%s{\"type\": \"CALL_BUTTON\", \"dedup_key\": \"k%u\"}", i ? "," : "", i);
  g_string_append (body, "]");
  refused (f, "POST", "/api/v1/alerts", f->nurse, body->str, 400, "invalid_batch", NULL);
  g_string_free (body, TRUE);
}

static char *
nested_arrays (guint depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

static void
test_400_too_deep (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *deep = nested_arrays (33);
  g_autofree char *deep_objects = NULL;
  g_autofree char *deepest_allowed = nested_arrays (32);
  g_autofree char *hostile = nested_arrays (100000);
  GString *objects = g_string_new (NULL);
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  refused (f, "POST", "/api/v1/alerts", f->nurse, deep, 400, "json_too_deep", NULL);
  for (guint i = 0; i < 33; i++)
    g_string_append (objects, "{\"a\":");
  g_string_append (objects, "1");
  for (guint i = 0; i < 33; i++)
    g_string_append_c (objects, '}');
  deep_objects = g_string_free (objects, FALSE);
  refused (f, "POST", "/api/v1/alerts", f->nurse, deep_objects, 400, "json_too_deep", NULL);
  /* A stack-exhausting body is refused the same way, not crashed on. */
  refused (f, "POST", "/api/v1/alerts", f->nurse, hostile, 400, "json_too_deep", NULL);

  /* 32 levels parse; that body is refused for what it holds instead. */
  answer = hg_test_request (f->ts, "POST", "/api/v1/alerts", f->nurse, deepest_allowed, &status);
  g_assert_cmpuint (status, ==, 400);
  assert_error_body (answer, NULL, NULL);
  g_assert_cmpstr (hg_test_json_string (answer, "error.code"), !=, "json_too_deep");
}

static void
test_400_invalid_utf8 (Fixture       *f,
                       gconstpointer  data)
{
  static const char *const bodies[] = {
    "{\"type\": \"CALL_BUTTON\", \"message\": \"\xff\xfe\"}",
    "{\"type\": \"CALL_BUTTON\", \"message\": \"\xc0\xaf\"}",         /* overlong "/" */
    "{\"type\": \"CALL_BUTTON\", \"message\": \"\xed\xa0\x80\"}",     /* a surrogate */
    "{\"type\": \"CALL_BUTTON\", \"message\": \"caf\xc3\"}",          /* cut short */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    refused (f, "POST", "/api/v1/alerts", f->nurse, bodies[i], 400, "malformed_json", NULL);
  /* A NUL byte inside a string would cut it short further on. */
  {
    static const char nul[] = "{\"type\": \"CALL_BUTTON\", \"message\": \"a\0b\"}";
    g_autoptr(SoupMessageHeaders) headers =
      refused_full (f, "POST", "/api/v1/alerts", f->nurse, NULL, nul, sizeof nul - 1,
                    400, "malformed_json", NULL);
  }
}

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

/* --- 413 -------------------------------------------------------------- */

/* Valid-looking JSON of exactly @size bytes. */
static char *
alert_of_size (gsize size)
{
  static const char head[] = "{\"type\": \"CALL_BUTTON\", \"message\": \"";
  static const char tail[] = "\"}";
  char *body = g_malloc (size + 1);
  gsize fill = size - strlen (head) - strlen (tail);

  memcpy (body, head, strlen (head));
  memset (body + strlen (head), 'x', fill);
  memcpy (body + strlen (head) + fill, tail, strlen (tail));
  body[size] = '\0';
  return body;
}

static void
test_413_body_too_large (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *over = alert_of_size (ONE_MIB + 1);
  g_autofree char *limit = alert_of_size (ONE_MIB);

  g_assert_cmpuint (strlen (over), ==, ONE_MIB + 1);
  refused (f, "POST", "/api/v1/alerts", f->nurse, over, 413, "payload_too_large", NULL);
  /* Exactly 1 MiB is read; it is refused for its 1 MiB message instead. */
  refused (f, "POST", "/api/v1/alerts", f->nurse, limit, 400, "too_long", "message");
  /* The server still answers afterwards. */
  refused (f, "POST", "/api/v1/alerts", f->nurse, "{", 400, "malformed_json", NULL);
}

/* Without a Content-Length the size is only known once read. */
static void
test_413_chunked (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = hg_test_server_url (f->ts, "/api/v1/alerts");
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *authorization = g_strdup_printf ("Bearer %s", f->nurse);
  g_autofree char *before = hg_test_fingerprint (f->db);
  g_autofree char *after = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_take (alert_of_size (ONE_MIB + 1), ONE_MIB + 1);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(JsonNode) answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_set_request_body (msg, "application/json", stream, -1);
  answer = hg_test_send_message (f->ts, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
  assert_error_body (answer, "payload_too_large", NULL);
  after = hg_test_fingerprint (f->db);
  g_assert_cmpstr (after, ==, before);
}

/* --- 415 -------------------------------------------------------------- */

static void
test_415_not_json (Fixture       *f,
                   gconstpointer  data)
{
  static const char body[] = "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P001\"}";
  g_autoptr(SoupMessageHeaders) plain = NULL;
  g_autoptr(SoupMessageHeaders) latin1 = NULL;
  g_autoptr(SoupMessageHeaders) form = NULL;

  plain = refused_full (f, "POST", "/api/v1/alerts", f->nurse, "text/plain", body, -1,
                        415, "unsupported_media_type", NULL);
  latin1 = refused_full (f, "POST", "/api/v1/alerts", f->nurse, "application/json; charset=iso-8859-1",
                         body, -1, 415, "unsupported_media_type", NULL);
  form = refused_full (f, "POST", "/api/v1/alerts", f->nurse, "application/x-www-form-urlencoded",
                       body, -1, 415, "unsupported_media_type", NULL);
}

static void
test_415_no_content_type (Fixture       *f,
                          gconstpointer  data)
{
  static const char body[] = "{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P001\"}";
  g_autofree char *url = hg_test_server_url (f->ts, "/api/v1/alerts");
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *authorization = g_strdup_printf ("Bearer %s", f->nurse);
  g_autofree char *before = hg_test_fingerprint (f->db);
  g_autofree char *after = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, sizeof body - 1);
  g_autoptr(JsonNode) answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_set_request_body_from_bytes (msg, NULL, bytes);
  g_assert_null (soup_message_headers_get_content_type (soup_message_get_request_headers (msg), NULL));
  answer = hg_test_send_message (f->ts, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 415);
  assert_error_body (answer, "unsupported_media_type", NULL);
  after = hg_test_fingerprint (f->db);
  g_assert_cmpstr (after, ==, before);

  /* application/json with an explicit UTF-8 charset is fine. */
  {
    guint status;
    g_autoptr(JsonNode) ok = hg_test_request_full (f->ts, "POST", "/api/v1/alerts", f->nurse,
                                                   "application/json; charset=utf-8", body,
                                                   sizeof body - 1, &status, NULL);
    g_assert_cmpuint (status, ==, 201);
  }
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
  ADD ("400/malformed-json", test_400_malformed_json);
  ADD ("400/not-an-object", test_400_not_an_object);
  ADD ("400/wrong-type", test_400_wrong_type);
  ADD ("400/limit-out-of-range", test_400_limit_out_of_range);
  ADD ("400/message-too-long", test_400_message_too_long);
  ADD ("400/other-limits", test_400_other_limits);
  ADD ("400/version-out-of-range", test_400_version_out_of_range);
  ADD ("400/unknown-severity", test_400_unknown_severity);
  ADD ("400/unknown-status-filter", test_400_unknown_status_filter);
  ADD ("400/invalid-cursor", test_400_invalid_cursor);
  ADD ("400/batch-all-or-nothing", test_400_batch_all_or_nothing);
  ADD ("400/batch-too-big", test_400_batch_too_big);
  ADD ("400/too-deep", test_400_too_deep);
  ADD ("400/invalid-utf8", test_400_invalid_utf8);
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
  ADD ("413/body-too-large", test_413_body_too_large);
  ADD ("413/chunked", test_413_chunked);
  ADD ("415/not-json", test_415_not_json);
  ADD ("415/no-content-type", test_415_no_content_type);
  ADD ("422/unknown-alert-type", test_422_unknown_alert_type);
  ADD ("422/unknown-patient", test_422_unknown_patient);
  ADD ("422/unknown-staff", test_422_unknown_staff);
  ADD ("422/batch-unknown-patient", test_422_batch_unknown_patient);
  ADD ("429/failed-logins", test_429_failed_logins);
  ADD ("503/store-closed", test_503_store_closed);
#undef ADD

  return g_test_run ();
}
