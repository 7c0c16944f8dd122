/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Stream"

#include "config.h"

#include "hg-json.h"
#include "hg-stream-message.h"

gboolean
hg_stream_message_parse (const char      *data,
                         gsize            len,
                         HgStreamMessage *out)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const char *type = NULL;
  gint64 number = -1;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  *out = (HgStreamMessage) { HG_STREAM_MESSAGE_OTHER, -1, NULL };
  if (!(node = hg_json_parse (data, len, NULL)) ||
      !(object = hg_json_require_object (node, NULL)) ||
      !hg_json_get_string (object, "type", 32, &type, NULL) || type == NULL)
    return FALSE;

  out->type = g_strdup (type);
  if (g_str_equal (type, "resume") &&
      hg_json_get_int (object, "since", 0, G_MAXINT64, &number, NULL) && number >= 0)
    out->kind = HG_STREAM_MESSAGE_RESUME;
  else if (g_str_equal (type, "delivered") &&
           hg_json_get_int (object, "notification_id", 1, G_MAXINT64, &number, NULL) && number > 0)
    out->kind = HG_STREAM_MESSAGE_DELIVERED;
  else
    number = -1;
  out->number = number;
  return TRUE;
}

void
hg_stream_message_clear (HgStreamMessage *message)
{
  g_clear_pointer (&message->type, g_free);
  message->kind = HG_STREAM_MESSAGE_OTHER;
  message->number = -1;
}
