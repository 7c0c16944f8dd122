/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <string.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "hg-error.h"
#include "hg-head-filter.h"
#include "hg-listener.h"

/* A client that connects and never finishes its handshake would hold a
 * socket for as long as it likes. */
#define HANDSHAKE_TIMEOUT_S 10

struct _HgListener {
  GObject          parent_instance;
  const HgConfig  *config;
  SoupServer      *soup;           /* NULL once stopped */
  GTlsCertificate *certificate;    /* NULL: plain HTTP */
  GSocketService  *service;
  GHashTable      *handshakes;     /* Handshake* under way */
  guint            port;
  gboolean         keep_alive;
};

G_DEFINE_FINAL_TYPE (HgListener, hg_listener, G_TYPE_OBJECT)

typedef struct {
  HgListener     *listener;
  GIOStream      *tls;
  GSocketAddress *local;
  GSocketAddress *remote;
  GCancellable   *cancellable;
  GSource        *timeout;
} Handshake;

/* --- Settings --------------------------------------------------------- */

static gboolean
is_set (const char *value)
{
  return value != NULL && value[0] != '\0';
}

/* NULL in *out without TLS. */
static gboolean
load_certificate (const HgConfig   *config,
                  GTlsCertificate **out,
                  GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  *out = NULL;
  if (!is_set (config->tls_certificate) && !is_set (config->tls_key))
    return TRUE;
  if (!is_set (config->tls_certificate) || !is_set (config->tls_key))
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, is_set (config->tls_key) ? "tls_certificate" : "tls_key",
                    "tls_certificate and tls_key go together: set both, or neither");
      return FALSE;
    }
  /* Without glib-networking GLib has no TLS at all, and would only say so
   * at the first connection. */
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, "tls_certificate",
                    "TLS is not available: GLib has no TLS backend (install glib-networking)");
      return FALSE;
    }
  *out = g_tls_certificate_new_from_files (config->tls_certificate, config->tls_key, &local_error);
  if (*out == NULL)
    {
      hg_set_error (error, HG_ERROR_INVALID, NULL, "tls_certificate",
                    "cannot load the TLS certificate %s with the key %s: %s",
                    config->tls_certificate, config->tls_key, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Passwords, tokens and patient data must not cross a ward network in
 * the clear; on the host itself (the demo, a local proxy) they do not. */
static gboolean
check_plain (const HgConfig  *config,
             GError         **error)
{
  if (is_loopback (config->listen_host) || config->allow_plain_http)
    return TRUE;
  hg_set_error (error, HG_ERROR_INVALID, NULL, "listen",
                "refusing plain HTTP on %s, which is not a loopback address: set tls_certificate "
                "and tls_key (or --tls-certificate and --tls-key), or, behind a TLS-terminating "
                "proxy, allow_plain_http=true in [server]", config->listen_host);
  return FALSE;
}

static gboolean
check_address (const HgConfig  *config,
               GError         **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (config->listen_host);

  if (address != NULL)
    return TRUE;
  hg_set_error (error, HG_ERROR_INVALID, NULL, "listen", "“%s” is not an IP address", config->listen_host);
  return FALSE;
}

static gboolean
check_config (const HgConfig   *config,
              GTlsCertificate **out_certificate,
              GError          **error)
{
  return check_address (config, error) &&
         load_certificate (config, out_certificate, error) &&
         (*out_certificate != NULL || check_plain (config, error));
}

gboolean
hg_listener_check_config (const HgConfig  *config,
                          GError         **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;

  return check_config (config, &certificate, error);
}

/* --- Connections ------------------------------------------------------ */

static void
handshake_free (Handshake *hs)
{
  g_source_destroy (hs->timeout);
  g_source_unref (hs->timeout);
  g_object_unref (hs->cancellable);
  g_object_unref (hs->local);
  g_object_unref (hs->remote);
  /* The last reference: closes the socket of a connection never served. */
  g_object_unref (hs->tls);
  g_object_unref (hs->listener);
  g_free (hs);
}

static gboolean
handshake_timed_out (gpointer data)
{
  Handshake *hs = data;

  g_cancellable_cancel (hs->cancellable);
  return G_SOURCE_REMOVE;
}

/* Every connection reaches libsoup through the head filter, which keeps
 * from it the request heads it would leak memory on (hg-head-filter.h). */
static void
serve (HgListener     *self,
       GIOStream      *stream,
       GSocketAddress *local,
       GSocketAddress *remote)
{
  g_autoptr(GIOStream) screened = hg_head_filter_new (stream, self->config->idle_timeout);
  g_autoptr(GError) error = NULL;

  if (!soup_server_accept_iostream (self->soup, screened, local, remote, &error))
    g_debug ("Could not serve a connection: %s", error->message);
}

/* Debian 12's gnutls still negotiates TLS 1.0 and 1.1 unless told
 * otherwise (main.c tells it), and GIO has no minimum version to set: a
 * library user or an overriding G_TLS_GNUTLS_PRIORITY must not lower the
 * floor, so it is checked here too. */
static gboolean
is_modern (GTlsConnection *tls)
{
  GTlsProtocolVersion version = g_tls_connection_get_protocol_version (tls);

  return version == G_TLS_PROTOCOL_VERSION_TLS_1_2 || version == G_TLS_PROTOCOL_VERSION_TLS_1_3;
}

static void
handshake_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Handshake *hs = user_data;
  HgListener *self = hs->listener;
  g_autoptr(GError) error = NULL;

  g_hash_table_remove (self->handshakes, hs);
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    g_debug ("TLS handshake failed: %s", error->message);
  else if (!is_modern (G_TLS_CONNECTION (source)))
    g_debug ("Dropping a client that speaks TLS older than 1.2");
  else if (self->soup == NULL)
    g_debug ("TLS handshake finished after the server stopped");
  else
    /* libsoup reads and writes the TLS stream as if it were plain. */
    serve (self, hs->tls, hs->local, hs->remote);
  handshake_free (hs);
}

/* Handshakes first and hands the connection to libsoup only then: a
 * client that speaks no TLS, or not the versions we accept, is dropped
 * here without ever reaching HTTP. */
static void
start_handshake (HgListener        *self,
                 GSocketConnection *connection,
                 GSocketAddress    *local,
                 GSocketAddress    *remote)
{
  g_autoptr(GError) error = NULL;
  GIOStream *tls = g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate, &error);
  Handshake *hs;

  if (tls == NULL)
    {
      g_warning ("Cannot start TLS on a connection: %s", error->message);
      return;
    }
  /* HTTP frames its own messages, so a peer that closes without TLS's
   * close_notify cannot truncate one unseen. */
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
  hs = g_new0 (Handshake, 1);
  hs->listener = g_object_ref (self);
  hs->tls = tls;
  hs->local = g_object_ref (local);
  hs->remote = g_object_ref (remote);
  hs->cancellable = g_cancellable_new ();
  hs->timeout = g_timeout_source_new_seconds (HANDSHAKE_TIMEOUT_S);
  g_source_set_callback (hs->timeout, handshake_timed_out, hs, NULL);
  g_source_attach (hs->timeout, g_main_context_get_thread_default ());
  g_hash_table_add (self->handshakes, hs);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, hs->cancellable,
                                    handshake_done, hs);
}

/* We accept connections ourselves and hand them to libsoup: its own
 * listener in 3.2 (Debian 12) leaks every accepted GSocket, a few hundred
 * bytes per connection, and a server that runs for months cannot. For
 * the same reason libsoup's own TLS (soup_server_set_tls_certificate,
 * which only its listeners use) does not apply: we wrap the connection
 * ourselves. */
static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  HgListener *self = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

  if (local == NULL || remote == NULL || self->soup == NULL)
    return TRUE;   /* the client is already gone, or we are */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  if (self->certificate != NULL)
    start_handshake (self, connection, local, remote);
  else
    serve (self, G_IO_STREAM (connection), local, remote);
  return TRUE;
}

static gboolean
bind_service (HgListener  *self,
              GError     **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  address = g_inet_socket_address_new_from_string (self->config->listen_host, self->config->listen_port);
  self->service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self->service), 1024);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, error))
    return FALSE;
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return TRUE;
}

/* libsoup 3.2 keeps a connection open after an answer only if the server
 * has a listener of its own (request_finished() in soup-server.c), and
 * ours are not libsoup's. It gets one no client can reach: a Unix socket
 * whose name is removed as soon as it listens. Without it, every answer
 * closes its connection, as it did before: slower, never wrong. */
static gboolean
add_unreachable_listener (HgListener  *self,
                          GError     **error)
{
  g_autofree char *dir = g_dir_make_tmp ("healthguard-XXXXXX", error);
  g_autofree char *path = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  gboolean ok;

  if (dir == NULL)
    return FALSE;
  path = g_build_filename (dir, "unreachable", NULL);
  address = g_unix_socket_address_new (path);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  ok = socket != NULL && g_socket_bind (socket, address, FALSE, error) && g_socket_listen (socket, error) &&
       soup_server_listen_socket (self->soup, socket, 0, error);
  g_unlink (path);
  g_rmdir (dir);
  return ok;
}

/* Tools and tests read this line for the address: keep its form. */
static void
announce (HgListener *self)
{
  const char *host = self->config->listen_host;
  gboolean v6 = strchr (host, ':') != NULL;

  if (self->certificate == NULL && !is_loopback (host))
    g_warning ("Serving plain HTTP on %s (allow_plain_http=true): passwords, tokens and patient data "
               "cross the network unencrypted unless a TLS proxy on this host is the only way in",
               host);
  g_message ("Listening on %s://%s%s%s:%u/", self->certificate ? "https" : "http",
             v6 ? "[" : "", host, v6 ? "]" : "", self->port);
}

HgListener *
hg_listener_start (const HgConfig  *config,
                   SoupServer      *soup,
                   GError         **error)
{
  g_autoptr(HgListener) self = g_object_new (HG_TYPE_LISTENER, NULL);

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);

  self->config = config;
  if (!check_config (config, &self->certificate, error))
    return NULL;
  self->soup = g_object_ref (soup);
  if (!bind_service (self, error))
    return NULL;
  {
    g_autoptr(GError) local_error = NULL;

    self->keep_alive = add_unreachable_listener (self, &local_error);
    if (!self->keep_alive)
      g_warning ("Closing every connection after its answer (no keep-alive): %s", local_error->message);
  }
  announce (self);
  return g_steal_pointer (&self);
}

void
hg_listener_stop (HgListener *self)
{
  GHashTableIter iter;
  gpointer hs;

  g_return_if_fail (HG_IS_LISTENER (self));

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_signal_handlers_disconnect_by_data (self->service, self);
    }
  g_clear_object (&self->service);
  /* Each handshake ends in handshake_done, which frees it. */
  g_hash_table_iter_init (&iter, self->handshakes);
  while (g_hash_table_iter_next (&iter, &hs, NULL))
    g_cancellable_cancel (((Handshake *) hs)->cancellable);
  g_clear_object (&self->soup);
}

gboolean
hg_listener_get_keep_alive (HgListener *self)
{
  g_return_val_if_fail (HG_IS_LISTENER (self), FALSE);
  return self->keep_alive;
}

guint
hg_listener_get_port (HgListener *self)
{
  g_return_val_if_fail (HG_IS_LISTENER (self), 0);
  return self->port;
}

static void
hg_listener_dispose (GObject *object)
{
  HgListener *self = HG_LISTENER (object);

  hg_listener_stop (self);
  g_clear_object (&self->certificate);
  G_OBJECT_CLASS (hg_listener_parent_class)->dispose (object);
}

static void
hg_listener_finalize (GObject *object)
{
  HgListener *self = HG_LISTENER (object);

  g_hash_table_unref (self->handshakes);
  G_OBJECT_CLASS (hg_listener_parent_class)->finalize (object);
}

static void
hg_listener_class_init (HgListenerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hg_listener_dispose;
  G_OBJECT_CLASS (klass)->finalize = hg_listener_finalize;
}

static void
hg_listener_init (HgListener *self)
{
  self->handshakes = g_hash_table_new (NULL, NULL);
}
