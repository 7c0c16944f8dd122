/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include "hg-api.h"
#include "hg-error.h"
#include "hg-json.h"
#include "hg-protocol.h"

/* A filter value: 1 to HG_MAX_NAME_LEN characters of UTF-8. */
static gboolean
get_filter (HgRequest   *req,
            const char  *name,
            const char **out,
            GError     **error)
{
  const char *value = hg_request_get_query (req, name);

  *out = value;
  if (value == NULL)
    return TRUE;
  if (*value == '\0' || !g_utf8_validate (value, -1, NULL) || g_utf8_strlen (value, -1) > HG_MAX_NAME_LEN)
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", name,
                    "%s must be 1 to %d characters", name, HG_MAX_NAME_LEN);
      return FALSE;
    }
  return TRUE;
}

/* The audit trail, newest first: admins only, the people who answer for
 * it; everyone else is 403. */
void
hg_api_list_audit (HgRequest *req)
{
  GError *error = NULL;
  HgAuditFilter filter = { NULL };
  g_autoptr(GPtrArray) list = NULL;
  gint64 next;
  JsonArray *array;
  JsonObject *object;

  if (!hg_request_require_role (req, 1u << HG_ROLE_ADMIN, &error) ||
      !get_filter (req, "actor", &filter.actor, &error) ||
      !get_filter (req, "action", &filter.action, &error) ||
      !get_filter (req, "object", &filter.object, &error) ||
      !hg_request_get_page (req, &filter.before_id, &filter.limit, &error) ||
      !(list = hg_store_list_audit (hg_request_get_store (req), &filter, &next, &error)))
    {
      hg_request_fail (req, error);
      return;
    }
  array = json_array_sized_new (list->len);
  for (guint i = 0; i < list->len; i++)
    json_array_add_element (array, json_node_ref (list->pdata[i]));
  object = json_object_new ();
  json_object_set_array_member (object, "entries", array);
  hg_json_set_cursor (object, next);
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_object (object));
}
