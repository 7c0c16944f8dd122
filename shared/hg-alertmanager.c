/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hg-alertmanager.h"
#include "hg-error.h"
#include "hg-json.h"
#include "hg-models-private.h"
#include "hg-protocol.h"

/* A failure inside alerts[i]: the field reads "alerts[i].<field>". */
static void
invalid (GError     **error,
         const char  *wire_code,
         const char  *field,
         const char  *message)
{
  hg_set_error (error, HG_ERROR_INVALID, wire_code, field, "%s", message);
}

/* @text cut to at most @max_chars characters (valid UTF-8 in, valid out). */
static char *
cut (const char *text,
     gsize       max_chars)
{
  if ((gsize) g_utf8_strlen (text, -1) <= max_chars)
    return g_strdup (text);
  return g_utf8_substring (text, 0, max_chars);
}

static gboolean
is_type_code (const char *code)
{
  for (const char *p = code; *p != '\0'; p++)
    {
      if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '_')
        return FALSE;
    }
  return *code != '\0';
}

/* Prometheus reads an empty label as an absent one, and so do we. */
static const char *
label (JsonObject *labels,
       const char *name)
{
  JsonNode *node = labels != NULL ? json_object_get_member (labels, name) : NULL;
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  value = json_node_get_string (node);
  return value != NULL && *value != '\0' ? value : NULL;
}

/* Every member of @object must be a string: Alertmanager's labels and
 * annotations are. */
static gboolean
check_string_map (JsonObject  *object,
                  const char  *field,
                  GError     **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          g_autofree char *message = g_strdup_printf ("%s must map names to strings", field);

          invalid (error, "invalid_field", field, message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
get_string_map (JsonObject  *object,
                const char  *member,
                JsonObject **out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *message = g_strdup_printf ("%s must be an object", member);

      invalid (error, "invalid_field", member, message);
      return FALSE;
    }
  *out = json_node_get_object (node);
  return check_string_map (*out, member, error);
}

/* A label that decides where the alarm goes: at most @max_len characters,
 * never cut. */
static gboolean
take_routing_label (JsonObject  *labels,
                    const char  *name,
                    gsize        max_len,
                    char       **field,
                    GError     **error)
{
  const char *value = label (labels, name);

  if (value == NULL)
    return TRUE;
  if ((gsize) g_utf8_strlen (value, -1) > max_len)
    {
      g_autofree char *path = g_strconcat ("labels.", name, NULL);
      g_autofree char *message = g_strdup_printf ("%s must have at most %" G_GSIZE_FORMAT
                                                  " characters", path, max_len);

      invalid (error, "too_long", path, message);
      return FALSE;
    }
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
take_type (JsonObject  *labels,
           HgAlert     *alert,
           GError     **error)
{
  const char *type = label (labels, "healthguard_type");

  if (type == NULL)
    type = HG_ALERTMANAGER_DEFAULT_TYPE;
  if (strlen (type) > HG_MAX_ID_LEN || !is_type_code (type))
    {
      invalid (error, "invalid_field", "labels.healthguard_type",
               "labels.healthguard_type must be an alert type code (A-Z, 0-9 and _)");
      return FALSE;
    }
  g_free (alert->alert_type);
  alert->alert_type = g_strdup (type);
  return TRUE;
}

/* Prometheus rules say "critical", "warning" or "info"; HealthGuard's own
 * words are taken too. Anything else leaves the alert type's severity. */
static void
take_severity (JsonObject *labels,
               HgAlert    *alert)
{
  static const struct {
    const char *name;
    HgSeverity  severity;
  } map[] = {
    { "critical", HG_SEVERITY_CRITICAL },
    { "high", HG_SEVERITY_HIGH },
    { "warning", HG_SEVERITY_MEDIUM },
    { "medium", HG_SEVERITY_MEDIUM },
    { "info", HG_SEVERITY_LOW },
    { "low", HG_SEVERITY_LOW },
  };
  const char *value = label (labels, "severity");

  if (value == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if (g_ascii_strcasecmp (value, map[i].name) == 0)
        {
          alert->severity = map[i].severity;
          alert->has_severity = TRUE;
          return;
        }
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The first HG_MAX_LABELS labels in name order, so that the same alert
 * always keeps the same ones. */
static void
take_labels (JsonObject *labels,
             HgAlert    *alert)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (labels == NULL)
    return;
  json_object_iter_init (&iter, labels);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (*key != '\0' && (gsize) g_utf8_strlen (key, -1) <= HG_MAX_LABEL_LEN)
        g_ptr_array_add (names, (gpointer) key);
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len && i < HG_MAX_LABELS; i++)
    {
      const char *name = names->pdata[i];

      g_hash_table_replace (alert->labels, g_strdup (name),
                            cut (json_object_get_string_member (labels, name), HG_MAX_LABEL_LEN));
    }
}

static void
take_message (JsonObject *labels,
              JsonObject *annotations,
              HgAlert    *alert)
{
  const char *text = label (annotations, "summary");

  if (text == NULL)
    text = label (annotations, "description");
  if (text == NULL)
    text = label (labels, "alertname");
  if (text != NULL)
    alert->message = cut (text, HG_MAX_MESSAGE_LEN);
}

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            const char **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *message = g_strdup_printf ("%s must be a string", member);

      invalid (error, "invalid_field", member, message);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
take_status (JsonObject  *object,
             HgAlert     *alert,
             GError     **error)
{
  const char *status;

  if (!get_string (object, "status", &status, error))
    return FALSE;
  if (g_strcmp0 (status, "firing") == 0)
    alert->phase = HG_ALERT_PHASE_START;
  else if (g_strcmp0 (status, "resolved") == 0)
    alert->phase = HG_ALERT_PHASE_END;
  else
    {
      invalid (error, "invalid_field", "status", "status must be \"firing\" or \"resolved\"");
      return FALSE;
    }
  return TRUE;
}

/* A firing alert happened at startsAt, a resolved one at endsAt. The other
 * time is not read: a firing alert's endsAt is a placeholder (year 1, or
 * the time Alertmanager will give up on it). */
static gboolean
take_time (JsonObject  *object,
           HgAlert     *alert,
           GError     **error)
{
  const char *member = alert->phase == HG_ALERT_PHASE_END ? "endsAt" : "startsAt";
  const char *value;

  if (!get_string (object, member, &value, error))
    return FALSE;
  if (value != NULL && !hg_time_parse (value, &alert->occurred_at))
    {
      g_autofree char *message = g_strdup_printf ("%s must be an RFC 3339 time after 1970", member);

      invalid (error, "invalid_field", member, message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
take_fingerprint (JsonObject  *object,
                  HgAlert     *alert,
                  GError     **error)
{
  const char *value;

  if (!get_string (object, "fingerprint", &value, error))
    return FALSE;
  if (value == NULL || *value == '\0')
    return TRUE;
  if ((gsize) g_utf8_strlen (value, -1) > HG_MAX_LABEL_LEN)
    {
      invalid (error, "too_long", "fingerprint", "fingerprint is too long");
      return FALSE;
    }
  alert->dedup_key = g_strdup (value);
  return TRUE;
}

static HgAlert *
alert_from_node (JsonNode  *node,
                 GError   **error)
{
  g_autoptr(HgAlert) alert = NULL;
  JsonObject *object, *labels = NULL, *annotations = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, "invalid_field", NULL, "each alert must be an object");
      return NULL;
    }
  object = json_node_get_object (node);
  alert = hg_alert_new (NULL);
  if (!get_string_map (object, "labels", &labels, error) ||
      !get_string_map (object, "annotations", &annotations, error) ||
      !take_status (object, alert, error) ||
      !take_time (object, alert, error) ||
      !take_fingerprint (object, alert, error) ||
      !take_type (labels, alert, error) ||
      !take_routing_label (labels, "patient_id", HG_MAX_ID_LEN, &alert->patient_id, error) ||
      !take_routing_label (labels, "ward", HG_MAX_NAME_LEN, &alert->ward, error) ||
      !take_routing_label (labels, "room", HG_MAX_NAME_LEN, &alert->room, error) ||
      !take_routing_label (labels, "bed", HG_MAX_NAME_LEN, &alert->bed, error))
    return NULL;

  take_severity (labels, alert);
  take_labels (labels, alert);
  take_message (labels, annotations, alert);
  alert->source = g_strdup (HG_ALERTMANAGER_SOURCE);
  return g_steal_pointer (&alert);
}

static gboolean
check_version (JsonObject  *payload,
               GError     **error)
{
  const char *version;

  if (!get_string (payload, "version", &version, error))
    return FALSE;
  if (g_strcmp0 (version, "4") != 0)
    {
      invalid (error, "unsupported_version", "version",
               "only Alertmanager's webhook payload version \"4\" is understood");
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
hg_alertmanager_parse (JsonNode  *body,
                       GError   **error)
{
  g_autoptr(GPtrArray) alerts = NULL;
  JsonObject *payload;
  JsonNode *node;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((payload = hg_json_require_object (body, error)) == NULL ||
      !check_version (payload, error))
    return NULL;

  node = json_object_get_member (payload, "alerts");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      invalid (error, "invalid_field", "alerts", "alerts must be an array");
      return NULL;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0 || n > HG_MAX_BATCH_ALERTS)
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_batch", "alerts",
                    "a payload holds 1 to %d alerts (set max_alerts in the receiver)",
                    HG_MAX_BATCH_ALERTS);
      return NULL;
    }

  alerts = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      HgAlert *alert = alert_from_node (json_array_get_element (array, i), error);

      if (alert == NULL)
        {
          g_autofree char *prefix = g_strdup_printf ("alerts[%u]", i);

          if (error != NULL)
            hg_error_prefix_field (*error, prefix);
          return NULL;
        }
      g_ptr_array_add (alerts, alert);
    }
  return g_steal_pointer (&alerts);
}
