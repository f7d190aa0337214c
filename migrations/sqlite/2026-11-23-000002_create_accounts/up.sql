CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id BIGINT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) <= 100),
    balance BIGINT NOT NULL CHECK (balance >= 0)
);
CREATE INDEX accounts_owner_id ON accounts (owner_id);
