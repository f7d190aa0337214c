-- The ledger: one row per committed transfer, written in the transfer's transaction.
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    from_account BIGINT NOT NULL REFERENCES accounts (id),
    to_account BIGINT NOT NULL REFERENCES accounts (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    created_at TEXT NOT NULL
);
