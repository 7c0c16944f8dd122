/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hg-error.h"
#include "hg-json.h"
#include "hg-models-private.h"
#include "hg-protocol.h"

/* Parsing */

/* Checking the text before JsonParser sees it, for two reasons. The parser
 * recurses once per nesting level, so a hostile "[[[[…" could use up the
 * stack: the nesting is counted here, without recursion. And json-glib 1.6
 * is lenient (comments, single quotes, "{} {}", leading zeros): the strict
 * RFC 8259 grammar is checked here so that every part of the system agrees
 * on what a body means. */

typedef enum {
  EXPECT_VALUE,
  EXPECT_VALUE_OR_END,    /* after '[' */
  EXPECT_KEY,             /* after ',' in an object */
  EXPECT_KEY_OR_END,      /* after '{' */
  EXPECT_COLON,
  EXPECT_COMMA_OR_END,
  EXPECT_NOTHING,         /* the root value is complete */
} ScanState;

typedef enum {
  SCAN_OK,
  SCAN_MALFORMED,
  SCAN_TOO_DEEP,
  SCAN_OUT_OF_RANGE,
} ScanResult;

typedef struct {
  const char *start;
  const char *p;
  const char *end;
  ScanState   state;
  guint       depth;
  char        open[HG_MAX_JSON_DEPTH];   /* '[' or '{' per level */
} Scanner;

static void
skip_whitespace (Scanner *s)
{
  while (s->p < s->end &&
         (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

/* At the 'u' of "\uXXXX": the code unit, or -1 when the hex is short. */
static int
read_code_unit (Scanner *s)
{
  int unit = 0;

  if (s->end - s->p < 5)
    return -1;
  for (int i = 1; i <= 4; i++)
    {
      if (!g_ascii_isxdigit (s->p[i]))
        return -1;
      unit = unit * 16 + g_ascii_xdigit_value (s->p[i]);
    }
  s->p += 5;
  return unit;
}

/* A UTF-16 surrogate must come in a high-low pair. json-glib 1.6 refuses a
 * lone one too, but leaks memory doing so ("\ud800\u0041" loses 152
 * bytes a request), so it never gets to see one. */
static gboolean
scan_unicode_escape (Scanner *s)
{
  int unit = read_code_unit (s);

  /* "\u0000" is valid JSON, but a C string ends there: "N01\u0000x"
   * would be read as "N01". No field of ours may hold a NUL, so refuse it
   * before anything is parsed. */
  if (unit <= 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
    return FALSE;
  if (unit < 0xD800 || unit > 0xDBFF)
    return TRUE;
  if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
    return FALSE;
  s->p++;
  unit = read_code_unit (s);
  return unit >= 0xDC00 && unit <= 0xDFFF;
}

static gboolean
scan_escape (Scanner *s)
{
  if (s->p >= s->end)
    return FALSE;
  if (strchr ("\"\\/bfnrt", *s->p) != NULL && *s->p != '\0')
    {
      s->p++;
      return TRUE;
    }
  if (*s->p != 'u')
    return FALSE;
  return scan_unicode_escape (s);
}

/* At the opening quote. UTF-8 is validated separately. */
static gboolean
scan_string (Scanner *s)
{
  for (s->p++; s->p < s->end; )
    {
      guchar c = (guchar) *s->p++;

      if (c == '"')
        return TRUE;
      if (c < 0x20)
        return FALSE;
      if (c == '\\' && !scan_escape (s))
        return FALSE;
    }
  return FALSE;
}

static gboolean
scan_digits (Scanner *s)
{
  const char *first = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > first;
}

static gboolean
scan_number (Scanner *s)
{
  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return FALSE;

  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!scan_digits (s))
        return FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return FALSE;
    }
  return TRUE;
}

/* json-glib 1.6 wraps integers outside gint64 around (9223372036854775808
 * reads as its negative, 18446744073709551617 as 1) and reads 1e999 as
 * infinity, which it then writes as "inf.0": such numbers are refused, so
 * that a number means the same to every reader. */
static gboolean
number_in_range (const char *start,
                 const char *end)
{
  gsize len = (gsize) (end - start);
  g_autofree char *copy = NULL;

  if (memchr (start, '.', len) == NULL && memchr (start, 'e', len) == NULL &&
      memchr (start, 'E', len) == NULL)
    {
      gboolean negative = *start == '-';
      const char *digits = start + (negative ? 1 : 0);
      gsize n = (gsize) (end - digits);

      /* No leading zeros (the grammar), so the length says most. */
      return n < 19 ||
             (n == 19 && memcmp (digits, negative ? "9223372036854775808" : "9223372036854775807", 19) <= 0);
    }
  copy = g_strndup (start, len);
  return isfinite (g_ascii_strtod (copy, NULL));
}

static gboolean
scan_literal (Scanner    *s,
              const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

static void
value_done (Scanner *s)
{
  s->state = s->depth == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
}

static ScanResult
open_container (Scanner *s,
                char     c)
{
  if (s->depth == HG_MAX_JSON_DEPTH)
    return SCAN_TOO_DEEP;
  s->open[s->depth++] = c;
  s->state = c == '[' ? EXPECT_VALUE_OR_END : EXPECT_KEY_OR_END;
  s->p++;
  return SCAN_OK;
}

static ScanResult
close_container (Scanner *s,
                 char     c)
{
  if (s->depth == 0 || s->open[s->depth - 1] != (c == ']' ? '[' : '{'))
    return SCAN_MALFORMED;
  s->depth--;
  s->p++;
  value_done (s);
  return SCAN_OK;
}

static ScanResult
scan_value (Scanner *s)
{
  gboolean ok;

  switch (*s->p)
    {
    case '[':
    case '{':
      return open_container (s, *s->p);
    case '"':
      ok = scan_string (s);
      break;
    case 't':
      ok = scan_literal (s, "true");
      break;
    case 'f':
      ok = scan_literal (s, "false");
      break;
    case 'n':
      ok = scan_literal (s, "null");
      break;
    default:
      {
        const char *start = s->p;

        ok = (*s->p == '-' || g_ascii_isdigit (*s->p)) && scan_number (s);
        if (ok && !number_in_range (start, s->p))
          {
            s->p = start;
            return SCAN_OUT_OF_RANGE;
          }
      }
      break;
    }

  if (!ok)
    return SCAN_MALFORMED;
  value_done (s);
  return SCAN_OK;
}

static ScanResult
scan_after_value (Scanner *s)
{
  char c = *s->p;

  if (c == ']' || c == '}')
    return close_container (s, c);
  if (c != ',')
    return SCAN_MALFORMED;
  s->p++;
  s->state = s->open[s->depth - 1] == '{' ? EXPECT_KEY : EXPECT_VALUE;
  return SCAN_OK;
}

static ScanResult
scan_step (Scanner *s)
{
  char c = *s->p;

  switch (s->state)
    {
    case EXPECT_VALUE_OR_END:
      if (c == ']')
        return close_container (s, c);
      return scan_value (s);
    case EXPECT_VALUE:
      return scan_value (s);
    case EXPECT_KEY_OR_END:
      if (c == '}')
        return close_container (s, c);
      G_GNUC_FALLTHROUGH;
    case EXPECT_KEY:
      if (c != '"' || !scan_string (s))
        return SCAN_MALFORMED;
      s->state = EXPECT_COLON;
      return SCAN_OK;
    case EXPECT_COLON:
      if (c != ':')
        return SCAN_MALFORMED;
      s->p++;
      s->state = EXPECT_VALUE;
      return SCAN_OK;
    case EXPECT_COMMA_OR_END:
      return scan_after_value (s);
    case EXPECT_NOTHING:
    default:
      return SCAN_MALFORMED;
    }
}

static gboolean
check_syntax (const char  *data,
              gsize        len,
              GError     **error)
{
  Scanner s = { data, data, data + len, EXPECT_VALUE, 0, { 0 } };
  ScanResult result = SCAN_OK;

  for (skip_whitespace (&s); s.p < s.end && result == SCAN_OK; skip_whitespace (&s))
    result = scan_step (&s);

  if (result == SCAN_TOO_DEEP)
    {
      hg_set_error (error, HG_ERROR_INVALID, "json_too_deep", NULL,
                    "JSON nested deeper than %d levels", HG_MAX_JSON_DEPTH);
      return FALSE;
    }
  if (result == SCAN_OUT_OF_RANGE)
    {
      hg_set_error (error, HG_ERROR_INVALID, "malformed_json", NULL,
                    "number out of range near byte %" G_GSIZE_FORMAT, (gsize) (s.p - s.start));
      return FALSE;
    }
  if (result == SCAN_MALFORMED || s.state != EXPECT_NOTHING)
    {
      if (s.p == s.end && s.state == EXPECT_VALUE && s.depth == 0)
        hg_set_error (error, HG_ERROR_INVALID, "malformed_json", NULL, "empty body");
      else
        hg_set_error (error, HG_ERROR_INVALID, "malformed_json", NULL,
                      "malformed JSON near byte %" G_GSIZE_FORMAT, (gsize) (s.p - s.start));
      return FALSE;
    }
  return TRUE;
}

JsonNode *
hg_json_parse (const char  *data,
               gsize        len,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > G_MAXSSIZE)
    {
      hg_set_error (error, HG_ERROR_INVALID, "malformed_json", NULL, "body too large");
      return NULL;
    }
  if (len == 0)
    {
      hg_set_error (error, HG_ERROR_INVALID, "malformed_json", NULL, "empty body");
      return NULL;
    }
  if (!check_syntax (data, len, error))
    return NULL;
  /* Also refuses NUL bytes, which would cut strings short further on. */
  if (!g_utf8_validate_len (data, len, NULL))
    {
      hg_set_error (error, HG_ERROR_INVALID, "malformed_json", NULL,
                    "body is not valid UTF-8");
      return NULL;
    }

  /* Still fails on what the grammar allows but json-glib does not take,
   * such as a lone UTF-16 surrogate in a \u escape. */
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      hg_set_error (error, HG_ERROR_INVALID, "malformed_json", NULL,
                    "malformed JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      hg_set_error (error, HG_ERROR_INVALID, "malformed_json", NULL, "empty body");
      return NULL;
    }

  return root;
}

static const char *
number_end (const char *p,
            const char *end)
{
  while (p < end && (g_ascii_isdigit (*p) || *p == '-' || *p == '+' || *p == '.' ||
                     *p == 'e' || *p == 'E'))
    p++;
  return p;
}

/* json-glib 1.6 writes a double with 17 digits ("37.200000000000003" for
 * 37.2): it is rewritten with the fewest that read back as the same
 * double, and keeps a '.' or an exponent so it still reads as one. NULL
 * for an integer, or a double already written so. */
static char *
shortest_double (const char *start,
                 const char *end)
{
  gsize len = (gsize) (end - start);
  g_autofree char *token = NULL;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  double value;

  /* Integers, most numbers of an answer, cost no copy. */
  if (memchr (start, '.', len) == NULL && memchr (start, 'e', len) == NULL &&
      memchr (start, 'E', len) == NULL)
    return NULL;
  token = g_strndup (start, len);
  value = g_ascii_strtod (token, NULL);
  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  if (strpbrk (buffer, ".eE") == NULL)
    g_strlcat (buffer, ".0", sizeof buffer);
  return g_str_equal (buffer, token) ? NULL : g_strdup (buffer);
}

/* json-glib 1.6 writes three things badly: a double such as 1e17 as
 * "1e+17.0", which is not JSON (it appends ".0" to any double written
 * without a '.'); 37.2 as "37.200000000000003"; and U+001F raw inside a
 * string (it escapes every other control character). All are repaired
 * here, so that what we write every client can read as meant; the text is
 * only copied when there is something to repair. Outside strings, a '-'
 * or a digit only ever starts a number. */
static char *
repair_output (char  *text,
               gsize *len)
{
  const char *end = text + *len;
  GString *out = NULL;
  gboolean in_string = FALSE;

  for (const char *p = text; p < end; )
    {
      const char *next = p + 1;

      if (in_string && *p == '\\' && p + 1 < end)
        next = p + 2;
      else if (*p == '"')
        in_string = !in_string;
      else if (in_string && *p == 0x1f)
        {
          if (out == NULL)
            out = g_string_new_len (text, p - text);
          g_string_append (out, "\\u001f");
          p = next;
          continue;
        }
      else if (!in_string && (*p == '-' || g_ascii_isdigit (*p)))
        {
          g_autofree char *number = NULL;

          next = number_end (p, end);
          if ((number = shortest_double (p, next)) != NULL)
            {
              if (out == NULL)
                out = g_string_new_len (text, p - text);
              g_string_append (out, number);
              p = next;
              continue;
            }
        }
      if (out != NULL)
        g_string_append_len (out, p, next - p);
      p = next;
    }

  if (out == NULL)
    return text;
  g_free (text);
  *len = out->len;
  return g_string_free (out, FALSE);
}

char *
hg_json_to_string (JsonNode *node,
                   gsize    *out_len)
{
  g_autoptr(JsonGenerator) generator = NULL;
  char *text;
  gsize len;

  g_return_val_if_fail (node != NULL, NULL);

  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  text = repair_output (json_generator_to_data (generator, &len), &len);
  if (out_len != NULL)
    *out_len = len;
  return text;
}

/* Request helpers */

/* NULL for an absent or null member: the caller's default stands. */
static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
holds_value_of_type (JsonNode *node,
                     GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
check_length (const char *value,
              const char *field,
              gsize       max_len,
              GError    **error)
{
  if (max_len == 0)
    return TRUE;
  if (*value == '\0')
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", field,
                    "%s must not be empty", field);
      return FALSE;
    }
  /* Characters, not bytes: the limits are what a person reads. */
  if ((gsize) g_utf8_strlen (value, -1) > max_len)
    {
      hg_set_error (error, HG_ERROR_INVALID, "too_long", field,
                    "%s is longer than %" G_GSIZE_FORMAT " characters", field, max_len);
      return FALSE;
    }
  return TRUE;
}

gboolean
hg_json_get_string (JsonObject   *object,
                    const char   *member,
                    gsize         max_len,
                    const char  **out,
                    GError      **error)
{
  JsonNode *node;
  const char *value;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if ((node = get_member (object, member)) == NULL)
    return TRUE;
  if (!holds_value_of_type (node, G_TYPE_STRING))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be a string", member);
      return FALSE;
    }

  value = json_node_get_string (node);
  if (!check_length (value, member, max_len, error))
    return FALSE;

  *out = value;
  return TRUE;
}

gboolean
hg_json_get_int (JsonObject  *object,
                 const char  *member,
                 gint64       min,
                 gint64       max,
                 gint64      *out,
                 GError     **error)
{
  JsonNode *node;
  gint64 value;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if ((node = get_member (object, member)) == NULL)
    return TRUE;
  if (!holds_value_of_type (node, G_TYPE_INT64))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be an integer", member);
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      hg_set_error (error, HG_ERROR_INVALID, "out_of_range", member,
                    "%s must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
                    member, min, max);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
hg_json_get_bool (JsonObject  *object,
                  const char  *member,
                  gboolean    *out,
                  GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if ((node = get_member (object, member)) == NULL)
    return TRUE;
  if (!holds_value_of_type (node, G_TYPE_BOOLEAN))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be true or false", member);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

JsonObject *
hg_json_require_object (JsonNode  *node,
                        GError   **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_request", NULL,
                    "expected a JSON object");
      return NULL;
    }
  return json_node_get_object (node);
}

/* The caller may not want the error at all (error == NULL). */
static void
prefix_error (GError     **error,
              const char  *prefix)
{
  if (error != NULL && *error != NULL)
    hg_error_prefix_field (*error, prefix);
}

/* Typed members that the public helpers do not cover */

/* Copies an optional string member into an owned field. */
static gboolean
take_string (JsonObject  *object,
             const char  *member,
             gsize        max_len,
             char       **field,
             GError     **error)
{
  const char *value = NULL;

  if (!hg_json_get_string (object, member, max_len, &value, error))
    return FALSE;
  if (value != NULL)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
  return TRUE;
}

static gboolean
take_uint (JsonObject  *object,
           const char  *member,
           guint       *field,
           GError     **error)
{
  gint64 value = *field;

  if (!hg_json_get_int (object, member, 0, G_MAXUINT, &value, error))
    return FALSE;
  *field = (guint) value;
  return TRUE;
}

static gboolean
take_time (JsonObject  *object,
           const char  *member,
           gint64      *field,
           GError     **error)
{
  const char *value = NULL;

  if (!hg_json_get_string (object, member, 64, &value, error))
    return FALSE;
  if (value != NULL && !hg_time_parse (value, field))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be an RFC 3339 time", member);
      return FALSE;
    }
  return TRUE;
}

/* An optional member that must be an object when present; *out stays NULL
 * when it is absent or null. */
static gboolean
get_object (JsonObject  *object,
            const char  *member,
            JsonObject **out,
            GError     **error)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be an object", member);
      return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *object,
           const char  *member,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be an array", member);
      return FALSE;
    }
  *out = json_node_get_array (node);
  return TRUE;
}

static void
set_enum_error (GError     **error,
                const char  *member)
{
  hg_set_error (error, HG_ERROR_INVALID, "invalid_enum", member,
                "%s is not one of the known values", member);
}

/* take_severity () and friends: an optional enum member. */
#define DEFINE_TAKE_ENUM(func, Type, from_string)                        \
  static gboolean                                                        \
  func (JsonObject  *object,                                             \
        const char  *member,                                             \
        Type        *field,                                              \
        gboolean    *found,                                              \
        GError     **error)                                              \
  {                                                                      \
    const char *value = NULL;                                            \
                                                                         \
    if (!hg_json_get_string (object, member, 0, &value, error))          \
      return FALSE;                                                      \
    if (value == NULL)                                                   \
      return TRUE;                                                       \
    if (!from_string (value, field))                                     \
      {                                                                  \
        set_enum_error (error, member);                                  \
        return FALSE;                                                    \
      }                                                                  \
    if (found != NULL)                                                   \
      *found = TRUE;                                                     \
    return TRUE;                                                         \
  }

DEFINE_TAKE_ENUM (take_severity, HgSeverity, hg_severity_from_string)
DEFINE_TAKE_ENUM (take_status, HgIncidentStatus, hg_incident_status_from_string)
DEFINE_TAKE_ENUM (take_role, HgRole, hg_role_from_string)
DEFINE_TAKE_ENUM (take_phase, HgAlertPhase, hg_alert_phase_from_string)

/* A status or none (-1), as timeline entries have. */
static gboolean
take_optional_status (JsonObject  *object,
                      const char  *member,
                      int         *field,
                      GError     **error)
{
  HgIncidentStatus status = HG_INCIDENT_STATUS_OPEN;
  gboolean found = FALSE;

  if (!take_status (object, member, &status, &found, error))
    return FALSE;
  if (found)
    *field = (int) status;
  return TRUE;
}

/* Writing */

static void
set_string_or_null (JsonObject *object,
                    const char *member,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static void
set_time_or_null (JsonObject *object,
                  const char *member,
                  gint64      ms)
{
  g_autofree char *text = hg_time_format (ms);

  set_string_or_null (object, member, text);
}

static void
set_id_or_null (JsonObject *object,
                const char *member,
                gint64      id)
{
  if (id != 0)
    json_object_set_int_member (object, member, id);
  else
    json_object_set_null_member (object, member);
}

static JsonNode *
node_from_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonObject *
location_object (const char *ward,
                 const char *room,
                 const char *bed)
{
  JsonObject *object = json_object_new ();

  set_string_or_null (object, "ward", ward);
  set_string_or_null (object, "room", room);
  set_string_or_null (object, "bed", bed);
  return object;
}

/* {id, name} of a person, or null. */
static void
set_person_or_null (JsonObject *object,
                    const char *member,
                    const char *id,
                    const char *name)
{
  JsonObject *person;

  if (id == NULL)
    {
      json_object_set_null_member (object, member);
      return;
    }

  person = json_object_new ();
  json_object_set_string_member (person, "id", id);
  set_string_or_null (person, "name", name);
  json_object_set_object_member (object, member, person);
}

static gboolean
take_person (JsonObject  *object,
             const char  *member,
             char       **id,
             char       **name,
             GError     **error)
{
  JsonObject *person = NULL;

  if (!get_object (object, member, &person, error))
    return FALSE;
  if (person == NULL)
    return TRUE;
  if (!take_string (person, "id", 0, id, error) ||
      !take_string (person, "name", 0, name, error))
    {
      prefix_error (error, member);
      return FALSE;
    }
  return TRUE;
}

/* Alerts */

static gboolean
is_type_code (const char *code)
{
  for (const char *p = code; *p != '\0'; p++)
    {
      if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '_')
        return FALSE;
    }
  return *code != '\0';
}

static gboolean
take_alert_type (JsonObject  *object,
                 HgAlert     *alert,
                 GError     **error)
{
  const char *type = NULL;

  if (!hg_json_get_string (object, "type", HG_MAX_ID_LEN, &type, error))
    return FALSE;
  if (type == NULL)
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "type", "type is required");
      return FALSE;
    }
  if (!is_type_code (type))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "type",
                    "type must be made of A-Z, 0-9 and _");
      return FALSE;
    }
  g_free (alert->alert_type);
  alert->alert_type = g_strdup (type);
  return TRUE;
}

static gboolean
take_location (JsonObject  *object,
               char       **ward,
               char       **room,
               char       **bed,
               GError     **error)
{
  JsonObject *location = NULL;

  if (!get_object (object, "location", &location, error))
    return FALSE;
  if (location == NULL)
    return TRUE;
  if (!take_string (location, "ward", HG_MAX_NAME_LEN, ward, error) ||
      !take_string (location, "room", HG_MAX_NAME_LEN, room, error) ||
      !take_string (location, "bed", HG_MAX_NAME_LEN, bed, error))
    {
      prefix_error (error, "location");
      return FALSE;
    }
  return TRUE;
}

static gboolean
take_label (HgAlert     *alert,
            const char  *key,
            JsonNode    *value,
            GError     **error)
{
  g_autofree char *field = NULL;
  const char *text;

  if (*key == '\0' || (gsize) g_utf8_strlen (key, -1) > HG_MAX_LABEL_LEN)
    {
      /* The key itself is not repeated in the field: it may be huge. */
      hg_set_error (error, HG_ERROR_INVALID, *key == '\0' ? "invalid_field" : "too_long",
                    "labels", "label names must have 1 to %d characters", HG_MAX_LABEL_LEN);
      return FALSE;
    }

  field = g_strconcat ("labels.", key, NULL);
  if (!holds_value_of_type (value, G_TYPE_STRING))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", field,
                    "%s must be a string", field);
      return FALSE;
    }
  text = json_node_get_string (value);
  if ((gsize) g_utf8_strlen (text, -1) > HG_MAX_LABEL_LEN)
    {
      hg_set_error (error, HG_ERROR_INVALID, "too_long", field,
                    "%s is longer than %d characters", field, HG_MAX_LABEL_LEN);
      return FALSE;
    }

  g_hash_table_replace (alert->labels, g_strdup (key), g_strdup (text));
  return TRUE;
}

static gboolean
take_labels (JsonObject  *object,
             HgAlert     *alert,
             GError     **error)
{
  JsonObject *labels = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!get_object (object, "labels", &labels, error))
    return FALSE;
  if (labels == NULL)
    return TRUE;
  if (json_object_get_size (labels) > HG_MAX_LABELS)
    {
      hg_set_error (error, HG_ERROR_INVALID, "too_many", "labels",
                    "at most %d labels", HG_MAX_LABELS);
      return FALSE;
    }

  json_object_iter_init (&iter, labels);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (!take_label (alert, key, value, error))
        return FALSE;
    }
  return TRUE;
}

/* What the server fills in; clients post none of it, and the server
 * overwrites whatever they send. */
static gboolean
take_alert_server_fields (JsonObject  *object,
                          HgAlert     *alert,
                          GError     **error)
{
  return hg_json_get_int (object, "id", 0, G_MAXINT64, &alert->id, error) &&
         hg_json_get_int (object, "incident_id", 0, G_MAXINT64, &alert->incident_id, error) &&
         take_time (object, "received_at", &alert->received_at, error);
}

HgAlert *
hg_json_alert_from_node (JsonNode  *node,
                         GError   **error)
{
  g_autoptr(HgAlert) alert = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  alert = hg_alert_new (NULL);
  if (!take_alert_type (object, alert, error) ||
      !take_string (object, "patient_id", HG_MAX_ID_LEN, &alert->patient_id, error) ||
      !take_location (object, &alert->ward, &alert->room, &alert->bed, error) ||
      !take_severity (object, "severity", &alert->severity, &alert->has_severity, error) ||
      !take_string (object, "message", HG_MAX_MESSAGE_LEN, &alert->message, error) ||
      !take_string (object, "source", HG_MAX_SOURCE_LEN, &alert->source, error) ||
      !take_labels (object, alert, error) ||
      !take_string (object, "dedup_key", HG_MAX_LABEL_LEN, &alert->dedup_key, error) ||
      !take_phase (object, "phase", &alert->phase, NULL, error) ||
      !take_time (object, "occurred_at", &alert->occurred_at, error) ||
      !take_alert_server_fields (object, alert, error))
    return NULL;

  return g_steal_pointer (&alert);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static JsonObject *
labels_object (GHashTable *labels)
{
  JsonObject *object = json_object_new ();
  g_autofree const char **keys = NULL;
  guint n_keys;

  /* Sorted, so that the same alert always serialises the same way. */
  keys = (const char **) g_hash_table_get_keys_as_array (labels, &n_keys);
  g_qsort_with_data (keys, n_keys, sizeof (char *), compare_keys, NULL);
  for (guint i = 0; i < n_keys; i++)
    json_object_set_string_member (object, keys[i], g_hash_table_lookup (labels, keys[i]));

  return object;
}

JsonNode *
hg_json_alert_to_node (HgAlert *alert)
{
  JsonObject *object;

  g_return_val_if_fail (HG_IS_ALERT (alert), NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", alert->id);
  set_id_or_null (object, "incident_id", alert->incident_id);
  set_string_or_null (object, "type", alert->alert_type);
  set_string_or_null (object, "patient_id", alert->patient_id);
  json_object_set_object_member (object, "location",
                                 location_object (alert->ward, alert->room, alert->bed));
  set_string_or_null (object, "severity",
                      alert->has_severity ? hg_severity_to_string (alert->severity) : NULL);
  set_string_or_null (object, "message", alert->message);
  set_string_or_null (object, "source", alert->source);
  json_object_set_object_member (object, "labels", labels_object (alert->labels));
  set_string_or_null (object, "dedup_key", alert->dedup_key);
  json_object_set_string_member (object, "phase", hg_alert_phase_to_string (alert->phase));
  set_time_or_null (object, "occurred_at", alert->occurred_at);
  set_time_or_null (object, "received_at", alert->received_at);

  return node_from_object (object);
}

/* Patients and staff */

JsonNode *
hg_json_patient_to_node (HgPatient *patient)
{
  JsonObject *object;

  g_return_val_if_fail (HG_IS_PATIENT (patient), NULL);

  object = json_object_new ();
  set_string_or_null (object, "id", patient->id);
  set_string_or_null (object, "name", patient->name);
  set_string_or_null (object, "ward", patient->ward);
  set_string_or_null (object, "room", patient->room);
  set_string_or_null (object, "bed", patient->bed);

  return node_from_object (object);
}

HgPatient *
hg_json_patient_from_node (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(HgPatient) patient = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  patient = hg_patient_new (NULL);
  if (!take_string (object, "id", 0, &patient->id, error) ||
      !take_string (object, "name", 0, &patient->name, error) ||
      !take_string (object, "ward", 0, &patient->ward, error) ||
      !take_string (object, "room", 0, &patient->room, error) ||
      !take_string (object, "bed", 0, &patient->bed, error))
    return NULL;

  return g_steal_pointer (&patient);
}

JsonNode *
hg_json_staff_to_node (HgStaff *staff)
{
  JsonObject *object;

  g_return_val_if_fail (HG_IS_STAFF (staff), NULL);

  object = json_object_new ();
  set_string_or_null (object, "id", staff->id);
  set_string_or_null (object, "name", staff->name);
  json_object_set_string_member (object, "role", hg_role_to_string (staff->role));
  set_string_or_null (object, "specialty", staff->specialty);
  set_string_or_null (object, "ward", staff->ward);
  json_object_set_boolean_member (object, "on_duty", staff->on_duty);
  json_object_set_boolean_member (object, "available", staff->available);
  json_object_set_boolean_member (object, "logged_in", staff->logged_in);
  json_object_set_int_member (object, "workload", staff->workload);
  json_object_set_boolean_member (object, "disabled", staff->disabled);

  return node_from_object (object);
}

/* Also reads the short {id, name, role, specialty} of an assignee. */
HgStaff *
hg_json_staff_from_node (JsonNode  *node,
                         GError   **error)
{
  g_autoptr(HgStaff) staff = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  staff = hg_staff_new (NULL);
  if (!take_string (object, "id", 0, &staff->id, error) ||
      !take_string (object, "name", 0, &staff->name, error) ||
      !take_role (object, "role", &staff->role, NULL, error) ||
      !take_string (object, "specialty", 0, &staff->specialty, error) ||
      !take_string (object, "ward", 0, &staff->ward, error) ||
      !hg_json_get_bool (object, "on_duty", &staff->on_duty, error) ||
      !hg_json_get_bool (object, "available", &staff->available, error) ||
      !hg_json_get_bool (object, "logged_in", &staff->logged_in, error) ||
      !take_uint (object, "workload", &staff->workload, error) ||
      !hg_json_get_bool (object, "disabled", &staff->disabled, error))
    return NULL;

  return g_steal_pointer (&staff);
}

/* Alert types */

JsonNode *
hg_json_alert_type_to_node (HgAlertType *type)
{
  JsonObject *object;
  JsonArray *fallback;

  g_return_val_if_fail (HG_IS_ALERT_TYPE (type), NULL);

  fallback = json_array_new ();
  for (guint i = 0; i < type->fallback_roles->len; i++)
    json_array_add_string_element (fallback,
                                   hg_role_to_string (g_array_index (type->fallback_roles, HgRole, i)));

  object = json_object_new ();
  set_string_or_null (object, "code", type->code);
  set_string_or_null (object, "name", type->name);
  set_string_or_null (object, "category", type->category);
  json_object_set_string_member (object, "severity", hg_severity_to_string (type->severity));
  json_object_set_string_member (object, "required_role", hg_role_to_string (type->required_role));
  set_string_or_null (object, "specialty", type->specialty);
  json_object_set_array_member (object, "fallback_roles", fallback);

  return node_from_object (object);
}

static gboolean
take_fallback_roles (JsonObject  *object,
                     HgAlertType *type,
                     GError     **error)
{
  JsonArray *array = NULL;

  if (!get_array (object, "fallback_roles", &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      HgRole role;

      if (!holds_value_of_type (element, G_TYPE_STRING) ||
          !hg_role_from_string (json_node_get_string (element), &role))
        {
          g_autofree char *field = g_strdup_printf ("fallback_roles[%u]", i);

          set_enum_error (error, field);
          return FALSE;
        }
      g_array_append_val (type->fallback_roles, role);
    }
  return TRUE;
}

HgAlertType *
hg_json_alert_type_from_node (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(HgAlertType) type = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  type = hg_alert_type_new (NULL);
  if (!take_string (object, "code", 0, &type->code, error) ||
      !take_string (object, "name", 0, &type->name, error) ||
      !take_string (object, "category", 0, &type->category, error) ||
      !take_severity (object, "severity", &type->severity, NULL, error) ||
      !take_role (object, "required_role", &type->required_role, NULL, error) ||
      !take_string (object, "specialty", 0, &type->specialty, error) ||
      !take_fallback_roles (object, type, error))
    return NULL;

  return g_steal_pointer (&type);
}

/* Notes and timeline entries */

JsonNode *
hg_json_note_to_node (const HgNote *note)
{
  JsonObject *object;

  g_return_val_if_fail (note != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", note->id);
  set_person_or_null (object, "author", note->author_id, note->author_name);
  set_string_or_null (object, "text", note->text);
  set_time_or_null (object, "created_at", note->created_at);

  return node_from_object (object);
}

static HgNote *
note_from_node (JsonNode  *node,
                GError   **error)
{
  g_autoptr(HgNote) note = hg_note_new ();
  JsonObject *object;

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  if (!hg_json_get_int (object, "id", 0, G_MAXINT64, &note->id, error) ||
      !take_person (object, "author", &note->author_id, &note->author_name, error) ||
      !take_string (object, "text", 0, &note->text, error) ||
      !take_time (object, "created_at", &note->created_at, error))
    return NULL;

  return g_steal_pointer (&note);
}

JsonNode *
hg_json_timeline_entry_to_node (const HgTimelineEntry *entry)
{
  JsonObject *object;

  g_return_val_if_fail (entry != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", entry->id);
  set_time_or_null (object, "at", entry->at);
  set_person_or_null (object, "actor", entry->actor_id, entry->actor_name);
  set_string_or_null (object, "action", entry->action);
  set_string_or_null (object, "from",
                      entry->from_status >= 0 ? hg_incident_status_to_string (entry->from_status) : NULL);
  set_string_or_null (object, "to",
                      entry->to_status >= 0 ? hg_incident_status_to_string (entry->to_status) : NULL);
  set_string_or_null (object, "detail", entry->detail);

  return node_from_object (object);
}

static HgTimelineEntry *
timeline_entry_from_node (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(HgTimelineEntry) entry = hg_timeline_entry_new ();
  JsonObject *object;

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  if (!hg_json_get_int (object, "id", 0, G_MAXINT64, &entry->id, error) ||
      !take_time (object, "at", &entry->at, error) ||
      !take_person (object, "actor", &entry->actor_id, &entry->actor_name, error) ||
      !take_string (object, "action", 0, &entry->action, error) ||
      !take_optional_status (object, "from", &entry->from_status, error) ||
      !take_optional_status (object, "to", &entry->to_status, error) ||
      !take_string (object, "detail", 0, &entry->detail, error))
    return NULL;

  return g_steal_pointer (&entry);
}

/* Incidents */

static JsonObject *
incident_patient_object (HgPatient *patient)
{
  JsonObject *object = json_object_new ();

  /* The contract's short form: where the patient lies, not the bed. */
  set_string_or_null (object, "id", patient->id);
  set_string_or_null (object, "name", patient->name);
  set_string_or_null (object, "ward", patient->ward);
  set_string_or_null (object, "room", patient->room);
  return object;
}

static JsonObject *
incident_assignee_object (HgStaff *staff)
{
  JsonObject *object = json_object_new ();

  set_string_or_null (object, "id", staff->id);
  set_string_or_null (object, "name", staff->name);
  json_object_set_string_member (object, "role", hg_role_to_string (staff->role));
  set_string_or_null (object, "specialty", staff->specialty);
  return object;
}

typedef JsonNode *(*ToNodeFunc) (gconstpointer item);

static JsonNode *
alert_item_to_node (gconstpointer item)
{
  return hg_json_alert_to_node ((HgAlert *) item);
}

static JsonNode *
note_item_to_node (gconstpointer item)
{
  return hg_json_note_to_node (item);
}

static JsonNode *
timeline_item_to_node (gconstpointer item)
{
  return hg_json_timeline_entry_to_node (item);
}

static void
set_detail_array (JsonObject *object,
                  const char *member,
                  GPtrArray  *items,
                  ToNodeFunc  to_node)
{
  JsonArray *array;

  if (items == NULL)
    return;

  array = json_array_sized_new (items->len);
  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, to_node (g_ptr_array_index (items, i)));
  json_object_set_array_member (object, member, array);
}

static void
set_incident_people (JsonObject *object,
                     HgIncident *incident)
{
  if (incident->patient != NULL)
    json_object_set_object_member (object, "patient", incident_patient_object (incident->patient));
  else
    json_object_set_null_member (object, "patient");

  json_object_set_object_member (object, "location",
                                 location_object (incident->ward, incident->room, incident->bed));

  if (incident->assignee != NULL)
    json_object_set_object_member (object, "assignee", incident_assignee_object (incident->assignee));
  else
    json_object_set_null_member (object, "assignee");
}

JsonNode *
hg_json_incident_to_node (HgIncident *incident,
                          gboolean    detail)
{
  JsonObject *object;

  g_return_val_if_fail (HG_IS_INCIDENT (incident), NULL);

  /* Members in the order of the contract's example. */
  object = json_object_new ();
  json_object_set_int_member (object, "id", incident->id);
  json_object_set_int_member (object, "version", incident->version);
  json_object_set_string_member (object, "status", hg_incident_status_to_string (incident->status));
  json_object_set_string_member (object, "severity", hg_severity_to_string (incident->severity));
  set_string_or_null (object, "title", incident->title);
  set_string_or_null (object, "alert_type", incident->alert_type);
  set_incident_people (object, incident);
  json_object_set_string_member (object, "required_role", hg_role_to_string (incident->required_role));
  set_string_or_null (object, "required_specialty", incident->required_specialty);
  json_object_set_int_member (object, "alert_count", incident->alert_count);
  json_object_set_int_member (object, "escalation_level", incident->escalation_level);
  set_time_or_null (object, "created_at", incident->created_at);
  set_time_or_null (object, "assigned_at", incident->assigned_at);
  set_time_or_null (object, "acknowledged_at", incident->acknowledged_at);
  set_time_or_null (object, "started_at", incident->started_at);
  set_time_or_null (object, "resolved_at", incident->resolved_at);

  if (detail)
    {
      set_detail_array (object, "alerts", incident->alerts, alert_item_to_node);
      set_detail_array (object, "notes", incident->notes, note_item_to_node);
      set_detail_array (object, "timeline", incident->timeline, timeline_item_to_node);
    }

  return node_from_object (object);
}

typedef gpointer (*FromNodeFunc) (JsonNode *node, GError **error);

static gpointer
alert_item_from_node (JsonNode  *node,
                      GError   **error)
{
  return hg_json_alert_from_node (node, error);
}

static gpointer
note_item_from_node (JsonNode  *node,
                     GError   **error)
{
  return note_from_node (node, error);
}

static gpointer
timeline_item_from_node (JsonNode  *node,
                         GError   **error)
{
  return timeline_entry_from_node (node, error);
}

/* Fills *out with a new array when @member is there; the field of an error
 * reads "alerts[2].type". */
static gboolean
take_detail_array (JsonObject     *object,
                   const char     *member,
                   FromNodeFunc    from_node,
                   GDestroyNotify  free_func,
                   GPtrArray     **out,
                   GError        **error)
{
  g_autoptr(GPtrArray) items = NULL;
  JsonArray *array = NULL;

  if (!get_array (object, member, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  items = g_ptr_array_new_full (json_array_get_length (array), free_func);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gpointer item = from_node (json_array_get_element (array, i), error);
      g_autofree char *index = NULL;

      if (item != NULL)
        {
          g_ptr_array_add (items, item);
          continue;
        }
      index = g_strdup_printf ("[%u]", i);
      prefix_error (error, index);
      prefix_error (error, member);
      return FALSE;
    }

  g_clear_pointer (out, g_ptr_array_unref);
  *out = g_steal_pointer (&items);
  return TRUE;
}

/* A nested object parsed by @from_node; the field of an error reads
 * "patient.name". */
static gboolean
take_nested (JsonObject    *object,
             const char    *member,
             FromNodeFunc   from_node,
             GObject      **out,
             GError       **error)
{
  JsonNode *node = get_member (object, member);
  GObject *item;

  if (node == NULL)
    return TRUE;
  if ((item = from_node (node, error)) == NULL)
    {
      prefix_error (error, member);
      return FALSE;
    }
  g_clear_object (out);
  *out = item;
  return TRUE;
}

static gpointer
patient_item_from_node (JsonNode  *node,
                        GError   **error)
{
  return hg_json_patient_from_node (node, error);
}

static gpointer
staff_item_from_node (JsonNode  *node,
                      GError   **error)
{
  return hg_json_staff_from_node (node, error);
}

static gboolean
take_incident_times (JsonObject  *object,
                     HgIncident  *incident,
                     GError     **error)
{
  return take_time (object, "created_at", &incident->created_at, error) &&
         take_time (object, "assigned_at", &incident->assigned_at, error) &&
         take_time (object, "acknowledged_at", &incident->acknowledged_at, error) &&
         take_time (object, "started_at", &incident->started_at, error) &&
         take_time (object, "resolved_at", &incident->resolved_at, error);
}

static gboolean
take_incident_detail (JsonObject  *object,
                      HgIncident  *incident,
                      GError     **error)
{
  return take_detail_array (object, "alerts", alert_item_from_node,
                            g_object_unref, &incident->alerts, error) &&
         take_detail_array (object, "notes", note_item_from_node,
                            (GDestroyNotify) hg_note_free, &incident->notes, error) &&
         take_detail_array (object, "timeline", timeline_item_from_node,
                            (GDestroyNotify) hg_timeline_entry_free, &incident->timeline, error);
}

static gboolean
take_incident_location (JsonObject  *object,
                        HgIncident  *incident,
                        GError     **error)
{
  JsonObject *location = NULL;

  if (!get_object (object, "location", &location, error))
    return FALSE;
  if (location == NULL)
    return TRUE;
  if (!take_string (location, "ward", 0, &incident->ward, error) ||
      !take_string (location, "room", 0, &incident->room, error) ||
      !take_string (location, "bed", 0, &incident->bed, error))
    {
      prefix_error (error, "location");
      return FALSE;
    }
  return TRUE;
}

HgIncident *
hg_json_incident_from_node (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(HgIncident) incident = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;

  incident = hg_incident_new ();
  if (!hg_json_get_int (object, "id", 0, G_MAXINT64, &incident->id, error) ||
      !hg_json_get_int (object, "version", 0, G_MAXINT64, &incident->version, error) ||
      !take_status (object, "status", &incident->status, NULL, error) ||
      !take_severity (object, "severity", &incident->severity, NULL, error) ||
      !take_string (object, "title", 0, &incident->title, error) ||
      !take_string (object, "alert_type", 0, &incident->alert_type, error) ||
      !take_nested (object, "patient", patient_item_from_node, (GObject **) &incident->patient, error) ||
      !take_incident_location (object, incident, error) ||
      !take_nested (object, "assignee", staff_item_from_node, (GObject **) &incident->assignee, error) ||
      !take_role (object, "required_role", &incident->required_role, NULL, error) ||
      !take_string (object, "required_specialty", 0, &incident->required_specialty, error) ||
      !take_uint (object, "alert_count", &incident->alert_count, error) ||
      !take_uint (object, "escalation_level", &incident->escalation_level, error) ||
      !take_incident_times (object, incident, error) ||
      !take_incident_detail (object, incident, error))
    return NULL;

  return g_steal_pointer (&incident);
}

/* Errors */

JsonNode *
hg_json_error_body (const GError *error)
{
  JsonObject *inner;
  JsonObject *outer;
  const char *field;

  g_return_val_if_fail (error != NULL, NULL);

  inner = json_object_new ();
  json_object_set_string_member (inner, "code", hg_error_wire_code (error));
  json_object_set_string_member (inner, "message", error->message);
  if ((field = hg_error_get_field (error)) != NULL)
    json_object_set_string_member (inner, "field", field);

  outer = json_object_new ();
  json_object_set_object_member (outer, "error", inner);
  return node_from_object (outer);
}

JsonNode *
hg_json_node_new_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

JsonNode *
hg_json_node_new_array (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}
