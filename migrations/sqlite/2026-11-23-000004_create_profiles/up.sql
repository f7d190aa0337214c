-- One public profile per user, written by upsert on user_id.
CREATE TABLE profiles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL UNIQUE,
    display_name TEXT NOT NULL CHECK (length(display_name) <= 100),
    bio TEXT,
    website TEXT CHECK (length(website) <= 200),
    updated_at TEXT NOT NULL
);
