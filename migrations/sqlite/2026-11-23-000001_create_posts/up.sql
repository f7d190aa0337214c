CREATE TABLE posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id BIGINT NOT NULL,
    title TEXT NOT NULL CHECK (length(title) <= 200),
    body TEXT NOT NULL CHECK (length(body) <= 10000),
    -- RFC 3339, fixed width (microseconds, Z): text order is time order.
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX posts_created_at_id ON posts (created_at DESC, id DESC);
