/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "hg-config.h"

G_BEGIN_DECLS

/* healthguard-server --create-admin ID: reads the password from the first
 * line of the file descriptor @input (standard input), refuses a weak one, and creates the admin account @id in
 * the configured database or resets its password. Says what it did on
 * standard error, never the password. Returns the exit status: 0 done,
 * 1 the database failed, 2 a bad id or password. */
int hg_create_admin_run (const HgConfig *config,
                         const char     *id,
                         int             input);

G_END_DECLS
