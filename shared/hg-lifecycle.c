/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hg-error.h"
#include "hg-lifecycle.h"

/* Who, besides the state, an action needs. */
typedef enum {
  WHO_ANYONE,                /* anyone on staff */
  WHO_ASSIGNEE,              /* the assignee only */
  WHO_ASSIGNEE_OR_SUPERVISOR,
  WHO_SUPERVISOR,            /* no assignee to speak of: it is about the role */
} Who;

/* What the request must carry. */
typedef enum {
  NEEDS_NOTHING,
  NEEDS_NOTE,
  NEEDS_REASON,
} Needs;

typedef struct {
  gboolean          allowed;
  Who               who;
  Needs             needs;
  HgIncidentStatus  next;
} Rule;

#define DENY                     { FALSE, WHO_ANYONE, NEEDS_NOTHING, 0 }
#define ALLOW(who, needs, next)  { TRUE, who, needs, HG_INCIDENT_STATUS_##next }

/* The contract's diagram as a table, indexed [action][status]. Claim from
 * "assigned" depends on the escalation level and the actor, so it is
 * decided in claim_rule() instead. */
static const Rule rules[HG_N_ACTIONS][HG_N_STATUSES] = {
  [HG_ACTION_ACKNOWLEDGE] = {
    [HG_INCIDENT_STATUS_OPEN]         = DENY,
    [HG_INCIDENT_STATUS_ASSIGNED]     = ALLOW (WHO_ASSIGNEE, NEEDS_NOTHING, ACKNOWLEDGED),
    [HG_INCIDENT_STATUS_ACKNOWLEDGED] = DENY,
    [HG_INCIDENT_STATUS_IN_PROGRESS]  = DENY,
    [HG_INCIDENT_STATUS_RESOLVED]     = DENY,
  },
  [HG_ACTION_START] = {
    [HG_INCIDENT_STATUS_OPEN]         = DENY,
    [HG_INCIDENT_STATUS_ASSIGNED]     = DENY,
    [HG_INCIDENT_STATUS_ACKNOWLEDGED] = ALLOW (WHO_ASSIGNEE, NEEDS_NOTHING, IN_PROGRESS),
    [HG_INCIDENT_STATUS_IN_PROGRESS]  = DENY,
    [HG_INCIDENT_STATUS_RESOLVED]     = DENY,
  },
  [HG_ACTION_RESOLVE] = {
    /* Resolving before anyone started is a false alarm: say why. */
    [HG_INCIDENT_STATUS_OPEN]         = ALLOW (WHO_SUPERVISOR, NEEDS_NOTE, RESOLVED),
    [HG_INCIDENT_STATUS_ASSIGNED]     = ALLOW (WHO_ASSIGNEE_OR_SUPERVISOR, NEEDS_NOTE, RESOLVED),
    [HG_INCIDENT_STATUS_ACKNOWLEDGED] = DENY,
    [HG_INCIDENT_STATUS_IN_PROGRESS]  = ALLOW (WHO_ASSIGNEE_OR_SUPERVISOR, NEEDS_NOTHING, RESOLVED),
    [HG_INCIDENT_STATUS_RESOLVED]     = DENY,
  },
  [HG_ACTION_CLAIM] = {
    [HG_INCIDENT_STATUS_OPEN]         = ALLOW (WHO_ANYONE, NEEDS_NOTHING, ACKNOWLEDGED),
    [HG_INCIDENT_STATUS_ASSIGNED]     = DENY,
    [HG_INCIDENT_STATUS_ACKNOWLEDGED] = DENY,
    [HG_INCIDENT_STATUS_IN_PROGRESS]  = DENY,
    [HG_INCIDENT_STATUS_RESOLVED]     = DENY,
  },
  [HG_ACTION_DECLINE] = {
    [HG_INCIDENT_STATUS_OPEN]         = DENY,
    [HG_INCIDENT_STATUS_ASSIGNED]     = ALLOW (WHO_ASSIGNEE, NEEDS_REASON, ASSIGNED),
    [HG_INCIDENT_STATUS_ACKNOWLEDGED] = DENY,
    [HG_INCIDENT_STATUS_IN_PROGRESS]  = DENY,
    [HG_INCIDENT_STATUS_RESOLVED]     = DENY,
  },
  [HG_ACTION_REASSIGN] = {
    [HG_INCIDENT_STATUS_OPEN]         = ALLOW (WHO_SUPERVISOR, NEEDS_NOTHING, ASSIGNED),
    [HG_INCIDENT_STATUS_ASSIGNED]     = ALLOW (WHO_ASSIGNEE_OR_SUPERVISOR, NEEDS_NOTHING, ASSIGNED),
    [HG_INCIDENT_STATUS_ACKNOWLEDGED] = ALLOW (WHO_ASSIGNEE_OR_SUPERVISOR, NEEDS_NOTHING, ASSIGNED),
    [HG_INCIDENT_STATUS_IN_PROGRESS]  = ALLOW (WHO_ASSIGNEE_OR_SUPERVISOR, NEEDS_NOTHING, ASSIGNED),
    [HG_INCIDENT_STATUS_RESOLVED]     = DENY,
  },
  [HG_ACTION_ESCALATE] = {
    /* An open incident nobody took: anyone may cry for help. Once someone
     * works on it, escalating alerts the supervisors but the work goes on,
     * so the status stays. */
    [HG_INCIDENT_STATUS_OPEN]         = ALLOW (WHO_ANYONE, NEEDS_NOTHING, ASSIGNED),
    [HG_INCIDENT_STATUS_ASSIGNED]     = ALLOW (WHO_ASSIGNEE_OR_SUPERVISOR, NEEDS_NOTHING, ASSIGNED),
    [HG_INCIDENT_STATUS_ACKNOWLEDGED] = ALLOW (WHO_ASSIGNEE_OR_SUPERVISOR, NEEDS_NOTHING, ACKNOWLEDGED),
    [HG_INCIDENT_STATUS_IN_PROGRESS]  = ALLOW (WHO_ASSIGNEE_OR_SUPERVISOR, NEEDS_NOTHING, IN_PROGRESS),
    [HG_INCIDENT_STATUS_RESOLVED]     = DENY,
  },
};

gboolean
hg_role_is_supervisor (HgRole role)
{
  return role == HG_ROLE_CHARGE_NURSE || role == HG_ROLE_ADMIN;
}

/* Claiming an assigned incident is open to anyone once it escalated (the
 * assignee did not answer), and to the assignee themself, for whom it is the
 * acknowledgement; for anybody else it would be stealing, which the state
 * does not allow. */
static Rule
claim_rule (HgIncidentStatus  status,
            gboolean          is_assignee,
            guint             escalation_level)
{
  static const Rule claim_assigned = ALLOW (WHO_ANYONE, NEEDS_NOTHING, ACKNOWLEDGED);

  if (status == HG_INCIDENT_STATUS_ASSIGNED && (escalation_level > 0 || is_assignee))
    return claim_assigned;
  return rules[HG_ACTION_CLAIM][status];
}

static gboolean
check_person (const Rule *rule,
              HgAction    action,
              gboolean    is_assignee,
              HgRole      actor_role,
              GError    **error)
{
  gboolean supervisor = hg_role_is_supervisor (actor_role);

  switch (rule->who)
    {
    case WHO_ANYONE:
      return TRUE;
    case WHO_ASSIGNEE:
      if (is_assignee)
        return TRUE;
      break;
    case WHO_ASSIGNEE_OR_SUPERVISOR:
      if (is_assignee || supervisor)
        return TRUE;
      break;
    case WHO_SUPERVISOR:
      if (supervisor)
        return TRUE;
      hg_set_error (error, HG_ERROR_FORBIDDEN, "role_not_allowed", NULL,
                    "only a charge nurse or an admin may %s an incident nobody is assigned to",
                    hg_action_to_string (action));
      return FALSE;
    default:
      g_assert_not_reached ();
    }

  hg_set_error (error, HG_ERROR_FORBIDDEN, "not_your_incident", NULL,
                "only the assignee%s may %s this incident",
                rule->who == WHO_ASSIGNEE_OR_SUPERVISOR ? " or a supervisor" : "",
                hg_action_to_string (action));
  return FALSE;
}

static gboolean
check_text (const Rule *rule,
            gboolean    has_text,
            GError    **error)
{
  if (has_text || rule->needs == NEEDS_NOTHING)
    return TRUE;

  if (rule->needs == NEEDS_NOTE)
    hg_set_error (error, HG_ERROR_INVALID, "note_required", "note",
                  "resolving an incident nobody worked on needs a note saying why");
  else
    hg_set_error (error, HG_ERROR_INVALID, "reason_required", "reason",
                  "declining an incident needs a reason");
  return FALSE;
}

gboolean
hg_lifecycle_check (HgIncidentStatus  status,
                    const char       *assignee_id,
                    guint             escalation_level,
                    HgAction          action,
                    const char       *actor_id,
                    HgRole            actor_role,
                    gboolean          has_text,
                    HgIncidentStatus *out_next,
                    GError          **error)
{
  gboolean is_assignee;
  Rule rule;

  g_return_val_if_fail ((guint) status < HG_N_STATUSES, FALSE);
  g_return_val_if_fail ((guint) action < HG_N_ACTIONS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A NULL actor (the server itself) is nobody's assignee. */
  is_assignee = assignee_id != NULL && actor_id != NULL &&
                g_str_equal (assignee_id, actor_id);

  if (action == HG_ACTION_CLAIM)
    rule = claim_rule (status, is_assignee, escalation_level);
  else
    rule = rules[action][status];

  /* The state first: a resolved incident is closed for everybody, and
   * saying "not yours" would suggest someone else could still act. */
  if (!rule.allowed)
    {
      hg_set_error (error, HG_ERROR_CONFLICT, "illegal_transition", NULL,
                    "cannot %s an incident that is %s",
                    hg_action_to_string (action),
                    hg_incident_status_to_string (status));
      return FALSE;
    }

  /* The person before the text: telling someone who may not act at all
   * that a note is missing would mislead them. */
  if (!check_person (&rule, action, is_assignee, actor_role, error) ||
      !check_text (&rule, has_text, error))
    return FALSE;

  if (out_next != NULL)
    *out_next = rule.next;
  return TRUE;
}
