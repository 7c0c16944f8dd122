/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include "hg-api.h"
#include "hg-error.h"
#include "hg-json.h"
#include "hg-protocol.h"
#include "hg-query.h"

static gboolean
parse_filter (HgRequest        *req,
              HgIncidentFilter *filter,
              GError          **error)
{
  return hg_query_parse_incident_filter (hg_request_get_query_table (req),
                                         hg_request_get_principal (req)->staff_id,
                                         filter, error);
}

void
hg_api_list_incidents (HgRequest *req)
{
  GError *error = NULL;
  HgIncidentFilter filter = { 0 };
  g_autoptr(GPtrArray) incidents = NULL;
  gint64 next = 0;
  JsonArray *array;
  JsonObject *object;

  if (!parse_filter (req, &filter, &error) ||
      !(incidents = hg_store_list_incidents (hg_request_get_store (req), &filter, &next, &error)))
    {
      hg_incident_filter_clear (&filter);
      hg_request_fail (req, error);
      return;
    }
  hg_incident_filter_clear (&filter);
  array = json_array_sized_new (incidents->len);
  for (guint i = 0; i < incidents->len; i++)
    json_array_add_element (array, hg_json_incident_to_node (incidents->pdata[i], FALSE));
  object = json_object_new ();
  json_object_set_array_member (object, "incidents", array);
  hg_json_set_cursor (object, next);
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_object (object));
}

static JsonNode *
duration_node (const HgDurationStats *stats)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "count", stats->count);
  if (stats->count == 0)
    {
      json_object_set_null_member (object, "mean");
      json_object_set_null_member (object, "p50");
      json_object_set_null_member (object, "p90");
    }
  else
    {
      json_object_set_double_member (object, "mean", stats->mean);
      json_object_set_double_member (object, "p50", stats->p50);
      json_object_set_double_member (object, "p90", stats->p90);
    }
  return hg_json_node_new_object (object);
}

void
hg_api_incident_stats (HgRequest *req)
{
  GError *error = NULL;
  const char *window = hg_request_get_query (req, "window");
  guint64 seconds = 24 * 3600;
  HgIncidentStats stats;
  JsonObject *object, *by_status, *by_severity;

  if (window != NULL && !g_ascii_string_to_unsigned (window, 10, 1, 366 * 24 * 3600, &seconds, NULL))
    {
      hg_set_error (&error, HG_ERROR_INVALID, "invalid_field", "window",
                    "window is a number of seconds from 1 to 31622400");
      hg_request_fail (req, error);
      return;
    }
  if (!hg_store_incident_stats (hg_request_get_store (req), seconds * 1000, &stats, &error))
    {
      hg_request_fail (req, error);
      return;
    }
  by_status = json_object_new ();
  for (guint i = 0; i < HG_N_STATUSES; i++)
    json_object_set_int_member (by_status, hg_incident_status_to_string (i), stats.by_status[i]);
  by_severity = json_object_new ();
  for (guint i = 0; i < HG_N_SEVERITIES; i++)
    json_object_set_int_member (by_severity, hg_severity_to_string (i), stats.by_severity[i]);
  object = json_object_new ();
  json_object_set_int_member (object, "window", seconds);
  json_object_set_int_member (object, "total", stats.total);
  json_object_set_object_member (object, "by_status", by_status);
  json_object_set_object_member (object, "by_severity", by_severity);
  json_object_set_member (object, "mtta", duration_node (&stats.mtta));
  json_object_set_member (object, "mttr", duration_node (&stats.mttr));
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_object (object));
}

void
hg_api_get_incident (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(HgIncident) incident = NULL;
  gint64 id;

  if (!hg_request_get_id (req, 0, &id, &error) ||
      !(incident = hg_store_get_incident (hg_request_get_store (req), id, TRUE, &error)))
    {
      hg_request_fail (req, error);
      return;
    }
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_incident_to_node (incident, TRUE));
}

static void
action_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  HgRequest *req = user_data;
  GError *error = NULL;
  g_autoptr(HgIncident) incident = hg_store_act_finish (HG_STORE (source), result, &error);

  if (incident == NULL)
    hg_request_fail (req, error);
  else
    hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_incident_to_node (incident, FALSE));
}

/* The body's text member for each action: resolve takes a note, decline
 * and escalate a reason, reassign a reason too (optional). */
static const char *
text_member (HgAction action)
{
  return action == HG_ACTION_RESOLVE ? "note" : "reason";
}

void
hg_api_incident_action (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;
  HgActionRequest request = { 0 };
  const char *text = NULL;

  if (!hg_request_get_id (req, 0, &request.incident_id, &error))
    goto fail;
  if (!hg_action_from_string (hg_request_get_param (req, 1), &request.action))
    {
      hg_set_error (&error, HG_ERROR_NOT_FOUND, "unknown_action", NULL,
                    "“%s” is not an incident action", hg_request_get_param (req, 1));
      goto fail;
    }
  body = hg_request_parse_body (req, TRUE, &error);
  if (body == NULL || !(object = hg_json_require_object (body, &error)) ||
      !hg_json_get_string (object, text_member (request.action), HG_MAX_TEXT_LEN, &text, &error) ||
      !hg_json_get_string (object, "staff_id", HG_MAX_ID_LEN, &request.target_staff_id, &error) ||
      !hg_json_get_int (object, "version", 1, G_MAXINT64, &request.expected_version, &error))
    goto fail;
  if (request.action == HG_ACTION_REASSIGN && request.target_staff_id == NULL)
    {
      hg_set_error (&error, HG_ERROR_INVALID, "missing_field", "staff_id",
                    "reassign needs the staff_id of the colleague who takes it");
      goto fail;
    }
  request.text = text;
  hg_store_act_async (hg_request_get_store (req), hg_request_get_principal (req), &request,
                      action_done, req);
  return;

fail:
  hg_request_fail (req, error);
}

static void
note_added (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  HgRequest *req = user_data;
  GError *error = NULL;
  g_autoptr(HgNote) note = hg_store_add_note_finish (HG_STORE (source), result, &error);

  if (note == NULL)
    hg_request_fail (req, error);
  else
    hg_request_respond_json (req, SOUP_STATUS_CREATED, hg_json_note_to_node (note));
}

void
hg_api_add_note (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;
  const char *text = NULL;
  gint64 id;

  if (!hg_request_get_id (req, 0, &id, &error) ||
      !(body = hg_request_parse_body (req, FALSE, &error)) ||
      !(object = hg_json_require_object (body, &error)) ||
      !hg_json_get_string (object, "text", HG_MAX_TEXT_LEN, &text, &error))
    {
      hg_request_fail (req, error);
      return;
    }
  if (text == NULL)
    {
      hg_set_error (&error, HG_ERROR_INVALID, "missing_field", "text", "a note needs its text");
      hg_request_fail (req, error);
      return;
    }
  hg_store_add_note_async (hg_request_get_store (req), hg_request_get_principal (req), id, text,
                           note_added, req);
}
