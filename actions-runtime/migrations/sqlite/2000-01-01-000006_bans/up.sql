-- Bans, as Better Auth's admin plugin keeps them: a banned account cannot sign in and its
-- sessions stop working until the ban expires (no expiry: until an admin lifts it).
ALTER TABLE auth_users ADD COLUMN banned BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE auth_users ADD COLUMN ban_reason TEXT;
ALTER TABLE auth_users ADD COLUMN ban_expires TEXT;
