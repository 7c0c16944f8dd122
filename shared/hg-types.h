/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Ordered so that a larger value is more severe. */
typedef enum {
  HG_SEVERITY_LOW,
  HG_SEVERITY_MEDIUM,
  HG_SEVERITY_HIGH,
  HG_SEVERITY_CRITICAL,
} HgSeverity;

typedef enum {
  HG_INCIDENT_STATUS_OPEN,
  HG_INCIDENT_STATUS_ASSIGNED,
  HG_INCIDENT_STATUS_ACKNOWLEDGED,
  HG_INCIDENT_STATUS_IN_PROGRESS,
  HG_INCIDENT_STATUS_RESOLVED,
} HgIncidentStatus;

typedef enum {
  HG_ROLE_NURSE,
  HG_ROLE_CHARGE_NURSE,
  HG_ROLE_EMERGENCY_DOCTOR,
  HG_ROLE_SPECIALIST,
  HG_ROLE_ADMIN,
} HgRole;

/* What a person (or the server) does to an incident. */
typedef enum {
  HG_ACTION_ACKNOWLEDGE,
  HG_ACTION_START,
  HG_ACTION_RESOLVE,
  HG_ACTION_CLAIM,
  HG_ACTION_DECLINE,
  HG_ACTION_REASSIGN,
  HG_ACTION_ESCALATE,
} HgAction;

/* IEC 60601-1-8 alarm priority. */
typedef enum {
  HG_ALARM_PRIORITY_LOW,
  HG_ALARM_PRIORITY_MEDIUM,
  HG_ALARM_PRIORITY_HIGH,
} HgAlarmPriority;

typedef enum {
  HG_ALERT_PHASE_START,
  HG_ALERT_PHASE_END,
} HgAlertPhase;

#define HG_N_SEVERITIES 4
#define HG_N_STATUSES 5
#define HG_N_ROLES 5
#define HG_N_ACTIONS 7

typedef struct _HgAlert HgAlert;
typedef struct _HgAlertType HgAlertType;
typedef struct _HgIncident HgIncident;
typedef struct _HgPatient HgPatient;
typedef struct _HgStaff HgStaff;

/* Wire names (snake_case) and back. The from_string functions return FALSE
 * for NULL or unknown names and leave @out untouched. */
const char *hg_severity_to_string        (HgSeverity         severity);
gboolean    hg_severity_from_string      (const char        *str,
                                          HgSeverity        *out);
const char *hg_incident_status_to_string (HgIncidentStatus   status);
gboolean    hg_incident_status_from_string (const char      *str,
                                          HgIncidentStatus  *out);
const char *hg_role_to_string            (HgRole             role);
gboolean    hg_role_from_string          (const char        *str,
                                          HgRole            *out);
const char *hg_action_to_string          (HgAction           action);
gboolean    hg_action_from_string        (const char        *str,
                                          HgAction          *out);
const char *hg_alarm_priority_to_string  (HgAlarmPriority    priority);
const char *hg_alert_phase_to_string     (HgAlertPhase       phase);
gboolean    hg_alert_phase_from_string   (const char        *str,
                                          HgAlertPhase      *out);

HgAlarmPriority hg_severity_to_alarm_priority (HgSeverity severity);

/* An incident that is not resolved still needs someone. */
static inline gboolean
hg_incident_status_is_active (HgIncidentStatus status)
{
  return status != HG_INCIDENT_STATUS_RESOLVED;
}

/* Times on the wire are RFC 3339 UTC with milliseconds
 * ("2026-11-22T10:15:30.123Z"); inside the program they are milliseconds
 * since the Unix epoch, 0 meaning "none". */
char     *hg_time_format (gint64      ms);
gboolean  hg_time_parse  (const char *str,
                          gint64     *out_ms);
gint64    hg_time_now_ms (void);

G_END_DECLS
