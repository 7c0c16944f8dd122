/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>

#include "hg-models-private.h"
#include "hg-routing.h"

typedef struct {
  GPtrArray *staff;   /* of HgStaff*, owned */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->staff = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->staff, g_ptr_array_unref);
}

static HgStaff *
add_staff (Fixture    *f,
           const char *id,
           HgRole      role,
           const char *specialty,
           const char *ward)
{
  HgStaff *staff = hg_staff_new (id);

  staff->role = role;
  staff->specialty = g_strdup (specialty);
  staff->ward = g_strdup (ward);
  staff->on_duty = TRUE;
  staff->available = TRUE;
  g_ptr_array_add (f->staff, staff);
  return staff;
}

static HgAlertType *
make_type (HgRole        required,
           const char   *specialty,
           const HgRole *fallback,
           guint         n_fallback)
{
  HgAlertType *type = hg_alert_type_new ("TEST");

  type->required_role = required;
  type->specialty = g_strdup (specialty);
  g_array_append_vals (type->fallback_roles, fallback, n_fallback);
  return type;
}

/* Ranks and compares the ids with @expected, a space-separated list. */
static void
assert_rank (HgAlertType       *type,
             const char        *ward,
             GPtrArray         *staff,
             const char *const *exclude,
             const char        *expected)
{
  g_autoptr(GPtrArray) ranked = hg_routing_rank (type, ward, staff, exclude);
  g_autoptr(GString) ids = g_string_new (NULL);

  g_assert_nonnull (ranked);
  for (guint i = 0; i < ranked->len; i++)
    {
      if (i > 0)
        g_string_append_c (ids, ' ');
      g_string_append (ids, hg_staff_get_id (g_ptr_array_index (ranked, i)));
    }
  g_assert_cmpstr (ids->str, ==, expected);
}

static void
test_required_tier (Fixture       *f,
                    gconstpointer  data)
{
  static const HgRole fallback[] = { HG_ROLE_EMERGENCY_DOCTOR };
  g_autoptr(HgAlertType) type = make_type (HG_ROLE_SPECIALIST, "cardiology",
                                           fallback, G_N_ELEMENTS (fallback));

  add_staff (f, "N02", HG_ROLE_NURSE, NULL, "Cardiology");
  add_staff (f, "S03", HG_ROLE_SPECIALIST, "pulmonology", NULL);
  add_staff (f, "D01", HG_ROLE_EMERGENCY_DOCTOR, NULL, NULL);
  add_staff (f, "A01", HG_ROLE_ADMIN, NULL, NULL);
  add_staff (f, "S01", HG_ROLE_SPECIALIST, "cardiology", NULL)->workload = 4;
  add_staff (f, "N01", HG_ROLE_CHARGE_NURSE, NULL, "Cardiology");

  /* The busy cardiologist still comes first: the tier beats the workload.
   * Specialists of another specialty are only "anyone". */
  assert_rank (type, NULL, f->staff, NULL, "S01 D01 N01 N02 S03");
}

static void
test_specialty_any (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(HgAlertType) type = make_type (HG_ROLE_SPECIALIST, NULL, NULL, 0);

  add_staff (f, "D01", HG_ROLE_EMERGENCY_DOCTOR, NULL, NULL);
  add_staff (f, "S03", HG_ROLE_SPECIALIST, "pulmonology", NULL);
  add_staff (f, "S01", HG_ROLE_SPECIALIST, "cardiology", NULL);

  assert_rank (type, NULL, f->staff, NULL, "S01 S03 D01");
}

static void
test_specialty_none_matching (Fixture       *f,
                              gconstpointer  data)
{
  static const HgRole fallback[] = { HG_ROLE_SPECIALIST };
  g_autoptr(HgAlertType) type = make_type (HG_ROLE_SPECIALIST, "neurology",
                                           fallback, G_N_ELEMENTS (fallback));

  add_staff (f, "S03", HG_ROLE_SPECIALIST, "pulmonology", NULL);
  add_staff (f, "S01", HG_ROLE_SPECIALIST, "cardiology", NULL)->workload = 1;
  add_staff (f, "S05", HG_ROLE_SPECIALIST, "neurology", NULL)->available = FALSE;

  /* No neurologist available: any specialist, as the fallback says. */
  assert_rank (type, NULL, f->staff, NULL, "S03 S01");
}

static void
test_fallback_order (Fixture       *f,
                     gconstpointer  data)
{
  static const HgRole charge_first[] = { HG_ROLE_CHARGE_NURSE, HG_ROLE_EMERGENCY_DOCTOR };
  static const HgRole doctor_first[] = { HG_ROLE_EMERGENCY_DOCTOR, HG_ROLE_CHARGE_NURSE };
  g_autoptr(HgAlertType) a = make_type (HG_ROLE_NURSE, NULL, charge_first, 2);
  g_autoptr(HgAlertType) b = make_type (HG_ROLE_NURSE, NULL, doctor_first, 2);

  add_staff (f, "S01", HG_ROLE_SPECIALIST, "cardiology", NULL);
  add_staff (f, "D01", HG_ROLE_EMERGENCY_DOCTOR, NULL, NULL);
  add_staff (f, "N01", HG_ROLE_CHARGE_NURSE, NULL, "Cardiology");
  add_staff (f, "N02", HG_ROLE_NURSE, NULL, "Cardiology")->workload = 5;

  assert_rank (a, NULL, f->staff, NULL, "N02 N01 D01 S01");
  assert_rank (b, NULL, f->staff, NULL, "N02 D01 N01 S01");
}

static void
test_anyone_tier (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(HgAlertType) type = make_type (HG_ROLE_NURSE, NULL, NULL, 0);

  add_staff (f, "N01", HG_ROLE_CHARGE_NURSE, NULL, "Cardiology");
  add_staff (f, "S01", HG_ROLE_SPECIALIST, "cardiology", NULL)->workload = 2;
  add_staff (f, "D01", HG_ROLE_EMERGENCY_DOCTOR, NULL, NULL);
  add_staff (f, "N02", HG_ROLE_NURSE, NULL, "Cardiology")->workload = 3;
  add_staff (f, "A01", HG_ROLE_ADMIN, NULL, NULL);

  /* The charge nurse is not a nurse for routing: not unless the fallback
   * roles say so, and then only as anyone else. */
  assert_rank (type, NULL, f->staff, NULL, "N02 D01 N01 S01");
}

static void
test_excluded (Fixture       *f,
               gconstpointer  data)
{
  static const char *const exclude[] = { "N06", NULL };
  g_autoptr(HgAlertType) type = make_type (HG_ROLE_NURSE, NULL, NULL, 0);

  add_staff (f, "N02", HG_ROLE_NURSE, NULL, NULL)->on_duty = FALSE;
  add_staff (f, "N03", HG_ROLE_NURSE, NULL, NULL)->available = FALSE;
  add_staff (f, "N04", HG_ROLE_NURSE, NULL, NULL)->disabled = TRUE;
  add_staff (f, "A01", HG_ROLE_ADMIN, NULL, NULL);
  add_staff (f, "N06", HG_ROLE_NURSE, NULL, NULL);
  add_staff (f, "N05", HG_ROLE_NURSE, NULL, NULL);

  assert_rank (type, NULL, f->staff, exclude, "N05");
  assert_rank (type, NULL, f->staff, NULL, "N05 N06");
}

static void
test_tie_break (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(HgAlertType) type = make_type (HG_ROLE_NURSE, NULL, NULL, 0);
  HgStaff *s;

  s = add_staff (f, "N02", HG_ROLE_NURSE, NULL, NULL);
  s->workload = 1;
  s->last_assigned_at = 100;
  s = add_staff (f, "N03", HG_ROLE_NURSE, NULL, NULL);
  s->last_assigned_at = 500;
  s = add_staff (f, "N04", HG_ROLE_NURSE, NULL, NULL);
  s->last_assigned_at = 200;
  add_staff (f, "N06", HG_ROLE_NURSE, NULL, NULL);
  add_staff (f, "N05", HG_ROLE_NURSE, NULL, NULL);

  /* Fewest incidents; then never assigned, then longest idle; then id. */
  assert_rank (type, NULL, f->staff, NULL, "N05 N06 N04 N03 N02");
}

static void
test_ward_preference (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(HgAlertType) nurse = make_type (HG_ROLE_NURSE, NULL, NULL, 0);
  g_autoptr(HgAlertType) doctor = make_type (HG_ROLE_EMERGENCY_DOCTOR, NULL, NULL, 0);

  add_staff (f, "N03", HG_ROLE_NURSE, NULL, "Neurology");
  add_staff (f, "N02", HG_ROLE_NURSE, NULL, "Cardiology")->workload = 3;
  add_staff (f, "D01", HG_ROLE_EMERGENCY_DOCTOR, NULL, "Cardiology")->workload = 2;
  add_staff (f, "D02", HG_ROLE_EMERGENCY_DOCTOR, NULL, "Neurology");

  /* Nurses of the ward first, however busy. */
  assert_rank (nurse, "Cardiology", f->staff, NULL, "N02 N03 D02 D01");
  /* Without a ward, the workload decides. */
  assert_rank (nurse, NULL, f->staff, NULL, "N03 N02 D02 D01");
  /* Doctors are not ward staff: the workload decides. */
  assert_rank (doctor, "Cardiology", f->staff, NULL, "D02 D01 N02 N03");
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(HgAlertType) type = make_type (HG_ROLE_NURSE, NULL, NULL, 0);

  assert_rank (type, "Cardiology", f->staff, NULL, "");
  add_staff (f, "A01", HG_ROLE_ADMIN, NULL, NULL);
  add_staff (f, "N02", HG_ROLE_NURSE, NULL, NULL)->on_duty = FALSE;
  assert_rank (type, "Cardiology", f->staff, NULL, "");
}

static void
test_once_and_order_independent (Fixture       *f,
                                 gconstpointer  data)
{
  static const HgRole fallback[] = { HG_ROLE_NURSE };
  g_autoptr(HgAlertType) type = make_type (HG_ROLE_NURSE, NULL, fallback, 1);
  g_autoptr(GPtrArray) reversed = g_ptr_array_new ();

  add_staff (f, "N02", HG_ROLE_NURSE, NULL, NULL);
  add_staff (f, "N03", HG_ROLE_NURSE, NULL, NULL);
  add_staff (f, "D01", HG_ROLE_EMERGENCY_DOCTOR, NULL, NULL);
  /* The same person listed twice. */
  g_ptr_array_add (f->staff, g_object_ref (g_ptr_array_index (f->staff, 0)));

  assert_rank (type, NULL, f->staff, NULL, "N02 N03 D01");

  for (guint i = f->staff->len; i > 0; i--)
    g_ptr_array_add (reversed, g_ptr_array_index (f->staff, i - 1));
  assert_rank (type, NULL, reversed, NULL, "N02 N03 D01");
}

#define ADD(path, func) \
  g_test_add ("/shared/routing/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("required-tier", test_required_tier);
  ADD ("specialty-any", test_specialty_any);
  ADD ("specialty-none-matching", test_specialty_none_matching);
  ADD ("fallback-order", test_fallback_order);
  ADD ("anyone-tier", test_anyone_tier);
  ADD ("excluded", test_excluded);
  ADD ("tie-break", test_tie_break);
  ADD ("ward-preference", test_ward_preference);
  ADD ("empty", test_empty);
  ADD ("once-and-order-independent", test_once_and_order_independent);

  return g_test_run ();
}
