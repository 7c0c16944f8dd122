/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance: HTTPS and WSS work with a self-signed certificate made in
 * the test; plain HTTP on a non-loopback address is refused at start.
 *
 * Clients trust the test certificate and nothing else (never "accept
 * any"). The start-up rules are checked on the real program
 * (HG_SERVER_BINARY), whose exit status and message are what an
 * administrator sees. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "hg-error.h"
#include "hg-listener.h"
#include "hg-test-server.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif

#ifdef HAVE_ASAN
/* As in test-connections.c: GCC 12's LeakSanitizer crashes at exit on the
 * thread-local storage of GnuTLS's late-loaded modules. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "intercept_tls_get_addr=0";
}
#endif

static SoupSession *
trusting_session (void)
{
  g_autoptr(GTlsDatabase) database = hg_test_tls_database ();
  SoupSession *session = soup_session_new_with_options ("timeout", 30, NULL);

  soup_session_set_tls_database (session, database);
  return session;
}

static guint
get_status (SoupSession *session,
            const char  *url,
            GError     **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, error);

  return body ? soup_message_get_status (msg) : 0;
}

/* --- In process ------------------------------------------------------- */

static void
test_https (void)
{
  HgTestServer *ts = hg_test_server_start_full (NULL, NULL, hg_test_configure_tls, NULL);
  g_autofree char *url = hg_test_server_url (ts, "/health");
  g_autofree char *token = NULL;
  g_autoptr(SoupSession) session = trusting_session ();
  g_autoptr(SoupSession) untrusting = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GTlsCertificate) expected = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  g_assert_true (g_str_has_prefix (url, "https://"));
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  /* The server presented the test's certificate, and the session
   * checked it. */
  expected = g_tls_certificate_new_from_file (hg_test_tls_certificate (), &error);
  g_assert_no_error (error);
  g_assert_true (g_tls_certificate_is_same (soup_message_get_tls_peer_certificate (msg), expected));
  g_assert_cmpuint (soup_message_get_tls_peer_certificate_errors (msg), ==, 0);

  /* A client that does not trust it gets no answer at all. */
  g_assert_cmpuint (get_status (untrusting, url, &error), ==, 0);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);

  /* The whole API works over it: sign in, then an authorised request. */
  token = hg_test_login (ts, "N01");
  me = hg_test_request (ts, "GET", "/api/v1/me", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hg_test_json_string (me, "id"), ==, "N01");
  hg_test_server_stop (ts);
}

static void
on_frame (SoupWebsocketConnection *conn,
          SoupWebsocketDataType    type,
          GBytes                  *message,
          gpointer                 user_data)
{
  GBytes **out = user_data;

  if (*out == NULL)
    *out = g_bytes_ref (message);
}

static void
on_every_frame (SoupWebsocketConnection *conn,
                SoupWebsocketDataType    type,
                GBytes                  *message,
                gpointer                 user_data)
{
  g_ptr_array_add (user_data, g_bytes_ref (message));
}

static void
connected (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_wss (void)
{
  HgTestServer *ts = hg_test_server_start_full (NULL, NULL, hg_test_configure_tls, NULL);
  g_autofree char *token = hg_test_login (ts, "S01");
  g_autofree char *url = hg_test_server_url (ts, "/api/v1/stream");
  g_autofree char *bearer = g_strdup_printf ("Bearer %s", token);
  g_autoptr(SoupSession) session = trusting_session ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autoptr(GBytes) hello = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, connected, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  conn = soup_session_websocket_connect_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (soup_message_get_tls_peer_certificate (msg));

  g_signal_connect (conn, "message", G_CALLBACK (on_frame), &hello);
  while (hello == NULL && soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (hello);
  json_parser_load_from_data (parser, g_bytes_get_data (hello, NULL), g_bytes_get_size (hello), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hg_test_json_string (json_parser_get_root (parser), "type"), ==, "hello");
  g_signal_handlers_disconnect_by_data (conn, &hello);

  /* A new incident's events leave in one commit, written together under
   * TLS too (the socket under it is corked): every one arrives, in order. */
  {
    g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    g_autoptr(JsonNode) posted = NULL;
    gboolean created = FALSE, staff = FALSE;
    gint64 last_seq = hg_test_json_int (json_parser_get_root (parser), "data.last_seq");
    g_autofree char *resume = NULL;

    g_signal_connect (conn, "message", G_CALLBACK (on_every_frame), frames);
    resume = g_strdup_printf ("{\"type\": \"resume\", \"since\": %" G_GINT64_FORMAT "}", last_seq);
    soup_websocket_connection_send_text (conn, resume);
    posted = hg_test_post_alert (ts, token, "{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\"}");
    for (guint i = 0; !(created && staff); i++)
      {
        g_autoptr(JsonParser) frame = json_parser_new ();
        const char *type;

        while (frames->len <= i && soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
          g_main_context_iteration (NULL, TRUE);
        g_assert_cmpuint (frames->len, >, i);
        json_parser_load_from_data (frame, g_bytes_get_data (frames->pdata[i], NULL),
                                    g_bytes_get_size (frames->pdata[i]), &error);
        g_assert_no_error (error);
        g_assert_cmpint (hg_test_json_int (json_parser_get_root (frame), "seq"), >, last_seq);
        last_seq = hg_test_json_int (json_parser_get_root (frame), "seq");
        type = hg_test_json_string (json_parser_get_root (frame), "type");
        if (g_str_equal (type, "incident.created"))
          {
            g_assert_cmpint (hg_test_json_int (json_parser_get_root (frame), "data.id"), ==,
                             hg_test_json_int (posted, "incident.id"));
            created = TRUE;
          }
        staff |= g_str_equal (type, "staff.updated");
      }
    g_signal_handlers_disconnect_by_data (conn, frames);
  }

  soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  while (soup_websocket_connection_get_state (conn) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
  hg_test_server_stop (ts);
}

/* A plain HTTP request to the TLS port fails its handshake and is dropped
 * without an HTTP answer. */
static void
test_plain_to_tls_port (void)
{
  HgTestServer *ts = hg_test_server_start_full (NULL, NULL, hg_test_configure_tls, NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/health", hg_test_server_port (ts));
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (get_status (session, url, &error), ==, 0);
  g_assert_nonnull (error);
  g_test_message ("plain HTTP to the TLS port: %s", error->message);
  hg_test_server_stop (ts);
}

/* What "openssl s_client -VERSION" gets back for a GET /health. */
static char *
s_client (guint       port,
          const char *version)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);
  /* SECLEVEL=0 lets openssl itself speak the old versions at all. */
  const char *argv[] = { "openssl", "s_client", "-connect", address, version,
                         "-cipher", "DEFAULT@SECLEVEL=0", "-quiet", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "GET /health HTTP/1.0\r\n\r\n", NULL, &out, NULL, &error);
  g_assert_no_error (error);
  return out;
}

/* GIO has no minimum version to set, and Debian 12's gnutls still speaks
 * TLS 1.0 and 1.1: the server must drop them itself. */
static void
test_old_versions_refused (void)
{
  HgTestServer *ts = hg_test_server_start_full (NULL, NULL, hg_test_configure_tls, NULL);
  guint port = hg_test_server_port (ts);
  g_autofree char *v12 = s_client (port, "-tls1_2");
  g_autofree char *v13 = s_client (port, "-tls1_3");
  g_autofree char *v11 = s_client (port, "-tls1_1");
  g_autofree char *v10 = s_client (port, "-tls1");

  g_assert_true (g_str_has_prefix (v12, "HTTP/1.0 200"));
  g_assert_true (g_str_has_prefix (v13, "HTTP/1.0 200"));
  g_assert_cmpstr (v11, ==, "");
  g_assert_cmpstr (v10, ==, "");
  hg_test_server_stop (ts);
}

static void
test_plain_policy (void)
{
  static const struct {
    const char *host;
    gboolean    allowed;
  } cases[] = {
    { "127.0.0.1", TRUE }, { "127.1.2.3", TRUE }, { "::1", TRUE },
    { "0.0.0.0", FALSE }, { "::", FALSE }, { "10.1.2.3", FALSE }, { "192.0.2.7", FALSE },
    { "fe80::1", FALSE }, { "::ffff:127.0.0.1", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HgConfig) config = hg_config_new_default ();
      g_autoptr(GError) error = NULL;

      g_free (config->listen_host);
      config->listen_host = g_strdup (cases[i].host);
      g_assert_cmpint (hg_listener_check_config (config, &error), ==, cases[i].allowed);
      if (!cases[i].allowed)
        {
          g_assert_error (error, HG_ERROR, HG_ERROR_INVALID);
          g_assert_nonnull (strstr (error->message, "refusing plain HTTP"));
          g_clear_error (&error);
          config->allow_plain_http = TRUE;
          g_assert_true (hg_listener_check_config (config, &error));
          g_assert_no_error (error);
          /* With TLS any address will do. */
          config->allow_plain_http = FALSE;
          hg_test_configure_tls (config, NULL);
          g_assert_true (hg_listener_check_config (config, &error));
          g_assert_no_error (error);
        }
    }
}

/* --- The real program ------------------------------------------------- */

typedef struct {
  GSubprocess      *process;
  GDataInputStream *log;
  GString          *text;   /* what it wrote to stderr so far */
  char             *url;    /* from "Listening on …" */
} Program;

static const char *
server_binary (void)
{
  const char *binary = g_getenv ("HG_SERVER_BINARY");

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("HG_SERVER_BINARY must name the healthguard-server program (run with meson test)");
  return binary;
}

/* A failed assertion ends the test before it stops the server: the
 * server then goes with it instead of listening on forever. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The program with @args after --database; @quiet_ok: without
 * G_DEBUG=fatal-warnings, for runs that must warn. */
static GSubprocess *
spawn (const char *const *args,
       gboolean           quiet_ok,
       char             **out_dir)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  *out_dir = g_dir_make_tmp ("hg-tls-run-XXXXXX", &error);
  g_assert_no_error (error);
  if (quiet_ok)
    g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_ptr_array_add (argv, g_strdup (server_binary ()));
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, g_build_filename (*out_dir, "server.db", NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Runs a start that must be refused: exit status 2 and @message on
 * stderr, and no database created. */
static void
assert_refused (const char *const *args,
                const char        *message)
{
  g_autofree char *dir = NULL;
  g_autoptr(GSubprocess) process = spawn (args, FALSE, &dir);
  g_autofree char *err = NULL;
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_nonnull (strstr (err, message));
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  remove_dir (dir);
}

/* Starts the program and reads its log up to "Listening on". */
static Program *
program_start (const char *const *args,
               gboolean           quiet_ok,
               char             **out_dir)
{
  Program *program = g_new0 (Program, 1);
  char *line;

  program->process = spawn (args, quiet_ok, out_dir);
  program->log = g_data_input_stream_new (g_subprocess_get_stderr_pipe (program->process));
  program->text = g_string_new (NULL);
  while (program->url == NULL &&
         (line = g_data_input_stream_read_line (program->log, NULL, NULL, NULL)) != NULL)
    {
      const char *at = strstr (line, "Listening on ");

      g_string_append_printf (program->text, "%s\n", line);
      /* "Listening on https://127.0.0.1:PORT/": keep it without the "/". */
      if (at != NULL && g_str_has_suffix (at, "/"))
        program->url = g_strndup (at + strlen ("Listening on "), strlen (at) - strlen ("Listening on ") - 1);
      g_free (line);
    }
  if (program->url == NULL)
    g_error ("healthguard-server did not start:\n%s", program->text->str);
  return program;
}

/* SIGTERM, then its exit status must be 0. */
static void
program_stop (Program *program)
{
  g_autoptr(GError) error = NULL;
  char *line;

  g_subprocess_send_signal (program->process, SIGTERM);
  while ((line = g_data_input_stream_read_line (program->log, NULL, NULL, NULL)) != NULL)
    {
      g_string_append_printf (program->text, "%s\n", line);
      g_free (line);
    }
  g_subprocess_wait_check (program->process, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (program->log);
  g_object_unref (program->process);
  g_string_free (program->text, TRUE);
  g_free (program->url);
  g_free (program);
}

static void
test_binary_refuses_plain (void)
{
  static const char *const any4[] = { "--listen", "0.0.0.0:0", NULL };
  static const char *const any6[] = { "--listen", "[::]:0", NULL };
  static const char *const lan[] = { "--listen", "192.0.2.7:8088", NULL };

  assert_refused (any4, "refusing plain HTTP on 0.0.0.0");
  assert_refused (any6, "refusing plain HTTP on ::");
  assert_refused (lan, "refusing plain HTTP on 192.0.2.7");
}

/* allow_plain_http=true lets it start on every address, with a warning. */
static void
test_binary_allow_plain_http (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  int fd = g_file_open_tmp ("hg-tls-XXXXXX.conf", &config, &error);
  const char *args[] = { "--config", config, "--listen", "0.0.0.0:0", NULL };
  g_autofree char *dir = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *local = NULL;
  Program *program;
  guint port;

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (config, "[server]\nallow_plain_http=true\n", -1, &error);
  g_assert_no_error (error);
  program = program_start (args, TRUE, &dir);
  g_assert_true (g_str_has_prefix (program->url, "http://0.0.0.0:"));
  g_assert_nonnull (strstr (program->text->str, "Serving plain HTTP on 0.0.0.0"));
  port = g_ascii_strtoull (program->url + strlen ("http://0.0.0.0:"), NULL, 10);
  local = g_strdup_printf ("http://127.0.0.1:%u/health", port);
  g_assert_cmpuint (get_status (session, local, &error), ==, 200);
  g_assert_no_error (error);
  program_stop (program);
  g_unlink (config);
  remove_dir (dir);
}

static void
test_binary_https (void)
{
  const char *args[] = { "--listen", "127.0.0.1:0", "--tls-certificate", hg_test_tls_certificate (),
                         "--tls-key", hg_test_tls_key (), NULL };
  g_autofree char *dir = NULL;
  g_autoptr(SoupSession) session = trusting_session ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *v11 = NULL;
  Program *program = program_start (args, FALSE, &dir);
  guint port;

  g_assert_true (g_str_has_prefix (program->url, "https://127.0.0.1:"));
  url = g_strconcat (program->url, "/health", NULL);
  g_assert_cmpuint (get_status (session, url, &error), ==, 200);
  g_assert_no_error (error);
  /* The program offers no TLS older than 1.2 in the handshake itself. */
  port = g_ascii_strtoull (program->url + strlen ("https://127.0.0.1:"), NULL, 10);
  v11 = s_client (port, "-tls1_1");
  g_assert_cmpstr (v11, ==, "");
  program_stop (program);
  remove_dir (dir);
}

static void
test_binary_bad_certificate (void)
{
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "hg-no-such-cert.pem", NULL);
  const char *no_file[] = { "--tls-certificate", missing, "--tls-key", hg_test_tls_key (), NULL };
  const char *no_key[] = { "--tls-certificate", hg_test_tls_certificate (), NULL };
  const char *key_as_cert[] = { "--tls-certificate", hg_test_tls_key (), "--tls-key", hg_test_tls_key (), NULL };
  const char *cert_as_key[] = { "--tls-certificate", hg_test_tls_certificate (),
                                "--tls-key", hg_test_tls_certificate (), NULL };

  assert_refused (no_file, "cannot load the TLS certificate");
  assert_refused (no_file, missing);
  assert_refused (no_key, "tls_certificate and tls_key go together");
  assert_refused (key_as_cert, "cannot load the TLS certificate");
  assert_refused (cert_as_key, "cannot load the TLS certificate");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/tls/https", test_https);
  g_test_add_func ("/server/tls/wss", test_wss);
  g_test_add_func ("/server/tls/plain-to-tls-port", test_plain_to_tls_port);
  g_test_add_func ("/server/tls/old-versions-refused", test_old_versions_refused);
  g_test_add_func ("/server/tls/plain-policy", test_plain_policy);
  g_test_add_func ("/server/tls/binary/refuses-plain", test_binary_refuses_plain);
  g_test_add_func ("/server/tls/binary/allow-plain-http", test_binary_allow_plain_http);
  g_test_add_func ("/server/tls/binary/https", test_binary_https);
  g_test_add_func ("/server/tls/binary/bad-certificate", test_binary_bad_certificate);
  return g_test_run ();
}
