/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hg-a11y.h"
#include "hg-board-page.h"
#include "hg-incident-format.h"
#include "hg-incident-pane.h"
#include "hg-incident-cells.h"

/* The positions of the status filter's dropdown. */
enum {
  STATUS_FILTER_ALL,
  STATUS_FILTER_OPEN,
  STATUS_FILTER_ASSIGNED,
  STATUS_FILTER_ACKNOWLEDGED,
  STATUS_FILTER_IN_PROGRESS,
};

struct _HgBoardPage {
  AdwBin              parent_instance;

  HgClient           *client;
  gboolean            mine;
  gint64              now;           /* ms since the epoch, for the ages */
  guint               clock_source;
  guint               refresh_source;
  guint               busy_tick;     /* the rows are being made again */
  guint               busy_frames;
  GtkCustomFilter    *filter;
  GtkMultiSorter     *sorter;

  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *ward_dropdown;
  GtkStringList      *wards;
  char               *station_ward;  /* always offered, see hg_board_page_set_ward() */
  GtkDropDown        *status_dropdown;
  GtkLabel           *count_label;
  GtkStack           *stack;
  GtkColumnView      *column_view;
  GtkSingleSelection *selection;
  GtkSortListModel   *sort_model;
  GtkFilterListModel *filter_model;
  GtkSorter          *default_sorter;
  AdwStatusPage      *empty_page;
  HgIncidentPane     *pane;
  GtkColumnViewColumn *severity_column;
  GtkColumnViewColumn *status_column;
  GtkColumnViewColumn *title_column;
  GtkColumnViewColumn *patient_column;
  GtkColumnViewColumn *assignee_column;
  GtkColumnViewColumn *age_column;
  GtkColumnViewColumn *escalation_column;
};

G_DEFINE_FINAL_TYPE (HgBoardPage, hg_board_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_MINE,
  PROP_NOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void on_filter_changed (HgBoardPage *self);

GtkSelectionModel *
hg_board_page_get_model (HgBoardPage *self)
{
  g_return_val_if_fail (HG_IS_BOARD_PAGE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

gint64
hg_board_page_get_now (HgBoardPage *self)
{
  g_return_val_if_fail (HG_IS_BOARD_PAGE (self), 0);
  return self->now;
}

void
hg_board_page_set_search (HgBoardPage *self,
                          const char  *text)
{
  g_return_if_fail (HG_IS_BOARD_PAGE (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  /* The entry waits a little before it says "search-changed": a caller
   * that sets the text wants the list narrowed now. */
  on_filter_changed (self);
}

static void update_wards (HgBoardPage *self);

void
hg_board_page_set_ward (HgBoardPage *self,
                        const char  *ward)
{
  guint n, selected = 0;

  g_return_if_fail (HG_IS_BOARD_PAGE (self));

  g_free (self->station_ward);
  self->station_ward = ward != NULL && *ward != '\0' ? g_strdup (ward) : NULL;
  update_wards (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->wards));
  for (guint i = 1; self->station_ward != NULL && i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (self->wards, i), self->station_ward))
      selected = i;
  gtk_drop_down_set_selected (self->ward_dropdown, selected);
}

char *
hg_board_page_get_ward (HgBoardPage *self)
{
  guint selected;

  g_return_val_if_fail (HG_IS_BOARD_PAGE (self), NULL);

  selected = gtk_drop_down_get_selected (self->ward_dropdown);
  if (selected == GTK_INVALID_LIST_POSITION || selected == 0)
    return NULL;
  return g_strdup (gtk_string_list_get_string (self->wards, selected));
}

gboolean
hg_board_page_select_incident (HgBoardPage *self,
                               gint64       incident_id)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (HG_IS_BOARD_PAGE (self), FALSE);

  model = G_LIST_MODEL (self->selection);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HgIncident) incident = g_list_model_get_item (model, i);

      if (hg_incident_get_id (incident) == incident_id)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* --- Filtering ----------------------------------------------------------- */

static gboolean
contains (const char *haystack,
          const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
matches_search (HgIncident *incident,
                const char *needle)
{
  HgPatient *patient = hg_incident_get_patient (incident);
  HgStaff *assignee = hg_incident_get_assignee (incident);

  return contains (hg_incident_get_title (incident), needle)
         || contains (hg_incident_get_room (incident), needle)
         || (patient != NULL && (contains (hg_patient_get_name (patient), needle)
                                 || contains (hg_patient_get_id (patient), needle)))
         || (assignee != NULL && (contains (hg_staff_get_name (assignee), needle)
                                  || contains (hg_staff_get_id (assignee), needle)));
}

static gboolean
matches_status (HgIncident *incident,
                guint       filter)
{
  static const HgIncidentStatus statuses[] = {
    [STATUS_FILTER_OPEN] = HG_INCIDENT_STATUS_OPEN,
    [STATUS_FILTER_ASSIGNED] = HG_INCIDENT_STATUS_ASSIGNED,
    [STATUS_FILTER_ACKNOWLEDGED] = HG_INCIDENT_STATUS_ACKNOWLEDGED,
    [STATUS_FILTER_IN_PROGRESS] = HG_INCIDENT_STATUS_IN_PROGRESS,
  };
  HgIncidentStatus status = hg_incident_get_status (incident);

  if (!hg_incident_status_is_active (status))
    return FALSE;
  if (filter == STATUS_FILTER_ALL || filter >= G_N_ELEMENTS (statuses))
    return TRUE;
  return status == statuses[filter];
}

static gboolean
filter_incident (gpointer item,
                 gpointer user_data)
{
  HgBoardPage *self = user_data;
  HgIncident *incident = item;
  guint ward = gtk_drop_down_get_selected (self->ward_dropdown);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->mine)
    {
      HgStaff *assignee = hg_incident_get_assignee (incident);
      const char *me = self->client ? hg_client_get_staff_id (self->client) : NULL;

      if (me == NULL || assignee == NULL || g_strcmp0 (hg_staff_get_id (assignee), me) != 0)
        return FALSE;
    }
  if (!matches_status (incident, gtk_drop_down_get_selected (self->status_dropdown)))
    return FALSE;
  if (ward != GTK_INVALID_LIST_POSITION && ward > 0
      && g_strcmp0 (hg_incident_get_ward (incident), gtk_string_list_get_string (self->wards, ward)) != 0)
    return FALSE;
  if (text != NULL && *text != '\0')
    {
      g_autofree char *needle = g_utf8_casefold (text, -1);

      return matches_search (incident, g_strstrip (needle));
    }
  return TRUE;
}

/* --- What the page shows around the list ------------------------------- */

static void
update_empty_state (HgBoardPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  GListModel *all = gtk_filter_list_model_get_model (self->filter_model);
  gboolean filtered = gtk_drop_down_get_selected (self->ward_dropdown) > 0
                      || gtk_drop_down_get_selected (self->status_dropdown) > 0
                      || *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
  g_autofree char *count = NULL;

  /* Translators: how many incidents the board shows */
  count = g_strdup_printf (ngettext ("%u incident", "%u incidents", shown), shown);
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child_name (self->stack, shown > 0 ? "list" : "empty");
  if (shown > 0)
    return;

  if (filtered && all != NULL && g_list_model_get_n_items (all) > 0)
    {
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Matching Incidents"));
      adw_status_page_set_description (self->empty_page, _("Try another search, ward or status"));
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "emblem-ok-symbolic");
      adw_status_page_set_title (self->empty_page,
                                 self->mine ? _("Nothing Assigned to You") : _("No Active Incidents"));
      adw_status_page_set_description (self->empty_page,
                                       self->mine ? _("Incidents assigned to you appear here")
                                                  : _("New alerts appear here as they come in"));
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

/* The ward filter offers the wards of the incidents seen, and keeps the
 * chosen one while it is offered. */
static void
update_wards (HgBoardPage *self)
{
  GListModel *all = self->client ? hg_client_get_incidents (self->client) : NULL;
  guint n = all ? g_list_model_get_n_items (all) : 0;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint selected = gtk_drop_down_get_selected (self->ward_dropdown);
  g_autofree char *chosen = NULL;
  guint old_n = g_list_model_get_n_items (G_LIST_MODEL (self->wards));
  gboolean same;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    chosen = g_strdup (gtk_string_list_get_string (self->wards, selected));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HgIncident) incident = g_list_model_get_item (all, i);
      const char *ward = hg_incident_get_ward (incident);

      if (ward != NULL && *ward != '\0' && g_hash_table_add (seen, (gpointer) ward))
        g_ptr_array_add (names, (gpointer) ward);
    }
  if (self->station_ward != NULL && g_hash_table_add (seen, self->station_ward))
    g_ptr_array_add (names, self->station_ward);
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_insert (names, 0, (gpointer) _("All wards"));

  same = old_n == names->len;
  for (guint i = 1; same && i < names->len; i++)
    same = g_str_equal (gtk_string_list_get_string (self->wards, i), names->pdata[i]);
  if (same)
    return;

  g_ptr_array_add (names, NULL);
  g_signal_handlers_block_matched (self->ward_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_string_list_splice (self->wards, 0, old_n, (const char *const *) names->pdata);
  selected = 0;
  for (guint i = 1; chosen != NULL && i + 1 < names->len; i++)
    if (g_str_equal (names->pdata[i], chosen))
      selected = i;
  gtk_drop_down_set_selected (self->ward_dropdown, selected);
  g_signal_handlers_unblock_matched (self->ward_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  if (chosen != NULL && selected == 0)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_LESS_STRICT);
}

/* The list models do not watch their items: when an incident changes in
 * place (status, severity, assignee…), filter and sort again, once per
 * burst of changes. */
static gboolean
refresh_now (gpointer data)
{
  HgBoardPage *self = data;

  self->refresh_source = 0;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  update_wards (self);
  update_empty_state (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (HgBoardPage *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, refresh_now, self, NULL);
}

static void
on_incident_notify (HgBoardPage *self,
                    GParamSpec  *pspec,
                    HgIncident  *incident)
{
  /* The version changes with every change that matters. */
  if (g_str_equal (pspec->name, "version") || g_str_equal (pspec->name, "status")
      || g_str_equal (pspec->name, "severity") || g_str_equal (pspec->name, "assignee"))
    queue_refresh (self);
}

/* While the board's rows are made again after its list changed, the
 * table says it is busy (AT-SPI's BUSY state, ARIA's aria-busy): a
 * screen reader can wait before reading rows that are about to go, and
 * a test knows when the board has settled. The rows are made in the
 * frame after the change; the state clears at the start of the next. */
static gboolean
busy_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       data)
{
  HgBoardPage *self = data;

  if (++self->busy_frames < 2)
    return G_SOURCE_CONTINUE;
  self->busy_tick = 0;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->column_view), GTK_ACCESSIBLE_STATE_BUSY, FALSE, -1);
  return G_SOURCE_REMOVE;
}

static void
mark_busy (HgBoardPage *self)
{
  self->busy_frames = 0;
  if (self->busy_tick != 0)
    return;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->column_view), GTK_ACCESSIBLE_STATE_BUSY, TRUE, -1);
  self->busy_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->column_view), busy_tick, self, NULL);
}

static void
on_incidents_changed (HgBoardPage *self,
                      guint        position,
                      guint        removed,
                      guint        added,
                      GListModel  *list)
{
  if (removed > 0 || added > 0)
    mark_busy (self);
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(HgIncident) incident = g_list_model_get_item (list, i);

      if (g_signal_handler_find (incident, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                 on_incident_notify, self) == 0)
        g_signal_connect_object (incident, "notify", G_CALLBACK (on_incident_notify), self,
                                 G_CONNECT_SWAPPED);
    }
  update_wards (self);
  update_empty_state (self);
}

static void
on_filter_changed (HgBoardPage *self)
{
  if (self->filter == NULL)
    return;   /* still building the template */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_empty_state (self);
}

static void
on_search_changed (HgBoardPage *self)
{
  on_filter_changed (self);
}

static void
on_selection_changed (HgBoardPage *self)
{
  HgIncident *incident = gtk_single_selection_get_selected_item (self->selection);

  hg_incident_pane_set_incident (self->pane, incident);
  gtk_widget_set_visible (GTK_WIDGET (self->pane), incident != NULL);
}

/* Enter (or a double click) on a row opens it and moves there. */
static void
on_row_activated (HgBoardPage *self,
                  guint        position)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_child_focus (GTK_WIDGET (self->pane), GTK_DIR_TAB_FORWARD);
}

static void
on_pane_close (HgBoardPage *self)
{
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* --- Cells ---------------------------------------------------------------- */

static int
severity_rank (gpointer   item,
               HgSeverity severity,
               gpointer   user_data)
{
  return severity;
}

static int
status_rank (gpointer         item,
             HgIncidentStatus status,
             gpointer         user_data)
{
  return status;
}

static void
set_factory (GtkColumnViewColumn *column,
             HgIncidentCell       kind,
             GObject             *clock)
{
  g_autoptr(GtkListItemFactory) factory = hg_incident_cell_factory (kind, clock);

  gtk_column_view_column_set_factory (column, factory);
}

/* --- The clock ------------------------------------------------------------ */

static void
set_now (HgBoardPage *self,
         gint64       now)
{
  if (self->now == now)
    return;
  self->now = now;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
}

static gboolean
tick (gpointer data)
{
  set_now (data, hg_time_now_ms ());
  return G_SOURCE_CONTINUE;
}

/* Ages move on only while someone can see them. */
static void
hg_board_page_map (GtkWidget *widget)
{
  HgBoardPage *self = HG_BOARD_PAGE (widget);

  GTK_WIDGET_CLASS (hg_board_page_parent_class)->map (widget);
  set_now (self, hg_time_now_ms ());
  if (self->clock_source == 0)
    self->clock_source = g_timeout_add_seconds (1, tick, self);
}

static void
hg_board_page_unmap (GtkWidget *widget)
{
  HgBoardPage *self = HG_BOARD_PAGE (widget);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  GTK_WIDGET_CLASS (hg_board_page_parent_class)->unmap (widget);
}

/* --- The client ------------------------------------------------------------ */

static void
set_client (HgBoardPage *self,
            HgClient    *client)
{
  GListModel *old = gtk_filter_list_model_get_model (self->filter_model);

  if (self->client == client)
    return;
  if (old != NULL)
    g_signal_handlers_disconnect_by_func (old, on_incidents_changed, self);
  g_set_object (&self->client, client);

  gtk_filter_list_model_set_model (self->filter_model, client ? hg_client_get_incidents (client) : NULL);
  hg_incident_pane_set_client (self->pane, client);
  if (client != NULL)
    {
      GListModel *list = hg_client_get_incidents (client);

      g_signal_connect_object (list, "items-changed", G_CALLBACK (on_incidents_changed), self,
                               G_CONNECT_SWAPPED);
      on_incidents_changed (self, 0, 0, g_list_model_get_n_items (list), list);
    }
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_wards (self);
  update_empty_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HgBoardPage *self = HG_BOARD_PAGE (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* --- GObject ---------------------------------------------------------------- */

static void
hg_board_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HgBoardPage *self = HG_BOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_MINE:
      g_value_set_boolean (value, self->mine);
      break;
    case PROP_NOW:
      g_value_set_int64 (value, self->now);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_board_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HgBoardPage *self = HG_BOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      set_client (self, g_value_get_object (value));
      break;
    case PROP_MINE:
      self->mine = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_board_page_constructed (GObject *object)
{
  HgBoardPage *self = HG_BOARD_PAGE (object);

  G_OBJECT_CLASS (hg_board_page_parent_class)->constructed (object);
  update_empty_state (self);
}

static void
hg_board_page_dispose (GObject *object)
{
  HgBoardPage *self = HG_BOARD_PAGE (object);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->busy_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->column_view), self->busy_tick);
  self->busy_tick = 0;
  if (self->filter_model != NULL)
    set_client (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HG_TYPE_BOARD_PAGE);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorter);
  g_clear_pointer (&self->station_ward, g_free);
  G_OBJECT_CLASS (hg_board_page_parent_class)->dispose (object);
}

static void
hg_board_page_class_init (HgBoardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hg_board_page_get_property;
  object_class->set_property = hg_board_page_set_property;
  object_class->constructed = hg_board_page_constructed;
  object_class->dispose = hg_board_page_dispose;
  widget_class->map = hg_board_page_map;
  widget_class->unmap = hg_board_page_unmap;

  properties[PROP_CLIENT] =
    g_param_spec_object (HG_PAGE_PROP_CLIENT, NULL, NULL, HG_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MINE] =
    g_param_spec_boolean ("mine", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOW] =
    g_param_spec_int64 ("now", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HG_TYPE_INCIDENT);
  g_type_ensure (HG_TYPE_INCIDENT_PANE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/healthguard/Ops/hg-board-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, ward_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, wards);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, selection);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, sort_model);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, filter_model);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, default_sorter);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, pane);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, severity_column);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, status_column);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, title_column);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, patient_column);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, assignee_column);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, age_column);
  gtk_widget_class_bind_template_child (widget_class, HgBoardPage, escalation_column);
  gtk_widget_class_bind_template_callback (widget_class, severity_rank);
  gtk_widget_class_bind_template_callback (widget_class, status_rank);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_pane_close);

  gtk_widget_class_install_action (widget_class, "board.search", NULL, search_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "board.search", NULL);
}

static void
hg_board_page_init (HgBoardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hg_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));

  gtk_string_list_append (self->wards, _("All wards"));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->column_view));

  self->filter = gtk_custom_filter_new (filter_incident, self, NULL);
  gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));

  /* The column the user chose first, then severity and age. */
  self->sorter = gtk_multi_sorter_new ();
  gtk_multi_sorter_append (self->sorter, g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  gtk_multi_sorter_append (self->sorter, g_object_ref (self->default_sorter));
  gtk_sort_list_model_set_sorter (self->sort_model, GTK_SORTER (self->sorter));

  set_factory (self->severity_column, HG_INCIDENT_CELL_SEVERITY, G_OBJECT (self));
  set_factory (self->status_column, HG_INCIDENT_CELL_STATUS, G_OBJECT (self));
  set_factory (self->title_column, HG_INCIDENT_CELL_TITLE, G_OBJECT (self));
  set_factory (self->patient_column, HG_INCIDENT_CELL_PATIENT, G_OBJECT (self));
  set_factory (self->assignee_column, HG_INCIDENT_CELL_ASSIGNEE, G_OBJECT (self));
  set_factory (self->age_column, HG_INCIDENT_CELL_AGE, G_OBJECT (self));
  set_factory (self->escalation_column, HG_INCIDENT_CELL_ESCALATION, G_OBJECT (self));
  gtk_column_view_sort_by_column (self->column_view, self->severity_column, GTK_SORT_DESCENDING);

  g_object_bind_property (self, "now", self->pane, "now", G_BINDING_SYNC_CREATE);
  self->now = hg_time_now_ms ();
}
