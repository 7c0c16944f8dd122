/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The notification requests of HgClient: the signed-in person's own
 * notifications, and marking them read. */
#include "config.h"

#include "hg-client.h"
#include "hg-client-private.h"
#include "hg-error.h"

#define PAGE_LIMIT 100

typedef struct {
  gboolean   unread_only;
  guint      max;
  GPtrArray *notifications;
} ListData;

static void
list_data_free (ListData *data)
{
  g_ptr_array_unref (data->notifications);
  g_free (data);
}

static void list_page (GTask      *task,
                       const char *cursor);

/* Appends the page's notifications; FALSE (with the task answered) when
 * the page is not one. */
static gboolean
take_page (GTask    *task,
           JsonNode *answer)
{
  ListData *data = g_task_get_task_data (task);
  JsonNode *list = json_object_get_member (json_node_get_object (answer), "notifications");
  JsonArray *array;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_task_return_new_error (task, HG_ERROR, HG_ERROR_INTERNAL,
                               "the notification list has no “notifications”");
      return FALSE;
    }
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array) && data->notifications->len < data->max; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      HgNotification *notification = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        notification = hg_notification_new_from_json (json_node_get_object (element), NULL);
      if (notification != NULL)
        g_ptr_array_add (data->notifications, notification);
    }
  return TRUE;
}

static void
list_page_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_client_request_finish (HG_CLIENT (source), result, &error);
  const char *cursor;

  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!take_page (task, answer))
    return;
  cursor = hg_client_member_string (json_node_get_object (answer), "next_cursor");
  if (cursor == NULL || data->notifications->len >= data->max)
    g_task_return_pointer (task, g_ptr_array_ref (data->notifications),
                           (GDestroyNotify) g_ptr_array_unref);
  else
    list_page (g_steal_pointer (&task), cursor);
}

static void
list_page (GTask      *task,
           const char *cursor)
{
  ListData *data = g_task_get_task_data (task);
  g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *path = NULL;

  path = g_strdup_printf ("/api/v1/notifications?limit=%u%s%s%s", PAGE_LIMIT,
                          data->unread_only ? "&unread=true" : "",
                          escaped ? "&cursor=" : "", escaped ? escaped : "");
  hg_client_request_async (g_task_get_source_object (task), "GET", path, NULL,
                           g_task_get_cancellable (task), list_page_done, task);
}

void
hg_client_list_notifications_async (HgClient            *self,
                                    gboolean             unread_only,
                                    guint                max,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  ListData *data;

  g_return_if_fail (HG_IS_CLIENT (self));
  g_return_if_fail (max > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_client_list_notifications_async);
  data = g_new0 (ListData, 1);
  data->unread_only = unread_only;
  data->max = max;
  data->notifications = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);
  list_page (task, NULL);
}

GPtrArray *
hg_client_list_notifications_finish (HgClient      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Marking read ---------------------------------------------------------- */

static void
mark_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_client_request_finish (HG_CLIENT (source), result, &error);

  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
hg_client_mark_notification_read_async (HgClient            *self,
                                        gint64               notification_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (HG_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_client_mark_notification_read_async);
  if (notification_id > 0)
    path = g_strdup_printf ("/api/v1/notifications/%" G_GINT64_FORMAT "/read", notification_id);
  else
    path = g_strdup ("/api/v1/notifications/read-all");
  hg_client_request_async (self, "POST", path, NULL, cancellable, mark_done, task);
}

gboolean
hg_client_mark_notification_read_finish (HgClient      *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
