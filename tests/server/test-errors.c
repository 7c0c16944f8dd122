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

#include "hg-test-errors.h"

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
  ADD ("413/body-too-large", test_413_body_too_large);
  ADD ("413/chunked", test_413_chunked);
  ADD ("415/not-json", test_415_not_json);
  ADD ("415/no-content-type", test_415_no_content_type);
#undef ADD

  return g_test_run ();
}
