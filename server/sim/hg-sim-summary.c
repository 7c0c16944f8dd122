/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Sim"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hg-error.h"
#include "hg-protocol.h"
#include "hg-sim-private.h"

/* How often the watcher looks at the incidents (wall clock). */
#define WATCH_INTERVAL_MS 250

static const char *severities[] = { "critical", "high", "medium", "low" };

/* --- Tracking ---------------------------------------------------------- */

void
hg_sim_track (HgSim      *self,
              JsonObject *incident)
{
  gint64 id = json_object_get_int_member_with_default (incident, "id", 0);

  if (id <= 0)
    return;
  g_hash_table_replace (self->incidents, g_memdup2 (&id, sizeof id), json_object_ref (incident));
}

JsonObject *
hg_sim_lookup (HgSim  *self,
               gint64  id)
{
  return g_hash_table_lookup (self->incidents, &id);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

GArray *
hg_sim_tracked_ids (HgSim *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->incidents);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);
  g_array_sort (ids, compare_ids);
  return ids;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, name)) == NULL ||
      JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, name)) == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

char *
hg_sim_describe (JsonObject *incident)
{
  JsonObject *location = member_object (incident, "location");
  JsonObject *patient = member_object (incident, "patient");
  const char *patient_id = member_string (patient, "id");

  return g_strdup_printf ("#%" G_GINT64_FORMAT " %s (%s, %s%s%s %s%s)",
                          json_object_get_int_member_with_default (incident, "id", 0),
                          member_string (incident, "title") ?: "?",
                          member_string (incident, "severity") ?: "?",
                          patient_id ?: "", patient_id ? ", " : "",
                          member_string (location, "ward") ?: "no ward",
                          member_string (location, "room") ?: "",
                          member_string (location, "bed") ?: "");
}

char *
hg_sim_describe_assignee (JsonObject *incident)
{
  JsonObject *assignee = member_object (incident, "assignee");

  if (assignee == NULL)
    return g_strdup ("nobody");
  return g_strdup_printf ("%s %s", member_string (assignee, "id") ?: "?", member_string (assignee, "name") ?: "?");
}

/* --- What the server does by itself ----------------------------------- */

static const struct {
  const char *action;
  const char *words;
} server_steps[] = {
  { "reminded", "the server reminds the assignee" },
  { "escalated", "the server escalates it" },
  { "supervisors_alerted", "the server alerts the supervisors" },
  { "start_overdue", "start overdue" },
  { "handover", "handed over" },
  { "handover_failed", "handover failed: nobody may take it" },
  { "unassigned", "nobody on duty may take it" },
};

static const char *
server_step_words (const char *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (server_steps); i++)
    if (g_strcmp0 (server_steps[i].action, action) == 0)
      return server_steps[i].words;
  return NULL;
}

void
hg_sim_note_incident (HgSim      *self,
                      JsonObject *incident)
{
  JsonNode *timeline = json_object_get_member (incident, "timeline");
  g_autofree char *what = hg_sim_describe (incident);
  JsonArray *entries;

  hg_sim_track (self, incident);
  if (timeline == NULL || !JSON_NODE_HOLDS_ARRAY (timeline))
    return;
  entries = json_node_get_array (timeline);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      gint64 id = json_object_get_int_member_with_default (entry, "id", 0);
      const char *words = server_step_words (member_string (entry, "action"));
      const char *detail = member_string (entry, "detail");

      if (g_hash_table_contains (self->seen_entries, &id))
        continue;
      g_hash_table_add (self->seen_entries, g_memdup2 (&id, sizeof id));
      if (words == NULL || member_object (entry, "actor") != NULL)
        continue;
      hg_sim_say (self, "%s: %s%s%s", what, words, detail ? ": " : "", detail ? detail : "");
    }
}

static void watch_poll (HgSim *self);

static gboolean
watch_again (gpointer user_data)
{
  g_autoptr(HgSim) self = user_data;

  watch_poll (self);
  return G_SOURCE_REMOVE;
}

static void
watch_fetched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  HgSim *self = HG_SIM (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self, result, &error);

  if (error != NULL)
    g_debug ("Watching: %s", error->message);
  else if (self->watching)
    hg_sim_note_incident (self, json_node_get_object (answer));
  if (--self->watch_pending == 0 && self->watching)
    g_timeout_add (WATCH_INTERVAL_MS, watch_again, g_object_ref (self));
}

static void
watch_poll (HgSim *self)
{
  g_autoptr(GArray) ids = hg_sim_tracked_ids (self);

  if (!self->watching)
    return;
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autofree char *path = NULL;

      if (g_strcmp0 (member_string (hg_sim_lookup (self, id), "status"), "resolved") == 0)
        continue;
      path = g_strdup_printf (HG_API_PREFIX "/incidents/%" G_GINT64_FORMAT, id);
      self->watch_pending++;
      hg_sim_request_async (self, "GET", path, self->token, NULL, watch_fetched, NULL);
    }
  if (self->watch_pending == 0)
    g_timeout_add (WATCH_INTERVAL_MS, watch_again, g_object_ref (self));
}

void
hg_sim_watch (HgSim *self)
{
  if (self->watching)
    return;
  self->watching = TRUE;
  g_timeout_add (WATCH_INTERVAL_MS, watch_again, g_object_ref (self));
}

/* --- The summary ------------------------------------------------------- */

typedef struct {
  guint   pending;
  GError *error;
} Summary;

static void
summary_free (gpointer data)
{
  Summary *summary = data;

  g_clear_error (&summary->error);
  g_free (summary);
}

static char *
seconds (double s)
{
  if (s < 10)
    return g_strdup_printf ("%.2f s", s);
  return g_strdup_printf ("%.1f s", s);
}

/* "mean 1.20 s, max 2.40 s" of @values, or NULL. */
static char *
mean_and_max (GArray *values)
{
  double sum = 0;
  double max = 0;
  g_autofree char *mean_text = NULL;
  g_autofree char *max_text = NULL;

  if (values->len == 0)
    return NULL;
  for (guint i = 0; i < values->len; i++)
    {
      sum += g_array_index (values, double, i);
      max = MAX (max, g_array_index (values, double, i));
    }
  mean_text = seconds (sum / values->len);
  max_text = seconds (max);
  return g_strdup_printf ("mean %s, max %s", mean_text, max_text);
}

static guint
count_timeline (JsonObject *incident,
                const char *action)
{
  JsonArray *entries = json_object_get_array_member (incident, "timeline");
  guint n = 0;

  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    if (g_strcmp0 (member_string (json_array_get_object_element (entries, i), "action"), action) == 0)
      n++;
  return n;
}

static void
print_incident_line (JsonObject *incident)
{
  g_autofree char *what = hg_sim_describe (incident);
  g_autofree char *who = hg_sim_describe_assignee (incident);
  gint64 alerts = json_object_get_int_member_with_default (incident, "alert_count", 0);

  g_print ("    %s → %s, %s, %" G_GINT64_FORMAT " alert%s, escalation level %" G_GINT64_FORMAT "\n", what, who,
           member_string (incident, "status") ?: "?", alerts, alerts == 1 ? "" : "s",
           json_object_get_int_member_with_default (incident, "escalation_level", 0));
}

/* Counts, severities, wards, assignees, MTTA, MTTR, escalations. */
static void
print_incidents (HgSim *self)
{
  g_autoptr(GArray) ids = hg_sim_tracked_ids (self);
  g_autoptr(GArray) mtta = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) mttr = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GHashTable) wards = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) assignees = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) by_severity = g_string_new (NULL);
  g_autofree char *mtta_text = NULL;
  g_autofree char *mttr_text = NULL;
  guint severity_count[G_N_ELEMENTS (severities)] = { 0 };
  guint reminded = 0, escalated = 0, supervisors = 0, overdue = 0, handovers = 0, failed = 0;
  gint64 levels = 0;

  if (self->alerts_posted > 0)
    g_print ("  %-14s %u posted (%u ending a condition), %u deduplicated\n", "alerts:", self->alerts_posted,
             self->alerts_ended, self->alerts_deduplicated);
  for (guint i = 0; i < ids->len; i++)
    {
      JsonObject *incident = hg_sim_lookup (self, g_array_index (ids, gint64, i));
      JsonObject *assignee = member_object (incident, "assignee");
      const char *ward = member_string (member_object (incident, "location"), "ward");
      gint64 created = hg_sim_time_member (incident, "created_at");
      gint64 acknowledged = hg_sim_time_member (incident, "acknowledged_at");
      gint64 resolved = hg_sim_time_member (incident, "resolved_at");

      for (guint s = 0; s < G_N_ELEMENTS (severities); s++)
        if (g_strcmp0 (member_string (incident, "severity"), severities[s]) == 0)
          severity_count[s]++;
      if (ward != NULL)
        g_hash_table_add (wards, (gpointer) ward);
      if (assignee != NULL && member_string (assignee, "id") != NULL)
        g_hash_table_add (assignees, (gpointer) member_string (assignee, "id"));
      if (acknowledged != 0)
        g_array_append_vals (mtta, &(double) { (acknowledged - created) / 1000.0 }, 1);
      if (resolved != 0)
        g_array_append_vals (mttr, &(double) { (resolved - created) / 1000.0 }, 1);
      levels += json_object_get_int_member_with_default (incident, "escalation_level", 0);
      reminded += count_timeline (incident, "reminded");
      escalated += count_timeline (incident, "escalated");
      supervisors += count_timeline (incident, "supervisors_alerted");
      overdue += count_timeline (incident, "start_overdue");
      handovers += count_timeline (incident, "handover");
      failed += count_timeline (incident, "handover_failed");
    }
  for (guint s = 0; s < G_N_ELEMENTS (severities); s++)
    if (severity_count[s] > 0)
      g_string_append_printf (by_severity, "%s%s %u", by_severity->len ? ", " : "", severities[s],
                              severity_count[s]);
  g_print ("  %-14s %u%s%s%s in %u ward%s\n", "incidents:", ids->len, by_severity->len ? " (" : "",
           by_severity->str, by_severity->len ? ")" : "", g_hash_table_size (wards),
           g_hash_table_size (wards) == 1 ? "" : "s");
  for (guint i = 0; i < ids->len; i++)
    print_incident_line (hg_sim_lookup (self, g_array_index (ids, gint64, i)));
  g_print ("  %-14s %u different staff\n", "assignees:", g_hash_table_size (assignees));
  mtta_text = mean_and_max (mtta);
  mttr_text = mean_and_max (mttr);
  g_print ("  %-14s %u of %u%s%s\n", "acknowledged:", mtta->len, ids->len, mtta_text ? ", MTTA " : ", MTTA –",
           mtta_text ? mtta_text : "");
  g_print ("  %-14s %u of %u%s%s\n", "resolved:", mttr->len, ids->len, mttr_text ? ", MTTR " : "",
           mttr_text ? mttr_text : "");
  g_print ("  %-14s %" G_GINT64_FORMAT " (%u reminder%s, %u escalated, %u supervisors alerted, %u start overdue)\n",
           "escalations:", levels, reminded, reminded == 1 ? "" : "s", escalated, supervisors, overdue);
  if (handovers + failed > 0)
    g_print ("  %-14s %u handed over, %u failed\n", "handovers:", handovers, failed);
}

static void
print_server_stats (HgSim      *self,
                    JsonObject *stats,
                    gint64      window)
{
  JsonObject *mtta = member_object (stats, "mtta");
  JsonObject *mttr = member_object (stats, "mttr");
  g_autofree char *mtta_text = NULL;
  g_autofree char *mttr_text = NULL;

  if (mtta != NULL && json_object_get_int_member_with_default (mtta, "count", 0) > 0)
    mtta_text = seconds (json_object_get_double_member_with_default (mtta, "mean", 0));
  if (mttr != NULL && json_object_get_int_member_with_default (mttr, "count", 0) > 0)
    mttr_text = seconds (json_object_get_double_member_with_default (mttr, "mean", 0));
  gint64 total = json_object_get_int_member_with_default (stats, "total", 0);

  g_print ("  %-14s last %" G_GINT64_FORMAT " s: %" G_GINT64_FORMAT " incident%s created, "
           "%" G_GINT64_FORMAT " acknowledged (MTTA %s), %" G_GINT64_FORMAT " resolved (MTTR %s)\n",
           "server:", window, total, total == 1 ? "" : "s",
           mtta ? json_object_get_int_member_with_default (mtta, "count", 0) : 0, mtta_text ? mtta_text : "–",
           mttr ? json_object_get_int_member_with_default (mttr, "count", 0) : 0, mttr_text ? mttr_text : "–");
}

static gint64
stats_window (HgSim *self)
{
  return (gint64) ceil (hg_sim_elapsed (self)) + 1;
}

static void
stats_fetched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HgSim *self = HG_SIM (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self, result, &error);
  gint64 window = GPOINTER_TO_SIZE (g_task_get_task_data (task));

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_print ("\nSummary: %s, run %s, %.1f s\n", self->scenario, self->run_id, hg_sim_elapsed (self));
  if (g_hash_table_size (self->incidents) > 0 || self->alerts_posted > 0)
    print_incidents (self);
  for (guint i = 0; i < self->summary_lines->len; i++)
    g_print ("%s\n", (const char *) self->summary_lines->pdata[i]);
  print_server_stats (self, json_node_get_object (answer), window);
  g_task_return_boolean (task, TRUE);
}

static void
fetch_stats (HgSim *self,
             GTask *task)
{
  gint64 window = stats_window (self);
  g_autofree char *path = g_strdup_printf (HG_API_PREFIX "/incidents/stats?window=%" G_GINT64_FORMAT, window);

  g_task_set_task_data (task, GSIZE_TO_POINTER (window), NULL);
  hg_sim_request_async (self, "GET", path, self->token, NULL, stats_fetched, task);
}

static void
incident_refetched (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  HgSim *self = HG_SIM (source);
  Summary *summary = g_object_get_data (G_OBJECT (task), "summary");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self, result, &error);

  if (error != NULL && summary->error == NULL)
    summary->error = g_steal_pointer (&error);
  else if (answer != NULL)
    hg_sim_note_incident (self, json_node_get_object (answer));
  if (--summary->pending > 0)
    return;
  if (summary->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&summary->error));
      g_object_unref (task);
      return;
    }
  fetch_stats (self, task);
}

void
hg_sim_summarize_async (HgSim               *self,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  g_autoptr(GArray) ids = hg_sim_tracked_ids (self);
  Summary *summary = g_new0 (Summary, 1);

  g_task_set_source_tag (task, hg_sim_summarize_async);
  g_object_set_data_full (G_OBJECT (task), "summary", summary, summary_free);
  if (ids->len == 0)
    {
      fetch_stats (self, task);
      return;
    }
  /* The summary is the server's state, not what the run remembers. */
  summary->pending = ids->len;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *path = g_strdup_printf (HG_API_PREFIX "/incidents/%" G_GINT64_FORMAT,
                                               g_array_index (ids, gint64, i));

      hg_sim_request_async (self, "GET", path, self->token, NULL, incident_refetched, task);
    }
}

gboolean
hg_sim_summarize_finish (HgSim         *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
