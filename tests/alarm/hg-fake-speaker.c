/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hg-fake-speaker.h"

struct _HgFakeSpeaker {
  GObject      parent_instance;

  HgFakeClock *clock;
  GString     *log;
};

static void hg_fake_speaker_iface_init (HgAlarmSpeakerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HgFakeSpeaker, hg_fake_speaker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HG_TYPE_ALARM_SPEAKER,
                                                      hg_fake_speaker_iface_init))

static void
record (HgFakeSpeaker *self,
        const char    *call,
        const char    *arg)
{
  if (self->log->len > 0)
    g_string_append_c (self->log, ' ');
  g_string_append_printf (self->log, "%s:%s@%" G_GINT64_FORMAT, call, arg,
                          hg_fake_clock_get_elapsed (self->clock));
}

static void
fake_play (HgAlarmSpeaker  *speaker,
           HgAlarmPriority  priority)
{
  record (HG_FAKE_SPEAKER (speaker), "play", hg_alarm_priority_to_string (priority));
}

static void
fake_stop (HgAlarmSpeaker *speaker,
           HgAlarmStop     how)
{
  record (HG_FAKE_SPEAKER (speaker), "stop", how == HG_ALARM_STOP_NOW ? "now" : "after-burst");
}

static void
hg_fake_speaker_iface_init (HgAlarmSpeakerInterface *iface)
{
  iface->play = fake_play;
  iface->stop = fake_stop;
}

static void
hg_fake_speaker_dispose (GObject *object)
{
  g_clear_object (&HG_FAKE_SPEAKER (object)->clock);
  G_OBJECT_CLASS (hg_fake_speaker_parent_class)->dispose (object);
}

static void
hg_fake_speaker_finalize (GObject *object)
{
  g_string_free (HG_FAKE_SPEAKER (object)->log, TRUE);
  G_OBJECT_CLASS (hg_fake_speaker_parent_class)->finalize (object);
}

static void
hg_fake_speaker_class_init (HgFakeSpeakerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hg_fake_speaker_dispose;
  G_OBJECT_CLASS (klass)->finalize = hg_fake_speaker_finalize;
}

static void
hg_fake_speaker_init (HgFakeSpeaker *self)
{
  self->log = g_string_new (NULL);
}

HgFakeSpeaker *
hg_fake_speaker_new (HgFakeClock *clock)
{
  HgFakeSpeaker *self;

  g_return_val_if_fail (HG_IS_FAKE_CLOCK (clock), NULL);

  self = g_object_new (HG_TYPE_FAKE_SPEAKER, NULL);
  self->clock = g_object_ref (clock);
  return self;
}

char *
hg_fake_speaker_take_log (HgFakeSpeaker *self)
{
  char *log;

  g_return_val_if_fail (HG_IS_FAKE_SPEAKER (self), NULL);

  log = g_strdup (self->log->str);
  g_string_truncate (self->log, 0);
  return log;
}
