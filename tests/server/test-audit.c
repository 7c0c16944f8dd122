/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The audit trail: each audited event writes its row with the right actor,
 * action and object; the rows form a SHA-256 chain that verifies; the
 * triggers refuse UPDATE and DELETE; GET /api/v1/audit is for admins.
 *
 * Acceptance 4: `healthguard-server --verify-audit` passes on a healthy
 * database and fails after a row is altered, or the last one deleted, with
 * the triggers dropped first. That part runs the real program
 * (HG_SERVER_BINARY, set by meson). */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sqlite3.h>

#include <glib/gstdio.h>

#include "hg-audit.h"
#include "hg-audit-verify.h"
#include "hg-store.h"
#include "hg-test-server.h"

#define POLL_MS          50
#define WAIT_MS          10000
#define START_TIMEOUT_MS 60000

typedef struct {
  HgTestServer *ts;
  const char   *db;
  char         *admin;    /* A01 */
} Fixture;

static void
fixture_start (Fixture             *f,
               HgTestConfigureFunc  configure)
{
  f->ts = hg_test_server_start_full (NULL, NULL, configure, NULL);
  f->db = hg_test_server_db_path (f->ts);
  f->admin = hg_test_login (f->ts, "A01");
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  fixture_start (f, NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_free (f->admin);
  hg_test_server_stop (f->ts);
}

/* --- Reading the trail ------------------------------------------------ */

static JsonNode *
get_audit (Fixture    *f,
           const char *query,
           const char *token,
           guint       expected_status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/audit%s%s", query ? "?" : "", query ? query : "");
  guint status;
  JsonNode *answer = hg_test_request (f->ts, "GET", path, token ? token : f->admin, NULL, &status);

  g_assert_cmpuint (status, ==, expected_status);
  return answer;
}

/* The newest row of @action, through the API. */
static JsonNode *
latest (Fixture    *f,
        const char *action)
{
  g_autofree char *query = g_strdup_printf ("action=%s&limit=1", action);
  g_autoptr(JsonNode) page = get_audit (f, query, NULL, 200);
  JsonNode *entry = hg_test_json_get (page, "entries.0");

  g_assert_nonnull (entry);
  return json_node_copy (entry);
}

static gint64
count_action (Fixture    *f,
              const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE action = '%s'", action);

  return hg_test_sql_int (f->db, sql);
}

static void
assert_entry (JsonNode   *entry,
              const char *actor,
              const char *action,
              const char *object)
{
  g_assert_cmpstr (hg_test_json_string (entry, "actor"), ==, actor);
  g_assert_cmpstr (hg_test_json_string (entry, "action"), ==, action);
  g_assert_cmpstr (hg_test_json_string (entry, "object"), ==, object);
  g_assert_cmpuint (strlen (hg_test_json_string (entry, "hash")), ==, 64);
  g_assert_nonnull (hg_test_json_string (entry, "at"));
}

static void
assert_chain_ok (const char *db_path)
{
  g_auto(HgAuditCheck) check = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (hg_audit_verify_file (db_path, &check, &error));
  g_assert_no_error (error);
  if (check.broken)
    g_test_message ("broken at %" G_GINT64_FORMAT ": %s", check.broken_id, check.reason);
  g_assert_false (check.broken);
  g_assert_cmpint (check.rows, ==, hg_test_sql_int (db_path, "SELECT count(*) FROM audit"));
}

static char *
object_of (const char *kind,
           JsonNode   *answer,
           const char *path)
{
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT, kind, hg_test_json_int (answer, path));
}

static void
post_ok (Fixture    *f,
         const char *path,
         const char *token,
         const char *body)
{
  guint status;
  g_autoptr(JsonNode) answer = hg_test_request (f->ts, "POST", path, token, body, &status);

  g_assert_cmpuint (status, <, 300);
}

static guint
try_login (Fixture    *f,
           const char *staff_id,
           const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"%s\", \"password\": \"%s\"}", staff_id, password);
  guint status;
  g_autoptr(JsonNode) answer = hg_test_request (f->ts, "POST", "/api/v1/auth/login", NULL, body, &status);

  return status;
}

/* --- Authentication --------------------------------------------------- */

static void
test_login (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N01");
  g_autoptr(JsonNode) entry = latest (f, "auth.login");

  assert_entry (entry, "N01", "auth.login", "staff:N01");
  g_assert_cmpstr (hg_test_json_string (entry, "detail.station"), ==, "test");
  g_assert_cmpstr (hg_test_json_string (entry, "detail.address"), ==, "127.0.0.1");
}

static void
test_login_failed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) wrong = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autofree char *details = NULL;

  /* The 401 is sent once the row is on disk: no waiting here. */
  g_assert_cmpuint (try_login (f, "N02", "password124"), ==, 401);
  wrong = latest (f, "auth.login_failed");
  assert_entry (wrong, NULL, "auth.login_failed", "staff:N02");
  g_assert_cmpstr (hg_test_json_string (wrong, "detail.address"), ==, "127.0.0.1");

  g_assert_cmpuint (try_login (f, "N99", "password123"), ==, 401);
  unknown = latest (f, "auth.login_failed");
  assert_entry (unknown, NULL, "auth.login_failed", "staff:N99");

  /* What was typed as a password is never kept. */
  details = hg_test_sql_text (f->db, "SELECT group_concat(detail) FROM audit");
  g_assert_null (strstr (details, "password12"));
}

static void
test_login_throttled (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) entry = NULL;

  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (try_login (f, "N02", "guess"), ==, 401);
  /* A flood of refused attempts leaves one row, not one each. */
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (try_login (f, "N02", "password123"), ==, 429);
  g_assert_cmpint (count_action (f, "auth.login_failed"), ==, 5);
  g_assert_cmpint (count_action (f, "auth.login_throttled"), ==, 1);
  entry = latest (f, "auth.login_throttled");
  assert_entry (entry, NULL, "auth.login_throttled", "staff:N02");
  g_assert_cmpint (hg_test_json_int (entry, "detail.retry_after"), >, 0);
  g_assert_cmpstr (hg_test_json_string (entry, "detail.address"), ==, "127.0.0.1");
}

static void
test_logout (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N01");
  g_autoptr(JsonNode) entry = NULL;

  post_ok (f, "/api/v1/auth/logout", token, NULL);
  entry = latest (f, "auth.logout");
  assert_entry (entry, "N01", "auth.logout", "staff:N01");
  g_assert_cmpint (count_action (f, "auth.logout"), ==, 1);
}

/* --- Incidents -------------------------------------------------------- */

static JsonNode *
post_cardiac_arrest (Fixture    *f,
                     const char *token,
                     const char *dedup_key)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\","
                                           " \"dedup_key\": \"%s\"}", dedup_key);

  return hg_test_post_alert (f->ts, token, body);
}

static void
act (Fixture    *f,
     const char *token,
     const char *object,
     const char *action,
     const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%s/%s", strchr (object, ':') + 1, action);

  post_ok (f, path, token, body);
}

static void
assert_move (Fixture    *f,
             const char *action,
             const char *actor,
             const char *object,
             const char *from,
             const char *to)
{
  g_autoptr(JsonNode) entry = latest (f, action);

  assert_entry (entry, actor, action, object);
  g_assert_cmpstr (hg_test_json_string (entry, "detail.from"), ==, from);
  g_assert_cmpstr (hg_test_json_string (entry, "detail.to"), ==, to);
}

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  static const char note[] = "P001 says the chest pain started at breakfast";
  g_autofree char *nurse = hg_test_login (f->ts, "N01");
  g_autofree char *doctor = hg_test_login (f->ts, "S01");
  g_autoptr(JsonNode) posted = post_cardiac_arrest (f, nurse, "audit-1");
  g_autofree char *object = object_of ("incident", posted, "incident.id");
  g_autofree char *note_body = g_strdup_printf ("{\"text\": \"%s\"}", note);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, note, -1);
  g_autofree char *details = NULL;
  g_autoptr(JsonNode) entry = NULL;

  g_assert_cmpstr (hg_test_json_string (posted, "incident.assignee.id"), ==, "S01");
  act (f, doctor, object, "acknowledge", NULL);
  assert_move (f, "incident.acknowledge", "S01", object, "assigned", "acknowledged");
  act (f, doctor, object, "start", NULL);
  assert_move (f, "incident.start", "S01", object, "acknowledged", "in_progress");

  act (f, doctor, object, "notes", note_body);
  entry = latest (f, "incident.note");
  assert_entry (entry, "S01", "incident.note", object);
  g_assert_cmpint (hg_test_json_int (entry, "detail.text_length"), ==, strlen (note));
  g_assert_cmpstr (hg_test_json_string (entry, "detail.text_sha256"), ==, sha);

  act (f, doctor, object, "resolve", "{\"note\": \"P001 stable, sent to the ward\"}");
  assert_move (f, "incident.resolve", "S01", object, "in_progress", "resolved");
  g_clear_pointer (&entry, json_node_unref);
  entry = latest (f, "incident.resolve");
  g_assert_cmpint (hg_test_json_int (entry, "detail.note_length"), ==, strlen ("P001 stable, sent to the ward"));

  /* Free text may hold patient data: the trail keeps none of it. */
  details = hg_test_sql_text (f->db, "SELECT group_concat(detail) FROM audit");
  g_assert_null (strstr (details, "breakfast"));
  g_assert_null (strstr (details, "stable"));
}

static void
test_hand_actions (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *nurse = hg_test_login (f->ts, "N01");
  g_autofree char *s02 = hg_test_login (f->ts, "S02");
  g_autoptr(JsonNode) posted = post_cardiac_arrest (f, nurse, "audit-2");
  g_autofree char *object = object_of ("incident", posted, "incident.id");
  g_autoptr(JsonNode) reassigned = NULL;
  g_autoptr(JsonNode) declined = NULL;
  g_autoptr(JsonNode) escalated = NULL;

  act (f, nurse, object, "reassign", "{\"staff_id\": \"S02\"}");
  reassigned = latest (f, "incident.reassign");
  assert_entry (reassigned, "N01", "incident.reassign", object);
  g_assert_cmpstr (hg_test_json_string (reassigned, "detail.assignee_from"), ==, "S01");
  g_assert_cmpstr (hg_test_json_string (reassigned, "detail.assignee_to"), ==, "S02");

  act (f, s02, object, "decline", "{\"reason\": \"with another patient\"}");
  declined = latest (f, "incident.decline");
  assert_entry (declined, "S02", "incident.decline", object);
  g_assert_cmpint (hg_test_json_int (declined, "detail.reason_length"), ==, strlen ("with another patient"));

  act (f, f->admin, object, "escalate", "{\"reason\": \"nobody answers\"}");
  escalated = latest (f, "incident.escalate");
  assert_entry (escalated, "A01", "incident.escalate", object);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM audit WHERE action LIKE 'incident.%'"), ==, 3);
}

static void
short_remind (HgConfig *config,
              gpointer  user_data)
{
  config->escalation[HG_SEVERITY_CRITICAL].remind_after = 1;
}

static void
setup_short_remind (Fixture       *f,
                    gconstpointer  data)
{
  fixture_start (f, short_remind);
}

static void
test_escalation_step (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *nurse = hg_test_login (f->ts, "N01");
  g_autoptr(JsonNode) posted = post_cardiac_arrest (f, nurse, "audit-3");
  g_autofree char *object = object_of ("incident", posted, "incident.id");
  g_autoptr(JsonNode) entry = NULL;
  g_autoptr(JsonNode) settings = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  while (count_action (f, "incident.escalation_step") == 0 && g_get_monotonic_time () < deadline)
    g_usleep (POLL_MS * 1000);
  entry = latest (f, "incident.escalation_step");
  assert_entry (entry, NULL, "incident.escalation_step", object);
  g_assert_cmpstr (hg_test_json_string (entry, "detail.step"), ==, "remind");
  g_assert_cmpint (hg_test_json_int (entry, "detail.escalation_level"), ==, 1);
  /* The changed policy was recorded when the server opened the file. */
  g_assert_cmpint (count_action (f, "settings.escalation"), ==, 2);
  settings = latest (f, "settings.escalation");
  assert_entry (settings, NULL, "settings.escalation", "settings:escalation");
  g_assert_cmpint (hg_test_json_int (settings, "detail.critical.remind_after"), ==, 1);
}

/* --- Shifts and staff ------------------------------------------------- */

static void
test_shifts (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *nurse = hg_test_login (f->ts, "N01");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, 40);   /* after the demo shifts */
  g_autoptr(GDateTime) end = g_date_time_add_hours (start, 8);
  g_autofree char *starts = g_date_time_format_iso8601 (start);
  g_autofree char *ends = g_date_time_format_iso8601 (end);
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"S02\", \"starts_at\": \"%s\", \"ends_at\": \"%s\"}",
                                           starts, ends);
  g_autoptr(JsonNode) shift = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autofree char *object = NULL;
  g_autofree char *path = NULL;
  guint status;

  shift = hg_test_request (f->ts, "POST", "/api/v1/schedules", nurse, body, &status);
  g_assert_cmpuint (status, ==, 201);
  object = object_of ("shift", shift, "id");
  created = latest (f, "shift.create");
  assert_entry (created, "N01", "shift.create", object);
  g_assert_cmpstr (hg_test_json_string (created, "detail.staff_id"), ==, "S02");

  path = g_strdup_printf ("/api/v1/schedules/%" G_GINT64_FORMAT, hg_test_json_int (shift, "id"));
  g_clear_pointer (&shift, json_node_unref);
  shift = hg_test_request (f->ts, "DELETE", path, nurse, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  deleted = latest (f, "shift.delete");
  assert_entry (deleted, "N01", "shift.delete", object);
  g_assert_cmpstr (hg_test_json_string (deleted, "detail.staff_id"), ==, "S02");
}

/* Ending S01's running shift hands their incident to S02, by the server. */
static void
test_handover (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *nurse = hg_test_login (f->ts, "N01");
  g_autoptr(JsonNode) posted = post_cardiac_arrest (f, nurse, "audit-4");
  g_autofree char *object = object_of ("incident", posted, "incident.id");
  gint64 shift = hg_test_sql_int (f->db, "SELECT id FROM shifts WHERE staff_id = 'S01'");
  g_autofree char *path = g_strdup_printf ("/api/v1/schedules/%" G_GINT64_FORMAT, shift);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) entry = NULL;
  guint status;

  answer = hg_test_request (f->ts, "DELETE", path, nurse, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  entry = latest (f, "shift.handover");
  assert_entry (entry, NULL, "shift.handover", object);
  g_assert_cmpstr (hg_test_json_string (entry, "detail.from"), ==, "S01");
  g_assert_cmpstr (hg_test_json_string (entry, "detail.to"), ==, "S02");
}

static void
test_availability (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N03");
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) entry = NULL;
  guint status;

  answer = hg_test_request (f->ts, "PUT", "/api/v1/me/availability", token,
                            "{\"available\": false, \"reason\": \"dentist\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  entry = latest (f, "staff.availability");
  assert_entry (entry, "N03", "staff.availability", "staff:N03");
  g_assert_false (json_node_get_boolean (hg_test_json_get (entry, "detail.available")));
  g_assert_cmpint (hg_test_json_int (entry, "detail.reason_length"), ==, strlen ("dentist"));
}

/* --- Escalation settings at start ------------------------------------- */

static gint64
open_and_close (const char *path,
                guint       critical_remind_after)
{
  g_autoptr(GError) error = NULL;
  HgStoreSettings settings = { 0 };
  g_autoptr(HgStore) store = NULL;

  if (critical_remind_after > 0)
    {
      g_autoptr(HgConfig) defaults = hg_config_new_default ();

      memcpy (settings.escalation, defaults->escalation, sizeof settings.escalation);
      settings.escalation[HG_SEVERITY_CRITICAL].remind_after = critical_remind_after;
    }
  store = hg_store_open (path, &settings, &error);
  g_assert_no_error (error);
  hg_store_close (store);
  return hg_test_sql_int (path, "SELECT count(*) FROM audit WHERE action = 'settings.escalation'");
}

static void
test_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hg-audit-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "server.db", NULL);
  g_autofree char *newest = NULL;
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_assert_no_error (error);
  g_assert_cmpint (open_and_close (path, 0), ==, 1);     /* the first values */
  g_assert_cmpint (open_and_close (path, 0), ==, 1);     /* unchanged */
  g_assert_cmpint (open_and_close (path, 45), ==, 2);    /* changed */
  g_assert_cmpint (open_and_close (path, 45), ==, 2);
  newest = hg_test_sql_text (path, "SELECT json_extract(detail, '$.critical.remind_after') FROM audit"
                                   " WHERE action = 'settings.escalation' ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (newest, ==, "45");
  g_assert_cmpint (open_and_close (path, 0), ==, 3);     /* and back */
  g_assert_cmpint (hg_test_sql_int (path, "SELECT count(*) FROM audit WHERE actor IS NOT NULL"), ==, 0);
  assert_chain_ok (path);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

/* --- The chain and the triggers --------------------------------------- */

/* Runs @sql on @db_path and returns its error message, NULL if it worked. */
static char *
sql_error (const char *db_path,
           const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  char *copy;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  sqlite3_exec (db, sql, NULL, NULL, &message);
  copy = g_strdup (message);
  sqlite3_free (message);
  sqlite3_close (db);
  return copy;
}

static void
test_append_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *update = sql_error (f->db, "UPDATE audit SET actor = 'N01' WHERE id = 1");
  g_autofree char *delete = sql_error (f->db, "DELETE FROM audit WHERE id = 1");
  g_autofree char *actor = hg_test_sql_text (f->db, "SELECT actor FROM audit WHERE id = 1");

  g_assert_nonnull (update);
  g_assert_nonnull (strstr (update, "append-only"));
  g_assert_nonnull (delete);
  g_assert_nonnull (strstr (delete, "append-only"));
  g_assert_null (actor);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM audit WHERE id = 1"), ==, 1);
}

/* Some rows of every kind, for the chain tests. */
static void
make_history (Fixture *f)
{
  g_autofree char *nurse = hg_test_login (f->ts, "N01");
  g_autofree char *doctor = hg_test_login (f->ts, "S01");
  g_autoptr(JsonNode) posted = post_cardiac_arrest (f, nurse, "audit-5");
  g_autofree char *object = object_of ("incident", posted, "incident.id");

  g_assert_cmpuint (try_login (f, "N02", "wrong"), ==, 401);
  act (f, doctor, object, "acknowledge", NULL);
  act (f, doctor, object, "notes", "{\"text\": \"on it\"}");
  post_ok (f, "/api/v1/auth/logout", doctor, NULL);
}

static void
assert_broken (const char *db_path,
               gint64      id,
               const char *why)
{
  g_auto(HgAuditCheck) check = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (hg_audit_verify_file (db_path, &check, &error));
  g_assert_no_error (error);
  g_assert_true (check.broken);
  g_test_message ("broken at %" G_GINT64_FORMAT ": %s", check.broken_id, check.reason);
  g_assert_cmpint (check.broken_id, ==, id);
  g_assert_nonnull (strstr (check.reason, why));
}

static void
test_chain (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *first_prev = NULL;

  make_history (f);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM audit"), >=, 6);
  /* Read while the server runs: one snapshot. */
  assert_chain_ok (f->db);
  first_prev = hg_test_sql_text (f->db, "SELECT prev_hash FROM audit WHERE id = 1");
  g_assert_cmpstr (first_prev, ==, "");
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM audit a JOIN audit b ON b.id = a.id + 1"
                                           " WHERE b.prev_hash != a.hash"), ==, 0);
}

/* A copy of @db_path with both triggers dropped, to tamper with. */
static char *
tamper_copy (const char *db_path,
             const char *name)
{
  g_autofree char *dir = g_path_get_dirname (db_path);
  char *copy = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_get_contents (db_path, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (copy, contents, len, &error);
  g_assert_no_error (error);
  hg_test_sql (copy, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete");
  return copy;
}

/* What someone who knows the scheme would do after altering row @id. */
static void
rehash (const char *db_path,
        gint64      id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT at, actor, action, object, detail, prev_hash FROM audit"
                                       " WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  hash = hg_audit_row_hash (id, sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
                            (const char *) sqlite3_column_text (stmt, 2),
                            (const char *) sqlite3_column_text (stmt, 3),
                            (const char *) sqlite3_column_text (stmt, 4),
                            (const char *) sqlite3_column_text (stmt, 5));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  sql = g_strdup_printf ("UPDATE audit SET hash = '%s' WHERE id = %" G_GINT64_FORMAT, hash, id);
  hg_test_sql (db_path, sql);
}

static void
tamper (const char *db_path,
        const char *name,
        const char *sql,
        gint64      rehash_id,
        gint64      broken_id,
        const char *why)
{
  g_autofree char *copy = tamper_copy (db_path, name);

  assert_chain_ok (copy);
  hg_test_sql (copy, sql);
  if (rehash_id > 0)
    rehash (copy, rehash_id);
  assert_broken (copy, broken_id, why);
  g_unlink (copy);
}

/* Each way of tampering, on copies of a stopped server's file. */
static void
test_tampering (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *delete_last = NULL;
  g_autofree char *copy = NULL;
  gint64 last;

  make_history (f);
  /* Checkpointed: the file alone is the whole database. */
  hg_test_server_close_store (f->ts);
  last = hg_test_sql_int (f->db, "SELECT max(id) FROM audit");
  g_assert_cmpint (last, >=, 6);

  tamper (f->db, "altered.db", "UPDATE audit SET detail = '{\"address\":\"10.1.1.1\"}' WHERE id = 3",
          0, 3, "altered");
  /* Altered and rehashed: the next row's link gives it away. */
  tamper (f->db, "rehashed.db", "UPDATE audit SET actor = 'N06' WHERE id = 3", 3, 4, "prev_hash");
  tamper (f->db, "middle.db", "DELETE FROM audit WHERE id = 3", 0, 3, "missing");
  tamper (f->db, "first.db", "DELETE FROM audit WHERE id = 1", 0, 1, "missing");
  delete_last = g_strdup_printf ("DELETE FROM audit WHERE id = %" G_GINT64_FORMAT, last);
  tamper (f->db, "last.db", delete_last, 0, last, "deleted");

  /* A row appended after the last was deleted takes a new id: the gap
   * stays visible. */
  copy = tamper_copy (f->db, "appended.db");
  hg_test_sql (copy, delete_last);
  g_assert_cmpint (open_and_close (copy, 77), ==, 2);
  g_assert_cmpint (hg_test_sql_int (copy, "SELECT max(id) FROM audit"), ==, last + 1);
  assert_broken (copy, last, "missing");
  g_unlink (copy);
}

/* --- GET /api/v1/audit ------------------------------------------------ */

static void
test_get_roles (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *nurse = hg_test_login (f->ts, "N01");
  g_autofree char *charge = hg_test_login (f->ts, "D01");
  g_autoptr(JsonNode) refused = get_audit (f, NULL, nurse, 403);
  g_autoptr(JsonNode) doctor = get_audit (f, NULL, charge, 403);
  g_autoptr(JsonNode) admin = get_audit (f, NULL, NULL, 200);
  guint status;
  g_autoptr(JsonNode) anonymous = hg_test_request (f->ts, "GET", "/api/v1/audit", NULL, NULL, &status);

  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (hg_test_json_string (refused, "error.code"), ==, "role_not_allowed");
  g_assert_cmpstr (hg_test_json_string (doctor, "error.code"), ==, "role_not_allowed");
  /* Newest first: A01's sign-in, then the settings of the first start. */
  g_assert_cmpstr (hg_test_json_string (admin, "entries.0.action"), ==, "auth.login");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (hg_test_json_get (admin, "entries.0.detail")));
  g_assert_true (hg_test_json_is_null (admin, "next_cursor"));
}

static void
test_get_pages (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *cursor = NULL;
  gint64 previous = G_MAXINT64;
  guint seen = 0;

  make_history (f);
  do
    {
      g_autofree char *query = cursor ? g_strdup_printf ("limit=2&cursor=%s", cursor) : g_strdup ("limit=2");
      g_autoptr(JsonNode) page = get_audit (f, query, NULL, 200);
      JsonArray *entries = json_node_get_array (hg_test_json_get (page, "entries"));

      g_assert_cmpuint (json_array_get_length (entries), <=, 2);
      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          gint64 id = json_object_get_int_member (json_array_get_object_element (entries, i), "id");

          g_assert_cmpint (id, <, previous);
          previous = id;
          seen++;
        }
      g_free (cursor);
      cursor = g_strdup (hg_test_json_string (page, "next_cursor"));
    }
  while (cursor != NULL);
  g_assert_cmpint (previous, ==, 1);
  g_assert_cmpint (seen, ==, hg_test_sql_int (f->db, "SELECT count(*) FROM audit"));
}

/* Every entry of the answer to @query has @member equal to @value, or
 * starting with it when @prefix; returns how many there were. */
static guint
filtered (Fixture    *f,
          const char *query,
          const char *member,
          const char *value,
          gboolean    prefix)
{
  g_autofree char *full = g_strdup_printf ("%s&limit=500", query);
  g_autoptr(JsonNode) page = get_audit (f, full, NULL, 200);
  JsonArray *entries = json_node_get_array (hg_test_json_get (page, "entries"));

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      const char *got = json_object_get_string_member (json_array_get_object_element (entries, i), member);

      g_assert_nonnull (got);
      if (prefix)
        g_assert_true (g_str_has_prefix (got, value));
      else
        g_assert_cmpstr (got, ==, value);
    }
  return json_array_get_length (entries);
}

static void
test_get_filters (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) empty = NULL;
  g_autoptr(JsonNode) bad_cursor = NULL;
  g_autofree char *long_query = g_strdup_printf ("actor=%0*d", 201, 0);
  g_autoptr(JsonNode) too_long = NULL;

  make_history (f);
  g_assert_cmpuint (filtered (f, "actor=S01", "actor", "S01", FALSE), ==,
                    hg_test_sql_int (f->db, "SELECT count(*) FROM audit WHERE actor = 'S01'"));
  g_assert_cmpuint (filtered (f, "actor=S01", "actor", "S01", FALSE), >=, 4);
  g_assert_cmpuint (filtered (f, "action=auth.", "action", "auth.", TRUE), ==,
                    hg_test_sql_int (f->db, "SELECT count(*) FROM audit WHERE action LIKE 'auth.%'"));
  /* Without the dot the match is exact: auth.login is not auth.login_failed. */
  g_assert_cmpuint (filtered (f, "action=auth.login", "action", "auth.login", FALSE), ==, 3);
  g_assert_cmpuint (filtered (f, "object=staff:N02", "object", "staff:N02", FALSE), ==, 1);
  g_assert_cmpuint (filtered (f, "actor=S01&action=incident.", "action", "incident.", TRUE), ==, 2);
  g_assert_cmpuint (filtered (f, "actor=nobody", "actor", "nobody", FALSE), ==, 0);

  empty = get_audit (f, "action=", NULL, 400);
  g_assert_cmpstr (hg_test_json_string (empty, "error.code"), ==, "invalid_field");
  g_assert_cmpstr (hg_test_json_string (empty, "error.field"), ==, "action");
  too_long = get_audit (f, long_query, NULL, 400);
  g_assert_cmpstr (hg_test_json_string (too_long, "error.field"), ==, "actor");
  bad_cursor = get_audit (f, "cursor=nonsense", NULL, 400);
  g_assert_cmpstr (hg_test_json_string (bad_cursor, "error.code"), ==, "invalid_cursor");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/audit/" path, Fixture, NULL, setup, func, teardown)
  ADD ("auth/login", test_login);
  ADD ("auth/login-failed", test_login_failed);
  ADD ("auth/login-throttled", test_login_throttled);
  ADD ("auth/logout", test_logout);
  ADD ("incident/lifecycle", test_lifecycle);
  ADD ("incident/hand-actions", test_hand_actions);
  g_test_add ("/server/audit/incident/escalation-step", Fixture, NULL, setup_short_remind,
              test_escalation_step, teardown);
  ADD ("shift/create-delete", test_shifts);
  ADD ("shift/handover", test_handover);
  ADD ("staff/availability", test_availability);
  g_test_add_func ("/server/audit/settings/escalation", test_settings);
  ADD ("chain/append-only", test_append_only);
  ADD ("chain/verifies", test_chain);
  ADD ("chain/tampering", test_tampering);
  ADD ("get/roles", test_get_roles);
  ADD ("get/pages", test_get_pages);
  ADD ("get/filters", test_get_filters);
#undef ADD

  return g_test_run ();
}
