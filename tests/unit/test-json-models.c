/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hg-test-json.h"

/* Alerts */

static const char full_alert[] =
  "{"
  "  \"type\": \"CARDIAC_ARREST\","
  "  \"patient_id\": \"P001\","
  "  \"location\": {\"ward\": \"Cardiology\", \"room\": \"204\", \"bed\": \"A\"},"
  "  \"severity\": \"critical\","
  "  \"message\": \"VF detected\","
  "  \"source\": \"monitor-204\","
  "  \"labels\": {\"device\": \"MX450\", \"empty\": \"\"},"
  "  \"dedup_key\": \"P001/CARDIAC_ARREST\","
  "  \"phase\": \"start\","
  "  \"occurred_at\": \"2026-11-22T10:15:30.123Z\","
  "  \"unknown_member\": {\"ignored\": [1, 2, 3]}"
  "}";

static void
test_alert_full (void)
{
  g_autoptr(JsonNode) node = parse_ok (full_alert);
  g_autoptr(GError) error = NULL;
  g_autoptr(HgAlert) alert = hg_json_alert_from_node (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (alert->alert_type, ==, "CARDIAC_ARREST");
  g_assert_cmpstr (alert->patient_id, ==, "P001");
  g_assert_cmpstr (alert->ward, ==, "Cardiology");
  g_assert_cmpstr (alert->room, ==, "204");
  g_assert_cmpstr (alert->bed, ==, "A");
  g_assert_true (alert->has_severity);
  g_assert_cmpint (alert->severity, ==, HG_SEVERITY_CRITICAL);
  g_assert_cmpstr (alert->message, ==, "VF detected");
  g_assert_cmpstr (alert->source, ==, "monitor-204");
  g_assert_cmpuint (g_hash_table_size (alert->labels), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (alert->labels, "device"), ==, "MX450");
  g_assert_cmpstr (g_hash_table_lookup (alert->labels, "empty"), ==, "");
  g_assert_cmpstr (alert->dedup_key, ==, "P001/CARDIAC_ARREST");
  g_assert_cmpint (alert->phase, ==, HG_ALERT_PHASE_START);
  g_assert_cmpint (alert->occurred_at, ==, SAMPLE_MS);
  g_assert_cmpint (alert->id, ==, 0);
  g_assert_cmpint (alert->received_at, ==, 0);

  g_assert_finalize_object (g_steal_pointer (&alert));
}

static void
test_alert_minimal (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"type\": \"CALL_BUTTON\", \"severity\": null,"
                                       " \"location\": null, \"phase\": \"end\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(HgAlert) alert = hg_json_alert_from_node (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (hg_alert_get_alert_type (alert), ==, "CALL_BUTTON");
  g_assert_false (alert->has_severity);
  g_assert_null (alert->patient_id);
  g_assert_null (alert->ward);
  g_assert_nonnull (alert->labels);
  g_assert_cmpuint (g_hash_table_size (alert->labels), ==, 0);
  g_assert_cmpint (alert->phase, ==, HG_ALERT_PHASE_END);
  g_assert_cmpint (alert->occurred_at, ==, 0);
}

static char *
repeat (const char *unit,
        guint       n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

/* {"type": "X", <member>: <json>} */
static char *
alert_with (const char *member,
            const char *json)
{
  return g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"%s\": %s}", member, json);
}

static char *
quoted (const char *unit,
        guint       n)
{
  g_autofree char *s = repeat (unit, n);

  return g_strdup_printf ("\"%s\"", s);
}

static char *
labels_json (guint n)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s\"k%u\": \"v\"", i > 0 ? ", " : "", i);
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static void
assert_alert_fails (const char *body,
                    const char *field,
                    const char *wire_code)
{
  g_autoptr(JsonNode) node = parse_ok (body);
  g_autoptr(GError) error = NULL;
  g_autoptr(HgAlert) alert = NULL;

  g_test_message ("expecting %s on %s", wire_code, field);
  alert = hg_json_alert_from_node (node, &error);
  g_assert_null (alert);
  g_assert_error (error, HG_ERROR, HG_ERROR_INVALID);
  g_assert_cmpstr (hg_error_get_field (error), ==, field);
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, wire_code);
  g_assert_cmpuint (hg_error_to_http_status (error), ==, 400);
}

static void
assert_alert_ok (const char *body)
{
  g_autoptr(JsonNode) node = parse_ok (body);
  g_autoptr(GError) error = NULL;
  g_autoptr(HgAlert) alert = hg_json_alert_from_node (node, &error);

  g_assert_no_error (error);
  g_assert_nonnull (alert);
}

static void
test_alert_type_member_errors (void)
{
  g_autofree char *at_limit = quoted ("A", HG_MAX_ID_LEN);
  g_autofree char *over = quoted ("A", HG_MAX_ID_LEN + 1);
  g_autofree char *id64 = g_strdup_printf ("{\"type\": %s}", at_limit);
  g_autofree char *id65 = g_strdup_printf ("{\"type\": %s}", over);

  assert_alert_ok (id64);
  assert_alert_fails (id65, "type", "too_long");
  assert_alert_fails ("{}", "type", "invalid_field");
  assert_alert_fails ("{\"type\": null}", "type", "invalid_field");
  assert_alert_fails ("{\"type\": 5}", "type", "invalid_field");
  assert_alert_fails ("{\"type\": [\"A\"]}", "type", "invalid_field");
  assert_alert_fails ("{\"type\": \"\"}", "type", "invalid_field");
  assert_alert_fails ("{\"type\": \"cardiac_arrest\"}", "type", "invalid_field");
  assert_alert_fails ("{\"type\": \"CARDIAC ARREST\"}", "type", "invalid_field");
  assert_alert_fails ("{\"type\": \"CARDIAC-ARREST\"}", "type", "invalid_field");
}

/* Each limited string member: at the limit passes, one more fails, and a
 * number is the wrong type. */
static void
check_string_limit (const char *member,
                    const char *field,
                    guint       max_len)
{
  /* "é" is two bytes and one character: limits count characters. */
  g_autofree char *at_limit = quoted ("é", max_len);
  g_autofree char *over = quoted ("é", max_len + 1);
  g_autofree char *ok = alert_with (member, at_limit);
  g_autofree char *long_ = alert_with (member, over);
  g_autofree char *number = alert_with (member, "42");

  assert_alert_ok (ok);
  assert_alert_fails (long_, field, "too_long");
  assert_alert_fails (number, field, "invalid_field");
}

static void
test_alert_limits (void)
{
  check_string_limit ("patient_id", "patient_id", HG_MAX_ID_LEN);
  check_string_limit ("message", "message", HG_MAX_MESSAGE_LEN);
  check_string_limit ("source", "source", HG_MAX_SOURCE_LEN);
  check_string_limit ("dedup_key", "dedup_key", HG_MAX_LABEL_LEN);
}

static void
test_alert_location_errors (void)
{
  static const char *const members[] = { "ward", "room", "bed" };

  assert_alert_fails ("{\"type\": \"X\", \"location\": \"Cardiology\"}", "location", "invalid_field");
  assert_alert_fails ("{\"type\": \"X\", \"location\": []}", "location", "invalid_field");

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *field = g_strconcat ("location.", members[i], NULL);
      g_autofree char *at_limit = quoted ("é", HG_MAX_NAME_LEN);
      g_autofree char *over = quoted ("é", HG_MAX_NAME_LEN + 1);
      g_autofree char *ok = g_strdup_printf ("{\"type\": \"X\", \"location\": {\"%s\": %s}}",
                                             members[i], at_limit);
      g_autofree char *long_ = g_strdup_printf ("{\"type\": \"X\", \"location\": {\"%s\": %s}}",
                                                members[i], over);
      g_autofree char *number = g_strdup_printf ("{\"type\": \"X\", \"location\": {\"%s\": 1}}",
                                                 members[i]);

      assert_alert_ok (ok);
      assert_alert_fails (long_, field, "too_long");
      assert_alert_fails (number, field, "invalid_field");
    }
}

static void
test_alert_enum_errors (void)
{
  assert_alert_fails ("{\"type\": \"X\", \"severity\": \"urgent\"}", "severity", "invalid_enum");
  assert_alert_fails ("{\"type\": \"X\", \"severity\": \"Critical\"}", "severity", "invalid_enum");
  assert_alert_fails ("{\"type\": \"X\", \"severity\": 3}", "severity", "invalid_field");
  assert_alert_fails ("{\"type\": \"X\", \"phase\": \"stop\"}", "phase", "invalid_enum");
  assert_alert_fails ("{\"type\": \"X\", \"phase\": true}", "phase", "invalid_field");
}

static void
test_alert_labels_errors (void)
{
  g_autofree char *labels32 = labels_json (HG_MAX_LABELS);
  g_autofree char *labels33 = labels_json (HG_MAX_LABELS + 1);
  g_autofree char *ok32 = alert_with ("labels", labels32);
  g_autofree char *too_many = alert_with ("labels", labels33);
  g_autofree char *key200 = repeat ("k", HG_MAX_LABEL_LEN);
  g_autofree char *key201 = repeat ("k", HG_MAX_LABEL_LEN + 1);
  g_autofree char *value200 = quoted ("é", HG_MAX_LABEL_LEN);
  g_autofree char *value201 = quoted ("é", HG_MAX_LABEL_LEN + 1);
  g_autofree char *key_ok = g_strdup_printf ("{\"type\": \"X\", \"labels\": {\"%s\": \"v\"}}", key200);
  g_autofree char *key_long = g_strdup_printf ("{\"type\": \"X\", \"labels\": {\"%s\": \"v\"}}", key201);
  g_autofree char *value_ok = g_strdup_printf ("{\"type\": \"X\", \"labels\": {\"k\": %s}}", value200);
  g_autofree char *value_long = g_strdup_printf ("{\"type\": \"X\", \"labels\": {\"k\": %s}}", value201);

  assert_alert_ok (ok32);
  assert_alert_fails (too_many, "labels", "too_many");
  assert_alert_ok (key_ok);
  assert_alert_fails (key_long, "labels", "too_long");
  assert_alert_ok (value_ok);
  assert_alert_fails (value_long, "labels.k", "too_long");
  assert_alert_fails ("{\"type\": \"X\", \"labels\": {\"k\": 1}}", "labels.k", "invalid_field");
  assert_alert_fails ("{\"type\": \"X\", \"labels\": {\"k\": null}}", "labels.k", "invalid_field");
  assert_alert_fails ("{\"type\": \"X\", \"labels\": {\"\": \"v\"}}", "labels", "invalid_field");
  assert_alert_fails ("{\"type\": \"X\", \"labels\": [\"a\"]}", "labels", "invalid_field");
  assert_alert_fails ("{\"type\": \"X\", \"labels\": \"a=b\"}", "labels", "invalid_field");
}

static void
test_alert_time_errors (void)
{
  assert_alert_ok ("{\"type\": \"X\", \"occurred_at\": \"2026-11-22T11:15:30+01:00\"}");
  assert_alert_fails ("{\"type\": \"X\", \"occurred_at\": \"yesterday\"}", "occurred_at", "invalid_field");
  assert_alert_fails ("{\"type\": \"X\", \"occurred_at\": \"2026-11-22T10:15:30\"}", "occurred_at", "invalid_field");
  assert_alert_fails ("{\"type\": \"X\", \"occurred_at\": 1795342530123}", "occurred_at", "invalid_field");
}

static void
test_alert_not_object (void)
{
  g_autoptr(JsonNode) node = parse_ok ("[{\"type\": \"X\"}]");
  g_autoptr(GError) error = NULL;

  g_assert_null (hg_json_alert_from_node (node, &error));
  g_assert_error (error, HG_ERROR, HG_ERROR_INVALID);
  g_assert_null (hg_error_get_field (error));
}

/* Round trips: to_node, from_node, to_node gives the same JSON. */

static char *
node_text (JsonNode *node)
{
  return hg_json_to_string (node, NULL);
}

static HgAlert *
sample_alert (gint64 id)
{
  HgAlert *alert = hg_alert_new ("CARDIAC_ARREST");

  alert->id = id;
  alert->incident_id = 42;
  alert->patient_id = g_strdup ("P001");
  alert->ward = g_strdup ("Cardiology");
  alert->room = g_strdup ("204");
  alert->bed = g_strdup ("A");
  alert->severity = HG_SEVERITY_CRITICAL;
  alert->has_severity = TRUE;
  alert->message = g_strdup ("VF detected");
  alert->source = g_strdup ("monitor-204");
  g_hash_table_insert (alert->labels, g_strdup ("device"), g_strdup ("MX450"));
  g_hash_table_insert (alert->labels, g_strdup ("bay"), g_strdup ("2"));
  alert->dedup_key = g_strdup ("P001/CARDIAC_ARREST");
  alert->phase = HG_ALERT_PHASE_END;
  alert->occurred_at = SAMPLE_MS;
  alert->received_at = SAMPLE_MS + 5;
  return alert;
}

static void
test_alert_round_trip (void)
{
  g_autoptr(HgAlert) alert = sample_alert (7);
  g_autoptr(JsonNode) node = hg_json_alert_to_node (alert);
  g_autofree char *text = node_text (node);
  g_autoptr(GError) error = NULL;
  g_autoptr(HgAlert) back = hg_json_alert_from_node (node, &error);
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text2 = NULL;

  g_assert_cmpstr (text, ==,
                   "{\"id\":7,\"incident_id\":42,\"type\":\"CARDIAC_ARREST\",\"patient_id\":\"P001\","
                   "\"location\":{\"ward\":\"Cardiology\",\"room\":\"204\",\"bed\":\"A\"},"
                   "\"severity\":\"critical\",\"message\":\"VF detected\",\"source\":\"monitor-204\","
                   "\"labels\":{\"bay\":\"2\",\"device\":\"MX450\"},\"dedup_key\":\"P001/CARDIAC_ARREST\","
                   "\"phase\":\"end\",\"occurred_at\":\"2026-11-22T10:15:30.123Z\","
                   "\"received_at\":\"2026-11-22T10:15:30.128Z\"}");
  g_assert_no_error (error);
  g_assert_cmpint (back->id, ==, 7);
  g_assert_cmpint (back->incident_id, ==, 42);
  g_assert_cmpint (back->received_at, ==, SAMPLE_MS + 5);

  again = hg_json_alert_to_node (back);
  text2 = node_text (again);
  g_assert_cmpstr (text, ==, text2);
}

static void
test_alert_unset_severity_round_trip (void)
{
  g_autoptr(HgAlert) alert = hg_alert_new ("CALL_BUTTON");
  g_autoptr(JsonNode) node = hg_json_alert_to_node (alert);
  g_autofree char *text = node_text (node);
  g_autoptr(HgAlert) back = hg_json_alert_from_node (node, NULL);

  g_assert_cmpstr (text, ==,
                   "{\"id\":0,\"incident_id\":null,\"type\":\"CALL_BUTTON\",\"patient_id\":null,"
                   "\"location\":{\"ward\":null,\"room\":null,\"bed\":null},\"severity\":null,"
                   "\"message\":null,\"source\":null,\"labels\":{},\"dedup_key\":null,"
                   "\"phase\":\"start\",\"occurred_at\":null,\"received_at\":null}");
  g_assert_nonnull (back);
  g_assert_false (back->has_severity);
}

static HgStaff *
sample_staff (void)
{
  HgStaff *staff = hg_staff_new ("S01");

  staff->name = g_strdup ("Dr Amélie Roux");
  staff->role = HG_ROLE_SPECIALIST;
  staff->specialty = g_strdup ("cardiology");
  staff->ward = g_strdup ("Cardiology");
  staff->on_duty = TRUE;
  staff->available = FALSE;
  staff->logged_in = TRUE;
  staff->workload = 3;
  return staff;
}

static void
test_staff_round_trip (void)
{
  g_autoptr(HgStaff) staff = sample_staff ();
  g_autoptr(JsonNode) node = hg_json_staff_to_node (staff);
  g_autofree char *text = node_text (node);
  g_autoptr(GError) error = NULL;
  g_autoptr(HgStaff) back = hg_json_staff_from_node (node, &error);
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(HgStaff) nurse = hg_staff_new ("N02");
  g_autoptr(JsonNode) nurse_node = NULL;
  g_autofree char *nurse_text = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "{\"id\":\"S01\",\"name\":\"Dr Amélie Roux\",\"role\":\"specialist\","
                   "\"specialty\":\"cardiology\",\"ward\":\"Cardiology\",\"on_duty\":true,"
                   "\"available\":false,\"logged_in\":true,\"workload\":3,\"disabled\":false}");
  again = hg_json_staff_to_node (back);
  text2 = node_text (again);
  g_assert_cmpstr (text, ==, text2);

  /* A specialty only when there is one. */
  nurse_node = hg_json_staff_to_node (nurse);
  nurse_text = node_text (nurse_node);
  g_assert_cmpstr (nurse_text, ==,
                   "{\"id\":\"N02\",\"name\":null,\"role\":\"nurse\",\"specialty\":null,"
                   "\"ward\":null,\"on_duty\":false,\"available\":true,\"logged_in\":false,"
                   "\"workload\":0,\"disabled\":false}");
}

static void
test_staff_errors (void)
{
  g_autoptr(JsonNode) role = parse_ok ("{\"id\": \"X\", \"role\": \"surgeon\"}");
  g_autoptr(JsonNode) workload = parse_ok ("{\"id\": \"X\", \"workload\": -1}");
  g_autoptr(JsonNode) duty = parse_ok ("{\"id\": \"X\", \"on_duty\": \"yes\"}");
  g_autoptr(GError) error = NULL;

  g_assert_null (hg_json_staff_from_node (role, &error));
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, "invalid_enum");
  g_assert_cmpstr (hg_error_get_field (error), ==, "role");
  g_clear_error (&error);
  g_assert_null (hg_json_staff_from_node (workload, &error));
  g_assert_cmpstr (hg_error_get_field (error), ==, "workload");
  g_clear_error (&error);
  g_assert_null (hg_json_staff_from_node (duty, &error));
  g_assert_cmpstr (hg_error_get_field (error), ==, "on_duty");
}

static void
test_patient_round_trip (void)
{
  g_autoptr(HgPatient) patient = hg_patient_new ("P001");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(HgPatient) back = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;

  patient->name = g_strdup ("Jeanne Martin");
  patient->ward = g_strdup ("Cardiology");
  patient->room = g_strdup ("204");
  patient->bed = g_strdup ("A");

  node = hg_json_patient_to_node (patient);
  text = node_text (node);
  g_assert_cmpstr (text, ==,
                   "{\"id\":\"P001\",\"name\":\"Jeanne Martin\",\"ward\":\"Cardiology\","
                   "\"room\":\"204\",\"bed\":\"A\"}");
  back = hg_json_patient_from_node (node, NULL);
  again = hg_json_patient_to_node (back);
  text2 = node_text (again);
  g_assert_cmpstr (text, ==, text2);
}

static void
test_alert_type_round_trip (void)
{
  g_autoptr(HgAlertType) type = hg_alert_type_new ("CARDIAC_ARREST");
  static const HgRole fallback[] = { HG_ROLE_EMERGENCY_DOCTOR, HG_ROLE_CHARGE_NURSE };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(HgAlertType) back = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  const HgRole *roles;
  guint n_roles = 0;

  type->name = g_strdup ("Cardiac arrest");
  type->category = g_strdup ("cardiac");
  type->severity = HG_SEVERITY_CRITICAL;
  type->required_role = HG_ROLE_SPECIALIST;
  type->specialty = g_strdup ("cardiology");
  g_array_append_vals (type->fallback_roles, fallback, G_N_ELEMENTS (fallback));

  node = hg_json_alert_type_to_node (type);
  text = node_text (node);
  g_assert_cmpstr (text, ==,
                   "{\"code\":\"CARDIAC_ARREST\",\"name\":\"Cardiac arrest\",\"category\":\"cardiac\","
                   "\"severity\":\"critical\",\"required_role\":\"specialist\",\"specialty\":\"cardiology\","
                   "\"fallback_roles\":[\"emergency_doctor\",\"charge_nurse\"]}");
  back = hg_json_alert_type_from_node (node, NULL);
  roles = hg_alert_type_get_fallback_roles (back, &n_roles);
  g_assert_cmpuint (n_roles, ==, 2);
  g_assert_cmpint (roles[0], ==, HG_ROLE_EMERGENCY_DOCTOR);
  g_assert_cmpint (roles[1], ==, HG_ROLE_CHARGE_NURSE);
  again = hg_json_alert_type_to_node (back);
  text2 = node_text (again);
  g_assert_cmpstr (text, ==, text2);
}

static void
test_alert_type_errors (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"code\": \"X\", \"fallback_roles\": [\"nurse\", \"janitor\"]}");
  g_autoptr(GError) error = NULL;

  g_assert_null (hg_json_alert_type_from_node (node, &error));
  g_assert_cmpstr (hg_error_get_wire_code (error), ==, "invalid_enum");
  g_assert_cmpstr (hg_error_get_field (error), ==, "fallback_roles[1]");
}

static HgIncident *
sample_incident (gboolean with_detail)
{
  HgIncident *incident = hg_incident_new ();
  HgPatient *patient = hg_patient_new ("P001");
  HgStaff *assignee = hg_staff_new ("S01");

  patient->name = g_strdup ("Jeanne Martin");
  patient->ward = g_strdup ("Cardiology");
  patient->room = g_strdup ("204");
  assignee->name = g_strdup ("Dr Roux");
  assignee->role = HG_ROLE_SPECIALIST;
  assignee->specialty = g_strdup ("cardiology");

  incident->id = 42;
  incident->version = 7;
  incident->status = HG_INCIDENT_STATUS_ASSIGNED;
  incident->severity = HG_SEVERITY_CRITICAL;
  incident->title = g_strdup ("Cardiac arrest");
  incident->alert_type = g_strdup ("CARDIAC_ARREST");
  incident->patient = patient;
  incident->ward = g_strdup ("Cardiology");
  incident->room = g_strdup ("204");
  incident->bed = g_strdup ("A");
  incident->assignee = assignee;
  incident->required_role = HG_ROLE_SPECIALIST;
  incident->required_specialty = g_strdup ("cardiology");
  incident->alert_count = 1;
  incident->created_at = SAMPLE_MS;
  incident->assigned_at = SAMPLE_MS + 1000;

  if (with_detail)
    {
      HgNote *note = hg_note_new ();
      HgTimelineEntry *created = hg_timeline_entry_new ();
      HgTimelineEntry *assigned = hg_timeline_entry_new ();

      incident->alerts = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (incident->alerts, sample_alert (1));
      g_ptr_array_add (incident->alerts, sample_alert (2));

      note->id = 3;
      note->author_id = g_strdup ("N01");
      note->author_name = g_strdup ("Nurse Ratched");
      note->text = g_strdup ("Crash cart on its way");
      note->created_at = SAMPLE_MS + 2000;
      incident->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) hg_note_free);
      g_ptr_array_add (incident->notes, note);

      created->id = 10;
      created->at = SAMPLE_MS;
      created->action = g_strdup ("created");
      created->to_status = HG_INCIDENT_STATUS_OPEN;
      assigned->id = 11;
      assigned->at = SAMPLE_MS + 1000;
      assigned->actor_id = g_strdup ("N01");
      assigned->actor_name = g_strdup ("Nurse Ratched");
      assigned->action = g_strdup ("assigned");
      assigned->from_status = HG_INCIDENT_STATUS_OPEN;
      assigned->to_status = HG_INCIDENT_STATUS_ASSIGNED;
      assigned->detail = g_strdup ("to S01");
      incident->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) hg_timeline_entry_free);
      g_ptr_array_add (incident->timeline, created);
      g_ptr_array_add (incident->timeline, assigned);
    }

  return incident;
}

static void
test_incident_shape (void)
{
  g_autoptr(HgIncident) incident = sample_incident (FALSE);
  g_autoptr(JsonNode) node = hg_json_incident_to_node (incident, TRUE);
  g_autofree char *text = node_text (node);

  /* The contract's example, member for member. */
  g_assert_cmpstr (text, ==,
                   "{\"id\":42,\"version\":7,\"status\":\"assigned\",\"severity\":\"critical\","
                   "\"title\":\"Cardiac arrest\",\"alert_type\":\"CARDIAC_ARREST\","
                   "\"patient\":{\"id\":\"P001\",\"name\":\"Jeanne Martin\",\"ward\":\"Cardiology\",\"room\":\"204\"},"
                   "\"location\":{\"ward\":\"Cardiology\",\"room\":\"204\",\"bed\":\"A\"},"
                   "\"assignee\":{\"id\":\"S01\",\"name\":\"Dr Roux\",\"role\":\"specialist\",\"specialty\":\"cardiology\"},"
                   "\"required_role\":\"specialist\",\"required_specialty\":\"cardiology\","
                   "\"alert_count\":1,\"escalation_level\":0,"
                   "\"created_at\":\"2026-11-22T10:15:30.123Z\",\"assigned_at\":\"2026-11-22T10:15:31.123Z\","
                   "\"acknowledged_at\":null,\"started_at\":null,\"resolved_at\":null}");
}

static void
test_incident_nulls (void)
{
  g_autoptr(HgIncident) incident = hg_incident_new ();
  g_autoptr(JsonNode) node = hg_json_incident_to_node (incident, FALSE);
  JsonObject *object = json_node_get_object (node);

  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "patient")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "assignee")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "required_specialty")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "created_at")));
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "open");
  g_assert_false (json_object_has_member (object, "alerts"));
}

static void
test_incident_round_trip (void)
{
  g_autoptr(HgIncident) incident = sample_incident (TRUE);
  g_autoptr(JsonNode) node = hg_json_incident_to_node (incident, TRUE);
  g_autofree char *text = node_text (node);
  g_autoptr(GError) error = NULL;
  g_autoptr(HgIncident) back = hg_json_incident_from_node (node, &error);
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text2 = NULL;
  HgTimelineEntry *entry;
  HgNote *note;

  g_assert_no_error (error);
  g_assert_cmpint (back->id, ==, 42);
  g_assert_cmpint (back->status, ==, HG_INCIDENT_STATUS_ASSIGNED);
  g_assert_cmpstr (hg_patient_get_name (back->patient), ==, "Jeanne Martin");
  g_assert_cmpstr (hg_staff_get_specialty (back->assignee), ==, "cardiology");
  g_assert_cmpuint (back->alerts->len, ==, 2);
  g_assert_cmpuint (back->notes->len, ==, 1);
  g_assert_cmpuint (back->timeline->len, ==, 2);

  note = g_ptr_array_index (back->notes, 0);
  g_assert_cmpstr (note->author_name, ==, "Nurse Ratched");
  g_assert_cmpint (note->created_at, ==, SAMPLE_MS + 2000);
  entry = g_ptr_array_index (back->timeline, 0);
  g_assert_null (entry->actor_id);
  g_assert_cmpint (entry->from_status, ==, -1);
  g_assert_cmpint (entry->to_status, ==, HG_INCIDENT_STATUS_OPEN);
  entry = g_ptr_array_index (back->timeline, 1);
  g_assert_cmpstr (entry->actor_id, ==, "N01");
  g_assert_cmpint (entry->from_status, ==, HG_INCIDENT_STATUS_OPEN);

  again = hg_json_incident_to_node (back, TRUE);
  text2 = node_text (again);
  g_assert_cmpstr (text, ==, text2);

  g_assert_finalize_object (g_steal_pointer (&back));
}

static void
test_incident_detail_shapes (void)
{
  g_autoptr(HgIncident) incident = sample_incident (TRUE);
  g_autoptr(JsonNode) node = hg_json_incident_to_node (incident, TRUE);
  g_autoptr(JsonNode) summary = hg_json_incident_to_node (incident, FALSE);
  JsonObject *object = json_node_get_object (node);
  JsonArray *notes = json_object_get_array_member (object, "notes");
  JsonArray *timeline = json_object_get_array_member (object, "timeline");
  g_autofree char *note_text = NULL;
  g_autofree char *entry_text = NULL;

  g_assert_false (json_object_has_member (json_node_get_object (summary), "alerts"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "alerts")), ==, 2);

  note_text = node_text (json_array_get_element (notes, 0));
  g_assert_cmpstr (note_text, ==,
                   "{\"id\":3,\"author\":{\"id\":\"N01\",\"name\":\"Nurse Ratched\"},"
                   "\"text\":\"Crash cart on its way\",\"created_at\":\"2026-11-22T10:15:32.123Z\"}");
  entry_text = node_text (json_array_get_element (timeline, 0));
  g_assert_cmpstr (entry_text, ==,
                   "{\"id\":10,\"at\":\"2026-11-22T10:15:30.123Z\",\"actor\":null,\"action\":\"created\","
                   "\"from\":null,\"to\":\"open\",\"detail\":null}");
}

static void
test_incident_errors (void)
{
  static const struct {
    const char *json;
    const char *field;
  } cases[] = {
    { "{\"status\": \"closed\"}", "status" },
    { "{\"id\": \"42\"}", "id" },
    { "{\"patient\": {\"name\": 5}}", "patient.name" },
    { "{\"patient\": 5}", "patient" },
    { "{\"assignee\": {\"role\": \"boss\"}}", "assignee.role" },
    { "{\"alerts\": {}}", "alerts" },
    { "{\"alerts\": [{\"type\": \"A\"}, {\"type\": \"b\"}]}", "alerts[1].type" },
    { "{\"notes\": [{\"author\": {\"id\": 1}}]}", "notes[0].author.id" },
    { "{\"timeline\": [{\"to\": \"closed\"}]}", "timeline[0].to" },
    { "{\"created_at\": \"now\"}", "created_at" },
    { "{\"escalation_level\": -1}", "escalation_level" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse_ok (cases[i].json);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].json);
      g_assert_null (hg_json_incident_from_node (node, &error));
      g_assert_error (error, HG_ERROR, HG_ERROR_INVALID);
      g_assert_cmpstr (hg_error_get_field (error), ==, cases[i].field);
    }

  /* Without an error to fill in, too. */
  {
    g_autoptr(JsonNode) node = parse_ok ("{\"patient\": {\"name\": 5}}");

    g_assert_null (hg_json_incident_from_node (node, NULL));
  }
}

/* Error bodies */

static void
test_error_body (void)
{
  g_autoptr(GError) with_field = NULL;
  g_autoptr(GError) plain = NULL;
  g_autoptr(GError) other = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_NOENT, "disk gone");
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(JsonNode) c = NULL;
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;
  g_autofree char *tc = NULL;

  hg_set_error (&with_field, HG_ERROR_INVALID, "too_long", "message", "message is too \"long\"");
  hg_set_error (&plain, HG_ERROR_NOT_FOUND, NULL, NULL, "no incident 42");

  a = hg_json_error_body (with_field);
  b = hg_json_error_body (plain);
  c = hg_json_error_body (other);
  ta = node_text (a);
  tb = node_text (b);
  tc = node_text (c);

  g_assert_cmpstr (ta, ==, "{\"error\":{\"code\":\"too_long\",\"message\":\"message is too \\\"long\\\"\",\"field\":\"message\"}}");
  g_assert_cmpstr (tb, ==, "{\"error\":{\"code\":\"not_found\",\"message\":\"no incident 42\"}}");
  g_assert_cmpstr (tc, ==, "{\"error\":{\"code\":\"internal_error\",\"message\":\"disk gone\"}}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/shared/json/alert/full", test_alert_full);
  g_test_add_func ("/shared/json/alert/minimal", test_alert_minimal);
  g_test_add_func ("/shared/json/alert/type-errors", test_alert_type_member_errors);
  g_test_add_func ("/shared/json/alert/limits", test_alert_limits);
  g_test_add_func ("/shared/json/alert/location-errors", test_alert_location_errors);
  g_test_add_func ("/shared/json/alert/enum-errors", test_alert_enum_errors);
  g_test_add_func ("/shared/json/alert/labels-errors", test_alert_labels_errors);
  g_test_add_func ("/shared/json/alert/time-errors", test_alert_time_errors);
  g_test_add_func ("/shared/json/alert/not-object", test_alert_not_object);
  g_test_add_func ("/shared/json/alert/round-trip", test_alert_round_trip);
  g_test_add_func ("/shared/json/alert/unset-severity", test_alert_unset_severity_round_trip);
  g_test_add_func ("/shared/json/staff/round-trip", test_staff_round_trip);
  g_test_add_func ("/shared/json/staff/errors", test_staff_errors);
  g_test_add_func ("/shared/json/patient/round-trip", test_patient_round_trip);
  g_test_add_func ("/shared/json/alert-type/round-trip", test_alert_type_round_trip);
  g_test_add_func ("/shared/json/alert-type/errors", test_alert_type_errors);
  g_test_add_func ("/shared/json/incident/shape", test_incident_shape);
  g_test_add_func ("/shared/json/incident/nulls", test_incident_nulls);
  g_test_add_func ("/shared/json/incident/round-trip", test_incident_round_trip);
  g_test_add_func ("/shared/json/incident/detail-shapes", test_incident_detail_shapes);
  g_test_add_func ("/shared/json/incident/errors", test_incident_errors);
  g_test_add_func ("/shared/json/error-body", test_error_body);

  return g_test_run ();
}
