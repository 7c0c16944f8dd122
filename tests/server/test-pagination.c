/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Acceptance: GET /incidents pages stay fast on a big table: the plan uses
 * an index (a test checks EXPLAIN QUERY PLAN), no OFFSET.
 *
 * The plan tests build the SQL of every filter shape with
 * hg_store_incident_list_sql (), the very text the server runs, and ask
 * SQLite how it would run it on a hospital with 20,000 resolved incidents
 * behind it and 200 active ones. They look at it as the server sees the
 * file: the server never runs ANALYZE, so the planner has no statistics;
 * the index check runs once more after ANALYZE (as after a "PRAGMA
 * optimize" some day). A bare "SCAN" of a table fails; so does, in its own
 * test, a temporary B-tree that sorts the matches before the LIMIT, since
 * it reads every matching row below the cursor to return 50. A list of
 * statuses or severities runs as one LIMITed branch per value; sorting a
 * branch's page of rows for the merge is allowed, as its size is the
 * page's, not the table's.
 *
 * The cost test runs the first two pages of each shape, as the server
 * binds them, on 2,000 and on 20,000 incidents of history, and compares
 * SQLite's virtual machine steps (SQLITE_STMTSTATUS_VM_STEP): no timing.
 * The walk tests page through the API itself. */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "hg-store.h"
#include "hg-test-server.h"

#define BIG_TABLE   20000
#define SMALL_TABLE 2000

/* --- A big hospital --------------------------------------------------- */

/* Active incidents at any time: what a ward has on its hands does not grow
 * with the years behind it. */
#define ACTIVE 200

/* Spread without random (): the same hospital on every run. */
#define RANDOM_COLUMNS \
  " h AS (SELECT x, (x * 2654435761) %% 4294967291 AS h FROM n)," \
  " r AS (SELECT x, h %% 20 AS v, (h / 20) %% 10 AS p, (h / 200) %% 5 AS w, (h / 1000) %% 22 AS a FROM h)"
#define COLUMNS \
  "   CASE WHEN v = 0 THEN 'critical' WHEN v < 4 THEN 'high' WHEN v < 10 THEN 'medium' ELSE 'low' END," \
  "   'Call button', 'CALL_BUTTON'," \
  "   CASE WHEN p < 8 THEN printf('P%%03d', p + 1) END," \
  "   CASE w WHEN 0 THEN 'Cardiology' WHEN 1 THEN 'Pulmonology' WHEN 2 THEN 'Neurology'" \
  "          WHEN 3 THEN 'Surgery' ELSE 'Emergency' END,"
#define STAFF_IDS "'N01N02N03N04N05N06D01D02D03D04S01S02S03S04S05S06S07S08S09S10S11S12'"

/* Fills the incidents table, in one transaction, as in a hospital that has
 * run for a while: @user_data resolved incidents of the past, then ACTIVE
 * current ones (open, assigned, acknowledged, in progress), all spread over
 * severities, wards, patients and assignees. */
static void
insert_incidents (const char *db_path,
                  gpointer    user_data)
{
  guint history = GPOINTER_TO_UINT (user_data);
  g_autofree char *sql = g_strdup_printf (
    "BEGIN;"
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < %u)," RANDOM_COLUMNS
    " INSERT INTO incidents (status, severity, title, alert_type, patient_id, ward, assignee_id,"
    "   required_role, dedup_key, created_at, assigned_at, acknowledged_at, started_at, resolved_at)"
    " SELECT 'resolved'," COLUMNS
    "   substr(" STAFF_IDS ", 1 + 3 * a, 3), 'nurse', 'past/' || x, 1700000000000 + x * 60000,"
    "   1700000000000 + x * 60000 + 1000, 1700000000000 + x * 60000 + 20000,"
    "   1700000000000 + x * 60000 + 40000, 1700000000000 + x * 60000 + 600000"
    " FROM r;"
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < %u)," RANDOM_COLUMNS
    " INSERT INTO incidents (status, severity, title, alert_type, patient_id, ward, assignee_id,"
    "   required_role, dedup_key, created_at)"
    " SELECT CASE x %% 4 WHEN 0 THEN 'open' WHEN 1 THEN 'assigned' WHEN 2 THEN 'acknowledged'"
    "          ELSE 'in_progress' END," COLUMNS
    "   CASE WHEN x %% 4 <> 0 THEN substr(" STAFF_IDS ", 1 + 3 * a, 3) END,"
    "   'nurse', 'now/' || x, 1700000000000 + (%u + x) * 60000"
    " FROM r;"
    "COMMIT;", history, ACTIVE, history);

  hg_test_sql (db_path, sql);
}

typedef struct {
  HgTestServer *ts;
  const char   *db;
} Fixture;

static void
setup_big (Fixture       *f,
           gconstpointer  data)
{
  f->ts = hg_test_server_start (insert_incidents, GUINT_TO_POINTER (BIG_TABLE));
  f->db = hg_test_server_db_path (f->ts);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM incidents"), ==, BIG_TABLE + ACTIVE);
}

static void
setup_empty (Fixture       *f,
             gconstpointer  data)
{
  f->ts = hg_test_server_start (NULL, NULL);
  f->db = hg_test_server_db_path (f->ts);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  hg_test_server_stop (f->ts);
}

/* --- Filter shapes ---------------------------------------------------- */

typedef struct {
  const char *name;        /* as a client writes it */
  guint       statuses;
  guint       severities;
  const char *assignee;
  const char *ward;
  const char *patient;
} Shape;

#define STATUS(s)   (1u << HG_INCIDENT_STATUS_##s)
#define SEVERITY(s) (1u << HG_SEVERITY_##s)

static const Shape shapes[] = {
  { "(no filter)", 0, 0, NULL, NULL, NULL },
  { "status=open", STATUS (OPEN), 0, NULL, NULL, NULL },
  { "status=resolved", STATUS (RESOLVED), 0, NULL, NULL, NULL },
  { "status=open,assigned", STATUS (OPEN) | STATUS (ASSIGNED), 0, NULL, NULL, NULL },
  { "status=assigned,acknowledged,in_progress",
    STATUS (ASSIGNED) | STATUS (ACKNOWLEDGED) | STATUS (IN_PROGRESS), 0, NULL, NULL, NULL },
  { "severity=critical", 0, SEVERITY (CRITICAL), NULL, NULL, NULL },
  { "severity=critical,high", 0, SEVERITY (CRITICAL) | SEVERITY (HIGH), NULL, NULL, NULL },
  { "assignee=S01", 0, 0, "S01", NULL, NULL },
  { "ward=Cardiology", 0, 0, NULL, "Cardiology", NULL },
  { "patient_id=P001", 0, 0, NULL, NULL, "P001" },
  /* A specialist's "my active incidents" and a ward's board. */
  { "status=assigned&assignee=S01", STATUS (ASSIGNED), 0, "S01", NULL, NULL },
  { "status=assigned,acknowledged,in_progress&assignee=S01",
    STATUS (ASSIGNED) | STATUS (ACKNOWLEDGED) | STATUS (IN_PROGRESS), 0, "S01", NULL, NULL },
  { "status=open&ward=Cardiology", STATUS (OPEN), 0, NULL, "Cardiology", NULL },
  { "severity=critical&ward=Cardiology", 0, SEVERITY (CRITICAL), NULL, "Cardiology", NULL },
};

static char *
shape_sql (const Shape *shape,
           gint64       before_id)
{
  HgIncidentFilter filter = { 0 };
  char *sql;

  filter.statuses = shape->statuses;
  filter.severities = shape->severities;
  filter.assignee_id = g_strdup (shape->assignee);
  filter.ward = g_strdup (shape->ward);
  filter.patient_id = g_strdup (shape->patient);
  filter.before_id = before_id;
  filter.limit = 50;
  sql = hg_store_incident_list_sql (&filter);
  hg_incident_filter_clear (&filter);
  return sql;
}

/* The plan's rows, one "detail" a line. */
static char *
query_plan (sqlite3    *db,
            const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  sqlite3_stmt *stmt = NULL;
  GString *plan = g_string_new (NULL);

  if (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("cannot explain %s: %s", sql, sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  return g_string_free (plan, FALSE);
}

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

typedef enum {
  CHECK_INDEX,       /* no full table scan */
  CHECK_NO_SORT,     /* no temporary B-tree to sort the page */
} PlanCheck;

/* Checks every shape, with and without a cursor, and lists the shapes that
 * fail (with their plans) so that one run reports them all. */
static void
check_plans (Fixture   *f,
             PlanCheck  check,
             gboolean   analyze)
{
  sqlite3 *db = open_db (f->db);
  GString *failures = g_string_new (NULL);

  if (analyze)
    g_assert_cmpint (sqlite3_exec (db, "ANALYZE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (hg_test_sql_int (f->db, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"),
                   ==, analyze ? 1 : 0);

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autofree char *first = shape_sql (&shapes[i], 0);
      g_autofree char *next = shape_sql (&shapes[i], BIG_TABLE / 2);
      g_autofree char *plan = query_plan (db, next);
      g_auto(GStrv) rows = g_strsplit (plan, "\n", -1);
      gboolean bad = FALSE;

      /* The cursor is always bound (?1), so both pages run one statement. */
      g_assert_cmpstr (first, ==, next);
      g_test_message ("%s%s:\n%s", shapes[i].name, analyze ? " (analyzed)" : "", plan);
      for (guint r = 0; rows[r] != NULL; r++)
        {
          /* A list of values is one branch per value, each LIMITed to a
           * page; scanning and ordering such a branch's rows for the merge
           * is bounded by the page, not the table. */
          gboolean branch = g_str_has_prefix (rows[r], "SCAN (subquery-");
          gboolean sorts_branch = r > 0 && g_str_has_prefix (rows[r - 1], "SCAN (subquery-");

          if (check == CHECK_INDEX)
            bad |= g_str_has_prefix (rows[r], "SCAN ") && strstr (rows[r], " USING ") == NULL && !branch;
          else
            bad |= strstr (rows[r], "TEMP B-TREE") != NULL && !sorts_branch;
        }
      if (bad)
        g_string_append_printf (failures, "%s%s:\n%s", shapes[i].name, analyze ? " (analyzed)" : "", plan);
    }
  sqlite3_close (db);
  /* Empty when every shape passed; else the shapes and their plans. */
  g_assert_cmpstr (failures->str, ==, "");
  g_string_free (failures, TRUE);
}

static void
test_plan_uses_index (Fixture       *f,
                      gconstpointer  data)
{
  check_plans (f, CHECK_INDEX, FALSE);
}

static void
test_plan_uses_index_analyzed (Fixture       *f,
                               gconstpointer  data)
{
  check_plans (f, CHECK_INDEX, TRUE);
}

static void
test_plan_no_sort (Fixture       *f,
                   gconstpointer  data)
{
  check_plans (f, CHECK_NO_SORT, FALSE);
}

static void
test_plan_no_offset (Fixture       *f,
                     gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autofree char *sql = shape_sql (&shapes[i], 1234);
      g_autofree char *upper = g_ascii_strup (sql, -1);

      /* Keyset pagination: below the cursor's id, newest first, a limit. */
      g_assert_null (strstr (upper, "OFFSET"));
      g_assert_nonnull (strstr (sql, "i.id < ?"));
      g_assert_nonnull (strstr (upper, "ORDER BY I.ID DESC"));
      g_assert_nonnull (strstr (upper, "LIMIT ?"));
    }
}

/* --- What a page costs ------------------------------------------------ */

/* Runs a shape's page as the server does (the same SQL and parameters) and
 * returns how many virtual machine steps it took; @out_last is the id a
 * next page starts below, 0 when there is none. */
static int
page_cost (sqlite3     *db,
           const Shape *shape,
           gint64       before_id,
           gint64      *out_last,
           gboolean    *out_sorted)
{
  g_autofree char *sql = shape_sql (shape, before_id);
  sqlite3_stmt *stmt = NULL;
  guint rows = 0;
  int steps;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, before_id > 0 ? before_id : G_MAXINT64);
  if (shape->assignee)
    sqlite3_bind_text (stmt, 2, shape->assignee, -1, SQLITE_STATIC);
  if (shape->ward)
    sqlite3_bind_text (stmt, 3, shape->ward, -1, SQLITE_STATIC);
  if (shape->patient)
    sqlite3_bind_text (stmt, 4, shape->patient, -1, SQLITE_STATIC);
  /* A page of 50 and one more to know whether another follows. */
  sqlite3_bind_int (stmt, 5, 51);
  *out_last = 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (++rows == 50)
      *out_last = sqlite3_column_int64 (stmt, 0);
  if (rows <= 50)
    *out_last = 0;
  steps = sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_VM_STEP, FALSE);
  *out_sorted = sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_SORT, FALSE) > 0;
  sqlite3_finalize (stmt);
  return steps;
}

/* The first two pages of every shape, on a hospital with 2,000 incidents
 * behind it and on one with 20,000 (the same 200 active ones on both):
 * within twice the cost, where a cost that grows with the table would be
 * about ten times. */
static void
test_page_cost (void)
{
  HgTestServer *small = hg_test_server_start (insert_incidents, GUINT_TO_POINTER (SMALL_TABLE));
  HgTestServer *big = hg_test_server_start (insert_incidents, GUINT_TO_POINTER (BIG_TABLE));
  sqlite3 *small_db = open_db (hg_test_server_db_path (small));
  sqlite3 *big_db = open_db (hg_test_server_db_path (big));
  GString *failures = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      gint64 small_cursor = 0, big_cursor = 0;

      for (guint page = 1; page <= 2; page++)
        {
          gboolean small_sorted, big_sorted;
          int small_cost = page_cost (small_db, &shapes[i], small_cursor, &small_cursor, &small_sorted);
          int big_cost = page_cost (big_db, &shapes[i], big_cursor, &big_cursor, &big_sorted);
          g_autofree char *line = g_strdup_printf ("%s, page %u: %d steps with %d incidents, %d with %d%s\n",
                                                   shapes[i].name, page, small_cost, SMALL_TABLE + ACTIVE,
                                                   big_cost, BIG_TABLE + ACTIVE,
                                                   big_sorted ? " (sorted)" : "");

          g_test_message ("%s", line);
          if (big_cost > 2 * small_cost + 1000)
            g_string_append (failures, line);
          /* A second page only where both had one. */
          if (small_cursor == 0 || big_cursor == 0)
            break;
        }
    }
  sqlite3_close (small_db);
  sqlite3_close (big_db);
  hg_test_server_stop (small);
  hg_test_server_stop (big);
  g_assert_cmpstr (failures->str, ==, "");
  g_string_free (failures, TRUE);
}

/* --- Walking the pages through the API -------------------------------- */

static void
post_batch (Fixture    *f,
            const char *token,
            guint       count,
            const char *tag,
            GArray     *incident_ids,
            GArray     *high_ids)
{
  GString *body = g_string_new ("[");
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *results;

  for (guint i = 0; i < count; i++)
    g_string_append_printf (body, "%s{\"type\": \"CALL_BUTTON\", \"patient_id\": \"P00%u\","
                            " \"severity\": \"%s\", \"dedup_key\": \"%s-%u\"}",
                            i ? ", " : "", 1 + i % 8, i % 2 ? "high" : "low", tag, i);
  g_string_append (body, "]");
  answer = hg_test_post_alert (f->ts, token, body->str);
  g_string_free (body, TRUE);

  results = json_node_get_array (hg_test_json_get (answer, "results"));
  g_assert_cmpuint (json_array_get_length (results), ==, count);
  for (guint i = 0; i < count; i++)
    {
      JsonNode *result = json_array_get_element (results, i);
      gint64 id = hg_test_json_int (result, "incident.id");

      g_assert_false (json_node_get_boolean (hg_test_json_get (result, "deduplicated")));
      if (incident_ids != NULL)
        g_array_append_val (incident_ids, id);
      if (high_ids != NULL && i % 2)
        g_array_append_val (high_ids, id);
    }
}

/* Follows next_cursor from the first page to the end; checks that ids fall
 * strictly across all pages, and that each page but the last is full.
 * Returns every id seen, in order, and the page sizes in @sizes. */
static GArray *
walk (Fixture    *f,
      const char *token,
      const char *list,        /* "incidents" or "alerts" */
      const char *query,       /* "" or "status=…&" */
      guint       limit,
      GString    *sizes)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *cursor = NULL;
  gint64 last = G_MAXINT64;

  for (guint page = 0; page < 1000; page++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/%s?%slimit=%u%s%s", list, query, limit,
                                               cursor ? "&cursor=" : "", cursor ? cursor : "");
      g_autoptr(JsonNode) answer = NULL;
      JsonArray *items;
      guint status, n;

      answer = hg_test_request (f->ts, "GET", path, token, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      items = json_node_get_array (hg_test_json_get (answer, list));
      n = json_array_get_length (items);
      g_string_append_printf (sizes, "%s%u", page ? "," : "", n);
      for (guint i = 0; i < n; i++)
        {
          gint64 id = hg_test_json_int (json_array_get_element (items, i), "id");

          g_assert_cmpint (id, <, last);   /* newest first, no repeats */
          last = id;
          g_array_append_val (ids, id);
        }
      /* The member is always there; null at the end. */
      g_assert_nonnull (hg_test_json_get (answer, "next_cursor"));
      g_free (cursor);
      cursor = g_strdup (hg_test_json_string (answer, "next_cursor"));
      if (cursor == NULL)
        break;
      g_assert_cmpuint (n, ==, limit);
      g_assert_cmpstr (cursor, !=, "");
    }
  g_assert_null (cursor);
  return ids;
}

static gint
compare_desc (gconstpointer a,
              gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x < y) - (x > y);
}

static void
assert_same_ids (GArray *seen,
                 GArray *expected)
{
  g_array_sort (expected, compare_desc);
  g_assert_cmpuint (seen->len, ==, expected->len);
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpint (g_array_index (seen, gint64, i), ==, g_array_index (expected, gint64, i));
}

static void
test_walk (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N01");
  g_autoptr(GArray) posted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) seen = NULL;
  g_autoptr(GString) sizes = g_string_new (NULL);

  post_batch (f, token, 120, "walk", posted, NULL);
  seen = walk (f, token, "incidents", "", 50, sizes);
  g_assert_cmpstr (sizes->str, ==, "50,50,20");
  assert_same_ids (seen, posted);
}

static void
test_walk_default_limit (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N01");
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  post_batch (f, token, 120, "default", NULL, NULL);
  answer = hg_test_request (f->ts, "GET", "/api/v1/incidents", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  /* The contract's default page is 50. */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (hg_test_json_get (answer, "incidents"))), ==, 50);
  g_assert_nonnull (hg_test_json_string (answer, "next_cursor"));
}

/* A last page that is exactly full ends the walk itself: no empty page. */
static void
test_walk_exact_multiple (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N01");
  g_autoptr(GArray) posted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) seen = NULL;
  g_autoptr(GString) sizes = g_string_new (NULL);

  post_batch (f, token, 120, "exact", posted, NULL);
  seen = walk (f, token, "incidents", "", 60, sizes);
  g_assert_cmpstr (sizes->str, ==, "60,60");
  assert_same_ids (seen, posted);
}

static void
test_walk_filtered (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N01");
  g_autoptr(GArray) posted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) high = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) resolved = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) assigned = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) seen = NULL;
  g_autoptr(GString) sizes = g_string_new (NULL);

  post_batch (f, token, 120, "filtered", posted, high);

  /* Severity: the 60 high ones, 25 a page. */
  seen = walk (f, token, "incidents", "severity=high&", 25, sizes);
  g_assert_cmpstr (sizes->str, ==, "25,25,10");
  assert_same_ids (seen, high);

  /* Status: the charge nurse closes 10 as false alarms. */
  for (guint i = 0; i < posted->len; i++)
    {
      gint64 id = g_array_index (posted, gint64, i);

      if (i % 12 == 5)
        {
          g_autofree char *path = g_strdup_printf ("/api/v1/incidents/%" G_GINT64_FORMAT "/resolve", id);
          g_autoptr(JsonNode) answer = NULL;
          guint status;

          answer = hg_test_request (f->ts, "POST", path, token, "{\"note\": \"false alarm\"}", &status);
          g_assert_cmpuint (status, ==, 200);
          g_array_append_val (resolved, id);
        }
      else
        g_array_append_val (assigned, id);
    }
  g_clear_pointer (&seen, g_array_unref);
  g_string_truncate (sizes, 0);
  seen = walk (f, token, "incidents", "status=assigned&", 50, sizes);
  g_assert_cmpstr (sizes->str, ==, "50,50,10");
  assert_same_ids (seen, assigned);

  g_clear_pointer (&seen, g_array_unref);
  g_string_truncate (sizes, 0);
  seen = walk (f, token, "incidents", "status=resolved&", 50, sizes);
  g_assert_cmpstr (sizes->str, ==, "10");
  assert_same_ids (seen, resolved);

  /* A list of statuses pages the same way. */
  g_clear_pointer (&seen, g_array_unref);
  g_string_truncate (sizes, 0);
  seen = walk (f, token, "incidents", "status=open,assigned,resolved&", 50, sizes);
  g_assert_cmpstr (sizes->str, ==, "50,50,20");
  assert_same_ids (seen, posted);
}

/* Keyset pages do not shift when new incidents arrive between two pages,
 * as OFFSET pages would. */
static void
test_walk_while_inserting (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N01");
  g_autoptr(GArray) posted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autofree char *path = NULL;
  JsonArray *items;
  gint64 last;
  guint status;

  post_batch (f, token, 100, "before", posted, NULL);
  first = hg_test_request (f->ts, "GET", "/api/v1/incidents?limit=50", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  items = json_node_get_array (hg_test_json_get (first, "incidents"));
  last = hg_test_json_int (json_array_get_element (items, 49), "id");

  post_batch (f, token, 30, "between", NULL, NULL);
  path = g_strdup_printf ("/api/v1/incidents?limit=50&cursor=%s", hg_test_json_string (first, "next_cursor"));
  second = hg_test_request (f->ts, "GET", path, token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  items = json_node_get_array (hg_test_json_get (second, "incidents"));
  g_assert_cmpuint (json_array_get_length (items), ==, 50);
  /* The second page starts right below the first, whatever came since. */
  g_array_sort (posted, compare_desc);
  for (guint i = 0; i < 50; i++)
    {
      gint64 id = hg_test_json_int (json_array_get_element (items, i), "id");

      g_assert_cmpint (id, <, last);
      g_assert_cmpint (id, ==, g_array_index (posted, gint64, 50 + i));
    }
  g_assert_true (hg_test_json_is_null (second, "next_cursor"));
}

static void
test_walk_alerts (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *token = hg_test_login (f->ts, "N01");
  g_autoptr(GArray) seen = NULL;
  g_autoptr(GString) sizes = g_string_new (NULL);

  post_batch (f, token, 120, "alerts", NULL, NULL);
  seen = walk (f, token, "alerts", "", 50, sizes);
  g_assert_cmpstr (sizes->str, ==, "50,50,20");
  g_assert_cmpuint (seen->len, ==, 120);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/pagination/plan/uses-index", Fixture, NULL, setup_big, test_plan_uses_index, teardown);
  g_test_add ("/server/pagination/plan/uses-index-analyzed", Fixture, NULL, setup_big,
              test_plan_uses_index_analyzed, teardown);
  g_test_add ("/server/pagination/plan/no-offset", Fixture, NULL, setup_empty, test_plan_no_offset, teardown);
  g_test_add ("/server/pagination/plan/no-sort", Fixture, NULL, setup_big, test_plan_no_sort, teardown);
  g_test_add_func ("/server/pagination/page-cost", test_page_cost);
  g_test_add ("/server/pagination/walk", Fixture, NULL, setup_empty, test_walk, teardown);
  g_test_add ("/server/pagination/walk-default-limit", Fixture, NULL, setup_empty, test_walk_default_limit, teardown);
  g_test_add ("/server/pagination/walk-exact-multiple", Fixture, NULL, setup_empty, test_walk_exact_multiple, teardown);
  g_test_add ("/server/pagination/walk-filtered", Fixture, NULL, setup_empty, test_walk_filtered, teardown);
  g_test_add ("/server/pagination/walk-while-inserting", Fixture, NULL, setup_empty,
              test_walk_while_inserting, teardown);
  g_test_add ("/server/pagination/walk-alerts", Fixture, NULL, setup_empty, test_walk_alerts, teardown);

  return g_test_run ();
}
