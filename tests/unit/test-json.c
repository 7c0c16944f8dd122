/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hg-test-json.h"

static void
assert_parse_fails (const char *data,
                    gsize       len,
                    const char *wire_code)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = hg_json_parse (data, len, &error);

  g_assert_null (node);
  g_assert_error (error, HG_ERROR, HG_ERROR_INVALID);
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, wire_code);
  g_assert_cmpuint (hg_error_to_http_status (error), ==, 400);
}

static char *
nested (guint       depth,
        const char *inner)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  g_string_append (s, inner);
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* Parsing */

static void
test_parse_depth (void)
{
  g_autofree char *ok = nested (HG_MAX_JSON_DEPTH, "1");
  g_autofree char *deep = nested (HG_MAX_JSON_DEPTH + 1, "1");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) s = g_string_new (NULL);

  node = parse_ok (ok);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  assert_parse_fails (deep, strlen (deep), "json_too_deep");

  /* Objects count as much as arrays. */
  for (guint i = 0; i < HG_MAX_JSON_DEPTH; i++)
    g_string_append (s, "{\"a\":");
  g_string_append (s, "1");
  for (guint i = 0; i < HG_MAX_JSON_DEPTH; i++)
    g_string_append_c (s, '}');
  g_clear_pointer (&node, json_node_unref);
  node = parse_ok (s->str);

  g_string_truncate (s, 0);
  for (guint i = 0; i < HG_MAX_JSON_DEPTH + 1; i++)
    g_string_append (s, "{\"a\":");
  g_string_append (s, "1");
  for (guint i = 0; i < HG_MAX_JSON_DEPTH + 1; i++)
    g_string_append_c (s, '}');
  assert_parse_fails (s->str, s->len, "json_too_deep");

  /* Depth, not count: many shallow containers are fine. */
  g_string_truncate (s, 0);
  g_string_append_c (s, '[');
  for (guint i = 0; i < 1000; i++)
    g_string_append (s, i > 0 ? ",[{}]" : "[{}]");
  g_string_append_c (s, ']');
  g_clear_pointer (&node, json_node_unref);
  node = parse_ok (s->str);
}

static void
test_parse_depth_strings (void)
{
  g_autofree char *brackets = g_strnfill (1000, '[');
  g_autofree char *in_string = g_strdup_printf ("{\"a\": \"%s\"}", brackets);
  g_autofree char *escaped = g_strdup_printf ("[\"\\\"%s\", \"\\\\\", [[1]]]", brackets);
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  /* Brackets inside strings, after an escaped quote or an escaped
   * backslash, are text. */
  a = parse_ok (in_string);
  b = parse_ok (escaped);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (b));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (b)), ==, 3);
}

static void
test_parse_very_deep (void)
{
  g_autofree char *deep = nested (100000, "");

  assert_parse_fails (deep, strlen (deep), "json_too_deep");
  /* Unbalanced too. */
  assert_parse_fails (deep, 100000, "json_too_deep");
}

static void
test_parse_utf8 (void)
{
  static const char bad[] = "{\"type\": \"\xff\xfe\"}";
  static const char overlong[] = "{\"type\": \"\xc0\xaf\"}";
  static const char with_nul[] = "{\"type\": \"A\0B\"}";
  g_autoptr(JsonNode) node = NULL;

  assert_parse_fails (bad, sizeof bad - 1, "malformed_json");
  assert_parse_fails (overlong, sizeof overlong - 1, "malformed_json");
  assert_parse_fails (with_nul, sizeof with_nul - 1, "malformed_json");

  node = parse_ok ("{\"name\": \"Zoë 🚑\"}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "name"), ==, "Zoë 🚑");
}

static void
test_parse_malformed (void)
{
  static const char *const bad[] = {
    "", "   ", "{", "}", "]", "[}", "{]", "{\"type\": }", "[1, 2", "{\"a\" 1}", "nope",
    /* json-glib 1.6 takes these; RFC 8259 does not. */
    "{} {}", "[1] [2]", "/* comment */ {}", "{\"a\": 1} // comment", "{'a': 1}",
    "[01]", "[1.]", "[.5]", "[-]", "[1e]", "[+1]", "[\"\\x41\"]", "[\"a\tb\"]",
    "[\"\\u12\"]", "[1,]", "{\"a\": 1,}", "[,1]", "{,}", "{\"a\"}", "{\"a\":}",
    "{1: 2}", "[tru]", "[True]", "[nul]", "[NaN]", "[Infinity]", "\"open",
    "[\"\\ud800\"]", "\xef\xbb\xbf{}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("refusing '%s'", bad[i]);
      assert_parse_fails (bad[i], strlen (bad[i]), "malformed_json");
    }
  /* Only the given length counts. */
  assert_parse_fails ("{\"a\": 1}", 4, "malformed_json");
  assert_parse_fails (NULL, 0, "malformed_json");
}

static void
test_parse_valid (void)
{
  static const char *const good[] = {
    "{}", "[]", "0", "-0", "1", "-12.5e+10", "0.5E-3", "1E2", "true", "false", "null",
    "\"\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE91\"",
    " \t\r\n{ \"a\" : [ 1 , { } , [ ] , \"x\" ] , \"b\" : null } \n",
    "[[], [[]], {\"a\": {\"b\": {}}}]",
    "{\"a\": 1, \"a\": 2}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("accepting '%s'", good[i]);
      node = parse_ok (good[i]);
    }
}

static void
test_to_string (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{ \"a\" : [1, true, null, \"x\"] }");
  gsize len = 0;
  g_autofree char *text = hg_json_to_string (node, &len);

  g_assert_cmpstr (text, ==, "{\"a\":[1,true,null,\"x\"]}");
  g_assert_cmpuint (len, ==, strlen (text));
}

/* Doubles come out as short as they read back exactly, and still as
 * doubles; integers as they are. */
static void
test_to_string_numbers (void)
{
  static const struct {
    double      value;
    const char *text;
  } doubles[] = {
    { 37.2, "37.2" }, { 39.5, "39.5" }, { 36.1, "36.1" }, { 39.0, "39.0" }, { -0.0, "-0.0" },
    { 0.1 + 0.2, "0.30000000000000004" }, { 1e17, "1e+17" }, { -2.5e-7, "-2.5e-07" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      JsonArray *array = json_array_new ();
      g_autoptr(JsonNode) node = hg_json_node_new_array (array);
      g_autofree char *expected = g_strdup_printf ("[%s,9007199254740993,-7]", doubles[i].text);
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) again = NULL;

      json_array_add_double_element (array, doubles[i].value);
      json_array_add_int_element (array, G_GINT64_CONSTANT (9007199254740993));
      json_array_add_int_element (array, -7);
      text = hg_json_to_string (node, NULL);
      g_assert_cmpstr (text, ==, expected);
      again = parse_ok (text);
      g_assert_cmpfloat (json_array_get_double_element (json_node_get_array (again), 0), ==, doubles[i].value);
    }
}

/* Request helpers */

static void
test_helpers (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"s\": \"abc\", \"e\": \"\", \"n\": 5, \"f\": 1.5,"
                                       " \"b\": true, \"z\": null}");
  JsonObject *object = json_node_get_object (node);
  g_autoptr(GError) error = NULL;
  const char *s = "untouched";
  gint64 n = -1;
  gboolean b = FALSE;

  /* Absent and null leave the value alone. */
  g_assert_true (hg_json_get_string (object, "missing", 10, &s, &error));
  g_assert_true (hg_json_get_string (object, "z", 10, &s, &error));
  g_assert_cmpstr (s, ==, "untouched");
  g_assert_true (hg_json_get_int (object, "z", 0, 10, &n, &error));
  g_assert_true (hg_json_get_bool (object, "missing", &b, &error));
  g_assert_cmpint (n, ==, -1);
  g_assert_no_error (error);

  g_assert_true (hg_json_get_string (object, "s", 3, &s, &error));
  g_assert_cmpstr (s, ==, "abc");
  g_assert_false (hg_json_get_string (object, "s", 2, &s, &error));
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, "too_long");
  g_assert_cmpstr (hg_error_get_field (error), ==, "s");
  g_clear_error (&error);

  /* Empty is refused when there is a limit, fine without. */
  g_assert_false (hg_json_get_string (object, "e", 3, &s, &error));
  g_assert_cmpstr (hg_error_get_field (error), ==, "e");
  g_clear_error (&error);
  g_assert_true (hg_json_get_string (object, "e", 0, &s, &error));
  g_assert_cmpstr (s, ==, "");

  g_assert_false (hg_json_get_string (object, "n", 0, &s, &error));
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, "invalid_field");
  g_clear_error (&error);

  g_assert_true (hg_json_get_int (object, "n", 0, 5, &n, &error));
  g_assert_cmpint (n, ==, 5);
  g_assert_false (hg_json_get_int (object, "n", 6, 10, &n, &error));
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, "out_of_range");
  g_assert_cmpstr (hg_error_get_field (error), ==, "n");
  g_clear_error (&error);
  g_assert_false (hg_json_get_int (object, "f", 0, 10, &n, &error));
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, "invalid_field");
  g_clear_error (&error);
  g_assert_false (hg_json_get_int (object, "s", 0, 10, &n, &error));
  g_clear_error (&error);
  g_assert_cmpint (n, ==, 5);

  g_assert_true (hg_json_get_bool (object, "b", &b, &error));
  g_assert_true (b);
  g_assert_false (hg_json_get_bool (object, "n", &b, &error));
  g_assert_cmpstr (hg_error_get_field (error), ==, "n");
  g_clear_error (&error);

  g_assert_true (hg_json_require_object (node, &error) == object);
  {
    g_autoptr(JsonNode) array = parse_ok ("[]");

    g_assert_null (hg_json_require_object (array, &error));
    g_assert_error (error, HG_ERROR, HG_ERROR_INVALID);
  }
}

/* A NUL escape would cut a C string short ("N01\u0000" read as "N01"):
 * refused as malformed, wherever it stands. */
static void
test_nul_escape_refused (void)
{
  static const char *const bodies[] = {
    "{\"staff_id\": \"N01\\u0000x\"}",
    "[\"\\u0000\"]",
    "{\"\\u0000\": 1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = hg_json_parse (bodies[i], strlen (bodies[i]), &error);

      g_test_message ("refusing %s", bodies[i]);
      g_assert_null (node);
      g_assert_error (error, HG_ERROR, HG_ERROR_INVALID);
    }
  {
    const char *ok = "[\"\\u0001\"]";
    g_autoptr(JsonNode) node = hg_json_parse (ok, strlen (ok), NULL);
    g_assert_nonnull (node);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/shared/json/parse/depth", test_parse_depth);
  g_test_add_func ("/shared/json/parse/depth-strings", test_parse_depth_strings);
  g_test_add_func ("/shared/json/parse/very-deep", test_parse_very_deep);
  g_test_add_func ("/shared/json/parse/utf8", test_parse_utf8);
  g_test_add_func ("/shared/json/parse/malformed", test_parse_malformed);
  g_test_add_func ("/shared/json/parse/valid", test_parse_valid);
  g_test_add_func ("/shared/json/to-string", test_to_string);
  g_test_add_func ("/shared/json/to-string/numbers", test_to_string_numbers);
  g_test_add_func ("/shared/json/helpers", test_helpers);
  g_test_add_func ("/shared/json/nul-escape-refused", test_nul_escape_refused);

  return g_test_run ();
}
