/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>

#include "hg-types.h"

static void
test_severity (void)
{
  static const char *const names[] = { "low", "medium", "high", "critical" };

  for (guint i = 0; i < HG_N_SEVERITIES; i++)
    {
      HgSeverity value = 99;

      g_assert_cmpstr (hg_severity_to_string (i), ==, names[i]);
      g_assert_true (hg_severity_from_string (names[i], &value));
      g_assert_cmpint (value, ==, i);
    }
}

static void
test_status (void)
{
  static const char *const names[] = {
    "open", "assigned", "acknowledged", "in_progress", "resolved",
  };

  for (guint i = 0; i < HG_N_STATUSES; i++)
    {
      HgIncidentStatus value = 99;

      g_assert_cmpstr (hg_incident_status_to_string (i), ==, names[i]);
      g_assert_true (hg_incident_status_from_string (names[i], &value));
      g_assert_cmpint (value, ==, i);
    }
  g_assert_true (hg_incident_status_is_active (HG_INCIDENT_STATUS_IN_PROGRESS));
  g_assert_false (hg_incident_status_is_active (HG_INCIDENT_STATUS_RESOLVED));
}

static void
test_role (void)
{
  static const char *const names[] = {
    "nurse", "charge_nurse", "emergency_doctor", "specialist", "admin",
  };

  for (guint i = 0; i < HG_N_ROLES; i++)
    {
      HgRole value = 99;

      g_assert_cmpstr (hg_role_to_string (i), ==, names[i]);
      g_assert_true (hg_role_from_string (names[i], &value));
      g_assert_cmpint (value, ==, i);
    }
}

static void
test_action (void)
{
  static const char *const names[] = {
    "acknowledge", "start", "resolve", "claim", "decline", "reassign", "escalate",
  };

  for (guint i = 0; i < HG_N_ACTIONS; i++)
    {
      HgAction value = 99;

      g_assert_cmpstr (hg_action_to_string (i), ==, names[i]);
      g_assert_true (hg_action_from_string (names[i], &value));
      g_assert_cmpint (value, ==, i);
    }
}

static void
test_phase_and_priority (void)
{
  HgAlertPhase phase = 99;

  g_assert_cmpstr (hg_alert_phase_to_string (HG_ALERT_PHASE_START), ==, "start");
  g_assert_cmpstr (hg_alert_phase_to_string (HG_ALERT_PHASE_END), ==, "end");
  g_assert_true (hg_alert_phase_from_string ("end", &phase));
  g_assert_cmpint (phase, ==, HG_ALERT_PHASE_END);
  g_assert_true (hg_alert_phase_from_string ("start", &phase));
  g_assert_cmpint (phase, ==, HG_ALERT_PHASE_START);

  g_assert_cmpstr (hg_alarm_priority_to_string (HG_ALARM_PRIORITY_LOW), ==, "low");
  g_assert_cmpstr (hg_alarm_priority_to_string (HG_ALARM_PRIORITY_MEDIUM), ==, "medium");
  g_assert_cmpstr (hg_alarm_priority_to_string (HG_ALARM_PRIORITY_HIGH), ==, "high");

  g_assert_cmpint (hg_severity_to_alarm_priority (HG_SEVERITY_CRITICAL), ==, HG_ALARM_PRIORITY_HIGH);
  g_assert_cmpint (hg_severity_to_alarm_priority (HG_SEVERITY_HIGH), ==, HG_ALARM_PRIORITY_HIGH);
  g_assert_cmpint (hg_severity_to_alarm_priority (HG_SEVERITY_MEDIUM), ==, HG_ALARM_PRIORITY_MEDIUM);
  g_assert_cmpint (hg_severity_to_alarm_priority (HG_SEVERITY_LOW), ==, HG_ALARM_PRIORITY_LOW);
}

static void
test_unknown_refused (void)
{
  static const char *const bad[] = {
    "", "Low", "CRITICAL", "in-progress", "inprogress", "nurse ", " nurse",
    "chargenurse", "ack", "stop", "unknown",
  };
  HgSeverity severity = HG_SEVERITY_HIGH;
  HgIncidentStatus status = HG_INCIDENT_STATUS_ASSIGNED;
  HgRole role = HG_ROLE_SPECIALIST;
  HgAction action = HG_ACTION_CLAIM;
  HgAlertPhase phase = HG_ALERT_PHASE_END;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (hg_severity_from_string (bad[i], &severity));
      g_assert_false (hg_incident_status_from_string (bad[i], &status));
      g_assert_false (hg_role_from_string (bad[i], &role));
      g_assert_false (hg_action_from_string (bad[i], &action));
      g_assert_false (hg_alert_phase_from_string (bad[i], &phase));
    }
  g_assert_false (hg_severity_from_string (NULL, &severity));
  g_assert_false (hg_role_from_string (NULL, &role));

  /* Left untouched. */
  g_assert_cmpint (severity, ==, HG_SEVERITY_HIGH);
  g_assert_cmpint (status, ==, HG_INCIDENT_STATUS_ASSIGNED);
  g_assert_cmpint (role, ==, HG_ROLE_SPECIALIST);
  g_assert_cmpint (action, ==, HG_ACTION_CLAIM);
  g_assert_cmpint (phase, ==, HG_ALERT_PHASE_END);
}

/* 2026-11-22T10:15:30.123Z */
#define SAMPLE_MS G_GINT64_CONSTANT (1795342530123)

static void
test_time_format (void)
{
  g_autofree char *a = hg_time_format (SAMPLE_MS);
  g_autofree char *b = hg_time_format (SAMPLE_MS - 123);
  g_autofree char *c = hg_time_format (1);
  g_autofree char *d = hg_time_format (-1);

  g_assert_cmpstr (a, ==, "2026-11-22T10:15:30.123Z");
  g_assert_cmpstr (b, ==, "2026-11-22T10:15:30.000Z");
  g_assert_cmpstr (c, ==, "1970-01-01T00:00:00.001Z");
  g_assert_cmpstr (d, ==, "1969-12-31T23:59:59.999Z");
  g_assert_null (hg_time_format (0));
}

static void
test_time_parse (void)
{
  static const struct {
    const char *text;
    gint64      ms;
  } good[] = {
    { "2026-11-22T10:15:30.123Z", SAMPLE_MS },
    { "2026-11-22T10:15:30Z", SAMPLE_MS - 123 },
    { "2026-11-22T10:15:30.1Z", SAMPLE_MS - 23 },
    { "2026-11-22T10:15:30.12Z", SAMPLE_MS - 3 },
    /* Digits past the millisecond are cut, not rounded. */
    { "2026-11-22T10:15:30.123999Z", SAMPLE_MS },
    { "2026-11-22T10:15:30.123456789Z", SAMPLE_MS },
    { "2026-11-22T11:15:30.123+01:00", SAMPLE_MS },
    { "2026-11-22T15:45:30.123+05:30", SAMPLE_MS },
    { "2026-11-22T05:15:30.123-05:00", SAMPLE_MS },
    { "2026-11-22T10:15:30.123+00:00", SAMPLE_MS },
    { "2026-11-22T10:15:30.123-00:00", SAMPLE_MS },
    { "2026-11-23T00:15:30.123+14:00", SAMPLE_MS },
    { "2026-11-22t10:15:30.123z", SAMPLE_MS },
    { "1970-01-01T00:00:00.001Z", 1 },
  };
  static const char *const bad[] = {
    "",
    "2026-11-22",
    "10:15:30Z",
    "2026-11-22T10:15:30",            /* no offset */
    "2026-11-22T10:15:30.123",        /* no offset */
    "2026-11-22 10:15:30Z",           /* space */
    "2026-11-22T10:15Z",              /* no seconds */
    "2026-11-22T10:15:30.Z",          /* empty fraction */
    "2026-11-22T10:15:30,123Z",       /* comma */
    "2026-11-22T10:15:30+0100",       /* offset without colon */
    "2026-11-22T10:15:30+01",
    "20261122T101530Z",               /* ISO 8601 basic */
    "2026-326T10:15:30Z",             /* ordinal date */
    "2026-W47-7T10:15:30Z",           /* week date */
    "2026-13-01T10:15:30Z",
    "2026-02-30T10:15:30Z",
    "2026-11-22T24:00:00Z",
    "2026-11-22T10:61:00Z",
    "2026-11-22T10:15:30ZZ",
    "2026-11-22T10:15:30.123Z ",
    " 2026-11-22T10:15:30.123Z",
    "+2026-11-22T10:15:30Z",
    "yesterday",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 ms = -1;

      g_test_message ("parsing %s", good[i].text);
      g_assert_true (hg_time_parse (good[i].text, &ms));
      g_assert_cmpint (ms, ==, good[i].ms);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 ms = 42;

      g_test_message ("refusing %s", bad[i]);
      g_assert_false (hg_time_parse (bad[i], &ms));
      g_assert_cmpint (ms, ==, 42);
    }

  {
    gint64 ms = 42;

    g_assert_false (hg_time_parse (NULL, &ms));
    g_assert_cmpint (ms, ==, 42);
  }
}

static void
test_time_round_trip (void)
{
  static const gint64 samples[] = { 1, 999, 1000, SAMPLE_MS, G_GINT64_CONSTANT (253402300799999) };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *text = hg_time_format (samples[i]);
      gint64 ms = 0;

      g_assert_nonnull (text);
      g_assert_true (hg_time_parse (text, &ms));
      g_assert_cmpint (ms, ==, samples[i]);
    }
}

static void
test_time_now (void)
{
  gint64 before = g_get_real_time () / 1000;
  gint64 now = hg_time_now_ms ();
  gint64 after = g_get_real_time () / 1000;

  g_assert_cmpint (before, <=, now);
  g_assert_cmpint (now, <=, after);
}

/* Only what can be written back is read: the wire format has four-digit
 * years, and 0 means "no time" inside the program. */
static void
test_time_out_of_range (void)
{
  static const char *const refused[] = {
    "0001-01-01T00:00:00Z",
    "1969-12-31T23:59:59.999Z",
    "1970-01-01T00:00:00.000Z",
    "9999-12-31T23:00:00-02:00",
  };
  gint64 ms = 42;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("refusing %s", refused[i]);
      g_assert_false (hg_time_parse (refused[i], &ms));
    }
  g_assert_true (hg_time_parse ("1970-01-01T00:00:00.001Z", &ms));
  g_assert_cmpint (ms, ==, 1);
  g_assert_true (hg_time_parse ("9999-12-31T23:59:59.999Z", &ms));
  {
    g_autofree char *back = hg_time_format (ms);
    g_assert_cmpstr (back, ==, "9999-12-31T23:59:59.999Z");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/shared/types/severity", test_severity);
  g_test_add_func ("/shared/types/status", test_status);
  g_test_add_func ("/shared/types/role", test_role);
  g_test_add_func ("/shared/types/action", test_action);
  g_test_add_func ("/shared/types/phase-and-priority", test_phase_and_priority);
  g_test_add_func ("/shared/types/unknown-refused", test_unknown_refused);
  g_test_add_func ("/shared/types/time/format", test_time_format);
  g_test_add_func ("/shared/types/time/parse", test_time_parse);
  g_test_add_func ("/shared/types/time/round-trip", test_time_round_trip);
  g_test_add_func ("/shared/types/time/now", test_time_now);
  g_test_add_func ("/shared/types/time/out-of-range", test_time_out_of_range);

  return g_test_run ();
}
