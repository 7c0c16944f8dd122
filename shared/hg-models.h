/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Public, read-only view of the model objects. Every field is also a GObject
 * property (read-only, G_PARAM_EXPLICIT_NOTIFY) so that views can bind to it.
 * Siblings that build or change models include the *-private.h headers. */

#include <glib-object.h>
#include "hg-types.h"

G_BEGIN_DECLS

#define HG_TYPE_PATIENT (hg_patient_get_type ())
G_DECLARE_FINAL_TYPE (HgPatient, hg_patient, HG, PATIENT, GObject)
HgPatient  *hg_patient_new        (const char *id);
const char *hg_patient_get_id     (HgPatient *self);
const char *hg_patient_get_name   (HgPatient *self);
const char *hg_patient_get_ward   (HgPatient *self);
const char *hg_patient_get_room   (HgPatient *self);
const char *hg_patient_get_bed    (HgPatient *self);

#define HG_TYPE_STAFF (hg_staff_get_type ())
G_DECLARE_FINAL_TYPE (HgStaff, hg_staff, HG, STAFF, GObject)
HgStaff    *hg_staff_new              (const char *id);
const char *hg_staff_get_id           (HgStaff *self);
const char *hg_staff_get_name         (HgStaff *self);
HgRole      hg_staff_get_role         (HgStaff *self);
const char *hg_staff_get_specialty    (HgStaff *self);
const char *hg_staff_get_ward         (HgStaff *self);
gboolean    hg_staff_get_on_duty      (HgStaff *self);
gboolean    hg_staff_get_available    (HgStaff *self);
gboolean    hg_staff_get_logged_in    (HgStaff *self);
guint       hg_staff_get_workload     (HgStaff *self);

#define HG_TYPE_ALERT_TYPE (hg_alert_type_get_type ())
G_DECLARE_FINAL_TYPE (HgAlertType, hg_alert_type, HG, ALERT_TYPE, GObject)
HgAlertType  *hg_alert_type_new                (const char  *code);
const char   *hg_alert_type_get_code           (HgAlertType *self);
const char   *hg_alert_type_get_name           (HgAlertType *self);
const char   *hg_alert_type_get_category       (HgAlertType *self);
HgSeverity    hg_alert_type_get_severity       (HgAlertType *self);
HgRole        hg_alert_type_get_required_role  (HgAlertType *self);
const char   *hg_alert_type_get_specialty      (HgAlertType *self);
/* Returns the fallback roles in order; @n_roles receives their number. */
const HgRole *hg_alert_type_get_fallback_roles (HgAlertType *self,
                                                guint       *n_roles);

#define HG_TYPE_ALERT (hg_alert_get_type ())
G_DECLARE_FINAL_TYPE (HgAlert, hg_alert, HG, ALERT, GObject)
HgAlert      *hg_alert_new             (const char *type);
gint64        hg_alert_get_id          (HgAlert *self);
gint64        hg_alert_get_incident_id (HgAlert *self);
const char   *hg_alert_get_alert_type  (HgAlert *self);
const char   *hg_alert_get_patient_id  (HgAlert *self);
HgSeverity    hg_alert_get_severity    (HgAlert *self);
const char   *hg_alert_get_message     (HgAlert *self);
const char   *hg_alert_get_dedup_key   (HgAlert *self);
HgAlertPhase  hg_alert_get_phase       (HgAlert *self);

/* A note and a timeline entry are plain boxed records. */
typedef struct {
  gint64  id;
  gint64  incident_id;
  char   *author_id;
  char   *author_name;
  char   *text;
  gint64  created_at;
} HgNote;

#define HG_TYPE_NOTE (hg_note_get_type ())
GType   hg_note_get_type (void) G_GNUC_CONST;
HgNote *hg_note_new      (void);
HgNote *hg_note_copy     (const HgNote *note);
void    hg_note_free     (HgNote *note);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgNote, hg_note_free)

typedef struct {
  gint64  id;
  gint64  incident_id;
  gint64  at;
  char   *actor_id;      /* NULL: the server did it */
  char   *actor_name;
  char   *action;        /* "created", "assigned", "correlated", "acknowledge", … */
  int     from_status;   /* an HgIncidentStatus, or -1 for none */
  int     to_status;     /* an HgIncidentStatus, or -1 for none */
  char   *detail;
} HgTimelineEntry;

#define HG_TYPE_TIMELINE_ENTRY (hg_timeline_entry_get_type ())
GType            hg_timeline_entry_get_type (void) G_GNUC_CONST;
HgTimelineEntry *hg_timeline_entry_new      (void);
HgTimelineEntry *hg_timeline_entry_copy     (const HgTimelineEntry *entry);
void             hg_timeline_entry_free     (HgTimelineEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgTimelineEntry, hg_timeline_entry_free)

#define HG_TYPE_INCIDENT (hg_incident_get_type ())
G_DECLARE_FINAL_TYPE (HgIncident, hg_incident, HG, INCIDENT, GObject)
HgIncident       *hg_incident_new                (void);
gint64            hg_incident_get_id             (HgIncident *self);
gint64            hg_incident_get_version        (HgIncident *self);
HgIncidentStatus  hg_incident_get_status         (HgIncident *self);
HgSeverity        hg_incident_get_severity       (HgIncident *self);
const char       *hg_incident_get_title          (HgIncident *self);
const char       *hg_incident_get_alert_type     (HgIncident *self);
HgPatient        *hg_incident_get_patient        (HgIncident *self);
HgStaff          *hg_incident_get_assignee       (HgIncident *self);
const char       *hg_incident_get_ward           (HgIncident *self);
const char       *hg_incident_get_room           (HgIncident *self);
guint             hg_incident_get_alert_count    (HgIncident *self);
guint             hg_incident_get_escalation_level (HgIncident *self);
gint64            hg_incident_get_created_at     (HgIncident *self);
/* The detail of a single incident (GET /api/v1/incidents/{id}), NULL when
 * not loaded: arrays of HgAlert*, HgNote* and HgTimelineEntry*, oldest
 * first. (transfer none) */
GPtrArray        *hg_incident_get_alerts         (HgIncident *self);
GPtrArray        *hg_incident_get_notes          (HgIncident *self);
GPtrArray        *hg_incident_get_timeline       (HgIncident *self);
/* Copies every field of @newer into @self and notifies the properties that
 * changed; returns TRUE when anything changed. For live lists. */
gboolean          hg_incident_update_from        (HgIncident *self,
                                                  HgIncident *newer);

G_END_DECLS
