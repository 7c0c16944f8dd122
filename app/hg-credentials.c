/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-credentials.h"

const SecretSchema *
hg_credentials_get_schema (void)
{
  static const SecretSchema schema = {
    "org.healthguard.Ops.Credentials", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "staff-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* Our own GTask around each libsecret call: the callers get the house's
 * _async/_finish pair with a source tag, and libsecret stays an
 * implementation detail. */
static GTask *
new_task (gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

static void
stored (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
hg_credentials_store_async (const char          *server,
                            const char          *staff_id,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (server != NULL && staff_id != NULL && password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (hg_credentials_store_async, cancellable, callback, user_data);
  /* Translators: the name of the password in the keyring: staff id, server address */
  label = g_strdup_printf (_("HealthGuard password for %s on %s"), staff_id, server);
  secret_password_store (hg_credentials_get_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, stored, task,
                         "server", server,
                         "staff-id", staff_id,
                         NULL);
}

gboolean
hg_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hg_credentials_store_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
hg_credentials_lookup_async (const char          *server,
                             const char          *staff_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (server != NULL && staff_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (hg_credentials_lookup_async, cancellable, callback, user_data);
  secret_password_lookup (hg_credentials_get_schema (), cancellable, looked_up, task,
                          "server", server,
                          "staff-id", staff_id,
                          NULL);
}

char *
hg_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hg_credentials_lookup_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cleared (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to forget, which is fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
hg_credentials_clear_async (const char          *server,
                            const char          *staff_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (server != NULL && staff_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (hg_credentials_clear_async, cancellable, callback, user_data);
  secret_password_clear (hg_credentials_get_schema (), cancellable, cleared, task,
                         "server", server,
                         "staff-id", staff_id,
                         NULL);
}

gboolean
hg_credentials_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hg_credentials_clear_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
