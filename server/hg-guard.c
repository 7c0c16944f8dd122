/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <string.h>

#include "hg-error.h"
#include "hg-guard.h"
#include "hg-head-filter.h"

typedef struct {
  guint hosts;
  guint lengths;
} HeaderCounts;

static void
count_header (const char *name,
              const char *value,
              gpointer    user_data)
{
  HeaderCounts *counts = user_data;

  if (g_ascii_strcasecmp (name, "Host") == 0)
    counts->hosts++;
  else if (g_ascii_strcasecmp (name, "Content-Length") == 0)
    counts->lengths++;
}

/* Two of either header let a proxy in front and this server disagree on
 * where a request goes or ends (request smuggling). libsoup keeps both,
 * or folds them into one list, and would act on one of them: refuse the
 * request whole instead. */
gboolean
hg_guard_check_headers (SoupMessageHeaders  *headers,
                        GError             **error)
{
  HeaderCounts counts = { 0, 0 };
  const char *length = soup_message_headers_get_list (headers, "Content-Length");
  const char *name;

  /* Lines the head filter took out before libsoup could trip on them. */
  if (soup_message_headers_get_one (headers, HG_HEAD_FILTER_REFUSED) != NULL)
    {
      hg_set_error (error, HG_ERROR_INVALID, "malformed_header", NULL,
                    "the request has a malformed %s line",
                    soup_message_headers_get_one (headers, HG_HEAD_FILTER_REFUSED));
      return FALSE;
    }
  soup_message_headers_foreach (headers, count_header, &counts);
  /* A folded list ("5, 5") is two headers, whatever foreach saw. */
  if (length != NULL && strchr (length, ',') != NULL)
    counts.lengths = MAX (counts.lengths, 2);
  if (counts.hosts <= 1 && counts.lengths <= 1)
    return TRUE;
  name = counts.hosts > 1 ? "Host" : "Content-Length";
  hg_set_error (error, HG_ERROR_INVALID, "duplicate_header", NULL,
                "the request has more than one %s header", name);
  return FALSE;
}

gboolean
hg_guard_check_origin (SoupMessageHeaders  *headers,
                       const char *const   *allowed,
                       GError             **error)
{
  const char *origin = soup_message_headers_get_list (headers, "Origin");
  g_autofree char *lower = NULL;

  if (origin == NULL)
    return TRUE;
  /* Two Origin headers read as "a, b", which matches no entry. */
  lower = g_ascii_strdown (origin, -1);
  if (allowed != NULL && g_strv_contains (allowed, lower))
    return TRUE;
  hg_set_error (error, HG_ERROR_FORBIDDEN, "origin_not_allowed", NULL,
                "pages from %s may not open the stream: add it to allowed_origins", origin);
  return FALSE;
}
