/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance: a shift that ends hands over its active incidents; a person
 * marked unavailable receives no new assignment; GET /oncall/current
 * follows the shifts. */
#include "config.h"

#include <string.h>

#include "hg-models.h"
#include "hg-test-server.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
/* How long a test waits for the handover timer before it gives up. */
#define WAIT_MS 10000

typedef struct {
  HgTestServer *ts;
  const char   *db;
  char         *charge;   /* N01, the charge nurse */
} Fixture;

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* An RFC 3339 time @offset_ms from now. */
static char *
time_from_now (gint64 offset_ms)
{
  return hg_time_format (now_ms () + offset_ms);
}

static void
setup_with (Fixture           *f,
            HgTestPrepareFunc  prepare)
{
  f->ts = hg_test_server_start (prepare, NULL);
  f->db = hg_test_server_db_path (f->ts);
  f->charge = hg_test_login (f->ts, "N01");
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  setup_with (f, (HgTestPrepareFunc) data);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_free (f->charge);
  hg_test_server_stop (f->ts);
}

/* Everything the API can change, and the shifts too. */
static char *
fingerprint (Fixture *f)
{
  g_autofree char *base = hg_test_fingerprint (f->db);

  return g_strdup_printf ("%s shifts=%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT ";available=%" G_GINT64_FORMAT,
                          base, hg_test_sql_int (f->db, "SELECT count(*) FROM shifts"),
                          hg_test_sql_int (f->db, "SELECT coalesce(sum(ends_at + id), 0) FROM shifts"),
                          hg_test_sql_int (f->db, "SELECT sum(available) FROM staff"));
}

static JsonNode *
post_shift (Fixture    *f,
            const char *token,
            const char *staff_id,
            gint64      starts_in,
            gint64      ends_in,
            guint      *status)
{
  g_autofree char *starts = time_from_now (starts_in);
  g_autofree char *ends = time_from_now (ends_in);
  g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"%s\", \"starts_at\": \"%s\", \"ends_at\": \"%s\"}",
                                           staff_id, starts, ends);

  return hg_test_request (f->ts, "POST", "/api/v1/schedules", token, body, status);
}

static guint
delete_shift (Fixture    *f,
              const char *token,
              gint64      id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/schedules/%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  answer = hg_test_request (f->ts, "DELETE", path, token, NULL, &status);
  return status;
}

static gboolean
list_has (JsonNode   *list,
          const char *member,
          const char *id)
{
  JsonArray *array = json_node_get_array (hg_test_json_get (list, member));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      const char *key = json_object_has_member (item, "staff_id") ? "staff_id" : "id";

      if (g_strcmp0 (json_object_get_string_member (item, key), id) == 0)
        return TRUE;
    }
  return FALSE;
}

static JsonNode *
get (Fixture    *f,
     const char *token,
     const char *path)
{
  guint status;
  JsonNode *answer = hg_test_request (f->ts, "GET", path, token, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return answer;
}

static gint64
post_alert (Fixture    *f,
            const char *type,
            const char *patient,
            char      **out_assignee)
{
  g_autofree char *body = g_strdup_printf ("{\"type\": \"%s\", \"patient_id\": \"%s\"}", type, patient);
  g_autoptr(JsonNode) answer = hg_test_post_alert (f->ts, f->charge, body);

  if (out_assignee != NULL)
    *out_assignee = g_strdup (hg_test_json_string (answer, "incident.assignee.id"));
  return hg_test_json_int (answer, "incident.id");
}

static JsonNode *
get_incident (Fixture *f,
              gint64   id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT, id);

  return get (f, f->charge, path);
}

/* The timeline entry of @action, or NULL. */
static JsonObject *
find_entry (JsonNode   *incident,
            const char *action)
{
  JsonArray *timeline = json_node_get_array (hg_test_json_get (incident, "timeline"));

  for (guint i = 0; i < json_array_get_length (timeline); i++)
    {
      JsonObject *entry = json_array_get_object_element (timeline, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "action"), action) == 0)
        return entry;
    }
  return NULL;
}

/* Polls (bounded) until the incident's timeline has @action. */
static JsonNode *
wait_for_entry (Fixture    *f,
                gint64      id,
                const char *action)
{
  for (gint64 deadline = now_ms () + WAIT_MS; now_ms () < deadline; g_usleep (50 * 1000))
    {
      g_autoptr(JsonNode) incident = get_incident (f, id);

      if (find_entry (incident, action) != NULL)
        return g_steal_pointer (&incident);
    }
  g_error ("no “%s” entry on incident %" G_GINT64_FORMAT " after %d ms", action, id, WAIT_MS);
}

static gboolean
has_notification (Fixture    *f,
                  const char *token,
                  gint64      incident_id,
                  const char *kind)
{
  g_autoptr(JsonNode) list = get (f, token, "/api/v1/notifications");
  JsonArray *array = json_node_get_array (hg_test_json_get (list, "notifications"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);

      if (json_object_get_int_member (item, "incident_id") == incident_id &&
          g_strcmp0 (json_object_get_string_member (item, "kind"), kind) == 0)
        return TRUE;
    }
  return FALSE;
}

/* --- Schedules -------------------------------------------------------- */

static void
test_crud (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *nurse = hg_test_login (f->ts, "N02");
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) after = NULL;
  gint64 id;
  guint status;

  /* After S03's demo shift: no overlap. */
  added = post_shift (f, f->charge, "S03", 31 * 24 * HOUR_MS, 31 * 24 * HOUR_MS + 8 * HOUR_MS, &status);
  g_assert_cmpuint (status, ==, 201);
  id = hg_test_json_int (added, "id");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (hg_test_json_string (added, "staff_id"), ==, "S03");
  /* Role and ward default to the person's. */
  g_assert_cmpstr (hg_test_json_string (added, "role"), ==, "specialist");
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM shifts s JOIN staff p ON p.id = s.staff_id"
                                           " WHERE s.staff_id = 'S03' AND s.ward IS p.ward"), ==, 2);

  /* Anyone on staff reads. */
  listed = get (f, nurse, "/api/v1/schedules?staff_id=S03");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (listed, "shifts"))), ==, 2);
  g_assert_cmpint (hg_test_json_int (listed, "shifts.1.id"), ==, id);
  g_assert_true (hg_test_json_is_null (listed, "next_cursor"));

  g_assert_cmpuint (delete_shift (f, f->charge, id), ==, 204);
  after = get (f, nurse, "/api/v1/schedules?staff_id=S03");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (after, "shifts"))), ==, 1);
  g_assert_cmpuint (delete_shift (f, f->charge, id), ==, 404);

  /* Admins write too, and may give the role explicitly. */
  {
    g_autofree char *admin = hg_test_login (f->ts, "A01");
    g_autofree char *starts = time_from_now (40 * 24 * HOUR_MS);
    g_autofree char *ends = time_from_now (40 * 24 * HOUR_MS + HOUR_MS);
    g_autofree char *body = g_strdup_printf ("{\"staff_id\": \"N02\", \"role\": \"nurse\", \"ward\": \"Emergency\","
                                             " \"starts_at\": \"%s\", \"ends_at\": \"%s\"}", starts, ends);
    g_autoptr(JsonNode) answer = hg_test_request (f->ts, "POST", "/api/v1/schedules", admin, body, &status);

    g_assert_cmpuint (status, ==, 201);
    g_assert_cmpstr (hg_test_json_string (answer, "ward"), ==, "Emergency");
    g_assert_cmpstr (hg_test_json_string (answer, "starts_at"), ==, starts);
  }
}

typedef struct {
  const char *who;       /* "charge" or "nurse" */
  const char *method;
  const char *path;
  const char *body;      /* NOW+1H etc. are replaced */
  guint       status;
  const char *code;
  const char *field;
} BadRequest;

static char *
expand_times (const char *body)
{
  static const struct { const char *name; gint64 offset; } times[] = {
    { "NOW-2H", -2 * HOUR_MS }, { "NOW-1H", -HOUR_MS }, { "NOW+1H", HOUR_MS },
    { "NOW+2H", 2 * HOUR_MS }, { "NOW+9D", 9 * 24 * HOUR_MS },
    { "LATER+1H", 31 * 24 * HOUR_MS + HOUR_MS }, { "LATER", 31 * 24 * HOUR_MS },
  };
  g_autofree char *text = g_strdup (body);

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *value = time_from_now (times[i].offset);
      g_auto(GStrv) parts = g_strsplit (text, times[i].name, -1);

      g_free (text);
      text = g_strjoinv (value, parts);
    }
  return g_steal_pointer (&text);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  static const BadRequest cases[] = {
    { "charge", "POST", "/api/v1/schedules", "{\"staff_id\": \"S03\", \"starts_at\": \"tomorrow\", \"ends_at\": \"NOW+2H\"}",
      400, "invalid_field", "starts_at" },
    { "charge", "POST", "/api/v1/schedules", "{\"staff_id\": \"S03\", \"starts_at\": \"LATER+1H\", \"ends_at\": \"LATER\"}",
      400, "invalid_field", "ends_at" },
    { "charge", "POST", "/api/v1/schedules", "{\"staff_id\": \"S03\", \"starts_at\": \"NOW-2H\", \"ends_at\": \"NOW-1H\"}",
      400, "invalid_field", "ends_at" },
    { "charge", "POST", "/api/v1/schedules", "{\"staff_id\": \"S03\", \"starts_at\": \"NOW+1H\", \"ends_at\": \"NOW+9D\"}",
      400, "out_of_range", "ends_at" },
    { "charge", "POST", "/api/v1/schedules", "{\"starts_at\": \"LATER\", \"ends_at\": \"LATER+1H\"}",
      400, "missing_field", "staff_id" },
    { "charge", "POST", "/api/v1/schedules", "{\"staff_id\": \"S03\", \"ends_at\": \"LATER+1H\"}",
      400, "missing_field", "starts_at" },
    { "charge", "POST", "/api/v1/schedules", "{\"staff_id\": \"S03\", \"role\": \"surgeon\", \"starts_at\": \"LATER\", \"ends_at\": \"LATER+1H\"}",
      400, "invalid_enum", "role" },
    { "charge", "POST", "/api/v1/schedules", "{\"staff_id\": 3, \"starts_at\": \"LATER\", \"ends_at\": \"LATER+1H\"}",
      400, "invalid_field", "staff_id" },
    { "nurse", "POST", "/api/v1/schedules", "{\"staff_id\": \"S03\", \"starts_at\": \"LATER\", \"ends_at\": \"LATER+1H\"}",
      403, "role_not_allowed", NULL },
    { "nurse", "DELETE", "/api/v1/schedules/1", NULL, 403, "role_not_allowed", NULL },
    { "charge", "DELETE", "/api/v1/schedules/99999", NULL, 404, "not_found", NULL },
    { "charge", "DELETE", "/api/v1/schedules/abc", NULL, 404, "not_found", NULL },
    /* S03's demo shift runs now. */
    { "charge", "POST", "/api/v1/schedules", "{\"staff_id\": \"S03\", \"starts_at\": \"NOW+1H\", \"ends_at\": \"NOW+2H\"}",
      409, "shift_overlap", "starts_at" },
    { "charge", "POST", "/api/v1/schedules", "{\"staff_id\": \"X99\", \"starts_at\": \"LATER\", \"ends_at\": \"LATER+1H\"}",
      422, "unknown_staff", "staff_id" },
    { "charge", "POST", "/api/v1/schedules", "{\"staff_id\": \"S03\", \"role\": \"nurse\", \"starts_at\": \"LATER\", \"ends_at\": \"LATER+1H\"}",
      422, "role_mismatch", "role" },
    { "charge", "POST", "/api/v1/schedules", "{\"staff_id\": \"A01\", \"starts_at\": \"LATER\", \"ends_at\": \"LATER+1H\"}",
      422, "staff_cannot_take_shifts", "staff_id" },
    { "charge", "GET", "/api/v1/schedules?from=yesterday", NULL, 400, "invalid_field", "from" },
    { "charge", "GET", "/api/v1/schedules?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", NULL,
      400, "invalid_field", "to" },
    { "charge", "GET", "/api/v1/schedules?cursor=bogus", NULL, 400, "invalid_cursor", "cursor" },
    { "charge", "PUT", "/api/v1/me/availability", "{\"reason\": \"break\"}", 400, "missing_field", "available" },
    { "charge", "PUT", "/api/v1/me/availability", "{\"available\": \"no\"}", 400, "invalid_field", "available" },
  };
  g_autofree char *nurse = hg_test_login (f->ts, "N02");
  g_autofree char *before = fingerprint (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const BadRequest *c = &cases[i];
      g_autofree char *body = c->body ? expand_times (c->body) : NULL;
      g_autofree char *after = NULL;
      g_autoptr(JsonNode) answer = NULL;
      guint status;

      answer = hg_test_request (f->ts, c->method, c->path, g_str_equal (c->who, "nurse") ? nurse : f->charge,
                                body, &status);
      g_test_message ("%s %s %s", c->method, c->path, body ? body : "");
      g_assert_cmpuint (status, ==, c->status);
      g_assert_cmpstr (hg_test_json_string (answer, "error.code"), ==, c->code);
      g_assert_cmpstr (hg_test_json_string (answer, "error.field"), ==, c->field);
      after = fingerprint (f);
      g_assert_cmpstr (after, ==, before);
    }

  {
    /* A reason is at most 200 characters. */
    g_autofree char *reason = g_strnfill (201, 'x');
    g_autofree char *body = g_strdup_printf ("{\"available\": false, \"reason\": \"%s\"}", reason);
    g_autofree char *after = NULL;
    g_autoptr(JsonNode) answer = NULL;
    guint status;

    answer = hg_test_request (f->ts, "PUT", "/api/v1/me/availability", f->charge, body, &status);
    g_assert_cmpuint (status, ==, 400);
    g_assert_cmpstr (hg_test_json_string (answer, "error.field"), ==, "reason");
    after = fingerprint (f);
    g_assert_cmpstr (after, ==, before);
  }
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  g_autofree char *from = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) later = NULL;
  g_autoptr(JsonNode) windowed = NULL;
  gint64 last_end = 0;
  guint pages = 0;
  guint status;

  /* Every demo shift, five at a time, in order of end. */
  do
    {
      g_autofree char *page_path = cursor ? g_strdup_printf ("/api/v1/schedules?limit=5&cursor=%s", cursor)
                                          : g_strdup ("/api/v1/schedules?limit=5");
      g_autoptr(JsonNode) page = get (f, f->charge, page_path);
      JsonArray *shifts = json_node_get_array (hg_test_json_get (page, "shifts"));

      g_assert_cmpuint (json_array_get_length (shifts), <=, 5);
      for (guint i = 0; i < json_array_get_length (shifts); i++)
        {
          JsonObject *shift = json_array_get_object_element (shifts, i);
          gint64 end;

          g_assert_true (hg_time_parse (json_object_get_string_member (shift, "ends_at"), &end));
          g_assert_cmpint (end, >=, last_end);
          last_end = end;
          g_assert_true (g_hash_table_add (seen, g_memdup2 (&(gint64) { json_object_get_int_member (shift, "id") },
                                                            sizeof (gint64))));
        }
      g_clear_pointer (&cursor, g_free);
      cursor = g_strdup (hg_test_json_string (page, "next_cursor"));
      pages++;
    }
  while (cursor != NULL && pages < 20);
  g_assert_cmpuint (g_hash_table_size (seen), ==, hg_test_sql_int (f->db, "SELECT count(*) FROM shifts"));

  /* A window after the demo shifts holds only what was added there. */
  later = post_shift (f, f->charge, "S05", 31 * 24 * HOUR_MS, 31 * 24 * HOUR_MS + 8 * HOUR_MS, &status);
  g_assert_cmpuint (status, ==, 201);
  from = time_from_now (30 * 24 * HOUR_MS + 2 * HOUR_MS);
  path = g_strdup_printf ("/api/v1/schedules?from=%s", from);
  windowed = get (f, f->charge, path);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (windowed, "shifts"))), ==, 1);
  g_assert_cmpint (hg_test_json_int (windowed, "shifts.0.id"), ==, hg_test_json_int (later, "id"));

  {
    /* "to" keeps only the shifts that start before it. */
    g_autofree char *to = time_from_now (30 * 24 * HOUR_MS + 3 * HOUR_MS);
    g_autofree char *bounded = g_strdup_printf ("/api/v1/schedules?from=%s&to=%s", from, to);
    g_autoptr(JsonNode) none = get (f, f->charge, bounded);
    g_autoptr(JsonNode) mine = get (f, f->charge, "/api/v1/schedules?staff_id=me");
    g_autoptr(JsonNode) ward = get (f, f->charge, "/api/v1/schedules?ward=Neurology");

    g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (none, "shifts"))), ==, 0);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (mine, "shifts"))), ==, 1);
    g_assert_cmpstr (hg_test_json_string (mine, "shifts.0.staff_id"), ==, "N01");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (ward, "shifts"))), ==,
                      hg_test_sql_int (f->db, "SELECT count(*) FROM shifts WHERE ward = 'Neurology'"));
  }
}

/* --- Availability and on-call -------------------------------------------- */

static gboolean
staff_flag (Fixture    *f,
            const char *id,
            const char *member)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/staff/%s", id);
  g_autoptr(JsonNode) staff = get (f, f->charge, path);

  return json_node_get_boolean (hg_test_json_get (staff, member));
}

static JsonNode *
set_available (Fixture    *f,
               const char *token,
               const char *body)
{
  guint status;
  JsonNode *answer = hg_test_request (f->ts, "PUT", "/api/v1/me/availability", token, body, &status);

  g_assert_cmpuint (status, ==, 200);
  return answer;
}

static void
test_availability (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *s01 = hg_test_login (f->ts, "S01");
  g_autoptr(JsonNode) away = set_available (f, s01, "{\"available\": false, \"reason\": \"break\"}");
  g_autoptr(JsonNode) oncall = NULL;
  g_autoptr(JsonNode) back = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *reason = NULL;

  g_assert_cmpstr (hg_test_json_string (away, "id"), ==, "S01");
  g_assert_false (json_node_get_boolean (hg_test_json_get (away, "available")));
  g_assert_true (json_node_get_boolean (hg_test_json_get (away, "on_duty")));
  reason = hg_test_sql_text (f->db, "SELECT available_reason FROM staff WHERE id = 'S01'");
  g_assert_cmpstr (reason, ==, "break");

  /* Both cardiac arrests go to the other cardiologist. */
  post_alert (f, "CARDIAC_ARREST", "P001", &first);
  post_alert (f, "CARDIAC_ARREST", "P002", &second);
  g_assert_cmpstr (first, ==, "S02");
  g_assert_cmpstr (second, ==, "S02");
  /* Unavailable is not off duty. */
  g_assert_true (staff_flag (f, "S01", "on_duty"));
  g_assert_false (staff_flag (f, "S01", "available"));
  oncall = get (f, f->charge, "/api/v1/oncall/current?role=specialist&specialty=cardiology");
  g_assert_true (list_has (oncall, "staff", "S01"));

  back = set_available (f, s01, "{\"available\": true}");
  g_assert_true (json_node_get_boolean (hg_test_json_get (back, "available")));
  post_alert (f, "CARDIAC_ARREST", "P003", &third);
  g_assert_cmpstr (third, ==, "S01");
}

static void
test_logged_in (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *token = NULL;

  g_assert_false (staff_flag (f, "S07", "logged_in"));
  token = hg_test_login (f->ts, "S07");
  g_assert_true (staff_flag (f, "S07", "logged_in"));
}

static void
no_pulmonologist_but_s04 (const char *db_path,
                          gpointer    user_data)
{
  hg_test_sql (db_path, "DELETE FROM shifts WHERE staff_id = 'S03'");
}

static gboolean
pulmonologist_on_call (Fixture    *f,
                       const char *id)
{
  g_autoptr(JsonNode) oncall = get (f, f->charge, "/api/v1/oncall/current?role=specialist&specialty=pulmonology");

  return list_has (oncall, "staff", id);
}

static void
test_oncall_follows_shifts (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) now = NULL;
  g_autoptr(JsonNode) later = NULL;
  guint status;

  g_assert_false (pulmonologist_on_call (f, "S03"));
  g_assert_true (pulmonologist_on_call (f, "S04"));

  /* A shift that starts later does not put anyone on call now. */
  later = post_shift (f, f->charge, "S03", 2 * HOUR_MS, 10 * HOUR_MS, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_false (pulmonologist_on_call (f, "S03"));

  now = post_shift (f, f->charge, "S03", -60 * 1000, HOUR_MS, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_true (pulmonologist_on_call (f, "S03"));
  g_assert_true (staff_flag (f, "S03", "on_duty"));

  g_assert_cmpuint (delete_shift (f, f->charge, hg_test_json_int (now, "id")), ==, 204);
  g_assert_false (pulmonologist_on_call (f, "S03"));
  g_assert_false (staff_flag (f, "S03", "on_duty"));
}

/* --- Handover ----------------------------------------------------------- */

/* S01's only shift ends three seconds after the server starts. */
static void
s01_leaving_soon (const char *db_path,
                  gpointer    user_data)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM shifts WHERE staff_id = 'S01';"
                                          " INSERT INTO shifts (staff_id, role, ward, starts_at, ends_at)"
                                          " VALUES ('S01', 'specialist', 'Cardiology', %" G_GINT64_FORMAT
                                          ", %" G_GINT64_FORMAT ")", now_ms () - HOUR_MS, now_ms () + 3000);
  hg_test_sql (db_path, sql);
}

/* ...and nobody else is on duty. */
static void
s01_alone_leaving_soon (const char *db_path,
                        gpointer    user_data)
{
  hg_test_sql (db_path, "DELETE FROM shifts");
  s01_leaving_soon (db_path, user_data);
}

/* ...and S01 comes straight back for another shift. */
static void
s01_back_to_back (const char *db_path,
                  gpointer    user_data)
{
  g_autofree char *sql = NULL;

  s01_leaving_soon (db_path, user_data);
  sql = g_strdup_printf ("INSERT INTO shifts (staff_id, role, ward, starts_at, ends_at)"
                         " SELECT staff_id, role, ward, ends_at, ends_at + %" G_GINT64_FORMAT
                         " FROM shifts WHERE staff_id = 'S01'", 8 * HOUR_MS);
  hg_test_sql (db_path, sql);
}

/* A cardiac arrest that S01 holds and has acknowledged. */
static gint64
incident_for_s01 (Fixture    *f,
                  const char *s01)
{
  g_autofree char *assignee = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) acked = NULL;
  gint64 id = post_alert (f, "CARDIAC_ARREST", "P001", &assignee);
  guint status;

  g_assert_cmpstr (assignee, ==, "S01");
  path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/acknowledge", id);
  acked = hg_test_request (f->ts, "POST", path, s01, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return id;
}

static void
test_handover (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *s01 = hg_test_login (f->ts, "S01");
  g_autofree char *s02 = hg_test_login (f->ts, "S02");
  gint64 id = incident_for_s01 (f, s01);
  g_autoptr(JsonNode) incident = wait_for_entry (f, id, "handover");
  JsonObject *entry = find_entry (incident, "handover");
  const char *detail = json_object_get_string_member (entry, "detail");

  g_assert_cmpstr (hg_test_json_string (incident, "assignee.id"), ==, "S02");
  /* The new holder acknowledges it for themselves. */
  g_assert_cmpstr (hg_test_json_string (incident, "status"), ==, "assigned");
  g_assert_cmpstr (json_object_get_string_member (entry, "from"), ==, "acknowledged");
  g_assert_nonnull (strstr (detail, "S01"));
  g_assert_nonnull (strstr (detail, "S02"));
  g_assert_true (has_notification (f, s01, id, "reassigned"));
  g_assert_true (has_notification (f, s02, id, "assigned"));
  g_assert_false (staff_flag (f, "S01", "on_duty"));
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM shifts WHERE staff_id = 'S01'"
                                           " AND handled_at IS NULL"), ==, 0);
  /* The stream heard that S01 went off duty. */
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM events WHERE type = 'staff.updated'"
                                           " AND json_extract(data, '$.id') = 'S01'"
                                           " AND json_extract(data, '$.on_duty') = 0"), >=, 1);
  /* Handled once: nothing repeats it. */
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM timeline WHERE action = 'handover'"), ==, 1);
}

static void
test_handover_nobody (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *s01 = hg_test_login (f->ts, "S01");
  gint64 id = incident_for_s01 (f, s01);
  g_autoptr(JsonNode) kept = wait_for_entry (f, id, "handover_failed");
  g_autoptr(JsonNode) shift = NULL;
  g_autoptr(JsonNode) handed = NULL;
  guint status;

  g_assert_cmpstr (hg_test_json_string (kept, "assignee.id"), ==, "S01");
  g_assert_cmpstr (hg_test_json_string (kept, "status"), ==, "acknowledged");
  g_assert_nonnull (strstr (json_object_get_string_member (find_entry (kept, "handover_failed"), "detail"), "S01"));
  g_assert_true (has_notification (f, s01, id, "reminder"));
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM handovers_pending"), ==, 1);

  /* The next shift to start takes it. */
  shift = post_shift (f, f->charge, "S02", -1000, 8 * HOUR_MS, &status);
  g_assert_cmpuint (status, ==, 201);
  handed = wait_for_entry (f, id, "handover");
  g_assert_cmpstr (hg_test_json_string (handed, "assignee.id"), ==, "S02");
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM handovers_pending"), ==, 0);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM timeline WHERE action = 'handover_failed'"), ==, 1);
}

static void
test_back_to_back (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *s01 = hg_test_login (f->ts, "S01");
  gint64 id = incident_for_s01 (f, s01);
  g_autoptr(JsonNode) incident = NULL;

  for (gint64 deadline = now_ms () + WAIT_MS;
       hg_test_sql_int (f->db, "SELECT count(*) FROM shifts WHERE handled_at IS NOT NULL") == 0;
       g_usleep (50 * 1000))
    g_assert_cmpint (now_ms (), <, deadline);
  incident = get_incident (f, id);
  g_assert_cmpstr (hg_test_json_string (incident, "assignee.id"), ==, "S01");
  g_assert_null (find_entry (incident, "handover"));
  g_assert_null (find_entry (incident, "handover_failed"));
  g_assert_true (staff_flag (f, "S01", "on_duty"));
}

static void
test_delete_running_shift (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *s01 = hg_test_login (f->ts, "S01");
  gint64 id = incident_for_s01 (f, s01);
  gint64 shift = hg_test_sql_int (f->db, "SELECT id FROM shifts WHERE staff_id = 'S01'");
  g_autoptr(JsonNode) incident = NULL;
  JsonObject *entry;

  /* Ending a shift early hands over in the same transaction. */
  g_assert_cmpuint (delete_shift (f, f->charge, shift), ==, 204);
  incident = get_incident (f, id);
  g_assert_cmpstr (hg_test_json_string (incident, "assignee.id"), ==, "S02");
  entry = find_entry (incident, "handover");
  g_assert_nonnull (entry);
  g_assert_nonnull (strstr (json_object_get_string_member (entry, "detail"), "S01"));
  g_assert_false (staff_flag (f, "S01", "on_duty"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, prepare) \
  g_test_add ("/server/shifts/" path, Fixture, (gconstpointer) (prepare), setup, func, teardown)
  ADD ("schedules-crud", test_crud, NULL);
  ADD ("schedules-errors", test_errors, NULL);
  ADD ("schedules-list", test_list, NULL);
  ADD ("availability", test_availability, NULL);
  ADD ("logged-in", test_logged_in, NULL);
  ADD ("oncall-follows-shifts", test_oncall_follows_shifts, no_pulmonologist_but_s04);
  ADD ("handover", test_handover, s01_leaving_soon);
  ADD ("handover-nobody-on-duty", test_handover_nobody, s01_alone_leaving_soon);
  ADD ("handover-back-to-back", test_back_to_back, s01_back_to_back);
  ADD ("handover-on-delete", test_delete_running_shift, NULL);
#undef ADD

  return g_test_run ();
}
