-- Roles are the app's to name: any lower-case identifier of 1 to 16 characters, not only
-- 'user' and 'admin'. Which roles an app accepts is its configuration (AuthConfig::role).
ALTER TABLE auth_users DROP CONSTRAINT auth_users_role_check;
ALTER TABLE auth_users ADD CONSTRAINT auth_users_role_check CHECK (role ~ '^[a-z][a-z0-9_]{0,15}$');
