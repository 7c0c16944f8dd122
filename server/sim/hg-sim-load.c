/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Sim"

#include "config.h"

#include <math.h>

#include "hg-error.h"
#include "hg-json.h"
#include "hg-protocol.h"
#include "hg-sim.h"

/* load: alerts at a steady --rate for --duration, each its own request
 * and its own condition (a dedup key of its own), in the mix a ward
 * sends: mostly call buttons, bed exits and equipment, now and then
 * something serious. It measures what the server accepted and how fast. */

static const struct {
  const char *type;
  guint       weight;
} mix[] = {
  { "CALL_BUTTON", 30 },
  { "BED_EXIT", 15 },
  { "LEADS_OFF", 12 },
  { "INFUSION_PUMP_OCCLUSION", 10 },
  { "MEDICATION_OVERDUE", 8 },
  { "SPO2_LOW", 8 },
  { "PAIN_UNCONTROLLED", 6 },
  { "ARRHYTHMIA", 5 },
  { "PATIENT_FALL", 4 },
  { "CARDIAC_ARREST", 1 },
  { "STROKE_SIGNS", 1 },
};

/* How often the sender catches up with the rate, and how often it says
 * how far it got (milliseconds). */
#define TICK_MS      5
#define PROGRESS_MS  1000
/* How long to wait for the last answers once the sending is over. */
#define DRAIN_S      60

typedef struct {
  HgSim      *sim;
  GRand      *rand;
  guint       weight_total;
  gint64      started_us;
  gint64      last_progress_us;
  guint       tick;
  guint       drain;
  guint64     due_total;    /* rate × duration */
  guint64     sent;
  guint64     answered;
  guint64     accepted;
  guint64     opened;
  guint64     deduplicated;
  GHashTable *refusals;     /* status (or 0: no answer) → count */
  GArray     *latencies;    /* ms of the accepted ones */
  double      send_seconds;
  gboolean    sending_over;
  gboolean    finished;
} Load;

static void
load_free (Load *self)
{
  g_rand_free (self->rand);
  g_hash_table_unref (self->refusals);
  g_array_unref (self->latencies);
  g_object_unref (self->sim);
  g_free (self);
}

static double
seconds_since (gint64 us)
{
  return (g_get_monotonic_time () - us) / (double) G_USEC_PER_SEC;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint rank;

  if (sorted->len == 0)
    return 0;
  rank = (guint) ceil (p * sorted->len);
  return g_array_index (sorted, double, CLAMP (rank, 1, sorted->len) - 1);
}

static char *
refusals_text (Load *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->refusals);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint status = GPOINTER_TO_UINT (key);

      if (status == 0)
        g_string_append_printf (text, "%s%u without an answer", text->len ? ", " : "", GPOINTER_TO_UINT (value));
      else
        g_string_append_printf (text, "%s%u × %u", text->len ? ", " : "", GPOINTER_TO_UINT (value), status);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
finish (Load *self)
{
  const HgSimOptions *options = hg_sim_get_options (self->sim);
  guint64 refused = self->answered - self->accepted;
  g_autofree char *refusals = refusals_text (self);

  self->finished = TRUE;
  g_clear_handle_id (&self->drain, g_source_remove);
  g_array_sort (self->latencies, compare_doubles);
  hg_sim_summary_line (self->sim, "asked:", "%.4g alerts a second for %.4g s: %" G_GUINT64_FORMAT " alerts",
                       options->rate, options->duration, self->due_total);
  hg_sim_summary_line (self->sim, "alerts:", "%" G_GUINT64_FORMAT " sent in %.2f s (%.2f a second), %"
                       G_GUINT64_FORMAT " accepted, %" G_GUINT64_FORMAT " refused%s%s%s",
                       self->sent, self->send_seconds, self->sent / MAX (self->send_seconds, 1e-3), self->accepted,
                       refused, refused ? " (" : "", refused ? refusals : "", refused ? ")" : "");
  hg_sim_summary_line (self->sim, "latency:", "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                       percentile (self->latencies, 0.5), percentile (self->latencies, 0.9),
                       percentile (self->latencies, 0.99), percentile (self->latencies, 1.0));
  hg_sim_summary_line (self->sim, "incidents:", "%" G_GUINT64_FORMAT " opened, %" G_GUINT64_FORMAT
                       " deduplicated, left open: nobody answers a load test, so MTTA and escalations are "
                       "the server's own (below)", self->opened, self->deduplicated);
  hg_sim_done (self->sim);
  load_free (self);
}

static void
progress (Load *self)
{
  hg_sim_say (self->sim, "%" G_GUINT64_FORMAT " sent, %" G_GUINT64_FORMAT " accepted, %" G_GUINT64_FORMAT
              " refused, %" G_GUINT64_FORMAT " under way", self->sent, self->accepted,
              self->answered - self->accepted, self->sent - self->answered);
  self->last_progress_us = g_get_monotonic_time ();
}

static void
maybe_finish (Load *self)
{
  if (self->sending_over && self->answered == self->sent && !self->finished)
    {
      progress (self);
      finish (self);
    }
}

static void
posted (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Load *self = user_data;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  double ms = 0;
  g_autoptr(JsonNode) answer = hg_sim_request_finish_full (self->sim, result, &status, &ms, &error);

  self->answered++;
  if (error != NULL)
    {
      gpointer count = g_hash_table_lookup (self->refusals, GUINT_TO_POINTER (status));

      g_hash_table_insert (self->refusals, GUINT_TO_POINTER (status), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
      /* The first of each kind is worth telling; a flood of them is not. */
      if (count == NULL)
        g_message ("Alert refused: %s", error->message);
    }
  else
    {
      self->accepted++;
      g_array_append_val (self->latencies, ms);
      if (json_object_get_boolean_member_with_default (json_node_get_object (answer), "deduplicated", FALSE))
        self->deduplicated++;
      else
        self->opened++;
    }
  maybe_finish (self);
}

static const char *
pick_type (Load *self)
{
  guint n = g_rand_int_range (self->rand, 0, self->weight_total);

  for (guint i = 0; i < G_N_ELEMENTS (mix); i++)
    {
      if (n < mix[i].weight)
        return mix[i].type;
      n -= mix[i].weight;
    }
  return mix[0].type;
}

static void
send_one (Load *self)
{
  guint n_patients;
  const HgSimPatient *patients = hg_sim_demo_patients (&n_patients);
  const HgSimPatient *patient = &patients[self->sent % n_patients];
  const char *type = pick_type (self);
  g_autofree char *dedup = g_strdup_printf ("load/%" G_GUINT64_FORMAT, self->sent);
  g_autofree char *message = g_strdup_printf ("Load test alert %" G_GUINT64_FORMAT, self->sent + 1);
  JsonObject *alert = hg_sim_alert_new (self->sim, type, patient->id, dedup, message);
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (alert, "source", "healthguard-sim-load");
  node = hg_json_node_new_object (alert);
  self->sent++;
  hg_sim_request_async (self->sim, "POST", HG_API_PREFIX "/alerts", hg_sim_get_poster (self->sim), node, posted,
                        self);
}

static gboolean
drain_timeout (gpointer user_data)
{
  Load *self = user_data;
  g_autoptr(GError) error = NULL;

  self->drain = 0;
  g_set_error (&error, HG_ERROR, HG_ERROR_UNAVAILABLE, "%" G_GUINT64_FORMAT " alerts still unanswered %d s after "
               "the last was sent", self->sent - self->answered, DRAIN_S);
  hg_sim_fail (self->sim, error);
  return G_SOURCE_REMOVE;
}

/* Sends whatever the rate calls for by now: a late tick catches up. */
static gboolean
tick (gpointer user_data)
{
  Load *self = user_data;
  const HgSimOptions *options = hg_sim_get_options (self->sim);
  double elapsed = MIN (seconds_since (self->started_us), options->duration);
  guint64 due = MIN ((guint64) floor (elapsed * options->rate) + 1, self->due_total);

  while (self->sent < due)
    send_one (self);
  if (g_get_monotonic_time () - self->last_progress_us >= PROGRESS_MS * 1000)
    progress (self);
  if (self->sent < self->due_total)
    return G_SOURCE_CONTINUE;
  /* The k-th alert is due at k / rate: the window is the duration, or
   * longer if the sending fell behind. */
  self->send_seconds = MAX (seconds_since (self->started_us), options->duration);
  self->sending_over = TRUE;
  self->tick = 0;
  hg_sim_say (self->sim, "All %" G_GUINT64_FORMAT " alerts sent; waiting for the last answers", self->sent);
  self->drain = g_timeout_add_seconds (DRAIN_S, drain_timeout, self);
  maybe_finish (self);
  return G_SOURCE_REMOVE;
}

void
hg_sim_load_start (HgSim *sim)
{
  Load *self = g_new0 (Load, 1);
  const HgSimOptions *options = hg_sim_get_options (sim);

  self->sim = g_object_ref (sim);
  self->rand = g_rand_new_with_seed (g_str_hash (hg_sim_get_run_id (sim)));
  self->refusals = g_hash_table_new (NULL, NULL);
  self->latencies = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < G_N_ELEMENTS (mix); i++)
    self->weight_total += mix[i].weight;
  /* The first alert goes at 0 s and the last within the duration. */
  self->due_total = MAX ((guint64) ceil (options->rate * options->duration - 1e-9), 1);
  hg_sim_say (sim, "Load: %.4g alerts a second for %.4g s, %" G_GUINT64_FORMAT " alerts, each its own request",
              options->rate, options->duration, self->due_total);
  self->started_us = g_get_monotonic_time ();
  self->last_progress_us = self->started_us;
  self->tick = g_timeout_add (TICK_MS, tick, self);
}
