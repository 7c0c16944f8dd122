/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hg-client.h"
#include "hg-page.h"

G_BEGIN_DECLS

/* Who is on duty, by role: ward, availability, workload, signed in; and
 * the signed-in person's own availability switch. Follows the client's
 * "staff-updated" events, and loads the list again when it is shown or
 * the connection comes back. */
#define HG_TYPE_STAFF_PAGE (hg_staff_page_get_type ())
G_DECLARE_FINAL_TYPE (HgStaffPage, hg_staff_page, HG, STAFF_PAGE, AdwBin)

/* Loads the staff list (and the signed-in person) again. */
void hg_staff_page_refresh (HgStaffPage *self);

G_END_DECLS
