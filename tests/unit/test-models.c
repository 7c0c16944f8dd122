/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib-object.h>

#include "hg-enum-types.h"
#include "hg-models-private.h"

static void
test_defaults (void)
{
  HgAlert *alert = hg_alert_new ("CALL_BUTTON");
  HgStaff *staff = hg_staff_new ("N01");
  HgAlertType *type = hg_alert_type_new ("CALL_BUTTON");
  HgPatient *patient = hg_patient_new ("P001");
  HgIncident *incident = hg_incident_new ();
  guint n_roles = 99;

  g_assert_cmpstr (hg_alert_get_alert_type (alert), ==, "CALL_BUTTON");
  g_assert_cmpint (hg_alert_get_phase (alert), ==, HG_ALERT_PHASE_START);
  g_assert_false (alert->has_severity);
  g_assert_nonnull (alert->labels);

  g_assert_cmpstr (hg_staff_get_id (staff), ==, "N01");
  g_assert_true (hg_staff_get_available (staff));
  g_assert_false (hg_staff_get_on_duty (staff));

  g_assert_cmpstr (hg_alert_type_get_code (type), ==, "CALL_BUTTON");
  g_assert_nonnull (type->fallback_roles);
  hg_alert_type_get_fallback_roles (type, &n_roles);
  g_assert_cmpuint (n_roles, ==, 0);

  g_assert_cmpstr (hg_patient_get_id (patient), ==, "P001");

  g_assert_cmpint (hg_incident_get_status (incident), ==, HG_INCIDENT_STATUS_OPEN);
  g_assert_null (hg_incident_get_patient (incident));
  g_assert_null (incident->alerts);

  g_assert_finalize_object (alert);
  g_assert_finalize_object (staff);
  g_assert_finalize_object (type);
  g_assert_finalize_object (patient);
  g_assert_finalize_object (incident);
}

static void
test_properties (void)
{
  HgIncident *incident = hg_incident_new ();
  HgStaff *staff = hg_staff_new ("S01");
  g_autofree char *assignee_name = NULL;
  g_autofree char *patient_name = NULL;
  g_autofree char *title = NULL;
  g_autoptr(HgStaff) assignee = NULL;
  HgIncidentStatus status = 0;
  HgRole role = 0;
  gint64 created_at = 0;
  guint count = 0;
  GParamSpec *pspec;

  staff->name = g_strdup ("Dr Roux");
  staff->role = HG_ROLE_SPECIALIST;
  incident->assignee = g_object_ref (staff);
  incident->status = HG_INCIDENT_STATUS_IN_PROGRESS;
  incident->title = g_strdup ("Fall");
  incident->created_at = 1234;
  incident->alert_count = 3;

  g_object_get (incident,
                "status", &status,
                "title", &title,
                "created-at", &created_at,
                "alert-count", &count,
                "assignee", &assignee,
                "assignee-name", &assignee_name,
                "patient-name", &patient_name,
                NULL);
  g_assert_cmpint (status, ==, HG_INCIDENT_STATUS_IN_PROGRESS);
  g_assert_cmpstr (title, ==, "Fall");
  g_assert_cmpint (created_at, ==, 1234);
  g_assert_cmpuint (count, ==, 3);
  g_assert_true (assignee == staff);
  g_assert_cmpstr (assignee_name, ==, "Dr Roux");
  g_assert_null (patient_name);

  g_object_get (staff, "role", &role, NULL);
  g_assert_cmpint (role, ==, HG_ROLE_SPECIALIST);

  /* Read-only, enums typed, and notified only on real change. */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (incident), "severity");
  g_assert_nonnull (pspec);
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == HG_TYPE_SEVERITY);
  g_assert_false (pspec->flags & G_PARAM_WRITABLE);
  g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (staff), "last-assigned-at");
  g_assert_nonnull (pspec);
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_INT64);

  g_clear_object (&assignee);
  g_assert_finalize_object (incident);
  g_assert_finalize_object (staff);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GHashTable *counts)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static HgIncident *
make_incident (const char *assignee_name)
{
  HgIncident *incident = hg_incident_new ();
  HgPatient *patient = hg_patient_new ("P001");
  HgStaff *staff = hg_staff_new ("N02");

  patient->name = g_strdup ("Jeanne Martin");
  staff->name = g_strdup (assignee_name);
  incident->id = 42;
  incident->version = 1;
  incident->status = HG_INCIDENT_STATUS_ASSIGNED;
  incident->severity = HG_SEVERITY_HIGH;
  incident->title = g_strdup ("Patient fall");
  incident->patient = patient;
  incident->assignee = staff;
  incident->alert_count = 1;
  incident->created_at = 1000;
  return incident;
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Names notified, sorted and joined by spaces, with their counts when more
 * than one. */
static char *
notified (GHashTable *counts)
{
  g_autofree const char **names = NULL;
  GString *s = g_string_new (NULL);
  guint n = 0;

  names = (const char **) g_hash_table_get_keys_as_array (counts, &n);
  g_qsort_with_data (names, n, sizeof (char *), compare_names, NULL);
  for (guint i = 0; i < n; i++)
    {
      guint times = GPOINTER_TO_UINT (g_hash_table_lookup (counts, names[i]));

      g_string_append_printf (s, "%s%s", i > 0 ? " " : "", names[i]);
      if (times > 1)
        g_string_append_printf (s, "×%u", times);
    }
  return g_string_free (s, FALSE);
}

static void
test_update_from (void)
{
  HgIncident *incident = make_incident ("Nurse A");
  HgIncident *newer = make_incident ("Nurse B");
  HgIncident *same = make_incident ("Nurse B");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  HgPatient *old_patient = incident->patient;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  newer->version = 2;
  newer->status = HG_INCIDENT_STATUS_ACKNOWLEDGED;
  newer->acknowledged_at = 2000;
  same->version = 2;
  same->status = HG_INCIDENT_STATUS_ACKNOWLEDGED;
  same->acknowledged_at = 2000;

  g_signal_connect (incident, "notify", G_CALLBACK (count_notify), counts);

  g_assert_true (hg_incident_update_from (incident, newer));
  first = notified (counts);
  g_assert_cmpstr (first, ==, "acknowledged-at assignee assignee-name status version");
  g_assert_cmpint (incident->version, ==, 2);
  g_assert_cmpstr (hg_staff_get_name (incident->assignee), ==, "Nurse B");
  /* Same content, so the patient object stays and nobody is told. */
  g_assert_true (incident->patient == old_patient);

  /* An equal copy changes nothing. */
  g_hash_table_remove_all (counts);
  g_assert_false (hg_incident_update_from (incident, same));
  second = notified (counts);
  g_assert_cmpstr (second, ==, "");

  g_assert_finalize_object (same);
  g_assert_finalize_object (newer);
  g_assert_finalize_object (incident);
}

static void
test_update_people (void)
{
  HgIncident *incident = make_incident ("Nurse A");
  HgIncident *newer = make_incident ("Nurse A");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  /* Patient replaced (other bed, same name), assignee gone. */
  g_free (newer->patient->bed);
  newer->patient->bed = g_strdup ("B");
  g_clear_object (&newer->assignee);

  g_signal_connect (incident, "notify", G_CALLBACK (count_notify), counts);
  g_assert_true (hg_incident_update_from (incident, newer));
  first = notified (counts);
  g_assert_cmpstr (first, ==, "assignee assignee-name patient");
  g_assert_true (incident->patient == newer->patient);
  g_assert_null (incident->assignee);

  g_hash_table_remove_all (counts);
  g_clear_object (&newer->patient);
  g_assert_true (hg_incident_update_from (incident, newer));
  second = notified (counts);
  g_assert_cmpstr (second, ==, "patient patient-name");
  g_assert_null (incident->patient);

  g_assert_finalize_object (newer);
  g_assert_finalize_object (incident);
}

static void
test_update_detail (void)
{
  HgIncident *incident = make_incident ("Nurse A");
  HgIncident *newer = make_incident ("Nurse A");
  HgIncident *summary = make_incident ("Nurse A");
  HgAlert *alert = hg_alert_new ("PATIENT_FALL");
  HgNote *note = hg_note_new ();
  HgTimelineEntry *entry = hg_timeline_entry_new ();

  alert->id = 5;
  note->id = 6;
  note->text = g_strdup ("On the floor, conscious");
  entry->id = 7;
  newer->alerts = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (newer->alerts, alert);
  newer->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) hg_note_free);
  g_ptr_array_add (newer->notes, note);
  newer->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) hg_timeline_entry_free);
  g_ptr_array_add (newer->timeline, entry);

  /* Detail alone counts as a change. */
  g_assert_true (hg_incident_update_from (incident, newer));
  g_assert_cmpuint (incident->alerts->len, ==, 1);
  g_assert_true (g_ptr_array_index (incident->alerts, 0) == alert);
  g_assert_true (incident->alerts != newer->alerts);
  g_assert_cmpstr (((HgNote *) g_ptr_array_index (incident->notes, 0))->text, ==,
                   "On the floor, conscious");
  g_assert_true (g_ptr_array_index (incident->notes, 0) != note);
  g_assert_cmpint (((HgTimelineEntry *) g_ptr_array_index (incident->timeline, 0))->id, ==, 7);

  /* Equal detail: no change. A summary without detail keeps it. */
  g_assert_false (hg_incident_update_from (incident, newer));
  g_assert_false (hg_incident_update_from (incident, summary));
  g_assert_nonnull (incident->alerts);
  g_assert_cmpuint (incident->notes->len, ==, 1);

  g_assert_finalize_object (newer);
  g_assert_finalize_object (summary);
  /* The incident's copy of the array still holds the alert. */
  g_assert_cmpuint (G_OBJECT (alert)->ref_count, ==, 1);
  g_assert_finalize_object (incident);
}

static void
test_boxed (void)
{
  g_autoptr(HgNote) note = hg_note_new ();
  g_autoptr(HgNote) note_copy = NULL;
  g_autoptr(HgTimelineEntry) entry = hg_timeline_entry_new ();
  g_autoptr(HgTimelineEntry) entry_copy = NULL;
  GValue value = G_VALUE_INIT;

  g_assert_cmpint (entry->from_status, ==, -1);
  g_assert_cmpint (entry->to_status, ==, -1);

  note->id = 1;
  note->author_id = g_strdup ("N01");
  note->text = g_strdup ("hello");
  note_copy = hg_note_copy (note);
  g_assert_cmpint (note_copy->id, ==, 1);
  g_assert_cmpstr (note_copy->text, ==, "hello");
  g_assert_true (note_copy->text != note->text);

  entry->action = g_strdup ("created");
  entry->to_status = HG_INCIDENT_STATUS_OPEN;
  entry_copy = hg_timeline_entry_copy (entry);
  g_assert_cmpstr (entry_copy->action, ==, "created");
  g_assert_cmpint (entry_copy->from_status, ==, -1);
  g_assert_cmpint (entry_copy->to_status, ==, HG_INCIDENT_STATUS_OPEN);

  g_value_init (&value, HG_TYPE_NOTE);
  g_value_set_boxed (&value, note);
  g_assert_cmpstr (((HgNote *) g_value_get_boxed (&value))->text, ==, "hello");
  g_value_unset (&value);

  g_assert_true (G_TYPE_IS_BOXED (HG_TYPE_TIMELINE_ENTRY));
  hg_note_free (NULL);
  hg_timeline_entry_free (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/shared/models/defaults", test_defaults);
  g_test_add_func ("/shared/models/properties", test_properties);
  g_test_add_func ("/shared/models/update-from", test_update_from);
  g_test_add_func ("/shared/models/update-people", test_update_people);
  g_test_add_func ("/shared/models/update-detail", test_update_detail);
  g_test_add_func ("/shared/models/boxed", test_boxed);

  return g_test_run ();
}
