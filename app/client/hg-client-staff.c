/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The staff and metrics requests of HgClient: the roster, the caller's own
 * availability, the response-time statistics, and the incidents of the
 * last hours. */
#include "config.h"

#include <glib/gi18n.h>

#include "hg-client.h"
#include "hg-client-private.h"
#include "hg-error.h"
#include "hg-json.h"

#define RECENT_PAGE_LIMIT 500
/* 20 pages of 500: a day far busier than any hospital's stops here. */
#define RECENT_MAX_PAGES  20

/* --- GET /api/v1/staff, GET /api/v1/me ----------------------------------- */

static void
list_staff_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_client_request_finish (HG_CLIENT (source), result, &error);
  g_autoptr(GPtrArray) staff = NULL;
  JsonNode *list;
  JsonArray *array;

  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  list = json_object_get_member (json_node_get_object (answer), "staff");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_task_return_new_error (task, HG_ERROR, HG_ERROR_INTERNAL, _("the staff list has no “staff”"));
      return;
    }
  array = json_node_get_array (list);
  staff = g_ptr_array_new_full (json_array_get_length (array), g_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      HgStaff *member = hg_json_staff_from_node (json_array_get_element (array, i), &error);

      if (member == NULL)
        {
          g_prefix_error (&error, "staff list: ");
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (staff, member);
    }
  g_task_return_pointer (task, g_steal_pointer (&staff), (GDestroyNotify) g_ptr_array_unref);
}

void
hg_client_list_staff_async (HgClient            *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HG_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_client_list_staff_async);
  hg_client_request_async (self, "GET", "/api/v1/staff", NULL, cancellable, list_staff_done, task);
}

GPtrArray *
hg_client_list_staff_finish (HgClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Both GET /api/v1/me and PUT /api/v1/me/availability answer one person. */
static void
one_staff_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_client_request_finish (HG_CLIENT (source), result, &error);
  HgStaff *staff = NULL;

  if (answer != NULL)
    staff = hg_json_staff_from_node (answer, &error);
  if (staff == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, staff, g_object_unref);
}

void
hg_client_get_me_async (HgClient            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HG_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_client_get_me_async);
  hg_client_request_async (self, "GET", "/api/v1/me", NULL, cancellable, one_staff_done, task);
}

HgStaff *
hg_client_get_me_finish (HgClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hg_client_set_availability_async (HgClient            *self,
                                  gboolean             available,
                                  const char          *reason,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  GTask *task;

  g_return_if_fail (HG_IS_CLIENT (self));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "available");
  json_builder_add_boolean_value (builder, available);
  if (reason != NULL && *reason != '\0')
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reason);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = hg_json_to_string (root, NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_client_set_availability_async);
  hg_client_request_async (self, "PUT", "/api/v1/me/availability", body, cancellable,
                           one_staff_done, task);
}

HgStaff *
hg_client_set_availability_finish (HgClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- GET /api/v1/incidents/stats ----------------------------------------- */

void
hg_incident_stats_free (HgIncidentStats *stats)
{
  g_free (stats);
}

/* {"count", "mean", "p50", "p90"}; null figures (count 0) become -1. */
static void
read_durations (JsonObject   *object,
                const char   *name,
                HgDurations  *out)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonObject *durations = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *figures[] = { "mean", "p50", "p90" };
  double *slots[] = { &out->mean, &out->p50, &out->p90 };

  out->count = durations ? (guint) MAX (json_object_get_int_member_with_default (durations, "count", 0), 0) : 0;
  for (gsize i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      JsonNode *member = durations ? json_object_get_member (durations, figures[i]) : NULL;

      *slots[i] = member && JSON_NODE_HOLDS_VALUE (member) ? json_node_get_double (member) : -1;
    }
}

static void
stats_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_client_request_finish (HG_CLIENT (source), result, &error);
  HgIncidentStats *stats;
  JsonObject *object, *by_severity;

  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object = json_node_get_object (answer);
  by_severity = hg_client_member_object (answer, "by_severity");
  stats = g_new0 (HgIncidentStats, 1);
  stats->window = json_object_get_int_member_with_default (object, "window", 0);
  stats->total = (guint) MAX (json_object_get_int_member_with_default (object, "total", 0), 0);
  for (int s = HG_SEVERITY_LOW; s <= HG_SEVERITY_CRITICAL; s++)
    stats->by_severity[s] = by_severity == NULL ? 0
      : (guint) MAX (json_object_get_int_member_with_default (by_severity, hg_severity_to_string (s), 0), 0);
  read_durations (object, "mtta", &stats->mtta);
  read_durations (object, "mttr", &stats->mttr);
  g_task_return_pointer (task, stats, (GDestroyNotify) hg_incident_stats_free);
}

void
hg_client_get_stats_async (HgClient            *self,
                           guint                window_seconds,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (HG_IS_CLIENT (self));
  g_return_if_fail (window_seconds > 0);

  path = g_strdup_printf ("/api/v1/incidents/stats?window=%u", window_seconds);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_client_get_stats_async);
  hg_client_request_async (self, "GET", path, NULL, cancellable, stats_done, task);
}

HgIncidentStats *
hg_client_get_stats_finish (HgClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- The incidents created since a time, newest first -------------------- */

typedef struct {
  gint64     since_ms;
  guint      pages;
  GPtrArray *incidents;
} Recent;

static void
recent_free (Recent *recent)
{
  g_ptr_array_unref (recent->incidents);
  g_free (recent);
}

static void recent_page (GTask      *task,
                         const char *cursor);

/* Adds the page's incidents created at or after since_ms; answers TRUE
 * when the page reached older ones (the list is newest first). */
static gboolean
recent_take (Recent     *recent,
             JsonArray  *array,
             GError    **error)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      HgIncident *incident = hg_json_incident_from_node (json_array_get_element (array, i), error);

      if (incident == NULL)
        return FALSE;
      if (hg_incident_get_created_at (incident) < recent->since_ms)
        {
          g_object_unref (incident);
          return TRUE;
        }
      g_ptr_array_add (recent->incidents, incident);
    }
  return FALSE;
}

static void
recent_page_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Recent *recent = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_client_request_finish (HG_CLIENT (source), result, &error);
  JsonNode *list, *next;
  gboolean done;

  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  list = json_object_get_member (json_node_get_object (answer), "incidents");
  next = json_object_get_member (json_node_get_object (answer), "next_cursor");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_task_return_new_error (task, HG_ERROR, HG_ERROR_INTERNAL, _("the incident list has no “incidents”"));
      return;
    }
  done = recent_take (recent, json_node_get_array (list), &error);
  if (error != NULL)
    {
      g_prefix_error (&error, "incident list: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!done && ++recent->pages < RECENT_MAX_PAGES
      && next != NULL && json_node_get_value_type (next) == G_TYPE_STRING)
    recent_page (g_steal_pointer (&task), json_node_get_string (next));
  else
    g_task_return_pointer (task, g_ptr_array_ref (recent->incidents), (GDestroyNotify) g_ptr_array_unref);
}

static void
recent_page (GTask      *task,
             const char *cursor)
{
  g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents?limit=%d%s%s", RECENT_PAGE_LIMIT,
                                           escaped ? "&cursor=" : "", escaped ?: "");

  hg_client_request_async (g_task_get_source_object (task), "GET", path, NULL,
                           g_task_get_cancellable (task), recent_page_done, task);
}

void
hg_client_list_recent_incidents_async (HgClient            *self,
                                       gint64               since_ms,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  Recent *recent;

  g_return_if_fail (HG_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_client_list_recent_incidents_async);
  recent = g_new0 (Recent, 1);
  recent->since_ms = since_ms;
  recent->incidents = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, recent, (GDestroyNotify) recent_free);
  recent_page (task, NULL);
}

GPtrArray *
hg_client_list_recent_incidents_finish (HgClient      *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
