/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance: every route times every kind of caller gets the contract's
 * answer. The table lives here, in one place, and a route the server
 * registers without a row here fails the test. */
#include "config.h"

#include <string.h>

#include "hg-server.h"
#include "hg-test-server.h"

typedef enum {
  NOBODY,
  NURSE,        /* N03 */
  CHARGE,       /* N01 */
  EMERGENCY,    /* D01 */
  SPECIALIST,   /* S01, who holds the incident of the action rows */
  ADMIN,        /* A01 */
  KEY,          /* an integration key */
  EXPIRED,      /* D02's token, past its lifetime */
  REVOKED,      /* D03's token, signed out */
  N_CALLERS
} Caller;

static const char *const caller_names[N_CALLERS] = {
  "nobody", "nurse", "charge nurse", "emergency doctor", "specialist", "admin",
  "integration key", "expired token", "revoked token",
};

/* Placeholders in paths and bodies, replaced per request with a fresh
 * object: {incident} (assigned to S01), {alert}, {shift}, {notification}
 * (S01's), {integration}; bodies {login-body}, {alert-body}, {staff-body},
 * {shift-body}, {integration-body}. */
typedef struct {
  const char *method;
  const char *pattern;     /* as registered */
  const char *path;
  const char *body;
  guint       expect[N_CALLERS];
} Row;

#define ANYONE_READS  { 401, 200, 200, 200, 200, 200, 403, 401, 401 }
#define STAFF_WRITES(code)  { 401, code, code, code, code, code, 403, 401, 401 }
#define ADMIN_ONLY(code)    { 401, 403, 403, 403, 403, code, 403, 401, 401 }
#define OPEN          { 200, 200, 200, 200, 200, 200, 200, 200, 200 }

static const Row rows[] = {
  { "GET", "/health", "/health", NULL, OPEN },
  { "GET", "/health/ready", "/health/ready", NULL, OPEN },
  /* Open when no metrics_token is set (test-metrics.c covers the token). */
  { "GET", "/metrics", "/metrics", NULL, OPEN },
  /* A wrong password is 401 whatever token comes with it. */
  { "POST", "/api/v1/auth/login", "/api/v1/auth/login", "{login-body}",
    { 401, 401, 401, 401, 401, 401, 401, 401, 401 } },
  { "GET", "/api/v1/me", "/api/v1/me", NULL, ANYONE_READS },
  /* Keys may post alerts and nothing else. */
  { "POST", "/api/v1/alerts", "/api/v1/alerts", "{alert-body}",
    { 401, 201, 201, 201, 201, 201, 201, 401, 401 } },
  { "GET", "/api/v1/alerts", "/api/v1/alerts", NULL, ANYONE_READS },
  { "GET", "/api/v1/alerts/{}", "/api/v1/alerts/{alert}", NULL, ANYONE_READS },
  { "GET", "/api/v1/alert-types", "/api/v1/alert-types", NULL, ANYONE_READS },
  /* Keys may post vitals too (a score of 0: no alert), but not read them. */
  { "POST", "/api/v1/vitals", "/api/v1/vitals",
    "{\"patient_id\": \"P005\", \"respiration_rate\": 16, \"spo2\": 97, \"on_oxygen\": false,"
    " \"systolic_bp\": 120, \"pulse\": 70, \"consciousness\": \"alert\", \"temperature\": 37.0}",
    { 401, 201, 201, 201, 201, 201, 201, 401, 401 } },
  { "GET", "/api/v1/patients/{}/vitals", "/api/v1/patients/P005/vitals", NULL, ANYONE_READS },
  { "GET", "/api/v1/incidents", "/api/v1/incidents", NULL, ANYONE_READS },
  { "GET", "/api/v1/incidents/stats", "/api/v1/incidents/stats", NULL, ANYONE_READS },
  { "GET", "/api/v1/incidents/{}", "/api/v1/incidents/{incident}", NULL, ANYONE_READS },
  { "POST", "/api/v1/incidents/{}/notes", "/api/v1/incidents/{incident}/notes", "{\"text\": \"seen\"}",
    STAFF_WRITES (201) },
  /* The incident is S01's and assigned: only S01 may acknowledge it. */
  { "POST", "/api/v1/incidents/{}/{}", "/api/v1/incidents/{incident}/acknowledge", NULL,
    { 401, 403, 403, 403, 200, 403, 403, 401, 401 } },
  { "GET", "/api/v1/staff", "/api/v1/staff", NULL, ANYONE_READS },
  { "GET", "/api/v1/staff/{}", "/api/v1/staff/S01", NULL, ANYONE_READS },
  { "POST", "/api/v1/staff", "/api/v1/staff", "{staff-body}", ADMIN_ONLY (201) },
  { "PATCH", "/api/v1/staff/{}", "/api/v1/staff/N06", "{\"ward\": \"Surgery\"}", ADMIN_ONLY (200) },
  { "GET", "/api/v1/oncall/current", "/api/v1/oncall/current", NULL, ANYONE_READS },
  { "PUT", "/api/v1/me/availability", "/api/v1/me/availability", "{\"available\": true}", STAFF_WRITES (200) },
  { "GET", "/api/v1/schedules", "/api/v1/schedules", NULL, ANYONE_READS },
  { "POST", "/api/v1/schedules", "/api/v1/schedules", "{shift-body}",
    { 401, 403, 201, 403, 403, 201, 403, 401, 401 } },
  { "DELETE", "/api/v1/schedules/{}", "/api/v1/schedules/{shift}", NULL,
    { 401, 403, 204, 403, 403, 204, 403, 401, 401 } },
  /* Alertmanager posts with a key; staff may post alerts anyway. */
  { "POST", "/api/v1/integrations/alertmanager", "/api/v1/integrations/alertmanager",
    "{\"version\": \"4\", \"alerts\": [{\"status\": \"firing\", \"fingerprint\": \"authz0001\","
    " \"labels\": {\"alertname\": \"PumpDown\", \"room\": \"12\"}}]}",
    { 401, 201, 201, 201, 201, 201, 201, 401, 401 } },
  { "GET", "/api/v1/integrations", "/api/v1/integrations", NULL, ADMIN_ONLY (200) },
  { "POST", "/api/v1/integrations", "/api/v1/integrations", "{integration-body}", ADMIN_ONLY (201) },
  { "DELETE", "/api/v1/integrations/{}", "/api/v1/integrations/{integration}", NULL, ADMIN_ONLY (204) },
  { "GET", "/api/v1/notifications", "/api/v1/notifications", NULL, ANYONE_READS },
  { "POST", "/api/v1/notifications/read-all", "/api/v1/notifications/read-all", NULL, STAFF_WRITES (204) },
  /* S01's notification: only S01 may mark it; for others it does not exist. */
  { "POST", "/api/v1/notifications/{}/read", "/api/v1/notifications/{notification}/read", NULL,
    { 401, 404, 404, 404, 204, 404, 403, 401, 401 } },
  { "GET", "/api/v1/audit", "/api/v1/audit", NULL, ADMIN_ONLY (200) },
  /* Last: it ends the caller's session (fresh ones are made for it). */
  { "POST", "/api/v1/auth/logout", "/api/v1/auth/logout", NULL, STAFF_WRITES (204) },
};

static const char *const representatives[N_CALLERS] = {
  NULL, "N03", "N01", "D01", "S01", "A01", NULL, "D02", "D03",
};

#define PASSWORD "password123"

typedef struct {
  HgTestServer *ts;
  char         *tokens[N_CALLERS];
  char         *admin;      /* for setting things up */
  guint         serial;
} Fixture;

static void
only_s01_cardiologist (const char *db_path,
                       gpointer    user_data)
{
  /* Cardiac arrests go to S01: the incident rows need one holder. */
  hg_test_sql (db_path, "DELETE FROM shifts WHERE staff_id = 'S02'");
}

static char *
new_key (Fixture *f)
{
  g_autofree char *body = g_strdup_printf ("{\"name\": \"authz-%u\"}", f->serial++);
  guint status;
  g_autoptr(JsonNode) answer = hg_test_request (f->ts, "POST", "/api/v1/integrations", f->admin, body, &status);

  g_assert_cmpuint (status, ==, 201);
  return g_strdup (hg_test_json_string (answer, "key"));
}

static void
sign_in_everyone (Fixture *f)
{
  g_autoptr(JsonNode) out = NULL;
  guint status;

  for (guint c = 0; c < N_CALLERS; c++)
    {
      g_clear_pointer (&f->tokens[c], g_free);
      if (representatives[c] != NULL)
        f->tokens[c] = hg_test_login (f->ts, representatives[c]);
    }
  f->tokens[KEY] = new_key (f);
  /* Past its lifetime: as the clock would make it. */
  hg_test_sql (hg_test_server_db_path (f->ts),
               "UPDATE tokens SET expires_at = 1 WHERE staff_id = 'D02'");
  out = hg_test_request (f->ts, "POST", "/api/v1/auth/logout", f->tokens[REVOKED], NULL, &status);
  g_assert_cmpuint (status, ==, 204);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->ts = hg_test_server_start (only_s01_cardiologist, NULL);
  f->admin = hg_test_login (f->ts, "A01");
  sign_in_everyone (f);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  for (guint c = 0; c < N_CALLERS; c++)
    g_free (f->tokens[c]);
  g_free (f->admin);
  hg_test_server_stop (f->ts);
}

static gint64
post_incident_for_s01 (Fixture *f)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"CARDIAC_ARREST\", \"patient_id\": \"P001\","
                                           " \"dedup_key\": \"authz-%u\"}", f->serial++);
  g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, f->admin, body);

  g_assert_cmpstr (hg_test_json_string (answer, "incident.assignee.id"), ==, "S01");
  return hg_test_json_int (answer, "incident.id");
}

static char *
replace (char       *text,
         const char *placeholder,
         const char *value)
{
  g_auto(GStrv) parts = NULL;

  if (text == NULL || strstr (text, placeholder) == NULL)
    return text;
  parts = g_strsplit (text, placeholder, -1);
  g_free (text);
  return g_strjoinv (value, parts);
}

static char *
fresh_shift (Fixture *f)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO shifts (staff_id, role, ward, starts_at, ends_at)"
                                          " VALUES ('N06', 'nurse', 'Surgery',"
                                          " (strftime('%%s','now') + 86400 * 30 + %u * 7200) * 1000,"
                                          " (strftime('%%s','now') + 86400 * 30 + %u * 7200 + 3600) * 1000);"
                                          " SELECT 1", f->serial, f->serial);
  f->serial++;
  hg_test_sql (hg_test_server_db_path (f->ts), sql);
  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          hg_test_sql_int (hg_test_server_db_path (f->ts), "SELECT max(id) FROM shifts"));
}

static char *
fresh_integration (Fixture *f)
{
  g_autofree char *body = g_strdup_printf ("{\"name\": \"authz-%u\"}", f->serial++);
  guint status;
  g_autoptr(JsonNode) answer = hg_test_request (f->ts, "POST", "/api/v1/integrations", f->admin, body, &status);

  g_assert_cmpuint (status, ==, 201);
  return g_strdup_printf ("%" G_GINT64_FORMAT, hg_test_json_int (answer, "id"));
}

static char *
shift_body (Fixture *f)
{
  gint64 start = (g_get_real_time () / G_USEC_PER_SEC) + 86400 * 60 + (gint64) f->serial * 7200;
  g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) to = g_date_time_new_from_unix_utc (start + 3600);
  g_autofree char *a = g_date_time_format_iso8601 (from);
  g_autofree char *b = g_date_time_format_iso8601 (to);

  f->serial++;
  return g_strdup_printf ("{\"staff_id\": \"N05\", \"starts_at\": \"%s\", \"ends_at\": \"%s\"}", a, b);
}

/* The path and body of one cell, with fresh objects where it needs them. */
static void
materialise (Fixture    *f,
             const Row  *row,
             Caller      caller,
             char      **out_path,
             char      **out_body)
{
  char *path = g_strdup (row->path);
  char *body = g_strdup (row->body);

  if (strstr (path, "{incident}") || strstr (path, "{notification}") || strstr (path, "{alert}"))
    {
      gint64 id = post_incident_for_s01 (f);
      g_autofree char *incident = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_autofree char *sql = g_strdup_printf ("SELECT max(id) FROM notifications WHERE staff_id = 'S01'"
                                              " AND incident_id = %" G_GINT64_FORMAT, id);
      g_autofree char *notification = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                       hg_test_sql_int (hg_test_server_db_path (f->ts), sql));
      g_autofree char *alert = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                hg_test_sql_int (hg_test_server_db_path (f->ts),
                                                                 "SELECT max(id) FROM alerts"));

      path = replace (path, "{incident}", incident);
      path = replace (path, "{notification}", notification);
      path = replace (path, "{alert}", alert);
    }
  if (strstr (path, "{shift}"))
    {
      g_autofree char *shift = fresh_shift (f);
      path = replace (path, "{shift}", shift);
    }
  if (strstr (path, "{integration}"))
    {
      g_autofree char *integration = fresh_integration (f);
      path = replace (path, "{integration}", integration);
    }
  if (body != NULL && strstr (body, "{login-body}"))
    {
      g_autofree char *login = g_strdup_printf ("{\"staff_id\": \"ZZ%u\", \"password\": \"not it at all\"}",
                                                (guint) caller);
      body = replace (body, "{login-body}", login);
    }
  if (body != NULL && strstr (body, "{alert-body}"))
    {
      g_autofree char *alert = g_strdup_printf ("{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P004\","
                                                " \"dedup_key\": \"authz-call-%u\"}", f->serial++);
      body = replace (body, "{alert-body}", alert);
    }
  if (body != NULL && strstr (body, "{staff-body}"))
    {
      g_autofree char *staff = g_strdup_printf ("{\"id\": \"X%02u\", \"name\": \"Temp %u\", \"role\": \"nurse\","
                                                " \"ward\": \"Surgery\", \"password\": \"Lantern-orbit-59\"}",
                                                f->serial % 100, f->serial);
      f->serial++;
      body = replace (body, "{staff-body}", staff);
    }
  if (body != NULL && strstr (body, "{shift-body}"))
    {
      g_autofree char *shift = shift_body (f);
      body = replace (body, "{shift-body}", shift);
    }
  if (body != NULL && strstr (body, "{integration-body}"))
    {
      g_autofree char *integration = g_strdup_printf ("{\"name\": \"authz-new-%u\"}", f->serial++);
      body = replace (body, "{integration-body}", integration);
    }
  *out_path = path;
  *out_body = body;
}

static void
test_matrix (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GString) wrong = g_string_new (NULL);
  guint cells = 0;

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      gboolean ends_sessions = g_str_equal (rows[r].path, "/api/v1/auth/logout");

      for (guint c = 0; c < N_CALLERS; c++)
        {
          g_autofree char *path = NULL;
          g_autofree char *body = NULL;
          g_autoptr(JsonNode) answer = NULL;
          guint status;

          materialise (f, &rows[r], c, &path, &body);
          answer = hg_test_request (f->ts, rows[r].method, path, f->tokens[c], body, &status);
          cells++;
          if (status != rows[r].expect[c])
            g_string_append_printf (wrong, "%s %s as %s: %u, expected %u\n", rows[r].method, path,
                                    caller_names[c], status, rows[r].expect[c]);
          /* A refusal is the contract's error body. */
          if (status == 401 || status == 403)
            g_assert_nonnull (hg_test_json_string (answer, "error.code"));
        }
      if (ends_sessions)
        sign_in_everyone (f);
    }
  g_test_message ("%u cells: %zu routes x %d callers", cells, G_N_ELEMENTS (rows), N_CALLERS);
  /* Empty when every cell is right; else every wrong one. */
  g_assert_cmpstr (wrong->str, ==, "");
}

/* The table covers every route the server registers, and no other. */
static void
test_covers_every_route (void)
{
  guint n;
  const HgRouteInfo *routes = hg_server_get_routes (&n);
  g_autoptr(GString) missing = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      gboolean found = FALSE;

      for (guint r = 0; r < G_N_ELEMENTS (rows) && !found; r++)
        found = g_str_equal (routes[i].method, rows[r].method) && g_str_equal (routes[i].pattern, rows[r].pattern);
      if (!found)
        g_string_append_printf (missing, "no row for %s %s\n", routes[i].method, routes[i].pattern);
    }
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < n && !found; i++)
        found = g_str_equal (routes[i].method, rows[r].method) && g_str_equal (routes[i].pattern, rows[r].pattern);
      if (!found)
        g_string_append_printf (missing, "row for an unregistered route %s %s\n", rows[r].method, rows[r].pattern);
    }
  g_assert_cmpstr (missing->str, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/authz/covers-every-route", test_covers_every_route);
  g_test_add ("/server/authz/matrix", Fixture, NULL, setup, test_matrix, teardown);
  return g_test_run ();
}
