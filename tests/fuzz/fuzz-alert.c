/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POST /api/v1/alerts, the body to the model: hg_json_parse, then
 * hg_json_alert_from_node for one alert or each of an array, as
 * hg-api-alerts.c does. An alert that parses must serialise to JSON that
 * parses back to the same alert. */

#include "config.h"

#include "hg-fuzz.h"
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
    g_error ("an alert we wrote does not read back (%s): %s", error->message, text);
  node_again = hg_json_alert_to_node (again);
  text_again = hg_json_to_string (node_again, NULL);
  if (!g_str_equal (text, text_again))
    g_error ("an alert changes on a round trip:\n%s\n%s", text, text_again);
}

/* What hg-api-alerts.c parse_alerts does, all or nothing. */
static GPtrArray *
parse_alerts (JsonNode  *body,
              GError   **error)
{
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (body))
    {
      HgAlert *alert = hg_json_alert_from_node (body, error);

      if (alert == NULL)
        return NULL;
      g_ptr_array_add (alerts, alert);
      return g_steal_pointer (&alerts);
    }
  array = json_node_get_array (body);
  n = json_array_get_length (array);
  if (n == 0 || n > HG_MAX_BATCH_ALERTS)
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_batch", NULL,
                    "an array holds 1 to %d alerts", HG_MAX_BATCH_ALERTS);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      HgAlert *alert = hg_json_alert_from_node (json_array_get_element (array, i), error);

      if (alert == NULL)
        {
          g_autofree char *prefix = g_strdup_printf ("[%u]", i);

          hg_error_prefix_field (*error, prefix);
          return NULL;
        }
      g_ptr_array_add (alerts, alert);
    }
  return g_steal_pointer (&alerts);
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
  alerts = parse_alerts (body, &error);
  if (alerts == NULL)
    {
      hg_fuzz_check_refusal (error);
      return 0;
    }
  g_assert_cmpuint (alerts->len, >, 0);
  for (guint i = 0; i < alerts->len; i++)
    check_alert (alerts->pdata[i]);
  return 0;
}
