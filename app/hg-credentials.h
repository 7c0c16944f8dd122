/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The password of a member of staff on one server, kept in the secret
 * service (GNOME Keyring, KWallet) when they ask to be remembered on a
 * workstation. Nothing else is kept there: the server address and the
 * staff id are settings, and the token lives only in memory. */

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/* "org.healthguard.Ops.Credentials", attributes "server" and "staff-id". */
const SecretSchema *hg_credentials_get_schema    (void);

void                hg_credentials_store_async   (const char           *server,
                                                  const char           *staff_id,
                                                  const char           *password,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean            hg_credentials_store_finish  (GAsyncResult         *result,
                                                  GError              **error);

/* Finds the password for @staff_id on @server. */
void                hg_credentials_lookup_async  (const char           *server,
                                                  const char           *staff_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* Returns the password, or NULL without an error when none is kept. Free
 * it with secret_password_free(): it lives in non-swappable memory. */
char               *hg_credentials_lookup_finish (GAsyncResult         *result,
                                                  GError              **error);

/* Forgets the password for @staff_id on @server; forgetting one that was
 * never kept is not an error. */
void                hg_credentials_clear_async   (const char           *server,
                                                  const char           *staff_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean            hg_credentials_clear_finish  (GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
