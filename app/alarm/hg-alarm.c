/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HgAlarm: the active list, what sounds, silence and the technical
 * alarms. Which incidents are active is hg-alarm-incidents.c's. */
#include "config.h"

#include <glib/gi18n.h>

#include "hg-active-alarm-private.h"
#include "hg-alarm-enums.h"
#include "hg-alarm-private.h"

G_DEFINE_FINAL_TYPE (HgAlarm, hg_alarm, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SPEAKER,
  PROP_CLOCK,
  PROP_INCIDENTS,
  PROP_MODE,
  PROP_MODE_TARGET,
  PROP_LINK_UP,
  PROP_SILENCED,
  PROP_SILENCED_UNTIL,
  PROP_SILENCE_DURATION,
  PROP_SOUNDING_PRIORITY,
  PROP_ACTIVE,
  PROP_N_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
notify (HgAlarm *self,
        guint    prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* --- The entries and the active list ------------------------------------ */

static void
entry_free (gpointer data)
{
  HgAlarmEntry *entry = data;

  /* Removal cancels the timer first: a timer left here would fire on
   * freed memory. */
  g_assert (entry->ack_timer == 0);
  g_clear_object (&entry->item);
  g_free (entry);
}

HgAlarmEntry *
_hg_alarm_lookup (HgAlarm *self,
                  gint64   key)
{
  return g_hash_table_lookup (self->entries, &key);
}

HgAlarmEntry *
_hg_alarm_add (HgAlarm           *self,
               gint64             key,
               HgActiveAlarmKind  kind,
               HgIncident        *incident,
               HgAlarmPriority    priority,
               HgAlarmReason      reason,
               gint64             since,
               gboolean           audible)
{
  HgAlarmEntry *entry = g_new0 (HgAlarmEntry, 1);

  g_assert (_hg_alarm_lookup (self, key) == NULL);

  entry->self = self;
  entry->key = key;
  entry->item = hg_active_alarm_new (kind, incident, priority, reason, since);
  hg_active_alarm_set_audible (entry->item, audible);
  g_hash_table_insert (self->entries, g_memdup2 (&key, sizeof key), entry);
  if (self->pending != NULL)
    g_ptr_array_add (self->pending, g_object_ref (entry->item));
  else
    g_list_store_insert_sorted (self->active, entry->item, hg_active_alarm_compare, NULL);
  notify (self, PROP_N_ACTIVE);
  g_debug ("Active: %s (%s priority)", hg_active_alarm_get_title (entry->item),
           hg_alarm_priority_to_string (priority));
  if (audible)
    _hg_alarm_new_condition (self);
  return entry;
}

static void
remove_item (HgAlarm       *self,
             HgActiveAlarm *item)
{
  guint position;

  if (g_list_store_find (self->active, item, &position))
    g_list_store_remove (self->active, position);
  else if (self->pending != NULL)
    g_ptr_array_remove (self->pending, item);
}

static int
compare_pointers (gconstpointer a,
                  gconstpointer b)
{
  return hg_active_alarm_compare (*(HgActiveAlarm **) a, *(HgActiveAlarm **) b, NULL);
}

void
_hg_alarm_begin_batch (HgAlarm *self)
{
  g_assert (self->pending == NULL);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
}

void
_hg_alarm_end_batch (HgAlarm *self)
{
  g_autoptr(GPtrArray) pending = g_steal_pointer (&self->pending);
  g_autoptr(GPtrArray) all = NULL;
  guint n;

  g_assert (pending != NULL);
  if (pending->len == 0)
    return;
  /* One alarm (the usual case): in its place, and only there. */
  if (pending->len == 1)
    {
      g_list_store_insert_sorted (self->active, pending->pdata[0], hg_active_alarm_compare, NULL);
      return;
    }
  /* The ones held already, and the new ones: one sort, one splice. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->active));
  all = g_ptr_array_new_full (n + pending->len, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (all, g_list_model_get_item (G_LIST_MODEL (self->active), i));
  for (guint i = 0; i < pending->len; i++)
    g_ptr_array_add (all, g_object_ref (pending->pdata[i]));
  g_ptr_array_sort (all, compare_pointers);
  g_list_store_splice (self->active, 0, n, all->pdata, all->len);
}

void
_hg_alarm_remove (HgAlarm      *self,
                  HgAlarmEntry *entry,
                  gboolean      by_person)
{
  g_autoptr(HgActiveAlarm) item = g_object_ref (entry->item);
  gint64 key = entry->key;

  if (by_person && hg_active_alarm_get_audible (item) &&
      (int) hg_active_alarm_get_priority (item) == self->sounding)
    self->stop_now = TRUE;
  if (entry->ack_timer != 0)
    hg_alarm_clock_remove (self->clock, entry->ack_timer);
  entry->ack_timer = 0;
  g_debug ("No longer active: %s (%s)", hg_active_alarm_get_title (item),
           by_person ? "acknowledged" : "ended");
  g_hash_table_remove (self->entries, &key);
  remove_item (self, item);
  notify (self, PROP_N_ACTIVE);
}

/* Moves @item only when its neighbours say it is out of order, so that a
 * change that keeps its place costs no items-changed. */
static void
reposition (HgAlarm       *self,
            HgActiveAlarm *item)
{
  GListModel *model = G_LIST_MODEL (self->active);
  g_autoptr(HgActiveAlarm) prev = NULL;
  g_autoptr(HgActiveAlarm) next = NULL;
  guint position;

  if (!g_list_store_find (self->active, item, &position))
    {
      /* Waits in the batch: the end of it sorts it. */
      g_assert (self->pending != NULL && g_ptr_array_find (self->pending, item, NULL));
      return;
    }
  if (position > 0)
    prev = g_list_model_get_item (model, position - 1);
  next = g_list_model_get_item (model, position + 1);
  if ((prev == NULL || hg_active_alarm_compare (prev, item, NULL) <= 0) &&
      (next == NULL || hg_active_alarm_compare (item, next, NULL) <= 0))
    return;
  g_list_store_remove (self->active, position);
  g_list_store_insert_sorted (self->active, item, hg_active_alarm_compare, NULL);
}

void
_hg_alarm_set_priority (HgAlarm         *self,
                        HgAlarmEntry    *entry,
                        HgAlarmPriority  priority)
{
  HgAlarmPriority old = hg_active_alarm_get_priority (entry->item);

  if (old == priority)
    return;
  hg_active_alarm_set_priority (entry->item, priority);
  reposition (self, entry->item);
  /* Louder than it was is a new condition; quieter is not. */
  if (priority > old && hg_active_alarm_get_audible (entry->item))
    _hg_alarm_new_condition (self);
}

/* --- Sound -------------------------------------------------------------- */

static int
loudest_audible (HgAlarm *self)
{
  GHashTableIter iter;
  gpointer value;
  int loudest = -1;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      HgAlarmEntry *entry = value;

      if (hg_active_alarm_get_audible (entry->item))
        loudest = MAX (loudest, (int) hg_active_alarm_get_priority (entry->item));
    }
  return loudest;
}

static void
end_silence (HgAlarm *self)
{
  if (!self->silenced)
    return;
  if (self->silence_timer != 0)
    hg_alarm_clock_remove (self->clock, self->silence_timer);
  self->silence_timer = 0;
  self->silenced = FALSE;
  self->silenced_until = 0;
  g_debug ("Silence over");
  notify (self, PROP_SILENCED);
  notify (self, PROP_SILENCED_UNTIL);
}

void
_hg_alarm_new_condition (HgAlarm *self)
{
  end_silence (self);
}

void
_hg_alarm_update_sound (HgAlarm *self)
{
  gboolean now = self->stop_now;
  int loudest = loudest_audible (self);
  int want, was;

  self->stop_now = FALSE;
  /* Nothing left to pause: a silence would only hide the next alarm. */
  if (loudest < 0)
    end_silence (self);
  want = self->silenced ? -1 : loudest;
  if (want == self->sounding)
    return;

  /* Recorded before the speaker is called, so that a speaker reporting a
   * failure from inside play() finds the state it must. */
  was = self->sounding;
  self->sounding = want;
  if (want > was)
    {
      /* The speaker lets a started lower burst finish on its own. */
      hg_alarm_speaker_play (self->speaker, want);
    }
  else if (now)
    {
      hg_alarm_speaker_stop (self->speaker, HG_ALARM_STOP_NOW);
      if (want >= 0)
        hg_alarm_speaker_play (self->speaker, want);
    }
  else if (want < 0)
    hg_alarm_speaker_stop (self->speaker, HG_ALARM_STOP_AFTER_BURST);
  else
    hg_alarm_speaker_play (self->speaker, want);
  notify (self, PROP_SOUNDING_PRIORITY);
}

/* --- Silence ------------------------------------------------------------ */

static void
silence_over (gpointer data)
{
  HgAlarm *self = data;

  self->silence_timer = 0;
  end_silence (self);
  _hg_alarm_update_sound (self);
}

void
hg_alarm_silence (HgAlarm *self)
{
  gint64 until;

  g_return_if_fail (HG_IS_ALARM (self));

  if (loudest_audible (self) < 0)
    {
      g_debug ("Nothing audible to silence");
      return;
    }
  if (self->silence_timer != 0)
    hg_alarm_clock_remove (self->clock, self->silence_timer);
  self->silence_timer = hg_alarm_clock_add_timeout (self->clock, self->silence_duration * 1000,
                                                    silence_over, self);
  until = hg_alarm_clock_get_real (self->clock) + (gint64) self->silence_duration * G_USEC_PER_SEC;
  if (self->sounding >= 0)
    self->stop_now = TRUE;
  g_debug ("Silenced for %u s", self->silence_duration);
  if (!self->silenced)
    {
      self->silenced = TRUE;
      notify (self, PROP_SILENCED);
    }
  if (self->silenced_until != until)
    {
      self->silenced_until = until;
      notify (self, PROP_SILENCED_UNTIL);
    }
  _hg_alarm_update_sound (self);
}

gboolean
hg_alarm_get_silenced (HgAlarm *self)
{
  g_return_val_if_fail (HG_IS_ALARM (self), FALSE);
  return self->silenced;
}

gint64
hg_alarm_get_silenced_until (HgAlarm *self)
{
  g_return_val_if_fail (HG_IS_ALARM (self), 0);
  return self->silenced_until;
}

guint
hg_alarm_get_silence_duration (HgAlarm *self)
{
  g_return_val_if_fail (HG_IS_ALARM (self), HG_ALARM_SILENCE_DEFAULT);
  return self->silence_duration;
}

void
hg_alarm_set_silence_duration (HgAlarm *self,
                               guint    seconds)
{
  g_return_if_fail (HG_IS_ALARM (self));

  seconds = CLAMP (seconds, HG_ALARM_SILENCE_MIN, HG_ALARM_SILENCE_MAX);
  if (self->silence_duration == seconds)
    return;
  self->silence_duration = seconds;
  notify (self, PROP_SILENCE_DURATION);
}

/* --- Acknowledged here -------------------------------------------------- */

static void
ack_wait_over (gpointer data)
{
  HgAlarmEntry *entry = data;
  HgAlarm *self = entry->self;

  entry->ack_timer = 0;
  g_message ("Incident %" G_GINT64_FORMAT " is still not acknowledged %d s after it was"
             " acknowledged here: it sounds again", entry->key, HG_ALARM_ACK_WAIT_MSEC / 1000);
  hg_active_alarm_set_audible (entry->item, TRUE);
  /* The person believes it handled: it must be heard, silence or not. */
  _hg_alarm_new_condition (self);
  _hg_alarm_update_sound (self);
}

void
hg_alarm_acknowledge (HgAlarm *self,
                      gint64   incident_id)
{
  HgAlarmEntry *entry;

  g_return_if_fail (HG_IS_ALARM (self));
  g_return_if_fail (incident_id > 0);

  entry = _hg_alarm_lookup (self, incident_id);
  if (entry == NULL || entry->ack_timer != 0)
    return;
  if (hg_active_alarm_get_audible (entry->item) &&
      (int) hg_active_alarm_get_priority (entry->item) == self->sounding)
    self->stop_now = TRUE;
  hg_active_alarm_set_audible (entry->item, FALSE);
  entry->ack_timer = hg_alarm_clock_add_timeout (self->clock, HG_ALARM_ACK_WAIT_MSEC,
                                                 ack_wait_over, entry);
  _hg_alarm_update_sound (self);
}

/* --- Technical alarms --------------------------------------------------- */

static void
link_lost (gpointer data)
{
  HgAlarm *self = data;
  HgAlarmEntry *entry;

  self->link_timer = 0;
  g_message ("No link to the server for %d s: technical alarm", HG_ALARM_LINK_LOST_MSEC / 1000);
  entry = _hg_alarm_add (self, HG_ALARM_KEY_LINK, HG_ACTIVE_ALARM_KIND_LINK, NULL,
                         HG_ALARM_PRIORITY_MEDIUM, HG_ALARM_REASON_TECHNICAL,
                         self->link_down_since, TRUE);
  hg_active_alarm_set_title (entry->item, _("Alarms may not reach this station"));
  hg_active_alarm_set_message (entry->item,
                               _("The connection to the server is lost. New alarms and "
                                 "changes may not appear here: watch the bedside devices "
                                 "until it returns."));
  _hg_alarm_update_sound (self);
}

void
hg_alarm_set_link_up (HgAlarm  *self,
                      gboolean  link_up)
{
  HgAlarmEntry *entry;

  g_return_if_fail (HG_IS_ALARM (self));

  link_up = !!link_up;
  if (self->link_up == link_up)
    return;
  self->link_up = link_up;
  notify (self, PROP_LINK_UP);

  if (!link_up)
    {
      self->link_down_since = hg_alarm_clock_get_real (self->clock);
      self->link_timer = hg_alarm_clock_add_timeout (self->clock, HG_ALARM_LINK_LOST_MSEC,
                                                     link_lost, self);
      return;
    }
  if (self->link_timer != 0)
    hg_alarm_clock_remove (self->clock, self->link_timer);
  self->link_timer = 0;
  if ((entry = _hg_alarm_lookup (self, HG_ALARM_KEY_LINK)) != NULL)
    {
      g_message ("The link to the server is back");
      _hg_alarm_remove (self, entry, FALSE);
    }
  _hg_alarm_update_sound (self);
}

gboolean
hg_alarm_get_link_up (HgAlarm *self)
{
  g_return_val_if_fail (HG_IS_ALARM (self), FALSE);
  return self->link_up;
}

/* The audio alarm is MEDIUM, like the link alarm: both mean "alarms may
 * not reach a person here", and neither may push the patients' high
 * priority alarms down the list. It cannot sound, so its priority only
 * places and colours it. */
void
hg_alarm_audio_failed (HgAlarm      *self,
                       const GError *error)
{
  g_autofree char *message = NULL;
  HgAlarmEntry *entry;

  g_return_if_fail (HG_IS_ALARM (self));
  g_return_if_fail (error != NULL);

  g_message ("The alarm sound failed: %s", error->message);
  entry = _hg_alarm_lookup (self, HG_ALARM_KEY_AUDIO);
  if (entry == NULL)
    {
      entry = _hg_alarm_add (self, HG_ALARM_KEY_AUDIO, HG_ACTIVE_ALARM_KIND_AUDIO, NULL,
                             HG_ALARM_PRIORITY_MEDIUM, HG_ALARM_REASON_TECHNICAL,
                             hg_alarm_clock_get_real (self->clock), FALSE);
      hg_active_alarm_set_title (entry->item, _("Alarms cannot be heard here"));
    }
  /* TRANSLATORS: %s is the sound system's own error message. */
  message = g_strdup_printf (_("The alarm sound does not work (%s). Keep this screen in view "
                               "and watch the bedside devices until it is repaired."),
                             error->message);
  hg_active_alarm_set_message (entry->item, message);
  _hg_alarm_update_sound (self);
}

void
hg_alarm_audio_recovered (HgAlarm *self)
{
  HgAlarmEntry *entry;

  g_return_if_fail (HG_IS_ALARM (self));

  if ((entry = _hg_alarm_lookup (self, HG_ALARM_KEY_AUDIO)) == NULL)
    return;
  g_message ("The alarm sound works again");
  _hg_alarm_remove (self, entry, FALSE);
  /* The output that failed may have lost what it was playing. */
  if (self->sounding >= 0)
    hg_alarm_speaker_play (self->speaker, self->sounding);
  _hg_alarm_update_sound (self);
}

/* --- The rest of the API ------------------------------------------------ */

int
hg_alarm_get_sounding_priority (HgAlarm *self)
{
  g_return_val_if_fail (HG_IS_ALARM (self), -1);
  return self->sounding;
}

GListModel *
hg_alarm_get_active (HgAlarm *self)
{
  g_return_val_if_fail (HG_IS_ALARM (self), NULL);
  return G_LIST_MODEL (self->active);
}

guint
hg_alarm_get_n_active (HgAlarm *self)
{
  g_return_val_if_fail (HG_IS_ALARM (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->active));
}

GListModel *
hg_alarm_get_incidents (HgAlarm *self)
{
  g_return_val_if_fail (HG_IS_ALARM (self), NULL);
  return self->incidents;
}

void
hg_alarm_set_incidents (HgAlarm    *self,
                        GListModel *incidents)
{
  g_return_if_fail (HG_IS_ALARM (self));
  g_return_if_fail (incidents == NULL || G_IS_LIST_MODEL (incidents));

  if (self->incidents == incidents)
    return;
  _hg_alarm_attach_incidents (self, incidents);
  notify (self, PROP_INCIDENTS);
  _hg_alarm_update_sound (self);
}

static void
set_mode (HgAlarm     *self,
          HgAlarmMode  mode,
          const char  *target)
{
  if (target == NULL || *target == '\0')
    {
      mode = HG_ALARM_MODE_NONE;
      target = NULL;
    }
  if (self->mode == mode && g_strcmp0 (self->target, target) == 0)
    return;

  g_debug ("Mode %d (%s)", mode, target ? target : "none");
  self->mode = mode;
  g_free (self->target);
  self->target = g_strdup (target);
  /* The events were for the person or the screen as it was. */
  g_hash_table_remove_all (self->claims);
  _hg_alarm_sync_all (self);
  g_object_freeze_notify (G_OBJECT (self));
  notify (self, PROP_MODE);
  notify (self, PROP_MODE_TARGET);
  g_object_thaw_notify (G_OBJECT (self));
  _hg_alarm_update_sound (self);
}

void
hg_alarm_set_station (HgAlarm    *self,
                      const char *ward)
{
  g_return_if_fail (HG_IS_ALARM (self));

  set_mode (self, HG_ALARM_MODE_STATION, ward);
}

void
hg_alarm_set_personal (HgAlarm    *self,
                       const char *staff_id)
{
  g_return_if_fail (HG_IS_ALARM (self));

  set_mode (self, HG_ALARM_MODE_PERSONAL, staff_id);
}

HgAlarmMode
hg_alarm_get_mode (HgAlarm *self)
{
  g_return_val_if_fail (HG_IS_ALARM (self), HG_ALARM_MODE_NONE);
  return self->mode;
}

const char *
hg_alarm_get_mode_target (HgAlarm *self)
{
  g_return_val_if_fail (HG_IS_ALARM (self), NULL);
  return self->target;
}

/* --- GObject ------------------------------------------------------------ */

static void
hg_alarm_constructed (GObject *object)
{
  HgAlarm *self = HG_ALARM (object);

  G_OBJECT_CLASS (hg_alarm_parent_class)->constructed (object);

  g_assert (HG_IS_ALARM_SPEAKER (self->speaker));
  if (self->clock == NULL)
    self->clock = hg_alarm_clock_new ();
}

static void
hg_alarm_dispose (GObject *object)
{
  HgAlarm *self = HG_ALARM (object);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      HgAlarmEntry *entry = value;

      if (entry->ack_timer != 0)
        hg_alarm_clock_remove (self->clock, entry->ack_timer);
      entry->ack_timer = 0;
    }
  if (self->silence_timer != 0)
    hg_alarm_clock_remove (self->clock, self->silence_timer);
  self->silence_timer = 0;
  if (self->link_timer != 0)
    hg_alarm_clock_remove (self->clock, self->link_timer);
  self->link_timer = 0;

  /* Whoever let go of the alarm (sign-out, quit) did it on purpose: the
   * sound must not outlive the object that could stop it. */
  if (self->sounding >= 0 && self->speaker != NULL)
    hg_alarm_speaker_stop (self->speaker, HG_ALARM_STOP_NOW);
  self->sounding = -1;

  _hg_alarm_incidents_dispose (self);
  g_hash_table_remove_all (self->entries);
  if (self->active != NULL)
    g_list_store_remove_all (self->active);
  g_clear_object (&self->speaker);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (hg_alarm_parent_class)->dispose (object);
}

static void
hg_alarm_finalize (GObject *object)
{
  HgAlarm *self = HG_ALARM (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->claims, g_hash_table_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->mirror, g_ptr_array_unref);
  g_clear_pointer (&self->target, g_free);
  g_clear_object (&self->active);

  G_OBJECT_CLASS (hg_alarm_parent_class)->finalize (object);
}

static void
hg_alarm_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  HgAlarm *self = HG_ALARM (object);

  switch (prop_id)
    {
    case PROP_SPEAKER: g_value_set_object (value, self->speaker); break;
    case PROP_CLOCK: g_value_set_object (value, self->clock); break;
    case PROP_INCIDENTS: g_value_set_object (value, self->incidents); break;
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_MODE_TARGET: g_value_set_string (value, self->target); break;
    case PROP_LINK_UP: g_value_set_boolean (value, self->link_up); break;
    case PROP_SILENCED: g_value_set_boolean (value, self->silenced); break;
    case PROP_SILENCED_UNTIL: g_value_set_int64 (value, self->silenced_until); break;
    case PROP_SILENCE_DURATION: g_value_set_uint (value, self->silence_duration); break;
    case PROP_SOUNDING_PRIORITY: g_value_set_int (value, self->sounding); break;
    case PROP_ACTIVE: g_value_set_object (value, self->active); break;
    case PROP_N_ACTIVE: g_value_set_uint (value, hg_alarm_get_n_active (self)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_alarm_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  HgAlarm *self = HG_ALARM (object);

  switch (prop_id)
    {
    case PROP_SPEAKER: self->speaker = g_value_dup_object (value); break;
    case PROP_CLOCK: self->clock = g_value_dup_object (value); break;
    case PROP_INCIDENTS: hg_alarm_set_incidents (self, g_value_get_object (value)); break;
    case PROP_LINK_UP: hg_alarm_set_link_up (self, g_value_get_boolean (value)); break;
    case PROP_SILENCE_DURATION:
      hg_alarm_set_silence_duration (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_alarm_class_init (HgAlarmClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = hg_alarm_constructed;
  object_class->dispose = hg_alarm_dispose;
  object_class->finalize = hg_alarm_finalize;
  object_class->get_property = hg_alarm_get_property;
  object_class->set_property = hg_alarm_set_property;

  properties[PROP_SPEAKER] =
    g_param_spec_object ("speaker", NULL, NULL, HG_TYPE_ALARM_SPEAKER, co);
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, HG_TYPE_ALARM_CLOCK, co);
  properties[PROP_INCIDENTS] =
    g_param_spec_object ("incidents", NULL, NULL, G_TYPE_LIST_MODEL, rw);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, HG_TYPE_ALARM_MODE, HG_ALARM_MODE_NONE, ro);
  properties[PROP_MODE_TARGET] = g_param_spec_string ("mode-target", NULL, NULL, NULL, ro);
  properties[PROP_LINK_UP] = g_param_spec_boolean ("link-up", NULL, NULL, TRUE, rw);
  properties[PROP_SILENCED] = g_param_spec_boolean ("silenced", NULL, NULL, FALSE, ro);
  properties[PROP_SILENCED_UNTIL] =
    g_param_spec_int64 ("silenced-until", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_SILENCE_DURATION] =
    g_param_spec_uint ("silence-duration", NULL, NULL, HG_ALARM_SILENCE_MIN, HG_ALARM_SILENCE_MAX,
                       HG_ALARM_SILENCE_DEFAULT, rw);
  properties[PROP_SOUNDING_PRIORITY] =
    g_param_spec_int ("sounding-priority", NULL, NULL, -1, HG_ALARM_PRIORITY_HIGH, -1, ro);
  properties[PROP_ACTIVE] =
    g_param_spec_object ("active", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_N_ACTIVE] = g_param_spec_uint ("n-active", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hg_alarm_init (HgAlarm *self)
{
  self->active = g_list_store_new (HG_TYPE_ACTIVE_ALARM);
  self->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, entry_free);
  self->sounding = -1;
  self->silence_duration = HG_ALARM_SILENCE_DEFAULT;
  self->link_up = TRUE;
  _hg_alarm_incidents_init (self);
}

HgAlarm *
hg_alarm_new (HgAlarmSpeaker *speaker,
              HgAlarmClock   *clock)
{
  g_return_val_if_fail (HG_IS_ALARM_SPEAKER (speaker), NULL);
  g_return_val_if_fail (clock == NULL || HG_IS_ALARM_CLOCK (clock), NULL);

  return g_object_new (HG_TYPE_ALARM, "speaker", speaker, "clock", clock, NULL);
}
