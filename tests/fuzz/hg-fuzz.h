/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What every fuzz target shares. A target defines LLVMFuzzerTestOneInput;
 * with -Dfuzzing=true libFuzzer drives it, otherwise hg-fuzz-main.c runs
 * it over the seed corpus as a regression test. */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <json-glib/json-glib.h>

#include "hg-error.h"
#include "hg-json.h"

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Any warning, critical or error is a finding, not noise. GLib would stop
 * on a fatal message with SIGTRAP, which libFuzzer does not catch (no
 * reproducer is written): abort () instead. */
static inline GLogWriterOutput
hg_fuzz_log_writer (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_default (level, fields, n_fields, user_data);

  if (level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

/* Once per process. */
static inline void
hg_fuzz_setup (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_log_set_writer_func (hg_fuzz_log_writer, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}

/* A refusal must be one the server can answer with a 4xx and a body. */
static inline void
hg_fuzz_check_refusal (const GError *error)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  guint status;

  g_assert_nonnull (error);
  g_assert_true (error->domain == HG_ERROR);
  status = hg_error_to_http_status (error);
  g_assert_cmpuint (status, >=, 400);
  g_assert_cmpuint (status, <, 500);
  body = hg_json_error_body (error);
  text = hg_json_to_string (body, NULL);
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

/* Whatever we write must read back, and read back the same: serialising
 * @node, parsing that and serialising again gives the same text. Returns
 * the text (for targets that compare further). */
static inline char *
hg_fuzz_check_round_trip (JsonNode *node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text_again = NULL;
  gsize len;
  char *text = hg_json_to_string (node, &len);

  again = hg_json_parse (text, len, &error);
  if (again == NULL)
    g_error ("our own JSON does not parse back (%s): %s", error->message, text);
  text_again = hg_json_to_string (again, NULL);
  if (!g_str_equal (text, text_again))
    g_error ("JSON changes on a round trip:\n%s\n%s", text, text_again);
  return text;
}

G_END_DECLS
