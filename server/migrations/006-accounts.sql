-- SPDX-License-Identifier: GPL-3.0-or-later
-- Account security: idle sessions and integration keys.

-- The last time a session was used (ms). The server keeps newer uses in
-- memory and writes them at most once a minute, so this may lag the truth
-- by that much, never lead it: after a restart a session can only look
-- idle sooner, never later. NULL: not used since it was created.
ALTER TABLE tokens ADD COLUMN last_used_at INTEGER;
-- The idle sweep reads the sessions still open.
CREATE INDEX tokens_open ON tokens (expires_at) WHERE revoked_at IS NULL;

-- Keys for alert sources (monitors, devices, Alertmanager). Like tokens,
-- only the SHA-256 of a key is stored; the key is shown once.
CREATE TABLE integrations (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  key_hash    BLOB NOT NULL UNIQUE,
  created_by  TEXT,                    -- staff id of the admin who made it
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER                  -- NULL: the key works
);
-- Alerts record "integration:NAME": two working keys never share a name.
CREATE UNIQUE INDEX integrations_by_name ON integrations (name) WHERE revoked_at IS NULL;
