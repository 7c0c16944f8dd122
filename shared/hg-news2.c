/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hg-error.h"
#include "hg-json.h"
#include "hg-news2.h"
#include "hg-protocol.h"
#include "hg-types.h"

/* --- The chart (RCP, NEWS2, 2017) ------------------------------------- */

static guint
score_respiration_rate (int rate)
{
  if (rate <= 8)
    return 3;
  if (rate <= 11)
    return 1;
  if (rate <= 20)
    return 0;
  if (rate <= 24)
    return 2;
  return 3;
}

static guint
score_spo2_scale1 (int spo2)
{
  if (spo2 <= 91)
    return 3;
  if (spo2 <= 93)
    return 2;
  if (spo2 <= 95)
    return 1;
  return 0;
}

/* For a prescribed target of 88–92 %: from 93 % on air is no concern, but
 * on oxygen it is too much oxygen, and scores. */
static guint
score_spo2_scale2 (int      spo2,
                   gboolean on_oxygen)
{
  if (spo2 <= 83)
    return 3;
  if (spo2 <= 85)
    return 2;
  if (spo2 <= 87)
    return 1;
  if (spo2 <= 92 || !on_oxygen)
    return 0;
  if (spo2 <= 94)
    return 1;
  if (spo2 <= 96)
    return 2;
  return 3;
}

static guint
score_systolic_bp (int systolic)
{
  if (systolic <= 90)
    return 3;
  if (systolic <= 100)
    return 2;
  if (systolic <= 110)
    return 1;
  if (systolic <= 219)
    return 0;
  return 3;
}

static guint
score_pulse (int pulse)
{
  if (pulse <= 40)
    return 3;
  if (pulse <= 50)
    return 1;
  if (pulse <= 90)
    return 0;
  if (pulse <= 110)
    return 1;
  if (pulse <= 130)
    return 2;
  return 3;
}

/* The chart is in tenths of a degree: 35.04 scores as 35.0, 35.06 as
 * 35.1. */
static guint
score_temperature (double celsius)
{
  int tenths = (int) (celsius * 10.0 + (celsius >= 0 ? 0.5 : -0.5));

  if (tenths <= 350)
    return 3;
  if (tenths <= 360)
    return 1;
  if (tenths <= 380)
    return 0;
  if (tenths <= 390)
    return 1;
  return 2;
}

void
hg_news2_score (const HgVitals *vitals,
                HgNews2        *out)
{
  guint *p;
  gboolean any_three = FALSE;

  g_return_if_fail (vitals != NULL);
  g_return_if_fail (out != NULL);

  p = out->parameters;
  p[HG_NEWS2_RESPIRATION_RATE] = score_respiration_rate (vitals->respiration_rate);
  p[HG_NEWS2_SPO2] = vitals->spo2_scale == 2
                     ? score_spo2_scale2 (vitals->spo2, vitals->on_oxygen)
                     : score_spo2_scale1 (vitals->spo2);
  p[HG_NEWS2_AIR_OR_OXYGEN] = vitals->on_oxygen ? 2 : 0;
  p[HG_NEWS2_SYSTOLIC_BP] = score_systolic_bp (vitals->systolic_bp);
  p[HG_NEWS2_PULSE] = score_pulse (vitals->pulse);
  p[HG_NEWS2_CONSCIOUSNESS] = vitals->consciousness == HG_CONSCIOUSNESS_ALERT ? 0 : 3;
  p[HG_NEWS2_TEMPERATURE] = score_temperature (vitals->temperature);

  out->score = 0;
  for (guint i = 0; i < HG_NEWS2_N_PARAMETERS; i++)
    {
      out->score += p[i];
      any_three |= p[i] == 3;
    }
  if (out->score >= 7)
    out->band = HG_NEWS2_BAND_HIGH;
  else if (out->score >= 5)
    out->band = HG_NEWS2_BAND_MEDIUM;
  else if (any_three)
    out->band = HG_NEWS2_BAND_LOW_MEDIUM;
  else
    out->band = HG_NEWS2_BAND_LOW;
}

gboolean
hg_news2_is_urgent (const HgNews2 *news2)
{
  g_return_val_if_fail (news2 != NULL, FALSE);
  return news2->band != HG_NEWS2_BAND_LOW;
}

gboolean
hg_news2_is_emergency (const HgNews2 *news2)
{
  g_return_val_if_fail (news2 != NULL, FALSE);
  return news2->band == HG_NEWS2_BAND_HIGH;
}

/* Short names, as on a handover sheet. */
static const char *const short_names[HG_NEWS2_N_PARAMETERS] = {
  "RR", "SpO2", "O2", "BP", "pulse", "ACVPU", "temp",
};

char *
hg_news2_describe (const HgNews2 *news2)
{
  GString *text;
  gboolean first = TRUE;

  g_return_val_if_fail (news2 != NULL, NULL);

  text = g_string_new (NULL);
  g_string_append_printf (text, "NEWS2 %u (%s)", news2->score, hg_news2_band_to_string (news2->band));
  for (guint i = 0; i < HG_NEWS2_N_PARAMETERS; i++)
    {
      if (news2->parameters[i] == 0)
        continue;
      g_string_append_printf (text, "%s%s %u", first ? ": " : ", ", short_names[i], news2->parameters[i]);
      first = FALSE;
    }
  return g_string_free (text, FALSE);
}

/* --- Names ------------------------------------------------------------ */

static const char *const band_names[] = {
  "low", "low-medium", "medium", "high",
};

static const char *const parameter_names[HG_NEWS2_N_PARAMETERS] = {
  "respiration_rate", "spo2", "on_oxygen", "systolic_bp", "pulse", "consciousness", "temperature",
};

static const char *const consciousness_names[] = {
  "alert", "confusion", "voice", "pain", "unresponsive",
};

static gboolean
lookup_name (const char        *str,
             const char *const *names,
             guint              n_names,
             int               *out)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    {
      if (g_str_equal (str, names[i]))
        {
          *out = (int) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
hg_news2_band_to_string (HgNews2Band band)
{
  g_return_val_if_fail ((guint) band < G_N_ELEMENTS (band_names), NULL);
  return band_names[band];
}

gboolean
hg_news2_band_from_string (const char  *str,
                           HgNews2Band *out)
{
  int value;

  if (!lookup_name (str, band_names, G_N_ELEMENTS (band_names), &value))
    return FALSE;
  *out = (HgNews2Band) value;
  return TRUE;
}

const char *
hg_news2_parameter_to_string (HgNews2Parameter parameter)
{
  g_return_val_if_fail ((guint) parameter < HG_NEWS2_N_PARAMETERS, NULL);
  return parameter_names[parameter];
}

const char *
hg_consciousness_to_string (HgConsciousness consciousness)
{
  g_return_val_if_fail ((guint) consciousness < G_N_ELEMENTS (consciousness_names), NULL);
  return consciousness_names[consciousness];
}

gboolean
hg_consciousness_from_string (const char      *str,
                              HgConsciousness *out)
{
  int value;

  if (!lookup_name (str, consciousness_names, G_N_ELEMENTS (consciousness_names), &value))
    return FALSE;
  *out = (HgConsciousness) value;
  return TRUE;
}

/* --- Observations ----------------------------------------------------- */

HgObservation *
hg_observation_new (void)
{
  HgObservation *observation = g_new0 (HgObservation, 1);

  observation->vitals.spo2_scale = 1;
  return observation;
}

void
hg_observation_free (HgObservation *observation)
{
  if (observation == NULL)
    return;
  g_free (observation->patient_id);
  g_free (observation->recorded_by);
  g_free (observation);
}

/* --- JSON ------------------------------------------------------------- */

static gboolean
require_member (JsonObject  *object,
                const char  *member,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  hg_set_error (error, HG_ERROR_INVALID, "missing_field", member, "%s is required", member);
  return FALSE;
}

static gboolean
take_required_int (JsonObject  *object,
                   const char  *member,
                   int          min,
                   int          max,
                   int         *field,
                   GError     **error)
{
  gint64 value = 0;

  if (!require_member (object, member, error) ||
      !hg_json_get_int (object, member, min, max, &value, error))
    return FALSE;
  *field = (int) value;
  return TRUE;
}

static gboolean
take_temperature (JsonObject  *object,
                  double      *field,
                  GError     **error)
{
  JsonNode *node;
  double value;

  if (!require_member (object, "temperature", error))
    return FALSE;
  node = json_object_get_member (object, "temperature");
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "temperature",
                    "temperature must be a number (°C)");
      return FALSE;
    }
  value = json_node_get_double (node);
  if (!(value >= HG_VITALS_MIN_TEMPERATURE && value <= HG_VITALS_MAX_TEMPERATURE))
    {
      hg_set_error (error, HG_ERROR_INVALID, "out_of_range", "temperature",
                    "temperature must be between %.1f and %.1f °C",
                    HG_VITALS_MIN_TEMPERATURE, HG_VITALS_MAX_TEMPERATURE);
      return FALSE;
    }
  *field = value;
  return TRUE;
}

static gboolean
take_consciousness (JsonObject       *object,
                    HgConsciousness  *field,
                    GError          **error)
{
  const char *value = NULL;

  if (!require_member (object, "consciousness", error) ||
      !hg_json_get_string (object, "consciousness", HG_MAX_ID_LEN, &value, error))
    return FALSE;
  if (!hg_consciousness_from_string (value, field))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_enum", "consciousness",
                    "consciousness must be alert, confusion, voice, pain or unresponsive");
      return FALSE;
    }
  return TRUE;
}

static gboolean
take_on_oxygen (JsonObject  *object,
                gboolean    *field,
                GError     **error)
{
  return require_member (object, "on_oxygen", error) &&
         hg_json_get_bool (object, "on_oxygen", field, error);
}

static gboolean
take_spo2_scale (JsonObject  *object,
                 int         *field,
                 GError     **error)
{
  gint64 value = 1;

  if (!hg_json_get_int (object, "spo2_scale", 1, 2, &value, error))
    return FALSE;
  *field = (int) value;
  return TRUE;
}

static gboolean
take_subject (JsonObject     *object,
              HgObservation  *observation,
              GError        **error)
{
  const char *patient_id = NULL;
  const char *observed_at = NULL;

  if (!require_member (object, "patient_id", error) ||
      !hg_json_get_string (object, "patient_id", HG_MAX_ID_LEN, &patient_id, error) ||
      !hg_json_get_string (object, "observed_at", 64, &observed_at, error))
    return FALSE;
  if (observed_at != NULL && !hg_time_parse (observed_at, &observation->observed_at))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "observed_at",
                    "observed_at must be an RFC 3339 time");
      return FALSE;
    }
  observation->patient_id = g_strdup (patient_id);
  return TRUE;
}

HgObservation *
hg_json_observation_from_node (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(HgObservation) observation = NULL;
  HgVitals *v;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((object = hg_json_require_object (node, error)) == NULL)
    return NULL;
  observation = hg_observation_new ();
  v = &observation->vitals;
  if (!take_subject (object, observation, error) ||
      !take_required_int (object, "respiration_rate", 0, HG_VITALS_MAX_RESPIRATION_RATE,
                          &v->respiration_rate, error) ||
      !take_required_int (object, "spo2", 0, 100, &v->spo2, error) ||
      !take_spo2_scale (object, &v->spo2_scale, error) ||
      !take_on_oxygen (object, &v->on_oxygen, error) ||
      !take_required_int (object, "systolic_bp", 0, HG_VITALS_MAX_SYSTOLIC_BP, &v->systolic_bp, error) ||
      !take_required_int (object, "pulse", 0, HG_VITALS_MAX_PULSE, &v->pulse, error) ||
      !take_consciousness (object, &v->consciousness, error) ||
      !take_temperature (object, &v->temperature, error))
    return NULL;
  return g_steal_pointer (&observation);
}

JsonNode *
hg_json_news2_to_node (const HgNews2 *news2)
{
  JsonObject *object;
  JsonObject *parameters;

  g_return_val_if_fail (news2 != NULL, NULL);

  parameters = json_object_new ();
  for (guint i = 0; i < HG_NEWS2_N_PARAMETERS; i++)
    json_object_set_int_member (parameters, parameter_names[i], news2->parameters[i]);
  object = json_object_new ();
  json_object_set_int_member (object, "score", news2->score);
  json_object_set_string_member (object, "band", hg_news2_band_to_string (news2->band));
  json_object_set_object_member (object, "parameters", parameters);
  return hg_json_node_new_object (object);
}

static void
set_time_member (JsonObject *object,
                 const char *member,
                 gint64      ms)
{
  g_autofree char *text = hg_time_format (ms);

  if (text != NULL)
    json_object_set_string_member (object, member, text);
  else
    json_object_set_null_member (object, member);
}

static void
set_vitals_members (JsonObject     *object,
                    const HgVitals *v)
{
  json_object_set_int_member (object, "respiration_rate", v->respiration_rate);
  json_object_set_int_member (object, "spo2", v->spo2);
  json_object_set_int_member (object, "spo2_scale", v->spo2_scale);
  json_object_set_boolean_member (object, "on_oxygen", v->on_oxygen);
  json_object_set_int_member (object, "systolic_bp", v->systolic_bp);
  json_object_set_int_member (object, "pulse", v->pulse);
  json_object_set_string_member (object, "consciousness", hg_consciousness_to_string (v->consciousness));
  json_object_set_double_member (object, "temperature", v->temperature);
}

JsonNode *
hg_json_observation_to_node (const HgObservation *observation)
{
  JsonObject *object;

  g_return_val_if_fail (observation != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", observation->id);
  json_object_set_string_member (object, "patient_id", observation->patient_id);
  set_time_member (object, "observed_at", observation->observed_at);
  set_time_member (object, "received_at", observation->received_at);
  if (observation->recorded_by != NULL)
    json_object_set_string_member (object, "recorded_by", observation->recorded_by);
  else
    json_object_set_null_member (object, "recorded_by");
  set_vitals_members (object, &observation->vitals);
  json_object_set_member (object, "news2", hg_json_news2_to_node (&observation->news2));
  if (observation->alert_id > 0)
    json_object_set_int_member (object, "alert_id", observation->alert_id);
  else
    json_object_set_null_member (object, "alert_id");
  return hg_json_node_new_object (object);
}
