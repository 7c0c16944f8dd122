/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hg-alarm-sound.h"

G_BEGIN_DECLS

#define HG_APPLICATION_ID "org.healthguard.Ops"

#define HG_TYPE_APPLICATION (hg_application_get_type ())
G_DECLARE_FINAL_TYPE (HgApplication, hg_application, HG, APPLICATION, AdwApplication)

HgApplication *hg_application_new          (void);
/* The app's settings (org.healthguard.Ops). */
GSettings     *hg_application_get_settings (HgApplication *self);
/* The alarm sound, started at start-up; NULL before. (transfer none) */
HgAlarmSound  *hg_application_get_alarm_sound (HgApplication *self);

G_END_DECLS
