/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <string.h>

#include "hg-api.h"
#include "hg-auth.h"
#include "hg-error.h"
#include "hg-json.h"
#include "hg-passwords.h"
#include "hg-protocol.h"

/* Admin routes: staff accounts and integration keys. */

#define ADMINS (1u << HG_ROLE_ADMIN)
#define MAX_SPECIALTY_LEN 64
#define MAX_KEY_NAME_LEN 64

/* A capital letter, then 1 to 15 capitals or digits: N07, S12, A01. */
static gboolean
is_staff_id (const char *id)
{
  gsize len = strlen (id);

  if (len < 2 || len > 16 || !g_ascii_isupper (id[0]))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_isupper (id[i]) && !g_ascii_isdigit (id[i]))
      return FALSE;
  return TRUE;
}

/* Lower case, as the alert types name them: routing matches exactly. */
static gboolean
is_specialty (const char *text)
{
  if (!g_ascii_islower (text[0]))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* Letters, digits, '.', '_', '-': it is shown as "integration:NAME". */
static gboolean
is_key_name (const char *text)
{
  if (!g_ascii_isalnum (text[0]))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
invalid (GError     **error,
         const char  *code,
         const char  *field,
         const char  *message)
{
  hg_set_error (error, HG_ERROR_INVALID, code, field, "%s", message);
  return FALSE;
}

/* --- Staff ------------------------------------------------------------ */

typedef struct {
  HgRequest     *req;
  char          *id;
  gboolean       creating;
  HgStaffChange  change;
  char          *password;
} StaffEdit;

static void
staff_edit_free (StaffEdit *edit)
{
  g_free (edit->id);
  hg_staff_change_clear (&edit->change);
  if (edit->password != NULL)
    memset (edit->password, 0, strlen (edit->password));
  g_free (edit->password);
  g_free (edit);
}

static gboolean
take_role (JsonObject     *object,
           HgStaffChange  *change,
           GError        **error)
{
  const char *name = NULL;

  if (!hg_json_get_string (object, "role", 32, &name, error))
    return FALSE;
  if (name == NULL)
    return TRUE;
  if (!hg_role_from_string (name, &change->role))
    {
      hg_set_error (error, HG_ERROR_INVALID, "invalid_enum", "role", "“%s” is not a role", name);
      return FALSE;
    }
  change->set_role = TRUE;
  return TRUE;
}

/* Types and limits of every member; what a create needs comes after. */
static gboolean
parse_members (JsonObject  *object,
               StaffEdit   *edit,
               GError     **error)
{
  const char *name = NULL, *specialty = NULL, *ward = NULL, *password = NULL;
  gboolean disabled;

  if (!hg_json_get_string (object, "name", HG_MAX_NAME_LEN, &name, error) ||
      !take_role (object, &edit->change, error) ||
      !hg_json_get_string (object, "specialty", MAX_SPECIALTY_LEN, &specialty, error) ||
      !hg_json_get_string (object, "ward", HG_MAX_NAME_LEN, &ward, error) ||
      !hg_json_get_string (object, "password", 1024, &password, error))
    return FALSE;
  if (json_object_has_member (object, "disabled") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "disabled")))
    {
      if (!hg_json_get_bool (object, "disabled", &disabled, error))
        return FALSE;
      edit->change.set_disabled = TRUE;
      edit->change.disabled = disabled;
    }
  if (specialty != NULL && !is_specialty (specialty))
    return invalid (error, "invalid_field", "specialty",
                    "a specialty is written in lower case, such as cardiology");
  if (password != NULL && !hg_password_check_policy (password, error))
    return FALSE;
  edit->change.name = g_strdup (name);
  edit->change.specialty = g_strdup (specialty);
  edit->change.ward = g_strdup (ward);
  edit->password = g_strdup (password);
  return TRUE;
}

static gboolean
parse_new_staff (JsonObject  *object,
                 StaffEdit   *edit,
                 GError     **error)
{
  const char *id = NULL;

  if (!hg_json_get_string (object, "id", HG_MAX_ID_LEN, &id, error) ||
      !parse_members (object, edit, error))
    return FALSE;
  if (id == NULL)
    return invalid (error, "missing_field", "id", "a new staff member needs an id");
  if (!is_staff_id (id))
    return invalid (error, "invalid_field", "id",
                    "a staff id is a capital letter then 1 to 15 capitals or digits, such as N07");
  if (edit->change.name == NULL)
    return invalid (error, "missing_field", "name", "a new staff member needs a name");
  if (!edit->change.set_role)
    return invalid (error, "missing_field", "role", "a new staff member needs a role");
  if (edit->password == NULL)
    return invalid (error, "missing_field", "password", "a new staff member needs a password");
  edit->id = g_strdup (id);
  return TRUE;
}

static void
staff_saved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  StaffEdit *edit = user_data;
  HgRequest *req = edit->req;
  HgStream *stream = hg_request_get_stream (req);
  GError *error = NULL;
  g_autoptr(HgStaff) staff = edit->creating
    ? hg_store_create_staff_finish (HG_STORE (source), result, &error)
    : hg_store_update_staff_finish (HG_STORE (source), result, &error);

  if (staff == NULL)
    {
      staff_edit_free (edit);
      hg_request_fail (req, error);
      return;
    }
  g_message ("Staff account %s %s by %s", edit->id, edit->creating ? "created" : "changed",
             hg_request_get_principal (req)->staff_id);
  /* Their sessions were revoked in the same transaction: no stream may
   * outlive them. A disabled person went off duty, too. */
  if (stream != NULL && !edit->creating &&
      ((edit->change.set_disabled && edit->change.disabled) || edit->change.password_hash != NULL))
    hg_stream_close_staff (stream, edit->id, edit->change.password_hash ? "password reset" : "account disabled");
  if (hg_request_get_handover (req) != NULL && edit->change.set_disabled)
    hg_handover_poke (hg_request_get_handover (req));
  hg_request_respond_json (req, edit->creating ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                           hg_json_staff_to_node (staff));
  staff_edit_free (edit);
}

static void
save_staff (StaffEdit *edit)
{
  HgRequest *req = edit->req;
  g_autofree char *actor = hg_principal_actor (hg_request_get_principal (req));

  if (edit->creating)
    hg_store_create_staff_async (hg_request_get_store (req), actor, edit->id, &edit->change,
                                 staff_saved, edit);
  else
    hg_store_update_staff_async (hg_request_get_store (req), actor, edit->id, &edit->change,
                                 staff_saved, edit);
}

static void
hash_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  StaffEdit *edit = task_data;
  GError *error = NULL;

  edit->change.password_hash = hg_auth_hash_password (edit->password, &error);
  if (edit->change.password_hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
password_hashed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  StaffEdit *edit = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      hg_request_fail (edit->req, error);
      staff_edit_free (edit);
      return;
    }
  save_staff (edit);
}

/* yescrypt takes tens of milliseconds: not on the main loop. */
static void
hash_then_save (StaffEdit *edit)
{
  g_autoptr(GTask) task = NULL;

  if (edit->password == NULL)
    {
      save_staff (edit);
      return;
    }
  task = g_task_new (NULL, NULL, password_hashed, NULL);
  g_task_set_source_tag (task, hash_then_save);
  g_task_set_task_data (task, edit, NULL);
  g_task_run_in_thread (task, hash_in_thread);
}

/* The admin's JSON object, or NULL with the request answered. */
static JsonNode *
admin_body (HgRequest   *req,
            JsonObject **out_object)
{
  GError *error = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (!hg_request_require_role (req, ADMINS, &error) ||
      !(body = hg_request_parse_body (req, FALSE, &error)) ||
      !(*out_object = hg_json_require_object (body, &error)))
    {
      hg_request_fail (req, error);
      return NULL;
    }
  return g_steal_pointer (&body);
}

void
hg_api_create_staff (HgRequest *req)
{
  GError *error = NULL;
  JsonObject *object = NULL;
  g_autoptr(JsonNode) body = admin_body (req, &object);
  StaffEdit *edit;

  if (body == NULL)
    return;
  edit = g_new0 (StaffEdit, 1);
  edit->req = req;
  edit->creating = TRUE;
  if (!parse_new_staff (object, edit, &error))
    {
      staff_edit_free (edit);
      hg_request_fail (req, error);
      return;
    }
  hash_then_save (edit);
}

static gboolean
changes_nothing (const StaffEdit *edit)
{
  return edit->change.name == NULL && !edit->change.set_role && edit->change.specialty == NULL &&
         edit->change.ward == NULL && !edit->change.set_disabled && edit->password == NULL;
}

/* PATCH {} changes nothing, writes nothing, and answers the person. */
static void
respond_unchanged (HgRequest  *req,
                   const char *id)
{
  GError *error = NULL;
  g_autoptr(HgStaff) staff = hg_store_get_staff (hg_request_get_store (req), id, &error);

  if (staff == NULL)
    hg_request_fail (req, error);
  else
    hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_staff_to_node (staff));
}

void
hg_api_update_staff (HgRequest *req)
{
  GError *error = NULL;
  JsonObject *object = NULL;
  g_autoptr(JsonNode) body = admin_body (req, &object);
  StaffEdit *edit;

  if (body == NULL)
    return;
  edit = g_new0 (StaffEdit, 1);
  edit->req = req;
  edit->id = g_strdup (hg_request_get_param (req, 0));
  if (!parse_members (object, edit, &error))
    {
      staff_edit_free (edit);
      hg_request_fail (req, error);
      return;
    }
  if (changes_nothing (edit))
    {
      respond_unchanged (req, edit->id);
      staff_edit_free (edit);
      return;
    }
  hash_then_save (edit);
}

/* --- Integration keys ------------------------------------------------- */

static void
set_time_or_null (JsonObject *object,
                  const char *member,
                  gint64      ms)
{
  g_autofree char *text = ms > 0 ? hg_time_format (ms) : NULL;

  if (text != NULL)
    json_object_set_string_member (object, member, text);
  else
    json_object_set_null_member (object, member);
}

static JsonObject *
integration_object (const HgIntegration *integration)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", integration->id);
  json_object_set_string_member (object, "name", integration->name);
  if (integration->created_by != NULL)
    json_object_set_string_member (object, "created_by", integration->created_by);
  else
    json_object_set_null_member (object, "created_by");
  set_time_or_null (object, "created_at", integration->created_at);
  set_time_or_null (object, "revoked_at", integration->revoked_at);
  return object;
}

void
hg_api_list_integrations (HgRequest *req)
{
  GError *error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *array;
  JsonObject *object;

  if (!hg_request_require_role (req, ADMINS, &error) ||
      !(list = hg_store_list_integrations (hg_request_get_store (req), &error)))
    {
      hg_request_fail (req, error);
      return;
    }
  array = json_array_sized_new (list->len);
  for (guint i = 0; i < list->len; i++)
    json_array_add_object_element (array, integration_object (list->pdata[i]));
  object = json_object_new ();
  json_object_set_array_member (object, "integrations", array);
  hg_request_respond_json (req, SOUP_STATUS_OK, hg_json_node_new_object (object));
}

typedef struct {
  HgRequest *req;
  char      *key;
} NewKey;

static void
new_key_free (NewKey *new_key)
{
  if (new_key->key != NULL)
    memset (new_key->key, 0, strlen (new_key->key));
  g_free (new_key->key);
  g_free (new_key);
}

static void
integration_created (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  NewKey *new_key = user_data;
  HgRequest *req = new_key->req;
  GError *error = NULL;
  g_autoptr(HgIntegration) integration = hg_store_create_integration_finish (HG_STORE (source), result, &error);
  JsonObject *object;

  if (integration == NULL)
    {
      new_key_free (new_key);
      hg_request_fail (req, error);
      return;
    }
  g_message ("Integration key %" G_GINT64_FORMAT " (%s) created by %s", integration->id, integration->name,
             integration->created_by);
  /* The only time the key is shown: the server keeps its hash alone. */
  object = integration_object (integration);
  json_object_set_string_member (object, "key", new_key->key);
  new_key_free (new_key);
  hg_request_respond_json (req, SOUP_STATUS_CREATED, hg_json_node_new_object (object));
}

void
hg_api_create_integration (HgRequest *req)
{
  GError *error = NULL;
  JsonObject *object = NULL;
  g_autoptr(JsonNode) body = admin_body (req, &object);
  g_autofree char *actor = NULL;
  const char *name = NULL;
  guchar hash[HG_TOKEN_HASH_SIZE];
  NewKey *new_key;

  if (body == NULL)
    return;
  if (!hg_json_get_string (object, "name", MAX_KEY_NAME_LEN, &name, &error) ||
      (name == NULL && !invalid (&error, "missing_field", "name", "a key needs a name")) ||
      (!is_key_name (name) &&
       !invalid (&error, "invalid_field", "name", "a key's name is letters, digits, '.', '_' and '-'")))
    {
      hg_request_fail (req, error);
      return;
    }
  new_key = g_new0 (NewKey, 1);
  new_key->req = req;
  new_key->key = hg_auth_new_integration_key (hash, &error);
  if (new_key->key == NULL)
    {
      new_key_free (new_key);
      hg_request_fail (req, error);
      return;
    }
  actor = hg_principal_actor (hg_request_get_principal (req));
  hg_store_create_integration_async (hg_request_get_store (req), actor, name, hash,
                                     integration_created, new_key);
}

static void
integration_revoked (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  HgRequest *req = user_data;
  GError *error = NULL;

  if (!hg_store_revoke_integration_finish (HG_STORE (source), result, &error))
    hg_request_fail (req, error);
  else
    hg_request_respond_empty (req, SOUP_STATUS_NO_CONTENT);
}

void
hg_api_revoke_integration (HgRequest *req)
{
  GError *error = NULL;
  g_autofree char *actor = NULL;
  gint64 id;

  if (!hg_request_require_role (req, ADMINS, &error) || !hg_request_get_id (req, 0, &id, &error))
    {
      hg_request_fail (req, error);
      return;
    }
  actor = hg_principal_actor (hg_request_get_principal (req));
  hg_store_revoke_integration_async (hg_request_get_store (req), actor, id, integration_revoked, req);
}
