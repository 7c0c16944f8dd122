/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-incident-format.h"

const char *
hg_severity_label (HgSeverity severity)
{
  switch (severity)
    {
    case HG_SEVERITY_CRITICAL: return C_("severity", "Critical");
    case HG_SEVERITY_HIGH: return C_("severity", "High");
    case HG_SEVERITY_MEDIUM: return C_("severity", "Medium");
    case HG_SEVERITY_LOW: return C_("severity", "Low");
    default: return C_("severity", "Unknown");
    }
}

const char *
hg_severity_css_class (HgSeverity severity)
{
  switch (severity)
    {
    case HG_SEVERITY_CRITICAL: return "severity-critical";
    case HG_SEVERITY_HIGH: return "severity-high";
    case HG_SEVERITY_MEDIUM: return "severity-medium";
    case HG_SEVERITY_LOW:
    default: return "severity-low";
    }
}

const char *
hg_status_label (HgIncidentStatus status)
{
  switch (status)
    {
    case HG_INCIDENT_STATUS_OPEN: return C_("status", "Open");
    case HG_INCIDENT_STATUS_ASSIGNED: return C_("status", "Assigned");
    case HG_INCIDENT_STATUS_ACKNOWLEDGED: return C_("status", "Acknowledged");
    case HG_INCIDENT_STATUS_IN_PROGRESS: return C_("status", "In progress");
    case HG_INCIDENT_STATUS_RESOLVED: return C_("status", "Resolved");
    default: return C_("status", "Unknown");
    }
}

const char *
hg_role_label (HgRole role)
{
  switch (role)
    {
    case HG_ROLE_NURSE: return C_("role", "Nurse");
    case HG_ROLE_CHARGE_NURSE: return C_("role", "Charge nurse");
    case HG_ROLE_EMERGENCY_DOCTOR: return C_("role", "Emergency doctor");
    case HG_ROLE_SPECIALIST: return C_("role", "Specialist");
    case HG_ROLE_ADMIN: return C_("role", "Administrator");
    default: return C_("role", "Staff");
    }
}

const char *
hg_timeline_action_label (const char *action)
{
  static const struct {
    const char *action;
    const char *label;
  } labels[] = {
    { "created", N_("Created") },
    { "assigned", N_("Assigned") },
    { "unassigned", N_("Nobody could take it") },
    { "correlated", N_("Another alert joined") },
    { "source_ended", N_("Source reported the end") },
    { "acknowledged", N_("Acknowledged") },
    { "started", N_("Started") },
    { "resolved", N_("Resolved") },
    { "claimed", N_("Claimed") },
    { "declined", N_("Declined") },
    { "reassigned", N_("Reassigned") },
    { "escalated", N_("Escalated") },
    { "reminded", N_("Assignee reminded") },
    { "supervisors_alerted", N_("Supervisors alerted") },
    { "start_overdue", N_("Start overdue") },
    { "handover", N_("Handed over") },
    { "handover_failed", N_("Handover failed") },
    { "note", N_("Note") },
  };

  for (gsize i = 0; action != NULL && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (action, labels[i].action))
      return _(labels[i].label);
  return action ? action : "";
}

char *
hg_format_age (gint64 msec)
{
  gint64 seconds = MAX (msec, 0) / 1000;
  int minutes = (int) (seconds / 60);
  int hours = minutes / 60;
  int days = hours / 24;

  if (seconds < 60)
    /* Translators: an age in seconds, keep it short */
    return g_strdup_printf (ngettext ("%d s", "%d s", (int) seconds), (int) seconds);
  if (minutes < 60)
    /* Translators: an age in minutes, keep it short */
    return g_strdup_printf (ngettext ("%d min", "%d min", minutes), minutes);
  if (hours < 24)
    /* Translators: an age in hours and minutes, keep it short */
    return g_strdup_printf (C_("age", "%d h %02d min"), hours, minutes % 60);
  /* Translators: an age in days and hours, keep it short */
  return g_strdup_printf (C_("age", "%d d %d h"), days, hours % 24);
}

char *
hg_format_time (gint64 ms_since_epoch)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (ms_since_epoch / 1000);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (when == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (when) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    return g_date_time_format (when, "%X");
  /* Translators: a date and time in g_date_time_format() notation */
  return g_date_time_format (when, C_("time", "%x %X"));
}
