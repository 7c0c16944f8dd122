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
