/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The event log, written by the writer inside each job's transaction.
 *
 * Incident and staff events are never written by hand: every change to an
 * incident writes a timeline row (hg_timeline_append), which marks the
 * incident touched; code that changes what a staff member looks like
 * (workload, availability, sign-in) marks them touched. When the job
 * succeeds, the writer appends one "incident.created" or "incident.updated"
 * (the whole incident) per touched incident and one "staff.updated" per
 * touched person, in the same transaction. Alarms and notifications are
 * addressed to one person and written where they happen. */

#include <json-glib/json-glib.h>

#include "hg-store-private.h"

G_BEGIN_DECLS

void      hg_events_touch_incident (HgDb        *db,
                                    gint64       incident_id,
                                    gboolean     created);
void      hg_events_touch_staff    (HgDb        *db,
                                    const char  *staff_id);
/* Forgets what the job touched (after a rollback). */
void      hg_events_reset          (HgDb        *db);
/* Writes the touched incidents' and staff's events. */
gboolean  hg_events_flush          (HgDb        *db,
                                    gint64       now,
                                    GError     **error);

/* Appends one event; @audience NULL means everyone. */
gboolean  hg_events_append         (HgDb        *db,
                                    gint64       now,
                                    const char  *type,
                                    const char  *audience,
                                    JsonNode    *data,
                                    GError     **error);

/* Stores a notification for @staff_id and its "notification" event. */
gboolean  hg_notify                (HgDb        *db,
                                    gint64       now,
                                    const char  *staff_id,
                                    gint64       incident_id,
                                    const char  *kind,
                                    const char  *message,
                                    GError     **error);
/* An "alarm" event for @staff_id: the incident as it is now, its alarm
 * priority and why (assigned, reminder, escalated). */
gboolean  hg_alarm                 (HgDb        *db,
                                    gint64       now,
                                    const char  *staff_id,
                                    gint64       incident_id,
                                    const char  *reason,
                                    GError     **error);

G_END_DECLS
