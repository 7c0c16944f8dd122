/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hg-active-alarm-private.h"
#include "hg-alarm-enums.h"
#include "hg-enum-types.h"

struct _HgActiveAlarm {
  GObject            parent_instance;

  HgActiveAlarmKind  kind;
  HgAlarmPriority    priority;
  HgAlarmReason      reason;
  HgIncident        *incident;
  char              *title;
  char              *message;
  gint64             since;
  gboolean           audible;
};

G_DEFINE_FINAL_TYPE (HgActiveAlarm, hg_active_alarm, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_PRIORITY,
  PROP_REASON,
  PROP_INCIDENT,
  PROP_TITLE,
  PROP_MESSAGE,
  PROP_SINCE,
  PROP_AUDIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hg_active_alarm_dispose (GObject *object)
{
  HgActiveAlarm *self = HG_ACTIVE_ALARM (object);

  g_clear_object (&self->incident);

  G_OBJECT_CLASS (hg_active_alarm_parent_class)->dispose (object);
}

static void
hg_active_alarm_finalize (GObject *object)
{
  HgActiveAlarm *self = HG_ACTIVE_ALARM (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (hg_active_alarm_parent_class)->finalize (object);
}

static void
hg_active_alarm_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HgActiveAlarm *self = HG_ACTIVE_ALARM (object);

  switch (prop_id)
    {
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_PRIORITY: g_value_set_enum (value, self->priority); break;
    case PROP_REASON: g_value_set_enum (value, self->reason); break;
    case PROP_INCIDENT: g_value_set_object (value, self->incident); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_SINCE: g_value_set_int64 (value, self->since); break;
    case PROP_AUDIBLE: g_value_set_boolean (value, self->audible); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_active_alarm_class_init (HgActiveAlarmClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = hg_active_alarm_dispose;
  object_class->finalize = hg_active_alarm_finalize;
  object_class->get_property = hg_active_alarm_get_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, HG_TYPE_ACTIVE_ALARM_KIND,
                       HG_ACTIVE_ALARM_KIND_INCIDENT, ro);
  properties[PROP_PRIORITY] =
    g_param_spec_enum ("priority", NULL, NULL, HG_TYPE_ALARM_PRIORITY,
                       HG_ALARM_PRIORITY_LOW, ro);
  properties[PROP_REASON] =
    g_param_spec_enum ("reason", NULL, NULL, HG_TYPE_ALARM_REASON,
                       HG_ALARM_REASON_UNACKNOWLEDGED, ro);
  properties[PROP_INCIDENT] =
    g_param_spec_object ("incident", NULL, NULL, HG_TYPE_INCIDENT, ro);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_SINCE] =
    g_param_spec_int64 ("since", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_AUDIBLE] = g_param_spec_boolean ("audible", NULL, NULL, TRUE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hg_active_alarm_init (HgActiveAlarm *self)
{
  self->audible = TRUE;
}

HgActiveAlarm *
hg_active_alarm_new (HgActiveAlarmKind  kind,
                     HgIncident        *incident,
                     HgAlarmPriority    priority,
                     HgAlarmReason      reason,
                     gint64             since)
{
  HgActiveAlarm *self;

  g_return_val_if_fail ((kind == HG_ACTIVE_ALARM_KIND_INCIDENT) == HG_IS_INCIDENT (incident), NULL);

  self = g_object_new (HG_TYPE_ACTIVE_ALARM, NULL);
  self->kind = kind;
  self->incident = incident != NULL ? g_object_ref (incident) : NULL;
  self->priority = priority;
  self->reason = reason;
  self->since = since;
  if (incident != NULL)
    self->title = g_strdup (hg_incident_get_title (incident));
  return self;
}

HgActiveAlarmKind
hg_active_alarm_get_kind (HgActiveAlarm *self)
{
  g_return_val_if_fail (HG_IS_ACTIVE_ALARM (self), HG_ACTIVE_ALARM_KIND_INCIDENT);
  return self->kind;
}

HgAlarmPriority
hg_active_alarm_get_priority (HgActiveAlarm *self)
{
  g_return_val_if_fail (HG_IS_ACTIVE_ALARM (self), HG_ALARM_PRIORITY_LOW);
  return self->priority;
}

HgAlarmReason
hg_active_alarm_get_reason (HgActiveAlarm *self)
{
  g_return_val_if_fail (HG_IS_ACTIVE_ALARM (self), HG_ALARM_REASON_UNACKNOWLEDGED);
  return self->reason;
}

HgIncident *
hg_active_alarm_get_incident (HgActiveAlarm *self)
{
  g_return_val_if_fail (HG_IS_ACTIVE_ALARM (self), NULL);
  return self->incident;
}

const char *
hg_active_alarm_get_title (HgActiveAlarm *self)
{
  g_return_val_if_fail (HG_IS_ACTIVE_ALARM (self), NULL);
  return self->title;
}

const char *
hg_active_alarm_get_message (HgActiveAlarm *self)
{
  g_return_val_if_fail (HG_IS_ACTIVE_ALARM (self), NULL);
  return self->message;
}

gint64
hg_active_alarm_get_since (HgActiveAlarm *self)
{
  g_return_val_if_fail (HG_IS_ACTIVE_ALARM (self), 0);
  return self->since;
}

gboolean
hg_active_alarm_get_audible (HgActiveAlarm *self)
{
  g_return_val_if_fail (HG_IS_ACTIVE_ALARM (self), FALSE);
  return self->audible;
}

void
hg_active_alarm_set_priority (HgActiveAlarm   *self,
                              HgAlarmPriority  priority)
{
  g_return_if_fail (HG_IS_ACTIVE_ALARM (self));

  if (self->priority == priority)
    return;
  self->priority = priority;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
}

void
hg_active_alarm_set_reason (HgActiveAlarm *self,
                            HgAlarmReason  reason)
{
  g_return_if_fail (HG_IS_ACTIVE_ALARM (self));

  if (self->reason == reason)
    return;
  self->reason = reason;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
}

void
hg_active_alarm_set_incident (HgActiveAlarm *self,
                              HgIncident    *incident)
{
  g_return_if_fail (HG_IS_ACTIVE_ALARM (self));
  g_return_if_fail (self->kind == HG_ACTIVE_ALARM_KIND_INCIDENT);
  g_return_if_fail (HG_IS_INCIDENT (incident));

  if (g_set_object (&self->incident, incident))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCIDENT]);
}

/* g_set_str() is GLib 2.76, newer than Debian 12's. */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
hg_active_alarm_set_title (HgActiveAlarm *self,
                           const char    *title)
{
  g_return_if_fail (HG_IS_ACTIVE_ALARM (self));

  if (replace_string (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
hg_active_alarm_set_message (HgActiveAlarm *self,
                             const char    *message)
{
  g_return_if_fail (HG_IS_ACTIVE_ALARM (self));

  if (replace_string (&self->message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

void
hg_active_alarm_set_audible (HgActiveAlarm *self,
                             gboolean       audible)
{
  g_return_if_fail (HG_IS_ACTIVE_ALARM (self));

  audible = !!audible;
  if (self->audible == audible)
    return;
  self->audible = audible;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIBLE]);
}

static gint64
incident_id (HgActiveAlarm *alarm)
{
  return alarm->incident != NULL ? hg_incident_get_id (alarm->incident) : 0;
}

int
hg_active_alarm_compare (gconstpointer a,
                         gconstpointer b,
                         gpointer      user_data)
{
  HgActiveAlarm *x = (HgActiveAlarm *) a;
  HgActiveAlarm *y = (HgActiveAlarm *) b;
  gboolean x_technical = x->kind != HG_ACTIVE_ALARM_KIND_INCIDENT;
  gboolean y_technical = y->kind != HG_ACTIVE_ALARM_KIND_INCIDENT;

  if (x->priority != y->priority)
    return x->priority > y->priority ? -1 : 1;
  if (x->since != y->since)
    return x->since < y->since ? -1 : 1;
  /* A technical alarm concerns every alarm of the screen: first of equals. */
  if (x_technical != y_technical)
    return x_technical ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  if (incident_id (x) != incident_id (y))
    return incident_id (x) < incident_id (y) ? -1 : 1;
  return 0;
}
