ALTER TABLE auth_users DROP COLUMN ban_expires;
ALTER TABLE auth_users DROP COLUMN ban_reason;
ALTER TABLE auth_users DROP COLUMN banned;
