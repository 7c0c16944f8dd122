/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include "hg-alertmanager.h"
#include "hg-api.h"
#include "hg-error.h"
#include "hg-json.h"
#include "hg-models-private.h"
#include "hg-protocol.h"

static JsonNode *
result_to_node (HgIngestResult *result)
{
  JsonObject *object = json_object_new ();

  json_object_set_member (object, "alert", hg_json_alert_to_node (result->alert));
  if (result->incident != NULL)
    json_object_set_member (object, "incident", hg_json_incident_to_node (result->incident, FALSE));
  else
    json_object_set_null_member (object, "incident");
  json_object_set_boolean_member (object, "deduplicated", result->deduplicated);
  return hg_json_node_new_object (object);
}

typedef struct {
  HgRequest *req;
  gboolean   batch;
  guint      n_alerts;
  gint64     started;   /* monotonic, µs */
} PostAlerts;

static void
alerts_ingested (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autofree PostAlerts *post = user_data;
  GError *error = NULL;
  g_autoptr(GPtrArray) results = hg_store_ingest_finish (HG_STORE (source), result, &error);
  JsonArray *array;
  JsonObject *object;

  if (results == NULL)
    {
      hg_request_fail (post->req, error);
      return;
    }
  hg_metrics_observe_alerts (hg_request_get_metrics (post->req), post->n_alerts,
                             (g_get_monotonic_time () - post->started) / (double) G_USEC_PER_SEC);
  if (!post->batch)
    {
      hg_request_respond_json (post->req, SOUP_STATUS_CREATED, result_to_node (results->pdata[0]));
      return;
    }
  array = json_array_sized_new (results->len);
  for (guint i = 0; i < results->len; i++)
    json_array_add_element (array, result_to_node (results->pdata[i]));
  object = json_object_new ();
  json_object_set_array_member (object, "results", array);
  hg_request_respond_json (post->req, SOUP_STATUS_CREATED, hg_json_node_new_object (object));
}

/* Every alert of an array is parsed before any is stored: all or nothing. */
static GPtrArray *
parse_alerts (JsonNode  *body,
              gboolean  *out_batch,
              GError   **error)
{
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;
  guint n;

  *out_batch = JSON_NODE_HOLDS_ARRAY (body);
  if (!*out_batch)
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

/* Each integration key may post so many alerts a second; an array counts
 * each of its alerts. Staff postings are people, and are not limited. */
static gboolean
check_ingest_limit (HgRequest  *req,
                    guint       n,
                    GError    **error)
{
  const HgPrincipal *principal = hg_request_get_principal (req);
  guint wait;

  if (principal->kind != HG_PRINCIPAL_INTEGRATION)
    return TRUE;
  wait = hg_buckets_take (hg_request_get_ingest_limit (req), principal->integration_id, n,
                          g_get_monotonic_time ());
  if (wait == 0)
    return TRUE;
  hg_request_set_retry_after (req, wait);
  hg_set_error (error, HG_ERROR_RATE_LIMITED, "too_many_alerts", NULL,
                "this key may post %u alerts a second: try again in %u s",
                hg_request_get_config (req)->ingest_rate_limit, wait);
  return FALSE;
}

/* @started: when the handler got the request (monotonic µs). */
static void
ingest (HgRequest *req,
        GPtrArray *alerts,
        gboolean   batch,
        gint64     started)
{
  g_autofree char *posted_by = hg_principal_actor (hg_request_get_principal (req));
  PostAlerts *post = g_new0 (PostAlerts, 1);

  post->req = req;
  post->batch = batch;
  post->n_alerts = alerts->len;
  post->started = started;
  hg_store_ingest_async (hg_request_get_store (req), alerts, posted_by, alerts_ingested, post);
}

void
hg_api_post_alerts (HgRequest *req)
{
  gint64 started = g_get_monotonic_time ();
  GError *error = NULL;
  g_autoptr(JsonNode) body = hg_request_parse_body (req, FALSE, &error);
  g_autoptr(GPtrArray) alerts = NULL;
  gboolean batch;

  if (body == NULL || !(alerts = parse_alerts (body, &batch, &error)) ||
      !check_ingest_limit (req, alerts->len, &error))
    {
      hg_request_fail (req, error);
      return;
    }
  ingest (req, alerts, batch, started);
}

/* Alertmanager does not send again what was refused with a 4xx, and a
 * monitoring rule's labels are typed by hand: an alarm is never dropped
 * for a label that names no known type or patient. The type falls back to
 * the default, the patient is left out (the labels keep both, for the
 * people who read it), and the server log says so. */
static gboolean
soften_unknown_references (HgRequest  *req,
                           GPtrArray  *alerts,
                           GError    **error)
{
  HgStore *store = hg_request_get_store (req);

  for (guint i = 0; i < alerts->len; i++)
    {
      HgAlert *alert = alerts->pdata[i];
      GError *local_error = NULL;

      if (!hg_store_exists (store, "alert_type", alert->alert_type, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          g_message ("Alertmanager alert of unknown type %s taken as %s",
                     alert->alert_type, HG_ALERTMANAGER_DEFAULT_TYPE);
          g_free (alert->alert_type);
          alert->alert_type = g_strdup (HG_ALERTMANAGER_DEFAULT_TYPE);
        }
      if (alert->patient_id != NULL &&
          !hg_store_exists (store, "patient", alert->patient_id, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          g_message ("Alertmanager alert for unknown patient %s taken without a patient",
                     alert->patient_id);
          g_clear_pointer (&alert->patient_id, g_free);
        }
    }
  return TRUE;
}

/* POST /api/v1/integrations/alertmanager: a webhook receiver. */
void
hg_api_post_alertmanager (HgRequest *req)
{
  gint64 started = g_get_monotonic_time ();
  GError *error = NULL;
  g_autoptr(JsonNode) body = hg_request_parse_body (req, FALSE, &error);
  g_autoptr(GPtrArray) alerts = NULL;

  if (body == NULL || !(alerts = hg_alertmanager_parse (body, &error)) ||
      !check_ingest_limit (req, alerts->len, &error) ||
      !soften_unknown_references (req, alerts, &error))
    {
      hg_request_fail (req, error);
      return;
    }
  ingest (req, alerts, TRUE, started);
}

void
hg_api_list_alerts (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  gint64 before, next;
  guint limit;
  JsonArray *array;
  JsonObject *object;

  if (!hg_request_get_page (req, &before, &limit, &error) ||
      !(alerts = hg_store_list_alerts (hg_request_get_store (req), before, limit, &next, &error)))
    {
      hg_request_fail (req, error);
      return;
    }
  array = json_array_sized_new (alerts->len);
  for (guint i = 0; i < alerts->len; i++)
    json_array_add_element (array, hg_json_alert_to_node (alerts->pdata[i]));
  object = json_object_new ();
  json_object_set_array_member (object, "alerts", array);
  hg_json_set_cursor (object, next);
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_object (object));
}

void
hg_api_get_alert (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(HgAlert) alert = NULL;
  gint64 id;

  if (!hg_request_get_id (req, 0, &id, &error) ||
      !(alert = hg_store_get_alert (hg_request_get_store (req), id, &error)))
    {
      hg_request_fail (req, error);
      return;
    }
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_alert_to_node (alert));
}

void
hg_api_alert_types (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(GPtrArray) types = hg_store_list_alert_types (hg_request_get_store (req), &error);
  JsonArray *array;

  if (types == NULL)
    {
      hg_request_fail (req, error);
      return;
    }
  array = json_array_sized_new (types->len);
  for (guint i = 0; i < types->len; i++)
    json_array_add_element (array, hg_json_alert_type_to_node (types->pdata[i]));
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_array (array));
}
