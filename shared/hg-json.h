/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The one place where JSON becomes model objects and back. Parsing
 * functions validate types, enums and length limits and fail with
 * HG_ERROR_INVALID naming the offending field; they never look anything up
 * (unknown alert types or patients are the store's business). */

#include <json-glib/json-glib.h>
#include "hg-models.h"

G_BEGIN_DECLS

/* Parses @len bytes of UTF-8 JSON. Refuses (HG_ERROR_INVALID,
 * "malformed_json") invalid UTF-8, bad syntax, and nesting deeper than
 * HG_MAX_JSON_DEPTH, which is checked before the parser runs so that a
 * hostile body cannot exhaust the stack. */
JsonNode    *hg_json_parse                (const char   *data,
                                           gsize         len,
                                           GError      **error);
char        *hg_json_to_string            (JsonNode     *node,
                                           gsize        *out_len);

/* Helpers for request bodies: fetch an optional member of the expected type.
 * A member that is absent or null leaves the out value untouched and
 * succeeds; one of the wrong type, or a string longer than @max_len
 * characters (0: no limit) or empty when @max_len > 0 fails. */
gboolean     hg_json_get_string           (JsonObject   *object,
                                           const char   *member,
                                           gsize         max_len,
                                           const char  **out,
                                           GError      **error);
gboolean     hg_json_get_int              (JsonObject   *object,
                                           const char   *member,
                                           gint64        min,
                                           gint64        max,
                                           gint64       *out,
                                           GError      **error);
gboolean     hg_json_get_bool             (JsonObject   *object,
                                           const char   *member,
                                           gboolean     *out,
                                           GError      **error);
/* For clients: the contract's error body, {"error": {"code", "message",
 * "field"}}, answered with @status. Sets an HG_ERROR with the server's
 * message, wire code and field, and returns TRUE; returns FALSE and sets
 * nothing when @answer (which may be NULL) holds no error message. */
gboolean     hg_json_error_from_answer    (JsonNode     *answer,
                                           guint         status,
                                           GError      **error);
/* The body must be a JSON object (HG_ERROR_INVALID otherwise). */
JsonObject  *hg_json_require_object       (JsonNode     *node,
                                           GError      **error);

/* An alert as posted (see API.md "Alerts"): only "type" is required.
 * Unknown members are ignored. */
HgAlert     *hg_json_alert_from_node      (JsonNode     *node,
                                           GError      **error);
JsonNode    *hg_json_alert_to_node        (HgAlert      *alert);
/* An alert's labels as its "labels" member: an object, keys sorted. */
JsonNode    *hg_json_labels_to_node       (GHashTable   *labels);

/* The incident object of the contract; with @detail, also "alerts", "notes"
 * and "timeline" when they are loaded. */
JsonNode    *hg_json_incident_to_node     (HgIncident   *incident,
                                           gboolean      detail);
HgIncident  *hg_json_incident_from_node   (JsonNode     *node,
                                           GError      **error);

/* Staff: id, name, role, specialty, ward, on_duty, available, logged_in,
 * workload, disabled. */
JsonNode    *hg_json_staff_to_node        (HgStaff      *staff);
HgStaff     *hg_json_staff_from_node      (JsonNode     *node,
                                           GError      **error);
JsonNode    *hg_json_patient_to_node      (HgPatient    *patient);
HgPatient   *hg_json_patient_from_node    (JsonNode     *node,
                                           GError      **error);
JsonNode    *hg_json_alert_type_to_node   (HgAlertType  *type);
HgAlertType *hg_json_alert_type_from_node (JsonNode     *node,
                                           GError      **error);
JsonNode    *hg_json_note_to_node         (const HgNote *note);
JsonNode    *hg_json_timeline_entry_to_node (const HgTimelineEntry *entry);

/* New nodes that take ownership of @object / @array (json_node_init_object
 * would add a reference of its own). */
JsonNode    *hg_json_node_new_object      (JsonObject   *object);
JsonNode    *hg_json_node_new_array       (JsonArray    *array);

/* {"error": {"code", "message", "field"?}} for any error. */
JsonNode    *hg_json_error_body           (const GError *error);

G_END_DECLS
