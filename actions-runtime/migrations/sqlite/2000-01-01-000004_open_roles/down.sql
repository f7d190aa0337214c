PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE auth_users_rebuilt (
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
INSERT INTO auth_users_rebuilt SELECT * FROM auth_users;
DROP TABLE auth_users;
ALTER TABLE auth_users_rebuilt RENAME TO auth_users;
COMMIT;
PRAGMA foreign_keys = ON;
