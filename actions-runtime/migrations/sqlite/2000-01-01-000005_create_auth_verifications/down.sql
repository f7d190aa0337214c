DROP TABLE auth_verifications;
