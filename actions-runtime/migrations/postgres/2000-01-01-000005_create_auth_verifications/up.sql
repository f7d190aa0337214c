-- The tokens an emailed link carries (password reset, email verification, email change,
-- account deletion): stored as a SHA-256 hash, single use, expiring.
CREATE TABLE auth_verifications (
    id BIGSERIAL PRIMARY KEY,
    purpose VARCHAR(32) NOT NULL,
    -- SHA-256 of the token: the token itself is never stored.
    token_hash BYTEA NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    -- The address the token verifies (the new one, for an email change).
    email VARCHAR(254) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX auth_verifications_user_id ON auth_verifications (user_id);
