-- SPDX-License-Identifier: GPL-3.0-or-later
-- Reads that stay fast at a million incidents (tests/bench/hg-bench-scale).
--
-- The stats read the last 24 hours: the window's rows through the time
-- indexes, each of which now holds what the stats need, so that no read
-- visits the table. Before, the planner counted by status and severity
-- through incidents_by_status_severity, which is every incident ever
-- (340 ms at a million), and the time indexes needed a row lookup each.
DROP INDEX incidents_by_created;
CREATE INDEX incidents_by_created ON incidents (created_at, status, severity);
DROP INDEX incidents_by_acknowledged;
CREATE INDEX incidents_by_acknowledged ON incidents (acknowledged_at, created_at)
  WHERE acknowledged_at IS NOT NULL;
DROP INDEX incidents_by_resolved;
CREATE INDEX incidents_by_resolved ON incidents (resolved_at, created_at)
  WHERE resolved_at IS NOT NULL;

-- A patient's active incidents (the incident pane, the app's patient
-- filter): by patient, then status, as for wards; by patient alone it
-- walked every incident the patient ever had.
CREATE INDEX incidents_by_patient_status ON incidents (patient_id, status, id);
