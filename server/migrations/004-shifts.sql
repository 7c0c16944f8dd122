-- SPDX-License-Identifier: GPL-3.0-or-later
-- Shift handover. When a shift ends, the server hands the active incidents
-- of the person leaving to the next shift, and marks the shift handled in
-- the same transaction: a restart neither loses nor repeats a handover.

-- NULL: the end of this shift has not been handled yet.
ALTER TABLE shifts ADD COLUMN handled_at INTEGER;
-- Shifts that ended before handover existed have nothing to hand over.
UPDATE shifts SET handled_at = ends_at WHERE ends_at <= CAST(strftime('%s', 'now') AS INTEGER) * 1000;
-- The next end to handle, read each time the timer is armed.
CREATE INDEX shifts_to_hand_over ON shifts (ends_at) WHERE handled_at IS NULL;
-- The next start (retries and staff events happen then).
CREATE INDEX shifts_by_start ON shifts (starts_at);
-- Schedule pages filtered by ward walk this in end order.
CREATE INDEX shifts_by_ward ON shifts (ward, ends_at);

-- Incidents nobody could take at the end of their holder's shift: they stay
-- with that person and are offered again whenever a shift starts.
CREATE TABLE handovers_pending (
  incident_id  INTEGER PRIMARY KEY REFERENCES incidents (id),
  staff_id     TEXT NOT NULL REFERENCES staff (id),
  since        INTEGER NOT NULL
);
