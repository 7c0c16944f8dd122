/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Bench"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "hg-bench-fill.h"

/* One incident every two seconds on average: some 43,000 a day, a large
 * hospital's alarms with room to spare. */
#define SPACING_MS 2000
/* Rows per transaction. */
#define BATCH_ROWS 100000
/* The stream's event log keeps 48 h (the server's default retention);
 * stay clear of the edge so the server's first prune finds nothing. */
#define STREAM_WINDOW_MS (G_GINT64_CONSTANT (47) * 3600 * 1000)

enum { STEP_CREATED, STEP_ASSIGNED, STEP_ACKNOWLEDGED, STEP_STARTED, STEP_RESOLVED, N_STEPS };

static const char *const step_actions[N_STEPS] = {
  "created", "assigned", "acknowledged", "started", "resolved",
};
static const char *const step_statuses[N_STEPS] = {
  "open", "assigned", "acknowledged", "in_progress", "resolved",
};

typedef struct {
  char *code, *name, *severity, *role, *specialty;
  GPtrArray *candidates;  /* Person*, not owned */
} AlertType;

typedef struct {
  char *id, *name, *ward, *room, *bed;
} Patient;

typedef struct {
  char *id, *name, *role, *specialty;
} Person;

typedef struct {
  sqlite3    *db;
  GPtrArray  *types;      /* AlertType* */
  GArray     *weighted;   /* guint: indexes into types, by how often each occurs */
  GPtrArray  *patients;   /* Patient* */
  GPtrArray  *staff;      /* Person* */
  sqlite3_stmt *incident, *alert, *timeline, *event;
  gint64      in_batch;
  GString    *json;
} Filler;

typedef struct {
  gint64           id;
  const AlertType *type;
  const Patient   *patient;
  const Person    *assignee;
  gint64           at[N_STEPS];   /* 0: not reached */
  int              reached;       /* steps reached, 1 to N_STEPS */
} Incident;

/* A fixed pseudo-random value for (@i, @salt): the same history each run. */
static guint64
mix (guint64 i,
     guint64 salt)
{
  guint64 z = i * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) + salt * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static char *
column (sqlite3_stmt *stmt,
        int           i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

static gboolean
fail (Filler     *f,
      GError    **error,
      const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg (f->db));
  return FALSE;
}

static gboolean
load_demo (Filler  *f,
           GError **error)
{
  static const guint weights[] = { 8, 6, 3, 1 };  /* low, medium, high, critical */
  static const char *const severities[] = { "low", "medium", "high", "critical" };
  sqlite3_stmt *stmt;

  if (sqlite3_prepare_v2 (f->db, "SELECT id, name, role, specialty FROM staff"
                          " WHERE role <> 'admin' ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    return fail (f, error, "reading the staff");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Person *p = g_new0 (Person, 1);

      p->id = column (stmt, 0);
      p->name = column (stmt, 1);
      p->role = column (stmt, 2);
      p->specialty = column (stmt, 3);
      g_ptr_array_add (f->staff, p);
    }
  sqlite3_finalize (stmt);

  if (sqlite3_prepare_v2 (f->db, "SELECT id, name, ward, room, bed FROM patients ORDER BY id",
                          -1, &stmt, NULL) != SQLITE_OK)
    return fail (f, error, "reading the patients");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Patient *p = g_new0 (Patient, 1);

      p->id = column (stmt, 0);
      p->name = column (stmt, 1);
      p->ward = column (stmt, 2);
      p->room = column (stmt, 3);
      p->bed = column (stmt, 4);
      g_ptr_array_add (f->patients, p);
    }
  sqlite3_finalize (stmt);

  if (sqlite3_prepare_v2 (f->db, "SELECT code, name, severity, required_role, specialty FROM alert_types"
                          " ORDER BY code", -1, &stmt, NULL) != SQLITE_OK)
    return fail (f, error, "reading the alert types");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      AlertType *t = g_new0 (AlertType, 1);

      t->code = column (stmt, 0);
      t->name = column (stmt, 1);
      t->severity = column (stmt, 2);
      t->role = column (stmt, 3);
      t->specialty = column (stmt, 4);
      t->candidates = g_ptr_array_new ();
      /* Who takes it: the role (and specialty) it needs, else a nurse. */
      for (guint s = 0; s < f->staff->len; s++)
        {
          Person *p = f->staff->pdata[s];

          if (g_str_equal (p->role, t->role) && (t->specialty == NULL || g_strcmp0 (p->specialty, t->specialty) == 0))
            g_ptr_array_add (t->candidates, p);
        }
      for (guint s = 0; t->candidates->len == 0 && s < f->staff->len; s++)
        if (g_str_equal (((Person *) f->staff->pdata[s])->role, "nurse"))
          g_ptr_array_add (t->candidates, f->staff->pdata[s]);
      /* Call buttons and bed exits far outnumber cardiac arrests. */
      for (guint v = 0; v < G_N_ELEMENTS (severities); v++)
        if (g_str_equal (t->severity, severities[v]))
          for (guint w = 0; w < weights[v]; w++)
            g_array_append_val (f->weighted, f->types->len);
      g_ptr_array_add (f->types, t);
    }
  sqlite3_finalize (stmt);
  if (f->weighted->len == 0 || f->patients->len == 0 || f->staff->len == 0 ||
      ((AlertType *) f->types->pdata[0])->candidates->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the database holds no demo hospital");
      return FALSE;
    }
  return TRUE;
}

static gboolean
prepare (Filler  *f,
         GError **error)
{
  if (sqlite3_prepare_v2 (f->db, "INSERT INTO incidents (version, status, severity, title, alert_type,"
                          " patient_id, ward, room, bed, assignee_id, required_role, required_specialty,"
                          " dedup_key, created_at, assigned_at, acknowledged_at, started_at, resolved_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &f->incident, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (f->db, "INSERT INTO alerts (incident_id, type, patient_id, ward, room, bed,"
                          " severity, source, dedup_key, phase, received_at, posted_by)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'start', ?, 'integration:monitors')",
                          -1, &f->alert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (f->db, "INSERT INTO timeline (incident_id, at, actor_id, action, from_status,"
                          " to_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &f->timeline, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (f->db, "INSERT INTO events (at, type, audience, data) VALUES (?, ?, NULL, ?)",
                          -1, &f->event, NULL) != SQLITE_OK)
    return fail (f, error, "preparing the fill");
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           i,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_STATIC);
}

static void
bind_time (sqlite3_stmt *stmt,
           int           i,
           gint64        ms)
{
  if (ms == 0)
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_int64 (stmt, i, ms);
}

/* Steps a prepared insert, and commits every BATCH_ROWS rows. */
static gboolean
insert (Filler       *f,
        sqlite3_stmt *stmt,
        HgBenchFill  *fill,
        GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return fail (f, error, "filling");
  fill->rows++;
  if (++f->in_batch < BATCH_ROWS)
    return TRUE;
  f->in_batch = 0;
  if (sqlite3_exec (f->db, "COMMIT; BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return fail (f, error, "committing");
  return TRUE;
}

static void
json_string (GString    *s,
             const char *text)
{
  if (text == NULL)
    {
      g_string_append (s, "null");
      return;
    }
  g_string_append_c (s, '"');
  for (const char *c = text; *c; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_c (s, '\\');
      if ((guchar) *c < 0x20)
        g_string_append_printf (s, "\\u%04x", *c);
      else
        g_string_append_c (s, *c);
    }
  g_string_append_c (s, '"');
}

static void
json_time (GString *s,
           gint64   ms)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *text = NULL;

  if (ms == 0)
    {
      g_string_append (s, "null");
      return;
    }
  time = g_date_time_new_from_unix_utc (ms / 1000);
  text = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  g_string_append_printf (s, "\"%s.%03dZ\"", text, (int) (ms % 1000));
}

/* The incident as the stream carried it right after @step. */
static const char *
incident_json (Filler         *f,
               const Incident *inc,
               int             step)
{
  static const char *const time_names[N_STEPS] = {
    "created_at", "assigned_at", "acknowledged_at", "started_at", "resolved_at",
  };
  GString *s = f->json;
  const Person *assignee = step >= STEP_ASSIGNED ? inc->assignee : NULL;

  g_string_truncate (s, 0);
  g_string_append_printf (s, "{\"id\":%" G_GINT64_FORMAT ",\"version\":%d,\"status\":\"%s\",\"severity\":\"%s\","
                          "\"title\":", inc->id, step + 1, step_statuses[step], inc->type->severity);
  json_string (s, inc->type->name);
  g_string_append_printf (s, ",\"alert_type\":\"%s\",\"patient\":{\"id\":", inc->type->code);
  json_string (s, inc->patient->id);
  g_string_append (s, ",\"name\":");
  json_string (s, inc->patient->name);
  g_string_append (s, ",\"ward\":");
  json_string (s, inc->patient->ward);
  g_string_append (s, ",\"room\":");
  json_string (s, inc->patient->room);
  g_string_append (s, "},\"location\":{\"ward\":");
  json_string (s, inc->patient->ward);
  g_string_append (s, ",\"room\":");
  json_string (s, inc->patient->room);
  g_string_append (s, ",\"bed\":");
  json_string (s, inc->patient->bed);
  g_string_append (s, "},\"assignee\":");
  if (assignee == NULL)
    g_string_append (s, "null");
  else
    {
      g_string_append (s, "{\"id\":");
      json_string (s, assignee->id);
      g_string_append (s, ",\"name\":");
      json_string (s, assignee->name);
      g_string_append_printf (s, ",\"role\":\"%s\",\"specialty\":", assignee->role);
      json_string (s, assignee->specialty);
      g_string_append_c (s, '}');
    }
  g_string_append_printf (s, ",\"required_role\":\"%s\",\"required_specialty\":", inc->type->role);
  json_string (s, inc->type->specialty);
  g_string_append (s, ",\"alert_count\":1,\"escalation_level\":0");
  for (int k = 0; k < N_STEPS; k++)
    {
      g_string_append_printf (s, ",\"%s\":", time_names[k]);
      json_time (s, k <= step ? inc->at[k] : 0);
    }
  g_string_append_c (s, '}');
  return s->str;
}

/* The @index-th incident's type, patient, assignee and step times. */
static void
plan_incident (Filler       *f,
               HgBenchFill  *fill,
               gint64        index,
               Incident     *inc)
{
  gint64 now = fill->now_ms;
  gint64 created = now - (fill->incidents - index) * SPACING_MS + (gint64) (mix (index, 1) % SPACING_MS);
  guint64 h = mix (index, 2);

  inc->type = f->types->pdata[g_array_index (f->weighted, guint, h % f->weighted->len)];
  inc->patient = f->patients->pdata[mix (index, 3) % f->patients->len];
  inc->assignee = inc->type->candidates->pdata[mix (index, 4) % inc->type->candidates->len];
  inc->at[STEP_CREATED] = created;
  /* One in fifty finds nobody free and waits a few minutes. */
  inc->at[STEP_ASSIGNED] = created + (h % 50 == 0 ? 60000 + (gint64) (mix (index, 5) % 540000) : 0);
  inc->at[STEP_ACKNOWLEDGED] = inc->at[STEP_ASSIGNED] + 5000 + (gint64) (mix (index, 6) % 295000);
  inc->at[STEP_STARTED] = inc->at[STEP_ACKNOWLEDGED] + 10000 + (gint64) (mix (index, 7) % 590000);
  inc->at[STEP_RESOLVED] = inc->at[STEP_STARTED] + 60000 + (gint64) (mix (index, 8) % 3540000);
  /* One in two thousand is forgotten once started. */
  if (mix (index, 9) % 2000 == 0)
    inc->at[STEP_RESOLVED] = G_MAXINT64;
  inc->reached = 0;
  for (int k = 0; k < N_STEPS; k++)
    {
      if (inc->at[k] > now)
        {
          for (int rest = k; rest < N_STEPS; rest++)
            inc->at[rest] = 0;
          break;
        }
      inc->reached = k + 1;
    }
}

gint64
hg_bench_fill_entries (const HgBenchFill *fill,
                       gint64             index)
{
  /* Even shares: the cumulative count rounded down at each incident. */
  return (index + 1) * fill->events / fill->incidents - index * fill->events / fill->incidents;
}

static gboolean
write_incident (Filler       *f,
                HgBenchFill  *fill,
                gint64        index,
                GError      **error)
{
  Incident inc = { 0 };
  const Person *assignee;
  g_autofree char *dedup = NULL;
  g_autofree char *source = NULL;
  gint64 entries = hg_bench_fill_entries (fill, index);
  int last;

  plan_incident (f, fill, index, &inc);
  last = inc.reached - 1;
  assignee = inc.reached > STEP_ASSIGNED ? inc.assignee : NULL;
  dedup = g_strdup_printf ("%s/%s", inc.type->code, inc.patient->id);
  source = g_strdup_printf ("monitor-%s", inc.patient->room);

  sqlite3_bind_int (f->incident, 1, inc.reached);
  bind_text (f->incident, 2, step_statuses[last]);
  bind_text (f->incident, 3, inc.type->severity);
  bind_text (f->incident, 4, inc.type->name);
  bind_text (f->incident, 5, inc.type->code);
  bind_text (f->incident, 6, inc.patient->id);
  bind_text (f->incident, 7, inc.patient->ward);
  bind_text (f->incident, 8, inc.patient->room);
  bind_text (f->incident, 9, inc.patient->bed);
  bind_text (f->incident, 10, assignee ? assignee->id : NULL);
  bind_text (f->incident, 11, inc.type->role);
  bind_text (f->incident, 12, inc.type->specialty);
  bind_text (f->incident, 13, dedup);
  for (int k = 0; k < N_STEPS; k++)
    bind_time (f->incident, 14 + k, inc.at[k]);
  if (!insert (f, f->incident, fill, error))
    return FALSE;
  inc.id = sqlite3_last_insert_rowid (f->db);
  if (index == 0)
    fill->first_id = inc.id;
  else if (inc.id != fill->first_id + index)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the incidents table was not empty");
      return FALSE;
    }
  if (inc.reached < N_STEPS)
    fill->active++;

  sqlite3_bind_int64 (f->alert, 1, inc.id);
  bind_text (f->alert, 2, inc.type->code);
  bind_text (f->alert, 3, inc.patient->id);
  bind_text (f->alert, 4, inc.patient->ward);
  bind_text (f->alert, 5, inc.patient->room);
  bind_text (f->alert, 6, inc.patient->bed);
  bind_text (f->alert, 7, inc.type->severity);
  bind_text (f->alert, 8, source);
  bind_text (f->alert, 9, dedup);
  sqlite3_bind_int64 (f->alert, 10, inc.at[STEP_CREATED]);
  if (!insert (f, f->alert, fill, error))
    return FALSE;

  /* Its lifecycle as far as it got, then notes by whoever has it. */
  for (gint64 e = 0; e < entries; e++)
    {
      g_autofree char *detail = NULL;
      int step = e < inc.reached ? (int) e : -1;
      gint64 at = step >= 0 ? inc.at[step] : MIN (inc.at[last] + 1000 * (e - last), fill->now_ms);

      sqlite3_bind_int64 (f->timeline, 1, inc.id);
      sqlite3_bind_int64 (f->timeline, 2, at);
      if (step < 0)
        {
          detail = g_strdup_printf ("bench note %" G_GINT64_FORMAT, e - last);
          bind_text (f->timeline, 3, assignee ? assignee->id : "N01");
          bind_text (f->timeline, 4, "note");
        }
      else
        {
          if (step == STEP_ASSIGNED)
            detail = g_strdup_printf ("to %s %s (%s): required role", inc.assignee->id, inc.assignee->name,
                                      inc.assignee->role);
          bind_text (f->timeline, 3, step > STEP_ASSIGNED ? inc.assignee->id : NULL);
          bind_text (f->timeline, 4, step_actions[step]);
          bind_text (f->timeline, 5, step > STEP_CREATED ? step_statuses[step - 1] : NULL);
          bind_text (f->timeline, 6, step_statuses[step]);
        }
      bind_text (f->timeline, 7, detail);
      if (!insert (f, f->timeline, fill, error))
        return FALSE;
      if (step < 0 || at < fill->now_ms - STREAM_WINDOW_MS)
        continue;
      /* The stream's copy, while the retention keeps it. */
      sqlite3_bind_int64 (f->event, 1, at);
      bind_text (f->event, 2, step == STEP_CREATED ? "incident.created" : "incident.updated");
      bind_text (f->event, 3, incident_json (f, &inc, step));
      if (!insert (f, f->event, fill, error))
        return FALSE;
      fill->stream_events++;
    }
  return TRUE;
}

static void
filler_clear (Filler *f)
{
  for (guint i = 0; f->types && i < f->types->len; i++)
    {
      AlertType *t = f->types->pdata[i];

      g_free (t->code), g_free (t->name), g_free (t->severity), g_free (t->role), g_free (t->specialty);
      g_ptr_array_unref (t->candidates);
      g_free (t);
    }
  for (guint i = 0; f->patients && i < f->patients->len; i++)
    {
      Patient *p = f->patients->pdata[i];

      g_free (p->id), g_free (p->name), g_free (p->ward), g_free (p->room), g_free (p->bed);
      g_free (p);
    }
  for (guint i = 0; f->staff && i < f->staff->len; i++)
    {
      Person *p = f->staff->pdata[i];

      g_free (p->id), g_free (p->name), g_free (p->role), g_free (p->specialty);
      g_free (p);
    }
  g_clear_pointer (&f->types, g_ptr_array_unref);
  g_clear_pointer (&f->patients, g_ptr_array_unref);
  g_clear_pointer (&f->staff, g_ptr_array_unref);
  g_clear_pointer (&f->weighted, g_array_unref);
  sqlite3_finalize (f->incident);
  sqlite3_finalize (f->alert);
  sqlite3_finalize (f->timeline);
  sqlite3_finalize (f->event);
  if (f->json)
    g_string_free (f->json, TRUE);
  sqlite3_close (f->db);
}

gboolean
hg_bench_fill (const char   *db_path,
               HgBenchFill  *fill,
               GError      **error)
{
  Filler f = { 0 };
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  g_return_val_if_fail (fill->incidents > 0 && fill->events >= 0, FALSE);
  fill->now_ms = g_get_real_time () / 1000;
  fill->first_id = fill->active = fill->stream_events = fill->rows = 0;
  f.types = g_ptr_array_new ();
  f.patients = g_ptr_array_new ();
  f.staff = g_ptr_array_new ();
  f.weighted = g_array_new (FALSE, FALSE, sizeof (guint));
  f.json = g_string_sized_new (1024);
  /* The data is a benchmark's: no need to wait for the disk, nor to keep
   * a journal (it writes some three times faster than through the WAL);
   * the file is in WAL mode again at the end, as the server left it. */
  ok = sqlite3_open (db_path, &f.db) == SQLITE_OK &&
       sqlite3_exec (f.db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-524288",
                     NULL, NULL, NULL) == SQLITE_OK;
  if (!ok)
    fail (&f, error, db_path);
  ok = ok && load_demo (&f, error) && prepare (&f, error);
  if (ok && sqlite3_exec (f.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    ok = fail (&f, error, "beginning");
  for (gint64 i = 0; ok && i < fill->incidents; i++)
    ok = write_incident (&f, fill, i, error);
  if (ok && sqlite3_exec (f.db, "COMMIT; PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK)
    ok = fail (&f, error, "committing");
  filler_clear (&f);
  fill->seconds = (g_get_monotonic_time () - start) / 1e6;
  return ok;
}
