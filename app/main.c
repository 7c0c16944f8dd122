/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hg-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HgApplication) app = NULL;
  /* HG_LOCALEDIR: the translations of a build tree (build/po), for tests
   * and uninstalled runs: HG_LOCALEDIR=build/po LANGUAGE=fr build/app/healthguard */
  const char *localedir = g_getenv ("HG_LOCALEDIR");

  /* GLib 2.74 (Debian 12) still serves small blocks from GSlice's
   * magazines behind a mutex: plain malloc parses the board's pages of
   * incidents faster (GLib 2.76 made GSlice plain malloc). Before anything
   * allocates; an explicit G_SLICE setting wins. */
  g_setenv ("G_SLICE", "always-malloc", FALSE);
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = hg_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
