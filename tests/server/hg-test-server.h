/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The real server, in-process, on 127.0.0.1:0, on a copy of the demo
 * hospital; its main loop runs on a thread of its own so that the tests
 * can talk to it with a synchronous SoupSession, as any client would. */

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "hg-config.h"

G_BEGIN_DECLS

typedef struct _HgTestServer HgTestServer;

/* Runs on the database file before the server opens it: tests shape the
 * hospital here (take people off duty, …) with plain SQL. */
typedef void (*HgTestPrepareFunc) (const char *db_path,
                                   gpointer    user_data);

HgTestServer *hg_test_server_start      (HgTestPrepareFunc  prepare,
                                         gpointer           user_data);

/* Runs on the server's configuration after the harness set the address
 * and database: tests change escalation policies and the like here. */
typedef void (*HgTestConfigureFunc) (HgConfig *config,
                                     gpointer  user_data);

/* hg_test_server_start() with a say in the configuration. */
HgTestServer *hg_test_server_start_full (HgTestPrepareFunc   prepare,
                                         gpointer            prepare_data,
                                         HgTestConfigureFunc configure,
                                         gpointer            configure_data);
void          hg_test_server_stop       (HgTestServer      *ts);
const char   *hg_test_server_db_path    (HgTestServer      *ts);
/* Stops the server and starts it again on the same port and database. */
void          hg_test_server_restart    (HgTestServer      *ts);
/* The two halves of a restart, for an outage of the test's length: the
 * port stays unused (refused) until hg_test_server_come_back(). Only
 * hg_test_server_come_back() and hg_test_server_stop() may follow a
 * go_down. */
void          hg_test_server_go_down    (HgTestServer      *ts);
void          hg_test_server_come_back  (HgTestServer      *ts);
/* Stops the store but keeps serving, as after a disk failure. */
void          hg_test_server_close_store (HgTestServer     *ts);

/* Sends a request; @body may be NULL (no body) and is sent as
 * application/json unless @content_type says otherwise. Returns the parsed
 * JSON answer (NULL for an empty one or one that is not application/json)
 * and the status in @out_status. */
JsonNode     *hg_test_request_full      (HgTestServer      *ts,
                                         const char        *method,
                                         const char        *path,
                                         const char        *token,
                                         const char        *content_type,
                                         const char        *body,
                                         gsize              body_len,
                                         guint             *out_status,
                                         SoupMessageHeaders **out_headers);
JsonNode     *hg_test_request           (HgTestServer      *ts,
                                         const char        *method,
                                         const char        *path,
                                         const char        *token,
                                         const char        *body,
                                         guint             *out_status);
/* The healthguard-server program the tests that start it run
 * (HG_SERVER_BINARY, set by meson); fails the test when it is not set. */
const char   *hg_test_server_binary     (void);
/* Starts that program on @db (with --demo when @demo) and 127.0.0.1:0,
 * its standard error in @log, and waits for the line that names its port. */
GSubprocess  *hg_test_spawn_server      (const char        *db,
                                         const char        *log,
                                         gboolean           demo,
                                         guint             *out_port);
/* A request to a real healthguard-server process on 127.0.0.1:@port (the
 * tests that start the binary); asserts the status is @expected_status,
 * or any 2xx when it is 0. Returns the parsed JSON answer, NULL for an
 * empty one. */
JsonNode     *hg_test_request_port      (guint              port,
                                         const char        *method,
                                         const char        *path,
                                         const char        *token,
                                         const char        *body,
                                         guint              expected_status);
/* The server's address for @path ("http://127.0.0.1:PORT/path", or
 * https:// when it serves TLS). */
char         *hg_test_server_url        (HgTestServer      *ts,
                                         const char        *path);
/* Sends a message the test built itself (odd headers, no content type,
 * …) with the harness's session; asserts the exchange completed. Returns
 * the parsed JSON answer (NULL for an empty one); the status and headers
 * are on @msg. */
JsonNode     *hg_test_send_message      (HgTestServer      *ts,
                                         SoupMessage       *msg);
/* Signs in with the demo password; asserts it works. */
char         *hg_test_login             (HgTestServer      *ts,
                                         const char        *staff_id);
/* Posts one alert as @token and returns the answer; asserts 201. */
JsonNode     *hg_test_post_alert        (HgTestServer      *ts,
                                         const char        *token,
                                         const char        *body);

/* A self-signed certificate for 127.0.0.1 and localhost and its key,
 * made with the openssl program once per test program. */
const char   *hg_test_tls_certificate   (void);
const char   *hg_test_tls_key           (void);
/* A database that trusts that certificate and nothing else, for
 * sessions' "tls-database" (the harness's own session uses it when the
 * server serves TLS). */
GTlsDatabase *hg_test_tls_database      (void);
/* A HgTestConfigureFunc: serve HTTPS and WSS with that certificate. */
void          hg_test_configure_tls     (HgConfig          *config,
                                         gpointer           user_data);
/* The port the server listens on. */
guint         hg_test_server_port       (HgTestServer      *ts);

/* Runs SQL on a database file (outside the server). */
void          hg_test_sql               (const char        *db_path,
                                         const char        *sql);
gint64        hg_test_sql_int           (const char        *db_path,
                                         const char        *sql);
/* The first column of the first row as text (NULL for NULL). */
char         *hg_test_sql_text          (const char        *db_path,
                                         const char        *sql);
/* A fingerprint of every row and version the API can change: equal before
 * and after a refused request means nothing was stored. */
char         *hg_test_fingerprint       (const char        *db_path);

/* Small JSON readers for assertions ("incident.assignee.id" paths). */
JsonNode     *hg_test_json_get          (JsonNode          *node,
                                         const char        *path);
const char   *hg_test_json_string       (JsonNode          *node,
                                         const char        *path);
gint64        hg_test_json_int          (JsonNode          *node,
                                         const char        *path);
gboolean      hg_test_json_is_null      (JsonNode          *node,
                                         const char        *path);

G_END_DECLS
