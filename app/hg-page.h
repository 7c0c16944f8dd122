/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the window's pages share: each page has a "client" property (an
 * HgClient, NULL while nobody is signed in) that the window sets after a
 * sign-in and clears at sign-out. */

#define HG_PAGE_PROP_CLIENT "client"
