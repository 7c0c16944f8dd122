/* SPDX-License-Identifier: GPL-3.0-or-later */
/* docs/API.md must document every route the server registers. */
#include "config.h"

#include <string.h>

#include "hg-server.h"

/* "### `GET /api/v1/alerts/{id}`" -> "GET /api/v1/alerts/{}" */
static GPtrArray *
documented_routes (const char *text)
{
  g_autoptr(GRegex) heading = g_regex_new ("^### `([A-Z]+) ([^`]+)`", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GRegex) param = g_regex_new ("\\{[a-z_]+\\}", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *routes = g_ptr_array_new_with_free_func (g_free);

  g_regex_match (heading, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *method = g_match_info_fetch (match, 1);
      g_autofree char *path = g_match_info_fetch (match, 2);
      g_autofree char *normal = g_regex_replace_literal (param, path, -1, 0, "{}", 0, NULL);

      g_ptr_array_add (routes, g_strdup_printf ("%s %s", method, normal));
      g_match_info_next (match, NULL);
    }
  return routes;
}

static void
test_every_route_documented (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "API.md", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documented = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  const HgRouteInfo *routes;
  guint n;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  documented = documented_routes (text);
  routes = hg_server_get_routes (&n);
  g_assert_cmpuint (n, >, 10);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *route = g_strdup_printf ("%s %s", routes[i].method, routes[i].pattern);
      gboolean found = FALSE;

      for (guint d = 0; d < documented->len && !found; d++)
        found = g_str_equal (route, g_ptr_array_index (documented, d));
      if (!found)
        g_string_append_printf (missing, "%s\n", route);
    }
  /* Empty when every route has its section. */
  g_assert_cmpstr (missing->str, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/docs/every-route-documented", test_every_route_documented);
  return g_test_run ();
}
