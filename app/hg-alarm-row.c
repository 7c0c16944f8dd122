/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-a11y.h"
#include "hg-alarm-row.h"
#include "hg-incident-act.h"
#include "hg-incident-format.h"
#include "hg-severity-pill.h"

/* The buttons, in the order they show. */
static const HgAction row_actions[] = { HG_ACTION_ACKNOWLEDGE, HG_ACTION_CLAIM, HG_ACTION_DECLINE };
#define N_ROW_ACTIONS G_N_ELEMENTS (row_actions)

struct _HgAlarmRow
{
  GtkWidget      parent_instance;

  HgActiveAlarm *alarm;
  HgClient      *client;
  HgIncident    *incident;   /* the alarm's, followed for changes */

  GtkWidget     *stripe;
  GtkWidget     *priority_label;
  GtkWidget     *age_label;
  GtkWidget     *title_label;
  GtkWidget     *place_label;
  GtkWidget     *pill;
  GtkWidget     *owner_label;
  GtkWidget     *message_label;
  GtkWidget     *button_box;
  GtkWidget     *buttons[N_ROW_ACTIONS];
};

G_DEFINE_FINAL_TYPE (HgAlarmRow, hg_alarm_row, GTK_TYPE_WIDGET)

const char *
hg_alarm_priority_label (HgAlarmPriority priority)
{
  switch (priority)
    {
    case HG_ALARM_PRIORITY_HIGH: return _("High priority");
    case HG_ALARM_PRIORITY_MEDIUM: return _("Medium priority");
    case HG_ALARM_PRIORITY_LOW:
    default: return _("Low priority");
    }
}

const char *
hg_alarm_priority_css_class (HgAlarmPriority priority)
{
  switch (priority)
    {
    case HG_ALARM_PRIORITY_HIGH: return "alarm-high";
    case HG_ALARM_PRIORITY_MEDIUM: return "alarm-medium";
    case HG_ALARM_PRIORITY_LOW:
    default: return "alarm-low";
    }
}

static const char *
action_label (HgAction action)
{
  switch (action)
    {
    case HG_ACTION_ACKNOWLEDGE: return _("_Acknowledge");
    case HG_ACTION_CLAIM: return _("_Claim");
    case HG_ACTION_DECLINE: return _("_Decline…");
    default: g_assert_not_reached ();
    }
}

static const char *
reason_label (HgAlarmReason reason)
{
  switch (reason)
    {
    case HG_ALARM_REASON_UNACKNOWLEDGED: return _("Nobody has acknowledged it");
    case HG_ALARM_REASON_ASSIGNED: return _("Assigned to you");
    case HG_ALARM_REASON_REMINDER: return _("Reminder: still waiting for you");
    case HG_ALARM_REASON_ESCALATED: return _("Escalated to you");
    case HG_ALARM_REASON_TECHNICAL:
    default: return _("Technical alarm");
    }
}

static char *
place_text (HgIncident *incident)
{
  HgPatient *patient = hg_incident_get_patient (incident);
  const char *name = patient ? hg_patient_get_name (patient) : NULL;
  const char *room = hg_incident_get_room (incident);
  const char *ward = hg_incident_get_ward (incident);
  GString *text = g_string_new (name ? name : _("No patient"));

  if (room != NULL && *room != '\0')
    /* Translators: after the patient's name: " · Room 204" */
    g_string_append_printf (text, _(" · Room %s"), room);
  if (ward != NULL && *ward != '\0')
    g_string_append_printf (text, " · %s", ward);
  return g_string_free (text, FALSE);
}

/* Everything but the age, from the alarm and its incident. */
static void
update (HgAlarmRow *self)
{
  HgIncident *incident = self->incident;
  gboolean technical = incident == NULL;
  HgAlarmPriority priority;
  gboolean any = FALSE;

  if (self->alarm == NULL)
    return;
  priority = hg_active_alarm_get_priority (self->alarm);
  for (HgAlarmPriority p = HG_ALARM_PRIORITY_LOW; p <= HG_ALARM_PRIORITY_HIGH; p++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), hg_alarm_priority_css_class (p));
  gtk_widget_add_css_class (GTK_WIDGET (self), hg_alarm_priority_css_class (priority));

  {
    /* Translators: an alarm's priority, then why it is here:
     * "High priority · Assigned to you" */
    g_autofree char *head = g_strdup_printf (_("%s · %s"), hg_alarm_priority_label (priority),
                                             reason_label (hg_active_alarm_get_reason (self->alarm)));

    g_autofree char *name = NULL;

    gtk_label_set_label (GTK_LABEL (self->priority_label), head);
    /* Translators: a screen reader's name for an alarm: "High priority: Cardiac arrest" */
    name = g_strdup_printf (_("%s: %s"), hg_alarm_priority_label (priority), hg_active_alarm_get_title (self->alarm));
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }
  gtk_label_set_label (GTK_LABEL (self->title_label), hg_active_alarm_get_title (self->alarm));
  gtk_widget_set_visible (self->place_label, !technical);
  gtk_widget_set_visible (self->pill, !technical);
  gtk_widget_set_visible (self->owner_label, !technical);
  gtk_widget_set_visible (self->message_label, technical);
  if (technical)
    {
      gtk_label_set_label (GTK_LABEL (self->message_label), hg_active_alarm_get_message (self->alarm));
      gtk_widget_set_visible (self->button_box, FALSE);
      return;
    }

  {
    g_autofree char *place = place_text (incident);
    HgStaff *assignee = hg_incident_get_assignee (incident);
    g_autofree char *owner = assignee
      /* Translators: who has the incident: "Has it: Dr Maria Lopez" */
      ? g_strdup_printf (_("Has it: %s"), hg_staff_get_name (assignee))
      : g_strdup (_("Nobody has it yet"));

    gtk_label_set_label (GTK_LABEL (self->place_label), place);
    gtk_label_set_label (GTK_LABEL (self->owner_label), owner);
  }
  hg_severity_pill_set_severity (HG_SEVERITY_PILL (self->pill), hg_incident_get_severity (incident));

  for (guint i = 0; i < N_ROW_ACTIONS; i++)
    {
      gboolean allowed = hg_incident_may (self->client, incident, row_actions[i]);

      /* For the assignee, claiming is acknowledging: one button says it. */
      if (row_actions[i] == HG_ACTION_CLAIM && hg_incident_may (self->client, incident, HG_ACTION_ACKNOWLEDGE))
        allowed = FALSE;
      gtk_widget_set_visible (self->buttons[i], allowed);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->buttons[i]), "(xs)",
                                        hg_incident_get_id (incident), hg_action_to_string (row_actions[i]));
      any |= allowed;
    }
  gtk_widget_set_visible (self->button_box, any);
}

void
hg_alarm_row_tick (HgAlarmRow *self,
                   gint64      now)
{
  g_autofree char *age = NULL;
  g_autofree char *text = NULL;
  gint64 since;

  g_return_if_fail (HG_IS_ALARM_ROW (self));

  if (self->alarm == NULL)
    return;
  /* In ms since the epoch, as incidents count. */
  since = self->incident ? hg_incident_get_created_at (self->incident) : hg_active_alarm_get_since (self->alarm) / 1000;
  age = hg_format_age (MAX (0, now / 1000 - since));
  /* Translators: how long since the alert: "3 min ago" */
  text = g_strdup_printf (_("%s ago"), age);
  gtk_label_set_label (GTK_LABEL (self->age_label), text);
}

HgActiveAlarm *
hg_alarm_row_get_alarm (HgAlarmRow *self)
{
  g_return_val_if_fail (HG_IS_ALARM_ROW (self), NULL);

  return self->alarm;
}

void
hg_alarm_row_set_alarm (HgAlarmRow    *self,
                        HgActiveAlarm *alarm,
                        HgClient      *client)
{
  g_return_if_fail (HG_IS_ALARM_ROW (self));

  if (self->incident != NULL)
    g_signal_handlers_disconnect_by_func (self->incident, update, self);
  if (self->alarm != NULL)
    g_signal_handlers_disconnect_by_func (self->alarm, update, self);
  g_set_object (&self->alarm, alarm);
  g_set_object (&self->client, client);
  g_clear_object (&self->incident);
  if (alarm != NULL && hg_active_alarm_get_incident (alarm) != NULL)
    self->incident = g_object_ref (hg_active_alarm_get_incident (alarm));
  if (self->alarm == NULL)
    return;
  /* The incident changes in place (status, assignee); so may the alarm
   * (its priority, its reason). */
  g_signal_connect_object (self->alarm, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  if (self->incident != NULL)
    g_signal_connect_object (self->incident, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  hg_alarm_row_tick (self, g_get_real_time ());
}

static GtkWidget *
label (const char *css_class,
       gboolean    wrap)
{
  GtkWidget *widget = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (widget), 0);
  gtk_label_set_wrap (GTK_LABEL (widget), wrap);
  if (!wrap)
    gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (widget, css_class);
  return widget;
}

static void
hg_alarm_row_init (HgAlarmRow *self)
{
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *place = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_widget_add_css_class (GTK_WIDGET (self), "alarm-row");

  self->stripe = gtk_drawing_area_new ();
  gtk_widget_add_css_class (self->stripe, "alarm-stripe");
  gtk_widget_set_size_request (self->stripe, 18, -1);
  gtk_widget_set_parent (self->stripe, GTK_WIDGET (self));

  self->priority_label = label ("alarm-priority", FALSE);
  gtk_widget_set_hexpand (self->priority_label, TRUE);
  self->age_label = label ("numeric", FALSE);
  gtk_box_append (GTK_BOX (head), self->priority_label);
  gtk_box_append (GTK_BOX (head), self->age_label);
  gtk_box_append (GTK_BOX (body), head);

  self->title_label = label ("alarm-title", TRUE);
  gtk_box_append (GTK_BOX (body), self->title_label);

  self->pill = hg_severity_pill_new ();
  gtk_widget_set_valign (self->pill, GTK_ALIGN_CENTER);
  self->place_label = label ("alarm-place", TRUE);
  gtk_widget_set_hexpand (self->place_label, TRUE);
  gtk_box_append (GTK_BOX (place), self->pill);
  gtk_box_append (GTK_BOX (place), self->place_label);
  gtk_box_append (GTK_BOX (body), place);

  self->owner_label = label ("alarm-owner", TRUE);
  gtk_box_append (GTK_BOX (body), self->owner_label);
  self->message_label = label ("alarm-message", TRUE);
  gtk_box_append (GTK_BOX (body), self->message_label);

  self->button_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (self->button_box, 6);
  for (guint i = 0; i < N_ROW_ACTIONS; i++)
    {
      self->buttons[i] = gtk_button_new_with_mnemonic (action_label (row_actions[i]));
      hg_a11y_fix_mnemonic_button (GTK_BUTTON (self->buttons[i]));
      gtk_widget_add_css_class (self->buttons[i], "pill");
      gtk_widget_add_css_class (self->buttons[i], "alarm-button");
      if (row_actions[i] != HG_ACTION_DECLINE)
        gtk_widget_add_css_class (self->buttons[i], "suggested-action");
      /* The target first: the action takes one, and no row is bound yet. */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->buttons[i]), "(xs)", (gint64) 0,
                                        hg_action_to_string (row_actions[i]));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->buttons[i]), "alarm.act");
      gtk_box_append (GTK_BOX (self->button_box), self->buttons[i]);
    }
  gtk_box_append (GTK_BOX (body), self->button_box);

  gtk_widget_set_hexpand (body, TRUE);
  gtk_widget_set_parent (body, GTK_WIDGET (self));
}

static void
hg_alarm_row_dispose (GObject *object)
{
  HgAlarmRow *self = HG_ALARM_ROW (object);
  GtkWidget *child;

  hg_alarm_row_set_alarm (self, NULL, NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (hg_alarm_row_parent_class)->dispose (object);
}

static void
hg_alarm_row_class_init (HgAlarmRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hg_alarm_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "alarmrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

GtkWidget *
hg_alarm_row_new (void)
{
  GtkWidget *row = g_object_new (HG_TYPE_ALARM_ROW, NULL);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (row)),
                                  GTK_ORIENTATION_HORIZONTAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (row)), 12);
  return row;
}
