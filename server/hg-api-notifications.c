/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include "hg-api.h"
#include "hg-error.h"
#include "hg-json.h"

void
hg_api_list_notifications (HgRequest *req)
{
  GError *error = NULL;
  const char *unread = hg_request_get_query (req, "unread");
  g_autoptr(GPtrArray) list = NULL;
  gint64 before, next;
  guint limit;
  JsonArray *array;
  JsonObject *object;

  if (unread != NULL && !g_str_equal (unread, "true") && !g_str_equal (unread, "false"))
    {
      hg_set_error (&error, HG_ERROR_INVALID, "invalid_field", "unread", "unread is true or false");
      hg_request_fail (req, error);
      return;
    }
  if (!hg_request_get_page (req, &before, &limit, &error) ||
      !(list = hg_store_list_notifications (hg_request_get_store (req), hg_request_get_principal (req)->staff_id,
                                            g_strcmp0 (unread, "true") == 0, before, limit, &next, &error)))
    {
      hg_request_fail (req, error);
      return;
    }
  array = json_array_sized_new (list->len);
  for (guint i = 0; i < list->len; i++)
    json_array_add_element (array, json_node_ref (list->pdata[i]));
  object = json_object_new ();
  json_object_set_array_member (object, "notifications", array);
  hg_json_set_cursor (object, next);
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_object (object));
}

static void
marked (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  HgRequest *req = user_data;
  GError *error = NULL;

  if (!hg_store_mark_read_finish (HG_STORE (source), result, &error))
    hg_request_fail (req, error);
  else
    hg_request_respond_empty (req, SOUP_STATUS_NO_CONTENT);
}

void
hg_api_read_notification (HgRequest *req)
{
  GError *error = NULL;
  gint64 id;

  if (!hg_request_get_id (req, 0, &id, &error))
    {
      hg_request_fail (req, error);
      return;
    }
  hg_store_mark_read_async (hg_request_get_store (req), hg_request_get_principal (req)->staff_id, id,
                            marked, req);
}

void
hg_api_read_all_notifications (HgRequest *req)
{
  hg_store_mark_read_async (hg_request_get_store (req), hg_request_get_principal (req)->staff_id, 0,
                            marked, req);
}
