/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Sim"

#include "config.h"

#include "hg-json.h"
#include "hg-protocol.h"
#include "hg-sim.h"

/* vital-signs: rounds of bedside observations for a few patients. One of
 * them develops sepsis: NEWS2 climbs from 0 past 5 (an urgent response,
 * NEWS2_URGENT) to 7 and beyond (an emergency one, NEWS2_EMERGENCY); the
 * server scores every observation and raises the alerts itself. The
 * others stay well, with the small changes of any ward round. */

/* Scenario seconds between rounds. */
#define ROUND_INTERVAL 15.0

typedef struct {
  int         respiration_rate;
  int         spo2;
  gboolean    on_oxygen;
  int         systolic_bp;
  int         pulse;
  const char *consciousness;
  double      temperature;
} Observation;

/* Scores 0, 1, 3, 5 (urgent), 6, 7 (emergency), 16. */
static const Observation deterioration[] = {
  { 16, 97, FALSE, 126, 82, "alert", 37.0 },
  { 19, 96, FALSE, 120, 92, "alert", 37.9 },
  { 20, 95, FALSE, 114, 98, "alert", 38.2 },
  { 22, 94, FALSE, 112, 104, "alert", 38.4 },
  { 23, 94, FALSE, 108, 108, "alert", 38.6 },
  { 24, 94, FALSE, 104, 116, "alert", 38.8 },
  { 27, 92, TRUE, 96, 126, "confusion", 39.3 },
};

#define N_ROUNDS G_N_ELEMENTS (deterioration)

typedef struct {
  HgSim              *sim;
  GRand              *rand;
  const HgSimPatient *patients[8];
  guint               n_patients;
  guint               round;
  guint               index;          /* the patient observed next */
  GString            *round_scores;   /* the well patients' scores this round */
  GString            *trend;          /* the deteriorating patient's scores */
  guint               observations;
  guint               alerts;
  gint64              urgent_id;
  gint64              emergency_id;
  guint               urgent_round;
  guint               emergency_round;
  guint               pending;        /* responses under way */
  gboolean            rounds_done;
  gboolean            urgent_closing;
  gboolean            failed;
} Vitals;

static void
vitals_free (Vitals *self)
{
  g_rand_free (self->rand);
  g_string_free (self->round_scores, TRUE);
  g_string_free (self->trend, TRUE);
  g_object_unref (self->sim);
  g_free (self);
}

static void observe_next (Vitals *self);
static void maybe_done (Vitals *self);

static void
fail (Vitals       *self,
      const GError *error)
{
  hg_sim_fail (self->sim, error);
  self->failed = TRUE;
  if (self->pending == 0)
    vitals_free (self);
}

/* A well patient: every parameter in the chart's 0 column, the pulse now
 * and then just above it. */
static Observation
well (Vitals *self)
{
  Observation o = {
    g_rand_int_range (self->rand, 14, 19),
    g_rand_int_range (self->rand, 96, 100),
    FALSE,
    g_rand_int_range (self->rand, 116, 139),
    g_rand_int_range (self->rand, 62, 96),
    "alert",
    g_rand_int_range (self->rand, 365, 376) / 10.0,
  };

  return o;
}

static JsonNode *
observation_body (const HgSimPatient *patient,
                  const Observation  *o)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "patient_id", patient->id);
  json_object_set_int_member (body, "respiration_rate", o->respiration_rate);
  json_object_set_int_member (body, "spo2", o->spo2);
  json_object_set_int_member (body, "spo2_scale", 1);
  json_object_set_boolean_member (body, "on_oxygen", o->on_oxygen);
  json_object_set_int_member (body, "systolic_bp", o->systolic_bp);
  json_object_set_int_member (body, "pulse", o->pulse);
  json_object_set_string_member (body, "consciousness", o->consciousness);
  json_object_set_double_member (body, "temperature", o->temperature);
  return hg_json_node_new_object (body);
}

static gboolean
is_deteriorating (Vitals *self)
{
  return self->index == 0;
}

static void
responded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Vitals *self = user_data;
  g_autoptr(GError) error = NULL;

  self->pending--;
  if (!hg_sim_respond_finish (self->sim, result, &error))
    {
      fail (self, error);
      return;
    }
  if (self->failed)
    {
      if (self->pending == 0)
        vitals_free (self);
      return;
    }
  maybe_done (self);
}

static void
respond (Vitals *self,
         gint64  id,
         gboolean emergency)
{
  HgSimResponse response = { 0 };

  if (!hg_sim_get_options (self->sim)->respond)
    return;
  if (emergency)
    {
      response.until = HG_SIM_UNTIL_RESOLVED;
      response.ack_after = 2;
      response.start_after = 2;
      response.start_reason = "At the bedside: sepsis six started";
      response.resolve_after = 20;
      response.resolve_note = "Antibiotics and fluids given; transferred to the high dependency unit";
    }
  else
    {
      response.until = HG_SIM_UNTIL_STARTED;
      response.ack_after = 8;
      response.start_after = 4;
      response.start_reason = "Reviewing the patient; observations every 30 minutes";
    }
  self->pending++;
  hg_sim_respond_async (self->sim, id, &response, responded, self);
}

/* The run ends when every round is done and every response with it; the
 * urgent incident is closed last, once the emergency one is. */
static void
maybe_done (Vitals *self)
{
  if (!self->rounds_done || self->pending > 0)
    return;
  if (hg_sim_get_options (self->sim)->respond && self->urgent_id != 0 && !self->urgent_closing)
    {
      HgSimResponse response = {
        .until = HG_SIM_UNTIL_RESOLVED,
        .resolve_after = 1,
        .resolve_note = "Superseded by the emergency response",
      };

      self->urgent_closing = TRUE;
      self->pending++;
      hg_sim_respond_async (self->sim, self->urgent_id, &response, responded, self);
      return;
    }
  hg_sim_summary_line (self->sim, "observations:", "%u posted for %u patients in %u rounds, %u raised an alert",
                       self->observations, self->n_patients, (guint) N_ROUNDS, self->alerts);
  hg_sim_summary_line (self->sim, "NEWS2 trend:", "%s %s: %s", self->patients[0]->id, self->patients[0]->name,
                       self->trend->str);
  if (self->urgent_id != 0)
    hg_sim_summary_line (self->sim, "urgent:", "incident #%" G_GINT64_FORMAT " (NEWS2_URGENT) from round %u",
                         self->urgent_id, self->urgent_round + 1);
  if (self->emergency_id != 0)
    hg_sim_summary_line (self->sim, "emergency:", "incident #%" G_GINT64_FORMAT " (NEWS2_EMERGENCY) from round %u",
                         self->emergency_id, self->emergency_round + 1);
  hg_sim_done (self->sim);
  vitals_free (self);
}

static void
incident_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Vitals *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self->sim, result, &error);
  JsonObject *incident;
  const char *type;
  gint64 id;
  gboolean emergency;
  gint64 *known;
  g_autofree char *what = NULL;
  g_autofree char *who = NULL;

  if (error != NULL)
    {
      fail (self, error);
      return;
    }
  incident = json_node_get_object (answer);
  hg_sim_note_incident (self->sim, incident);
  id = json_object_get_int_member (incident, "id");
  type = json_object_get_string_member (incident, "alert_type");
  emergency = g_strcmp0 (type, "NEWS2_EMERGENCY") == 0;
  known = emergency ? &self->emergency_id : &self->urgent_id;
  what = hg_sim_describe (incident);
  who = hg_sim_describe_assignee (incident);
  if (*known == id)
    hg_sim_say (self->sim, "  joins %s: %" G_GINT64_FORMAT " alerts now", what,
                json_object_get_int_member (incident, "alert_count"));
  else
    {
      gboolean earlier = hg_sim_time_member (incident, "created_at") < hg_sim_started_ms (self->sim);

      hg_sim_say (self->sim, "  %s %s, assigned to %s", earlier ? "joins the earlier" : "new incident", what, who);
      *known = id;
      if (emergency)
        self->emergency_round = self->round;
      else
        self->urgent_round = self->round;
      respond (self, id, emergency);
    }
  self->index++;
  observe_next (self);
}

static void
observed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Vitals *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self->sim, result, &error);
  JsonObject *news2;
  JsonNode *alert;
  gint64 score;
  const char *band;

  if (error != NULL)
    {
      fail (self, error);
      return;
    }
  self->observations++;
  news2 = json_object_get_object_member (json_node_get_object (answer), "news2");
  alert = json_object_get_member (json_node_get_object (answer), "alert");
  score = json_object_get_int_member (news2, "score");
  band = json_object_get_string_member (news2, "band");
  if (is_deteriorating (self))
    {
      const Observation *o = &deterioration[self->round];

      g_string_append_printf (self->trend, "%s%" G_GINT64_FORMAT, self->trend->len ? " → " : "", score);
      hg_sim_say (self->sim, "%s %s: RR %d, SpO2 %d%% %s, BP %d, pulse %d, %s, %.1f °C → NEWS2 %" G_GINT64_FORMAT
                  " (%s)", self->patients[0]->id, self->patients[0]->name, o->respiration_rate, o->spo2,
                  o->on_oxygen ? "on oxygen" : "on air", o->systolic_bp, o->pulse, o->consciousness,
                  o->temperature, score, band);
    }
  else
    g_string_append_printf (self->round_scores, "%s%s %" G_GINT64_FORMAT, self->round_scores->len ? ", " : "",
                            self->patients[self->index]->id, score);
  if (alert != NULL && JSON_NODE_HOLDS_OBJECT (alert))
    {
      JsonObject *object = json_node_get_object (alert);
      g_autofree char *path = g_strdup_printf (HG_API_PREFIX "/incidents/%" G_GINT64_FORMAT,
                                               json_object_get_int_member (object, "incident_id"));

      self->alerts++;
      hg_sim_say (self->sim, "  the server raises %s (%s): %s", json_object_get_string_member (object, "type"),
                  json_object_get_string_member (object, "severity"),
                  json_object_get_string_member_with_default (object, "message", ""));
      hg_sim_request_async (self->sim, "GET", path, hg_sim_get_token (self->sim), NULL, incident_fetched, self);
      return;
    }
  self->index++;
  observe_next (self);
}

static void
round_slept (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Vitals *self = user_data;

  hg_sim_sleep_finish (self->sim, result);
  observe_next (self);
}

static void
observe_next (Vitals *self)
{
  Observation o;
  g_autoptr(JsonNode) body = NULL;

  if (self->index == self->n_patients)
    {
      if (self->round_scores->len > 0)
        hg_sim_say (self->sim, "  the others: NEWS2 %s", self->round_scores->str);
      g_string_truncate (self->round_scores, 0);
      self->index = 0;
      if (++self->round == N_ROUNDS)
        {
          self->rounds_done = TRUE;
          maybe_done (self);
          return;
        }
      hg_sim_sleep_async (self->sim, ROUND_INTERVAL, round_slept, self);
      return;
    }
  if (self->index == 0)
    hg_sim_say (self->sim, "Round %u of %u", self->round + 1, (guint) N_ROUNDS);
  o = is_deteriorating (self) ? deterioration[self->round] : well (self);
  body = observation_body (self->patients[self->index], &o);
  hg_sim_request_async (self->sim, "POST", HG_API_PREFIX "/vitals", hg_sim_get_poster (self->sim), body,
                        observed, self);
}

void
hg_sim_vitals_start (HgSim *sim)
{
  Vitals *self = g_new0 (Vitals, 1);
  const HgSimOptions *options = hg_sim_get_options (sim);
  const HgSimPatient *all;
  guint n_all;

  self->sim = g_object_ref (sim);
  self->rand = g_rand_new_with_seed (g_str_hash (hg_sim_get_run_id (sim)));
  self->round_scores = g_string_new (NULL);
  self->trend = g_string_new (NULL);
  all = hg_sim_demo_patients (&n_all);
  self->patients[self->n_patients++] = hg_sim_demo_patient (options->patient ? options->patient : "P005");
  for (guint i = 0; i < n_all && self->n_patients < (guint) options->patients; i++)
    if (&all[i] != self->patients[0])
      self->patients[self->n_patients++] = &all[i];
  hg_sim_say (sim, "Vital signs: %u patients observed every %.0f s; %s %s (%s %s%s) is developing sepsis",
              self->n_patients, ROUND_INTERVAL, self->patients[0]->id, self->patients[0]->name,
              self->patients[0]->ward, self->patients[0]->room, self->patients[0]->bed);
  hg_sim_watch (sim);
  observe_next (self);
}
