/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hg-models.h"

G_BEGIN_DECLS

#define HG_STAFF_ROW_N_COLUMNS 3

/* A row of the Staff page: the person's name and place, then their
 * workload, availability and sign-in, each in words with an icon. The
 * three states go into @columns (horizontal size groups, may be NULL) so
 * that they line up across rows. */
GtkWidget *hg_staff_row_new (HgStaff      *staff,
                             GtkSizeGroup *columns[HG_STAFF_ROW_N_COLUMNS]);

G_END_DECLS
