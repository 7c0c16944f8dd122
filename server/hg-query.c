/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <string.h>

#include "hg-error.h"
#include "hg-protocol.h"
#include "hg-query.h"

static const char *
lookup (GHashTable *query,
        const char *name)
{
  return query ? g_hash_table_lookup (query, name) : NULL;
}

/* Cursors are opaque to clients; they carry the last id of a page. */
gboolean
hg_query_parse_page (GHashTable  *query,
                     gint64      *out_before,
                     guint       *out_limit,
                     GError     **error)
{
  const char *limit = lookup (query, "limit");
  const char *cursor = lookup (query, "cursor");
  guint64 value = HG_LIST_DEFAULT_LIMIT;

  if (limit != NULL && !g_ascii_string_to_unsigned (limit, 10, 1, HG_LIST_MAX_LIMIT, &value, NULL))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", "limit",
                    "limit must be a whole number from 1 to %d", HG_LIST_MAX_LIMIT);
      return FALSE;
    }
  *out_limit = value;
  *out_before = 0;
  if (cursor != NULL)
    {
      gsize len = 0;
      g_autofree guchar *raw = NULL;
      guint64 before;

      if (strlen (cursor) <= 64)
        raw = g_base64_decode (cursor, &len);
      if (raw == NULL || len < 4 || len > 24 || memcmp (raw, "v1:", 3) != 0)
        goto bad_cursor;
      raw = g_realloc (raw, len + 1);
      raw[len] = '\0';
      if (!g_ascii_string_to_unsigned ((char *) raw + 3, 10, 1, G_MAXINT64, &before, NULL))
        goto bad_cursor;
      *out_before = before;
    }
  return TRUE;

bad_cursor:
  hg_set_error (error, HG_ERROR_INVALID, "invalid_cursor", "cursor",
                "the cursor is not one this server gave");
  return FALSE;
}

/* "open,assigned" -> a bit set; every name must be known. */
static gboolean
parse_enum_list (const char  *text,
                 const char  *field,
                 gboolean   (*parse) (const char *, int *),
                 guint       *out,
                 GError     **error)
{
  g_auto(GStrv) names = NULL;

  *out = 0;
  if (text == NULL)
    return TRUE;
  names = g_strsplit (text, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      int value;

      if (!parse (g_strstrip (names[i]), &value))
        {
          /* The name is only repeated when it is fit for a JSON answer. */
          if (g_utf8_validate (names[i], -1, NULL) && g_utf8_strlen (names[i], -1) <= 64)
            hg_set_error (error, HG_ERROR_INVALID, "invalid_enum", field,
                          "“%s” is not a known %s", names[i], field);
          else
            hg_set_error (error, HG_ERROR_INVALID, "invalid_enum", field,
                          "%s holds a name that is not a known %s", field, field);
          return FALSE;
        }
      *out |= 1u << value;
    }
  return TRUE;
}

static gboolean
parse_status (const char *name,
              int        *out)
{
  HgIncidentStatus status;

  if (!hg_incident_status_from_string (name, &status))
    return FALSE;
  *out = status;
  return TRUE;
}

static gboolean
parse_severity (const char *name,
                int        *out)
{
  HgSeverity severity;

  if (!hg_severity_from_string (name, &severity))
    return FALSE;
  *out = severity;
  return TRUE;
}

static gboolean
check_text_param (const char  *value,
                  const char  *field,
                  GError     **error)
{
  if (value == NULL || (value[0] != '\0' && g_utf8_validate (value, -1, NULL) &&
                        g_utf8_strlen (value, -1) <= HG_MAX_NAME_LEN))
    return TRUE;
  hg_set_error (error, HG_ERROR_INVALID, "invalid_field", field,
                "%s must be 1 to %d characters", field, HG_MAX_NAME_LEN);
  return FALSE;
}

gboolean
hg_query_parse_incident_filter (GHashTable        *query,
                                const char        *me,
                                HgIncidentFilter  *filter,
                                GError           **error)
{
  const char *assignee = lookup (query, "assignee");
  const char *ward = lookup (query, "ward");
  const char *patient = lookup (query, "patient_id");

  g_return_val_if_fail (filter != NULL, FALSE);

  if (!parse_enum_list (lookup (query, "status"), "status", parse_status,
                        &filter->statuses, error) ||
      !parse_enum_list (lookup (query, "severity"), "severity", parse_severity,
                        &filter->severities, error) ||
      !check_text_param (assignee, "assignee", error) ||
      !check_text_param (ward, "ward", error) ||
      !check_text_param (patient, "patient_id", error) ||
      !hg_query_parse_page (query, &filter->before_id, &filter->limit, error))
    return FALSE;
  if (g_strcmp0 (assignee, "me") == 0)
    assignee = me;
  filter->assignee_id = g_strdup (assignee);
  filter->ward = g_strdup (ward);
  filter->patient_id = g_strdup (patient);
  return TRUE;
}
