/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "hg-alertmanager.h"
#include "hg-error.h"
#include "hg-json.h"
#include "hg-models-private.h"
#include "hg-protocol.h"

/* A webhook payload as Alertmanager posts it: two alerts of one group, one
 * firing and one resolved, with every member version 4 has. */
static const char payload_two[] =
  "{\"receiver\":\"healthguard\",\"status\":\"firing\","
  "\"alerts\":["
  "{\"status\":\"firing\","
  "\"labels\":{\"alertname\":\"InfusionPumpOcclusion\",\"healthguard_type\":\"PUMP_OCCLUSION\","
  "\"patient_id\":\"P003\",\"ward\":\"ICU\",\"room\":\"12\",\"bed\":\"B\",\"severity\":\"warning\","
  "\"instance\":\"pump-12b:9100\",\"job\":\"pumps\"},"
  "\"annotations\":{\"summary\":\"Line occluded on pump 12B\",\"description\":\"Pressure above 900 mmHg\"},"
  "\"startsAt\":\"2026-11-23T09:15:02.123456789Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
  "\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=up\",\"fingerprint\":\"a1b2c3d4e5f60718\"},"
  "{\"status\":\"resolved\","
  "\"labels\":{\"alertname\":\"OxygenSupplyLow\",\"ward\":\"Surgery\"},"
  "\"annotations\":{},"
  "\"startsAt\":\"2026-11-23T08:00:00Z\",\"endsAt\":\"2026-11-23T09:00:00+01:00\","
  "\"generatorURL\":\"\",\"fingerprint\":\"ffee000011112222\"}"
  "],"
  "\"groupLabels\":{\"alertname\":\"InfusionPumpOcclusion\"},"
  "\"commonLabels\":{\"job\":\"pumps\"},\"commonAnnotations\":{},"
  "\"externalURL\":\"http://alertmanager:9093\",\"version\":\"4\","
  "\"groupKey\":\"{}:{alertname=\\\"InfusionPumpOcclusion\\\"}\",\"truncatedAlerts\":0}";

static GPtrArray *
parse (const char  *text,
       GError     **error)
{
  g_autoptr(JsonNode) node = hg_json_parse (text, strlen (text), NULL);

  g_assert_nonnull (node);
  return hg_alertmanager_parse (node, error);
}

static void
test_firing_and_resolved (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = parse (payload_two, &error);
  HgAlert *firing, *resolved;
  gint64 expected;

  g_assert_no_error (error);
  g_assert_cmpuint (alerts->len, ==, 2);

  firing = alerts->pdata[0];
  g_assert_cmpstr (firing->alert_type, ==, "PUMP_OCCLUSION");
  g_assert_cmpstr (firing->patient_id, ==, "P003");
  g_assert_cmpstr (firing->ward, ==, "ICU");
  g_assert_cmpstr (firing->room, ==, "12");
  g_assert_cmpstr (firing->bed, ==, "B");
  g_assert_true (firing->has_severity);
  g_assert_cmpint (firing->severity, ==, HG_SEVERITY_MEDIUM);
  g_assert_cmpstr (firing->dedup_key, ==, "a1b2c3d4e5f60718");
  g_assert_cmpint (firing->phase, ==, HG_ALERT_PHASE_START);
  g_assert_true (hg_time_parse ("2026-11-23T09:15:02.123Z", &expected));
  g_assert_cmpint (firing->occurred_at, ==, expected);
  g_assert_cmpstr (firing->message, ==, "Line occluded on pump 12B");
  g_assert_cmpstr (firing->source, ==, "alertmanager");
  g_assert_cmpuint (g_hash_table_size (firing->labels), ==, 9);
  g_assert_cmpstr (g_hash_table_lookup (firing->labels, "instance"), ==, "pump-12b:9100");

  resolved = alerts->pdata[1];
  g_assert_cmpstr (resolved->alert_type, ==, HG_ALERTMANAGER_DEFAULT_TYPE);
  g_assert_null (resolved->patient_id);
  g_assert_cmpstr (resolved->ward, ==, "Surgery");
  g_assert_false (resolved->has_severity);
  g_assert_cmpint (resolved->phase, ==, HG_ALERT_PHASE_END);
  /* endsAt, not startsAt; its offset is honoured. */
  g_assert_true (hg_time_parse ("2026-11-23T08:00:00Z", &expected));
  g_assert_cmpint (resolved->occurred_at, ==, expected);
  g_assert_cmpstr (resolved->message, ==, "OxygenSupplyLow");
  g_assert_cmpstr (resolved->dedup_key, ==, "ffee000011112222");
}

/* What we make must be an alert the strict alert parser takes as is. */
static void
test_round_trip (void)
{
  g_autoptr(GPtrArray) alerts = parse (payload_two, NULL);

  g_assert_nonnull (alerts);
  for (guint i = 0; i < alerts->len; i++)
    {
      g_autoptr(JsonNode) node = hg_json_alert_to_node (alerts->pdata[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(HgAlert) again = hg_json_alert_from_node (node, &error);
      g_autoptr(JsonNode) node_again = NULL;
      g_autofree char *text = hg_json_to_string (node, NULL);
      g_autofree char *text_again = NULL;

      g_assert_no_error (error);
      node_again = hg_json_alert_to_node (again);
      text_again = hg_json_to_string (node_again, NULL);
      g_assert_cmpstr (text, ==, text_again);
    }
}

static void
test_severity_words (void)
{
  static const struct {
    const char *word;
    gboolean    known;
    HgSeverity  severity;
  } cases[] = {
    { "critical", TRUE, HG_SEVERITY_CRITICAL },
    { "CRITICAL", TRUE, HG_SEVERITY_CRITICAL },
    { "high", TRUE, HG_SEVERITY_HIGH },
    { "warning", TRUE, HG_SEVERITY_MEDIUM },
    { "medium", TRUE, HG_SEVERITY_MEDIUM },
    { "info", TRUE, HG_SEVERITY_LOW },
    { "low", TRUE, HG_SEVERITY_LOW },
    { "page", FALSE, 0 },
    { "", FALSE, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"severity\":\"%s\"}}]}",
        cases[i].word);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) alerts = parse (text, &error);
      HgAlert *alert;

      g_assert_no_error (error);
      alert = alerts->pdata[0];
      g_assert_cmpint (alert->has_severity, ==, cases[i].known);
      if (cases[i].known)
        g_assert_cmpint (alert->severity, ==, cases[i].severity);
      /* No fingerprint: the default dedup key applies later. */
      g_assert_null (alert->dedup_key);
      g_assert_null (alert->message);
    }
}

/* A monitoring system's free text is cut, never a reason to drop an alarm. */
static void
test_long_text_is_cut (void)
{
  g_autoptr(GString) text = g_string_new ("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\","
                                          "\"annotations\":{\"summary\":\"");
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  HgAlert *alert;

  /* Two-byte characters, so that a cut by bytes would show. */
  for (int i = 0; i < HG_MAX_MESSAGE_LEN + 50; i++)
    g_string_append (text, "\xc3\xa9");
  g_string_append (text, "\"},\"labels\":{");
  /* Written last to first, so that keeping the first in name order is not
   * the same as keeping the first written. */
  for (int i = HG_MAX_LABELS + 7; i >= 0; i--)
    g_string_append_printf (text, "\"l%02d\":\"value %d\"%s", i, i, i > 0 ? "," : "");
  g_string_append (text, "}}]}");

  alerts = parse (text->str, &error);
  g_assert_no_error (error);
  alert = alerts->pdata[0];
  g_assert_true (g_utf8_validate (alert->message, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (alert->message, -1), ==, HG_MAX_MESSAGE_LEN);
  g_assert_cmpuint (g_hash_table_size (alert->labels), ==, HG_MAX_LABELS);
  g_assert_cmpstr (g_hash_table_lookup (alert->labels, "l00"), ==, "value 0");
  g_assert_true (g_hash_table_contains (alert->labels, "l31"));
  g_assert_false (g_hash_table_contains (alert->labels, "l32"));
}

static void
test_long_value_of_a_kept_label_is_cut (void)
{
  g_autoptr(GString) text = g_string_new ("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\","
                                          "\"labels\":{\"instance\":\"");
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  const char *value;

  for (int i = 0; i < HG_MAX_LABEL_LEN * 3; i++)
    g_string_append (text, "\xe2\x82\xac");
  g_string_append (text, "\"}}]}");
  alerts = parse (text->str, &error);
  g_assert_no_error (error);
  value = g_hash_table_lookup (((HgAlert *) alerts->pdata[0])->labels, "instance");
  g_assert_cmpint (g_utf8_strlen (value, -1), ==, HG_MAX_LABEL_LEN);
}

static void
test_refusals (void)
{
  static const struct {
    const char *body;
    const char *wire_code;
    const char *field;
  } cases[] = {
    { "[]", "invalid_request", NULL },
    { "{\"alerts\":[]}", "unsupported_version", "version" },
    { "{\"version\":4,\"alerts\":[]}", "invalid_field", "version" },
    { "{\"version\":\"3\",\"alerts\":[{\"status\":\"firing\"}]}", "unsupported_version", "version" },
    { "{\"version\":\"4\"}", "invalid_field", "alerts" },
    { "{\"version\":\"4\",\"alerts\":{}}", "invalid_field", "alerts" },
    { "{\"version\":\"4\",\"alerts\":[]}", "invalid_batch", "alerts" },
    { "{\"version\":\"4\",\"alerts\":[1]}", "invalid_field", "alerts[0]" },
    { "{\"version\":\"4\",\"alerts\":[{}]}", "invalid_field", "alerts[0].status" },
    { "{\"version\":\"4\",\"alerts\":[{\"status\":\"pending\"}]}", "invalid_field", "alerts[0].status" },
    { "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\"},{\"status\":\"firing\",\"labels\":[]}]}",
      "invalid_field", "alerts[1].labels" },
    { "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":1}}]}",
      "invalid_field", "alerts[0].labels" },
    { "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"annotations\":{\"summary\":true}}]}",
      "invalid_field", "alerts[0].annotations" },
    { "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"startsAt\":\"yesterday\"}]}",
      "invalid_field", "alerts[0].startsAt" },
    { "{\"version\":\"4\",\"alerts\":[{\"status\":\"resolved\",\"endsAt\":\"0001-01-01T00:00:00Z\"}]}",
      "invalid_field", "alerts[0].endsAt" },
    { "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":7}]}",
      "invalid_field", "alerts[0].fingerprint" },
    { "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"healthguard_type\":\"cardiac arrest\"}}]}",
      "invalid_field", "alerts[0].labels.healthguard_type" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) alerts = parse (cases[i].body, &error);

      g_test_message ("%s", cases[i].body);
      g_assert_null (alerts);
      g_assert_error (error, HG_ERROR, HG_ERROR_INVALID);
      g_assert_cmpstr (hg_error_get_wire_code (error), ==, cases[i].wire_code);
      g_assert_cmpstr (hg_error_get_field (error), ==, cases[i].field);
    }
}

/* Routing labels are never cut: a cut patient id would page the wrong
 * bed. */
static void
test_routing_label_too_long (void)
{
  g_autofree char *id = g_strnfill (HG_MAX_ID_LEN + 1, 'P');
  g_autofree char *text = g_strdup_printf (
    "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"patient_id\":\"%s\"}}]}", id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = parse (text, &error);

  g_assert_null (alerts);
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, "too_long");
  g_assert_cmpstr (hg_error_get_field (error), ==, "alerts[0].labels.patient_id");
}

static void
test_batch_limit (void)
{
  g_autoptr(GString) text = g_string_new ("{\"version\":\"4\",\"alerts\":[");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  for (int i = 0; i < HG_MAX_BATCH_ALERTS; i++)
    g_string_append_printf (text, "%s{\"status\":\"firing\",\"fingerprint\":\"f%d\"}", i > 0 ? "," : "", i);
  g_string_append (text, "]}");
  alerts = parse (text->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (alerts->len, ==, HG_MAX_BATCH_ALERTS);
  g_clear_pointer (&alerts, g_ptr_array_unref);

  g_string_truncate (text, text->len - 2);
  g_string_append (text, ",{\"status\":\"firing\"}]}");
  alerts = parse (text->str, &error);
  g_assert_null (alerts);
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, "invalid_batch");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alertmanager/firing-and-resolved", test_firing_and_resolved);
  g_test_add_func ("/alertmanager/round-trip", test_round_trip);
  g_test_add_func ("/alertmanager/severity-words", test_severity_words);
  g_test_add_func ("/alertmanager/long-text-is-cut", test_long_text_is_cut);
  g_test_add_func ("/alertmanager/long-label-value-is-cut", test_long_value_of_a_kept_label_is_cut);
  g_test_add_func ("/alertmanager/refusals", test_refusals);
  g_test_add_func ("/alertmanager/routing-label-too-long", test_routing_label_too_long);
  g_test_add_func ("/alertmanager/batch-limit", test_batch_limit);

  return g_test_run ();
}
