/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POST /api/v1/integrations/alertmanager, the body to alerts:
 * hg_json_parse, then hg_alertmanager_parse. Whatever it makes must be an
 * alert the strict alert parser takes unchanged: within every length and
 * count limit, and the same after a round trip. */

#include "config.h"

#include "hg-alertmanager.h"
#include "hg-fuzz.h"
#include "hg-models-private.h"
#include "hg-protocol.h"

static void
check_alert (HgAlert *alert)
{
  g_autoptr(JsonNode) node = hg_json_alert_to_node (alert);
  g_autofree char *text = hg_fuzz_check_round_trip (node);
  g_autoptr(JsonNode) reparsed = hg_json_parse (text, strlen (text), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HgAlert) again = hg_json_alert_from_node (reparsed, &error);
  g_autoptr(JsonNode) node_again = NULL;
  g_autofree char *text_again = NULL;

  if (again == NULL)
    g_error ("an Alertmanager alert is not a valid alert (%s): %s", error->message, text);
  node_again = hg_json_alert_to_node (again);
  text_again = hg_json_to_string (node_again, NULL);
  if (!g_str_equal (text, text_again))
    g_error ("an Alertmanager alert changes on a round trip:\n%s\n%s", text, text_again);

  g_assert_nonnull (alert->alert_type);
  g_assert_cmpstr (alert->source, ==, HG_ALERTMANAGER_SOURCE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  hg_fuzz_setup ();
  body = hg_json_parse ((const char *) data, size, &error);
  if (body == NULL)
    {
      hg_fuzz_check_refusal (error);
      return 0;
    }
  alerts = hg_alertmanager_parse (body, &error);
  if (alerts == NULL)
    {
      hg_fuzz_check_refusal (error);
      return 0;
    }
  g_assert_cmpuint (alerts->len, >, 0);
  g_assert_cmpuint (alerts->len, <=, HG_MAX_BATCH_ALERTS);
  for (guint i = 0; i < alerts->len; i++)
    check_alert (alerts->pdata[i]);
  return 0;
}
