//! Accounts created outside the HTTP API: the first admin, from an app's CLI.

use super::config::AuthConfig;
use super::password::Passwords;
use super::schema::auth_users;
use super::session::UserRow;
use crate::auth::{Role, User};
use crate::database::Database;
use crate::db;
use crate::error::ActionError;
use diesel::{ExpressionMethods, SelectableHelper};
use diesel_async::RunQueryDsl;

/// Why [`create_user`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CreateUserError {
    /// The email is not an address.
    #[error("invalid email address")]
    InvalidEmail,
    /// The name is blank or longer than 100 characters.
    #[error("the name must be 1 to 100 characters")]
    InvalidName,
    /// The password is outside 8..=128 characters.
    #[error("{0}")]
    InvalidPassword(String),
    /// An account with this email exists.
    #[error("an account with this email already exists")]
    AlreadyExists,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] ActionError),
}

/// Creates an account with `role` (the first admin: `example-app create-admin`), with the same
/// rules as sign-up.
pub async fn create_user(
    database: &Database,
    config: &AuthConfig,
    name: &str,
    email: &str,
    password: &str,
    role: Role,
) -> Result<User, CreateUserError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(CreateUserError::InvalidName);
    }
    let email = email.trim().to_lowercase();
    if !email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
    {
        return Err(CreateUserError::InvalidEmail);
    }
    if let Some((_, message)) = Passwords::length_error(password) {
        return Err(CreateUserError::InvalidPassword(message));
    }
    let hash = Passwords::new(config.password_cost)?
        .hash(password.to_owned())
        .await?;
    let now = config.clock.now();
    let mut conn = database.get().await?;
    let inserted = db!(&mut conn, |c| diesel::insert_into(auth_users::table)
        .values((
            auth_users::name.eq(name),
            auth_users::email.eq(&email),
            auth_users::password_hash.eq(&hash),
            auth_users::role.eq(role.as_str()),
            auth_users::created_at.eq(now),
            auth_users::updated_at.eq(now),
        ))
        .returning(UserRow::as_returning())
        .get_result(c)
        .await);
    conn.finish();
    match inserted {
        Ok(user) => Ok(user.user()),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Err(CreateUserError::AlreadyExists),
        Err(error) => Err(CreateUserError::Database(error.into())),
    }
}
