/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hg-models-private.h"
#include "hg-routing.h"

typedef struct {
  HgStaff *staff;
  guint    tier;
  gboolean in_ward;
} Candidate;

static gboolean
is_excluded (HgStaff           *staff,
             const char *const *exclude)
{
  return exclude != NULL && staff->id != NULL &&
         g_strv_contains (exclude, staff->id);
}

static gboolean
may_take_incidents (HgStaff           *staff,
                    const char *const *exclude)
{
  /* Admins run the system, they do not go to bedsides. */
  return staff->role != HG_ROLE_ADMIN &&
         staff->on_duty && staff->available && !staff->disabled &&
         !is_excluded (staff, exclude);
}

static gboolean
matches_required (HgAlertType *type,
                  HgStaff     *staff)
{
  if (staff->role != type->required_role)
    return FALSE;
  /* Only specialists have a specialty, so only there does the type's
   * specialty narrow the tier; a specialist type without one takes any
   * specialist. */
  if (type->required_role == HG_ROLE_SPECIALIST && type->specialty != NULL)
    return g_strcmp0 (staff->specialty, type->specialty) == 0;
  return TRUE;
}

/* The best tier a person belongs to: 0 the required role, 1..n the
 * fallback roles in order, n + 1 anyone else. */
static guint
tier_of (HgAlertType *type,
         HgStaff     *staff)
{
  guint n_fallback = type->fallback_roles->len;

  if (matches_required (type, staff))
    return 0;
  for (guint i = 0; i < n_fallback; i++)
    {
      if (g_array_index (type->fallback_roles, HgRole, i) == staff->role)
        return i + 1;
    }
  return n_fallback + 1;
}

static gboolean
is_ward_role (HgRole role)
{
  return role == HG_ROLE_NURSE || role == HG_ROLE_CHARGE_NURSE;
}

static int
compare_int64 (gint64 a,
               gint64 b)
{
  return (a > b) - (a < b);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a;
  const Candidate *cb = b;
  int cmp;

  if ((cmp = compare_int64 (ca->tier, cb->tier)) != 0)
    return cmp;
  if ((cmp = compare_int64 (cb->in_ward, ca->in_ward)) != 0)
    return cmp;
  if ((cmp = compare_int64 (ca->staff->workload, cb->staff->workload)) != 0)
    return cmp;
  /* Longest idle first; 0 (never assigned) sorts before any real time. */
  if ((cmp = compare_int64 (ca->staff->last_assigned_at, cb->staff->last_assigned_at)) != 0)
    return cmp;
  return g_strcmp0 (ca->staff->id, cb->staff->id);
}

static GArray *
collect_candidates (HgAlertType       *type,
                    const char        *ward,
                    GPtrArray         *staff,
                    const char *const *exclude)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));

  for (guint i = 0; i < staff->len; i++)
    {
      HgStaff *person = g_ptr_array_index (staff, i);
      Candidate c;

      g_assert (HG_IS_STAFF (person));

      if (person->id == NULL || !may_take_incidents (person, exclude))
        continue;
      /* The same person listed twice still gets one place. */
      if (!g_hash_table_add (seen, person->id))
        continue;

      c.staff = person;
      c.tier = tier_of (type, person);
      c.in_ward = ward != NULL && is_ward_role (person->role) &&
                  g_strcmp0 (person->ward, ward) == 0;
      g_array_append_val (candidates, c);
    }

  return candidates;
}

GPtrArray *
hg_routing_rank (HgAlertType       *type,
                 const char        *ward,
                 GPtrArray         *candidates,
                 const char *const *exclude)
{
  g_autoptr(GArray) ranked = NULL;
  GPtrArray *result;

  g_return_val_if_fail (HG_IS_ALERT_TYPE (type), NULL);
  g_return_val_if_fail (candidates != NULL, NULL);

  ranked = collect_candidates (type, ward, candidates, exclude);
  /* The comparator is total (ids are unique), so the order does not depend
   * on the input order. */
  g_array_sort (ranked, compare_candidates);

  result = g_ptr_array_sized_new (ranked->len);
  for (guint i = 0; i < ranked->len; i++)
    g_ptr_array_add (result, g_array_index (ranked, Candidate, i).staff);

  return result;
}
