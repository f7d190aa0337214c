-- Roles are the app's to name: any lower-case identifier of 1 to 16 characters, not only
-- 'user' and 'admin'. Which roles an app accepts is its configuration (AuthConfig::role).
-- SQLite's way to change a constraint: rebuild the table (https://sqlite.org/lang_altertable.html).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE auth_users_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(name) <= 100),
    email TEXT NOT NULL UNIQUE CHECK (length(email) <= 254),
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    image TEXT,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'user' CHECK (
        length(role) BETWEEN 1 AND 16
        AND substr(role, 1, 1) BETWEEN 'a' AND 'z'
        AND role NOT GLOB '*[^a-z0-9_]*'
    ),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO auth_users_rebuilt SELECT * FROM auth_users;
DROP TABLE auth_users;
ALTER TABLE auth_users_rebuilt RENAME TO auth_users;
COMMIT;
PRAGMA foreign_keys = ON;
