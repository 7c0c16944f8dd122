/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Sim"

#include "config.h"

#include <string.h>

#include "hg-error.h"
#include "hg-json.h"
#include "hg-protocol.h"
#include "hg-sim-private.h"
#include "hg-types.h"

#define STATION        "healthguard-sim"
#define HTTP_TIMEOUT_S 30
/* Enough parallel connections for the load scenario; the server answers
 * each request with "Connection: close", so these are not kept open. */
#define MAX_CONNECTIONS 64

G_DEFINE_FINAL_TYPE (HgSim, hg_sim, G_TYPE_OBJECT)

static const HgSimPatient demo_patients[] = {
  { "P001", "Eleanor Whitfield", "Cardiology", "204", "A" },
  { "P002", "Rajesh Iyer", "Cardiology", "204", "B" },
  { "P003", "Tomás Herrera", "Cardiology", "206", "A" },
  { "P004", "Grace Mwangi", "Pulmonology", "310", "A" },
  { "P005", "Henrik Lindqvist", "Pulmonology", "312", "B" },
  { "P006", "Yuki Tanaka", "Neurology", "402", "A" },
  { "P007", "Fatima Al-Sayed", "Neurology", "405", "A" },
  { "P008", "Oliver Pennington", "Surgery", "508", "B" },
};

const HgSimPatient *
hg_sim_demo_patients (guint *out_n)
{
  *out_n = G_N_ELEMENTS (demo_patients);
  return demo_patients;
}

const HgSimPatient *
hg_sim_demo_patient (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_patients); i++)
    if (g_strcmp0 (demo_patients[i].id, id) == 0)
      return &demo_patients[i];
  return NULL;
}

static void
options_copy (HgSimOptions       *to,
              const HgSimOptions *from)
{
  *to = *from;
  to->server = g_strdup (from->server);
  to->key = g_strdup (from->key);
  to->staff_id = g_strdup (from->staff_id);
  to->password = g_strdup (from->password);
  to->admin_id = g_strdup (from->admin_id);
  to->admin_password = g_strdup (from->admin_password);
  to->responder_password = g_strdup (from->responder_password);
  to->patient = g_strdup (from->patient);
  to->leaving = g_strdup (from->leaving);
}

static void
options_clear (HgSimOptions *options)
{
  g_free ((char *) options->server);
  g_free ((char *) options->key);
  g_free ((char *) options->staff_id);
  g_free ((char *) options->password);
  g_free ((char *) options->admin_id);
  g_free ((char *) options->admin_password);
  g_free ((char *) options->responder_password);
  g_free ((char *) options->patient);
  g_free ((char *) options->leaving);
}

static void
hg_sim_finalize (GObject *object)
{
  HgSim *self = HG_SIM (object);

  options_clear (&self->options);
  g_free (self->scenario);
  g_free (self->base);
  g_free (self->run_id);
  g_clear_object (&self->session);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_free (self->token);
  g_clear_pointer (&self->staff, json_object_unref);
  g_free (self->admin_token);
  g_free (self->key);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  g_clear_pointer (&self->incidents, g_hash_table_unref);
  g_clear_pointer (&self->seen_entries, g_hash_table_unref);
  g_clear_pointer (&self->summary_lines, g_ptr_array_unref);

  G_OBJECT_CLASS (hg_sim_parent_class)->finalize (object);
}

static void
hg_sim_class_init (HgSimClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hg_sim_finalize;
}

static void
hg_sim_init (HgSim *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tokens = g_ptr_array_new_with_free_func (g_free);
  self->incidents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                           (GDestroyNotify) json_object_unref);
  self->seen_entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->summary_lines = g_ptr_array_new_with_free_func (g_free);
  self->loop = g_main_loop_new (NULL, FALSE);
}

HgSim *
hg_sim_new (const char         *scenario,
            const HgSimOptions *options)
{
  HgSim *self;
  g_autofree char *agent = g_strdup_printf ("healthguard-sim/%s ", PACKAGE_VERSION);

  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (options != NULL && options->server != NULL, NULL);

  self = g_object_new (HG_TYPE_SIM, NULL);
  self->scenario = g_strdup (scenario);
  options_copy (&self->options, options);
  self->base = g_strdup (options->server);
  while (g_str_has_suffix (self->base, "/"))
    self->base[strlen (self->base) - 1] = '\0';
  self->run_id = g_strdup_printf ("%06x", g_random_int () & 0xffffff);
  self->session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S,
                                                 "max-conns", MAX_CONNECTIONS,
                                                 "max-conns-per-host", MAX_CONNECTIONS,
                                                 "user-agent", agent,
                                                 NULL);
  return self;
}

const HgSimOptions *
hg_sim_get_options (HgSim *self)
{
  return &self->options;
}

const char *
hg_sim_get_run_id (HgSim *self)
{
  return self->run_id;
}

const char *
hg_sim_get_token (HgSim *self)
{
  return self->token;
}

JsonObject *
hg_sim_get_staff (HgSim *self)
{
  return self->staff;
}

const char *
hg_sim_get_poster (HgSim *self)
{
  return self->key != NULL ? self->key : self->token;
}

double
hg_sim_elapsed (HgSim *self)
{
  return (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC;
}

gint64
hg_sim_started_ms (HgSim *self)
{
  return self->started_ms;
}

void
hg_sim_say (HgSim      *self,
            const char *format,
            ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("[%6.1fs] %s\n", hg_sim_elapsed (self), text);
}

void
hg_sim_summary_line (HgSim      *self,
                     const char *label,
                     const char *format,
                     ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (self->summary_lines, g_strdup_printf ("  %-14s %s", label, text));
}

/* --- Ending ------------------------------------------------------------ */

static void
logout_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  HgSim *self = HG_SIM (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self, result, &error);

  /* A session the server already ended is no trouble at the end. */
  if (error != NULL)
    g_debug ("Ending a session: %s", error->message);
  if (--self->pending_logouts == 0)
    g_main_loop_quit (self->loop);
}

static void
end_sessions (HgSim *self)
{
  self->pending_logouts = self->tokens->len;
  if (self->pending_logouts == 0)
    {
      g_main_loop_quit (self->loop);
      return;
    }
  for (guint i = 0; i < self->tokens->len; i++)
    hg_sim_request_async (self, "POST", HG_API_PREFIX "/auth/logout", self->tokens->pdata[i], NULL,
                          logout_done, NULL);
}

/* What follows a revoked (or no) key: the summary of a finished run, then
 * the end of every session. */
static void summarized (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data);

static void
after_key (HgSim *self)
{
  if (self->exit_status == HG_SIM_EXIT_OK)
    hg_sim_summarize_async (self, summarized, NULL);
  else
    end_sessions (self);
}

static void
key_revoked (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  HgSim *self = HG_SIM (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self, result, &error);

  if (error != NULL)
    g_printerr ("healthguard-sim: could not revoke the run's integration key: %s\n", error->message);
  else
    hg_sim_say (self, "%s revoked the run's integration key (id %" G_GINT64_FORMAT ")", self->options.admin_id,
                self->key_id);
  after_key (self);
}

/* The key made for the run goes first: it must not outlive the run even
 * when the summary fails. */
static void
end_run (HgSim *self,
         int    exit_status)
{
  self->ending = TRUE;
  self->watching = FALSE;
  self->exit_status = exit_status;
  if (self->key_id != 0 && self->admin_token != NULL)
    {
      g_autofree char *path = g_strdup_printf (HG_API_PREFIX "/integrations/%" G_GINT64_FORMAT, self->key_id);

      hg_sim_request_async (self, "DELETE", path, self->admin_token, NULL, key_revoked, NULL);
      return;
    }
  after_key (self);
}

void
hg_sim_fail (HgSim        *self,
             const GError *error)
{
  g_printerr ("healthguard-sim: %s\n", error->message);
  if (!self->ending)
    end_run (self, HG_SIM_EXIT_FAILED);
}

static void
summarized (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  HgSim *self = HG_SIM (source);
  g_autoptr(GError) error = NULL;

  if (!hg_sim_summarize_finish (self, result, &error))
    {
      g_printerr ("healthguard-sim: %s\n", error->message);
      self->exit_status = HG_SIM_EXIT_FAILED;
    }
  end_sessions (self);
}

void
hg_sim_done (HgSim *self)
{
  if (!self->ending)
    end_run (self, HG_SIM_EXIT_OK);
}

/* --- HTTP -------------------------------------------------------------- */

typedef struct {
  SoupMessage *msg;
  char        *what;       /* "POST /api/v1/alerts", for messages */
  gint64       sent_us;
  double       ms;
  guint        status;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_clear_object (&request->msg);
  g_free (request->what);
  g_free (request);
}

/* The server's {"error": {"code", "message", "field"}} as an HG_ERROR,
 * its message after the request and the status. */
static GError *
error_from_answer (Request  *request,
                   JsonNode *answer)
{
  GError *result = NULL;

  if (hg_json_error_from_answer (answer, request->status, &result))
    g_prefix_error (&result, "%s: %u %s: ", request->what, request->status,
                    hg_error_get_wire_code (result) ? hg_error_get_wire_code (result)
                                                    : soup_status_get_phrase (request->status));
  else
    hg_set_error (&result, hg_error_code_from_http_status (request->status), NULL, NULL, "%s: %u %s",
                  request->what, request->status, soup_status_get_phrase (request->status));
  return result;
}

static void
request_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HgSim *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonNode) answer = NULL;
  const char *type;
  const char *data;
  gsize len = 0;

  request->ms = (g_get_monotonic_time () - request->sent_us) / 1000.0;
  if (bytes == NULL)
    {
      g_task_return_new_error (task, error->domain, error->code, "cannot reach %s (%s): %s", self->base,
                               request->what, error->message);
      return;
    }
  request->status = soup_message_get_status (request->msg);
  g_debug ("%s: %u in %.1f ms", request->what, request->status, request->ms);
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (request->msg), NULL);
  data = g_bytes_get_data (bytes, &len);
  if (len > 0 && g_strcmp0 (type, "application/json") == 0)
    {
      answer = hg_json_parse (data, len, &error);
      if (answer == NULL)
        {
          g_task_return_new_error (task, HG_ERROR, HG_ERROR_INTERNAL, "%s: the answer is not JSON: %s",
                                   request->what, error->message);
          return;
        }
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (request->status))
    {
      g_task_return_error (task, error_from_answer (request, answer));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) json_node_unref);
}

void
hg_sim_request_async (HgSim               *self,
                      const char          *method,
                      const char          *path,
                      const char          *token,
                      JsonNode            *body,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autofree char *uri = g_strconcat (self->base, path, NULL);
  GTask *task = g_task_new (self, NULL, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, hg_sim_request_async);
  g_task_set_task_data (task, request, request_free);
  request->what = g_strdup_printf ("%s %s", method, path);
  request->msg = soup_message_new (method, uri);
  if (request->msg == NULL)
    {
      g_task_return_new_error (task, HG_ERROR, HG_ERROR_INVALID, "%s: not a valid address", uri);
      g_object_unref (task);
      return;
    }
  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (request->msg), "Authorization", value);
    }
  if (body != NULL)
    {
      gsize len;
      char *text = hg_json_to_string (body, &len);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, len);

      soup_message_set_request_body_from_bytes (request->msg, "application/json", bytes);
    }
  request->sent_us = g_get_monotonic_time ();
  soup_session_send_and_read_async (self->session, request->msg, G_PRIORITY_DEFAULT, NULL, request_done, task);
}

JsonNode *
hg_sim_request_finish_full (HgSim         *self,
                            GAsyncResult  *result,
                            guint         *out_status,
                            double        *out_ms,
                            GError       **error)
{
  Request *request;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hg_sim_request_async, NULL);

  request = g_task_get_task_data (G_TASK (result));
  if (out_status != NULL)
    *out_status = request->status;
  if (out_ms != NULL)
    *out_ms = request->ms;
  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonNode *
hg_sim_request_finish (HgSim         *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return hg_sim_request_finish_full (self, result, NULL, NULL, error);
}

/* --- Sessions ---------------------------------------------------------- */

static void
login_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HgSim *self = HG_SIM (source);
  const char *staff_id = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self, result, &error);
  const char *token;

  if (error != NULL)
    {
      g_task_return_new_error (task, error->domain, error->code, "cannot sign in as %s: %s", staff_id,
                               error->message);
      return;
    }
  token = json_object_get_string_member_with_default (json_node_get_object (answer), "token", NULL);
  if (token == NULL)
    {
      g_task_return_new_error (task, HG_ERROR, HG_ERROR_INTERNAL, "signing in as %s gave no token", staff_id);
      return;
    }
  g_ptr_array_add (self->tokens, g_strdup (token));
  /* Two responders may sign the same person in at once: the first
   * session is the one kept; both are ended at the end. */
  if (!g_hash_table_contains (self->sessions, staff_id))
    g_hash_table_insert (self->sessions, g_strdup (staff_id), g_strdup (token));
  if (g_strcmp0 (staff_id, self->options.staff_id) == 0 && self->staff == NULL)
    self->staff = json_object_ref (json_object_get_object_member (json_node_get_object (answer), "staff"));
  g_task_return_pointer (task, g_hash_table_lookup (self->sessions, staff_id), NULL);
}

void
hg_sim_login_async (HgSim               *self,
                    const char          *staff_id,
                    const char          *password,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  const char *token = g_hash_table_lookup (self->sessions, staff_id);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  g_task_set_source_tag (task, hg_sim_login_async);
  g_task_set_task_data (task, g_strdup (staff_id), g_free);
  if (token != NULL)
    {
      g_task_return_pointer (task, (gpointer) token, NULL);
      g_object_unref (task);
      return;
    }
  json_object_set_string_member (body, "staff_id", staff_id);
  json_object_set_string_member (body, "password", password);
  json_object_set_string_member (body, "station", STATION);
  node = hg_json_node_new_object (g_steal_pointer (&body));
  hg_sim_request_async (self, "POST", HG_API_PREFIX "/auth/login", NULL, node, login_done, task);
}

const char *
hg_sim_login_finish (HgSim         *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Time -------------------------------------------------------------- */

static gboolean
sleep_over (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;

  g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

void
hg_sim_sleep_async (HgSim               *self,
                    double               seconds,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  double ms = MAX (seconds, 0) * 1000.0 / self->options.speed;

  g_task_set_source_tag (task, hg_sim_sleep_async);
  g_timeout_add ((guint) MIN (ms, G_MAXUINT / 2), sleep_over, task);
}

void
hg_sim_sleep_finish (HgSim        *self,
                     GAsyncResult *result)
{
  g_return_if_fail (g_task_is_valid (result, self));
  g_task_propagate_boolean (G_TASK (result), NULL);
}

gint64
hg_sim_time_member (JsonObject *object,
                    const char *name)
{
  const char *text = json_object_get_string_member_with_default (object, name, NULL);
  gint64 ms = 0;

  if (text == NULL || !hg_time_parse (text, &ms))
    return 0;
  return ms;
}

/* --- Alerts ------------------------------------------------------------ */

JsonObject *
hg_sim_alert_new (HgSim      *self,
                  const char *type,
                  const char *patient_id,
                  const char *dedup,
                  const char *message)
{
  JsonObject *alert = json_object_new ();
  g_autofree char *key = g_strdup_printf ("sim-%s/%s", self->run_id, dedup);

  json_object_set_string_member (alert, "type", type);
  if (patient_id != NULL)
    json_object_set_string_member (alert, "patient_id", patient_id);
  if (message != NULL)
    json_object_set_string_member (alert, "message", message);
  json_object_set_string_member (alert, "dedup_key", key);
  return alert;
}

static void
count_result (HgSim      *self,
              JsonObject *result)
{
  JsonObject *alert = json_object_get_object_member (result, "alert");
  JsonNode *incident = json_object_get_member (result, "incident");

  self->alerts_posted++;
  if (g_strcmp0 (json_object_get_string_member_with_default (alert, "phase", "start"), "end") == 0)
    self->alerts_ended++;
  if (json_object_get_boolean_member_with_default (result, "deduplicated", FALSE))
    self->alerts_deduplicated++;
  if (incident != NULL && JSON_NODE_HOLDS_OBJECT (incident) &&
      g_strcmp0 (json_object_get_string_member_with_default (alert, "phase", "start"), "start") == 0)
    hg_sim_track (self, json_node_get_object (incident));
}

static void
alert_posted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HgSim *self = HG_SIM (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self, result, &error);
  JsonObject *object;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_task_return_new_error (task, HG_ERROR, HG_ERROR_INTERNAL, "POST /api/v1/alerts answered no object");
      return;
    }
  object = json_node_get_object (answer);
  if (json_object_has_member (object, "results"))
    {
      JsonArray *results = json_object_get_array_member (object, "results");

      for (guint i = 0; i < json_array_get_length (results); i++)
        count_result (self, json_array_get_object_element (results, i));
    }
  else
    count_result (self, object);
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) json_node_unref);
}

void
hg_sim_post_alert_async (HgSim               *self,
                         JsonNode            *alerts,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, hg_sim_post_alert_async);
  hg_sim_request_async (self, "POST", HG_API_PREFIX "/alerts", hg_sim_get_poster (self), alerts,
                        alert_posted, task);
}

JsonNode *
hg_sim_post_alert_finish (HgSim         *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Starting ---------------------------------------------------------- */

static void
key_created (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  HgSim *self = HG_SIM (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self, result, &error);
  JsonObject *object;

  if (error != NULL)
    {
      hg_sim_fail (self, error);
      return;
    }
  object = json_node_get_object (answer);
  self->key = g_strdup (json_object_get_string_member_with_default (object, "key", NULL));
  self->key_id = json_object_get_int_member_with_default (object, "id", 0);
  hg_sim_say (self, "%s made integration key “%s” (id %" G_GINT64_FORMAT ") for this run; "
              "alerts and vitals are posted with it", self->options.admin_id,
              json_object_get_string_member_with_default (object, "name", "?"), self->key_id);
  self->start (self);
}

static void
admin_signed_in (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HgSim *self = HG_SIM (source);
  g_autoptr(GError) error = NULL;
  const char *token = hg_sim_login_finish (self, result, &error);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *name = g_strdup_printf ("healthguard-sim-%s", self->run_id);
  g_autoptr(JsonNode) node = NULL;

  if (token == NULL)
    {
      hg_sim_fail (self, error);
      return;
    }
  self->admin_token = g_strdup (token);
  json_object_set_string_member (body, "name", name);
  node = hg_json_node_new_object (g_steal_pointer (&body));
  hg_sim_request_async (self, "POST", HG_API_PREFIX "/integrations", token, node, key_created, NULL);
}

static void
staff_signed_in (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HgSim *self = HG_SIM (source);
  g_autoptr(GError) error = NULL;
  const char *token = hg_sim_login_finish (self, result, &error);

  if (token == NULL)
    {
      hg_sim_fail (self, error);
      return;
    }
  self->token = g_strdup (token);
  hg_sim_say (self, "Signed in as %s %s (%s)", self->options.staff_id,
              json_object_get_string_member_with_default (self->staff, "name", "?"),
              json_object_get_string_member_with_default (self->staff, "role", "?"));
  if (self->options.key != NULL)
    {
      self->key = g_strdup (self->options.key);
      hg_sim_say (self, "Alerts and vitals are posted with the integration key given");
    }
  else if (self->options.new_key)
    {
      hg_sim_login_async (self, self->options.admin_id, self->options.admin_password, admin_signed_in, NULL);
      return;
    }
  else
    hg_sim_say (self, "Alerts and vitals are posted as %s (no --key)", self->options.staff_id);
  self->start (self);
}

static void
health_checked (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  HgSim *self = HG_SIM (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = hg_sim_request_finish (self, result, &error);

  if (error != NULL)
    {
      hg_sim_fail (self, error);
      return;
    }
  hg_sim_say (self, "Server %s is up (version %s)", self->base,
              answer && JSON_NODE_HOLDS_OBJECT (answer)
                ? json_object_get_string_member_with_default (json_node_get_object (answer), "version", "?")
                : "?");
  hg_sim_login_async (self, self->options.staff_id, self->options.password, staff_signed_in, NULL);
}

int
hg_sim_run (HgSim             *self,
            HgSimScenarioFunc  start)
{
  g_return_val_if_fail (HG_IS_SIM (self), HG_SIM_EXIT_FAILED);
  g_return_val_if_fail (start != NULL, HG_SIM_EXIT_FAILED);

  self->start = start;
  self->started_us = g_get_monotonic_time ();
  self->started_ms = g_get_real_time () / 1000;
  if (self->options.speed != 1.0)
    hg_sim_say (self, "Scenario %s, run %s, at %g× speed", self->scenario, self->run_id, self->options.speed);
  else
    hg_sim_say (self, "Scenario %s, run %s", self->scenario, self->run_id);
  hg_sim_request_async (self, "GET", "/health", NULL, NULL, health_checked, NULL);
  g_main_loop_run (self->loop);
  return self->exit_status;
}
