/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which incidents are active for this screen: HgAlarm follows the live
 * incidents model (items-changed, and each incident's notify, which comes
 * once every field holds its new value) and the "alarm" events, and weighs
 * one incident at a time, in the call that saw it change. */
#include "config.h"

#include "hg-active-alarm-private.h"
#include "hg-alarm-private.h"
#include "hg-json.h"

/* An "alarm" event for me (personal mode). */
typedef struct {
  HgIncidentStatus status_at_event;
  gboolean         was_mine;   /* it came assigned to me */
  HgAlarmPriority  priority;
  HgAlarmReason    reason;
} Claim;

static void on_incident_notify (HgIncident *incident,
                                GParamSpec *pspec,
                                HgAlarm    *self);

void
_hg_alarm_incidents_init (HgAlarm *self)
{
  self->mirror = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->claims = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

/* --- Weighing one incident ---------------------------------------------- */

static gboolean
is_mine (HgAlarm    *self,
         HgIncident *incident)
{
  HgStaff *assignee = hg_incident_get_assignee (incident);

  return assignee != NULL && g_strcmp0 (hg_staff_get_id (assignee), self->target) == 0;
}

static gboolean
is_acknowledged (HgIncident *incident)
{
  HgIncidentStatus status = hg_incident_get_status (incident);

  return status == HG_INCIDENT_STATUS_ACKNOWLEDGED || status == HG_INCIDENT_STATUS_IN_PROGRESS;
}

static gboolean
is_unacknowledged (HgIncident *incident)
{
  HgIncidentStatus status = hg_incident_get_status (incident);

  return status == HG_INCIDENT_STATUS_OPEN || status == HG_INCIDENT_STATUS_ASSIGNED;
}

/* An event holds until the incident moves past where it was then and past
 * "assigned": for one that was waiting for an acknowledgement, until
 * someone acknowledges it; for a reminder that an acknowledged incident
 * is not started yet, until it is started. One that came as mine also
 * ends when it goes to someone else. */
static gboolean
claim_holds (HgAlarm    *self,
             Claim      *claim,
             HgIncident *incident,
             gboolean   *acknowledged)
{
  HgIncidentStatus handled_after = MAX (claim->status_at_event, HG_INCIDENT_STATUS_ASSIGNED);

  if (hg_incident_get_status (incident) > handled_after)
    {
      *acknowledged = TRUE;
      return FALSE;
    }
  return !claim->was_mine || is_mine (self, incident);
}

/* Each weigh_*() says whether @incident is active here; when it is not
 * because someone acknowledged (or started) it, @acknowledged is set. */
static gboolean
weigh_station (HgAlarm         *self,
               HgIncident      *incident,
               HgAlarmPriority *priority,
               HgAlarmReason   *reason,
               gboolean        *acknowledged)
{
  if (g_strcmp0 (hg_incident_get_ward (incident), self->target) != 0)
    return FALSE;
  if (!is_unacknowledged (incident))
    {
      *acknowledged = is_acknowledged (incident);
      return FALSE;
    }
  *priority = hg_severity_to_alarm_priority (hg_incident_get_severity (incident));
  *reason = HG_ALARM_REASON_UNACKNOWLEDGED;
  return TRUE;
}

static gboolean
weigh_personal (HgAlarm         *self,
                HgIncident      *incident,
                HgAlarmPriority *priority,
                HgAlarmReason   *reason,
                gboolean        *acknowledged)
{
  gint64 id = hg_incident_get_id (incident);
  Claim *claim = g_hash_table_lookup (self->claims, &id);
  gboolean assigned_to_me = hg_incident_get_status (incident) == HG_INCIDENT_STATUS_ASSIGNED &&
                            is_mine (self, incident);

  /* Once over, an event is forgotten: it must not come back to life
   * when the incident goes back a step. */
  if (claim != NULL && !claim_holds (self, claim, incident, acknowledged))
    {
      g_hash_table_remove (self->claims, &id);
      claim = NULL;
    }
  if (claim == NULL && !assigned_to_me)
    {
      *acknowledged |= is_acknowledged (incident) && is_mine (self, incident);
      return FALSE;
    }

  *priority = hg_severity_to_alarm_priority (hg_incident_get_severity (incident));
  *reason = HG_ALARM_REASON_ASSIGNED;
  if (claim != NULL)
    {
      *priority = MAX (*priority, claim->priority);
      *reason = claim->reason;
    }
  return TRUE;
}

static gboolean
weigh (HgAlarm         *self,
       HgIncident      *incident,
       HgAlarmPriority *priority,
       HgAlarmReason   *reason,
       gboolean        *acknowledged)
{
  *acknowledged = FALSE;
  switch (self->mode)
    {
    case HG_ALARM_MODE_STATION:
      return weigh_station (self, incident, priority, reason, acknowledged);
    case HG_ALARM_MODE_PERSONAL:
      return weigh_personal (self, incident, priority, reason, acknowledged);
    case HG_ALARM_MODE_NONE:
    default:
      return FALSE;
    }
}

/* @renewed: the server asked again for it (reminder, escalation).
 * @mode_changed: whatever ends now ends with the old mode, not by an
 * acknowledgement. */
static void
sync_incident (HgAlarm    *self,
               HgIncident *incident,
               gboolean    renewed,
               gboolean    mode_changed)
{
  gint64 id = hg_incident_get_id (incident);
  HgAlarmEntry *entry = _hg_alarm_lookup (self, id);
  HgAlarmPriority priority;
  HgAlarmReason reason;
  gboolean acknowledged;

  if (!weigh (self, incident, &priority, &reason, &acknowledged))
    {
      if (entry != NULL)
        _hg_alarm_remove (self, entry, acknowledged && !mode_changed);
      return;
    }
  if (entry == NULL)
    {
      _hg_alarm_add (self, id, HG_ACTIVE_ALARM_KIND_INCIDENT, incident, priority, reason,
                     hg_alarm_clock_get_real (self->clock), TRUE);
      return;
    }
  hg_active_alarm_set_incident (entry->item, incident);
  hg_active_alarm_set_title (entry->item, hg_incident_get_title (incident));
  hg_active_alarm_set_reason (entry->item, reason);
  _hg_alarm_set_priority (self, entry, priority);
  if (renewed && hg_active_alarm_get_audible (entry->item))
    _hg_alarm_new_condition (self);
}

void
_hg_alarm_sync_all (HgAlarm *self)
{
  _hg_alarm_begin_batch (self);
  for (guint i = 0; i < self->mirror->len; i++)
    sync_incident (self, self->mirror->pdata[i], FALSE, TRUE);
  _hg_alarm_end_batch (self);
}

static void
on_incident_notify (HgIncident *incident,
                    GParamSpec *pspec,
                    HgAlarm    *self)
{
  sync_incident (self, incident, FALSE, FALSE);
  _hg_alarm_update_sound (self);
}

/* --- Following the model ------------------------------------------------ */

static void
track (HgAlarm    *self,
       HgIncident *incident)
{
  gint64 id = hg_incident_get_id (incident);

  g_signal_connect_object (incident, "notify", G_CALLBACK (on_incident_notify), self, 0);
  g_hash_table_insert (self->by_id, g_memdup2 (&id, sizeof id), incident);
}

/* Returns TRUE when no other object holds its id now. */
static gboolean
untrack (HgAlarm    *self,
         HgIncident *incident)
{
  gint64 id = hg_incident_get_id (incident);

  g_signal_handlers_disconnect_by_func (incident, on_incident_notify, self);
  if (g_hash_table_lookup (self->by_id, &id) != incident)
    return FALSE;
  g_hash_table_remove (self->by_id, &id);
  return TRUE;
}

/* Gone from the list: resolved, or no longer the server's. Neither is
 * a person's act at this screen. */
static void
forget (HgAlarm *self,
        gint64   id)
{
  HgAlarmEntry *entry = _hg_alarm_lookup (self, id);

  g_hash_table_remove (self->claims, &id);
  if (entry != NULL)
    _hg_alarm_remove (self, entry, FALSE);
}

/* The items that leave and the ones that come are weighed as one change:
 * hg_incident_list_replace() takes every incident out and puts the same
 * objects back, which must not look like new alarms. */
static void
on_items_changed (HgAlarm    *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *model)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) kept = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < removed; i++)
    g_ptr_array_add (gone, g_object_ref (self->mirror->pdata[position + i]));
  g_ptr_array_remove_range (self->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    {
      HgIncident *incident = g_list_model_get_item (model, position + i);

      g_ptr_array_insert (self->mirror, position + i, incident);
      g_ptr_array_add (fresh, g_object_ref (incident));
    }

  for (guint i = 0; i < gone->len; i++)
    g_hash_table_add (kept, gone->pdata[i]);
  for (guint i = 0; i < fresh->len; i++)
    {
      if (!g_hash_table_remove (kept, fresh->pdata[i]))
        track (self, fresh->pdata[i]);
    }
  /* Now only the objects that really left are in kept. */
  for (guint i = 0; i < gone->len; i++)
    {
      HgIncident *incident = gone->pdata[i];

      if (g_hash_table_contains (kept, incident) && untrack (self, incident))
        forget (self, hg_incident_get_id (incident));
    }
  _hg_alarm_begin_batch (self);
  for (guint i = 0; i < fresh->len; i++)
    sync_incident (self, fresh->pdata[i], FALSE, FALSE);
  _hg_alarm_end_batch (self);
  _hg_alarm_update_sound (self);
}

static void
detach (HgAlarm *self)
{
  if (self->incidents == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->incidents, on_items_changed, self);
  for (guint i = 0; i < self->mirror->len; i++)
    g_signal_handlers_disconnect_by_func (self->mirror->pdata[i], on_incident_notify, self);
  g_ptr_array_set_size (self->mirror, 0);
  g_hash_table_remove_all (self->by_id);
  g_hash_table_remove_all (self->claims);
  g_clear_object (&self->incidents);
}

void
_hg_alarm_attach_incidents (HgAlarm    *self,
                            GListModel *incidents)
{
  g_autoptr(GList) keys = NULL;

  detach (self);
  /* Every incident alarm ends with the model that held it. */
  keys = g_hash_table_get_keys (self->entries);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      gint64 key = *(gint64 *) l->data;

      if (key > 0)
        _hg_alarm_remove (self, _hg_alarm_lookup (self, key), FALSE);
    }
  if (incidents == NULL)
    return;
  self->incidents = g_object_ref (incidents);
  g_signal_connect_object (incidents, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED);
  on_items_changed (self, 0, 0, g_list_model_get_n_items (incidents), incidents);
}

void
_hg_alarm_incidents_dispose (HgAlarm *self)
{
  detach (self);
}

/* --- "alarm" events ----------------------------------------------------- */

static gboolean
parse_priority (const char      *name,
                HgAlarmPriority *out)
{
  for (HgAlarmPriority p = HG_ALARM_PRIORITY_LOW; p <= HG_ALARM_PRIORITY_HIGH; p++)
    {
      if (g_strcmp0 (name, hg_alarm_priority_to_string (p)) == 0)
        {
          *out = p;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
parse_reason (const char    *name,
              HgAlarmReason *out)
{
  static const struct { const char *name; HgAlarmReason reason; } reasons[] = {
    { "assigned", HG_ALARM_REASON_ASSIGNED },
    { "reminder", HG_ALARM_REASON_REMINDER },
    { "escalated", HG_ALARM_REASON_ESCALATED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      if (g_strcmp0 (name, reasons[i].name) == 0)
        {
          *out = reasons[i].reason;
          return TRUE;
        }
    }
  return FALSE;
}

/* Returns the event's incident as the server sent it, or NULL with
 * @error set. */
static HgIncident *
parse_event (JsonObject       *data,
             HgAlarmPriority  *priority,
             HgAlarmReason    *reason,
             GError          **error)
{
  g_autoptr(HgIncident) incident = NULL;
  JsonNode *node = json_object_get_member (data, "incident");
  const char *priority_name = NULL;
  const char *reason_name = NULL;

  if (node == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no incident");
      return NULL;
    }
  if ((incident = hg_json_incident_from_node (node, error)) == NULL ||
      !hg_json_get_string (data, "priority", 0, &priority_name, error) ||
      !hg_json_get_string (data, "reason", 0, &reason_name, error))
    return NULL;
  if (!parse_priority (priority_name, priority) || !parse_reason (reason_name, reason))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "priority “%s”, reason “%s”",
                   priority_name ? priority_name : "", reason_name ? reason_name : "");
      return NULL;
    }
  if (hg_incident_get_id (incident) <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no incident id");
      return NULL;
    }
  return g_steal_pointer (&incident);
}

void
hg_alarm_handle_alarm_event (HgAlarm    *self,
                             JsonObject *data)
{
  g_autoptr(HgIncident) sent = NULL;
  g_autoptr(GError) error = NULL;
  HgAlarmPriority priority;
  HgAlarmReason reason;
  HgIncident *live;
  Claim *claim;
  gint64 id;

  g_return_if_fail (HG_IS_ALARM (self));
  g_return_if_fail (data != NULL);

  if ((sent = parse_event (data, &priority, &reason, &error)) == NULL)
    {
      g_warning ("Ignored a malformed alarm event: %s", error->message);
      return;
    }
  id = hg_incident_get_id (sent);
  if (self->mode != HG_ALARM_MODE_PERSONAL)
    {
      g_debug ("Alarm event for incident %" G_GINT64_FORMAT " ignored: not a personal screen", id);
      return;
    }
  /* The server sends the incident before its alarm, so the list knows
   * every active one; one it does not hold is resolved already. */
  if ((live = g_hash_table_lookup (self->by_id, &id)) == NULL)
    {
      if (hg_incident_status_is_active (hg_incident_get_status (sent)))
        g_message ("Alarm event for incident %" G_GINT64_FORMAT ", which the list does not hold:"
                   " ignored", id);
      return;
    }

  claim = g_new0 (Claim, 1);
  claim->status_at_event = hg_incident_get_status (sent);
  claim->was_mine = is_mine (self, sent);
  claim->priority = priority;
  claim->reason = reason;
  g_hash_table_replace (self->claims, g_memdup2 (&id, sizeof id), claim);

  sync_incident (self, live, reason != HG_ALARM_REASON_ASSIGNED, FALSE);
  _hg_alarm_update_sound (self);
}
