DROP TABLE action_idempotency_keys;
