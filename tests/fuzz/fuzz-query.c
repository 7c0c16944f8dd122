/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A query string, as GET /api/v1/incidents?… receives it: libsoup's
 * soup_form_decode (what SoupServer runs on the URI's query), then our
 * hg_query_parse_page and hg_query_parse_incident_filter. */

#include "config.h"

#include <libsoup/soup.h>

#include "hg-fuzz.h"
#include "hg-protocol.h"
#include "hg-query.h"

static void
check_page (GHashTable *query)
{
  g_autoptr(GError) error = NULL;
  gint64 before = -1;
  guint limit = 0;

  if (!hg_query_parse_page (query, &before, &limit, &error))
    {
      hg_fuzz_check_refusal (error);
      return;
    }
  g_assert_cmpuint (limit, >=, 1);
  g_assert_cmpuint (limit, <=, HG_LIST_MAX_LIMIT);
  g_assert_cmpint (before, >=, 0);
}

static void
check_filter (GHashTable *query)
{
  g_autoptr(GError) error = NULL;
  HgIncidentFilter filter = { 0 };

  if (!hg_query_parse_incident_filter (query, "N01", &filter, &error))
    {
      hg_fuzz_check_refusal (error);
      hg_incident_filter_clear (&filter);
      return;
    }
  g_assert_cmpuint (filter.statuses >> HG_N_STATUSES, ==, 0);
  g_assert_cmpuint (filter.severities >> HG_N_SEVERITIES, ==, 0);
  g_assert_cmpuint (filter.limit, >=, 1);
  g_assert_cmpuint (filter.limit, <=, HG_LIST_MAX_LIMIT);
  g_assert_cmpint (filter.before_id, >=, 0);
  g_assert_true (filter.ward == NULL || g_utf8_validate (filter.ward, -1, NULL));
  g_assert_true (filter.assignee_id == NULL || g_utf8_validate (filter.assignee_id, -1, NULL));
  g_assert_true (filter.patient_id == NULL || g_utf8_validate (filter.patient_id, -1, NULL));
  hg_incident_filter_clear (&filter);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A request line cannot carry a NUL: the query ends at the first. */
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GHashTable) query = NULL;

  hg_fuzz_setup ();
  query = soup_form_decode (text != NULL ? text : "");
  check_page (query);
  check_filter (query);
  return 0;
}
