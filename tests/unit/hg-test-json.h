/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared helpers for the JSON unit tests (test-json.c, test-json-models.c). */
#pragma once

#include <string.h>

#include <glib.h>

#include "hg-error.h"
#include "hg-json.h"
#include "hg-models-private.h"
#include "hg-protocol.h"

/* 2026-11-22T10:15:30.123Z */
#define SAMPLE_MS G_GINT64_CONSTANT (1795342530123)

static inline JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = hg_json_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}
