/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "hg-error.h"
#include "hg-json.h"
#include "hg-news2.h"

/* The expected scores are copied from the RCP's NEWS2 chart (2017), not
 * computed: each row is one side of one threshold. Every other parameter
 * stays at a value that scores 0, so the total is the row's own score
 * (plus 2 for oxygen). */

static const HgVitals normal = {
  .respiration_rate = 16,
  .spo2 = 97,
  .spo2_scale = 1,
  .on_oxygen = FALSE,
  .systolic_bp = 120,
  .pulse = 70,
  .consciousness = HG_CONSCIOUSNESS_ALERT,
  .temperature = 37.0,
};

typedef struct {
  int   value;
  guint score;
} IntRow;

static const IntRow respiration_rate[] = {
  { 0, 3 }, { 8, 3 }, { 9, 1 }, { 11, 1 }, { 12, 0 }, { 20, 0 }, { 21, 2 }, { 24, 2 },
  { 25, 3 }, { 80, 3 },
};

static const IntRow spo2_scale1[] = {
  { 0, 3 }, { 91, 3 }, { 92, 2 }, { 93, 2 }, { 94, 1 }, { 95, 1 }, { 96, 0 }, { 100, 0 },
};

/* Scale 2 on air: 93 % and above is no concern. */
static const IntRow spo2_scale2_air[] = {
  { 0, 3 }, { 83, 3 }, { 84, 2 }, { 85, 2 }, { 86, 1 }, { 87, 1 }, { 88, 0 }, { 92, 0 },
  { 93, 0 }, { 94, 0 }, { 95, 0 }, { 96, 0 }, { 97, 0 }, { 100, 0 },
};

/* Scale 2 on oxygen: above the 88–92 % target scores again. */
static const IntRow spo2_scale2_oxygen[] = {
  { 0, 3 }, { 83, 3 }, { 84, 2 }, { 85, 2 }, { 86, 1 }, { 87, 1 }, { 88, 0 }, { 92, 0 },
  { 93, 1 }, { 94, 1 }, { 95, 2 }, { 96, 2 }, { 97, 3 }, { 100, 3 },
};

static const IntRow systolic_bp[] = {
  { 0, 3 }, { 90, 3 }, { 91, 2 }, { 100, 2 }, { 101, 1 }, { 110, 1 }, { 111, 0 }, { 219, 0 },
  { 220, 3 }, { 300, 3 },
};

static const IntRow pulse[] = {
  { 0, 3 }, { 40, 3 }, { 41, 1 }, { 50, 1 }, { 51, 0 }, { 90, 0 }, { 91, 1 }, { 110, 1 },
  { 111, 2 }, { 130, 2 }, { 131, 3 }, { 300, 3 },
};

static const struct {
  double value;
  guint  score;
} temperature[] = {
  { 20.0, 3 }, { 35.0, 3 }, { 35.1, 1 }, { 36.0, 1 }, { 36.1, 0 }, { 38.0, 0 }, { 38.1, 1 },
  { 39.0, 1 }, { 39.1, 2 }, { 45.0, 2 },
  /* Scored to the tenth, as the chart is written. */
  { 35.04, 3 }, { 35.06, 1 }, { 38.04, 0 }, { 38.06, 1 }, { 39.04, 1 }, { 39.06, 2 },
  { 36, 1 }, { 37, 0 },
};

static const struct {
  HgConsciousness level;
  guint           score;
} consciousness[] = {
  { HG_CONSCIOUSNESS_ALERT, 0 },
  { HG_CONSCIOUSNESS_CONFUSION, 3 },
  { HG_CONSCIOUSNESS_VOICE, 3 },
  { HG_CONSCIOUSNESS_PAIN, 3 },
  { HG_CONSCIOUSNESS_UNRESPONSIVE, 3 },
};

/* The score of @parameter is @expected, and nothing else scored but the
 * oxygen when it is given. */
static void
assert_only (const HgVitals   *vitals,
             HgNews2Parameter  parameter,
             guint             expected)
{
  HgNews2 news2;
  guint oxygen = vitals->on_oxygen ? 2 : 0;

  hg_news2_score (vitals, &news2);
  for (guint i = 0; i < HG_NEWS2_N_PARAMETERS; i++)
    {
      guint want = i == parameter ? expected : i == HG_NEWS2_AIR_OR_OXYGEN ? oxygen : 0;

      if (news2.parameters[i] != want)
        g_error ("%s scored %u, expected %u (while scoring %s)", hg_news2_parameter_to_string (i),
                 news2.parameters[i], want, hg_news2_parameter_to_string (parameter));
    }
  g_assert_cmpuint (news2.score, ==, expected + (parameter == HG_NEWS2_AIR_OR_OXYGEN ? 0 : oxygen));
}

static void
check_int_rows (const IntRow     *rows,
                guint             n_rows,
                HgNews2Parameter  parameter,
                int               spo2_scale,
                gboolean          on_oxygen)
{
  for (guint i = 0; i < n_rows; i++)
    {
      HgVitals v = normal;

      v.spo2_scale = spo2_scale;
      v.on_oxygen = on_oxygen;
      switch (parameter)
        {
        case HG_NEWS2_RESPIRATION_RATE: v.respiration_rate = rows[i].value; break;
        case HG_NEWS2_SPO2:             v.spo2 = rows[i].value; break;
        case HG_NEWS2_SYSTOLIC_BP:      v.systolic_bp = rows[i].value; break;
        case HG_NEWS2_PULSE:            v.pulse = rows[i].value; break;
        case HG_NEWS2_AIR_OR_OXYGEN:
        case HG_NEWS2_CONSCIOUSNESS:
        case HG_NEWS2_TEMPERATURE:
        case HG_NEWS2_N_PARAMETERS:
        default:
          g_assert_not_reached ();
        }
      g_test_message ("%s %d (scale %d, %s) scores %u", hg_news2_parameter_to_string (parameter),
                      rows[i].value, spo2_scale, on_oxygen ? "oxygen" : "air", rows[i].score);
      assert_only (&v, parameter, rows[i].score);
    }
}

static void
test_respiration_rate (void)
{
  check_int_rows (respiration_rate, G_N_ELEMENTS (respiration_rate), HG_NEWS2_RESPIRATION_RATE, 1, FALSE);
}

static void
test_spo2_scale1 (void)
{
  /* Scale 1 does not look at the oxygen, which scores on its own row. */
  check_int_rows (spo2_scale1, G_N_ELEMENTS (spo2_scale1), HG_NEWS2_SPO2, 1, FALSE);
  check_int_rows (spo2_scale1, G_N_ELEMENTS (spo2_scale1), HG_NEWS2_SPO2, 1, TRUE);
}

static void
test_spo2_scale2 (void)
{
  check_int_rows (spo2_scale2_air, G_N_ELEMENTS (spo2_scale2_air), HG_NEWS2_SPO2, 2, FALSE);
  check_int_rows (spo2_scale2_oxygen, G_N_ELEMENTS (spo2_scale2_oxygen), HG_NEWS2_SPO2, 2, TRUE);
}

static void
test_air_or_oxygen (void)
{
  HgVitals v = normal;

  assert_only (&v, HG_NEWS2_AIR_OR_OXYGEN, 0);
  v.on_oxygen = TRUE;
  assert_only (&v, HG_NEWS2_AIR_OR_OXYGEN, 2);
  /* On scale 2 the same 97 % on oxygen scores on both rows. */
  v.spo2_scale = 2;
  {
    HgNews2 news2;

    hg_news2_score (&v, &news2);
    g_assert_cmpuint (news2.parameters[HG_NEWS2_AIR_OR_OXYGEN], ==, 2);
    g_assert_cmpuint (news2.parameters[HG_NEWS2_SPO2], ==, 3);
    g_assert_cmpuint (news2.score, ==, 5);
  }
}

static void
test_systolic_bp (void)
{
  check_int_rows (systolic_bp, G_N_ELEMENTS (systolic_bp), HG_NEWS2_SYSTOLIC_BP, 1, FALSE);
}

static void
test_pulse (void)
{
  check_int_rows (pulse, G_N_ELEMENTS (pulse), HG_NEWS2_PULSE, 1, FALSE);
}

static void
test_consciousness (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (consciousness); i++)
    {
      HgVitals v = normal;

      v.consciousness = consciousness[i].level;
      assert_only (&v, HG_NEWS2_CONSCIOUSNESS, consciousness[i].score);
    }
}

static void
test_temperature (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (temperature); i++)
    {
      HgVitals v = normal;

      v.temperature = temperature[i].value;
      g_test_message ("temperature %.2f scores %u", temperature[i].value, temperature[i].score);
      assert_only (&v, HG_NEWS2_TEMPERATURE, temperature[i].score);
    }
}

/* The acceptance example: RR 26, SpO2 90 % (scale 1) on air, systolic 95,
 * pulse 135, alert, 39.5 °C. */
static const HgVitals acceptance = {
  .respiration_rate = 26,
  .spo2 = 90,
  .spo2_scale = 1,
  .on_oxygen = FALSE,
  .systolic_bp = 95,
  .pulse = 135,
  .consciousness = HG_CONSCIOUSNESS_ALERT,
  .temperature = 39.5,
};

static void
test_acceptance (void)
{
  static const guint expected[HG_NEWS2_N_PARAMETERS] = { 3, 3, 0, 2, 3, 0, 2 };
  HgNews2 news2;
  g_autofree char *text = NULL;

  hg_news2_score (&acceptance, &news2);
  for (guint i = 0; i < HG_NEWS2_N_PARAMETERS; i++)
    g_assert_cmpuint (news2.parameters[i], ==, expected[i]);
  g_assert_cmpuint (news2.score, ==, 13);
  g_assert_cmpint (news2.band, ==, HG_NEWS2_BAND_HIGH);
  g_assert_true (hg_news2_is_urgent (&news2));
  g_assert_true (hg_news2_is_emergency (&news2));
  text = hg_news2_describe (&news2);
  g_assert_cmpstr (text, ==, "NEWS2 13 (high): RR 3, SpO2 3, BP 2, pulse 3, temp 2");
}

/* Each row changes the normal set into one with the given total. */
static const struct {
  const char *what;
  int         respiration_rate;
  int         pulse;
  HgConsciousness level;
  gboolean    on_oxygen;
  guint       score;
  HgNews2Band band;
  gboolean    urgent;
  gboolean    emergency;
} bands[] = {
  { "all normal",          16,  70, HG_CONSCIOUSNESS_ALERT,     FALSE, 0, HG_NEWS2_BAND_LOW,        FALSE, FALSE },
  { "1",                   10,  70, HG_CONSCIOUSNESS_ALERT,     FALSE, 1, HG_NEWS2_BAND_LOW,        FALSE, FALSE },
  { "4 without a 3",       22, 120, HG_CONSCIOUSNESS_ALERT,     FALSE, 4, HG_NEWS2_BAND_LOW,        FALSE, FALSE },
  { "3 from one",          16,  70, HG_CONSCIOUSNESS_VOICE,     FALSE, 3, HG_NEWS2_BAND_LOW_MEDIUM, TRUE,  FALSE },
  { "4 with a 3",          10,  70, HG_CONSCIOUSNESS_CONFUSION, FALSE, 4, HG_NEWS2_BAND_LOW_MEDIUM, TRUE,  FALSE },
  { "5 without a 3",       22, 100, HG_CONSCIOUSNESS_ALERT,     TRUE,  5, HG_NEWS2_BAND_MEDIUM,     TRUE,  FALSE },
  { "5 with a 3",          22,  70, HG_CONSCIOUSNESS_PAIN,      FALSE, 5, HG_NEWS2_BAND_MEDIUM,     TRUE,  FALSE },
  { "6",                   22, 120, HG_CONSCIOUSNESS_ALERT,     TRUE,  6, HG_NEWS2_BAND_MEDIUM,     TRUE,  FALSE },
  { "7",                   25, 120, HG_CONSCIOUSNESS_ALERT,     TRUE,  7, HG_NEWS2_BAND_HIGH,       TRUE,  TRUE },
  { "most",                 8, 140, HG_CONSCIOUSNESS_UNRESPONSIVE, TRUE, 11, HG_NEWS2_BAND_HIGH,   TRUE,  TRUE },
};

static void
test_bands (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bands); i++)
    {
      HgVitals v = normal;
      HgNews2 news2;

      v.respiration_rate = bands[i].respiration_rate;
      v.pulse = bands[i].pulse;
      v.consciousness = bands[i].level;
      v.on_oxygen = bands[i].on_oxygen;
      hg_news2_score (&v, &news2);
      g_test_message ("%s: %u %s", bands[i].what, news2.score, hg_news2_band_to_string (news2.band));
      g_assert_cmpuint (news2.score, ==, bands[i].score);
      g_assert_cmpstr (hg_news2_band_to_string (news2.band), ==, hg_news2_band_to_string (bands[i].band));
      g_assert_cmpint (hg_news2_is_urgent (&news2), ==, bands[i].urgent);
      g_assert_cmpint (hg_news2_is_emergency (&news2), ==, bands[i].emergency);
    }
}

static void
test_worst (void)
{
  HgVitals v = {
    .respiration_rate = 5, .spo2 = 80, .spo2_scale = 2, .on_oxygen = TRUE, .systolic_bp = 80,
    .pulse = 150, .consciousness = HG_CONSCIOUSNESS_UNRESPONSIVE, .temperature = 34.0,
  };
  HgNews2 news2;
  g_autofree char *text = NULL;

  hg_news2_score (&v, &news2);
  g_assert_cmpuint (news2.score, ==, 20);
  text = hg_news2_describe (&news2);
  g_assert_cmpstr (text, ==, "NEWS2 20 (high): RR 3, SpO2 3, O2 2, BP 3, pulse 3, ACVPU 3, temp 3");

  hg_news2_score (&normal, &news2);
  g_clear_pointer (&text, g_free);
  text = hg_news2_describe (&news2);
  g_assert_cmpstr (text, ==, "NEWS2 0 (low)");
}

static void
test_names (void)
{
  HgNews2Band band = HG_NEWS2_BAND_HIGH;
  HgConsciousness level = HG_CONSCIOUSNESS_PAIN;

  for (int i = HG_NEWS2_BAND_LOW; i <= HG_NEWS2_BAND_HIGH; i++)
    {
      g_assert_true (hg_news2_band_from_string (hg_news2_band_to_string (i), &band));
      g_assert_cmpint (band, ==, i);
    }
  g_assert_cmpstr (hg_news2_band_to_string (HG_NEWS2_BAND_LOW_MEDIUM), ==, "low-medium");
  g_assert_false (hg_news2_band_from_string ("urgent", &band));
  g_assert_false (hg_news2_band_from_string (NULL, &band));
  for (int i = HG_CONSCIOUSNESS_ALERT; i <= HG_CONSCIOUSNESS_UNRESPONSIVE; i++)
    {
      g_assert_true (hg_consciousness_from_string (hg_consciousness_to_string (i), &level));
      g_assert_cmpint (level, ==, i);
    }
  g_assert_false (hg_consciousness_from_string ("Alert", &level));
  g_assert_cmpint (level, ==, HG_CONSCIOUSNESS_UNRESPONSIVE);
}

/* --- JSON ------------------------------------------------------------- */

#define BODY "{\"patient_id\": \"P001\", \"respiration_rate\": 26, \"spo2\": 90, \"on_oxygen\": false," \
             " \"systolic_bp\": 95, \"pulse\": 135, \"consciousness\": \"alert\", \"temperature\": 39.5}"

static HgObservation *
parse (const char  *text,
       GError     **error)
{
  g_autoptr(JsonNode) node = hg_json_parse (text, strlen (text), NULL);

  g_assert_nonnull (node);
  return hg_json_observation_from_node (node, error);
}

/* BODY with @member set to @value (JSON text), or removed when NULL. */
static char *
body_with (const char *member,
           const char *value)
{
  g_autoptr(JsonNode) node = hg_json_parse (BODY, strlen (BODY), NULL);
  JsonObject *object = json_node_get_object (node);

  if (value == NULL)
    json_object_remove_member (object, member);
  else
    json_object_set_member (object, member, hg_json_parse (value, strlen (value), NULL));
  return hg_json_to_string (node, NULL);
}

static void
test_json_accepts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HgObservation) o = parse (BODY, &error);
  g_autoptr(HgObservation) full = NULL;
  g_autofree char *body = NULL;
  HgNews2 news2;

  g_assert_no_error (error);
  g_assert_cmpstr (o->patient_id, ==, "P001");
  g_assert_cmpint (o->observed_at, ==, 0);
  g_assert_cmpint (o->vitals.spo2_scale, ==, 1);
  g_assert_cmpint (o->vitals.consciousness, ==, HG_CONSCIOUSNESS_ALERT);
  g_assert_cmpfloat (o->vitals.temperature, ==, 39.5);
  hg_news2_score (&o->vitals, &news2);
  g_assert_cmpuint (news2.score, ==, 13);

  full = parse ("{\"patient_id\": \"P004\", \"observed_at\": \"2026-11-23T04:00:00.250+01:00\","
                " \"respiration_rate\": 18, \"spo2\": 90, \"spo2_scale\": 2, \"on_oxygen\": true,"
                " \"systolic_bp\": 130, \"pulse\": 80, \"consciousness\": \"confusion\","
                " \"temperature\": 37, \"note\": \"ignored\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (full->observed_at, ==, G_GINT64_CONSTANT (1795402800250));
  g_assert_cmpint (full->vitals.spo2_scale, ==, 2);
  g_assert_true (full->vitals.on_oxygen);
  g_assert_cmpint (full->vitals.consciousness, ==, HG_CONSCIOUSNESS_CONFUSION);
  g_assert_cmpfloat (full->vitals.temperature, ==, 37.0);

  /* A null spo2_scale is the default, like any optional member. */
  body = body_with ("spo2_scale", "null");
  g_clear_pointer (&o, hg_observation_free);
  o = parse (body, &error);
  g_assert_no_error (error);
  g_assert_cmpint (o->vitals.spo2_scale, ==, 1);
}

static const struct {
  const char *member;
  const char *value;     /* JSON text; NULL: left out */
  const char *code;
  const char *field;
} refusals[] = {
  { "patient_id", NULL, "missing_field", "patient_id" },
  { "patient_id", "null", "missing_field", "patient_id" },
  { "patient_id", "\"\"", "invalid_field", "patient_id" },
  { "patient_id", "1", "invalid_field", "patient_id" },
  { "observed_at", "\"yesterday\"", "invalid_field", "observed_at" },
  { "observed_at", "1700000000", "invalid_field", "observed_at" },
  { "respiration_rate", NULL, "missing_field", "respiration_rate" },
  { "respiration_rate", "null", "missing_field", "respiration_rate" },
  { "respiration_rate", "\"16\"", "invalid_field", "respiration_rate" },
  { "respiration_rate", "16.5", "invalid_field", "respiration_rate" },
  { "respiration_rate", "-1", "out_of_range", "respiration_rate" },
  { "respiration_rate", "81", "out_of_range", "respiration_rate" },
  { "spo2", NULL, "missing_field", "spo2" },
  { "spo2", "-1", "out_of_range", "spo2" },
  { "spo2", "101", "out_of_range", "spo2" },
  { "spo2", "0.95", "invalid_field", "spo2" },
  { "spo2_scale", "0", "out_of_range", "spo2_scale" },
  { "spo2_scale", "3", "out_of_range", "spo2_scale" },
  { "spo2_scale", "\"2\"", "invalid_field", "spo2_scale" },
  { "on_oxygen", NULL, "missing_field", "on_oxygen" },
  { "on_oxygen", "1", "invalid_field", "on_oxygen" },
  { "on_oxygen", "\"air\"", "invalid_field", "on_oxygen" },
  { "systolic_bp", NULL, "missing_field", "systolic_bp" },
  { "systolic_bp", "-1", "out_of_range", "systolic_bp" },
  { "systolic_bp", "301", "out_of_range", "systolic_bp" },
  { "systolic_bp", "\"120/80\"", "invalid_field", "systolic_bp" },
  { "pulse", NULL, "missing_field", "pulse" },
  { "pulse", "-1", "out_of_range", "pulse" },
  { "pulse", "301", "out_of_range", "pulse" },
  { "consciousness", NULL, "missing_field", "consciousness" },
  { "consciousness", "\"asleep\"", "invalid_enum", "consciousness" },
  { "consciousness", "\"Alert\"", "invalid_enum", "consciousness" },
  { "consciousness", "\"A\"", "invalid_enum", "consciousness" },
  { "consciousness", "0", "invalid_field", "consciousness" },
  { "temperature", NULL, "missing_field", "temperature" },
  { "temperature", "\"37.2\"", "invalid_field", "temperature" },
  { "temperature", "true", "invalid_field", "temperature" },
  { "temperature", "98.6", "out_of_range", "temperature" },
  { "temperature", "19.9", "out_of_range", "temperature" },
  { "temperature", "45.1", "out_of_range", "temperature" },
  { "temperature", "-37", "out_of_range", "temperature" },
};

static void
test_json_refusals (void)
{
  static const char *const not_objects[] = { "[]", "[" BODY "]", "\"P001\"", "13", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *body = body_with (refusals[i].member, refusals[i].value);
      g_autoptr(GError) error = NULL;
      g_autoptr(HgObservation) o = NULL;

      g_test_message ("refusing %s", body);
      o = parse (body, &error);
      g_assert_null (o);
      g_assert_error (error, HG_ERROR, HG_ERROR_INVALID);
      g_assert_cmpstr (hg_error_get_wire_code (error), ==, refusals[i].code);
      g_assert_cmpstr (hg_error_get_field (error), ==, refusals[i].field);
      g_assert_cmpuint (hg_error_to_http_status (error), ==, 400);
    }
  for (guint i = 0; i < G_N_ELEMENTS (not_objects); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HgObservation) o = parse (not_objects[i], &error);

      g_assert_null (o);
      g_assert_cmpstr (hg_error_get_wire_code (error), ==, "invalid_request");
    }
}

static void
test_json_answers (void)
{
  g_autoptr(HgObservation) o = hg_observation_new ();
  g_autoptr(JsonNode) news2 = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *news2_text = NULL;
  g_autofree char *text = NULL;

  o->id = 7;
  o->patient_id = g_strdup ("P001");
  o->observed_at = G_GINT64_CONSTANT (1795402800250);
  o->received_at = G_GINT64_CONSTANT (1795402801000);
  o->recorded_by = g_strdup ("N01");
  o->vitals = acceptance;
  o->vitals.temperature = 37.2;
  hg_news2_score (&o->vitals, &o->news2);

  news2 = hg_json_news2_to_node (&o->news2);
  news2_text = hg_json_to_string (news2, NULL);
  g_assert_cmpstr (news2_text, ==,
                   "{\"score\":11,\"band\":\"high\",\"parameters\":{\"respiration_rate\":3,\"spo2\":3,"
                   "\"on_oxygen\":0,\"systolic_bp\":2,\"pulse\":3,\"consciousness\":0,\"temperature\":0}}");

  node = hg_json_observation_to_node (o);
  text = hg_json_to_string (node, NULL);
  g_assert_cmpstr (text, ==,
                   "{\"id\":7,\"patient_id\":\"P001\",\"observed_at\":\"2026-11-23T03:00:00.250Z\","
                   "\"received_at\":\"2026-11-23T03:00:01.000Z\",\"recorded_by\":\"N01\","
                   "\"respiration_rate\":26,\"spo2\":90,\"spo2_scale\":1,\"on_oxygen\":false,"
                   "\"systolic_bp\":95,\"pulse\":135,\"consciousness\":\"alert\",\"temperature\":37.2,"
                   "\"news2\":{\"score\":11,\"band\":\"high\",\"parameters\":{\"respiration_rate\":3,"
                   "\"spo2\":3,\"on_oxygen\":0,\"systolic_bp\":2,\"pulse\":3,\"consciousness\":0,"
                   "\"temperature\":0}},\"alert_id\":null}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/shared/news2/respiration-rate", test_respiration_rate);
  g_test_add_func ("/shared/news2/spo2-scale1", test_spo2_scale1);
  g_test_add_func ("/shared/news2/spo2-scale2", test_spo2_scale2);
  g_test_add_func ("/shared/news2/air-or-oxygen", test_air_or_oxygen);
  g_test_add_func ("/shared/news2/systolic-bp", test_systolic_bp);
  g_test_add_func ("/shared/news2/pulse", test_pulse);
  g_test_add_func ("/shared/news2/consciousness", test_consciousness);
  g_test_add_func ("/shared/news2/temperature", test_temperature);
  g_test_add_func ("/shared/news2/acceptance", test_acceptance);
  g_test_add_func ("/shared/news2/bands", test_bands);
  g_test_add_func ("/shared/news2/worst", test_worst);
  g_test_add_func ("/shared/news2/names", test_names);
  g_test_add_func ("/shared/news2/json/accepts", test_json_accepts);
  g_test_add_func ("/shared/news2/json/refusals", test_json_refusals);
  g_test_add_func ("/shared/news2/json/answers", test_json_answers);
  return g_test_run ();
}
