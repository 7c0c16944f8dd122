/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include "hg-api.h"
#include "hg-error.h"
#include "hg-json.h"

static void
respond_staff_list (HgRequest *req,
                    GPtrArray *staff)
{
  JsonArray *array = json_array_sized_new (staff->len);
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < staff->len; i++)
    json_array_add_element (array, hg_json_staff_to_node (staff->pdata[i]));
  json_object_set_array_member (object, "staff", array);
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_object (object));
}

void
hg_api_list_staff (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(GPtrArray) staff = hg_store_list_staff (hg_request_get_store (req), FALSE,
                                                    NULL, NULL, NULL, &error);

  if (staff == NULL)
    hg_request_fail (req, error);
  else
    respond_staff_list (req, staff);
}

void
hg_api_get_staff (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(HgStaff) staff = hg_store_get_staff (hg_request_get_store (req),
                                                 hg_request_get_param (req, 0), &error);

  if (staff == NULL)
    hg_request_fail (req, error);
  else
    hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_staff_to_node (staff));
}

void
hg_api_oncall_current (HgRequest *req)
{
  GError *error = NULL;
  const char *role_name = hg_request_get_query (req, "role");
  HgRole role;
  int role_value;
  g_autoptr(GPtrArray) staff = NULL;

  if (role_name != NULL && !hg_role_from_string (role_name, &role))
    {
      hg_set_error (&error, HG_ERROR_INVALID, "invalid_enum", "role", "“%s” is not a role", role_name);
      hg_request_fail (req, error);
      return;
    }
  role_value = role_name ? (int) role : -1;
  staff = hg_store_list_staff (hg_request_get_store (req), TRUE, role_name ? &role_value : NULL,
                               hg_request_get_query (req, "specialty"),
                               hg_request_get_query (req, "ward"), &error);
  if (staff == NULL)
    hg_request_fail (req, error);
  else
    respond_staff_list (req, staff);
}
