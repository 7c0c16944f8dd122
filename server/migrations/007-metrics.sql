-- SPDX-License-Identifier: GPL-3.0-or-later
-- Metrics of what happens to incidents, kept up to date by triggers as it
-- happens, in the same transaction: a scrape reads these few rows and
-- never counts incidents, however many there are; a rolled-back job counts
-- nothing; and the counters survive a restart (Prometheus reads them as
-- counters that have not reset).

-- Counters and gauges: one row per metric and label set.
CREATE TABLE metric_values (
  name    TEXT NOT NULL,
  label1  TEXT NOT NULL DEFAULT '',
  label2  TEXT NOT NULL DEFAULT '',
  value   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (name, label1, label2)
) WITHOUT ROWID;

-- Histograms of durations, per severity: cumulative bucket counts (le in
-- ms), as Prometheus writes them. Sum and count live in metric_values as
-- NAME_sum_ms and NAME_count.
CREATE TABLE metric_buckets (
  name      TEXT NOT NULL,
  severity  TEXT NOT NULL,
  le_ms     INTEGER NOT NULL,
  count     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (name, severity, le_ms)
) WITHOUT ROWID;

WITH severities (s) AS (VALUES ('low'), ('medium'), ('high'), ('critical')),
     names (n) AS (VALUES ('mtta'), ('mttr')),
     bounds (b) AS (VALUES (5), (10), (15), (30), (60), (120), (300), (600),
                           (1800), (3600), (7200), (14400))
INSERT INTO metric_buckets (name, severity, le_ms)
  SELECT n, s, b * 1000 FROM names, severities, bounds;

-- Incidents by status: a gauge, so it starts from what is there.
INSERT INTO metric_values (name, label1, value)
  SELECT 'incidents', status, count(*) FROM incidents GROUP BY status;

CREATE TRIGGER metrics_incident_created AFTER INSERT ON incidents
BEGIN
  INSERT INTO metric_values (name, label1, value) VALUES ('incidents_created', NEW.severity, 1)
    ON CONFLICT DO UPDATE SET value = value + 1;
  INSERT INTO metric_values (name, label1, value) VALUES ('incidents', NEW.status, 1)
    ON CONFLICT DO UPDATE SET value = value + 1;
END;

CREATE TRIGGER metrics_incident_status AFTER UPDATE OF status ON incidents
WHEN OLD.status <> NEW.status
BEGIN
  UPDATE metric_values SET value = value - 1 WHERE name = 'incidents' AND label1 = OLD.status AND label2 = '';
  INSERT INTO metric_values (name, label1, value) VALUES ('incidents', NEW.status, 1)
    ON CONFLICT DO UPDATE SET value = value + 1;
END;

-- MTTA counts the first acknowledgement, MTTR the resolution; both from
-- the incident's creation.
CREATE TRIGGER metrics_mtta AFTER UPDATE OF acknowledged_at ON incidents
WHEN OLD.acknowledged_at IS NULL AND NEW.acknowledged_at IS NOT NULL
BEGIN
  UPDATE metric_buckets SET count = count + 1
    WHERE name = 'mtta' AND severity = NEW.severity AND le_ms >= NEW.acknowledged_at - NEW.created_at;
  INSERT INTO metric_values (name, label1, value)
    VALUES ('mtta_sum_ms', NEW.severity, NEW.acknowledged_at - NEW.created_at)
    ON CONFLICT DO UPDATE SET value = value + excluded.value;
  INSERT INTO metric_values (name, label1, value) VALUES ('mtta_count', NEW.severity, 1)
    ON CONFLICT DO UPDATE SET value = value + 1;
END;

CREATE TRIGGER metrics_mttr AFTER UPDATE OF resolved_at ON incidents
WHEN OLD.resolved_at IS NULL AND NEW.resolved_at IS NOT NULL
BEGIN
  UPDATE metric_buckets SET count = count + 1
    WHERE name = 'mttr' AND severity = NEW.severity AND le_ms >= NEW.resolved_at - NEW.created_at;
  INSERT INTO metric_values (name, label1, value)
    VALUES ('mttr_sum_ms', NEW.severity, NEW.resolved_at - NEW.created_at)
    ON CONFLICT DO UPDATE SET value = value + excluded.value;
  INSERT INTO metric_values (name, label1, value) VALUES ('mttr_count', NEW.severity, 1)
    ON CONFLICT DO UPDATE SET value = value + 1;
END;

-- An alert that joins an incident which already had one was deduplicated.
CREATE TRIGGER metrics_alert_received AFTER INSERT ON alerts
BEGIN
  INSERT INTO metric_values (name, label1, label2, value) VALUES ('alerts_received', NEW.severity, NEW.type, 1)
    ON CONFLICT DO UPDATE SET value = value + 1;
  INSERT INTO metric_values (name, value)
    SELECT 'alerts_deduplicated', 1
    WHERE EXISTS (SELECT 1 FROM alerts WHERE incident_id = NEW.incident_id AND id < NEW.id)
    ON CONFLICT DO UPDATE SET value = value + 1;
END;

CREATE TRIGGER metrics_notification AFTER INSERT ON notifications
BEGIN
  INSERT INTO metric_values (name, label1, value) VALUES ('notifications_sent', NEW.kind, 1)
    ON CONFLICT DO UPDATE SET value = value + 1;
END;

-- Each escalation step writes one timeline row; a person's "escalate" is
-- "manual" whatever step it ran.
CREATE TRIGGER metrics_escalation AFTER INSERT ON timeline
WHEN NEW.action IN ('reminded', 'escalated', 'supervisors_alerted', 'start_overdue')
BEGIN
  INSERT INTO metric_values (name, label1, label2, value)
    SELECT 'escalations', severity,
           CASE WHEN NEW.actor_id IS NOT NULL THEN 'manual'
                WHEN NEW.action = 'reminded' THEN 'reminder'
                WHEN NEW.action = 'escalated' THEN 'reassigned'
                WHEN NEW.action = 'supervisors_alerted' THEN 'supervisors'
                ELSE 'start_overdue' END,
           1
    FROM incidents WHERE id = NEW.incident_id
    ON CONFLICT DO UPDATE SET value = value + 1;
END;
