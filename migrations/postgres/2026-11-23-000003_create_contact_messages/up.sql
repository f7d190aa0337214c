CREATE TABLE contact_messages (
    id BIGSERIAL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    email VARCHAR(254) NOT NULL,
    message TEXT NOT NULL,
    subscribe BOOLEAN NOT NULL,
    topics TEXT NOT NULL,
    attachment_name TEXT,
    attachment_type TEXT,
    attachment_size BIGINT,
    created_at TIMESTAMPTZ NOT NULL
);
