-- SPDX-License-Identifier: GPL-3.0-or-later
-- Each staff member's workload, the incidents they hold that are assigned,
-- acknowledged or in progress, kept by triggers in the same transaction as
-- the change. Routing compares the workload of every candidate for every
-- new incident; counting incidents for that made each alert cost more the
-- more incidents were open, and in a flood (when nobody resolves) ingestion
-- slowed down as it went.

ALTER TABLE staff ADD COLUMN active_incidents INTEGER NOT NULL DEFAULT 0;

UPDATE staff SET active_incidents =
  (SELECT count(*) FROM incidents i
    WHERE i.assignee_id = staff.id AND i.status IN ('assigned','acknowledged','in_progress'));

CREATE TRIGGER workload_incident_created AFTER INSERT ON incidents
WHEN NEW.assignee_id IS NOT NULL AND NEW.status IN ('assigned','acknowledged','in_progress')
BEGIN
  UPDATE staff SET active_incidents = active_incidents + 1 WHERE id = NEW.assignee_id;
END;

CREATE TRIGGER workload_incident_changed AFTER UPDATE OF assignee_id, status ON incidents
WHEN OLD.assignee_id IS NOT NEW.assignee_id
  OR (OLD.status IN ('assigned','acknowledged','in_progress'))
     <> (NEW.status IN ('assigned','acknowledged','in_progress'))
BEGIN
  UPDATE staff SET active_incidents = active_incidents - 1
   WHERE id = OLD.assignee_id AND OLD.status IN ('assigned','acknowledged','in_progress');
  UPDATE staff SET active_incidents = active_incidents + 1
   WHERE id = NEW.assignee_id AND NEW.status IN ('assigned','acknowledged','in_progress');
END;

CREATE TRIGGER workload_incident_deleted AFTER DELETE ON incidents
WHEN OLD.assignee_id IS NOT NULL AND OLD.status IN ('assigned','acknowledged','in_progress')
BEGIN
  UPDATE staff SET active_incidents = active_incidents - 1 WHERE id = OLD.assignee_id;
END;
