/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hg-error.h"
#include "hg-notification.h"
#include "hg-types.h"

struct _HgNotification {
  GObject   parent_instance;

  gint64    id;
  gint64    incident_id;
  char     *kind;
  char     *message;
  gint64    created_at;
  gboolean  read;
};

G_DEFINE_FINAL_TYPE (HgNotification, hg_notification, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_READ,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

HgNotification *
hg_notification_new_from_json (JsonObject  *object,
                               GError     **error)
{
  HgNotification *self;
  const char *message, *created_at;
  gint64 id;

  g_return_val_if_fail (object != NULL, NULL);

  id = json_object_get_int_member_with_default (object, "id", 0);
  message = member_string (object, "message");
  if (id <= 0 || message == NULL)
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, NULL, "a notification without id or message");
      return NULL;
    }
  self = g_object_new (HG_TYPE_NOTIFICATION, NULL);
  self->id = id;
  self->incident_id = json_object_get_int_member_with_default (object, "incident_id", 0);
  self->kind = g_strdup (member_string (object, "kind") ?: "");
  self->message = g_strdup (message);
  created_at = member_string (object, "created_at");
  if (created_at == NULL || !hg_time_parse (created_at, &self->created_at))
    self->created_at = hg_time_now_ms ();
  self->read = member_string (object, "read_at") != NULL;
  return self;
}

gint64
hg_notification_get_id (HgNotification *self)
{
  g_return_val_if_fail (HG_IS_NOTIFICATION (self), 0);
  return self->id;
}

gint64
hg_notification_get_incident_id (HgNotification *self)
{
  g_return_val_if_fail (HG_IS_NOTIFICATION (self), 0);
  return self->incident_id;
}

const char *
hg_notification_get_kind (HgNotification *self)
{
  g_return_val_if_fail (HG_IS_NOTIFICATION (self), NULL);
  return self->kind;
}

const char *
hg_notification_get_message (HgNotification *self)
{
  g_return_val_if_fail (HG_IS_NOTIFICATION (self), NULL);
  return self->message;
}

gint64
hg_notification_get_created_at (HgNotification *self)
{
  g_return_val_if_fail (HG_IS_NOTIFICATION (self), 0);
  return self->created_at;
}

gboolean
hg_notification_get_read (HgNotification *self)
{
  g_return_val_if_fail (HG_IS_NOTIFICATION (self), FALSE);
  return self->read;
}

void
hg_notification_set_read (HgNotification *self,
                          gboolean        read)
{
  g_return_if_fail (HG_IS_NOTIFICATION (self));

  read = !!read;
  if (self->read == read)
    return;
  self->read = read;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ]);
}

static void
hg_notification_finalize (GObject *object)
{
  HgNotification *self = HG_NOTIFICATION (object);

  g_free (self->kind);
  g_free (self->message);
  G_OBJECT_CLASS (hg_notification_parent_class)->finalize (object);
}

static void
hg_notification_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HgNotification *self = HG_NOTIFICATION (object);

  switch (prop_id)
    {
    case PROP_READ: g_value_set_boolean (value, self->read); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_notification_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HgNotification *self = HG_NOTIFICATION (object);

  switch (prop_id)
    {
    case PROP_READ: hg_notification_set_read (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_notification_class_init (HgNotificationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hg_notification_finalize;
  object_class->get_property = hg_notification_get_property;
  object_class->set_property = hg_notification_set_property;

  properties[PROP_READ] =
    g_param_spec_boolean ("read", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hg_notification_init (HgNotification *self)
{
}
