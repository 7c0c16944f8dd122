/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "hg-config.h"

G_BEGIN_DECLS

/* healthguard-server --backup=PATH: copies the configured database with
 * SQLite's online backup API, from one read snapshot, while a server may
 * be writing to it. The copy is made in a temporary file next to @path,
 * turned into a plain rollback-journal database, checked (PRAGMA
 * integrity_check, the audit chain), synced, and only then renamed over
 * @path. Says what it did on standard output and why it failed on
 * standard error. Returns the exit status: 0 done; 1 the copy could not
 * be made or failed its checks, and nothing at @path changed; 2 a usage
 * error (@path is the live database or one of its side files, a
 * folder, or --demo was given); 3 the copy is in place but its audit
 * chain is broken, as the live database's must be. */
int hg_backup_run (const HgConfig *config,
                   const char     *path);

G_END_DECLS
