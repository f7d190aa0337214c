-- Rate-limit state shared by every node of a cluster (`RATE_LIMIT_STORE=postgres`): one row
-- per bucket (`sign-in`, `sign-in-failures`, `sign-in-lock`, …) and key (a client address, an
-- email). `tat` is GCRA's theoretical arrival time, or for a lock-out its end, in microseconds
-- since the epoch; a row whose `tat` has passed means the same as no row and is purged.
-- UNLOGGED: no write-ahead log for counters that matter for minutes; a crash or a fail-over
-- to a replica forgets them (every client starts with a full budget), which is acceptable.
CREATE UNLOGGED TABLE action_rate_limits (
    bucket VARCHAR(64) NOT NULL,
    key TEXT NOT NULL,
    tat BIGINT NOT NULL,
    PRIMARY KEY (bucket, key)
);
CREATE INDEX action_rate_limits_tat ON action_rate_limits (tat);
