-- The audit log: one event per call of an `audit` action, per authentication event and per
-- access denial. Append-only.
CREATE TABLE action_audit_events (
    id BIGSERIAL PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    request_id TEXT NOT NULL,
    -- Who: the signed-in user, or NULL when nobody was (a failed sign-in, a 401).
    actor_id BIGINT,
    -- What: an action's wire name (`account.transfer`) or an auth event (`auth.sign_in`).
    action VARCHAR(255) NOT NULL,
    outcome VARCHAR(16) NOT NULL CHECK (outcome IN ('success', 'failure', 'denied', 'replayed')),
    -- The error code of a failure or denial.
    code VARCHAR(64),
    -- The validated input as JSON, secrets replaced by "[redacted]".
    input TEXT
);
CREATE INDEX action_audit_events_actor_id ON action_audit_events (actor_id);
