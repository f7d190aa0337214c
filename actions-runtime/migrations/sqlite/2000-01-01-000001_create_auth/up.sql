-- Email + password accounts and their sessions (actions-runtime's auth).
CREATE TABLE auth_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(name) <= 100),
    email TEXT NOT NULL UNIQUE CHECK (length(email) <= 254),
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    image TEXT,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE auth_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL UNIQUE,
    remember_me BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    absolute_expires_at TEXT NOT NULL,
    ip_address TEXT,
    user_agent TEXT
);
CREATE INDEX auth_sessions_user_id ON auth_sessions (user_id);
