-- SPDX-License-Identifier: GPL-3.0-or-later
-- The audit trail (HIPAA 45 CFR 164.312(b)): append-only, each row chained
-- to the one before by SHA-256, so a removed or altered row breaks the
-- chain that `healthguard-server --verify-audit` checks.

CREATE TABLE audit (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  at         INTEGER NOT NULL,          -- ms since the epoch, UTC
  actor      TEXT,                      -- staff id, "integration:NAME", or NULL (the server)
  action     TEXT NOT NULL,             -- "auth.login", "incident.acknowledge", "staff.update", …
  object     TEXT,                      -- what it was done to: "incident:42", "staff:N03", …
  detail     TEXT,                      -- JSON, or NULL
  prev_hash  TEXT NOT NULL,             -- hex SHA-256 of the row before ("" for the first)
  hash       TEXT NOT NULL              -- hex SHA-256 of this row, prev_hash included
);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE (ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE (ABORT, 'the audit trail is append-only');
END;
