/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include "hg-api.h"
#include "hg-error.h"
#include "hg-handover.h"
#include "hg-json.h"
#include "hg-protocol.h"

/* Long enough for any real rota, short enough to catch a mistyped year. */
#define MAX_SHIFT_MS (G_GINT64_CONSTANT (7) * 24 * 3600 * 1000)

#define SCHEDULE_WRITERS ((1u << HG_ROLE_CHARGE_NURSE) | (1u << HG_ROLE_ADMIN))

static void
set_time (JsonObject *object,
          const char *member,
          gint64      ms)
{
  g_autofree char *text = hg_time_format (ms);

  json_object_set_string_member (object, member, text);
}

static JsonNode *
shift_to_node (const HgShift *shift)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", shift->id);
  json_object_set_string_member (object, "staff_id", shift->staff_id);
  json_object_set_string_member (object, "role", hg_role_to_string (shift->role));
  if (shift->ward != NULL)
    json_object_set_string_member (object, "ward", shift->ward);
  else
    json_object_set_null_member (object, "ward");
  set_time (object, "starts_at", shift->starts_at);
  set_time (object, "ends_at", shift->ends_at);
  return hg_json_node_new_object (object);
}

/* An RFC 3339 time, from the body or the query. */
static gboolean
parse_time (const char  *text,
            const char  *field,
            gboolean     required,
            gint64      *out,
            GError     **error)
{
  if (text == NULL && !required)
    return TRUE;
  if (text == NULL)
    {
      hg_set_error (error, HG_ERROR_INVALID, "missing_field", field, "a shift needs its %s", field);
      return FALSE;
    }
  if (!hg_time_parse (text, out))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", field,
                    "%s must be an RFC 3339 time such as 2026-11-22T07:00:00Z", field);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_text_param (const char  *value,
                  const char  *field,
                  GError     **error)
{
  if (value == NULL || (value[0] != '\0' && g_utf8_validate (value, -1, NULL) &&
                        g_utf8_strlen (value, -1) <= HG_MAX_NAME_LEN))
    return TRUE;
  hg_set_error (error, HG_ERROR_INVALID, "invalid_field", field,
                "%s must be 1 to %d characters", field, HG_MAX_NAME_LEN);
  return FALSE;
}

static gboolean
parse_filter (HgRequest      *req,
              HgShiftFilter  *filter,
              GError        **error)
{
  const char *staff_id = hg_request_get_query (req, "staff_id");
  const char *ward = hg_request_get_query (req, "ward");

  /* By default: the shifts running now or later. */
  filter->from = hg_time_now_ms ();
  if (!check_text_param (staff_id, "staff_id", error) ||
      !check_text_param (ward, "ward", error) ||
      !parse_time (hg_request_get_query (req, "from"), "from", FALSE, &filter->from, error) ||
      !parse_time (hg_request_get_query (req, "to"), "to", FALSE, &filter->to, error) ||
      !hg_request_get_page (req, &filter->after_id, &filter->limit, error))
    return FALSE;
  if (hg_request_get_query (req, "to") != NULL && filter->to <= filter->from)
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "to", "to must be after from");
      return FALSE;
    }
  if (g_strcmp0 (staff_id, "me") == 0)
    staff_id = hg_request_get_principal (req)->staff_id;
  filter->staff_id = g_strdup (staff_id);
  filter->ward = g_strdup (ward);
  return TRUE;
}

void
hg_api_list_schedules (HgRequest *req)
{
  GError *error = NULL;
  HgShiftFilter filter = { 0 };
  g_autoptr(GPtrArray) shifts = NULL;
  gint64 next = 0;
  JsonArray *array;
  JsonObject *object;

  if (!parse_filter (req, &filter, &error) ||
      !(shifts = hg_store_list_shifts (hg_request_get_store (req), &filter, &next, &error)))
    {
      hg_shift_filter_clear (&filter);
      hg_request_fail (req, error);
      return;
    }
  hg_shift_filter_clear (&filter);
  array = json_array_sized_new (shifts->len);
  for (guint i = 0; i < shifts->len; i++)
    json_array_add_element (array, shift_to_node (shifts->pdata[i]));
  object = json_object_new ();
  json_object_set_array_member (object, "shifts", array);
  hg_json_set_cursor (object, next);
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_object (object));
}

/* The schedule changed: the handover timer must look again. */
static void
poke_handover (HgRequest *req)
{
  HgHandover *handover = hg_request_get_handover (req);

  if (handover != NULL)
    hg_handover_poke (handover);
}

static void
shift_added (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  HgRequest *req = user_data;
  GError *error = NULL;
  g_autoptr(HgShift) shift = hg_store_add_shift_finish (HG_STORE (source), result, &error);

  if (shift == NULL)
    {
      hg_request_fail (req, error);
      return;
    }
  poke_handover (req);
  hg_request_respond_json (req, SOUP_STATUS_CREATED, shift_to_node (shift));
}

static gboolean
check_times (gint64    starts_at,
             gint64    ends_at,
             GError  **error)
{
  if (ends_at <= starts_at)
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "ends_at", "ends_at must be after starts_at");
      return FALSE;
    }
  if (ends_at - starts_at > MAX_SHIFT_MS)
    {
      hg_set_error (error, HG_ERROR_INVALID, "out_of_range", "ends_at", "a shift lasts at most 7 days");
      return FALSE;
    }
  /* A shift that is already over would only be handed over at once. */
  if (ends_at <= hg_time_now_ms ())
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "ends_at", "ends_at is in the past");
      return FALSE;
    }
  return TRUE;
}

void
hg_api_add_schedule (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;
  const char *staff_id = NULL, *role_name = NULL, *ward = NULL, *starts = NULL, *ends = NULL;
  gint64 starts_at = 0, ends_at = 0;
  HgRole role;

  if (!hg_request_require_role (req, SCHEDULE_WRITERS, &error) ||
      !(body = hg_request_parse_body (req, FALSE, &error)) ||
      !(object = hg_json_require_object (body, &error)) ||
      !hg_json_get_string (object, "staff_id", HG_MAX_ID_LEN, &staff_id, &error) ||
      !hg_json_get_string (object, "role", HG_MAX_ID_LEN, &role_name, &error) ||
      !hg_json_get_string (object, "ward", HG_MAX_NAME_LEN, &ward, &error) ||
      !hg_json_get_string (object, "starts_at", HG_MAX_ID_LEN, &starts, &error) ||
      !hg_json_get_string (object, "ends_at", HG_MAX_ID_LEN, &ends, &error))
    goto fail;
  if (staff_id == NULL)
    {
      hg_set_error (&error, HG_ERROR_INVALID, "missing_field", "staff_id", "a shift needs its staff_id");
      goto fail;
    }
  if (role_name != NULL && !hg_role_from_string (role_name, &role))
    {
      hg_set_error (&error, HG_ERROR_INVALID, "invalid_enum", "role", "“%s” is not a role", role_name);
      goto fail;
    }
  if (!parse_time (starts, "starts_at", TRUE, &starts_at, &error) ||
      !parse_time (ends, "ends_at", TRUE, &ends_at, &error) ||
      !check_times (starts_at, ends_at, &error))
    goto fail;
  hg_store_add_shift_async (hg_request_get_store (req), hg_request_get_principal (req)->staff_id, staff_id,
                            role_name ? &role : NULL, ward, starts_at, ends_at, shift_added, req);
  return;

fail:
  hg_request_fail (req, error);
}

static void
shift_deleted (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  HgRequest *req = user_data;
  GError *error = NULL;

  if (!hg_store_delete_shift_finish (HG_STORE (source), result, &error))
    {
      hg_request_fail (req, error);
      return;
    }
  poke_handover (req);
  hg_request_respond_empty (req, SOUP_STATUS_NO_CONTENT);
}

void
hg_api_delete_schedule (HgRequest *req)
{
  GError *error = NULL;
  gint64 id;

  if (!hg_request_require_role (req, SCHEDULE_WRITERS, &error) ||
      !hg_request_get_id (req, 0, &id, &error))
    {
      hg_request_fail (req, error);
      return;
    }
  hg_store_delete_shift_async (hg_request_get_store (req), hg_request_get_principal (req)->staff_id, id,
                               shift_deleted, req);
}

static void
availability_set (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HgRequest *req = user_data;
  GError *error = NULL;
  g_autoptr(HgStaff) staff = hg_store_set_availability_finish (HG_STORE (source), result, &error);

  if (staff == NULL)
    {
      hg_request_fail (req, error);
      return;
    }
  /* Someone back: what nobody could take at a shift's end may go to them. */
  if (hg_staff_get_available (staff))
    poke_handover (req);
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_staff_to_node (staff));
}

void
hg_api_set_availability (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;
  const char *reason = NULL;
  gboolean available = FALSE;

  if (!(body = hg_request_parse_body (req, FALSE, &error)) ||
      !(object = hg_json_require_object (body, &error)) ||
      !hg_json_get_bool (object, "available", &available, &error) ||
      !hg_json_get_string (object, "reason", HG_MAX_NAME_LEN, &reason, &error))
    goto fail;
  if (!json_object_has_member (object, "available") ||
      json_node_is_null (json_object_get_member (object, "available")))
    {
      hg_set_error (&error, HG_ERROR_INVALID, "missing_field", "available", "say whether you are available");
      goto fail;
    }
  hg_store_set_availability_async (hg_request_get_store (req), hg_request_get_principal (req)->staff_id,
                                   available, reason, availability_set, req);
  return;

fail:
  hg_request_fail (req, error);
}
