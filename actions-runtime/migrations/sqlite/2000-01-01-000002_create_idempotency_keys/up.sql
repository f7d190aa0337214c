-- The completed responses of `idempotent` actions, replayed for a retry with the same key.
-- A row commits in the same transaction as the action's writes.
CREATE TABLE action_idempotency_keys (
    user_id BIGINT NOT NULL,
    action TEXT NOT NULL CHECK (length(action) <= 255),
    idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) <= 255),
    fingerprint BLOB NOT NULL,
    status SMALLINT NOT NULL,
    body BLOB NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (user_id, action, idempotency_key)
);
CREATE INDEX action_idempotency_keys_expires_at ON action_idempotency_keys (expires_at);
