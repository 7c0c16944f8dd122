/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "hg-a11y.h"
#include "hg-action-dialog.h"
#include "hg-incident-format.h"
#include "hg-json.h"
#include "hg-window.h"

/* Who asked, and what to tell them; lives as long as the question. */
typedef struct {
  GWeakRef          receiver;
  HgActionAnswered  answered;
  HgAction          action;
  GtkWidget        *parent;
  HgIncident       *incident;
  char             *member;     /* of the request body */
  gboolean          required;   /* the text may not be empty */
  GStrv             ids;        /* reassign: the colleagues offered */
} Question;

static void
question_free (Question *question)
{
  g_weak_ref_clear (&question->receiver);
  g_clear_object (&question->parent);
  g_clear_object (&question->incident);
  g_free (question->member);
  g_strfreev (question->ids);
  g_free (question);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Question, question_free)

char *
hg_action_body (const char *member,
                const char *value)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  if (member != NULL && value != NULL && *value != '\0')
    json_object_set_string_member (object, member, value);
  node = hg_json_node_new_object (g_steal_pointer (&object));
  return hg_json_to_string (node, NULL);
}

static void
answer (Question   *question,
        const char *value)
{
  g_autoptr(GObject) receiver = g_weak_ref_get (&question->receiver);
  g_autofree char *body = NULL;

  if (receiver == NULL)
    return;
  body = hg_action_body (question->member, value);
  question->answered (receiver, question->action, body);
}

static GtkWidget *
new_dialog (Question   *question,
            const char *heading,
            const char *body,
            const char *confirm,
            GtkWidget  *extra)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (question->parent)),
                                              heading, body);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), extra);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "confirm", confirm, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              question->action == HG_ACTION_ESCALATE
                                              ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  hg_a11y_fix_mnemonic_buttons (dialog);
  g_object_set_data_full (G_OBJECT (dialog), "hg-question", question, (GDestroyNotify) question_free);
  return dialog;
}

/* --- A note or a reason ---------------------------------------------------- */

static void
on_text_changed (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  Question *question = g_object_get_data (G_OBJECT (dialog), "hg-question");

  adw_message_dialog_set_response_enabled (dialog, "confirm",
                                           !question->required || *gtk_editable_get_text (entry) != '\0');
}

static void
on_text_response (AdwMessageDialog *dialog,
                  const char       *response)
{
  Question *question = g_object_get_data (G_OBJECT (dialog), "hg-question");
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_str_equal (response, "confirm"))
    answer (question, text);
}

static void
ask_text (Question *question)
{
  GtkWidget *entry = gtk_entry_new ();
  const char *heading, *body, *label, *confirm;
  GtkWidget *dialog;

  switch (question->action)
    {
    case HG_ACTION_RESOLVE:
      heading = _("Resolve Incident?");
      body = question->required ? _("Nobody has started on it yet: say why it needs no action.")
                                : _("Add a closing note for the record, if you like.");
      label = _("Closing note");
      confirm = _("_Resolve");
      break;
    case HG_ACTION_DECLINE:
      heading = _("Decline Incident?");
      body = _("It goes to the next colleague who can take it. Say why you cannot.");
      label = _("Reason");
      confirm = _("_Decline");
      break;
    case HG_ACTION_ESCALATE:
    default:
      heading = _("Escalate Incident?");
      body = _("The next level of help is alerted now. Say what you need, if you like.");
      label = _("Reason");
      confirm = _("_Escalate");
      break;
    }
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), label);
  gtk_entry_set_max_length (GTK_ENTRY (entry), 2000);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  dialog = new_dialog (question, heading, body, confirm, entry);
  g_signal_connect (entry, "changed", G_CALLBACK (on_text_changed), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_text_response), NULL);
  on_text_changed (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* --- A colleague ------------------------------------------------------------ */

static void
on_colleague_response (AdwMessageDialog *dialog,
                       const char       *response)
{
  Question *question = g_object_get_data (G_OBJECT (dialog), "hg-question");
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog)));

  if (g_str_equal (response, "confirm") && selected < g_strv_length (question->ids))
    answer (question, question->ids[selected]);
}

/* The colleagues on duty but the assignee, the least busy first. */
static int
by_workload (gconstpointer a,
             gconstpointer b)
{
  HgStaff *x = *(HgStaff **) a, *y = *(HgStaff **) b;

  if (hg_staff_get_workload (x) != hg_staff_get_workload (y))
    return hg_staff_get_workload (x) < hg_staff_get_workload (y) ? -1 : 1;
  return g_strcmp0 (hg_staff_get_id (x), hg_staff_get_id (y));
}

static GtkWidget *
colleague_dropdown (Question  *question,
                    GPtrArray *staff)
{
  HgStaff *assignee = hg_incident_get_assignee (question->incident);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  GtkWidget *dropdown;

  g_ptr_array_sort (staff, by_workload);
  for (guint i = 0; i < staff->len; i++)
    {
      HgStaff *person = staff->pdata[i];
      guint workload = hg_staff_get_workload (person);
      g_autofree char *line = NULL;

      if (!hg_staff_get_on_duty (person)
          || (assignee != NULL && g_strcmp0 (hg_staff_get_id (person), hg_staff_get_id (assignee)) == 0))
        continue;
      /* Translators: a colleague to hand over to: name, role, active incidents */
      line = g_strdup_printf (ngettext ("%s — %s, %u active", "%s — %s, %u active", workload),
                              hg_staff_get_name (person) ? hg_staff_get_name (person) : hg_staff_get_id (person),
                              hg_role_label (hg_staff_get_role (person)), workload);
      gtk_string_list_append (names, line);
      g_strv_builder_add (ids, hg_staff_get_id (person));
    }
  question->ids = g_strv_builder_end (ids);
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)),
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Colleague"), -1);
  return dropdown;
}

static void
toast (GtkWidget  *widget,
       const char *message)
{
  GtkWidget *window = widget ? gtk_widget_get_ancestor (widget, HG_TYPE_WINDOW) : NULL;

  if (window != NULL)
    hg_window_toast (HG_WINDOW (window), message);
  else
    g_message ("%s", message);
}

static void
staff_listed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Question) question = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = hg_client_list_staff_finish (HG_CLIENT (source), result, &error);
  g_autoptr(GObject) receiver = g_weak_ref_get (&question->receiver);
  GtkWidget *dialog, *dropdown;

  if (receiver == NULL || !gtk_widget_get_root (question->parent))
    return;
  if (staff == NULL)
    {
      /* Translators: %s is the server's explanation */
      g_autofree char *message = g_strdup_printf (_("Cannot list colleagues: %s"), error->message);

      toast (question->parent, message);
      return;
    }
  dropdown = colleague_dropdown (question, staff);
  dialog = new_dialog (g_steal_pointer (&question), _("Reassign Incident?"),
                       _("Choose the colleague who takes it over."), _("Reass_ign"), dropdown);
  g_signal_connect (dialog, "response", G_CALLBACK (on_colleague_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (dropdown);
}

void
hg_action_dialog_ask (GtkWidget        *parent,
                      HgClient         *client,
                      HgIncident       *incident,
                      HgAction          action,
                      GObject          *receiver,
                      HgActionAnswered  answered)
{
  Question *question;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (HG_IS_CLIENT (client));
  g_return_if_fail (HG_IS_INCIDENT (incident));

  question = g_new0 (Question, 1);
  g_weak_ref_init (&question->receiver, receiver);
  question->answered = answered;
  question->action = action;
  question->parent = g_object_ref (parent);
  question->incident = g_object_ref (incident);
  switch (action)
    {
    case HG_ACTION_REASSIGN:
      question->member = g_strdup ("staff_id");
      hg_client_list_staff_async (client, NULL, staff_listed, question);
      return;
    case HG_ACTION_RESOLVE:
      question->member = g_strdup ("note");
      /* Before anyone started, resolving is calling it a false alarm. */
      question->required = hg_incident_get_status (incident) != HG_INCIDENT_STATUS_IN_PROGRESS;
      break;
    case HG_ACTION_DECLINE:
      question->member = g_strdup ("reason");
      question->required = TRUE;
      break;
    default:
      question->member = g_strdup ("reason");
      break;
    }
  ask_text (question);
}
