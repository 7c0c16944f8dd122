/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Sim"

#include "config.h"

#include "hg-json.h"
#include "hg-protocol.h"
#include "hg-sim.h"

/* cardiac-emergency: a bedside monitor's ECG channel alarms on an
 * arrhythmia that degenerates into ventricular fibrillation. The monitor
 * keys every alarm of that channel alike, so the server folds them into
 * one incident and raises it to critical; with --respond the cardiologist
 * holding it acknowledges, works the arrest and resolves it. */

static const struct {
  double      after;        /* scenario seconds since the previous alarm */
  const char *type;
  const char *message;
  const char *heart_rate;
} alarms[] = {
  { 0, "ARRHYTHMIA", "Atrial fibrillation with rapid ventricular response, HR 158", "158" },
  { 8, "ARRHYTHMIA", "Run of ventricular tachycardia, HR 184", "184" },
  { 6, "CARDIAC_ARREST", "Ventricular fibrillation detected", "0" },
  { 5, "CARDIAC_ARREST", "Ventricular fibrillation persists", "0" },
  { 5, "CARDIAC_ARREST", "Ventricular fibrillation persists, no pulse", "0" },
};

#define ACK_AFTER      4.0
#define START_AFTER    3.0
#define START_REASON   "Crash team at the bedside, CPR in progress"
#define SHOCK_AFTER    20.0
#define SHOCK_NOTE     "Defibrillated at 200 J twice; return of spontaneous circulation"
#define ROSC_AFTER     5.0
#define ROSC_MESSAGE   "Sinus rhythm, HR 92"
#define RESOLVE_AFTER  10.0
#define RESOLVE_NOTE   "ROSC after two shocks; transferred to the coronary care unit"

typedef enum {
  STEP_ALARMS,
  STEP_RESPOND,
  STEP_SHOCK,
  STEP_NOTE,
  STEP_ROSC,
  STEP_RESOLVE,
  STEP_DONE,
} Step;

typedef struct {
  HgSim              *sim;
  const HgSimPatient *patient;
  char               *monitor;
  Step                step;
  guint               alarm;
  gint64              incident_id;
} Cardiac;

static void
cardiac_free (Cardiac *self)
{
  g_object_unref (self->sim);
  g_free (self->monitor);
  g_free (self);
}

static void next (Cardiac *self);

static void
fail (Cardiac      *self,
      const GError *error)
{
  hg_sim_fail (self->sim, error);
  cardiac_free (self);
}

static JsonNode *
monitor_alarm (Cardiac    *self,
               const char *type,
               const char *message,
               const char *heart_rate,
               gboolean    end)
{
  g_autofree char *dedup = g_strdup_printf ("%s/ecg", self->monitor);
  JsonObject *alert = hg_sim_alert_new (self->sim, type, self->patient->id, dedup, message);
  JsonObject *labels = json_object_new ();

  json_object_set_string_member (alert, "source", self->monitor);
  json_object_set_string_member (labels, "channel", "ECG II");
  json_object_set_string_member (labels, "heart_rate", heart_rate);
  json_object_set_object_member (alert, "labels", labels);
  if (end)
    json_object_set_string_member (alert, "phase", "end");
  return hg_json_node_new_object (alert);
}

static void
alarm_posted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Cardiac *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_post_alert_finish (self->sim, result, &error);
  JsonObject *object;
  JsonObject *incident;
  g_autofree char *what = NULL;
  g_autofree char *who = NULL;

  if (answer == NULL)
    {
      fail (self, error);
      return;
    }
  object = json_node_get_object (answer);
  incident = json_object_get_object_member (object, "incident");
  what = hg_sim_describe (incident);
  who = hg_sim_describe_assignee (incident);
  self->incident_id = json_object_get_int_member (incident, "id");
  if (json_object_get_boolean_member_with_default (object, "deduplicated", FALSE))
    hg_sim_say (self->sim, "  deduplicated into %s: %" G_GINT64_FORMAT " alerts now", what,
                json_object_get_int_member (incident, "alert_count"));
  else
    hg_sim_say (self->sim, "  new incident %s, assigned to %s", what, who);
  next (self);
}

static void
post_alarm (Cardiac *self)
{
  g_autoptr(JsonNode) alert = monitor_alarm (self, alarms[self->alarm].type, alarms[self->alarm].message,
                                             alarms[self->alarm].heart_rate, FALSE);

  hg_sim_say (self->sim, "%s (%s, %s %s%s) alarms: %s: %s", self->monitor, self->patient->id,
              self->patient->ward, self->patient->room, self->patient->bed, alarms[self->alarm].type,
              alarms[self->alarm].message);
  self->alarm++;
  hg_sim_post_alert_async (self->sim, alert, alarm_posted, self);
}

static void
slept (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  Cardiac *self = user_data;

  hg_sim_sleep_finish (self->sim, result);
  switch (self->step)
    {
    case STEP_ALARMS:
      post_alarm (self);
      break;
    default:
      next (self);
      break;
    }
}

static void
responded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Cardiac *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hg_sim_respond_finish (self->sim, result, &error))
    {
      fail (self, error);
      return;
    }
  next (self);
}

static void
note_added (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Cardiac *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self->sim, result, &error);

  if (error != NULL)
    {
      fail (self, error);
      return;
    }
  hg_sim_sleep_async (self->sim, ROSC_AFTER, slept, self);
}

static void
holder_signed_in (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Cardiac *self = user_data;
  g_autoptr(GError) error = NULL;
  const char *token = hg_sim_login_finish (self->sim, result, &error);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;

  if (token == NULL)
    {
      fail (self, error);
      return;
    }
  json_object_set_string_member (body, "text", SHOCK_NOTE);
  node = hg_json_node_new_object (g_steal_pointer (&body));
  path = g_strdup_printf (HG_API_PREFIX "/incidents/%" G_GINT64_FORMAT "/notes", self->incident_id);
  hg_sim_request_async (self->sim, "POST", path, token, node, note_added, self);
}

static void
add_shock_note (Cardiac *self)
{
  JsonObject *incident = hg_sim_lookup (self->sim, self->incident_id);
  JsonObject *assignee = json_object_get_object_member (incident, "assignee");
  const char *holder = json_object_get_string_member (assignee, "id");

  hg_sim_say (self->sim, "%s notes: %s", holder, SHOCK_NOTE);
  hg_sim_login_async (self->sim, holder, hg_sim_get_options (self->sim)->responder_password, holder_signed_in,
                      self);
}

static void
rosc_posted (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Cardiac *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_post_alert_finish (self->sim, result, &error);
  JsonObject *incident;

  if (answer == NULL)
    {
      fail (self, error);
      return;
    }
  incident = json_object_get_object_member (json_node_get_object (answer), "incident");
  hg_sim_say (self->sim, "  the incident stays %s: a critical alarm that stops is not a patient who is safe",
              incident ? json_object_get_string_member (incident, "status") : "unmatched");
  hg_sim_sleep_async (self->sim, RESOLVE_AFTER, slept, self);
}

static void
post_rosc (Cardiac *self)
{
  g_autoptr(JsonNode) alert = monitor_alarm (self, "CARDIAC_ARREST", ROSC_MESSAGE, "92", TRUE);

  hg_sim_say (self->sim, "%s: the alarm condition ends: %s", self->monitor, ROSC_MESSAGE);
  hg_sim_post_alert_async (self->sim, alert, rosc_posted, self);
}

static void
next (Cardiac *self)
{
  const HgSimOptions *options = hg_sim_get_options (self->sim);
  HgSimResponse response = { 0 };

  switch (self->step)
    {
    case STEP_ALARMS:
      if (self->alarm < G_N_ELEMENTS (alarms))
        {
          hg_sim_sleep_async (self->sim, alarms[self->alarm].after, slept, self);
          return;
        }
      self->step = options->respond ? STEP_RESPOND : STEP_DONE;
      if (!options->respond)
        hg_sim_say (self->sim, "Nobody answers the alarm here (--respond has the cardiologist answer it): "
                    "the server escalates it by its own timers");
      next (self);
      return;
    case STEP_RESPOND:
      self->step = STEP_SHOCK;
      response.until = HG_SIM_UNTIL_STARTED;
      response.ack_after = ACK_AFTER;
      response.start_after = START_AFTER;
      response.start_reason = START_REASON;
      hg_sim_respond_async (self->sim, self->incident_id, &response, responded, self);
      return;
    case STEP_SHOCK:
      self->step = STEP_NOTE;
      hg_sim_sleep_async (self->sim, SHOCK_AFTER, slept, self);
      return;
    case STEP_NOTE:
      self->step = STEP_ROSC;
      add_shock_note (self);
      return;
    case STEP_ROSC:
      self->step = STEP_RESOLVE;
      post_rosc (self);
      return;
    case STEP_RESOLVE:
      self->step = STEP_DONE;
      response.until = HG_SIM_UNTIL_RESOLVED;
      response.resolve_note = RESOLVE_NOTE;
      hg_sim_respond_async (self->sim, self->incident_id, &response, responded, self);
      return;
    case STEP_DONE:
    default:
      hg_sim_done (self->sim);
      cardiac_free (self);
      return;
    }
}

void
hg_sim_cardiac_start (HgSim *sim)
{
  Cardiac *self = g_new0 (Cardiac, 1);
  const HgSimOptions *options = hg_sim_get_options (sim);

  self->sim = g_object_ref (sim);
  self->patient = hg_sim_demo_patient (options->patient ? options->patient : "P001");
  g_assert (self->patient != NULL);
  self->monitor = g_strdup_printf ("monitor-%s%s", self->patient->room, self->patient->bed);
  hg_sim_say (sim, "Cardiac emergency: %s %s in %s, room %s, bed %s, on %s", self->patient->id,
              self->patient->name, self->patient->ward, self->patient->room, self->patient->bed, self->monitor);
  hg_sim_watch (sim);
  next (self);
}
