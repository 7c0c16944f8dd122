/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* NEWS2, the National Early Warning Score (Royal College of Physicians,
 * 2017): seven bedside observations, each scored 0 to 3, added up. The
 * scoring is pure (a struct in, a struct out); the JSON mapping reads the
 * body of POST /api/v1/vitals and writes the answers. */

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ACVPU: alert, or new confusion, or responds only to voice, only to pain,
 * or not at all. */
typedef enum {
  HG_CONSCIOUSNESS_ALERT,
  HG_CONSCIOUSNESS_CONFUSION,
  HG_CONSCIOUSNESS_VOICE,
  HG_CONSCIOUSNESS_PAIN,
  HG_CONSCIOUSNESS_UNRESPONSIVE,
} HgConsciousness;

/* The RCP's clinical risk. LOW_MEDIUM is a total of 0 to 4 with a single
 * parameter scoring 3 ("low–medium": an urgent ward-based response). */
typedef enum {
  HG_NEWS2_BAND_LOW,
  HG_NEWS2_BAND_LOW_MEDIUM,
  HG_NEWS2_BAND_MEDIUM,
  HG_NEWS2_BAND_HIGH,
} HgNews2Band;

/* The chart's rows, in its order. */
typedef enum {
  HG_NEWS2_RESPIRATION_RATE,
  HG_NEWS2_SPO2,
  HG_NEWS2_AIR_OR_OXYGEN,
  HG_NEWS2_SYSTOLIC_BP,
  HG_NEWS2_PULSE,
  HG_NEWS2_CONSCIOUSNESS,
  HG_NEWS2_TEMPERATURE,
  HG_NEWS2_N_PARAMETERS
} HgNews2Parameter;

typedef struct {
  int             respiration_rate;  /* breaths a minute */
  int             spo2;              /* % */
  int             spo2_scale;        /* 1, or 2 for hypercapnic respiratory failure */
  gboolean        on_oxygen;
  int             systolic_bp;       /* mmHg */
  int             pulse;             /* beats a minute */
  HgConsciousness consciousness;
  double          temperature;       /* °C, scored to the nearest tenth */
} HgVitals;

typedef struct {
  guint       score;
  guint       parameters[HG_NEWS2_N_PARAMETERS];
  HgNews2Band band;
} HgNews2;

/* The limits a request is held to (HG_ERROR_INVALID "out_of_range"
 * outside them): wide enough for any living patient, narrow enough to
 * catch a slip of the keyboard or of units (°F, kPa). */
#define HG_VITALS_MAX_RESPIRATION_RATE 80
#define HG_VITALS_MAX_SYSTOLIC_BP      300
#define HG_VITALS_MAX_PULSE            300
#define HG_VITALS_MIN_TEMPERATURE      20.0
#define HG_VITALS_MAX_TEMPERATURE      45.0

void        hg_news2_score               (const HgVitals   *vitals,
                                          HgNews2          *out);
/* TRUE when the score calls for an urgent response (5 or more, or any
 * single parameter at 3) and for an emergency one (7 or more). */
gboolean    hg_news2_is_urgent           (const HgNews2    *news2);
gboolean    hg_news2_is_emergency        (const HgNews2    *news2);
/* "NEWS2 13 (high): RR 3, SpO2 3, BP 2, pulse 3, temp 2": the total, the
 * band and every parameter that scored. */
char       *hg_news2_describe            (const HgNews2    *news2);

/* Wire names: "low", "low-medium", "medium", "high"; the parameters by the
 * request member they score ("respiration_rate", "spo2", "on_oxygen", …);
 * the ACVPU levels "alert", "confusion", "voice", "pain", "unresponsive". */
const char *hg_news2_band_to_string      (HgNews2Band       band);
gboolean    hg_news2_band_from_string    (const char       *str,
                                          HgNews2Band      *out);
const char *hg_news2_parameter_to_string (HgNews2Parameter  parameter);
const char *hg_consciousness_to_string   (HgConsciousness   consciousness);
gboolean    hg_consciousness_from_string (const char       *str,
                                          HgConsciousness  *out);

/* One set of observations of a patient, as posted and as stored. */
typedef struct {
  gint64    id;            /* 0 until stored */
  char     *patient_id;
  gint64    observed_at;   /* ms; 0: when the server received it */
  gint64    received_at;
  char     *recorded_by;   /* staff id or "integration:NAME" */
  HgVitals  vitals;
  HgNews2   news2;
  gint64    alert_id;      /* the alert it raised; 0: none */
} HgObservation;

HgObservation *hg_observation_new  (void);
void           hg_observation_free (HgObservation *observation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgObservation, hg_observation_free)

/* The body of POST /api/v1/vitals. Every parameter is required and held to
 * its range; "spo2_scale" defaults to 1 and "observed_at" to none. Fails
 * with HG_ERROR_INVALID naming the field. The score is not computed. */
HgObservation *hg_json_observation_from_node (JsonNode            *node,
                                              GError             **error);
/* {"score", "band", "parameters": {"respiration_rate": 3, …}} */
JsonNode      *hg_json_news2_to_node         (const HgNews2       *news2);
/* A stored observation: id, patient_id, observed_at, received_at,
 * recorded_by, the posted members, "news2" and alert_id. */
JsonNode      *hg_json_observation_to_node   (const HgObservation *observation);

G_END_DECLS
