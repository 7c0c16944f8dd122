/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hg-client-private.h"
#include "hg-error.h"
#include "hg-incident-list.h"
#include "hg-json.h"

#define PAGE_LIMIT      500

/* --- HTTP requests ------------------------------------------------------ */

const char *
hg_client_member_string (JsonObject *object,
                         const char *name)
{
  JsonNode *member = object ? json_object_get_member (object, name) : NULL;

  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (member);
}

JsonObject *
hg_client_member_object (JsonNode   *node,
                         const char *name)
{
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  member = json_object_get_member (json_node_get_object (node), name);
  return member != NULL && JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;
}

/* {"error": {"code", "message", "field"}} → HG_ERROR in the server's words. */
static void
set_error_from_answer (GError     **error,
                       SoupMessage *msg,
                       JsonNode    *answer)
{
  guint status = soup_message_get_status (msg);

  if (!hg_json_error_from_answer (answer, status, error))
    hg_set_error (error, hg_error_code_from_http_status (status), NULL, NULL,
                  /* Translators: an HTTP status and its reason, "503 Service Unavailable" */
                  _("the server answered %u %s"),
                  status, soup_message_get_reason_phrase (msg) ?: "");
}

static void
request_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  const char *data;
  gsize len;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_bytes_get_data (body, &len);
  if (len > 0)
    answer = hg_json_parse (data, len, NULL);
  /* 204 (marking notifications read): an empty object, so that callers
   * tell success from failure the one way. */
  if (soup_message_get_status (msg) == SOUP_STATUS_NO_CONTENT && answer == NULL)
    answer = hg_json_node_new_object (json_object_new ());
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      set_error_from_answer (&error, msg, answer);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    g_task_return_new_error (task, HG_ERROR, HG_ERROR_INTERNAL,
                             _("the server’s answer is not a JSON object"));
  else
    g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) json_node_unref);
}

SoupMessage *
hg_client_new_message (HgClient   *self,
                       const char *method,
                       const char *path)
{
  g_autofree char *url = g_strconcat (hg_client_get_base_url (self), path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  if (msg != NULL && hg_client_get_token (self) != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", hg_client_get_token (self), NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  return msg;
}

/* Sends a request and parses the JSON object answered; errors are HG_ERROR
 * in the server's words (or GIO's, when there was no answer). */
void
hg_client_request_async (HgClient            *self,
                         const char          *method,
                         const char          *path,
                         const char          *body,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SoupMessage *msg = hg_client_new_message (self, method, path);

  g_task_set_source_tag (task, hg_client_request_async);
  if (msg == NULL)
    {
      g_task_return_new_error (task, HG_ERROR, HG_ERROR_INVALID, _("“%s” is not a server address"),
                               hg_client_get_base_url (self));
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (hg_client_get_session (self), msg, G_PRIORITY_DEFAULT,
                                    cancellable, request_done, g_steal_pointer (&task));
}

JsonNode *
hg_client_request_finish (HgClient      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- The list of active incidents, every page --------------------------- */

/* One chain of pages per active status, all at once: while the server
 * writes one chain's page the app reads another's, which halves a cold
 * start with 10,000 incidents (docs/PERFORMANCE.md). Incidents that change
 * status while the chains run may show in two chains or in none; the
 * stream events held back meanwhile (hg-client.c) set them right, as they
 * do for a single chain whose pages shift under it. */
static const char * const active_statuses[] = { "open", "assigned", "acknowledged", "in_progress" };

typedef struct {
  GPtrArray *incidents;
  guint      chains;   /* still paging */
  GError    *error;    /* the first chain's error */
} FetchActive;

static void
fetch_active_free (FetchActive *data)
{
  g_ptr_array_unref (data->incidents);
  g_clear_error (&data->error);
  g_free (data);
}

typedef struct {
  GTask      *task;    /* owned: one reference per chain */
  const char *status;
} Chain;

static void fetch_page (Chain      *chain,
                        const char *cursor);

/* A chain ends (done or failed); the last one answers the task. */
static void
chain_end (Chain  *chain,
           GError *error)
{
  g_autoptr(GTask) task = chain->task;
  FetchActive *data = g_task_get_task_data (task);

  g_free (chain);
  if (error != NULL && data->error == NULL)
    data->error = error;
  else if (error != NULL)
    g_error_free (error);
  if (--data->chains > 0)
    return;
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_ptr_array_ref (data->incidents), (GDestroyNotify) g_ptr_array_unref);
}

static void
fetch_page_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Chain *chain = user_data;
  FetchActive *data = g_task_get_task_data (chain->task);
  GError *error = NULL;
  g_autoptr(JsonNode) answer = hg_client_request_finish (HG_CLIENT (source), result, &error);
  JsonObject *object;
  JsonNode *list, *next;

  if (answer == NULL)
    {
      chain_end (chain, error);
      return;
    }
  object = json_node_get_object (answer);
  list = json_object_get_member (object, "incidents");
  next = json_object_get_member (object, "next_cursor");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      chain_end (chain, g_error_new (HG_ERROR, HG_ERROR_INTERNAL, _("the incident list has no “incidents”")));
      return;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      HgIncident *incident = hg_json_incident_from_node (json_array_get_element (json_node_get_array (list), i),
                                                         &error);

      if (incident == NULL)
        {
          g_prefix_error (&error, "incident list: ");
          chain_end (chain, error);
          return;
        }
      g_ptr_array_add (data->incidents, incident);
    }
  /* Another chain failed: no use fetching more. */
  if (data->error == NULL && next != NULL && json_node_get_value_type (next) == G_TYPE_STRING)
    fetch_page (chain, json_node_get_string (next));
  else
    chain_end (chain, NULL);
}

static void
fetch_page (Chain      *chain,
            const char *cursor)
{
  HgClient *self = g_task_get_source_object (chain->task);
  g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents?status=%s&limit=%d%s%s", chain->status,
                                           PAGE_LIMIT, escaped ? "&cursor=" : "", escaped ?: "");

  hg_client_request_async (self, "GET", path, NULL, g_task_get_cancellable (chain->task), fetch_page_done, chain);
}

/* All pages of GET /api/v1/incidents?status=<each active status>; a
 * GPtrArray of HgIncident, in no particular order. */
void
hg_client_fetch_active_async (HgClient            *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  FetchActive *data = g_new0 (FetchActive, 1);

  g_task_set_source_tag (task, hg_client_fetch_active_async);
  data->incidents = g_ptr_array_new_with_free_func (g_object_unref);
  data->chains = G_N_ELEMENTS (active_statuses);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_active_free);
  for (guint i = 0; i < G_N_ELEMENTS (active_statuses); i++)
    {
      Chain *chain = g_new0 (Chain, 1);

      chain->task = g_object_ref (task);
      chain->status = active_statuses[i];
      fetch_page (chain, NULL);
    }
}

GPtrArray *
hg_client_fetch_active_finish (HgClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Sign-in and actions ------------------------------------------------ */

/* An answer without a readable "staff" still signs in: the views then
 * treat this person as one with the fewest rights. */
static void
remember_staff (HgClient *self,
                JsonNode *answer)
{
  JsonNode *node = json_object_get_member (json_node_get_object (answer), "staff");
  g_autoptr(HgStaff) staff = NULL;
  g_autoptr(GError) error = NULL;

  if (node != NULL)
    staff = hg_json_staff_from_node (node, &error);
  if (staff == NULL)
    g_debug ("The sign-in answer names nobody: %s", error ? error->message : "no “staff”");
  hg_client_set_staff (self, staff);
}

static void
login_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HgClient *self = HG_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_client_request_finish (self, result, &error);
  const char *token;

  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  token = hg_client_member_string (json_node_get_object (answer), "token");
  if (token == NULL)
    {
      g_task_return_new_error (task, HG_ERROR, HG_ERROR_INTERNAL, _("the sign-in answer has no token"));
      return;
    }
  hg_client_set_token (self, token);
  remember_staff (self, answer);
  g_task_return_boolean (task, TRUE);
}

void
hg_client_login_async (HgClient            *self,
                       const char          *staff_id,
                       const char          *password,
                       const char          *station,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  GTask *task;

  g_return_if_fail (HG_IS_CLIENT (self));
  g_return_if_fail (staff_id != NULL && password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "staff_id");
  json_builder_add_string_value (builder, staff_id);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  if (station != NULL)
    {
      json_builder_set_member_name (builder, "station");
      json_builder_add_string_value (builder, station);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = hg_json_to_string (root, NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_client_login_async);
  hg_client_request_async (self, "POST", "/api/v1/auth/login", body, cancellable, login_done, task);
}

gboolean
hg_client_login_finish (HgClient      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
act_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HgClient *self = HG_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_client_request_finish (self, result, &error);
  g_autoptr(HgIncident) incident = NULL;

  if (answer != NULL)
    incident = hg_json_incident_from_node (answer, &error);
  if (incident == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  hg_incident_list_apply (HG_INCIDENT_LIST (hg_client_get_incidents (self)), incident);
  g_task_return_pointer (task, g_steal_pointer (&incident), g_object_unref);
}

void
hg_client_act_async (HgClient            *self,
                     gint64               incident_id,
                     const char          *action,
                     const char          *body_json,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (HG_IS_CLIENT (self));
  g_return_if_fail (action != NULL);

  escaped = g_uri_escape_string (action, NULL, FALSE);
  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/%s", incident_id, escaped);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_client_act_async);
  hg_client_request_async (self, "POST", path, body_json, cancellable, act_done, task);
}

HgIncident *
hg_client_act_finish (HgClient      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- An incident's detail and notes ------------------------------------- */

static void
get_incident_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_client_request_finish (HG_CLIENT (source), result, &error);
  HgIncident *incident = NULL;

  if (answer != NULL)
    incident = hg_json_incident_from_node (answer, &error);
  if (incident == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, incident, g_object_unref);
}

void
hg_client_get_incident_async (HgClient            *self,
                              gint64               incident_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (HG_IS_CLIENT (self));

  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT, incident_id);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_client_get_incident_async);
  hg_client_request_async (self, "GET", path, NULL, cancellable, get_incident_done, task);
}

HgIncident *
hg_client_get_incident_finish (HgClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
add_note_done (GObject      *source,
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
hg_client_add_note_async (HgClient            *self,
                          gint64               incident_id,
                          const char          *text,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (HG_IS_CLIENT (self));
  g_return_if_fail (text != NULL);

  json_object_set_string_member (object, "text", text);
  root = hg_json_node_new_object (g_steal_pointer (&object));
  body = hg_json_to_string (root, NULL);
  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/notes", incident_id);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_client_add_note_async);
  hg_client_request_async (self, "POST", path, body, cancellable, add_note_done, task);
}

gboolean
hg_client_add_note_finish (HgClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
