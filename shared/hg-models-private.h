/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The model structs, for the siblings that fill them (hg-json, the server's
 * store). Strings are owned (g_free); objects are owned references. Setting a
 * field directly does not notify: use hg_incident_update_from() for live
 * objects that views watch. */

#include "hg-models.h"

G_BEGIN_DECLS

struct _HgPatient {
  GObject parent_instance;
  char *id;
  char *name;
  char *ward;
  char *room;
  char *bed;
};

struct _HgStaff {
  GObject  parent_instance;
  char    *id;
  char    *name;
  HgRole   role;
  char    *specialty;     /* specialists only */
  char    *ward;
  gboolean on_duty;
  gboolean available;
  gboolean logged_in;
  gboolean disabled;
  guint    workload;      /* active incidents assigned */
  gint64   last_assigned_at;
};

struct _HgAlertType {
  GObject     parent_instance;
  char       *code;
  char       *name;
  char       *category;
  HgSeverity  severity;
  HgRole      required_role;
  char       *specialty;
  GArray     *fallback_roles;   /* of HgRole, never NULL */
};

struct _HgAlert {
  GObject       parent_instance;
  gint64        id;
  gint64        incident_id;    /* 0: none */
  char         *alert_type;
  char         *patient_id;
  char         *ward;
  char         *room;
  char         *bed;
  HgSeverity    severity;
  gboolean      has_severity;   /* FALSE: take the alert type's */
  char         *message;
  char         *source;
  GHashTable   *labels;         /* char* -> char*, never NULL */
  char         *dedup_key;
  HgAlertPhase  phase;
  gint64        occurred_at;
  gint64        received_at;
};

struct _HgIncident {
  GObject           parent_instance;
  gint64            id;
  gint64            version;
  HgIncidentStatus  status;
  HgSeverity        severity;
  char             *title;
  char             *alert_type;
  HgPatient        *patient;            /* NULL: no patient */
  char             *ward;
  char             *room;
  char             *bed;
  HgStaff          *assignee;           /* NULL: nobody */
  HgRole            required_role;
  char             *required_specialty;
  char             *dedup_key;
  guint             alert_count;
  guint             escalation_level;
  gint64            created_at;
  gint64            assigned_at;
  gint64            acknowledged_at;
  gint64            started_at;
  gint64            resolved_at;
  /* Detail, loaded for a single incident; NULL when not loaded. */
  GPtrArray        *alerts;             /* of HgAlert* */
  GPtrArray        *notes;              /* of HgNote* */
  GPtrArray        *timeline;           /* of HgTimelineEntry* */
};

G_END_DECLS
