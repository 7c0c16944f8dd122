/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The audit trail: one append-only table, each row chained to the one
 * before by a SHA-256 hash over its fields and the previous hash. Written
 * by the writer inside the job that does the audited thing, so an audited
 * change and its audit row commit or vanish together. */

#include <json-glib/json-glib.h>
#include "hg-store-private.h"

G_BEGIN_DECLS

/* @actor: a staff id, "integration:NAME", or NULL for the server itself.
 * @action: dotted name ("auth.login", "incident.acknowledge", …).
 * @object: what it was done to ("incident:42", "staff:N03"), may be NULL.
 * @detail: a JSON text or NULL. */
gboolean  hg_audit_append      (HgDb        *db,
                                gint64       now,
                                const char  *actor,
                                const char  *action,
                                const char  *object,
                                const char  *detail,
                                GError     **error);

/* The hash of one row: SHA-256 over its fields and the previous hash,
 * each length-prefixed so that no two different rows hash alike. */
char     *hg_audit_row_hash    (gint64       id,
                                gint64       at,
                                const char  *actor,
                                const char  *action,
                                const char  *object,
                                const char  *detail,
                                const char  *prev_hash);

/* @object as compact JSON text, for hg_audit_append()'s @detail. Free
 * text that may hold patient data (notes, reasons) goes in as its length
 * and SHA-256 (hg_audit_set_text()), never as itself. */
char     *hg_audit_detail      (JsonObject  *object);
/* Sets "@prefix_length" (characters) and "@prefix_sha256" on @object when
 * @text is not NULL. */
void      hg_audit_set_text    (JsonObject  *object,
                                const char  *prefix,
                                const char  *text);

G_END_DECLS
