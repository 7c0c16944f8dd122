/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared fixture and checks for the error-table acceptance tests
 * (test-errors.c, test-errors-refusals.c). */
#pragma once

#include <string.h>

#include "hg-test-server.h"

#define ONE_MIB (1024 * 1024)

typedef struct {
  HgTestServer *ts;
  const char   *db;
  char         *nurse;    /* N01, the charge nurse of Cardiology */
} Fixture;

static inline void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->ts = hg_test_server_start (NULL, NULL);
  f->db = hg_test_server_db_path (f->ts);
  f->nurse = hg_test_login (f->ts, "N01");
}

static inline void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_free (f->nurse);
  hg_test_server_stop (f->ts);
}

/* --- Checks ----------------------------------------------------------- */

static inline gboolean
is_snake_case (const char *text)
{
  return g_regex_match_simple ("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", text, 0, 0);
}

/* The contract's error body, with the code and field the project documents
 * (@field NULL: the server may or may not name one). */
static inline void
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
static inline SoupMessageHeaders *
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

static inline void
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

static inline void
assert_positive_integer_header (SoupMessageHeaders *headers,
                                const char         *name)
{
  const char *value = soup_message_headers_get_one (headers, name);
  guint64 seconds = 0;

  g_assert_nonnull (value);
  g_assert_true (g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT32, &seconds, NULL));
  g_assert_cmpuint (seconds, >, 0);
}

static inline JsonNode *
post_alert (Fixture    *f,
            const char *type,
            const char *patient)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"%s\", \"patient_id\": \"%s\"}", type, patient);

  return hg_test_post_alert (f->ts, f->nurse, body);
}

static inline char *
incident_path (JsonNode   *posted,
               const char *action)
{
  return g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "%s%s",
                          hg_test_json_int (posted, "incident.id"),
                          action ? "/" : "", action ? action : "");
}
