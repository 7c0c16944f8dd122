/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Any body: hg_json_parse (the strict pre-scan, then json-glib), a walk
 * over everything it accepted, as a parser of arbitrary payloads will do
 * (the Alertmanager webhook, when it comes, reads its body this way), and
 * every hg_json_*_from_node of the model (the app reads the server's
 * answers with them). What is accepted must serialise to JSON that parses
 * back to the same text. */

#include "config.h"

#include <string.h>

#include "hg-fuzz.h"
#include "hg-protocol.h"

typedef struct {
  guint nodes;
  guint max_depth;
} Walk;

static void walk_node (JsonNode *node, guint depth, Walk *walk);

static void
walk_object (JsonObject *object,
             guint       depth,
             Walk       *walk)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      g_assert_true (g_utf8_validate (name, -1, NULL));
      g_assert_true (json_object_get_member (object, name) != NULL);
      walk_node (member, depth + 1, walk);
    }
}

static void
walk_value (JsonNode *node)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_STRING)
    g_assert_true (g_utf8_validate (json_node_get_string (node), -1, NULL));
  else if (type == G_TYPE_INT64)
    (void) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    (void) json_node_get_double (node);
  else if (type == G_TYPE_BOOLEAN)
    (void) json_node_get_boolean (node);
  else
    g_error ("a JSON value of type %s", g_type_name (type));
}

/* Recursion is bounded: hg_json_parse refuses more than
 * HG_MAX_JSON_DEPTH levels. */
static void
walk_node (JsonNode *node,
           guint     depth,
           Walk     *walk)
{
  g_assert_cmpuint (depth, <=, HG_MAX_JSON_DEPTH);
  walk->nodes++;
  walk->max_depth = MAX (walk->max_depth, depth);
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      walk_object (json_node_get_object (node), depth, walk);
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          walk_node (json_array_get_element (array, i), depth + 1, walk);
      }
      break;
    case JSON_NODE_VALUE:
      walk_value (node);
      break;
    case JSON_NODE_NULL:
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Each model's reader and writer, through one signature. */
#define MODEL(name, to_node_call)                                \
  static GObject *                                               \
  name##_read (JsonNode *node, GError **error)                   \
  {                                                              \
    return (GObject *) hg_json_##name##_from_node (node, error); \
  }                                                              \
  static JsonNode *                                              \
  name##_write (GObject *item)                                   \
  {                                                              \
    return to_node_call;                                         \
  }

MODEL (alert, hg_json_alert_to_node (HG_ALERT (item)))
MODEL (incident, hg_json_incident_to_node (HG_INCIDENT (item), TRUE))
MODEL (staff, hg_json_staff_to_node (HG_STAFF (item)))
MODEL (patient, hg_json_patient_to_node (HG_PATIENT (item)))
MODEL (alert_type, hg_json_alert_type_to_node (HG_ALERT_TYPE (item)))

static const struct {
  GObject  *(*from_node) (JsonNode *node, GError **error);
  JsonNode *(*to_node) (GObject *item);
} models[] = {
  { alert_read, alert_write },
  { incident_read, incident_write },
  { staff_read, staff_write },
  { patient_read, patient_write },
  { alert_type_read, alert_type_write },
};

/* Every model reader on @node; what one accepts, it must write back and
 * read again. */
static void
read_models (JsonNode *node)
{
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) item = models[i].from_node (node, &error);
      g_autoptr(JsonNode) written = NULL;
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) reread = NULL;
      g_autoptr(GObject) again = NULL;

      if (item == NULL)
        {
          hg_fuzz_check_refusal (error);
          continue;
        }
      written = models[i].to_node (item);
      text = hg_fuzz_check_round_trip (written);
      reread = hg_json_parse (text, strlen (text), NULL);
      again = models[i].from_node (reread, &error);
      if (again == NULL)
        g_error ("a %s we wrote does not read back (%s): %s",
                 G_OBJECT_TYPE_NAME (item), error->message, text);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  Walk walk = { 0 };

  hg_fuzz_setup ();
  root = hg_json_parse ((const char *) data, size, &error);
  if (root == NULL)
    {
      hg_fuzz_check_refusal (error);
      return 0;
    }
  walk_node (root, 0, &walk);
  g_assert_cmpuint (walk.nodes, <=, size);
  g_free (hg_fuzz_check_round_trip (root));

  read_models (root);
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array) && i < 8; i++)
        read_models (json_array_get_element (array, i));
    }
  return 0;
}
