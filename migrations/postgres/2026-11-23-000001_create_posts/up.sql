CREATE TABLE posts (
    id BIGSERIAL PRIMARY KEY,
    author_id BIGINT NOT NULL,
    title VARCHAR(200) NOT NULL,
    body TEXT NOT NULL CHECK (char_length(body) <= 10000),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
-- post.list pages newest first on (created_at, id).
CREATE INDEX posts_created_at_id ON posts (created_at DESC, id DESC);
