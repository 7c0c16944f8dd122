/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "hg-error.h"
#include "hg-json.h"

static void
test_status_mapping (void)
{
  static const struct {
    HgErrorCode  code;
    guint        status;
    const char  *wire_code;
  } table[] = {
    { HG_ERROR_INVALID, 400, "invalid_request" },
    { HG_ERROR_UNAUTHENTICATED, 401, "unauthorized" },
    { HG_ERROR_FORBIDDEN, 403, "forbidden" },
    { HG_ERROR_NOT_FOUND, 404, "not_found" },
    { HG_ERROR_CONFLICT, 409, "conflict" },
    { HG_ERROR_TOO_LARGE, 413, "payload_too_large" },
    { HG_ERROR_UNSUPPORTED_MEDIA, 415, "unsupported_media_type" },
    { HG_ERROR_UNKNOWN_REFERENCE, 422, "unknown_reference" },
    { HG_ERROR_RATE_LIMITED, 429, "rate_limited" },
    { HG_ERROR_UNAVAILABLE, 503, "unavailable" },
    { HG_ERROR_INTERNAL, 500, "internal_error" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = NULL;

      hg_set_error (&error, table[i].code, NULL, NULL, "test %u", i);
      g_assert_error (error, HG_ERROR, (int) table[i].code);
      g_assert_cmpuint (hg_error_to_http_status (error), ==, table[i].status);
      g_assert_cmpstr (hg_error_wire_code (error), ==, table[i].wire_code);
      g_assert_null (hg_error_get_wire_code (error));
      g_assert_null (hg_error_get_field (error));
      /* A client reads the status back as the same code. */
      g_assert_cmpint (hg_error_code_from_http_status (table[i].status), ==, table[i].code);
    }
  g_assert_cmpint (hg_error_code_from_http_status (405), ==, HG_ERROR_NOT_FOUND);
  g_assert_cmpint (hg_error_code_from_http_status (418), ==, HG_ERROR_INTERNAL);
  g_assert_cmpint (hg_error_code_from_http_status (502), ==, HG_ERROR_INTERNAL);
}

/* What a client makes of the contract's error body. */
static void
test_from_answer (void)
{
  static const char *const not_errors[] = {
    "{}", "[]", "\"error\"", "{\"error\": \"no\"}", "{\"error\": {\"code\": \"conflict\"}}",
    "{\"error\": {\"message\": 7}}",
  };
  static const char conflict[] = "{\"error\": {\"code\": \"illegal_transition\","
                                 " \"message\": \"cannot start a resolved incident\", \"field\": \"status\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_json_parse (conflict, strlen (conflict), NULL);

  g_assert_nonnull (answer);
  g_assert_true (hg_json_error_from_answer (answer, 409, &error));
  g_assert_error (error, HG_ERROR, HG_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "cannot start a resolved incident");
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, "illegal_transition");
  g_assert_cmpstr (hg_error_get_field (error), ==, "status");
  g_clear_error (&error);

  /* No message: nothing is set, and the caller says what it got. */
  g_assert_false (hg_json_error_from_answer (NULL, 500, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (not_errors); i++)
    {
      g_autoptr(JsonNode) other = hg_json_parse (not_errors[i], strlen (not_errors[i]), NULL);

      g_assert_nonnull (other);
      g_assert_false (hg_json_error_from_answer (other, 400, &error));
      g_assert_no_error (error);
    }
}

static void
test_other_domains (void)
{
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "gone");
  g_autoptr(GError) plain = NULL;

  g_assert_cmpuint (hg_error_to_http_status (io), ==, 500);
  g_assert_cmpstr (hg_error_wire_code (io), ==, "internal_error");
  g_assert_null (hg_error_get_wire_code (io));
  g_assert_null (hg_error_get_field (io));
  /* Prefixing an error of another domain does nothing, and does not crash. */
  hg_error_prefix_field (io, "[1]");
  g_assert_null (hg_error_get_field (io));

  /* An HG_ERROR made without hg_set_error still has its (empty) extras. */
  plain = g_error_new_literal (HG_ERROR, HG_ERROR_NOT_FOUND, "no such incident");
  g_assert_cmpuint (hg_error_to_http_status (plain), ==, 404);
  g_assert_cmpstr (hg_error_wire_code (plain), ==, "not_found");
  g_assert_null (hg_error_get_field (plain));
}

static void
test_wire_code_and_field (void)
{
  g_autoptr(GError) error = NULL;

  hg_set_error (&error, HG_ERROR_CONFLICT, "illegal_transition", "status",
                "cannot %s an incident that is %s", "start", "resolved");
  g_assert_cmpstr (error->message, ==, "cannot start an incident that is resolved");
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, "illegal_transition");
  g_assert_cmpstr (hg_error_wire_code (error), ==, "illegal_transition");
  g_assert_cmpstr (hg_error_get_field (error), ==, "status");
  g_assert_cmpuint (hg_error_to_http_status (error), ==, 409);
}

static void
test_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;

  hg_set_error (&error, HG_ERROR_INVALID, "too_long", "message", "too long");
  copy = g_error_copy (error);
  g_clear_error (&error);

  g_assert_error (copy, HG_ERROR, HG_ERROR_INVALID);
  g_assert_cmpstr (hg_error_get_wire_code (copy), ==, "too_long");
  g_assert_cmpstr (hg_error_get_field (copy), ==, "message");
}

static void
test_prefix_field (void)
{
  g_autoptr(GError) named = NULL;
  g_autoptr(GError) unnamed = NULL;

  hg_set_error (&named, HG_ERROR_INVALID, "invalid_field", "type", "bad type");
  hg_error_prefix_field (named, "[3]");
  g_assert_cmpstr (hg_error_get_field (named), ==, "[3].type");
  hg_error_prefix_field (named, "alerts");
  g_assert_cmpstr (hg_error_get_field (named), ==, "alerts[3].type");

  hg_set_error (&unnamed, HG_ERROR_INVALID, "invalid_request", NULL, "not an object");
  hg_error_prefix_field (unnamed, "[3]");
  g_assert_cmpstr (hg_error_get_field (unnamed), ==, "[3]");
}

static void
test_null_error (void)
{
  /* Callers that do not want the error pass NULL. */
  hg_set_error (NULL, HG_ERROR_INVALID, "x", "y", "ignored %d", 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/shared/error/status-mapping", test_status_mapping);
  g_test_add_func ("/shared/error/other-domains", test_other_domains);
  g_test_add_func ("/shared/error/from-answer", test_from_answer);
  g_test_add_func ("/shared/error/wire-code-and-field", test_wire_code_and_field);
  g_test_add_func ("/shared/error/copy", test_copy);
  g_test_add_func ("/shared/error/prefix-field", test_prefix_field);
  g_test_add_func ("/shared/error/null-error", test_null_error);

  return g_test_run ();
}
