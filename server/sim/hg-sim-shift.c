/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Sim"

#include "config.h"

#include <string.h>

#include "hg-error.h"
#include "hg-json.h"
#include "hg-protocol.h"
#include "hg-sim.h"
#include "hg-types.h"

/* shift: a nurse's shift ends while they still hold incidents, one in
 * progress, one acknowledged and one not yet. The charge nurse ends the
 * shift; in the same transaction the server hands each incident to the
 * best person on duty, who answers it. The nurse is then put back on the
 * rota, so that the demo hospital stays staffed. */

static const struct {
  const char *type;
  const char *message;
  HgSimUntil  leaver_gets_to;
  gboolean    leaver_answers;
} cases[] = {
  { "PATIENT_FALL", "Found sitting on the floor by the bathroom", HG_SIM_UNTIL_STARTED, TRUE },
  { "PAIN_UNCONTROLLED", "Pain 8/10 despite regular analgesia", HG_SIM_UNTIL_ACKNOWLEDGED, TRUE },
  { "MEDICATION_OVERDUE", "Evening antibiotics due 30 minutes ago", HG_SIM_UNTIL_ACKNOWLEDGED, FALSE },
};

#define N_CASES         G_N_ELEMENTS (cases)
#define SHIFT_END_AFTER 10.0
/* Shifts are at most 7 days long (POST /api/v1/schedules). */
#define MAX_SHIFT_MS    (G_GINT64_CONSTANT (7) * 24 * 3600 * 1000)

typedef struct {
  HgSim      *sim;
  JsonObject *leaver;
  gint64      shift_id;
  gint64      shift_ends_ms;
  gint64      ids[N_CASES];
  char       *held_as[N_CASES];     /* the status each was in at the end of the shift */
  guint       pending;
  gboolean    failed;
} Shift;

static void
shift_free (Shift *self)
{
  g_clear_pointer (&self->leaver, json_object_unref);
  for (guint i = 0; i < N_CASES; i++)
    g_free (self->held_as[i]);
  g_object_unref (self->sim);
  g_free (self);
}

/* Ends the run; the state is freed once nothing is under way for it. */
static void
fail (Shift        *self,
      const GError *error)
{
  hg_sim_fail (self->sim, error);
  self->failed = TRUE;
  if (self->pending == 0)
    shift_free (self);
}

/* Counts down one of several parallel steps; TRUE when the last is done
 * and the run goes on. */
static gboolean
one_done (Shift        *self,
          const GError *error)
{
  if (error != NULL && !self->failed)
    {
      hg_sim_fail (self->sim, error);
      self->failed = TRUE;
    }
  if (--self->pending > 0)
    return FALSE;
  if (self->failed)
    {
      shift_free (self);
      return FALSE;
    }
  return TRUE;
}

static const char *
leaver_id (Shift *self)
{
  return json_object_get_string_member (self->leaver, "id");
}

static const char *
assignee_id (JsonObject *incident)
{
  JsonNode *assignee = json_object_get_member (incident, "assignee");

  if (assignee == NULL || !JSON_NODE_HOLDS_OBJECT (assignee))
    return NULL;
  return json_object_get_string_member (json_node_get_object (assignee), "id");
}

/* --- 5. The leaver back on the rota, and the summary ------------------ */

static void
finish (Shift *self)
{
  g_autoptr(GString) held = g_string_new (NULL);
  g_autoptr(GString) receivers = g_string_new (NULL);
  guint handed = 0;

  for (guint i = 0; i < N_CASES; i++)
    {
      JsonObject *incident = hg_sim_lookup (self->sim, self->ids[i]);
      const char *holder = assignee_id (incident);

      g_string_append_printf (held, "%s#%" G_GINT64_FORMAT " %s", i ? ", " : "", self->ids[i], self->held_as[i]);
      if (holder != NULL && g_strcmp0 (holder, leaver_id (self)) != 0)
        {
          handed++;
          g_string_append_printf (receivers, "%s#%" G_GINT64_FORMAT " to %s", receivers->len ? ", " : "",
                                  self->ids[i], holder);
        }
    }
  hg_sim_summary_line (self->sim, "shift:", "%s %s's shift ended holding %u incidents (%s)", leaver_id (self),
                       json_object_get_string_member (self->leaver, "name"), (guint) N_CASES, held->str);
  hg_sim_summary_line (self->sim, "taken over:", "%u of %u by the next shift (%s)", handed, (guint) N_CASES,
                       receivers->len ? receivers->str : "none");
  hg_sim_done (self->sim);
  shift_free (self);
}

static void
shift_restored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Shift *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self->sim, result, &error);
  JsonObject *shift;

  if (error != NULL)
    {
      fail (self, error);
      return;
    }
  shift = json_node_get_object (answer);
  hg_sim_say (self->sim, "%s is back on the rota (shift #%" G_GINT64_FORMAT " until %s), so that the demo "
              "hospital stays staffed", leaver_id (self), json_object_get_int_member (shift, "id"),
              json_object_get_string_member (shift, "ends_at"));
  finish (self);
}

static void
restore_shift (Shift *self)
{
  gint64 now = g_get_real_time () / 1000;
  gint64 ends = MIN (self->shift_ends_ms, now + MAX_SHIFT_MS - 60 * 1000);
  g_autofree char *starts_at = hg_time_format (now);
  g_autofree char *ends_at = hg_time_format (ends);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  if (ends <= now + 60 * 1000)
    {
      finish (self);
      return;
    }
  json_object_set_string_member (body, "staff_id", leaver_id (self));
  json_object_set_string_member (body, "starts_at", starts_at);
  json_object_set_string_member (body, "ends_at", ends_at);
  node = hg_json_node_new_object (g_steal_pointer (&body));
  hg_sim_request_async (self->sim, "POST", HG_API_PREFIX "/schedules", hg_sim_get_token (self->sim), node,
                        shift_restored, self);
}

/* --- 4. The next shift answers ----------------------------------------- */

static void
taken_over (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Shift *self = user_data;
  g_autoptr(GError) error = NULL;

  hg_sim_respond_finish (self->sim, result, &error);
  if (one_done (self, error))
    restore_shift (self);
}

static void
handover_seen (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Shift *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self->sim, result, &error);
  HgSimResponse response = {
    .until = HG_SIM_UNTIL_RESOLVED,
    .ack_after = 3,
    .start_after = 3,
    .resolve_after = 8,
    .resolve_note = "Seen on the night round; settled",
  };

  if (answer != NULL)
    hg_sim_note_incident (self->sim, json_node_get_object (answer));
  if (!one_done (self, error))
    return;
  self->pending = N_CASES;
  for (guint i = 0; i < N_CASES; i++)
    hg_sim_respond_async (self->sim, self->ids[i], &response, taken_over, self);
}

/* --- 3. The end of the shift ------------------------------------------ */

static void
shift_ended (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Shift *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self->sim, result, &error);

  if (error != NULL)
    {
      fail (self, error);
      return;
    }
  hg_sim_say (self->sim, "%s is off duty; the server hands over what they held:", leaver_id (self));
  self->pending = N_CASES;
  for (guint i = 0; i < N_CASES; i++)
    {
      g_autofree char *path = g_strdup_printf (HG_API_PREFIX "/incidents/%" G_GINT64_FORMAT, self->ids[i]);

      hg_sim_request_async (self->sim, "GET", path, hg_sim_get_token (self->sim), NULL, handover_seen, self);
    }
}

static void
end_of_shift (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Shift *self = user_data;
  JsonObject *staff = hg_sim_get_staff (self->sim);
  g_autofree char *path = g_strdup_printf (HG_API_PREFIX "/schedules/%" G_GINT64_FORMAT, self->shift_id);

  hg_sim_sleep_finish (self->sim, result);
  for (guint i = 0; i < N_CASES; i++)
    self->held_as[i] = g_strdup (json_object_get_string_member (hg_sim_lookup (self->sim, self->ids[i]), "status"));
  hg_sim_say (self->sim, "End of the shift: %s %s ends %s's shift #%" G_GINT64_FORMAT,
              json_object_get_string_member (staff, "id"), json_object_get_string_member (staff, "name"),
              leaver_id (self), self->shift_id);
  hg_sim_request_async (self->sim, "DELETE", path, hg_sim_get_token (self->sim), NULL, shift_ended, self);
}

/* --- 2. The leaver's incidents, and their work on them ----------------- */

static void
worked (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Shift *self = user_data;
  g_autoptr(GError) error = NULL;

  hg_sim_respond_finish (self->sim, result, &error);
  if (one_done (self, error))
    hg_sim_sleep_async (self->sim, SHIFT_END_AFTER, end_of_shift, self);
}

static void
leaver_works (Shift *self)
{
  self->pending = 0;
  for (guint i = 0; i < N_CASES; i++)
    self->pending += cases[i].leaver_answers;
  for (guint i = 0; i < N_CASES; i++)
    {
      HgSimResponse response = {
        .until = cases[i].leaver_gets_to,
        .ack_after = 2 + 2 * i,
        .start_after = 3,
        .start_reason = "With the patient",
      };

      if (cases[i].leaver_answers)
        hg_sim_respond_async (self->sim, self->ids[i], &response, worked, self);
    }
}

static void
reassigned (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Shift *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self->sim, result, &error);

  if (answer != NULL)
    hg_sim_track (self->sim, json_node_get_object (answer));
  if (one_done (self, error))
    leaver_works (self);
}

/* The charge nurse gives the leaver the incidents routing gave others:
 * these are the leaver's patients this shift. */
static void
allocate (Shift *self)
{
  g_autofree char *reason = g_strdup_printf ("%s has these patients this shift", leaver_id (self));

  self->pending = 1;
  for (guint i = 0; i < N_CASES; i++)
    {
      JsonObject *incident = hg_sim_lookup (self->sim, self->ids[i]);
      g_autofree char *what = hg_sim_describe (incident);
      g_autofree char *path = NULL;
      g_autoptr(JsonObject) body = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (g_strcmp0 (assignee_id (incident), leaver_id (self)) == 0)
        continue;
      body = json_object_new ();
      json_object_set_string_member (body, "staff_id", leaver_id (self));
      json_object_set_string_member (body, "reason", reason);
      node = hg_json_node_new_object (g_steal_pointer (&body));
      path = g_strdup_printf (HG_API_PREFIX "/incidents/%" G_GINT64_FORMAT "/reassign", self->ids[i]);
      hg_sim_say (self->sim, "The charge nurse gives %s to %s: %s", what, leaver_id (self), reason);
      self->pending++;
      hg_sim_request_async (self->sim, "POST", path, hg_sim_get_token (self->sim), node, reassigned, self);
    }
  if (one_done (self, NULL))
    leaver_works (self);
}

static void
alerts_posted (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Shift *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_post_alert_finish (self->sim, result, &error);
  JsonArray *results;

  if (answer == NULL)
    {
      fail (self, error);
      return;
    }
  results = json_object_get_array_member (json_node_get_object (answer), "results");
  for (guint i = 0; i < N_CASES; i++)
    {
      JsonObject *incident = json_object_get_object_member (json_array_get_object_element (results, i), "incident");
      g_autofree char *what = hg_sim_describe (incident);
      g_autofree char *who = hg_sim_describe_assignee (incident);

      self->ids[i] = json_object_get_int_member (incident, "id");
      hg_sim_say (self->sim, "  %s → %s", what, who);
    }
  allocate (self);
}

static void
post_alerts (Shift *self)
{
  const char *ward = json_object_get_string_member_with_default (self->leaver, "ward", NULL);
  const HgSimPatient *all;
  const HgSimPatient *mine[N_CASES];
  guint n_all;
  guint n = 0;
  g_autoptr(JsonArray) alerts = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  all = hg_sim_demo_patients (&n_all);
  for (guint i = 0; i < n_all && n < N_CASES; i++)
    if (g_strcmp0 (all[i].ward, ward) == 0)
      mine[n++] = &all[i];
  for (guint i = 0; n == 0 && i < N_CASES; i++)
    mine[i] = &all[i];
  n = MAX (n, 1);
  for (guint i = 0; i < N_CASES; i++)
    {
      const HgSimPatient *patient = mine[i % n];
      g_autofree char *dedup = g_strdup_printf ("%s/%s", patient->id, cases[i].type);

      json_array_add_object_element (alerts, hg_sim_alert_new (self->sim, cases[i].type, patient->id, dedup,
                                                               cases[i].message));
    }
  node = hg_json_node_new_array (g_steal_pointer (&alerts));
  hg_sim_say (self->sim, "During the shift, %s's patients call:", leaver_id (self));
  hg_sim_post_alert_async (self->sim, node, alerts_posted, self);
}

/* --- 1. Who leaves, and which shift ----------------------------------- */

static void
shifts_fetched (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Shift *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self->sim, result, &error);
  JsonArray *shifts;
  gint64 now = g_get_real_time () / 1000;

  if (error != NULL)
    {
      fail (self, error);
      return;
    }
  shifts = json_object_get_array_member (json_node_get_object (answer), "shifts");
  for (guint i = 0; i < json_array_get_length (shifts) && self->shift_id == 0; i++)
    {
      JsonObject *shift = json_array_get_object_element (shifts, i);

      if (hg_sim_time_member (shift, "starts_at") <= now && now < hg_sim_time_member (shift, "ends_at"))
        {
          self->shift_id = json_object_get_int_member (shift, "id");
          self->shift_ends_ms = hg_sim_time_member (shift, "ends_at");
        }
    }
  if (self->shift_id == 0)
    {
      g_set_error (&error, HG_ERROR, HG_ERROR_CONFLICT, "%s is on no running shift: nothing to end",
                   leaver_id (self));
      fail (self, error);
      return;
    }
  hg_sim_say (self->sim, "%s %s (%s, %s) is on shift #%" G_GINT64_FORMAT, leaver_id (self),
              json_object_get_string_member (self->leaver, "name"),
              json_object_get_string_member (self->leaver, "role"),
              json_object_get_string_member_with_default (self->leaver, "ward", "no ward"), self->shift_id);
  post_alerts (self);
}

static void
leaver_fetched (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Shift *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self->sim, result, &error);
  g_autofree char *path = NULL;

  if (error != NULL)
    {
      fail (self, error);
      return;
    }
  self->leaver = json_object_ref (json_node_get_object (answer));
  path = g_strdup_printf (HG_API_PREFIX "/schedules?staff_id=%s", leaver_id (self));
  hg_sim_request_async (self->sim, "GET", path, hg_sim_get_token (self->sim), NULL, shifts_fetched, self);
}

void
hg_sim_shift_start (HgSim *sim)
{
  Shift *self = g_new0 (Shift, 1);
  const char *role = json_object_get_string_member (hg_sim_get_staff (sim), "role");
  const char *leaving = hg_sim_get_options (sim)->leaving;
  g_autofree char *escaped = g_uri_escape_string (leaving, NULL, FALSE);
  g_autofree char *path = g_strdup_printf (HG_API_PREFIX "/staff/%s", escaped);

  self->sim = g_object_ref (sim);
  if (g_strcmp0 (role, "charge_nurse") != 0 && g_strcmp0 (role, "admin") != 0)
    {
      g_autoptr(GError) error = NULL;

      g_set_error (&error, HG_ERROR, HG_ERROR_FORBIDDEN, "the shift scenario ends a shift, which takes a charge "
                   "nurse or an admin: sign in with --staff as one (%s is a %s)",
                   hg_sim_get_options (sim)->staff_id, role);
      fail (self, error);
      return;
    }
  hg_sim_watch (sim);
  hg_sim_request_async (sim, "GET", path, hg_sim_get_token (sim), NULL, leaver_fetched, self);
}
