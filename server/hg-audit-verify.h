/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Checks the audit trail's chain (see hg-audit.h): every row's hash
 * matches its contents, every prev_hash is the hash of the row before, the
 * ids run 1, 2, 3, … without a gap, and the newest id is the one
 * AUTOINCREMENT handed out last, so a deleted last row shows as well.
 * Used by `healthguard-server --verify-audit` and by the tests. */

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct {
  gint64    rows;        /* rows read */
  gboolean  broken;
  gint64    broken_id;   /* the first row where the chain breaks */
  char     *reason;      /* why, for a person */
} HgAuditCheck;

void      hg_audit_check_clear  (HgAuditCheck  *check);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HgAuditCheck, hg_audit_check_clear)

/* Walks the chain in one read transaction. FALSE with @error only when
 * the trail cannot be read; a broken chain is TRUE with @out->broken. */
gboolean  hg_audit_verify       (sqlite3       *handle,
                                 HgAuditCheck  *out,
                                 GError       **error);
/* Opens @path read-only, runs no migration and writes nothing, then
 * verifies. */
gboolean  hg_audit_verify_file  (const char    *path,
                                 HgAuditCheck  *out,
                                 GError       **error);

G_END_DECLS
