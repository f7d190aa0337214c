CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    owner_id BIGINT NOT NULL,
    name VARCHAR(100) NOT NULL,
    -- Integer cents; the database refuses a negative balance whatever the code does.
    balance BIGINT NOT NULL CHECK (balance >= 0)
);
CREATE INDEX accounts_owner_id ON accounts (owner_id);
