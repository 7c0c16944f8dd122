/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hg-incident-list.h"

struct _HgIncidentList {
  GObject     parent_instance;
  GPtrArray  *items;      /* HgIncident, owned */
  GHashTable *positions;  /* gint64 id → guint position (in a pointer) */
  GHashTable *gone;       /* gint64 id → gint64 version it was resolved at */
};

static void hg_incident_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HgIncidentList, hg_incident_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hg_incident_list_model_init))

static GType
get_item_type (GListModel *model)
{
  return HG_TYPE_INCIDENT;
}

static guint
get_n_items (GListModel *model)
{
  return HG_INCIDENT_LIST (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  HgIncidentList *self = HG_INCIDENT_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (self->items->pdata[position]);
}

static void
hg_incident_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
hg_incident_list_finalize (GObject *object)
{
  HgIncidentList *self = HG_INCIDENT_LIST (object);

  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_clear_pointer (&self->gone, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  G_OBJECT_CLASS (hg_incident_list_parent_class)->finalize (object);
}

static void
hg_incident_list_class_init (HgIncidentListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hg_incident_list_finalize;
}

static GHashTable *
new_id_table (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

static void
hg_incident_list_init (HgIncidentList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->positions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->gone = new_id_table ();
}

HgIncidentList *
hg_incident_list_new (void)
{
  return g_object_new (HG_TYPE_INCIDENT_LIST, NULL);
}

static void
index_from (HgIncidentList *self,
            guint           first)
{
  for (guint i = first; i < self->items->len; i++)
    {
      gint64 id = hg_incident_get_id (self->items->pdata[i]);

      g_hash_table_insert (self->positions, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (i));
    }
}

static gboolean
lookup_position (HgIncidentList *self,
                 gint64          id,
                 guint          *out)
{
  gpointer value;

  if (!g_hash_table_lookup_extended (self->positions, &id, NULL, &value))
    return FALSE;
  *out = GPOINTER_TO_UINT (value);
  return TRUE;
}

HgIncident *
hg_incident_list_lookup (HgIncidentList *self,
                         gint64          id)
{
  guint position;

  g_return_val_if_fail (HG_IS_INCIDENT_LIST (self), NULL);

  if (!lookup_position (self, id, &position))
    return NULL;
  return self->items->pdata[position];
}

static void
remember_gone (HgIncidentList *self,
               gint64          id,
               gint64          version)
{
  gint64 *key = g_memdup2 (&id, sizeof id);

  g_hash_table_insert (self->gone, key, g_memdup2 (&version, sizeof version));
}

static gboolean
seen_gone (HgIncidentList *self,
           gint64          id,
           gint64          version)
{
  gint64 *gone_at = g_hash_table_lookup (self->gone, &id);

  return gone_at != NULL && version <= *gone_at;
}

HgApplyResult
hg_incident_list_apply (HgIncidentList *self,
                        HgIncident     *incident)
{
  gint64 id, version;
  gboolean active;
  guint position;

  g_return_val_if_fail (HG_IS_INCIDENT_LIST (self), HG_APPLY_IGNORED);
  g_return_val_if_fail (HG_IS_INCIDENT (incident), HG_APPLY_IGNORED);

  id = hg_incident_get_id (incident);
  version = hg_incident_get_version (incident);
  active = hg_incident_status_is_active (hg_incident_get_status (incident));

  if (!lookup_position (self, id, &position))
    {
      if (!active)
        {
          remember_gone (self, id, version);
          return HG_APPLY_IGNORED;
        }
      if (seen_gone (self, id, version))
        return HG_APPLY_IGNORED;
      position = self->items->len;
      g_ptr_array_add (self->items, g_object_ref (incident));
      index_from (self, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
      return HG_APPLY_ADDED;
    }

  if (version <= hg_incident_get_version (self->items->pdata[position]))
    return HG_APPLY_IGNORED;

  if (!active)
    {
      g_hash_table_remove (self->positions, &id);
      remember_gone (self, id, version);
      g_ptr_array_remove_index (self->items, position);
      /* Positions after it shift down by one: O(n) integer stores. */
      index_from (self, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      return HG_APPLY_REMOVED;
    }

  hg_incident_update_from (self->items->pdata[position], incident);
  return HG_APPLY_UPDATED;
}

/* The answer of a (re)fetch becomes the list, changing the model only
 * where it differs: the incidents kept stay where they are (the views
 * sort), those gone are removed, run by run, and the new ones are appended
 * in one change. A refetch after a reconnection that finds nothing new
 * changes nothing, instead of rebuilding every row of every view (which
 * also kept assistive technologies reading rows as they were torn down). */
void
hg_incident_list_replace (HgIncidentList *self,
                          GPtrArray      *incidents)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  /* id → the object kept for it */
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint i, first_added;

  g_return_if_fail (HG_IS_INCIDENT_LIST (self));

  for (i = 0; i < incidents->len; i++)
    {
      HgIncident *incident = incidents->pdata[i];
      gint64 id = hg_incident_get_id (incident);
      HgIncident *held = g_hash_table_lookup (taken, &id);

      if (held != NULL)
        {
          /* In two answers (pages fetched while it changed): the newer. */
          if (hg_incident_get_version (incident) > hg_incident_get_version (held))
            hg_incident_update_from (held, incident);
          continue;
        }
      if (!hg_incident_status_is_active (hg_incident_get_status (incident)))
        continue;
      held = hg_incident_list_lookup (self, id);
      if (held == NULL)
        {
          held = incident;
          g_ptr_array_add (added, g_object_ref (incident));
        }
      g_hash_table_insert (taken, g_memdup2 (&id, sizeof id), held);
      /* The server's answer is the truth here, even an older version. */
      hg_incident_update_from (held, incident);
    }
  g_hash_table_remove_all (self->gone);

  /* Gone from the answer: each run of them, from the end. */
  i = self->items->len;
  while (i > 0)
    {
      guint end = i;

      while (i > 0)
        {
          gint64 id = hg_incident_get_id (self->items->pdata[i - 1]);

          if (g_hash_table_contains (taken, &id))
            break;
          g_hash_table_remove (self->positions, &id);
          i--;
        }
      if (i == end)
        {
          i--;
          continue;
        }
      g_ptr_array_remove_range (self->items, i, end - i);
      index_from (self, i);
      g_list_model_items_changed (G_LIST_MODEL (self), i, end - i, 0);
    }

  first_added = self->items->len;
  for (i = 0; i < added->len; i++)
    g_ptr_array_add (self->items, g_object_ref (added->pdata[i]));
  index_from (self, first_added);
  if (added->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), first_added, 0, added->len);
}
