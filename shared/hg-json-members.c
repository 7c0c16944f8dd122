/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hg-error.h"
#include "hg-json.h"
#include "hg-models-private.h"
#include "hg-json-private.h"
#include "hg-protocol.h"

/* Request helpers */

/* NULL for an absent or null member: the caller's default stands. */
JsonNode *
hg_json_get_member (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

gboolean
hg_json_holds_value_of_type (JsonNode *node,
                             GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
check_length (const char *value,
              const char *field,
              gsize       max_len,
              GError    **error)
{
  if (max_len == 0)
    return TRUE;
  if (*value == '\0')
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", field,
                    "%s must not be empty", field);
      return FALSE;
    }
  /* Characters, not bytes: the limits are what a person reads. */
  if ((gsize) g_utf8_strlen (value, -1) > max_len)
    {
      hg_set_error (error, HG_ERROR_INVALID, "too_long", field,
                    "%s is longer than %" G_GSIZE_FORMAT " characters", field, max_len);
      return FALSE;
    }
  return TRUE;
}

gboolean
hg_json_get_string (JsonObject   *object,
                    const char   *member,
                    gsize         max_len,
                    const char  **out,
                    GError      **error)
{
  JsonNode *node;
  const char *value;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if ((node = hg_json_get_member (object, member)) == NULL)
    return TRUE;
  if (!hg_json_holds_value_of_type (node, G_TYPE_STRING))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be a string", member);
      return FALSE;
    }

  value = json_node_get_string (node);
  if (!check_length (value, member, max_len, error))
    return FALSE;

  *out = value;
  return TRUE;
}

gboolean
hg_json_get_int (JsonObject  *object,
                 const char  *member,
                 gint64       min,
                 gint64       max,
                 gint64      *out,
                 GError     **error)
{
  JsonNode *node;
  gint64 value;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if ((node = hg_json_get_member (object, member)) == NULL)
    return TRUE;
  if (!hg_json_holds_value_of_type (node, G_TYPE_INT64))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be an integer", member);
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      hg_set_error (error, HG_ERROR_INVALID, "out_of_range", member,
                    "%s must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
                    member, min, max);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
hg_json_get_bool (JsonObject  *object,
                  const char  *member,
                  gboolean    *out,
                  GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if ((node = hg_json_get_member (object, member)) == NULL)
    return TRUE;
  if (!hg_json_holds_value_of_type (node, G_TYPE_BOOLEAN))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be true or false", member);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A string member, or NULL when absent or of another type. */
static const char *
string_or_null (JsonObject *object,
                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

gboolean
hg_json_error_from_answer (JsonNode  *answer,
                           guint      status,
                           GError   **error)
{
  JsonNode *body;
  JsonObject *fields;
  const char *message;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return FALSE;
  body = json_object_get_member (json_node_get_object (answer), "error");
  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return FALSE;
  fields = json_node_get_object (body);
  message = string_or_null (fields, "message");
  if (message == NULL)
    return FALSE;
  hg_set_error (error, hg_error_code_from_http_status (status), string_or_null (fields, "code"),
                string_or_null (fields, "field"), "%s", message);
  return TRUE;
}

JsonObject *
hg_json_require_object (JsonNode  *node,
                        GError   **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_request", NULL,
                    "expected a JSON object");
      return NULL;
    }
  return json_node_get_object (node);
}

/* The caller may not want the error at all (error == NULL). */
void
hg_json_prefix_error (GError     **error,
                      const char  *prefix)
{
  if (error != NULL && *error != NULL)
    hg_error_prefix_field (*error, prefix);
}

/* Typed members that the public helpers do not cover */

/* Copies an optional string member into an owned field. */
gboolean
hg_json_take_string (JsonObject  *object,
                     const char  *member,
                     gsize        max_len,
                     char       **field,
                     GError     **error)
{
  const char *value = NULL;

  if (!hg_json_get_string (object, member, max_len, &value, error))
    return FALSE;
  if (value != NULL)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
  return TRUE;
}

gboolean
hg_json_take_uint (JsonObject  *object,
                   const char  *member,
                   guint       *field,
                   GError     **error)
{
  gint64 value = *field;

  if (!hg_json_get_int (object, member, 0, G_MAXUINT, &value, error))
    return FALSE;
  *field = (guint) value;
  return TRUE;
}

gboolean
hg_json_take_time (JsonObject  *object,
                   const char  *member,
                   gint64      *field,
                   GError     **error)
{
  const char *value = NULL;

  if (!hg_json_get_string (object, member, 64, &value, error))
    return FALSE;
  if (value != NULL && !hg_time_parse (value, field))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be an RFC 3339 time", member);
      return FALSE;
    }
  return TRUE;
}

/* An optional member that must be an object when present; *out stays NULL
 * when it is absent or null. */
gboolean
hg_json_get_object (JsonObject  *object,
                    const char  *member,
                    JsonObject **out,
                    GError     **error)
{
  JsonNode *node = hg_json_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be an object", member);
      return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
hg_json_get_array (JsonObject  *object,
                   const char  *member,
                   JsonArray  **out,
                   GError     **error)
{
  JsonNode *node = hg_json_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_field", member,
                    "%s must be an array", member);
      return FALSE;
    }
  *out = json_node_get_array (node);
  return TRUE;
}

void
hg_json_set_enum_error (GError     **error,
                        const char  *member)
{
  hg_set_error (error, HG_ERROR_INVALID, "invalid_enum", member,
                "%s is not one of the known values", member);
}

/* hg_json_take_severity () and friends: an optional enum member. */
#define DEFINE_TAKE_ENUM(func, Type, from_string)                        \
  gboolean                                                               \
  func (JsonObject  *object,                                             \
        const char  *member,                                             \
        Type        *field,                                              \
        gboolean    *found,                                              \
        GError     **error)                                              \
  {                                                                      \
    const char *value = NULL;                                            \
                                                                         \
    if (!hg_json_get_string (object, member, 0, &value, error))          \
      return FALSE;                                                      \
    if (value == NULL)                                                   \
      return TRUE;                                                       \
    if (!from_string (value, field))                                     \
      {                                                                  \
        hg_json_set_enum_error (error, member);                          \
        return FALSE;                                                    \
      }                                                                  \
    if (found != NULL)                                                   \
      *found = TRUE;                                                     \
    return TRUE;                                                         \
  }

DEFINE_TAKE_ENUM (hg_json_take_severity, HgSeverity, hg_severity_from_string)
DEFINE_TAKE_ENUM (hg_json_take_status, HgIncidentStatus, hg_incident_status_from_string)
DEFINE_TAKE_ENUM (hg_json_take_role, HgRole, hg_role_from_string)
DEFINE_TAKE_ENUM (hg_json_take_phase, HgAlertPhase, hg_alert_phase_from_string)

/* A status or none (-1), as timeline entries have. */
gboolean
hg_json_take_optional_status (JsonObject  *object,
                              const char  *member,
                              int         *field,
                              GError     **error)
{
  HgIncidentStatus status = HG_INCIDENT_STATUS_OPEN;
  gboolean found = FALSE;

  if (!hg_json_take_status (object, member, &status, &found, error))
    return FALSE;
  if (found)
    *field = (int) status;
  return TRUE;
}

/* Writing */

void
hg_json_set_string_or_null (JsonObject *object,
                            const char *member,
                            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

void
hg_json_set_time_or_null (JsonObject *object,
                          const char *member,
                          gint64      ms)
{
  g_autofree char *text = hg_time_format (ms);

  hg_json_set_string_or_null (object, member, text);
}

void
hg_json_set_id_or_null (JsonObject *object,
                        const char *member,
                        gint64      id)
{
  if (id != 0)
    json_object_set_int_member (object, member, id);
  else
    json_object_set_null_member (object, member);
}

JsonNode *
hg_json_node_from_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

JsonObject *
hg_json_location_object (const char *ward,
                         const char *room,
                         const char *bed)
{
  JsonObject *object = json_object_new ();

  hg_json_set_string_or_null (object, "ward", ward);
  hg_json_set_string_or_null (object, "room", room);
  hg_json_set_string_or_null (object, "bed", bed);
  return object;
}

/* {id, name} of a person, or null. */
void
hg_json_set_person_or_null (JsonObject *object,
                            const char *member,
                            const char *id,
                            const char *name)
{
  JsonObject *person;

  if (id == NULL)
    {
      json_object_set_null_member (object, member);
      return;
    }

  person = json_object_new ();
  json_object_set_string_member (person, "id", id);
  hg_json_set_string_or_null (person, "name", name);
  json_object_set_object_member (object, member, person);
}

gboolean
hg_json_take_person (JsonObject  *object,
                     const char  *member,
                     char       **id,
                     char       **name,
                     GError     **error)
{
  JsonObject *person = NULL;

  if (!hg_json_get_object (object, member, &person, error))
    return FALSE;
  if (person == NULL)
    return TRUE;
  if (!hg_json_take_string (person, "id", 0, id, error) ||
      !hg_json_take_string (person, "name", 0, name, error))
    {
      hg_json_prefix_error (error, member);
      return FALSE;
    }
  return TRUE;
}
