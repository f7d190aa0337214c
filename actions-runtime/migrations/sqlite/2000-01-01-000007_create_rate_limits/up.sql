-- The PostgreSQL rate-limit store's table (see the PostgreSQL migration). On SQLite the server
-- serves one node and counts limits in memory, so this table stays empty: it exists so that
-- both backends apply the same migrations.
CREATE TABLE action_rate_limits (
    bucket VARCHAR(64) NOT NULL,
    key TEXT NOT NULL,
    tat BIGINT NOT NULL,
    PRIMARY KEY (bucket, key)
);
