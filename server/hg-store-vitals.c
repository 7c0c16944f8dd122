/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Store"

#include "config.h"

#include "hg-error.h"
#include "hg-news2.h"
#include "hg-protocol.h"
#include "hg-store-private.h"

/* Vital signs: each observation is scored (NEWS2) and stored with its
 * scores; one that calls for a response raises its alert in the same job. */

#define VITALS_COLUMNS \
  "id, patient_id, observed_at, received_at, recorded_by, respiration_rate, spo2, spo2_scale," \
  " on_oxygen, systolic_bp, pulse, consciousness, temperature, respiration_rate_score," \
  " spo2_score, on_oxygen_score, systolic_bp_score, pulse_score, consciousness_score," \
  " temperature_score, score, band, alert_id"

void
hg_vitals_result_free (HgVitalsResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->observation, hg_observation_free);
  g_clear_pointer (&result->alert, hg_ingest_result_free);
  g_free (result);
}

static HgObservation *
observation_copy (const HgObservation *observation)
{
  HgObservation *copy = g_memdup2 (observation, sizeof *observation);

  copy->patient_id = g_strdup (observation->patient_id);
  copy->recorded_by = g_strdup (observation->recorded_by);
  return copy;
}

static HgObservation *
observation_from_row (sqlite3_stmt *stmt)
{
  HgObservation *o = hg_observation_new ();
  HgVitals *v = &o->vitals;

  o->id = sqlite3_column_int64 (stmt, 0);
  o->patient_id = hg_column_dup (stmt, 1);
  o->observed_at = sqlite3_column_int64 (stmt, 2);
  o->received_at = sqlite3_column_int64 (stmt, 3);
  o->recorded_by = hg_column_dup (stmt, 4);
  v->respiration_rate = sqlite3_column_int (stmt, 5);
  v->spo2 = sqlite3_column_int (stmt, 6);
  v->spo2_scale = sqlite3_column_int (stmt, 7);
  v->on_oxygen = sqlite3_column_int (stmt, 8) != 0;
  v->systolic_bp = sqlite3_column_int (stmt, 9);
  v->pulse = sqlite3_column_int (stmt, 10);
  hg_consciousness_from_string ((const char *) sqlite3_column_text (stmt, 11), &v->consciousness);
  v->temperature = sqlite3_column_double (stmt, 12);
  for (guint i = 0; i < HG_NEWS2_N_PARAMETERS; i++)
    o->news2.parameters[i] = (guint) sqlite3_column_int (stmt, 13 + (int) i);
  o->news2.score = (guint) sqlite3_column_int (stmt, 20);
  hg_news2_band_from_string ((const char *) sqlite3_column_text (stmt, 21), &o->news2.band);
  o->alert_id = sqlite3_column_type (stmt, 22) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 22);
  return o;
}

/* --- Recording -------------------------------------------------------- */

typedef struct {
  HgObservation  *observation;
  HgVitalsResult *result;
} VitalsJob;

static void
vitals_job_free (gpointer data)
{
  VitalsJob *job = data;

  hg_observation_free (job->observation);
  hg_vitals_result_free (job->result);
  g_free (job);
}

/* The contract fixes the severity (high, or critical from 7), whatever the
 * alert type says; the message says what scored, for whoever it reaches. */
static HgAlert *
news2_alert (const HgObservation *o)
{
  gboolean emergency = hg_news2_is_emergency (&o->news2);
  HgAlert *alert = hg_alert_new (emergency ? "NEWS2_EMERGENCY" : "NEWS2_URGENT");

  alert->patient_id = g_strdup (o->patient_id);
  alert->severity = emergency ? HG_SEVERITY_CRITICAL : HG_SEVERITY_HIGH;
  alert->has_severity = TRUE;
  alert->message = hg_news2_describe (&o->news2);
  alert->source = g_strdup ("news2");
  alert->occurred_at = o->observed_at;
  g_hash_table_replace (alert->labels, g_strdup ("news2_score"), g_strdup_printf ("%u", o->news2.score));
  g_hash_table_replace (alert->labels, g_strdup ("news2_band"),
                        g_strdup (hg_news2_band_to_string (o->news2.band)));
  return alert;
}

/* A hospital without the NEWS2 alert types cannot be told: the
 * observation is refused rather than stored without its alarm. */
static void
explain_missing_type (GError     **error,
                      const char  *type)
{
  g_autoptr(GError) cause = NULL;

  if (error == NULL || *error == NULL ||
      g_strcmp0 (hg_error_get_wire_code (*error), "unknown_alert_type") != 0)
    return;
  cause = g_steal_pointer (error);
  hg_set_error (error, HG_ERROR_INTERNAL, "alert_type_missing", NULL,
                "this score calls for a %s alert, but this hospital has no such alert type:"
                " nothing was stored", type);
}

static gboolean
raise_alert (HgStore        *self,
             HgDb           *db,
             gint64          now,
             VitalsJob      *job,
             GError        **error)
{
  g_autoptr(HgAlert) alert = news2_alert (job->observation);

  job->result->alert = hg_store_ingest_one (self, db, now, alert, job->observation->recorded_by, error);
  if (job->result->alert == NULL)
    {
      explain_missing_type (error, alert->alert_type);
      return FALSE;
    }
  job->observation->alert_id = job->result->alert->alert->id;
  return TRUE;
}

static gboolean
insert_observation (HgDb           *db,
                    HgObservation  *o,
                    GError        **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "INSERT INTO vitals (" VITALS_COLUMNS ") VALUES (NULL,"
                                      " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                      error);
  const HgVitals *v = &o->vitals;

  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, o->patient_id);
  sqlite3_bind_int64 (stmt, 2, o->observed_at);
  sqlite3_bind_int64 (stmt, 3, o->received_at);
  hg_bind_text (stmt, 4, o->recorded_by);
  sqlite3_bind_int (stmt, 5, v->respiration_rate);
  sqlite3_bind_int (stmt, 6, v->spo2);
  sqlite3_bind_int (stmt, 7, v->spo2_scale);
  sqlite3_bind_int (stmt, 8, v->on_oxygen ? 1 : 0);
  sqlite3_bind_int (stmt, 9, v->systolic_bp);
  sqlite3_bind_int (stmt, 10, v->pulse);
  hg_bind_text (stmt, 11, hg_consciousness_to_string (v->consciousness));
  sqlite3_bind_double (stmt, 12, v->temperature);
  for (guint i = 0; i < HG_NEWS2_N_PARAMETERS; i++)
    sqlite3_bind_int (stmt, 13 + (int) i, (int) o->news2.parameters[i]);
  sqlite3_bind_int (stmt, 20, (int) o->news2.score);
  hg_bind_text (stmt, 21, hg_news2_band_to_string (o->news2.band));
  if (o->alert_id > 0)
    sqlite3_bind_int64 (stmt, 22, o->alert_id);
  if (!hg_db_step_done (db, stmt, error))
    return FALSE;
  o->id = sqlite3_last_insert_rowid (db->handle);
  return TRUE;
}

static gboolean
record_vitals_job (HgStore  *self,
                   HgDb     *db,
                   gint64    now,
                   gpointer  data,
                   GError  **error)
{
  VitalsJob *job = data;
  HgObservation *o = job->observation;
  g_autoptr(HgPatient) patient = hg_store_load_patient (db, o->patient_id, error);

  if (patient == NULL)
    return FALSE;
  o->received_at = now;
  if (o->observed_at == 0)
    o->observed_at = now;
  hg_news2_score (&o->vitals, &o->news2);
  if (hg_news2_is_urgent (&o->news2) && !raise_alert (self, db, now, job, error))
    return FALSE;
  if (!insert_observation (db, o, error))
    return FALSE;
  job->result->observation = observation_copy (o);
  return TRUE;
}

void
hg_store_record_vitals_async (HgStore             *self,
                              const HgObservation *observation,
                              const char          *recorded_by,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  VitalsJob *job;

  g_return_if_fail (HG_IS_STORE (self));
  g_return_if_fail (observation != NULL && observation->patient_id != NULL);

  job = g_new0 (VitalsJob, 1);
  job->observation = observation_copy (observation);
  g_free (job->observation->recorded_by);
  job->observation->recorded_by = g_strdup (recorded_by);
  job->result = g_new0 (HgVitalsResult, 1);
  hg_store_queue_job (self, record_vitals_job, job, vitals_job_free, hg_store_record_vitals_async,
                      callback, user_data);
}

HgVitalsResult *
hg_store_record_vitals_finish (HgStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  VitalsJob *job = hg_store_job_finish (self, result, hg_store_record_vitals_async, error);

  return job ? g_steal_pointer (&job->result) : NULL;
}

/* --- Reading ---------------------------------------------------------- */

static gboolean
patient_exists (HgDb        *db,
                const char  *patient_id,
                GError     **error)
{
  sqlite3_stmt *stmt = hg_db_prepare (db, "SELECT 1 FROM patients WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  hg_bind_text (stmt, 1, patient_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    hg_db_set_error (db, error, "reading");
  else if (g_utf8_validate (patient_id, -1, NULL) && g_utf8_strlen (patient_id, -1) <= HG_MAX_ID_LEN)
    hg_set_error (error, HG_ERROR_NOT_FOUND, NULL, NULL, "no patient with id %s", patient_id);
  else
    hg_set_error (error, HG_ERROR_NOT_FOUND, NULL, NULL, "no such patient");
  return FALSE;
}

/* Keyset paging on (observed_at, id): a page below the cursor's row costs
 * the same however long the chart is. */
GPtrArray *
hg_store_list_vitals (HgStore     *self,
                      const char  *patient_id,
                      gint64       before_id,
                      guint        limit,
                      gint64      *out_next_before,
                      GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) hg_observation_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (HG_IS_STORE (self), NULL);
  g_return_val_if_fail (patient_id != NULL, NULL);

  if (!patient_exists (self->reader, patient_id, error))
    return NULL;
  stmt = hg_db_prepare (self->reader, before_id > 0
                        ? "SELECT " VITALS_COLUMNS " FROM vitals WHERE patient_id = ?1"
                          " AND (observed_at, id) < (SELECT observed_at, id FROM vitals WHERE id = ?2)"
                          " ORDER BY observed_at DESC, id DESC LIMIT ?3"
                        : "SELECT " VITALS_COLUMNS " FROM vitals WHERE patient_id = ?1"
                          " ORDER BY observed_at DESC, id DESC LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  hg_bind_text (stmt, 1, patient_id);
  sqlite3_bind_int64 (stmt, 2, before_id);
  sqlite3_bind_int (stmt, 3, (int) limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && items->len < limit)
    g_ptr_array_add (items, observation_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      hg_db_set_error (self->reader, error, "listing vitals");
      return NULL;
    }
  *out_next_before = 0;
  if (rc == SQLITE_ROW && items->len > 0)
    *out_next_before = ((HgObservation *) g_ptr_array_index (items, items->len - 1))->id;
  return g_steal_pointer (&items);
}
