CREATE TABLE notes (
    id BIGSERIAL PRIMARY KEY,
    owner_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
