-- SPDX-License-Identifier: GPL-3.0-or-later
-- Vital signs and their NEWS2 score (POST /api/v1/vitals). Each row keeps
-- what was observed and what it scored then, as the chart on paper would:
-- a later change to the scoring never rewrites the record.

CREATE TABLE vitals (
  id                INTEGER PRIMARY KEY,
  patient_id        TEXT NOT NULL REFERENCES patients (id),
  observed_at       INTEGER NOT NULL,             -- ms; the time of receipt when not given
  received_at       INTEGER NOT NULL,
  recorded_by       TEXT NOT NULL,                -- staff id or integration:NAME
  respiration_rate  INTEGER NOT NULL,
  spo2              INTEGER NOT NULL,
  spo2_scale        INTEGER NOT NULL CHECK (spo2_scale IN (1, 2)),
  on_oxygen         INTEGER NOT NULL CHECK (on_oxygen IN (0, 1)),
  systolic_bp       INTEGER NOT NULL,
  pulse             INTEGER NOT NULL,
  consciousness     TEXT NOT NULL
                    CHECK (consciousness IN ('alert','confusion','voice','pain','unresponsive')),
  temperature       REAL NOT NULL,                -- °C
  -- The score of each parameter, in the chart's order, then the total.
  respiration_rate_score INTEGER NOT NULL,
  spo2_score        INTEGER NOT NULL,
  on_oxygen_score   INTEGER NOT NULL,
  systolic_bp_score INTEGER NOT NULL,
  pulse_score       INTEGER NOT NULL,
  consciousness_score INTEGER NOT NULL,
  temperature_score INTEGER NOT NULL,
  score             INTEGER NOT NULL CHECK (score BETWEEN 0 AND 20),
  band              TEXT NOT NULL CHECK (band IN ('low','low-medium','medium','high')),
  alert_id          INTEGER REFERENCES alerts (id)  -- the NEWS2 alert it raised
);
-- A patient's chart, newest first (GET /api/v1/patients/{id}/vitals).
CREATE INDEX vitals_by_patient ON vitals (patient_id, observed_at, id);
