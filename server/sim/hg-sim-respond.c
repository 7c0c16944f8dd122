/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Sim"

#include "config.h"

#include "hg-error.h"
#include "hg-json.h"
#include "hg-protocol.h"
#include "hg-sim.h"

/* How often a response that waits for an escalation looks again, and how
 * many times a step refused because the incident moved is tried again. */
#define POLL_MS      250
#define MAX_ATTEMPTS 5

typedef struct {
  gint64         id;
  HgSimResponse  response;
  JsonObject    *incident;     /* as last seen; NULL: fetch it again */
  gboolean       ack_waited;
  gboolean       start_waited;
  gboolean       resolve_waited;
  gboolean       escalation_waited;
  char          *ignoring;     /* the assignee who does not answer */
  gint64         give_up_us;
  guint          attempts;
  const char    *action;
  char          *actor;
} Respond;

static void
respond_free (gpointer data)
{
  Respond *respond = data;

  g_clear_pointer (&respond->incident, json_object_unref);
  g_free ((char *) respond->response.start_reason);
  g_free ((char *) respond->response.resolve_note);
  g_free (respond->ignoring);
  g_free (respond->actor);
  g_free (respond);
}

static void step (GTask *task);

static const char *
status_of (Respond *respond)
{
  return json_object_get_string_member_with_default (respond->incident, "status", "");
}

static const char *
assignee_of (Respond *respond)
{
  JsonNode *node = json_object_get_member (respond->incident, "assignee");

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (node), "id", NULL);
}

static gboolean
reached (Respond *respond)
{
  const char *status = status_of (respond);

  if (g_str_equal (status, "resolved"))
    return TRUE;
  switch (respond->response.until)
    {
    case HG_SIM_UNTIL_ACKNOWLEDGED:
      return g_str_equal (status, "acknowledged") || g_str_equal (status, "in_progress");
    case HG_SIM_UNTIL_STARTED:
      return g_str_equal (status, "in_progress");
    case HG_SIM_UNTIL_RESOLVED:
    default:
      return FALSE;
    }
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  HgSim *sim = HG_SIM (source);
  Respond *respond = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (sim, result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  respond->incident = json_object_ref (json_node_get_object (answer));
  hg_sim_note_incident (sim, respond->incident);
  step (task);
}

static void
fetch (GTask *task)
{
  HgSim *sim = g_task_get_source_object (task);
  Respond *respond = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf (HG_API_PREFIX "/incidents/%" G_GINT64_FORMAT, respond->id);

  g_clear_pointer (&respond->incident, json_object_unref);
  hg_sim_request_async (sim, "GET", path, hg_sim_get_token (sim), NULL, fetched, task);
}

static void
slept (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  hg_sim_sleep_finish (HG_SIM (source), result);
  fetch (user_data);
}

static gboolean
poll_again (gpointer user_data)
{
  fetch (user_data);
  return G_SOURCE_REMOVE;
}

static void
say_done (HgSim      *sim,
          Respond    *respond,
          JsonObject *incident,
          gboolean    first_ack)
{
  g_autofree char *what = hg_sim_describe (incident);
  JsonNode *assignee = json_object_get_member (incident, "assignee");
  const char *name = assignee && JSON_NODE_HOLDS_OBJECT (assignee)
                       ? json_object_get_string_member_with_default (json_node_get_object (assignee), "name", "")
                       : "";

  if (g_str_equal (respond->action, "acknowledge") || g_str_equal (respond->action, "claim"))
    {
      const char *verb = g_str_equal (respond->action, "claim") ? "claims" : "acknowledges";
      double mtta = (hg_sim_time_member (incident, "acknowledged_at") -
                     hg_sim_time_member (incident, "created_at")) / 1000.0;

      /* MTTA counts the first acknowledgement only. */
      if (first_ack)
        hg_sim_say (sim, "%s %s %s %s (MTTA %.2f s)", respond->actor, name, verb, what, mtta);
      else
        hg_sim_say (sim, "%s %s %s %s", respond->actor, name, verb, what);
    }
  else if (g_str_equal (respond->action, "start"))
    hg_sim_say (sim, "%s %s starts work on %s%s%s", respond->actor, name, what,
                respond->response.start_reason ? ": " : "",
                respond->response.start_reason ? respond->response.start_reason : "");
  else
    hg_sim_say (sim, "%s %s resolves %s: %s", respond->actor, name, what,
                respond->response.resolve_note ? respond->response.resolve_note : "done");
}

static void
acted (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  GTask *task = user_data;
  HgSim *sim = HG_SIM (source);
  Respond *respond = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (sim, result, &error);
  gboolean first_ack;

  /* Refused because the incident moved meanwhile (an escalation, a
   * handover): look again and act as whoever holds it now. */
  if ((g_error_matches (error, HG_ERROR, HG_ERROR_CONFLICT) ||
       g_error_matches (error, HG_ERROR, HG_ERROR_FORBIDDEN)) &&
      ++respond->attempts < MAX_ATTEMPTS)
    {
      g_autofree char *what = hg_sim_describe (respond->incident);

      hg_sim_say (sim, "%s changed meanwhile (%s): looking again", what, error->message);
      fetch (task);
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  first_ack = hg_sim_time_member (respond->incident, "acknowledged_at") == 0;
  g_clear_pointer (&respond->incident, json_object_unref);
  respond->incident = json_object_ref (json_node_get_object (answer));
  hg_sim_track (sim, respond->incident);
  say_done (sim, respond, respond->incident, first_ack);
  step (task);
}

static void
signed_in (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  HgSim *sim = HG_SIM (source);
  Respond *respond = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *token = hg_sim_login_finish (sim, result, &error);
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (g_str_equal (respond->action, "start") && respond->response.start_reason != NULL)
    json_object_set_string_member (body, "reason", respond->response.start_reason);
  if (g_str_equal (respond->action, "resolve") && respond->response.resolve_note != NULL)
    json_object_set_string_member (body, "note", respond->response.resolve_note);
  /* Acting on the incident as it was seen: a change since then (an
   * escalation, a handover) is a 409, and the step is looked at again. */
  json_object_set_int_member (body, "version",
                              json_object_get_int_member_with_default (respond->incident, "version", 1));
  node = hg_json_node_new_object (g_steal_pointer (&body));
  path = g_strdup_printf (HG_API_PREFIX "/incidents/%" G_GINT64_FORMAT "/%s", respond->id, respond->action);
  hg_sim_request_async (sim, "POST", path, token, node, acted, task);
}

/* TRUE while the response still waits for the server to move the
 * incident on from the assignee who does not answer. */
static gboolean
waiting_for_escalation (HgSim   *sim,
                        Respond *respond)
{
  const char *assignee = assignee_of (respond);
  g_autofree char *what = NULL;

  if (respond->response.wait_for_escalation <= 0 || respond->escalation_waited)
    return FALSE;
  what = hg_sim_describe (respond->incident);
  if (respond->ignoring == NULL)
    {
      respond->ignoring = g_strdup (assignee ? assignee : "");
      respond->give_up_us = g_get_monotonic_time () +
                            (gint64) (respond->response.wait_for_escalation * G_USEC_PER_SEC);
      hg_sim_say (sim, "%s: %s does not answer; waiting up to %.0f s for the server to escalate it", what,
                  respond->ignoring, respond->response.wait_for_escalation);
    }
  if (g_strcmp0 (assignee, respond->ignoring) != 0 || !g_str_equal (status_of (respond), "assigned"))
    {
      respond->escalation_waited = TRUE;
      return FALSE;
    }
  if (g_get_monotonic_time () >= respond->give_up_us)
    {
      respond->escalation_waited = TRUE;
      hg_sim_say (sim, "%s: not moved on within %.0f s (the server's escalation policy is longer); "
                  "%s answers after all", what, respond->response.wait_for_escalation, respond->ignoring);
      return FALSE;
    }
  return TRUE;
}

static void
step (GTask *task)
{
  HgSim *sim = g_task_get_source_object (task);
  Respond *respond = g_task_get_task_data (task);
  const char *status;
  gboolean *waited;
  double delay;

  if (respond->incident == NULL)
    {
      fetch (task);
      return;
    }
  if (reached (respond))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (waiting_for_escalation (sim, respond))
    {
      g_timeout_add (POLL_MS, poll_again, task);
      return;
    }
  status = status_of (respond);
  g_free (respond->actor);
  respond->actor = g_strdup (assignee_of (respond));
  if (g_str_equal (status, "open"))
    {
      /* Nobody holds it: the --staff person takes it. */
      respond->action = "claim";
      waited = &respond->ack_waited;
      delay = respond->response.ack_after;
      g_free (respond->actor);
      respond->actor = g_strdup (json_object_get_string_member (hg_sim_get_staff (sim), "id"));
    }
  else if (g_str_equal (status, "assigned"))
    {
      respond->action = "acknowledge";
      waited = &respond->ack_waited;
      delay = respond->response.ack_after;
    }
  else if (g_str_equal (status, "acknowledged"))
    {
      respond->action = "start";
      waited = &respond->start_waited;
      delay = respond->response.start_after;
    }
  else
    {
      respond->action = "resolve";
      waited = &respond->resolve_waited;
      delay = respond->response.resolve_after;
    }
  if (!*waited)
    {
      /* Wait as the person would, then look again: it may have moved. */
      *waited = TRUE;
      hg_sim_sleep_async (sim, delay, slept, task);
      return;
    }
  hg_sim_login_async (sim, respond->actor, hg_sim_get_options (sim)->responder_password, signed_in, task);
}

void
hg_sim_respond_async (HgSim               *self,
                      gint64               id,
                      const HgSimResponse *response,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  Respond *respond = g_new0 (Respond, 1);

  g_task_set_source_tag (task, hg_sim_respond_async);
  respond->id = id;
  respond->response = *response;
  respond->response.start_reason = g_strdup (response->start_reason);
  respond->response.resolve_note = g_strdup (response->resolve_note);
  g_task_set_task_data (task, respond, respond_free);
  fetch (task);
}

gboolean
hg_sim_respond_finish (HgSim         *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
