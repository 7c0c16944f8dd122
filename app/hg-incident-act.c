/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include "hg-incident-act.h"
#include "hg-lifecycle.h"
#include "hg-models-private.h"

gboolean
hg_incident_may (HgClient   *client,
                 HgIncident *incident,
                 HgAction    action)
{
  HgStaff *assignee;

  if (client == NULL || incident == NULL)
    return FALSE;
  assignee = hg_incident_get_assignee (incident);
  return hg_lifecycle_check (hg_incident_get_status (incident),
                             assignee ? hg_staff_get_id (assignee) : NULL,
                             hg_incident_get_escalation_level (incident),
                             action, hg_client_get_staff_id (client),
                             hg_client_get_role (client), TRUE, NULL, NULL);
}

typedef struct {
  HgIncident *incident;   /* the live one */
  HgIncident *before;     /* a copy from before the optimistic change */
} ActData;

static void
act_data_free (ActData *data)
{
  g_object_unref (data->incident);
  g_object_unref (data->before);
  g_free (data);
}

static HgIncident *
copy_incident (HgIncident *incident)
{
  HgIncident *copy = hg_incident_new ();

  hg_incident_update_from (copy, incident);
  return copy;
}

static void
act_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ActData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(HgIncident) answer = hg_client_act_finish (HG_CLIENT (source), result, &error);

  if (answer != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Roll back, unless the server's own news came meanwhile. */
  if (hg_incident_get_version (data->incident) == hg_incident_get_version (data->before))
    hg_incident_update_from (data->incident, data->before);
  g_task_return_error (task, error);
}

void
hg_incident_act_async (HgClient            *client,
                       HgIncident          *incident,
                       HgAction             action,
                       const char          *body_json,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HgIncident) expected = NULL;
  HgIncidentStatus next;
  ActData *data;

  g_return_if_fail (HG_IS_CLIENT (client));
  g_return_if_fail (HG_IS_INCIDENT (incident));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, hg_incident_act_async);
  data = g_new0 (ActData, 1);
  data->incident = g_object_ref (incident);
  data->before = copy_incident (incident);
  g_task_set_task_data (task, data, (GDestroyNotify) act_data_free);

  expected = copy_incident (incident);
  if (hg_lifecycle_check (expected->status, expected->assignee ? hg_staff_get_id (expected->assignee) : NULL,
                          expected->escalation_level, action, hg_client_get_staff_id (client),
                          hg_client_get_role (client), TRUE, &next, NULL))
    expected->status = next;
  if (action == HG_ACTION_CLAIM && hg_client_get_staff (client) != NULL)
    g_set_object (&expected->assignee, hg_client_get_staff (client));
  hg_incident_update_from (incident, expected);

  hg_client_act_async (client, hg_incident_get_id (incident), hg_action_to_string (action),
                       body_json, cancellable, act_done, g_steal_pointer (&task));
}

gboolean
hg_incident_act_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL) || G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
