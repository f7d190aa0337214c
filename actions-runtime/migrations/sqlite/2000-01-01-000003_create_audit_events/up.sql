-- The audit log: one event per call of an `audit` action, per authentication event and per
-- access denial. Append-only.
CREATE TABLE action_audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT NOT NULL,
    request_id TEXT NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL CHECK (length(action) <= 255),
    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied', 'replayed')),
    code TEXT CHECK (length(code) <= 64),
    input TEXT
);
CREATE INDEX action_audit_events_actor_id ON action_audit_events (actor_id);
