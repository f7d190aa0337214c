-- One public profile per user, written by upsert on user_id.
CREATE TABLE profiles (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL UNIQUE,
    display_name VARCHAR(100) NOT NULL,
    bio TEXT,
    website VARCHAR(200),
    updated_at TIMESTAMPTZ NOT NULL
);
