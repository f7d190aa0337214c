-- The completed responses of `idempotent` actions, replayed for a retry with the same key.
-- A row commits in the same transaction as the action's writes.
CREATE TABLE action_idempotency_keys (
    -- Keys are scoped to the user and the action: another user's key is another key.
    user_id BIGINT NOT NULL,
    action VARCHAR(255) NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    -- SHA-256 of the validated input: the same key with another input is refused.
    fingerprint BYTEA NOT NULL,
    status SMALLINT NOT NULL,
    -- The response body exactly as first sent.
    body BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, action, idempotency_key)
);
CREATE INDEX action_idempotency_keys_expires_at ON action_idempotency_keys (expires_at);
