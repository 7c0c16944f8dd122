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

  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = hg_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
