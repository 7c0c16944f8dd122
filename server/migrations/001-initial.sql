-- SPDX-License-Identifier: GPL-3.0-or-later
-- The first schema. Times are milliseconds since the Unix epoch (UTC);
-- enumerations are stored as their wire names so the file reads well in
-- the sqlite3 shell during an incident review.

CREATE TABLE alert_types (
  code            TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  category        TEXT NOT NULL,
  severity        TEXT NOT NULL CHECK (severity IN ('low','medium','high','critical')),
  required_role   TEXT NOT NULL,
  specialty       TEXT,
  fallback_roles  TEXT NOT NULL DEFAULT ''   -- comma-separated role names, in order
) WITHOUT ROWID;

CREATE TABLE patients (
  id    TEXT PRIMARY KEY,
  name  TEXT NOT NULL,
  ward  TEXT,
  room  TEXT,
  bed   TEXT
) WITHOUT ROWID;

CREATE TABLE staff (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  role             TEXT NOT NULL CHECK (role IN ('nurse','charge_nurse','emergency_doctor','specialist','admin')),
  specialty        TEXT,
  ward             TEXT,
  password_hash    TEXT,                       -- yescrypt; NULL: cannot log in
  disabled         INTEGER NOT NULL DEFAULT 0,
  available        INTEGER NOT NULL DEFAULT 1,
  available_reason TEXT,
  last_assigned_at INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL
) WITHOUT ROWID;

-- on_duty is derived from the shift running now.
CREATE TABLE shifts (
  id         INTEGER PRIMARY KEY,
  staff_id   TEXT NOT NULL REFERENCES staff (id),
  role       TEXT NOT NULL,
  ward       TEXT,
  starts_at  INTEGER NOT NULL,
  ends_at    INTEGER NOT NULL CHECK (ends_at > starts_at)
);
CREATE INDEX shifts_by_staff ON shifts (staff_id, ends_at);
CREATE INDEX shifts_by_end ON shifts (ends_at);

-- Tokens are stored only as their SHA-256.
CREATE TABLE tokens (
  hash          BLOB PRIMARY KEY,
  staff_id      TEXT NOT NULL REFERENCES staff (id),
  station       TEXT,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  revoked_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX tokens_by_staff ON tokens (staff_id, expires_at);

CREATE TABLE incidents (
  id                 INTEGER PRIMARY KEY,
  version            INTEGER NOT NULL DEFAULT 1,
  status             TEXT NOT NULL CHECK (status IN ('open','assigned','acknowledged','in_progress','resolved')),
  severity           TEXT NOT NULL CHECK (severity IN ('low','medium','high','critical')),
  title              TEXT NOT NULL,
  alert_type         TEXT NOT NULL REFERENCES alert_types (code),
  patient_id         TEXT REFERENCES patients (id),
  ward               TEXT,
  room               TEXT,
  bed                TEXT,
  assignee_id        TEXT REFERENCES staff (id),
  required_role      TEXT NOT NULL,
  required_specialty TEXT,
  dedup_key          TEXT NOT NULL,
  alert_count        INTEGER NOT NULL DEFAULT 1,
  escalation_level   INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  assigned_at        INTEGER,
  acknowledged_at    INTEGER,
  started_at         INTEGER,
  resolved_at        INTEGER
);
-- Keyset pages walk these newest first (id DESC) whatever the filter: a
-- list of statuses or severities becomes one branch per value, each read in
-- id order from one of these, so a page never sorts the table's history.
CREATE INDEX incidents_by_status ON incidents (status, id);
CREATE INDEX incidents_by_severity ON incidents (severity, id);
CREATE INDEX incidents_by_status_severity ON incidents (status, severity, id);
CREATE INDEX incidents_by_assignee ON incidents (assignee_id, id);
CREATE INDEX incidents_by_assignee_status ON incidents (assignee_id, status, id);
CREATE INDEX incidents_by_ward ON incidents (ward, id);
CREATE INDEX incidents_by_ward_status ON incidents (ward, status, id);
CREATE INDEX incidents_by_patient ON incidents (patient_id, id);
-- Correlation looks only at unresolved incidents.
CREATE INDEX incidents_by_dedup ON incidents (dedup_key, created_at) WHERE status <> 'resolved';
-- Workload counts only active incidents.
CREATE INDEX incidents_active_by_assignee ON incidents (assignee_id) WHERE status IN ('assigned','acknowledged','in_progress');
-- Stats over a window read these.
CREATE INDEX incidents_by_created ON incidents (created_at);
CREATE INDEX incidents_by_acknowledged ON incidents (acknowledged_at) WHERE acknowledged_at IS NOT NULL;
CREATE INDEX incidents_by_resolved ON incidents (resolved_at) WHERE resolved_at IS NOT NULL;

CREATE TABLE alerts (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER REFERENCES incidents (id),
  type         TEXT NOT NULL REFERENCES alert_types (code),
  patient_id   TEXT REFERENCES patients (id),
  ward         TEXT,
  room         TEXT,
  bed          TEXT,
  severity     TEXT NOT NULL,
  message      TEXT,
  source       TEXT,
  labels       TEXT,                 -- JSON object, NULL when empty
  dedup_key    TEXT NOT NULL,
  phase        TEXT NOT NULL CHECK (phase IN ('start','end')),
  occurred_at  INTEGER,
  received_at  INTEGER NOT NULL,
  posted_by    TEXT                  -- staff id or integration name
);
CREATE INDEX alerts_by_incident ON alerts (incident_id, id);

CREATE TABLE notes (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents (id),
  author_id    TEXT NOT NULL REFERENCES staff (id),
  text         TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX notes_by_incident ON notes (incident_id, id);

CREATE TABLE timeline (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents (id),
  at           INTEGER NOT NULL,
  actor_id     TEXT REFERENCES staff (id),  -- NULL: the server
  action       TEXT NOT NULL,
  from_status  TEXT,
  to_status    TEXT,
  detail       TEXT
);
CREATE INDEX timeline_by_incident ON timeline (incident_id, id);

-- Who declined an incident is not asked again for it.
CREATE TABLE declines (
  incident_id  INTEGER NOT NULL REFERENCES incidents (id),
  staff_id     TEXT NOT NULL REFERENCES staff (id),
  PRIMARY KEY (incident_id, staff_id)
) WITHOUT ROWID;
