/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The window's offline board: keeps the signed-in client's incidents in
 * an HgCache (g_get_user_cache_dir()/healthguard/cache.db), a couple of
 * seconds after they change and when the window closes, and hands back
 * what was saved at start so that the board shows at once, marked stale,
 * even when the server cannot be reached. */

#include <gio/gio.h>

#include "hg-cache.h"
#include "hg-client.h"

G_BEGIN_DECLS

#define HG_TYPE_BOARD_CACHE (hg_board_cache_get_type ())
G_DECLARE_FINAL_TYPE (HgBoardCache, hg_board_cache, HG, BOARD_CACHE, GObject)

/* @path: NULL for the user's cache folder. Starts loading at once; the
 * "loaded" signal says when it is done (even when there was nothing). */
HgBoardCache          *hg_board_cache_new          (const char   *path);
gboolean               hg_board_cache_is_loaded    (HgBoardCache *self);
/* What was saved for @staff_id on @server, when it holds incidents; NULL
 * before "loaded", for anyone else's board, or after
 * hg_board_cache_drop_snapshot(). (transfer none) */
const HgCacheSnapshot *hg_board_cache_lookup       (HgBoardCache *self,
                                                    const char   *server,
                                                    const char   *staff_id);
void                   hg_board_cache_drop_snapshot (HgBoardCache *self);

/* Saves @client's list (NULL: none) from now on, throttled to once every
 * couple of seconds while it changes. */
void                   hg_board_cache_follow       (HgBoardCache *self,
                                                    HgClient     *client);
/* Saves the followed client's list now, on this thread (the window is
 * closing: the process may end before a worker would finish). */
void                   hg_board_cache_save_now     (HgBoardCache *self);
/* Empties the cache (a sign-out: the next person must not see this one's
 * board before signing in) and stops following. */
void                   hg_board_cache_clear        (HgBoardCache *self);

G_END_DECLS
