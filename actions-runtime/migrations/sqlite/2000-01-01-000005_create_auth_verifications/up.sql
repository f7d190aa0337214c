-- The tokens an emailed link carries (password reset, email verification, email change,
-- account deletion): stored as a SHA-256 hash, single use, expiring.
CREATE TABLE auth_verifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose TEXT NOT NULL CHECK (length(purpose) <= 32),
    token_hash BLOB NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    email TEXT NOT NULL CHECK (length(email) <= 254),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX auth_verifications_user_id ON auth_verifications (user_id);
