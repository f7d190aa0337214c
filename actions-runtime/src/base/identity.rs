//! Who is calling: the signed-in [`User`], and the [`Authenticator`] that tells the runtime who
//! a request's user is.

use super::context::ActionContext;
use crate::error::ActionError;
use futures_util::future::BoxFuture;
use http::request::Parts;
use serde::Serialize;

/// The signed-in user an action runs for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Database id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Email address, lower case.
    pub email: String,
    /// What the ACL base policy keys on.
    pub role: Role,
}

/// A user's role: admins may do anything under the default policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// An ordinary user.
    User,
    /// An administrator.
    Admin,
}

impl Role {
    /// The role as stored and sent: `"user"` or `"admin"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Role, String> {
        match text {
            "user" => Ok(Role::User),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "unknown role {other:?}: expected \"user\" or \"admin\""
            )),
        }
    }
}

/// Resolves the signed-in user of a request, once, before anything else runs.
///
/// Return `Ok(None)` for a request without valid credentials (a missing, expired or unknown
/// session): public actions still run, `auth` actions answer `401`. Return an error only when
/// the credentials cannot be checked (the database is down).
pub trait Authenticator: Send + Sync + 'static {
    /// Reads the request's credentials; `ctx` gives the request's database connection.
    fn authenticate<'a>(
        &'a self,
        request: &'a Parts,
        ctx: &'a mut ActionContext,
    ) -> BoxFuture<'a, Result<Option<User>, ActionError>>;
}
