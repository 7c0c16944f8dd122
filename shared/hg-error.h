/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HG_ERROR (hg_error_quark ())

/* Each code maps to one HTTP status of the contract's error table. */
typedef enum {
  HG_ERROR_INVALID,              /* 400 */
  HG_ERROR_UNAUTHENTICATED,      /* 401 */
  HG_ERROR_FORBIDDEN,            /* 403 */
  HG_ERROR_NOT_FOUND,            /* 404 */
  HG_ERROR_CONFLICT,             /* 409 */
  HG_ERROR_TOO_LARGE,            /* 413 */
  HG_ERROR_UNSUPPORTED_MEDIA,    /* 415 */
  HG_ERROR_UNKNOWN_REFERENCE,    /* 422 */
  HG_ERROR_RATE_LIMITED,         /* 429 */
  HG_ERROR_UNAVAILABLE,          /* 503 */
  HG_ERROR_INTERNAL,             /* 500 */
} HgErrorCode;

GQuark hg_error_quark (void);

/* HG_ERROR is an extended error domain: besides the message, an error may
 * carry the wire error code ("illegal_transition", …) and the request field
 * it is about ("patient_id", "[3].type", …). */
void        hg_set_error        (GError     **error,
                                 HgErrorCode  code,
                                 const char  *wire_code,
                                 const char  *field,
                                 const char  *format,
                                 ...) G_GNUC_PRINTF (5, 6);
const char *hg_error_get_wire_code (const GError *error);
const char *hg_error_get_field     (const GError *error);
/* Prefixes the field, e.g. "type" becomes "[3].type" for an array item. */
void        hg_error_prefix_field  (GError     *error,
                                    const char *prefix);

/* The HTTP status for any error: HG_ERROR codes map by the table above,
 * every other domain is 500. */
guint       hg_error_to_http_status (const GError *error);
/* The other way, for clients: the HG_ERROR code for a status a server
 * answered. 405 (a method the path does not take) is NOT_FOUND; a status
 * outside the table is INTERNAL. */
HgErrorCode hg_error_code_from_http_status (guint status);
/* The wire code for any error, falling back to one per HG_ERROR code. */
const char *hg_error_wire_code      (const GError *error);

G_END_DECLS
