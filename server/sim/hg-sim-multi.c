/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Sim"

#include "config.h"

#include "hg-json.h"
#include "hg-protocol.h"
#include "hg-sim.h"

/* multi-patient: every patient of the demo hospital alerts at once, one
 * request with eight alerts of four severities in four wards. The server
 * routes each to the right role and specialty, spreads like incidents
 * over like people, and escalates the one whose assignee does not answer;
 * everyone else answers, works and resolves theirs. */

static const struct {
  const char *patient;
  const char *type;
  const char *message;
  double      ack_after;     /* scenario seconds */
  const char *resolve_note;
  gboolean    unanswered;
} cases[] = {
  { "P004", "RESPIRATORY_DISTRESS", "RR 34, SpO2 85%, accessory muscle use", 3,
    "Nebulised and started on non-invasive ventilation; stable", FALSE },
  { "P006", "STROKE_SIGNS", "Facial droop and left arm weakness, FAST positive", 2,
    "CT head clear of bleeding; thrombolysis started within the window", TRUE },
  { "P001", "CHEST_PAIN", "Central chest pain radiating to the left arm", 6,
    "ECG without ST changes; troponin sent, pain settled with GTN", FALSE },
  { "P005", "SPO2_LOW", "SpO2 87% on 2 l/min", 7, "Oxygen up to 4 l/min; SpO2 94%", FALSE },
  { "P002", "PATIENT_FALL", "Found on the floor beside the bed", 8,
    "No injury found; bed lowered and its alarm set", FALSE },
  { "P008", "POSTOP_BLEEDING", "Drain output 300 ml in the last hour", 9,
    "Pressure dressing applied; added to the theatre list", FALSE },
  { "P003", "BED_EXIT", "Bed exit sensor", 12, "Back in bed and settled", FALSE },
  { "P007", "CALL_BUTTON", "Call button pressed", 15, "Wanted a glass of water", FALSE },
};

#define START_AFTER   4.0
#define RESOLVE_AFTER 10.0

typedef struct {
  HgSim      *sim;
  gint64      ids[G_N_ELEMENTS (cases)];
  char       *first_assignee[G_N_ELEMENTS (cases)];
  JsonObject *details[G_N_ELEMENTS (cases)];
  guint       pending;
} Multi;

static void
multi_free (Multi *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_free (self->first_assignee[i]);
      g_clear_pointer (&self->details[i], json_object_unref);
    }
  g_object_unref (self->sim);
  g_free (self);
}

static void
fail (Multi        *self,
      const GError *error)
{
  hg_sim_fail (self->sim, error);
  multi_free (self);
}

/* The "assigned" timeline entry says who and why. */
static const char *
assignment_reason (JsonObject *incident)
{
  JsonArray *timeline = json_object_get_array_member (incident, "timeline");

  for (guint i = 0; timeline != NULL && i < json_array_get_length (timeline); i++)
    {
      JsonObject *entry = json_array_get_object_element (timeline, i);
      const char *detail = json_object_get_string_member_with_default (entry, "detail", NULL);

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "action", NULL), "assigned") == 0 &&
          detail != NULL)
        return g_str_has_prefix (detail, "to ") ? detail + 3 : detail;
    }
  return "nobody: it stays open for anyone to claim";
}

/* Like incidents (same role and specialty, or nurses of one ward) that
 * went to different people. */
static char *
load_balancing (Multi *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      JsonObject *a = self->details[i];
      const char *role = json_object_get_string_member_with_default (a, "required_role", "?");
      const char *specialty = json_object_get_string_member_with_default (a, "required_specialty", NULL);
      const char *ward = json_object_get_string_member (json_object_get_object_member (a, "location"), "ward");
      g_autofree char *group = specialty ? g_strdup_printf ("%s specialists", specialty)
                                         : g_strdup_printf ("%ss in %s", role, ward);
      g_autoptr(GString) people = g_string_new (self->first_assignee[i]);
      guint n = 1;

      if (g_hash_table_contains (done, group))
        continue;
      for (guint j = i + 1; j < G_N_ELEMENTS (cases); j++)
        {
          JsonObject *b = self->details[j];
          const char *ward_b = json_object_get_string_member (json_object_get_object_member (b, "location"), "ward");

          if (g_strcmp0 (role, json_object_get_string_member_with_default (b, "required_role", "?")) != 0 ||
              g_strcmp0 (specialty, json_object_get_string_member_with_default (b, "required_specialty", NULL)) != 0 ||
              (specialty == NULL && g_strcmp0 (ward, ward_b) != 0))
            continue;
          g_string_append_printf (people, ", %s", self->first_assignee[j]);
          n++;
        }
      if (n > 1)
        g_string_append_printf (text, "%s%s: %s", text->len ? "; " : "", group, people->str);
      g_hash_table_add (done, g_steal_pointer (&group));
    }
  return text->len ? g_string_free (g_steal_pointer (&text), FALSE) : g_strdup ("no two like incidents");
}

static void
all_answered (Multi *self)
{
  g_autofree char *balancing = load_balancing (self);

  hg_sim_summary_line (self->sim, "balancing:", "%s", balancing);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      JsonObject *incident = hg_sim_lookup (self->sim, self->ids[i]);
      g_autofree char *what = NULL;
      g_autofree char *who = NULL;

      if (!cases[i].unanswered)
        continue;
      what = hg_sim_describe (incident);
      who = hg_sim_describe_assignee (incident);
      if (g_str_has_prefix (who, self->first_assignee[i]))
        hg_sim_summary_line (self->sim, "no answer:", "%s: %s did not answer, and the server moved it to nobody "
                             "else within the wait (escalation level %" G_GINT64_FORMAT ")", what,
                             self->first_assignee[i],
                             json_object_get_int_member_with_default (incident, "escalation_level", 0));
      else
        hg_sim_summary_line (self->sim, "no answer:", "%s: %s did not answer; %s took it (escalation level %"
                             G_GINT64_FORMAT ")", what, self->first_assignee[i], who,
                             json_object_get_int_member_with_default (incident, "escalation_level", 0));
    }
  hg_sim_done (self->sim);
  multi_free (self);
}

static void
responded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Multi *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hg_sim_respond_finish (self->sim, result, &error))
    {
      /* The run is over; the other responses end with it. */
      hg_sim_fail (self->sim, error);
    }
  if (--self->pending == 0)
    {
      if (error != NULL)
        multi_free (self);
      else
        all_answered (self);
    }
}

static void
respond_all (Multi *self)
{
  const HgSimOptions *options = hg_sim_get_options (self->sim);

  self->pending = G_N_ELEMENTS (cases);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HgSimResponse response = {
        .until = HG_SIM_UNTIL_RESOLVED,
        .ack_after = cases[i].ack_after,
        .start_after = START_AFTER,
        .resolve_after = RESOLVE_AFTER,
        .resolve_note = cases[i].resolve_note,
        .wait_for_escalation = cases[i].unanswered ? options->escalation_wait : 0,
      };

      hg_sim_respond_async (self->sim, self->ids[i], &response, responded, self);
    }
}

static void
detail_fetched (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Multi *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self->sim, result, &error);
  JsonObject *incident;
  gint64 id;

  if (error != NULL)
    {
      hg_sim_fail (self->sim, error);
      if (--self->pending == 0)
        multi_free (self);
      return;
    }
  incident = json_node_get_object (answer);
  id = json_object_get_int_member (incident, "id");
  hg_sim_note_incident (self->sim, incident);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (self->ids[i] == id && self->details[i] == NULL)
      {
        self->details[i] = json_object_ref (incident);
        break;
      }
  if (--self->pending > 0)
    return;
  hg_sim_say (self->sim, "Routing:");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *what = hg_sim_describe (self->details[i]);

      hg_sim_say (self->sim, "  %s → %s", what, assignment_reason (self->details[i]));
    }
  {
    g_autofree char *balancing = load_balancing (self);

    hg_sim_say (self->sim, "Load balancing: %s", balancing);
  }
  hg_sim_watch (self->sim);
  respond_all (self);
}

static void
alerts_posted (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Multi *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_post_alert_finish (self->sim, result, &error);
  JsonArray *results;

  if (answer == NULL)
    {
      fail (self, error);
      return;
    }
  results = json_object_get_array_member (json_node_get_object (answer), "results");
  g_assert (json_array_get_length (results) == G_N_ELEMENTS (cases));
  self->pending = G_N_ELEMENTS (cases);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      JsonObject *incident = json_object_get_object_member (json_array_get_object_element (results, i), "incident");
      JsonNode *assignee = json_object_get_member (incident, "assignee");
      g_autofree char *path = NULL;

      self->ids[i] = json_object_get_int_member (incident, "id");
      self->first_assignee[i] = g_strdup (JSON_NODE_HOLDS_OBJECT (assignee)
                                            ? json_object_get_string_member (json_node_get_object (assignee), "id")
                                            : "nobody");
      path = g_strdup_printf (HG_API_PREFIX "/incidents/%" G_GINT64_FORMAT, self->ids[i]);
      hg_sim_request_async (self->sim, "GET", path, hg_sim_get_token (self->sim), NULL, detail_fetched, self);
    }
}

static void
post_alerts (Multi *self)
{
  g_autoptr(JsonArray) alerts = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const HgSimPatient *patient = hg_sim_demo_patient (cases[i].patient);
      g_autofree char *dedup = g_strdup_printf ("%s/%s", cases[i].patient, cases[i].type);
      JsonObject *alert = hg_sim_alert_new (self->sim, cases[i].type, cases[i].patient, dedup, cases[i].message);
      g_autofree char *source = g_strdup_printf ("%s-%s%s", g_str_has_prefix (cases[i].type, "CALL") ||
                                                   g_str_has_prefix (cases[i].type, "BED")
                                                   ? "bed" : "monitor",
                                                 patient->room, patient->bed);

      json_object_set_string_member (alert, "source", source);
      json_array_add_object_element (alerts, alert);
      hg_sim_say (self->sim, "%s %s (%s %s%s): %s: %s", patient->id, patient->name, patient->ward, patient->room,
                  patient->bed, cases[i].type, cases[i].message);
    }
  node = hg_json_node_new_array (g_steal_pointer (&alerts));
  hg_sim_say (self->sim, "All %u alerts go out at once, in one request", (guint) G_N_ELEMENTS (cases));
  hg_sim_post_alert_async (self->sim, node, alerts_posted, self);
}

static void
on_duty_fetched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Multi *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self->sim, result, &error);

  if (error != NULL)
    {
      fail (self, error);
      return;
    }
  hg_sim_say (self->sim, "%u staff on duty", json_array_get_length (json_object_get_array_member (
                                                json_node_get_object (answer), "staff")));
  post_alerts (self);
}

void
hg_sim_multi_start (HgSim *sim)
{
  Multi *self = g_new0 (Multi, 1);

  self->sim = g_object_ref (sim);
  hg_sim_request_async (sim, "GET", HG_API_PREFIX "/oncall/current", hg_sim_get_token (sim), NULL,
                        on_duty_fetched, self);
}
