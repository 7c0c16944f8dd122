-- SPDX-License-Identifier: GPL-3.0-or-later
-- The event log the real-time stream replays, and per-person notifications.
-- Events are written in the same transaction as the change they describe.

-- AUTOINCREMENT: a seq is never reused, even after pruning the newest rows.
CREATE TABLE events (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  at        INTEGER NOT NULL,
  type      TEXT NOT NULL,
  audience  TEXT,                -- NULL: everyone; else one staff id
  data      TEXT NOT NULL        -- JSON
);
CREATE INDEX events_by_at ON events (at);

-- Small facts about the store itself ("pruned_through": the last seq the
-- retention has removed; a client resuming below it must resync).
CREATE TABLE store_meta (
  key    TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE notifications (
  id            INTEGER PRIMARY KEY,
  staff_id      TEXT NOT NULL REFERENCES staff (id),
  incident_id   INTEGER REFERENCES incidents (id),
  kind          TEXT NOT NULL CHECK (kind IN ('assigned','reminder','escalated','reassigned','resolved')),
  message       TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  delivered_at  INTEGER,
  read_at       INTEGER
);
CREATE INDEX notifications_by_staff ON notifications (staff_id, id);
CREATE INDEX notifications_unread ON notifications (staff_id, id) WHERE read_at IS NULL;
