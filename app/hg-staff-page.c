/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-a11y.h"
#include "hg-staff-page.h"
#include "hg-staff-row.h"
#include "hg-window.h"

/* One group of rows: a role on duty, or everyone off duty. */
typedef struct {
  const char *name;      /* the group widget's name, and NAME-list its list's, for tests */
  int         role;      /* an HgRole, or -1 for any but admins */
  gboolean    on_duty;
  const char *title;
} GroupDef;

static const GroupDef group_defs[] = {
  { "charge_nurse", HG_ROLE_CHARGE_NURSE, TRUE, N_("Charge Nurses") },
  { "nurse", HG_ROLE_NURSE, TRUE, N_("Nurses") },
  { "emergency_doctor", HG_ROLE_EMERGENCY_DOCTOR, TRUE, N_("Emergency Doctors") },
  { "specialist", HG_ROLE_SPECIALIST, TRUE, N_("Specialists") },
  { "off_duty", -1, FALSE, N_("Off Duty") },
};

#define N_GROUPS G_N_ELEMENTS (group_defs)

typedef struct {
  const GroupDef      *def;
  AdwPreferencesGroup *widget;
  GListModel          *model;   /* the group's people, by name */
} Group;

struct _HgStaffPage {
  AdwBin          parent_instance;

  HgClient       *client;
  GListStore     *staff;                   /* HgStaff, by id */
  HgStaff        *me;
  GCancellable   *cancellable;             /* the refresh under way */
  GCancellable   *availability_cancellable; /* the change under way */
  gboolean        loaded;
  gboolean        syncing_switch;
  Group           groups[N_GROUPS];
  GtkSizeGroup   *columns[HG_STAFF_ROW_N_COLUMNS];  /* line the rows up */

  AdwStatusPage  *status_page;
  GtkButton      *retry_button;
  AdwActionRow   *availability_row;
  GtkImage       *availability_icon;
  GtkSwitch      *availability_switch;
  GtkLabel       *summary_label;
  GtkBox         *groups_box;
};

G_DEFINE_FINAL_TYPE (HgStaffPage, hg_staff_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (HgStaffPage *self,
       const char  *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), HG_TYPE_WINDOW);

  if (window != NULL)
    hg_window_toast (HG_WINDOW (window), message);
  else
    g_debug ("%s", message);
}

static gboolean
is_disabled (HgStaff *staff)
{
  gboolean disabled = FALSE;

  g_object_get (staff, "disabled", &disabled, NULL);
  return disabled;
}

static gboolean
staff_equal (HgStaff *a,
             HgStaff *b)
{
  return g_strcmp0 (hg_staff_get_id (a), hg_staff_get_id (b)) == 0
         && g_strcmp0 (hg_staff_get_name (a), hg_staff_get_name (b)) == 0
         && hg_staff_get_role (a) == hg_staff_get_role (b)
         && g_strcmp0 (hg_staff_get_specialty (a), hg_staff_get_specialty (b)) == 0
         && g_strcmp0 (hg_staff_get_ward (a), hg_staff_get_ward (b)) == 0
         && hg_staff_get_on_duty (a) == hg_staff_get_on_duty (b)
         && hg_staff_get_available (a) == hg_staff_get_available (b)
         && hg_staff_get_logged_in (a) == hg_staff_get_logged_in (b)
         && hg_staff_get_workload (a) == hg_staff_get_workload (b)
         && is_disabled (a) == is_disabled (b);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  return g_strcmp0 (hg_staff_get_id ((HgStaff *) a), hg_staff_get_id ((HgStaff *) b));
}

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_id_slots (gconstpointer a,
                  gconstpointer b)
{
  return compare_ids (*(HgStaff **) a, *(HgStaff **) b, NULL);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  HgStaffPage *self = user_data;

  return hg_staff_row_new (item, self->columns);
}

/* --- Groups and the summary ---------------------------------------------- */

static gboolean
group_filter (gpointer item,
              gpointer user_data)
{
  const GroupDef *def = user_data;
  HgStaff *staff = item;

  if (hg_staff_get_on_duty (staff) != def->on_duty)
    return FALSE;
  /* Off duty: the people who could be on a shift, not admins or
   * closed accounts. */
  if (def->role < 0)
    return hg_staff_get_role (staff) != HG_ROLE_ADMIN && !is_disabled (staff);
  return (int) hg_staff_get_role (staff) == def->role;
}

static void
update_group (Group *group)
{
  guint n = g_list_model_get_n_items (group->model), unavailable = 0;
  g_autofree char *description = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HgStaff) staff = g_list_model_get_item (group->model, i);

      unavailable += !hg_staff_get_available (staff);
    }
  if (!group->def->on_duty)
    description = g_strdup (_("No shift running now"));
  else if (unavailable == 0)
    description = g_strdup_printf (g_dngettext (NULL, "%u on duty", "%u on duty", n), n);
  else
    /* Translators: "5 on duty, 1 not available" */
    description = g_strdup_printf (g_dngettext (NULL, "%u on duty, %u not available",
                                                "%u on duty, %u not available", n), n, unavailable);
  adw_preferences_group_set_description (group->widget, description);
  gtk_widget_set_visible (GTK_WIDGET (group->widget), n > 0);
}

static void
update_summary (HgStaffPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->staff));
  guint on_duty = 0, available = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HgStaff) staff = g_list_model_get_item (G_LIST_MODEL (self->staff), i);

      if (!hg_staff_get_on_duty (staff) || hg_staff_get_role (staff) == HG_ROLE_ADMIN)
        continue;
      on_duty++;
      available += hg_staff_get_available (staff);
    }
  /* Translators: "18 people on duty, 16 of them available for new incidents" */
  text = g_strdup_printf (g_dngettext (NULL, "%u person on duty, %u available for new incidents",
                                       "%u people on duty, %u available for new incidents", on_duty),
                          on_duty, available);
  gtk_label_set_label (self->summary_label, text);
}

static void
on_group_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Group      *group)
{
  update_group (group);
}

static void
build_groups (HgStaffPage *self)
{
  for (guint i = 0; i < N_GROUPS; i++)
    {
      Group *group = &self->groups[i];
      GtkCustomFilter *filter = gtk_custom_filter_new (group_filter, (gpointer) &group_defs[i], NULL);
      GtkFilterListModel *filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->staff)),
                                                                GTK_FILTER (filter));
      GtkSorter *sorter = GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (HG_TYPE_STAFF, NULL, "name")));
      GtkWidget *list = gtk_list_box_new ();
      g_autofree char *list_name = g_strconcat (group_defs[i].name, "-list", NULL);

      group->def = &group_defs[i];
      group->model = G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (filtered), sorter));
      group->widget = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      gtk_widget_set_name (GTK_WIDGET (group->widget), group_defs[i].name);
      adw_preferences_group_set_title (group->widget, _(group_defs[i].title));

      gtk_widget_set_name (list, list_name);
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(group_defs[i].title), -1);
      gtk_list_box_bind_model (GTK_LIST_BOX (list), group->model, create_row, self, NULL);
      adw_preferences_group_add (group->widget, list);
      gtk_box_append (self->groups_box, GTK_WIDGET (group->widget));

      g_signal_connect (group->model, "items-changed", G_CALLBACK (on_group_changed), group);
      update_group (group);
    }
}

/* --- The list ------------------------------------------------------------ */

static void sync_switch (HgStaffPage *self);

static gboolean
find_staff (HgStaffPage *self,
            const char  *id,
            guint       *position)
{
  GListModel *model = G_LIST_MODEL (self->staff);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HgStaff) held = g_list_model_get_item (model, i);

      if (g_strcmp0 (hg_staff_get_id (held), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* One person as they are now, from an event or an answer. */
static void
apply_staff (HgStaffPage *self,
             HgStaff     *staff)
{
  guint position;

  if (find_staff (self, hg_staff_get_id (staff), &position))
    {
      g_autoptr(HgStaff) held = g_list_model_get_item (G_LIST_MODEL (self->staff), position);

      if (!staff_equal (held, staff))
        g_list_store_splice (self->staff, position, 1, (gpointer *) &staff, 1);
    }
  else if (self->loaded)
    g_list_store_insert_sorted (self->staff, staff, compare_ids, NULL);

  if (self->me != NULL && g_strcmp0 (hg_staff_get_id (self->me), hg_staff_get_id (staff)) == 0)
    {
      g_set_object (&self->me, staff);
      if (self->availability_cancellable == NULL)
        sync_switch (self);
    }
  if (self->loaded)
    update_summary (self);
}

/* Replaces only the people who changed when the roster is the same, so
 * that a refresh does not take the focus away from a row. */
static void
replace_staff (HgStaffPage *self,
               GPtrArray   *staff)
{
  GListModel *model = G_LIST_MODEL (self->staff);
  gboolean same_ids = g_list_model_get_n_items (model) == staff->len;

  g_ptr_array_sort (staff, compare_id_slots);
  for (guint i = 0; same_ids && i < staff->len; i++)
    {
      g_autoptr(HgStaff) held = g_list_model_get_item (model, i);

      same_ids = g_strcmp0 (hg_staff_get_id (held), hg_staff_get_id (staff->pdata[i])) == 0;
    }
  if (!same_ids)
    {
      g_list_store_splice (self->staff, 0, g_list_model_get_n_items (model), staff->pdata, staff->len);
      return;
    }
  for (guint i = 0; i < staff->len; i++)
    apply_staff (self, staff->pdata[i]);
}

/* The template's root; not a bound child, because AdwBin must unparent it
 * itself at dispose. */
static GtkStack *
stack (HgStaffPage *self)
{
  return GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
}

static void
show_status (HgStaffPage *self,
             const char  *title,
             const char  *description,
             gboolean     can_retry)
{
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), can_retry);
  gtk_stack_set_visible_child_name (stack (self), "status");
}

static void
list_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  HgStaffPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = hg_client_list_staff_finish (HG_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (staff == NULL)
    {
      g_autofree char *message = NULL;

      if (!self->loaded)
        {
          show_status (self, _("Cannot Load the Staff"), error->message, TRUE);
          return;
        }
      /* Translators: %s is the server's or the network's reason */
      message = g_strdup_printf (_("Cannot update the staff: %s"), error->message);
      toast (self, message);
      return;
    }
  replace_staff (self, staff);
  self->loaded = TRUE;
  update_summary (self);
  gtk_stack_set_visible_child_name (stack (self), "list");
}

static void
me_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  HgStaffPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HgStaff) me = hg_client_get_me_finish (HG_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (me == NULL)
    {
      g_debug ("Cannot load the signed-in person: %s", error->message);
      return;
    }
  g_set_object (&self->me, me);
  if (self->availability_cancellable == NULL)
    sync_switch (self);
}

void
hg_staff_page_refresh (HgStaffPage *self)
{
  g_return_if_fail (HG_IS_STAFF_PAGE (self));

  if (self->client == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (!self->loaded)
    show_status (self, _("Loading Staff…"), NULL, FALSE);
  hg_client_list_staff_async (self->client, self->cancellable, list_done, self);
  hg_client_get_me_async (self->client, self->cancellable, me_done, self);
}

static void
on_retry_clicked (HgStaffPage *self)
{
  hg_staff_page_refresh (self);
}

/* --- My availability ----------------------------------------------------- */

static void
show_my_availability (HgStaffPage *self,
                      gboolean     available)
{
  adw_action_row_set_subtitle (self->availability_row,
                               available ? _("You can be given new incidents")
                                         : _("You keep your incidents but get no new ones"));
  gtk_image_set_from_icon_name (self->availability_icon,
                                available ? "object-select-symbolic" : "action-unavailable-symbolic");
}

/* The switch shows what the server holds. */
static void
sync_switch (HgStaffPage *self)
{
  gboolean available = self->me != NULL && hg_staff_get_available (self->me);

  self->syncing_switch = TRUE;
  gtk_switch_set_active (self->availability_switch, available);
  gtk_switch_set_state (self->availability_switch, available);
  self->syncing_switch = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->availability_switch), self->me != NULL);
  if (self->me != NULL)
    show_my_availability (self, available);
  else
    adw_action_row_set_subtitle (self->availability_row, NULL);
}

static void
availability_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  HgStaffPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HgStaff) me = hg_client_set_availability_finish (HG_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->availability_cancellable);
  if (me == NULL)
    {
      /* Translators: %s is the server's or the network's reason */
      g_autofree char *message = g_strdup_printf (_("Your availability did not change: %s"),
                                                  error->message);

      toast (self, message);
      sync_switch (self);
      return;
    }
  g_set_object (&self->me, me);
  apply_staff (self, me);
  sync_switch (self);
}

/* The switch moves at once; its state follows when the server agrees, and
 * both go back if it refuses. */
static gboolean
on_availability_state_set (HgStaffPage *self,
                           gboolean     state,
                           GtkSwitch   *sw)
{
  if (self->syncing_switch)
    return FALSE;
  if (self->client == NULL || self->me == NULL)
    return TRUE;
  g_cancellable_cancel (self->availability_cancellable);
  g_clear_object (&self->availability_cancellable);
  self->availability_cancellable = g_cancellable_new ();
  adw_action_row_set_subtitle (self->availability_row, _("Saving…"));
  hg_client_set_availability_async (self->client, state, NULL, self->availability_cancellable,
                                    availability_done, self);
  return TRUE;
}

/* --- The client ---------------------------------------------------------- */

static void
on_client_state (HgStaffPage *self)
{
  if (hg_client_get_state (self->client) == HG_CLIENT_STATE_LIVE
      && gtk_widget_get_mapped (GTK_WIDGET (self)))
    hg_staff_page_refresh (self);
}

static void
cancel_all (HgStaffPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->availability_cancellable);
  g_clear_object (&self->availability_cancellable);
}

static void
set_client (HgStaffPage *self,
            HgClient    *client)
{
  if (self->client == client)
    return;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  cancel_all (self);
  g_set_object (&self->client, client);
  g_clear_object (&self->me);
  self->loaded = FALSE;
  g_list_store_remove_all (self->staff);
  sync_switch (self);
  if (client != NULL)
    {
      g_signal_connect_object (client, "staff-updated", G_CALLBACK (apply_staff), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::state", G_CALLBACK (on_client_state), self, G_CONNECT_SWAPPED);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        hg_staff_page_refresh (self);
    }
  else
    show_status (self, _("Not Signed In"), NULL, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/* --- GObject ------------------------------------------------------------- */

static void
hg_staff_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hg_staff_page_parent_class)->map (widget);
  hg_staff_page_refresh (HG_STAFF_PAGE (widget));
}

static void
hg_staff_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HgStaffPage *self = HG_STAFF_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_staff_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HgStaffPage *self = HG_STAFF_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_staff_page_dispose (GObject *object)
{
  HgStaffPage *self = HG_STAFF_PAGE (object);

  cancel_all (self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->me);
  gtk_widget_dispose_template (GTK_WIDGET (self), HG_TYPE_STAFF_PAGE);
  for (guint i = 0; i < N_GROUPS; i++)
    {
      if (self->groups[i].model != NULL)
        g_signal_handlers_disconnect_by_data (self->groups[i].model, &self->groups[i]);
      g_clear_object (&self->groups[i].model);
    }
  for (guint i = 0; i < HG_STAFF_ROW_N_COLUMNS; i++)
    g_clear_object (&self->columns[i]);
  g_clear_object (&self->staff);
  G_OBJECT_CLASS (hg_staff_page_parent_class)->dispose (object);
}

static void
hg_staff_page_class_init (HgStaffPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hg_staff_page_get_property;
  object_class->set_property = hg_staff_page_set_property;
  object_class->dispose = hg_staff_page_dispose;
  widget_class->map = hg_staff_page_map;

  properties[PROP_CLIENT] =
    g_param_spec_object (HG_PAGE_PROP_CLIENT, NULL, NULL, HG_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/healthguard/Ops/hg-staff-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HgStaffPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, HgStaffPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, HgStaffPage, availability_row);
  gtk_widget_class_bind_template_child (widget_class, HgStaffPage, availability_icon);
  gtk_widget_class_bind_template_child (widget_class, HgStaffPage, availability_switch);
  gtk_widget_class_bind_template_child (widget_class, HgStaffPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HgStaffPage, groups_box);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_availability_state_set);
}

static void
hg_staff_page_init (HgStaffPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hg_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  self->staff = g_list_store_new (HG_TYPE_STAFF);
  for (guint i = 0; i < HG_STAFF_ROW_N_COLUMNS; i++)
    self->columns[i] = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  build_groups (self);
  sync_switch (self);
  show_status (self, _("Not Signed In"), NULL, FALSE);
}
