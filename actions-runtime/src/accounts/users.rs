//! Accounts created outside the HTTP API: the first admin, from an app's CLI.

use super::config::{AuthConfig, AuthConfigError};
use super::password::Passwords;
use super::schema::auth_users;
use super::session::UserRow;
use crate::base::wire::is_refused_control;
use crate::base::{Role, User};
use crate::db;
use crate::db::{Database, DbConn, Timestamp};
use crate::error::ActionError;
use crate::pipeline::input::rules::is_email;
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
    /// The role is not one the app names ([`AuthConfig::role`]).
    #[error("unknown role {0:?}: name it with AuthConfig::role")]
    UnknownRole(Role),
    /// An account with this email exists.
    #[error("an account with this email already exists")]
    AlreadyExists,
    /// The configuration was refused.
    #[error(transparent)]
    Config(#[from] AuthConfigError),
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
    if !config.roles.contains(&role) {
        return Err(CreateUserError::UnknownRole(role));
    }
    let name = valid_name(name).ok_or(CreateUserError::InvalidName)?;
    let email = normalize_email(email).ok_or(CreateUserError::InvalidEmail)?;
    if let Some((_, message)) = Passwords::length_error(password) {
        return Err(CreateUserError::InvalidPassword(message));
    }
    let hash = Passwords::new(config.password_cost)?
        .hash(password.to_owned())
        .await?;
    let account = NewAccount {
        name,
        email: &email,
        image: None,
        password_hash: &hash,
        role,
    };
    let now = config.clock.now();
    let inserted = database
        .run(async |conn| insert(conn, &account, now).await)
        .await?;
    match inserted.map_err(ActionError::from)? {
        Some(user) => Ok(user.user(config)?),
        None => Err(CreateUserError::AlreadyExists),
    }
}

/// A display name: 1 to 100 characters once trimmed.
pub(super) fn valid_name(name: &str) -> Option<&str> {
    let name = name.trim();
    (!name.is_empty() && name.chars().count() <= 100 && !name.chars().any(is_refused_control))
        .then_some(name)
}

/// An email address, trimmed and lower-cased, if it is one as SMTP takes it (the `email` rule's
/// check, RFC 5321; at most 254 characters).
pub(super) fn normalize_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    (email.len() <= 254 && is_email(&email)).then_some(email)
}

/// A checked account, ready to store.
pub(super) struct NewAccount<'a> {
    pub(super) name: &'a str,
    pub(super) email: &'a str,
    pub(super) image: Option<&'a str>,
    pub(super) password_hash: &'a str,
    pub(super) role: Role,
}

/// Stores `account`; `None` when its email is taken. Sign-up runs it inside its transaction,
/// `create_user` on its own.
pub(super) async fn insert(
    conn: &mut DbConn,
    account: &NewAccount<'_>,
    now: Timestamp,
) -> diesel::QueryResult<Option<UserRow>> {
    let inserted = db!(conn, |c| diesel::insert_into(auth_users::table)
        .values((
            auth_users::name.eq(account.name),
            auth_users::email.eq(account.email),
            auth_users::image.eq(account.image),
            auth_users::password_hash.eq(account.password_hash),
            auth_users::role.eq(account.role.as_str()),
            auth_users::created_at.eq(now),
            auth_users::updated_at.eq(now),
        ))
        .returning(UserRow::as_returning())
        .get_result(c)
        .await);
    match inserted {
        Ok(user) => Ok(Some(user)),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(None),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::{normalize_email, valid_name};

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email("  Ada@Example.COM ").as_deref(),
            Some("ada@example.com")
        );
        for bad in [
            "ada",
            "@example.com",
            "ada@example",
            "ada@.com",
            "ada@example.",
            "a da@example.com",
            "a@b@c.com",
        ] {
            assert_eq!(normalize_email(bad), None, "{bad}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(valid_name("  Ada "), Some("Ada"));
        assert_eq!(valid_name(&"é".repeat(100)).map(str::len), Some(200));
        for bad in ["", "   ", &"a".repeat(101)] {
            assert_eq!(valid_name(bad), None, "{bad:?}");
        }
    }
}
