/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hg-enum-types.h"
#include "hg-models-private.h"
#include "hg-model-props.h"

/* HgNote */

G_DEFINE_BOXED_TYPE (HgNote, hg_note, hg_note_copy, hg_note_free)

HgNote *
hg_note_new (void)
{
  return g_new0 (HgNote, 1);
}

HgNote *
hg_note_copy (const HgNote *note)
{
  HgNote *copy;

  g_return_val_if_fail (note != NULL, NULL);

  copy = g_memdup2 (note, sizeof *note);
  copy->author_id = g_strdup (note->author_id);
  copy->author_name = g_strdup (note->author_name);
  copy->text = g_strdup (note->text);
  return copy;
}

void
hg_note_free (HgNote *note)
{
  if (note == NULL)
    return;

  g_free (note->author_id);
  g_free (note->author_name);
  g_free (note->text);
  g_free (note);
}

/* HgTimelineEntry */

G_DEFINE_BOXED_TYPE (HgTimelineEntry, hg_timeline_entry,
                     hg_timeline_entry_copy, hg_timeline_entry_free)

HgTimelineEntry *
hg_timeline_entry_new (void)
{
  HgTimelineEntry *entry = g_new0 (HgTimelineEntry, 1);

  entry->from_status = -1;
  entry->to_status = -1;
  return entry;
}

HgTimelineEntry *
hg_timeline_entry_copy (const HgTimelineEntry *entry)
{
  HgTimelineEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->actor_id = g_strdup (entry->actor_id);
  copy->actor_name = g_strdup (entry->actor_name);
  copy->action = g_strdup (entry->action);
  copy->detail = g_strdup (entry->detail);
  return copy;
}

void
hg_timeline_entry_free (HgTimelineEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->actor_id);
  g_free (entry->actor_name);
  g_free (entry->action);
  g_free (entry->detail);
  g_free (entry);
}
