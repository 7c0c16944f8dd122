/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include "hg-api.h"
#include "hg-error.h"
#include "hg-json.h"
#include "hg-news2.h"

/* A bedside clock may run a little ahead of the server's; more than this
 * is a wrong date, and would sort the chart wrong for good. */
#define MAX_CLOCK_AHEAD_MS (5 * 60 * 1000)

static JsonNode *
result_to_node (HgVitalsResult *result)
{
  JsonObject *object = json_object_new ();

  json_object_set_member (object, "news2", hg_json_news2_to_node (&result->observation->news2));
  if (result->alert != NULL)
    json_object_set_member (object, "alert", hg_json_alert_to_node (result->alert->alert));
  else
    json_object_set_null_member (object, "alert");
  return hg_json_node_new_object (object);
}

static void
vitals_recorded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HgRequest *req = user_data;
  GError *error = NULL;
  g_autoptr(HgVitalsResult) recorded = hg_store_record_vitals_finish (HG_STORE (source), result, &error);

  if (recorded == NULL)
    {
      hg_request_fail (req, error);
      return;
    }
  hg_request_respond_json (req, SOUP_STATUS_CREATED, result_to_node (recorded));
}

static gboolean
check_observed_at (const HgObservation  *observation,
                   GError              **error)
{
  if (observation->observed_at <= hg_time_now_ms () + MAX_CLOCK_AHEAD_MS)
    return TRUE;
  hg_set_error (error, HG_ERROR_INVALID, "out_of_range", "observed_at",
                "observed_at is in the future");
  return FALSE;
}

/* Vitals draw on the same ceiling as alerts: one bucket per key, each
 * observation counting one. Staff are not limited. */
static gboolean
check_ingest_limit (HgRequest  *req,
                    GError    **error)
{
  const HgPrincipal *principal = hg_request_get_principal (req);
  guint wait;

  if (principal->kind != HG_PRINCIPAL_INTEGRATION)
    return TRUE;
  wait = hg_buckets_take (hg_request_get_ingest_limit (req), principal->integration_id, 1,
                          g_get_monotonic_time ());
  if (wait == 0)
    return TRUE;
  hg_request_set_retry_after (req, wait);
  hg_set_error (error, HG_ERROR_RATE_LIMITED, "too_many_alerts", NULL,
                "this key may post %u alerts and vitals a second: try again in %u s",
                hg_request_get_config (req)->ingest_rate_limit, wait);
  return FALSE;
}

void
hg_api_post_vitals (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(JsonNode) body = hg_request_parse_body (req, FALSE, &error);
  g_autoptr(HgObservation) observation = NULL;
  g_autofree char *recorded_by = hg_principal_actor (hg_request_get_principal (req));

  if (body == NULL || !(observation = hg_json_observation_from_node (body, &error)) ||
      !check_observed_at (observation, &error) || !check_ingest_limit (req, &error))
    {
      hg_request_fail (req, error);
      return;
    }
  hg_store_record_vitals_async (hg_request_get_store (req), observation, recorded_by,
                                vitals_recorded, req);
}

void
hg_api_list_vitals (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gint64 before, next;
  guint limit;
  JsonArray *array;
  JsonObject *object;

  if (!hg_request_get_page (req, &before, &limit, &error) ||
      !(items = hg_store_list_vitals (hg_request_get_store (req), hg_request_get_param (req, 0),
                                      before, limit, &next, &error)))
    {
      hg_request_fail (req, error);
      return;
    }
  array = json_array_sized_new (items->len);
  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, hg_json_observation_to_node (items->pdata[i]));
  object = json_object_new ();
  json_object_set_array_member (object, "vitals", array);
  hg_json_set_cursor (object, next);
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_object (object));
}
