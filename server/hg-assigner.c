/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Assigner"

#include "config.h"

#include "hg-assigner.h"
#include "hg-error.h"
#include "hg-events.h"
#include "hg-routing.h"

gboolean
hg_timeline_append (HgDb        *db,
                    gint64       incident_id,
                    gint64       now,
                    const char  *actor_id,
                    const char  *action,
                    int          from_status,
                    int          to_status,
                    const char  *detail,
                    GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "INSERT INTO timeline (incident_id, at, actor_id, action,"
                                      " from_status, to_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                      error);

  if (stmt == NULL)
    return FALSE;
  /* Every change writes the timeline, so this is where the stream learns
   * which incidents changed. */
  hg_events_touch_incident (db, incident_id, g_str_equal (action, "created"));
  sqlite3_bind_int64 (stmt, 1, incident_id);
  sqlite3_bind_int64 (stmt, 2, now);
  hg_bind_text (stmt, 3, actor_id);
  hg_bind_text (stmt, 4, action);
  hg_bind_text (stmt, 5, from_status >= 0 ? hg_incident_status_to_string (from_status) : NULL);
  hg_bind_text (stmt, 6, to_status >= 0 ? hg_incident_status_to_string (to_status) : NULL);
  hg_bind_text (stmt, 7, detail);
  return hg_db_step_done (db, stmt, error);
}

char *
hg_assigner_describe (HgStaff *staff)
{
  if (staff->specialty != NULL)
    return g_strdup_printf ("%s %s (%s, %s)", staff->id, staff->name,
                            hg_role_to_string (staff->role), staff->specialty);
  return g_strdup_printf ("%s %s (%s)", staff->id, staff->name, hg_role_to_string (staff->role));
}

/* The new holder is told and alarmed, unless they took it themselves; the
 * one who held it before is told it moved. @reason is the notification kind
 * and alarm reason: "assigned", or "escalated" when it moved because nobody
 * answered. */
static gboolean
tell_people (HgDb        *db,
             HgIncident  *before,
             HgStaff     *staff,
             const char  *actor_id,
             const char  *reason,
             gint64       now,
             GError     **error)
{
  g_autofree char *message = NULL;
  const char *place = before->room ? before->room : (before->ward ? before->ward : "");

  if (g_strcmp0 (actor_id, staff->id) != 0)
    {
      message = g_strdup_printf ("%s%s%s: %s to you", before->title,
                                 place[0] ? ", room " : "", place, reason);
      if (!hg_notify (db, now, staff->id, before->id, reason, message, error) ||
          !hg_alarm (db, now, staff->id, before->id, reason, error))
        return FALSE;
    }
  if (before->assignee != NULL && g_strcmp0 (before->assignee->id, staff->id) != 0 &&
      g_strcmp0 (actor_id, before->assignee->id) != 0)
    {
      g_clear_pointer (&message, g_free);
      message = g_strdup_printf ("%s: moved to %s", before->title, staff->name);
      if (!hg_notify (db, now, before->assignee->id, before->id, "reassigned", message, error))
        return FALSE;
    }
  return TRUE;
}

/* What follows giving @before (the incident as it was) to @staff once the
 * incident's row says so: the staff member's turn, the timeline, the
 * stream, and the people told. */
static char *explain_choice (HgAlertType *type,
                             HgStaff     *chosen);

static gboolean
record_assignment (HgDb       *db,
                   HgIncident *before,
                   gint64      now,
                   HgStaff    *staff,
                   const char *actor_id,
                   const char *action,
                   const char *detail,
                   const char *reason,
                   GError    **error)
{
  g_autofree char *who = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  stmt = hg_db_prepare (db, "UPDATE staff SET last_assigned_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  hg_bind_text (stmt, 2, staff->id);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;

  who = hg_assigner_describe (staff);
  text = detail ? g_strdup_printf ("to %s: %s", who, detail) : g_strdup_printf ("to %s", who);
  if (!hg_timeline_append (db, before->id, now, actor_id, action, before->status,
                           HG_INCIDENT_STATUS_ASSIGNED, text, error))
    return FALSE;
  hg_events_touch_staff (db, staff->id);
  if (before->assignee != NULL)
    hg_events_touch_staff (db, before->assignee->id);
  return tell_people (db, before, staff, actor_id, reason, now, error);
}

static gboolean
assign_to_for (HgDb       *db,
               gint64      incident_id,
               gint64      now,
               HgStaff    *staff,
               const char *actor_id,
               const char *action,
               const char *detail,
               const char *reason,
               GError    **error)
{
  g_autoptr(HgIncident) before = hg_store_load_incident (db, incident_id, FALSE, error);
  sqlite3_stmt *stmt;

  if (before == NULL)
    return FALSE;
  stmt = hg_db_prepare (db, "UPDATE incidents SET assignee_id = ?, status = 'assigned',"
                        " assigned_at = ?, version = version + 1 WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, staff->id);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, incident_id);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  return record_assignment (db, before, now, staff, actor_id, action, detail, reason, error);
}

/* The best of @candidates for an incident of @type in @ward, never one
 * of @excluded (NULL-terminated); NULL when nobody may take it. */
static HgStaff *
choose_from (GPtrArray         *candidates,
             HgAlertType       *type,
             const char        *ward,
             const char *const *excluded,
             char             **out_why)
{
  g_autoptr(GPtrArray) ranked = hg_routing_rank (type, ward, candidates, excluded);
  HgStaff *chosen;

  if (ranked->len == 0)
    return NULL;
  chosen = g_ptr_array_index (ranked, 0);
  *out_why = explain_choice (type, chosen);
  return g_object_ref (chosen);
}

/* The best of those on duty now. */
static HgStaff *
choose (HgDb              *db,
        HgAlertType       *type,
        const char        *ward,
        const char *const *excluded,
        gint64             now,
        char             **out_why,
        GError           **error)
{
  g_autoptr(GPtrArray) candidates = hg_store_load_candidates (db, now, error);

  if (candidates == NULL)
    return NULL;
  return choose_from (candidates, type, ward, excluded, out_why);
}

HgStaff *
hg_assigner_choose_new (HgDb         *db,
                        HgAlertType  *type,
                        const char   *ward,
                        gint64        now,
                        char        **out_why,
                        GError      **error)
{
  const char *const nobody[] = { NULL };
  HgStaff *chosen;

  if (!db->cache_candidates)
    return choose (db, type, ward, nobody, now, out_why, error);
  /* Alerts in a row: those on duty are read once, and each one chosen is
   * counted here as the incident's row and the triggers count them. */
  if (db->candidates == NULL && !(db->candidates = hg_store_load_candidates (db, now, error)))
    return NULL;
  chosen = choose_from (db->candidates, type, ward, nobody, out_why);
  if (chosen != NULL)
    {
      chosen->workload++;
      chosen->last_assigned_at = now;
    }
  return chosen;
}

gboolean
hg_assigner_record_new (HgDb        *db,
                        gint64       incident_id,
                        gint64       now,
                        HgStaff     *staff,
                        const char  *why,
                        GError     **error)
{
  g_autoptr(HgIncident) before = hg_store_load_incident (db, incident_id, FALSE, error);

  if (before == NULL)
    return FALSE;
  /* As it was a moment before, for the timeline and the people told: open,
   * nobody's. */
  before->status = HG_INCIDENT_STATUS_OPEN;
  g_clear_object (&before->assignee);
  return record_assignment (db, before, now, staff, NULL, "assigned", why, "assigned", error);
}

gboolean
hg_assigner_assign_to (HgDb       *db,
                       gint64      incident_id,
                       gint64      now,
                       HgStaff    *staff,
                       const char *actor_id,
                       const char *action,
                       const char *detail,
                       GError    **error)
{
  return assign_to_for (db, incident_id, now, staff, actor_id, action, detail, "assigned", error);
}

static GPtrArray *
load_declined (HgDb    *db,
               gint64   incident_id,
               GError **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT staff_id FROM declines WHERE incident_id = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, hg_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      hg_db_set_error (db, error, "reading declines");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static char *
explain_choice (HgAlertType *type,
                HgStaff     *chosen)
{
  if (chosen->role == type->required_role &&
      (type->specialty == NULL || g_strcmp0 (type->specialty, chosen->specialty) == 0))
    return g_strdup_printf ("required role, %u active incident%s before", chosen->workload,
                            chosen->workload == 1 ? "" : "s");
  for (guint i = 0; i < type->fallback_roles->len; i++)
    if (chosen->role == g_array_index (type->fallback_roles, HgRole, i))
      return g_strdup_printf ("fallback role %s: nobody with the required role was free",
                              hg_role_to_string (chosen->role));
  return g_strdup ("anyone on duty: no required or fallback role was free");
}

HgStaff *
hg_assigner_pick (HgDb        *db,
                  gint64       incident_id,
                  gint64       now,
                  const char  *exclude_id,
                  char       **out_why,
                  GError     **error)
{
  g_autoptr(HgIncident) incident = hg_store_load_incident (db, incident_id, FALSE, error);
  g_autoptr(HgAlertType) type = NULL;
  g_autoptr(GPtrArray) excluded = NULL;

  if (incident == NULL ||
      !(type = hg_store_load_alert_type (db, incident->alert_type, error)) ||
      !(excluded = load_declined (db, incident_id, error)))
    return NULL;
  if (exclude_id != NULL)
    g_ptr_array_add (excluded, g_strdup (exclude_id));
  g_ptr_array_add (excluded, NULL);
  return choose (db, type, incident->ward, (const char *const *) excluded->pdata, now, out_why, error);
}

gboolean
hg_assigner_assign (HgDb        *db,
                    gint64       incident_id,
                    gint64       now,
                    const char  *exclude_id,
                    const char  *actor_id,
                    const char  *action,
                    HgStaff    **out_staff,
                    GError     **error)
{
  return hg_assigner_assign_for (db, incident_id, now, exclude_id, actor_id, action, "assigned",
                                 out_staff, error);
}

gboolean
hg_assigner_assign_for (HgDb        *db,
                        gint64       incident_id,
                        gint64       now,
                        const char  *exclude_id,
                        const char  *actor_id,
                        const char  *action,
                        const char  *reason,
                        HgStaff    **out_staff,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *why = NULL;
  g_autoptr(HgStaff) chosen = hg_assigner_pick (db, incident_id, now, exclude_id, &why, &local_error);

  *out_staff = NULL;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (chosen == NULL)
    return TRUE;
  if (!assign_to_for (db, incident_id, now, chosen, actor_id, action, why, reason, error))
    return FALSE;
  *out_staff = g_steal_pointer (&chosen);
  return TRUE;
}
