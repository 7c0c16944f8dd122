/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hg-a11y.h"
#include "hg-action-dialog.h"
#include "hg-incident-act.h"
#include "hg-incident-format.h"
#include "hg-incident-pane.h"
#include "hg-incident-rows.h"
#include "hg-models-private.h"
#include "hg-window.h"

/* The installed actions, by HgAction. */
static const char *const action_names[HG_N_ACTIONS] = {
  [HG_ACTION_ACKNOWLEDGE] = "incident.acknowledge",
  [HG_ACTION_START] = "incident.start",
  [HG_ACTION_RESOLVE] = "incident.resolve",
  [HG_ACTION_CLAIM] = "incident.claim",
  [HG_ACTION_DECLINE] = "incident.decline",
  [HG_ACTION_REASSIGN] = "incident.reassign",
  [HG_ACTION_ESCALATE] = "incident.escalate",
};

struct _HgIncidentPane {
  AdwBin         parent_instance;

  HgClient      *client;
  HgIncident    *incident;        /* an item of the client's live list */
  HgIncident    *acting_on;       /* the one an action is under way for */
  gint64         now;
  GCancellable  *detail_cancellable;
  GCancellable  *cancellable;     /* actions and notes: until dispose */

  GtkWidget     *band;
  GtkLabel      *severity_label;
  GtkLabel      *band_status_label;
  GtkLabel      *title_label;
  GtkLabel      *patient_value;
  GtkLabel      *location_value;
  GtkLabel      *assignee_value;
  GtkLabel      *status_value;
  GtkLabel      *age_value;
  GtkWidget     *action_buttons[HG_N_ACTIONS];
  GtkWidget     *busy_box;
  GtkSpinner    *busy_spinner;
  GtkListBox    *notes_list;
  GtkListBox    *timeline_list;
  GtkListBox    *alerts_list;
  GtkEntry      *note_entry;
};

G_DEFINE_FINAL_TYPE (HgIncidentPane, hg_incident_pane, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_INCIDENT,
  PROP_NOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CLOSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void refresh_detail (HgIncidentPane *self);

GtkWidget *
hg_incident_pane_new (void)
{
  return g_object_new (HG_TYPE_INCIDENT_PANE, NULL);
}

HgIncident *
hg_incident_pane_get_incident (HgIncidentPane *self)
{
  g_return_val_if_fail (HG_IS_INCIDENT_PANE (self), NULL);
  return self->incident;
}

static void
toast (HgIncidentPane *self,
       const char     *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), HG_TYPE_WINDOW);

  if (window != NULL)
    hg_window_toast (HG_WINDOW (window), message);
  else
    g_message ("%s", message);
}

/* --- What it shows --------------------------------------------------------- */

static const char *
or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "—";
}

static void
update_age (HgIncidentPane *self)
{
  g_autofree char *age = NULL;

  if (self->incident == NULL || hg_incident_get_created_at (self->incident) == 0)
    return;
  age = hg_format_age (self->now - hg_incident_get_created_at (self->incident));
  gtk_label_set_label (self->age_value, age);
}

static char *
location_text (HgIncident *incident)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *ward = hg_incident_get_ward (incident);
  const char *room = hg_incident_get_room (incident);
  const char *bed = incident->bed;

  if (ward != NULL && *ward != '\0')
    g_ptr_array_add (parts, g_strdup (ward));
  if (room != NULL && *room != '\0')
    /* Translators: part of a location, "Cardiology · Room 204 · Bed A" */
    g_ptr_array_add (parts, g_strdup_printf (_("Room %s"), room));
  if (bed != NULL && *bed != '\0')
    /* Translators: part of a location, "Cardiology · Room 204 · Bed A" */
    g_ptr_array_add (parts, g_strdup_printf (_("Bed %s"), bed));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
update_fields (HgIncidentPane *self)
{
  HgIncident *incident = self->incident;
  HgPatient *patient;
  HgStaff *assignee;
  g_autofree char *patient_text = NULL;
  g_autofree char *location = NULL;

  if (incident == NULL)
    return;
  patient = hg_incident_get_patient (incident);
  assignee = hg_incident_get_assignee (incident);

  for (HgSeverity s = HG_SEVERITY_LOW; s <= HG_SEVERITY_CRITICAL; s++)
    gtk_widget_remove_css_class (self->band, hg_severity_css_class (s));
  gtk_widget_add_css_class (self->band, hg_severity_css_class (hg_incident_get_severity (incident)));
  gtk_label_set_label (self->severity_label, hg_severity_label (hg_incident_get_severity (incident)));
  gtk_label_set_label (self->band_status_label, hg_status_label (hg_incident_get_status (incident)));
  gtk_label_set_label (self->title_label, or_dash (hg_incident_get_title (incident)));

  if (patient != NULL)
    patient_text = g_strdup_printf ("%s (%s)", or_dash (hg_patient_get_name (patient)),
                                    hg_patient_get_id (patient));
  gtk_label_set_label (self->patient_value, patient_text ? patient_text : _("No patient"));
  location = location_text (incident);
  gtk_label_set_label (self->location_value, or_dash (location));
  gtk_label_set_label (self->assignee_value,
                       assignee ? or_dash (hg_staff_get_name (assignee)) : _("Unassigned"));
  gtk_label_set_label (self->status_value, hg_status_label (hg_incident_get_status (incident)));
  update_age (self);
}

static gboolean
may (HgIncidentPane *self,
     HgAction        action)
{
  return hg_incident_may (self->client, self->incident, action);
}

static void
update_actions (HgIncidentPane *self)
{
  gboolean busy = self->acting_on != NULL && self->acting_on == self->incident;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  gboolean lost_focus = FALSE;

  for (HgAction action = 0; action < HG_N_ACTIONS; action++)
    {
      gboolean allowed = may (self, action);

      /* For the assignee, claiming is acknowledging: one button says it. */
      if (action == HG_ACTION_CLAIM && may (self, HG_ACTION_ACKNOWLEDGE))
        allowed = FALSE;
      if (!allowed && focus != NULL && gtk_widget_is_ancestor (focus, self->action_buttons[action]))
        lost_focus = TRUE;
      gtk_widget_set_visible (self->action_buttons[action], allowed);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), action_names[action], allowed && !busy);
    }
  /* Hide a row of buttons with nothing in it. */
  for (HgAction action = 0; action < HG_N_ACTIONS; action++)
    {
      GtkWidget *row = gtk_widget_get_parent (self->action_buttons[action]);
      gboolean any = FALSE;

      for (GtkWidget *child = gtk_widget_get_first_child (row); child; child = gtk_widget_get_next_sibling (child))
        any |= gtk_widget_get_visible (child);
      gtk_widget_set_visible (row, any);
    }
  gtk_widget_set_visible (self->busy_box, busy);
  gtk_spinner_set_spinning (self->busy_spinner, busy);
  if (lost_focus)
    gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

/* --- The detail: notes, timeline, alerts ---------------------------------- */

static void
detail_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HgIncidentPane) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HgIncident) detail = hg_client_get_incident_finish (HG_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (detail == NULL)
    {
      g_debug ("Cannot load the incident's detail: %s", error->message);
      return;
    }
  if (self->incident == NULL || hg_incident_get_id (detail) != hg_incident_get_id (self->incident))
    return;
  hg_incident_rows_fill_notes (self->notes_list, hg_incident_get_notes (detail));
  hg_incident_rows_fill_timeline (self->timeline_list, hg_incident_get_timeline (detail));
  hg_incident_rows_fill_alerts (self->alerts_list, hg_incident_get_alerts (detail));
}

static void
refresh_detail (HgIncidentPane *self)
{
  g_cancellable_cancel (self->detail_cancellable);
  g_clear_object (&self->detail_cancellable);
  if (self->client == NULL || self->incident == NULL)
    return;
  self->detail_cancellable = g_cancellable_new ();
  hg_client_get_incident_async (self->client, hg_incident_get_id (self->incident),
                                self->detail_cancellable, detail_done, g_object_ref (self));
}

/* --- Actions ------------------------------------------------------------------ */

typedef struct {
  HgIncidentPane *self;
  HgIncident     *incident;
} ActData;

static void
act_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ActData *data = user_data;
  g_autoptr(HgIncidentPane) self = data->self;
  g_autoptr(HgIncident) incident = data->incident;
  g_autoptr(GError) error = NULL;

  g_free (data);
  if (self->acting_on == incident)
    g_clear_object (&self->acting_on);
  if (!hg_incident_act_finish (result, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s is the server's explanation */
      g_autofree char *message = g_strdup_printf (_("Not done: %s"), error->message);

      toast (self, message);
    }
  update_actions (self);
}

/* Shows what the action should lead to at once; the server's answer (or
 * a refusal) settles it. */
static void
run_action (HgIncidentPane *self,
            HgAction        action,
            const char     *body_json)
{
  ActData *data;

  if (self->incident == NULL || self->client == NULL || self->acting_on != NULL)
    return;
  data = g_new0 (ActData, 1);
  data->self = g_object_ref (self);
  data->incident = g_object_ref (self->incident);
  g_set_object (&self->acting_on, self->incident);
  hg_incident_act_async (self->client, self->incident, action, body_json, self->cancellable, act_done, data);
  update_actions (self);
}

static void
simple_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HgAction action;

  if (hg_action_from_string (strchr (action_name, '.') + 1, &action))
    run_action (HG_INCIDENT_PANE (widget), action, NULL);
}

static void
on_answered (GObject    *receiver,
             HgAction    action,
             const char *body_json)
{
  run_action (HG_INCIDENT_PANE (receiver), action, body_json);
}

/* Resolve, decline, reassign and escalate ask first. */
static void
ask_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HgIncidentPane *self = HG_INCIDENT_PANE (widget);
  HgAction action;

  if (self->incident != NULL && hg_action_from_string (strchr (action_name, '.') + 1, &action))
    hg_action_dialog_ask (widget, self->client, self->incident, action, G_OBJECT (self), on_answered);
}

/* --- Notes ----------------------------------------------------------------- */

static void
note_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HgIncidentPane) self = user_data;
  g_autoptr(GError) error = NULL;

  if (hg_client_add_note_finish (HG_CLIENT (source), result, &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
      refresh_detail (self);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s is the server's explanation */
      g_autofree char *message = g_strdup_printf (_("The note was not added: %s"), error->message);

      toast (self, message);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->note_entry), TRUE);
}

static void
add_note_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HgIncidentPane *self = HG_INCIDENT_PANE (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));

  if (*text == '\0' || self->client == NULL || self->incident == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->note_entry), FALSE);
  hg_client_add_note_async (self->client, hg_incident_get_id (self->incident), text,
                            self->cancellable, note_done, g_object_ref (self));
}

static void
on_note_changed (HgIncidentPane *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "incident.add-note", *text != '\0');
}

static void
on_note_activate (HgIncidentPane *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "incident.add-note", NULL);
}

static void
close_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_CLOSE], 0);
}

/* --- The incident ------------------------------------------------------------ */

static void
on_incident_notify (HgIncidentPane *self,
                    GParamSpec     *pspec)
{
  update_fields (self);
  update_actions (self);
  /* Every change on the server moves the version: notes, timeline and
   * alerts may have changed too. */
  if (g_str_equal (pspec->name, "version"))
    refresh_detail (self);
}

void
hg_incident_pane_set_incident (HgIncidentPane *self,
                               HgIncident     *incident)
{
  gboolean same_id;

  g_return_if_fail (HG_IS_INCIDENT_PANE (self));
  g_return_if_fail (incident == NULL || HG_IS_INCIDENT (incident));

  if (self->incident == incident)
    return;
  same_id = self->incident != NULL && incident != NULL
            && hg_incident_get_id (self->incident) == hg_incident_get_id (incident);
  if (self->incident != NULL)
    g_signal_handlers_disconnect_by_func (self->incident, on_incident_notify, self);
  g_set_object (&self->incident, incident);
  if (incident != NULL)
    g_signal_connect_object (incident, "notify", G_CALLBACK (on_incident_notify), self, G_CONNECT_SWAPPED);
  if (!same_id)
    {
      hg_incident_rows_clear (self->notes_list);
      hg_incident_rows_clear (self->timeline_list);
      hg_incident_rows_clear (self->alerts_list);
      gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
    }
  update_fields (self);
  update_actions (self);
  refresh_detail (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCIDENT]);
}

void
hg_incident_pane_set_client (HgIncidentPane *self,
                             HgClient       *client)
{
  g_return_if_fail (HG_IS_INCIDENT_PANE (self));

  if (!g_set_object (&self->client, client))
    return;
  update_actions (self);
  refresh_detail (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/* --- GObject ------------------------------------------------------------------ */

static void
hg_incident_pane_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HgIncidentPane *self = HG_INCIDENT_PANE (object);

  switch (prop_id)
    {
    case PROP_CLIENT: g_value_set_object (value, self->client); break;
    case PROP_INCIDENT: g_value_set_object (value, self->incident); break;
    case PROP_NOW: g_value_set_int64 (value, self->now); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_incident_pane_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HgIncidentPane *self = HG_INCIDENT_PANE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      hg_incident_pane_set_client (self, g_value_get_object (value));
      break;
    case PROP_INCIDENT:
      hg_incident_pane_set_incident (self, g_value_get_object (value));
      break;
    case PROP_NOW:
      if (self->now != g_value_get_int64 (value))
        {
          self->now = g_value_get_int64 (value);
          update_age (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_incident_pane_dispose (GObject *object)
{
  HgIncidentPane *self = HG_INCIDENT_PANE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->detail_cancellable);
  if (self->incident != NULL)
    g_signal_handlers_disconnect_by_func (self->incident, on_incident_notify, self);
  g_clear_object (&self->incident);
  g_clear_object (&self->acting_on);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->detail_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HG_TYPE_INCIDENT_PANE);
  G_OBJECT_CLASS (hg_incident_pane_parent_class)->dispose (object);
}

static void
bind_action_button (GtkWidgetClass *widget_class,
                    HgAction        action,
                    const char      *id)
{
  gtk_widget_class_bind_template_child_full (widget_class, id, FALSE,
                                             G_STRUCT_OFFSET (HgIncidentPane, action_buttons)
                                             + action * sizeof (GtkWidget *));
}

static void
hg_incident_pane_class_init (HgIncidentPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = hg_incident_pane_get_property;
  object_class->set_property = hg_incident_pane_set_property;
  object_class->dispose = hg_incident_pane_dispose;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, HG_TYPE_CLIENT, rw);
  properties[PROP_INCIDENT] = g_param_spec_object ("incident", NULL, NULL, HG_TYPE_INCIDENT, rw);
  properties[PROP_NOW] = g_param_spec_int64 ("now", NULL, NULL, 0, G_MAXINT64, 0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CLOSE] = g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/healthguard/Ops/hg-incident-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, band);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, severity_label);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, band_status_label);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, title_label);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, patient_value);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, location_value);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, assignee_value);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, status_value);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, age_value);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, busy_box);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, notes_list);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, alerts_list);
  gtk_widget_class_bind_template_child (widget_class, HgIncidentPane, note_entry);
  bind_action_button (widget_class, HG_ACTION_ACKNOWLEDGE, "acknowledge_button");
  bind_action_button (widget_class, HG_ACTION_START, "start_button");
  bind_action_button (widget_class, HG_ACTION_RESOLVE, "resolve_button");
  bind_action_button (widget_class, HG_ACTION_CLAIM, "claim_button");
  bind_action_button (widget_class, HG_ACTION_DECLINE, "decline_button");
  bind_action_button (widget_class, HG_ACTION_REASSIGN, "reassign_button");
  bind_action_button (widget_class, HG_ACTION_ESCALATE, "escalate_button");
  gtk_widget_class_bind_template_callback (widget_class, on_note_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_note_activate);

  gtk_widget_class_install_action (widget_class, "incident.acknowledge", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "incident.start", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "incident.claim", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "incident.resolve", NULL, ask_activated);
  gtk_widget_class_install_action (widget_class, "incident.decline", NULL, ask_activated);
  gtk_widget_class_install_action (widget_class, "incident.reassign", NULL, ask_activated);
  gtk_widget_class_install_action (widget_class, "incident.escalate", NULL, ask_activated);
  gtk_widget_class_install_action (widget_class, "incident.add-note", NULL, add_note_activated);
  gtk_widget_class_install_action (widget_class, "incident.close", NULL, close_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "incident.close", NULL);
}

static GtkWidget *
placeholder (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "list-placeholder");
  return label;
}

static void
hg_incident_pane_init (HgIncidentPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hg_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_list_box_set_placeholder (self->notes_list, placeholder (_("No notes yet")));
  gtk_list_box_set_placeholder (self->timeline_list, placeholder (_("Loading…")));
  gtk_list_box_set_placeholder (self->alerts_list, placeholder (_("Loading…")));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "incident.add-note", FALSE);
  update_actions (self);
}
