/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "hg-error.h"
#include "hg-lifecycle.h"

/* The expected outcomes, written by hand from the contract's lifecycle (and
 * not by calling the code). One letter per (actor, has_text):
 *
 *   O A K P R   next status: open, assigned, acknowledged, in_progress, resolved
 *   C           409 illegal_transition
 *   F           403 not_your_incident
 *   X           403 role_not_allowed
 *   N           400 note_required (field "note")
 *   Q           400 reason_required (field "reason")
 *
 * Each row reads "aa oo cc dd": the assignee, another nurse, a charge nurse
 * and an admin, each without and with a note or reason. An open incident
 * has no assignee, so there the "assignee" is one more nurse. */

typedef struct {
  HgIncidentStatus  status;
  HgAction          action;
  const char       *level0;   /* escalation_level 0 */
  const char       *level1;   /* escalation_level 1; NULL: as level0 */
} Row;

#define S(x) HG_INCIDENT_STATUS_##x
#define A(x) HG_ACTION_##x

static const Row table[] = {
  { S (OPEN), A (ACKNOWLEDGE),         "CC CC CC CC", NULL },
  { S (OPEN), A (START),               "CC CC CC CC", NULL },
  { S (OPEN), A (RESOLVE),             "XX XX NR NR", NULL },
  { S (OPEN), A (CLAIM),               "KK KK KK KK", NULL },
  { S (OPEN), A (DECLINE),             "CC CC CC CC", NULL },
  { S (OPEN), A (REASSIGN),            "XX XX AA AA", NULL },
  { S (OPEN), A (ESCALATE),            "AA AA AA AA", NULL },

  { S (ASSIGNED), A (ACKNOWLEDGE),     "KK FF FF FF", NULL },
  { S (ASSIGNED), A (START),           "CC CC CC CC", NULL },
  { S (ASSIGNED), A (RESOLVE),         "NR FF NR NR", NULL },
  { S (ASSIGNED), A (CLAIM),           "KK CC CC CC", "KK KK KK KK" },
  { S (ASSIGNED), A (DECLINE),         "QA FF FF FF", NULL },
  { S (ASSIGNED), A (REASSIGN),        "AA FF AA AA", NULL },
  { S (ASSIGNED), A (ESCALATE),        "AA FF AA AA", NULL },

  { S (ACKNOWLEDGED), A (ACKNOWLEDGE), "CC CC CC CC", NULL },
  { S (ACKNOWLEDGED), A (START),       "PP FF FF FF", NULL },
  { S (ACKNOWLEDGED), A (RESOLVE),     "CC CC CC CC", NULL },
  { S (ACKNOWLEDGED), A (CLAIM),       "CC CC CC CC", NULL },
  { S (ACKNOWLEDGED), A (DECLINE),     "CC CC CC CC", NULL },
  { S (ACKNOWLEDGED), A (REASSIGN),    "AA FF AA AA", NULL },
  { S (ACKNOWLEDGED), A (ESCALATE),    "KK FF KK KK", NULL },

  { S (IN_PROGRESS), A (ACKNOWLEDGE),  "CC CC CC CC", NULL },
  { S (IN_PROGRESS), A (START),        "CC CC CC CC", NULL },
  { S (IN_PROGRESS), A (RESOLVE),      "RR FF RR RR", NULL },
  { S (IN_PROGRESS), A (CLAIM),        "CC CC CC CC", NULL },
  { S (IN_PROGRESS), A (DECLINE),      "CC CC CC CC", NULL },
  { S (IN_PROGRESS), A (REASSIGN),     "AA FF AA AA", NULL },
  { S (IN_PROGRESS), A (ESCALATE),     "PP FF PP PP", NULL },

  { S (RESOLVED), A (ACKNOWLEDGE),     "CC CC CC CC", NULL },
  { S (RESOLVED), A (START),           "CC CC CC CC", NULL },
  { S (RESOLVED), A (RESOLVE),         "CC CC CC CC", NULL },
  { S (RESOLVED), A (CLAIM),           "CC CC CC CC", NULL },
  { S (RESOLVED), A (DECLINE),         "CC CC CC CC", NULL },
  { S (RESOLVED), A (REASSIGN),        "CC CC CC CC", NULL },
  { S (RESOLVED), A (ESCALATE),        "CC CC CC CC", NULL },
};

static const struct {
  const char *id;
  HgRole      role;
} actors[] = {
  { "N02", HG_ROLE_NURSE },          /* the assignee */
  { "N03", HG_ROLE_NURSE },
  { "N01", HG_ROLE_CHARGE_NURSE },
  { "A01", HG_ROLE_ADMIN },
};

static void
check_outcome (const Row  *row,
               guint       level,
               guint       actor,
               gboolean    has_text,
               char        expected)
{
  g_autoptr(GError) error = NULL;
  const char *assignee = row->status == S (OPEN) ? NULL : "N02";
  HgIncidentStatus next = 99;
  gboolean ok;

  g_test_message ("%s %s level %u by %s %s text: expecting %c",
                  hg_action_to_string (row->action),
                  hg_incident_status_to_string (row->status),
                  level, actors[actor].id, has_text ? "with" : "without", expected);

  ok = hg_lifecycle_check (row->status, assignee, level, row->action,
                           actors[actor].id, actors[actor].role, has_text,
                           &next, &error);

  switch (expected)
    {
    case 'O': case 'A': case 'K': case 'P': case 'R':
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpint (next, ==, (int) (strchr ("OAKPR", expected) - "OAKPR"));
      return;
    case 'C':
      g_assert_error (error, HG_ERROR, HG_ERROR_CONFLICT);
      g_assert_cmpstr (hg_error_get_wire_code (error), ==, "illegal_transition");
      break;
    case 'F':
      g_assert_error (error, HG_ERROR, HG_ERROR_FORBIDDEN);
      g_assert_cmpstr (hg_error_get_wire_code (error), ==, "not_your_incident");
      break;
    case 'X':
      g_assert_error (error, HG_ERROR, HG_ERROR_FORBIDDEN);
      g_assert_cmpstr (hg_error_get_wire_code (error), ==, "role_not_allowed");
      break;
    case 'N':
      g_assert_error (error, HG_ERROR, HG_ERROR_INVALID);
      g_assert_cmpstr (hg_error_get_wire_code (error), ==, "note_required");
      g_assert_cmpstr (hg_error_get_field (error), ==, "note");
      break;
    case 'Q':
      g_assert_error (error, HG_ERROR, HG_ERROR_INVALID);
      g_assert_cmpstr (hg_error_get_wire_code (error), ==, "reason_required");
      g_assert_cmpstr (hg_error_get_field (error), ==, "reason");
      break;
    default:
      g_assert_not_reached ();
    }

  g_assert_false (ok);
  g_assert_cmpint (next, ==, 99);
}

static void
check_row (const Row  *row,
           guint       level,
           const char *outcomes)
{
  guint k = 0;

  for (const char *p = outcomes; *p != '\0'; p++)
    {
      if (*p == ' ')
        continue;
      g_assert_cmpuint (k, <, G_N_ELEMENTS (actors) * 2);
      check_outcome (row, level, k / 2, k % 2 == 1, *p);
      k++;
    }
  g_assert_cmpuint (k, ==, G_N_ELEMENTS (actors) * 2);
}

static void
test_table (void)
{
  gboolean seen[HG_N_STATUSES][HG_N_ACTIONS] = { { FALSE } };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      const Row *row = &table[i];

      g_assert_false (seen[row->status][row->action]);
      seen[row->status][row->action] = TRUE;

      check_row (row, 0, row->level0);
      check_row (row, 1, row->level1 != NULL ? row->level1 : row->level0);
    }

  /* Every (status, action) has its row. */
  for (guint s = 0; s < HG_N_STATUSES; s++)
    for (guint a = 0; a < HG_N_ACTIONS; a++)
      g_assert_true (seen[s][a]);
}

static void
test_messages (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (hg_lifecycle_check (S (RESOLVED), "N02", 0, A (ACKNOWLEDGE),
                                      "N02", HG_ROLE_NURSE, FALSE, NULL, &error));
  g_assert_cmpstr (error->message, ==, "cannot acknowledge an incident that is resolved");
  g_assert_cmpuint (hg_error_to_http_status (error), ==, 409);
  g_clear_error (&error);

  g_assert_false (hg_lifecycle_check (S (IN_PROGRESS), "N02", 0, A (START),
                                      "N02", HG_ROLE_NURSE, FALSE, NULL, &error));
  g_assert_cmpstr (error->message, ==, "cannot start an incident that is in_progress");
}

static void
test_supervisor_assignee (void)
{
  HgIncidentStatus next;

  /* A charge nurse may be the assignee too, and then acts as one. */
  g_assert_true (hg_lifecycle_check (S (ASSIGNED), "N01", 0, A (ACKNOWLEDGE),
                                     "N01", HG_ROLE_CHARGE_NURSE, FALSE, &next, NULL));
  g_assert_cmpint (next, ==, S (ACKNOWLEDGED));
  g_assert_true (hg_lifecycle_check (S (ASSIGNED), "N01", 0, A (DECLINE),
                                     "N01", HG_ROLE_CHARGE_NURSE, TRUE, &next, NULL));
  g_assert_cmpint (next, ==, S (ASSIGNED));
  /* A specialist assignee is an assignee like any other. */
  g_assert_true (hg_lifecycle_check (S (ACKNOWLEDGED), "S01", 0, A (START),
                                     "S01", HG_ROLE_SPECIALIST, FALSE, &next, NULL));
  g_assert_cmpint (next, ==, S (IN_PROGRESS));
  g_assert_false (hg_lifecycle_check (S (ACKNOWLEDGED), "S01", 0, A (START),
                                      "S02", HG_ROLE_SPECIALIST, FALSE, &next, NULL));
}

static void
test_no_actor (void)
{
  g_autoptr(GError) error = NULL;

  /* No actor id is nobody's assignee. */
  g_assert_false (hg_lifecycle_check (S (ASSIGNED), "N02", 0, A (ACKNOWLEDGE),
                                      NULL, HG_ROLE_NURSE, FALSE, NULL, &error));
  g_assert_error (error, HG_ERROR, HG_ERROR_FORBIDDEN);
}

static void
test_is_supervisor (void)
{
  g_assert_false (hg_role_is_supervisor (HG_ROLE_NURSE));
  g_assert_true (hg_role_is_supervisor (HG_ROLE_CHARGE_NURSE));
  g_assert_false (hg_role_is_supervisor (HG_ROLE_EMERGENCY_DOCTOR));
  g_assert_false (hg_role_is_supervisor (HG_ROLE_SPECIALIST));
  g_assert_true (hg_role_is_supervisor (HG_ROLE_ADMIN));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/shared/lifecycle/table", test_table);
  g_test_add_func ("/shared/lifecycle/messages", test_messages);
  g_test_add_func ("/shared/lifecycle/supervisor-assignee", test_supervisor_assignee);
  g_test_add_func ("/shared/lifecycle/no-actor", test_no_actor);
  g_test_add_func ("/shared/lifecycle/is-supervisor", test_is_supervisor);

  return g_test_run ();
}
