/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs a fuzz target over files and directories of inputs, for builds
 * without libFuzzer (gcc): every seed and every reproducer stays a
 * regression test. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "hg-fuzz.h"

static gboolean
run_file (const char *path,
          guint      *count)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  /* A copy of exactly @len bytes (no NUL after them), so that ASan sees
   * any read past the end. */
  {
    g_autofree guint8 *exact = g_malloc (MAX (len, 1));

    memcpy (exact, contents, len);
    LLVMFuzzerTestOneInput (exact, len);
  }
  (*count)++;
  return TRUE;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static gboolean
run_dir (const char *path,
         guint      *count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  gboolean ok = TRUE;

  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    ok = run_file (names->pdata[i], count) && ok;
  return ok;
}

int
main (int   argc,
      char *argv[])
{
  guint count = 0;
  gboolean ok = TRUE;

  if (argc < 2)
    {
      g_printerr ("usage: %s FILE-OR-DIR...\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        ok = run_dir (argv[i], &count) && ok;
      else
        ok = run_file (argv[i], &count) && ok;
    }
  g_print ("%s: %u inputs, no crash\n", argv[0], count);
  return ok && count > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
