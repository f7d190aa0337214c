CREATE TABLE contact_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    message TEXT NOT NULL,
    subscribe BOOLEAN NOT NULL,
    topics TEXT NOT NULL,
    attachment_name TEXT,
    attachment_type TEXT,
    attachment_size BIGINT,
    created_at TEXT NOT NULL
);
