/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <string.h>

#include "hg-api.h"
#include "hg-audit.h"
#include "hg-auth.h"
#include "hg-error.h"
#include "hg-json.h"
#include "hg-protocol.h"

void
hg_api_health (HgRequest *req)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "status", "ok");
  json_object_set_string_member (object, "version", PACKAGE_VERSION);
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_object (object));
}

void
hg_api_health_ready (HgRequest *req)
{
  GError *error = NULL;
  JsonObject *object;

  if (!hg_store_check_writable (hg_request_get_store (req), &error))
    {
      hg_request_fail (req, error);
      return;
    }
  object = json_object_new ();
  json_object_set_string_member (object, "status", "ready");
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_object (object));
}

/* --- Login: the password is checked off the main loop ----------------- */

typedef struct {
  HgRequest *req;
  char      *staff_id;
  char      *password;
  char      *station;
  char      *hash;
  char      *token;
  guchar     token_hash[HG_TOKEN_HASH_SIZE];
  gint64     expires_at;
} Login;

static char *
address_key (HgRequest *req)
{
  return g_strdup_printf ("address:%s", hg_request_get_client_address (req));
}

/* Seconds to wait before this id or address may try again; 0: go on. */
static guint
login_blocked_for (HgRequest  *req,
                   const char *staff_id)
{
  g_autofree char *address = address_key (req);
  gint64 now = hg_time_now_ms ();

  return MAX (hg_rate_limit_check (hg_request_get_login_limit (req, FALSE), staff_id, now),
              hg_rate_limit_check (hg_request_get_login_limit (req, TRUE), address, now));
}

static void
record_login_failure (HgRequest  *req,
                      const char *staff_id)
{
  g_autofree char *address = address_key (req);
  gint64 now = hg_time_now_ms ();

  hg_rate_limit_record (hg_request_get_login_limit (req, FALSE), staff_id, now);
  hg_rate_limit_record (hg_request_get_login_limit (req, TRUE), address, now);
}

/* --- Sign-ins that change nothing still leave an audit row ------------- */

typedef struct {
  HgRequest *req;
  GError    *error;    /* the answer, once the row is written */
} AuditedRefusal;

static void
refusal_audited (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AuditedRefusal *refusal = user_data;
  g_autoptr(GError) error = NULL;

  /* The refusal stands even when the row could not be written. */
  if (!hg_store_audit_finish (HG_STORE (source), result, &error))
    g_warning ("Could not record a refused sign-in in the audit trail: %s", error->message);
  hg_request_fail (refusal->req, refusal->error);
  g_free (refusal);
}

/* Writes the row (by the server: nobody is signed in), then answers with
 * @error. The answer waits for the row, so a client that hammers the
 * endpoint waits for the disk too; the main loop does not. */
static void
audit_then_fail (HgRequest  *req,
                 const char *action,
                 const char *staff_id,
                 JsonObject *detail,
                 GError     *error)
{
  AuditedRefusal *refusal = g_new0 (AuditedRefusal, 1);
  g_autofree char *object = g_strconcat ("staff:", staff_id, NULL);
  g_autofree char *text = NULL;

  json_object_set_string_member (detail, "address", hg_request_get_client_address (req));
  text = hg_audit_detail (detail);
  refusal->req = req;
  refusal->error = error;
  hg_store_audit_async (hg_request_get_store (req), NULL, action, object, text, refusal_audited, refusal);
}

/* A throttled client is refused without a password check, so it could
 * send thousands a second: one row per staff id and address while the
 * limit lasts says that the attempts went on, and no more. */
static gboolean
first_throttled (HgRequest  *req,
                 const char *staff_id)
{
  HgRateLimit *notices = hg_request_get_throttle_notices (req);
  g_autofree char *key = g_strdup_printf ("%s\n%s", staff_id, hg_request_get_client_address (req));
  gint64 now = hg_time_now_ms ();

  if (hg_rate_limit_check (notices, key, now) > 0)
    return FALSE;
  hg_rate_limit_record (notices, key, now);
  return TRUE;
}

static void
login_free (Login *login)
{
  g_free (login->staff_id);
  if (login->password != NULL)
    memset (login->password, 0, strlen (login->password));
  g_free (login->password);
  g_free (login->station);
  g_free (login->hash);
  g_free (login->token);
  g_free (login);
}

static void
verify_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Login *login = task_data;

  g_task_return_boolean (task, hg_auth_verify_password (login->password, login->hash));
}

static void
session_created (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Login *login = user_data;
  GError *error = NULL;
  g_autoptr(HgStaff) staff = hg_store_create_session_finish (HG_STORE (source), result, &error);
  g_autofree char *expires = NULL;
  JsonObject *object;

  if (staff == NULL)
    {
      hg_request_fail (login->req, error);
      login_free (login);
      return;
    }
  g_message ("%s signed in%s%s", login->staff_id, login->station ? " at " : "",
             login->station ? login->station : "");
  expires = hg_time_format (login->expires_at);
  object = json_object_new ();
  json_object_set_string_member (object, "token", login->token);
  json_object_set_string_member (object, "expires_at", expires);
  json_object_set_member (object, "staff", hg_json_staff_to_node (staff));
  hg_request_respond_json (login->req, SOUP_STATUS_OK, hg_json_node_new_object (object));
  login_free (login);
}

static void
password_checked (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Login *login = g_task_get_task_data (G_TASK (result));
  HgRequest *req = login->req;
  GError *error = NULL;
  const HgConfig *config = hg_request_get_config (req);

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    {
      g_autoptr(JsonObject) detail = json_object_new ();

      g_message ("Failed sign-in for “%s” from %s", login->staff_id,
                 hg_request_get_client_address (req));
      record_login_failure (req, login->staff_id);
      hg_set_error (&error, HG_ERROR_UNAUTHENTICATED, "bad_credentials", NULL,
                    "unknown staff id or wrong password");
      audit_then_fail (req, "auth.login_failed", login->staff_id, detail, error);
      login_free (login);
      return;
    }
  hg_rate_limit_reset (hg_request_get_login_limit (req, FALSE), login->staff_id);
  login->token = hg_auth_new_token (login->token_hash, &error);
  if (login->token == NULL)
    {
      login_free (login);
      hg_request_fail (req, error);
      return;
    }
  login->expires_at = hg_time_now_ms () + (gint64) config->token_lifetime * 1000;
  hg_store_create_session_async (hg_request_get_store (req), login->staff_id, login->token_hash,
                                 login->station, hg_request_get_client_address (req),
                                 login->expires_at, session_created, login);
}

void
hg_api_login (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(JsonNode) body = hg_request_parse_body (req, FALSE, &error);
  JsonObject *object = body ? hg_json_require_object (body, &error) : NULL;
  const char *staff_id = NULL, *password = NULL, *station = NULL;
  g_autoptr(GTask) task = NULL;
  Login *login;
  guint blocked;

  if (object == NULL ||
      !hg_json_get_string (object, "staff_id", HG_MAX_ID_LEN, &staff_id, &error) ||
      !hg_json_get_string (object, "password", 1024, &password, &error) ||
      !hg_json_get_string (object, "station", HG_MAX_NAME_LEN, &station, &error))
    {
      hg_request_fail (req, error);
      return;
    }
  if (staff_id == NULL || password == NULL)
    {
      hg_set_error (&error, HG_ERROR_INVALID, "missing_field", staff_id ? "password" : "staff_id",
                    "staff_id and password are required");
      hg_request_fail (req, error);
      return;
    }
  blocked = login_blocked_for (req, staff_id);
  if (blocked > 0)
    {
      hg_set_error (&error, HG_ERROR_RATE_LIMITED, "too_many_attempts", NULL,
                    "too many failed sign-ins: try again in %u s", blocked);
      hg_request_set_retry_after (req, blocked);
      if (first_throttled (req, staff_id))
        {
          g_autoptr(JsonObject) detail = json_object_new ();

          json_object_set_int_member (detail, "retry_after", blocked);
          audit_then_fail (req, "auth.login_throttled", staff_id, detail, error);
        }
      else
        hg_request_fail (req, error);
      return;
    }
  login = g_new0 (Login, 1);
  login->req = req;
  login->staff_id = g_strdup (staff_id);
  login->password = g_strdup (password);
  login->station = g_strdup (station);
  login->hash = hg_store_get_password_hash (hg_request_get_store (req), staff_id);

  /* yescrypt takes tens of milliseconds: not on the main loop. */
  task = g_task_new (NULL, NULL, password_checked, NULL);
  g_task_set_source_tag (task, hg_api_login);
  g_task_set_task_data (task, login, NULL);
  g_task_run_in_thread (task, verify_in_thread);
}

static void
session_revoked (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HgRequest *req = user_data;
  GError *error = NULL;

  if (!hg_store_revoke_session_finish (HG_STORE (source), result, &error))
    {
      hg_request_fail (req, error);
      return;
    }
  /* A revoked token keeps no stream open. */
  hg_stream_close_token (hg_request_get_stream (req), hg_request_get_principal (req)->token_hash);
  hg_request_respond_empty (req, SOUP_STATUS_NO_CONTENT);
}

void
hg_api_logout (HgRequest *req)
{
  hg_store_revoke_session_async (hg_request_get_store (req),
                                 hg_request_get_principal (req)->token_hash,
                                 hg_request_get_client_address (req), session_revoked, req);
}

void
hg_api_me (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(HgStaff) me = hg_store_get_staff (hg_request_get_store (req),
                                              hg_request_get_principal (req)->staff_id, &error);

  if (me == NULL)
    hg_request_fail (req, error);
  else
    hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_staff_to_node (me));
}
