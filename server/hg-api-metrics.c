/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <string.h>

#include "hg-api.h"
#include "hg-auth.h"
#include "hg-error.h"

/* Equal strings, in a time that does not tell how much of them matched. */
static gboolean
secret_equal (const char *given,
              const char *expected)
{
  g_autoptr(GChecksum) a = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) b = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 da[32], db[32];
  gsize la = sizeof da, lb = sizeof db;
  guint8 diff = 0;

  /* Hashing first makes the comparison's length fixed. */
  g_checksum_update (a, (const guchar *) given, strlen (given));
  g_checksum_update (b, (const guchar *) expected, strlen (expected));
  g_checksum_get_digest (a, da, &la);
  g_checksum_get_digest (b, db, &lb);
  for (gsize i = 0; i < sizeof da; i++)
    diff |= da[i] ^ db[i];
  return diff == 0;
}

/* GET /metrics. With metrics_token set, Prometheus sends it as a bearer
 * token (authorization.credentials_file in its scrape configuration);
 * staff tokens and integration keys are not taken. */
void
hg_api_metrics (HgRequest *req)
{
  const char *expected = hg_request_get_config (req)->metrics_token;
  GError *error = NULL;
  GString *body;

  if (expected != NULL && *expected != '\0')
    {
      g_autofree char *token = hg_auth_bearer_token (hg_request_get_header (req, "Authorization"));

      if (token == NULL || !secret_equal (token, expected))
        {
          hg_set_error (&error, HG_ERROR_UNAUTHENTICATED, token ? "invalid_token" : "missing_token", NULL,
                        "this needs the metrics token: Authorization: Bearer <metrics_token>");
          hg_request_fail (req, error);
          return;
        }
    }

  body = hg_metrics_render (hg_request_get_metrics (req), hg_request_get_store (req),
                            hg_stream_get_n_clients (hg_request_get_stream (req)), &error);
  if (body == NULL)
    {
      hg_request_fail (req, error);
      return;
    }
  hg_request_respond_text (req, SOUP_STATUS_OK, HG_METRICS_CONTENT_TYPE, body);
}
