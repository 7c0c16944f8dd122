/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Prometheus Alertmanager's webhook payload (version 4) to alerts.
 *
 * Each alert of the payload becomes one HgAlert:
 *  - type: label "healthguard_type", else EQUIPMENT_FAILURE;
 *  - patient_id, ward, room, bed: the labels of those names;
 *  - severity: label "severity" (critical, high, warning or medium, info or
 *    low), else the alert type's;
 *  - dedup_key: the alert's "fingerprint";
 *  - phase: "firing" starts, "resolved" ends; occurred_at is startsAt or
 *    endsAt respectively;
 *  - message: annotation "summary", else "description", else the label
 *    "alertname"; cut to HG_MAX_MESSAGE_LEN characters;
 *  - labels: the alert's labels, in name order, at most HG_MAX_LABELS of
 *    them, values cut to HG_MAX_LABEL_LEN characters;
 *  - source: "alertmanager".
 *
 * Free text from a monitoring system is cut to fit rather than refused, so
 * that a long description never loses an alarm. What decides where an alarm
 * goes (type, patient, location, fingerprint) and the payload's shape are
 * checked strictly: HG_ERROR_INVALID naming the field, e.g.
 * "alerts[2].labels.healthguard_type". A payload holds 1 to
 * HG_MAX_BATCH_ALERTS alerts (Alertmanager's receiver setting
 * "max_alerts"). */

#include <json-glib/json-glib.h>
#include "hg-models.h"

G_BEGIN_DECLS

#define HG_ALERTMANAGER_DEFAULT_TYPE "EQUIPMENT_FAILURE"
#define HG_ALERTMANAGER_SOURCE       "alertmanager"

/* Returns a new array of HgAlert, in the payload's order. */
GPtrArray *hg_alertmanager_parse (JsonNode  *body,
                                  GError   **error);

G_END_DECLS
