/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HgAlarm's decisions on a fake clock: which alarms are active, what the
 * speaker is told and when. Incidents are built from JSON and applied
 * through HgIncidentList, exactly as the client applies stream events. */
#include "config.h"

#include <string.h>

#include "hg-active-alarm-private.h"
#include "hg-alarm.h"
#include "hg-alarm-enums.h"
#include "hg-fake-clock.h"
#include "hg-fake-speaker.h"
#include "hg-incident-list.h"
#include "hg-json.h"

#define WARD       "Cardiology"
#define OTHER_WARD "Neurology"
#define ME         "N02"

typedef struct {
  HgFakeClock    *clock;
  HgFakeSpeaker  *speaker;
  HgIncidentList *list;
  HgAlarm        *alarm;
  GString        *changes;   /* the active list's items-changed */
} Fixture;

static void
on_active_changed (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   Fixture    *f)
{
  g_string_append_printf (f->changes, "%s%u-%u+%u", f->changes->len ? " " : "",
                          position, removed, added);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->clock = hg_fake_clock_new ();
  f->speaker = hg_fake_speaker_new (f->clock);
  f->list = hg_incident_list_new ();
  f->alarm = hg_alarm_new (HG_ALARM_SPEAKER (f->speaker), HG_ALARM_CLOCK (f->clock));
  f->changes = g_string_new (NULL);
  hg_alarm_set_incidents (f->alarm, G_LIST_MODEL (f->list));
  g_signal_connect (hg_alarm_get_active (f->alarm), "items-changed",
                    G_CALLBACK (on_active_changed), f);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_assert_finalize_object (f->alarm);
  g_assert_finalize_object (f->list);
  g_assert_finalize_object (f->speaker);
  g_assert_finalize_object (f->clock);
  g_string_free (f->changes, TRUE);
}

/* --- Helpers ------------------------------------------------------------ */

static JsonNode *
incident_node (gint64      id,
               gint64      version,
               const char *status,
               const char *severity,
               const char *ward,
               const char *assignee)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *who = NULL;
  g_autofree char *json = NULL;
  JsonNode *node;

  if (assignee != NULL)
    who = g_strdup_printf (", \"assignee\": {\"id\": \"%s\", \"name\": \"%s\","
                           " \"role\": \"nurse\"}", assignee, assignee);
  json = g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"version\": %" G_GINT64_FORMAT ","
                          " \"status\": \"%s\", \"severity\": \"%s\","
                          " \"title\": \"Incident %" G_GINT64_FORMAT "\","
                          " \"alert_type\": \"PATIENT_FALL\","
                          " \"location\": {\"ward\": \"%s\", \"room\": \"204\"}%s}",
                          id, version, status, severity, id, ward, who ? who : "");
  node = hg_json_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  return node;
}

static HgIncident *
incident_new (gint64      id,
              gint64      version,
              const char *status,
              const char *severity,
              const char *ward,
              const char *assignee)
{
  g_autoptr(JsonNode) node = incident_node (id, version, status, severity, ward, assignee);
  g_autoptr(GError) error = NULL;
  HgIncident *incident = hg_json_incident_from_node (node, &error);

  g_assert_no_error (error);
  return incident;
}

/* An incident.created / incident.updated event, as the client applies it. */
static HgApplyResult
apply (Fixture    *f,
       gint64      id,
       gint64      version,
       const char *status,
       const char *severity,
       const char *ward,
       const char *assignee)
{
  g_autoptr(HgIncident) incident = incident_new (id, version, status, severity, ward, assignee);

  return hg_incident_list_apply (f->list, incident);
}

/* An "alarm" event's data, after the incident event it follows. */
static void
alarm_event (Fixture    *f,
             gint64      id,
             gint64      version,
             const char *status,
             const char *severity,
             const char *assignee,
             const char *priority,
             const char *reason)
{
  g_autoptr(JsonObject) data = json_object_new ();

  json_object_set_member (data, "incident",
                          incident_node (id, version, status, severity, WARD, assignee));
  json_object_set_string_member (data, "priority", priority);
  json_object_set_string_member (data, "reason", reason);
  hg_alarm_handle_alarm_event (f->alarm, data);
}

static char *
take_log (Fixture *f)
{
  return hg_fake_speaker_take_log (f->speaker);
}

#define assert_log(f, expected) G_STMT_START {                   \
    g_autofree char *log_ = take_log (f);                        \
    g_assert_cmpstr (log_, ==, (expected));                      \
  } G_STMT_END

#define assert_changes(f, expected) G_STMT_START {               \
    g_assert_cmpstr ((f)->changes->str, ==, (expected));         \
    g_string_truncate ((f)->changes, 0);                         \
  } G_STMT_END

static HgActiveAlarm *
active_at (Fixture *f,
           guint    position)
{
  g_autoptr(HgActiveAlarm) item = g_list_model_get_item (hg_alarm_get_active (f->alarm), position);

  g_assert_nonnull (item);
  return item;   /* the list keeps it alive */
}

static gint64
active_id (Fixture *f,
           guint    position)
{
  HgIncident *incident = hg_active_alarm_get_incident (active_at (f, position));

  g_assert_nonnull (incident);
  return hg_incident_get_id (incident);
}

static guint
n_active (Fixture *f)
{
  g_assert_cmpuint (hg_alarm_get_n_active (f->alarm), ==,
                    g_list_model_get_n_items (hg_alarm_get_active (f->alarm)));
  return hg_alarm_get_n_active (f->alarm);
}

/* --- Acknowledgement ---------------------------------------------------- */

static void
test_ack_stops_now (Fixture       *f,
                    gconstpointer  data)
{
  hg_alarm_set_station (f->alarm, WARD);
  g_assert_cmpint (apply (f, 1, 1, "assigned", "critical", WARD, "N03"), ==, HG_APPLY_ADDED);
  assert_log (f, "play:high@0");
  g_assert_cmpint (hg_alarm_get_sounding_priority (f->alarm), ==, HG_ALARM_PRIORITY_HIGH);

  hg_fake_clock_advance (f->clock, 4321);
  assert_log (f, "");
  g_assert_cmpint (apply (f, 1, 2, "acknowledged", "critical", WARD, "N03"), ==, HG_APPLY_UPDATED);
  /* In the call that applied the change: the same fake instant, so well
   * within 100 ms, and at once rather than after the burst. */
  assert_log (f, "stop:now@4321");
  g_assert_cmpuint (n_active (f), ==, 0);
  g_assert_cmpint (hg_alarm_get_sounding_priority (f->alarm), ==, -1);

  hg_fake_clock_advance (f->clock, 600000);
  assert_log (f, "");
}

static void
test_ack_high_leaves_medium (Fixture       *f,
                             gconstpointer  data)
{
  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "medium", WARD, NULL);
  hg_fake_clock_advance (f->clock, 1000);
  apply (f, 2, 1, "assigned", "high", WARD, "N03");
  assert_log (f, "play:medium@0 play:high@1000");

  hg_fake_clock_advance (f->clock, 2000);
  apply (f, 2, 2, "in_progress", "high", WARD, "N03");
  assert_log (f, "stop:now@3000 play:medium@3000");
  g_assert_cmpint (hg_alarm_get_sounding_priority (f->alarm), ==, HG_ALARM_PRIORITY_MEDIUM);
  g_assert_cmpuint (n_active (f), ==, 1);
  g_assert_cmpint (active_id (f, 0), ==, 1);
}

/* Another alarm of the same priority still needs the sound. */
static void
test_ack_one_of_two_high (Fixture       *f,
                          gconstpointer  data)
{
  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "high", WARD, NULL);
  apply (f, 2, 1, "open", "critical", WARD, NULL);
  assert_log (f, "play:high@0");
  apply (f, 1, 2, "acknowledged", "high", WARD, NULL);
  assert_log (f, "");
  g_assert_cmpint (hg_alarm_get_sounding_priority (f->alarm), ==, HG_ALARM_PRIORITY_HIGH);
}

static void
test_acknowledge_locally (Fixture       *f,
                          gconstpointer  data)
{
  HgActiveAlarm *item;

  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "high", WARD, NULL);
  apply (f, 2, 1, "open", "low", WARD, NULL);
  assert_log (f, "play:high@0");

  /* The popup's button, before the server has answered. */
  hg_fake_clock_advance (f->clock, 500);
  hg_alarm_acknowledge (f->alarm, 1);
  assert_log (f, "stop:now@500 play:low@500");
  g_assert_cmpuint (n_active (f), ==, 2);
  item = active_at (f, 0);
  g_assert_false (hg_active_alarm_get_audible (item));

  /* The answer comes: it goes, with no more sound changes. */
  hg_fake_clock_advance (f->clock, 300);
  apply (f, 1, 2, "acknowledged", "high", WARD, NULL);
  assert_log (f, "");
  g_assert_cmpuint (n_active (f), ==, 1);

  /* No answer for the low one: it sounds again after the wait. */
  hg_alarm_acknowledge (f->alarm, 2);
  assert_log (f, "stop:now@800");
  hg_fake_clock_advance (f->clock, HG_ALARM_ACK_WAIT_MSEC - 1);
  assert_log (f, "");
  hg_fake_clock_advance (f->clock, 1);
  assert_log (f, "play:low@30800");
  g_assert_true (hg_active_alarm_get_audible (active_at (f, 0)));

  /* Not active here: nothing to do. */
  hg_alarm_acknowledge (f->alarm, 99);
  assert_log (f, "");
}

/* --- Silence ------------------------------------------------------------ */

static void
test_silence_two_minutes (Fixture       *f,
                          gconstpointer  data)
{
  hg_alarm_set_station (f->alarm, WARD);
  g_assert_cmpuint (hg_alarm_get_silence_duration (f->alarm), ==, 120);
  apply (f, 1, 1, "open", "high", WARD, NULL);
  hg_fake_clock_advance (f->clock, 1000);
  hg_alarm_silence (f->alarm);
  assert_log (f, "play:high@0 stop:now@1000");
  g_assert_true (hg_alarm_get_silenced (f->alarm));
  g_assert_cmpint (hg_alarm_get_silenced_until (f->alarm), ==,
                   HG_FAKE_CLOCK_EPOCH_US + (1000 + 120000) * G_GINT64_CONSTANT (1000));
  /* The visual is not silenced. */
  g_assert_cmpuint (n_active (f), ==, 1);
  assert_changes (f, "0-0+1");

  hg_fake_clock_advance (f->clock, 119900);
  assert_log (f, "");
  g_assert_true (hg_alarm_get_silenced (f->alarm));
  hg_fake_clock_advance (f->clock, 100);
  assert_log (f, "play:high@121000");
  g_assert_false (hg_alarm_get_silenced (f->alarm));
  g_assert_cmpint (hg_alarm_get_silenced_until (f->alarm), ==, 0);
  assert_changes (f, "");
}

static void
test_silence_then_acknowledged (Fixture       *f,
                                gconstpointer  data)
{
  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "medium", WARD, NULL);
  hg_alarm_silence (f->alarm);
  assert_log (f, "play:medium@0 stop:now@0");

  hg_fake_clock_advance (f->clock, 60000);
  apply (f, 1, 2, "acknowledged", "medium", WARD, NULL);
  /* Quiet already: nothing to tell the speaker; nothing left to pause. */
  assert_log (f, "");
  g_assert_false (hg_alarm_get_silenced (f->alarm));
  hg_fake_clock_advance (f->clock, 600000);
  assert_log (f, "");
  g_assert_cmpuint (hg_fake_clock_get_n_pending (f->clock), ==, 0);
}

static void
test_silence_new_alarm_ends_it (Fixture       *f,
                                gconstpointer  data)
{
  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "high", WARD, NULL);
  hg_alarm_silence (f->alarm);
  assert_log (f, "play:high@0 stop:now@0");

  /* A change to the silenced one is not a new condition. */
  hg_fake_clock_advance (f->clock, 10000);
  apply (f, 1, 2, "assigned", "high", WARD, "N03");
  assert_log (f, "");
  g_assert_true (hg_alarm_get_silenced (f->alarm));

  /* A new one is, even of a lower priority: every alarm sounds again. */
  hg_fake_clock_advance (f->clock, 20000);
  apply (f, 2, 1, "open", "low", WARD, NULL);
  assert_log (f, "play:high@30000");
  g_assert_false (hg_alarm_get_silenced (f->alarm));
  g_assert_cmpuint (hg_fake_clock_get_n_pending (f->clock), ==, 0);
}

static void
test_silence_duration (Fixture       *f,
                       gconstpointer  data)
{
  guint duration;

  hg_alarm_set_silence_duration (f->alarm, 5);
  g_assert_cmpuint (hg_alarm_get_silence_duration (f->alarm), ==, HG_ALARM_SILENCE_MIN);
  hg_alarm_set_silence_duration (f->alarm, 3600);
  g_assert_cmpuint (hg_alarm_get_silence_duration (f->alarm), ==, HG_ALARM_SILENCE_MAX);
  g_object_set (f->alarm, "silence-duration", 45, NULL);
  g_object_get (f->alarm, "silence-duration", &duration, NULL);
  g_assert_cmpuint (duration, ==, 45);

  /* With nothing audible, silence does nothing. */
  hg_alarm_silence (f->alarm);
  g_assert_false (hg_alarm_get_silenced (f->alarm));

  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "low", WARD, NULL);
  hg_alarm_silence (f->alarm);
  hg_fake_clock_advance (f->clock, 44999);
  assert_log (f, "play:low@0 stop:now@0");
  hg_fake_clock_advance (f->clock, 1);
  assert_log (f, "play:low@45000");
}

/* --- Priorities --------------------------------------------------------- */

static void
test_high_preempts_medium (Fixture       *f,
                           gconstpointer  data)
{
  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "medium", WARD, NULL);
  hg_fake_clock_advance (f->clock, 700);
  /* The speaker lets the medium burst finish: play only, no stop. */
  apply (f, 2, 1, "open", "critical", WARD, NULL);
  assert_log (f, "play:medium@0 play:high@700");
  /* The same priority again is not sent again. */
  apply (f, 3, 1, "open", "high", WARD, NULL);
  assert_log (f, "");

  /* A severity raised in place (a correlated alert) sounds louder too. */
  apply (f, 4, 1, "open", "low", WARD, NULL);
  apply (f, 1, 2, "open", "high", WARD, NULL);
  assert_log (f, "");
  g_assert_cmpint (hg_active_alarm_get_priority (active_at (f, 0)), ==, HG_ALARM_PRIORITY_HIGH);
}

static void
test_ends_by_itself_after_burst (Fixture       *f,
                                 gconstpointer  data)
{
  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "medium", WARD, NULL);
  hg_fake_clock_advance (f->clock, 2500);
  /* Resolved elsewhere (a false alarm): the burst completes. */
  g_assert_cmpint (apply (f, 1, 2, "resolved", "medium", WARD, NULL), ==, HG_APPLY_REMOVED);
  assert_log (f, "play:medium@0 stop:after-burst@2500");
  g_assert_cmpuint (n_active (f), ==, 0);

  /* Moved to another ward: the same. */
  apply (f, 2, 1, "open", "medium", WARD, NULL);
  apply (f, 2, 2, "open", "medium", OTHER_WARD, NULL);
  assert_log (f, "play:medium@2500 stop:after-burst@2500");

  /* A high one ends by itself while a medium remains: the medium follows
   * the high burst, which the speaker lets finish. */
  apply (f, 3, 1, "open", "medium", WARD, NULL);
  apply (f, 4, 1, "open", "high", WARD, NULL);
  apply (f, 4, 2, "resolved", "high", WARD, NULL);
  assert_log (f, "play:medium@2500 play:high@2500 play:medium@2500");

  /* The station changes ward: not an acknowledgement either. */
  hg_alarm_set_station (f->alarm, "Surgery");
  assert_log (f, "stop:after-burst@2500");
}

/* --- Station and personal ----------------------------------------------- */

static void
test_station_sees_its_ward (Fixture       *f,
                            gconstpointer  data)
{
  HgActiveAlarm *item;

  apply (f, 1, 1, "open", "critical", WARD, NULL);
  apply (f, 2, 1, "assigned", "medium", WARD, "N03");
  apply (f, 3, 1, "acknowledged", "critical", WARD, "N03");
  apply (f, 4, 1, "in_progress", "high", WARD, "N04");
  apply (f, 5, 1, "open", "critical", OTHER_WARD, NULL);
  apply (f, 6, 1, "assigned", "high", OTHER_WARD, ME);
  /* No mode yet: nothing. */
  g_assert_cmpuint (n_active (f), ==, 0);
  assert_log (f, "");

  hg_alarm_set_station (f->alarm, WARD);
  g_assert_cmpint (hg_alarm_get_mode (f->alarm), ==, HG_ALARM_MODE_STATION);
  g_assert_cmpstr (hg_alarm_get_mode_target (f->alarm), ==, WARD);
  g_assert_cmpuint (n_active (f), ==, 2);
  g_assert_cmpint (active_id (f, 0), ==, 1);
  g_assert_cmpint (active_id (f, 1), ==, 2);
  item = active_at (f, 0);
  g_assert_cmpint (hg_active_alarm_get_kind (item), ==, HG_ACTIVE_ALARM_KIND_INCIDENT);
  g_assert_cmpint (hg_active_alarm_get_reason (item), ==, HG_ALARM_REASON_UNACKNOWLEDGED);
  g_assert_cmpstr (hg_active_alarm_get_title (item), ==, "Incident 1");
  g_assert_true (hg_active_alarm_get_incident (item) == hg_incident_list_lookup (f->list, 1));
  assert_log (f, "play:high@0");

  /* Alarm events are personal: a station does not count them. */
  alarm_event (f, 5, 1, "open", "critical", NULL, "high", "escalated");
  g_assert_cmpuint (n_active (f), ==, 2);

  /* An incident that moves into the ward arrives; a title follows. */
  apply (f, 5, 2, "open", "critical", WARD, NULL);
  g_assert_cmpuint (n_active (f), ==, 3);
  apply (f, 2, 2, "assigned", "medium", WARD, "N05");
  g_assert_cmpuint (n_active (f), ==, 3);
}

static void
test_personal_sees_mine (Fixture       *f,
                         gconstpointer  data)
{
  hg_alarm_set_personal (f->alarm, ME);
  apply (f, 1, 1, "assigned", "medium", WARD, ME);
  apply (f, 2, 1, "assigned", "critical", WARD, "N03");
  apply (f, 3, 1, "open", "critical", WARD, NULL);
  apply (f, 4, 1, "acknowledged", "critical", WARD, ME);
  g_assert_cmpuint (n_active (f), ==, 1);
  g_assert_cmpint (active_id (f, 0), ==, 1);
  g_assert_cmpint (hg_active_alarm_get_reason (active_at (f, 0)), ==, HG_ALARM_REASON_ASSIGNED);
  assert_log (f, "play:medium@0");

  /* Escalated to me (a supervisor): someone else's incident is mine to
   * hear until anyone acknowledges it. */
  hg_fake_clock_advance (f->clock, 1000);
  apply (f, 2, 2, "assigned", "critical", WARD, "N03");
  alarm_event (f, 2, 2, "assigned", "critical", "N03", "high", "escalated");
  assert_log (f, "play:high@1000");
  g_assert_cmpuint (n_active (f), ==, 2);
  g_assert_cmpint (active_id (f, 0), ==, 2);
  g_assert_cmpint (hg_active_alarm_get_reason (active_at (f, 0)), ==, HG_ALARM_REASON_ESCALATED);
  /* Reassigned to yet another person: still escalated to me. */
  apply (f, 2, 3, "assigned", "critical", WARD, "N04");
  g_assert_cmpuint (n_active (f), ==, 2);
  apply (f, 2, 4, "acknowledged", "critical", WARD, "N04");
  assert_log (f, "stop:now@1000 play:medium@1000");
  /* Back to assigned later (declined): the event is over, and not mine. */
  apply (f, 2, 5, "assigned", "critical", WARD, "N05");
  g_assert_cmpuint (n_active (f), ==, 1);

  /* Mine, reassigned to someone else: it ends by itself. */
  hg_fake_clock_advance (f->clock, 1000);
  apply (f, 1, 2, "assigned", "medium", WARD, "N03");
  assert_log (f, "stop:after-burst@2000");
  g_assert_cmpuint (n_active (f), ==, 0);

  /* An open one escalated to me, claimed by someone: acknowledged. */
  alarm_event (f, 3, 1, "open", "critical", NULL, "high", "escalated");
  assert_log (f, "play:high@2000");
  apply (f, 3, 2, "acknowledged", "critical", WARD, "N06");
  assert_log (f, "stop:now@2000");

  /* A reminder that an acknowledged one of mine is not started: until
   * it is started. */
  alarm_event (f, 4, 1, "acknowledged", "critical", ME, "high", "reminder");
  assert_log (f, "play:high@2000");
  g_assert_cmpint (hg_active_alarm_get_reason (active_at (f, 0)), ==, HG_ALARM_REASON_REMINDER);
  apply (f, 4, 2, "in_progress", "critical", WARD, ME);
  assert_log (f, "stop:now@2000");
  g_assert_cmpuint (n_active (f), ==, 0);

  /* An event for an incident the list no longer holds (resolved). */
  apply (f, 4, 3, "resolved", "critical", WARD, ME);
  alarm_event (f, 4, 3, "resolved", "critical", ME, "high", "reminder");
  g_assert_cmpuint (n_active (f), ==, 0);
  assert_log (f, "");
}

static void
test_personal_assignment_event (Fixture       *f,
                                gconstpointer  data)
{
  hg_alarm_set_personal (f->alarm, ME);
  /* An event as it came (replayed) after the incident went on: the list
   * says acknowledged already, so nothing sounds. */
  apply (f, 1, 2, "acknowledged", "high", WARD, ME);
  alarm_event (f, 1, 1, "assigned", "high", ME, "high", "assigned");
  g_assert_cmpuint (n_active (f), ==, 0);
  assert_log (f, "");

  /* An assignment event, then a reassignment away: after the burst. */
  apply (f, 2, 1, "assigned", "medium", WARD, ME);
  alarm_event (f, 2, 1, "assigned", "medium", ME, "medium", "assigned");
  assert_log (f, "play:medium@0");
  apply (f, 2, 2, "assigned", "medium", WARD, "N03");
  assert_log (f, "stop:after-burst@0");
  g_assert_cmpuint (n_active (f), ==, 0);

  /* Switching to a station forgets the person's events. */
  apply (f, 3, 1, "acknowledged", "high", OTHER_WARD, ME);
  alarm_event (f, 3, 1, "acknowledged", "high", ME, "high", "reminder");
  g_assert_cmpuint (n_active (f), ==, 1);
  hg_alarm_set_station (f->alarm, "Surgery");
  g_assert_cmpuint (n_active (f), ==, 0);
  hg_alarm_set_personal (f->alarm, ME);
  g_assert_cmpuint (n_active (f), ==, 0);
  assert_log (f, "play:high@0 stop:after-burst@0");

  /* A malformed event is refused, loudly. */
  g_test_expect_message ("HealthGuard-Alarm", G_LOG_LEVEL_WARNING, "*malformed alarm event*");
  alarm_event (f, 5, 1, "assigned", "high", ME, "deafening", "assigned");
  g_test_assert_expected_messages ();
}

static void
test_reminder_ends_silence (Fixture       *f,
                            gconstpointer  data)
{
  hg_alarm_set_personal (f->alarm, ME);
  apply (f, 1, 1, "assigned", "high", WARD, ME);
  alarm_event (f, 1, 1, "assigned", "high", ME, "high", "assigned");
  hg_fake_clock_advance (f->clock, 1000);
  hg_alarm_silence (f->alarm);
  assert_log (f, "play:high@0 stop:now@1000");

  /* The server reminds me: the silence ends before its two minutes. */
  hg_fake_clock_advance (f->clock, 30000);
  apply (f, 1, 2, "assigned", "high", WARD, ME);
  assert_log (f, "");
  alarm_event (f, 1, 2, "assigned", "high", ME, "high", "reminder");
  assert_log (f, "play:high@31000");
  g_assert_false (hg_alarm_get_silenced (f->alarm));
  g_assert_cmpint (hg_active_alarm_get_reason (active_at (f, 0)), ==, HG_ALARM_REASON_REMINDER);
}

/* --- Technical alarms --------------------------------------------------- */

static void
test_link_lost (Fixture       *f,
                gconstpointer  data)
{
  HgActiveAlarm *item;

  /* A short drop raises nothing. */
  hg_alarm_set_link_up (f->alarm, FALSE);
  hg_fake_clock_advance (f->clock, 9900);
  hg_alarm_set_link_up (f->alarm, TRUE);
  hg_fake_clock_advance (f->clock, 60000);
  g_assert_cmpuint (n_active (f), ==, 0);
  assert_log (f, "");

  hg_alarm_set_link_up (f->alarm, FALSE);
  g_assert_false (hg_alarm_get_link_up (f->alarm));
  hg_fake_clock_advance (f->clock, 9900);
  g_assert_cmpuint (n_active (f), ==, 0);
  assert_log (f, "");
  hg_fake_clock_advance (f->clock, 100);
  assert_log (f, "play:medium@79900");
  g_assert_cmpuint (n_active (f), ==, 1);
  item = active_at (f, 0);
  g_assert_cmpint (hg_active_alarm_get_kind (item), ==, HG_ACTIVE_ALARM_KIND_LINK);
  g_assert_cmpint (hg_active_alarm_get_priority (item), ==, HG_ALARM_PRIORITY_MEDIUM);
  g_assert_cmpint (hg_active_alarm_get_reason (item), ==, HG_ALARM_REASON_TECHNICAL);
  g_assert_null (hg_active_alarm_get_incident (item));
  g_assert_true (hg_active_alarm_get_audible (item));
  g_assert_cmpstr (hg_active_alarm_get_title (item), ==, "Alarms may not reach this station");
  g_assert_nonnull (hg_active_alarm_get_message (item));
  /* Since the link was lost, not since the alarm was raised. */
  g_assert_cmpint (hg_active_alarm_get_since (item), ==,
                   HG_FAKE_CLOCK_EPOCH_US + G_GINT64_CONSTANT (69900000));

  hg_fake_clock_advance (f->clock, 5000);
  hg_alarm_set_link_up (f->alarm, TRUE);
  assert_log (f, "stop:after-burst@84900");
  g_assert_cmpuint (n_active (f), ==, 0);
  assert_changes (f, "0-0+1 0-1+0");
}

static void
test_audio_failed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                 "no output device");
  HgActiveAlarm *item;

  hg_alarm_audio_failed (f->alarm, error);
  g_assert_cmpuint (n_active (f), ==, 1);
  item = active_at (f, 0);
  g_assert_cmpint (hg_active_alarm_get_kind (item), ==, HG_ACTIVE_ALARM_KIND_AUDIO);
  g_assert_cmpint (hg_active_alarm_get_priority (item), ==, HG_ALARM_PRIORITY_MEDIUM);
  g_assert_false (hg_active_alarm_get_audible (item));
  g_assert_nonnull (strstr (hg_active_alarm_get_message (item), "no output device"));
  /* It cannot sound, so it asks nothing of the speaker, and cannot be
   * silenced. */
  assert_log (f, "");
  hg_alarm_silence (f->alarm);
  g_assert_false (hg_alarm_get_silenced (f->alarm));

  /* Incident alarms still go to the speaker, which may come back. */
  hg_alarm_set_station (f->alarm, WARD);
  hg_fake_clock_advance (f->clock, 1000);
  apply (f, 1, 1, "open", "high", WARD, NULL);
  assert_log (f, "play:high@1000");
  g_assert_cmpint (hg_active_alarm_get_kind (active_at (f, 0)), ==, HG_ACTIVE_ALARM_KIND_INCIDENT);
  g_assert_cmpint (hg_active_alarm_get_kind (active_at (f, 1)), ==, HG_ACTIVE_ALARM_KIND_AUDIO);

  /* Failing again updates the one alarm. */
  hg_alarm_audio_failed (f->alarm, error);
  g_assert_cmpuint (n_active (f), ==, 2);

  hg_alarm_audio_recovered (f->alarm);
  g_assert_cmpuint (n_active (f), ==, 1);
  /* The output that failed is asked for the sound again. */
  assert_log (f, "play:high@1000");
  hg_alarm_audio_recovered (f->alarm);
  assert_log (f, "");
}

/* --- The active list ---------------------------------------------------- */

static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "low", WARD, NULL);
  hg_fake_clock_advance (f->clock, 1000);
  apply (f, 2, 1, "open", "high", WARD, NULL);
  hg_fake_clock_advance (f->clock, 1000);
  apply (f, 3, 1, "open", "medium", WARD, NULL);
  hg_fake_clock_advance (f->clock, 1000);
  apply (f, 4, 1, "open", "critical", WARD, NULL);
  hg_fake_clock_advance (f->clock, 1000);
  apply (f, 5, 1, "open", "low", WARD, NULL);

  g_assert_cmpuint (n_active (f), ==, 5);
  g_assert_cmpint (active_id (f, 0), ==, 2);
  g_assert_cmpint (active_id (f, 1), ==, 4);
  g_assert_cmpint (active_id (f, 2), ==, 3);
  g_assert_cmpint (active_id (f, 3), ==, 1);
  g_assert_cmpint (active_id (f, 4), ==, 5);
  g_assert_cmpint (hg_active_alarm_get_since (active_at (f, 1)), ==,
                   HG_FAKE_CLOCK_EPOCH_US + 3000 * G_GINT64_CONSTANT (1000));
  assert_changes (f, "0-0+1 0-0+1 1-0+1 1-0+1 4-0+1");

  /* Raised to high, 5 moves up behind the older highs; a change that
   * keeps the order costs no items-changed. */
  apply (f, 5, 2, "open", "high", WARD, NULL);
  g_assert_cmpint (active_id (f, 2), ==, 5);
  assert_changes (f, "4-1+0 2-0+1");
  apply (f, 5, 3, "assigned", "high", WARD, "N03");
  assert_changes (f, "");
  g_assert_cmpint (hg_alarm_get_n_active (f->alarm), ==, 5);
}

/* hg_incident_list_replace() (a refetch) takes every item out and puts
 * the same objects back: no new condition, no change of the list. */
static void
test_refetch_is_not_new (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) fetched = g_ptr_array_new_with_free_func (g_object_unref);

  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "high", WARD, NULL);
  apply (f, 2, 1, "open", "medium", WARD, NULL);
  hg_alarm_silence (f->alarm);
  assert_log (f, "play:high@0 stop:now@0");
  assert_changes (f, "0-0+1 1-0+1");

  hg_fake_clock_advance (f->clock, 5000);
  g_ptr_array_add (fetched, incident_new (2, 1, "open", "medium", WARD, NULL));
  g_ptr_array_add (fetched, incident_new (1, 2, "open", "high", WARD, NULL));
  hg_incident_list_replace (f->list, fetched);
  assert_log (f, "");
  assert_changes (f, "");
  g_assert_true (hg_alarm_get_silenced (f->alarm));

  /* A refetch without the high one (resolved while offline). */
  g_ptr_array_remove_index (fetched, 1);
  hg_incident_list_replace (f->list, fetched);
  assert_changes (f, "0-1+0");
  g_assert_cmpint (active_id (f, 0), ==, 2);

  /* The model goes: every incident alarm with it. */
  hg_alarm_set_incidents (f->alarm, NULL);
  g_assert_cmpuint (n_active (f), ==, 0);
  g_assert_false (hg_alarm_get_silenced (f->alarm));
  hg_alarm_set_incidents (f->alarm, G_LIST_MODEL (f->list));
  g_assert_cmpuint (n_active (f), ==, 1);
  assert_log (f, "play:medium@5000");
}

/* A first fill of many incidents comes in one items-changed, sorted:
 * 5,000 unacknowledged incidents of a ward must not be sorted and
 * announced one by one (the app's start benchmark). */
static void
test_fill_in_one_change (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) fetched = g_ptr_array_new_with_free_func (g_object_unref);
  static const char *const severities[] = { "low", "medium", "high", "critical" };

  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "medium", WARD, NULL);
  assert_changes (f, "0-0+1");
  g_ptr_array_add (fetched, incident_new (1, 1, "open", "medium", WARD, NULL));
  for (gint64 id = 2; id <= 200; id++)
    g_ptr_array_add (fetched, incident_new (id, 1, "open", severities[id % 4], WARD, NULL));
  hg_incident_list_replace (f->list, fetched);

  assert_changes (f, "0-1+200");
  g_assert_cmpuint (n_active (f), ==, 200);
  for (guint i = 1; i < 200; i++)
    g_assert_cmpint (hg_active_alarm_compare (active_at (f, i - 1), active_at (f, i), NULL), <, 0);
  g_assert_cmpint (hg_active_alarm_get_priority (active_at (f, 0)), ==, HG_ALARM_PRIORITY_HIGH);
  g_assert_cmpint (hg_active_alarm_get_priority (active_at (f, 199)), ==, HG_ALARM_PRIORITY_LOW);
}

static void
test_dispose_stops (Fixture       *f,
                    gconstpointer  data)
{
  hg_alarm_set_station (f->alarm, WARD);
  apply (f, 1, 1, "open", "high", WARD, NULL);
  hg_alarm_set_link_up (f->alarm, FALSE);
  hg_alarm_acknowledge (f->alarm, 1);
  hg_alarm_set_link_up (f->alarm, TRUE);
  hg_alarm_set_link_up (f->alarm, FALSE);
  apply (f, 2, 1, "open", "low", WARD, NULL);
  hg_alarm_silence (f->alarm);
  apply (f, 3, 1, "open", "medium", WARD, NULL);
  assert_log (f, "play:high@0 stop:now@0 play:low@0 stop:now@0 play:medium@0");
  g_assert_cmpuint (hg_fake_clock_get_n_pending (f->clock), ==, 2);

  /* The sound must not outlive the object; its timers neither. */
  g_clear_object (&f->alarm);
  assert_log (f, "stop:now@0");
  g_assert_cmpuint (hg_fake_clock_get_n_pending (f->clock), ==, 0);
  f->alarm = hg_alarm_new (HG_ALARM_SPEAKER (f->speaker), HG_ALARM_CLOCK (f->clock));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/alarm/" path, Fixture, NULL, setup, func, teardown)

  ADD ("ack/stops-now", test_ack_stops_now);
  ADD ("ack/high-leaves-medium", test_ack_high_leaves_medium);
  ADD ("ack/one-of-two-high", test_ack_one_of_two_high);
  ADD ("ack/locally", test_acknowledge_locally);
  ADD ("silence/two-minutes", test_silence_two_minutes);
  ADD ("silence/then-acknowledged", test_silence_then_acknowledged);
  ADD ("silence/new-alarm-ends-it", test_silence_new_alarm_ends_it);
  ADD ("silence/duration", test_silence_duration);
  ADD ("priority/high-preempts-medium", test_high_preempts_medium);
  ADD ("priority/ends-by-itself", test_ends_by_itself_after_burst);
  ADD ("mode/station", test_station_sees_its_ward);
  ADD ("mode/personal", test_personal_sees_mine);
  ADD ("mode/personal-assignment", test_personal_assignment_event);
  ADD ("mode/reminder-ends-silence", test_reminder_ends_silence);
  ADD ("technical/link", test_link_lost);
  ADD ("technical/audio", test_audio_failed);
  ADD ("list/order", test_order);
  ADD ("list/refetch", test_refetch_is_not_new);
  ADD ("list/fill-in-one-change", test_fill_in_one_change);
  ADD ("dispose/stops", test_dispose_stops);

#undef ADD

  return g_test_run ();
}
