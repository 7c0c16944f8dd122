/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hg-types.h"

/* Each table is indexed by the enum value, so the order must follow the
 * declarations in hg-types.h. */
static const char *const severity_names[HG_N_SEVERITIES] = {
  "low", "medium", "high", "critical",
};

static const char *const status_names[HG_N_STATUSES] = {
  "open", "assigned", "acknowledged", "in_progress", "resolved",
};

static const char *const role_names[HG_N_ROLES] = {
  "nurse", "charge_nurse", "emergency_doctor", "specialist", "admin",
};

static const char *const action_names[HG_N_ACTIONS] = {
  "acknowledge", "start", "resolve", "claim", "decline", "reassign", "escalate",
};

static const char *const priority_names[] = {
  "low", "medium", "high",
};

static const char *const phase_names[] = {
  "start", "end",
};

static const char *
name_of (const char *const *names,
         guint              n_names,
         int                value)
{
  g_return_val_if_fail (value >= 0 && (guint) value < n_names, NULL);

  return names[value];
}

static gboolean
value_of (const char *const *names,
          guint              n_names,
          const char        *str,
          int               *out)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (strcmp (names[i], str) == 0)
        {
          *out = (int) i;
          return TRUE;
        }
    }

  return FALSE;
}

#define DEFINE_FROM_STRING(func, Type, names)                     \
  gboolean                                                        \
  func (const char *str,                                          \
        Type       *out)                                          \
  {                                                               \
    int value;                                                    \
                                                                  \
    g_return_val_if_fail (out != NULL, FALSE);                    \
                                                                  \
    if (!value_of (names, G_N_ELEMENTS (names), str, &value))     \
      return FALSE;                                               \
    *out = (Type) value;                                          \
    return TRUE;                                                  \
  }

const char *
hg_severity_to_string (HgSeverity severity)
{
  return name_of (severity_names, G_N_ELEMENTS (severity_names), severity);
}

DEFINE_FROM_STRING (hg_severity_from_string, HgSeverity, severity_names)

const char *
hg_incident_status_to_string (HgIncidentStatus status)
{
  return name_of (status_names, G_N_ELEMENTS (status_names), status);
}

DEFINE_FROM_STRING (hg_incident_status_from_string, HgIncidentStatus, status_names)

const char *
hg_role_to_string (HgRole role)
{
  return name_of (role_names, G_N_ELEMENTS (role_names), role);
}

DEFINE_FROM_STRING (hg_role_from_string, HgRole, role_names)

const char *
hg_action_to_string (HgAction action)
{
  return name_of (action_names, G_N_ELEMENTS (action_names), action);
}

DEFINE_FROM_STRING (hg_action_from_string, HgAction, action_names)

const char *
hg_alarm_priority_to_string (HgAlarmPriority priority)
{
  return name_of (priority_names, G_N_ELEMENTS (priority_names), priority);
}

const char *
hg_alert_phase_to_string (HgAlertPhase phase)
{
  return name_of (phase_names, G_N_ELEMENTS (phase_names), phase);
}

DEFINE_FROM_STRING (hg_alert_phase_from_string, HgAlertPhase, phase_names)

HgAlarmPriority
hg_severity_to_alarm_priority (HgSeverity severity)
{
  /* IEC 60601-1-8 has three priorities: critical and high both sound as
   * high, because both need someone at the bedside now. */
  switch (severity)
    {
    case HG_SEVERITY_CRITICAL:
    case HG_SEVERITY_HIGH:
      return HG_ALARM_PRIORITY_HIGH;
    case HG_SEVERITY_MEDIUM:
      return HG_ALARM_PRIORITY_MEDIUM;
    case HG_SEVERITY_LOW:
    default:
      return HG_ALARM_PRIORITY_LOW;
    }
}

char *
hg_time_format (gint64 ms)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *base = NULL;
  /* Floor division, so that times before 1970 keep a positive fraction. */
  gint64 secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  int frac = (int) (ms - secs * 1000);

  if (ms == 0)
    return NULL;

  dt = g_date_time_new_from_unix_utc (secs);
  if (dt == NULL)
    return NULL;

  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, frac);
}

static gboolean
expect_digits (const char **p,
               guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
    }
  *p += n;
  return TRUE;
}

static gboolean
expect_char (const char **p,
             char         c)
{
  if (**p != c)
    return FALSE;
  *p += 1;
  return TRUE;
}

/* GLib's ISO 8601 parser also takes week dates, ordinal dates, the basic
 * format and local times without an offset; RFC 3339 takes none of them, so
 * the shape is checked here first. Returns the milliseconds of the fraction
 * (truncated), or -1 when the shape is wrong. */
static int
check_rfc3339_shape (const char *str)
{
  const char *p = str;
  int frac_ms = 0;

  if (!expect_digits (&p, 4) || !expect_char (&p, '-') ||
      !expect_digits (&p, 2) || !expect_char (&p, '-') ||
      !expect_digits (&p, 2))
    return -1;
  if (*p != 'T' && *p != 't')
    return -1;
  p++;
  if (!expect_digits (&p, 2) || !expect_char (&p, ':') ||
      !expect_digits (&p, 2) || !expect_char (&p, ':') ||
      !expect_digits (&p, 2))
    return -1;

  if (*p == '.')
    {
      guint n = 0;

      for (p++; g_ascii_isdigit (*p); p++, n++)
        {
          if (n < 3)
            frac_ms = frac_ms * 10 + (*p - '0');
        }
      if (n == 0)
        return -1;
      for (; n < 3; n++)
        frac_ms *= 10;
    }

  if (*p == 'Z' || *p == 'z')
    return p[1] == '\0' ? frac_ms : -1;
  if (*p != '+' && *p != '-')
    return -1;
  p++;
  if (!expect_digits (&p, 2) || !expect_char (&p, ':') ||
      !expect_digits (&p, 2) || *p != '\0')
    return -1;

  return frac_ms;
}

gboolean
hg_time_parse (const char *str,
               gint64     *out_ms)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *normal = NULL;
  int frac_ms;

  g_return_val_if_fail (out_ms != NULL, FALSE);

  if (str == NULL || (frac_ms = check_rfc3339_shape (str)) < 0)
    return FALSE;

  /* RFC 3339 allows lower-case separators, GLib does not. */
  normal = g_ascii_strup (str, -1);
  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (normal, utc);
  if (dt == NULL)
    return FALSE;

  /* Only times the wire format can write back: from just after the epoch
   * (0 means "none" inside the program) to the end of year 9999 UTC. A
   * year-1 time used to be accepted and then written as "1-01-01T…",
   * which nothing can read (found by the alert fuzzer). */
  if (g_date_time_to_unix (dt) < 0 || g_date_time_to_unix (dt) >= G_GINT64_CONSTANT (253402300800))
    return FALSE;
  /* The fraction is taken from the text, not from GLib's floating-point
   * seconds, so that ".123" is exactly 123 ms. */
  *out_ms = g_date_time_to_unix (dt) * 1000 + frac_ms;
  return *out_ms > 0;
}

gint64
hg_time_now_ms (void)
{
  return g_get_real_time () / 1000;
}
