-- SPDX-License-Identifier: GPL-3.0-or-later
-- Escalation deadlines: the next timed step of each unanswered or
-- unstarted incident. A row is deleted in the same transaction as the step
-- it stands for runs, so a restart neither loses nor repeats a step.

CREATE TABLE deadlines (
  incident_id  INTEGER NOT NULL REFERENCES incidents (id),
  step         TEXT NOT NULL CHECK (step IN ('remind','reassign','supervisors','start')),
  due_at       INTEGER NOT NULL,
  PRIMARY KEY (incident_id, step)
) WITHOUT ROWID;
-- One timer waits for the nearest.
CREATE INDEX deadlines_by_due ON deadlines (due_at);
