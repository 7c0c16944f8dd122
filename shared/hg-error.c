/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hg-error.h"

typedef struct {
  char *wire_code;
  char *field;
} HgErrorPrivate;

static void
hg_error_private_init (HgErrorPrivate *priv)
{
  priv->wire_code = NULL;
  priv->field = NULL;
}

static void
hg_error_private_copy (const HgErrorPrivate *src,
                       HgErrorPrivate       *dest)
{
  dest->wire_code = g_strdup (src->wire_code);
  dest->field = g_strdup (src->field);
}

static void
hg_error_private_clear (HgErrorPrivate *priv)
{
  g_clear_pointer (&priv->wire_code, g_free);
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (HgError, hg_error)

/* Indexed by HgErrorCode. */
static const struct {
  guint       http_status;
  const char *wire_code;
} code_table[] = {
  { 400, "invalid_request" },
  { 401, "unauthorized" },
  { 403, "forbidden" },
  { 404, "not_found" },
  { 409, "conflict" },
  { 413, "payload_too_large" },
  { 415, "unsupported_media_type" },
  { 422, "unknown_reference" },
  { 429, "rate_limited" },
  { 503, "unavailable" },
  { 500, "internal_error" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (code_table) == HG_ERROR_INTERNAL + 1);

void
hg_set_error (GError     **error,
              HgErrorCode  code,
              const char  *wire_code,
              const char  *field,
              const char  *format,
              ...)
{
  HgErrorPrivate *priv;
  GError *new_error;
  va_list args;

  g_return_if_fail (format != NULL);

  if (error == NULL)
    return;

  va_start (args, format);
  new_error = g_error_new_valist (HG_ERROR, code, format, args);
  va_end (args);

  priv = hg_error_get_private (new_error);
  priv->wire_code = g_strdup (wire_code);
  priv->field = g_strdup (field);

  /* g_propagate_error warns, as g_set_error does, when *error is already
   * set. */
  g_propagate_error (error, new_error);
}

static HgErrorPrivate *
get_private_or_null (const GError *error)
{
  if (error == NULL || error->domain != HG_ERROR)
    return NULL;
  return hg_error_get_private (error);
}

const char *
hg_error_get_wire_code (const GError *error)
{
  HgErrorPrivate *priv = get_private_or_null (error);

  return priv != NULL ? priv->wire_code : NULL;
}

const char *
hg_error_get_field (const GError *error)
{
  HgErrorPrivate *priv = get_private_or_null (error);

  return priv != NULL ? priv->field : NULL;
}

void
hg_error_prefix_field (GError     *error,
                       const char *prefix)
{
  HgErrorPrivate *priv;
  char *field;

  g_return_if_fail (error != NULL);
  g_return_if_fail (prefix != NULL);

  priv = get_private_or_null (error);
  if (priv == NULL)
    return;

  if (priv->field == NULL)
    field = g_strdup (prefix);
  else if (priv->field[0] == '[')
    /* Nested array items read "[3][1].type", not "[3].[1].type". */
    field = g_strconcat (prefix, priv->field, NULL);
  else
    field = g_strconcat (prefix, ".", priv->field, NULL);

  g_free (priv->field);
  priv->field = field;
}

static gboolean
is_known_code (const GError *error)
{
  return error->domain == HG_ERROR &&
         error->code >= 0 &&
         (guint) error->code < G_N_ELEMENTS (code_table);
}

guint
hg_error_to_http_status (const GError *error)
{
  g_return_val_if_fail (error != NULL, 500);

  if (!is_known_code (error))
    return 500;
  return code_table[error->code].http_status;
}

HgErrorCode
hg_error_code_from_http_status (guint status)
{
  if (status == 405)
    return HG_ERROR_NOT_FOUND;
  for (guint i = 0; i < G_N_ELEMENTS (code_table); i++)
    if (code_table[i].http_status == status)
      return (HgErrorCode) i;
  return HG_ERROR_INTERNAL;
}

const char *
hg_error_wire_code (const GError *error)
{
  const char *stored;

  g_return_val_if_fail (error != NULL, "internal_error");

  stored = hg_error_get_wire_code (error);
  if (stored != NULL)
    return stored;
  if (!is_known_code (error))
    return "internal_error";
  return code_table[error->code].wire_code;
}
