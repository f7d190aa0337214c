//! Who is calling: the signed-in [`User`] with the [`Role`] the app names and the [`Claims`] its
//! authenticator adds, and the [`Authenticator`] that tells the runtime who a request's user is.

use super::context::ActionContext;
use crate::error::ActionError;
use futures_util::future::BoxFuture;
use http::request::Parts;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// The signed-in user an action runs for.
///
/// Built by the app's [`Authenticator`] (or the account service), read by handlers through
/// [`ActionContext::user`] and by the app's [`Policy`](crate::acl::Policy).
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct User {
    /// Database id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Email address, lower case.
    pub email: String,
    /// What the app's policy keys on.
    pub role: Role,
    /// What the authenticator knows beside (a token's scopes, a tenant): read by the policy and
    /// handlers with [`User::claim`]. Not serialized.
    #[serde(skip)]
    pub claims: Claims,
}

impl User {
    /// A user without claims.
    pub fn new(id: i64, name: impl Into<String>, email: impl Into<String>, role: Role) -> User {
        User {
            id,
            name: name.into(),
            email: email.into(),
            role,
            claims: Claims::default(),
        }
    }

    /// The same user carrying `claim` (replacing a claim of the same type).
    #[must_use]
    pub fn with_claim<T: Clone + Send + Sync + 'static>(mut self, claim: T) -> User {
        self.claims.insert(claim);
        self
    }

    /// The claim of type `T` the authenticator attached, if any.
    pub fn claim<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.claims.get::<T>()
    }

    /// Whether the user holds `role`.
    pub fn has_role(&self, role: &Role) -> bool {
        self.role == *role
    }
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("claims", &self.claims)
            .finish()
    }
}

/// Users are the same user when their identity is: id, name, email and role. Claims describe
/// how they signed in, not who they are, and are not compared.
impl PartialEq for User {
    fn eq(&self, other: &User) -> bool {
        (self.id, &self.name, &self.email, &self.role)
            == (other.id, &other.name, &other.email, &other.role)
    }
}

impl Eq for User {}

/// Typed claims an authenticator attaches to a [`User`], one value per type (as `http`'s
/// extensions): `user.with_claim(Scopes(..))`, then `user.claim::<Scopes>()`.
#[derive(Clone, Default)]
pub struct Claims(http::Extensions);

impl Claims {
    /// Attaches `claim`, replacing one of the same type.
    pub fn insert<T: Clone + Send + Sync + 'static>(&mut self, claim: T) {
        self.0.insert(claim);
    }

    /// The claim of type `T`, if attached.
    pub fn get<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.0.get::<T>()
    }

    /// How many claims are attached.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no claim is attached.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Claims({})", self.0.len())
    }
}

/// A role, named by the app: `user` and `admin` are the account service's, and an app adds its
/// own (`Role::new("editor")`). A name is 1 to 16 lower-case ASCII letters, digits or `_`,
/// starting with a letter (it is stored in a 16-character column).
///
/// Roles carry no power of their own: the app's [`Policy`](crate::acl::Policy) decides what
/// each may do ([`DefaultPolicy`](crate::acl::DefaultPolicy) lets admins do anything).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Role(Cow<'static, str>);

impl Role {
    /// An ordinary user: what sign-up creates.
    pub const USER: Role = Role::new("user");
    /// An administrator.
    pub const ADMIN: Role = Role::new("admin");

    /// The role named `name`; a malformed name fails to compile when used in a constant
    /// (`const EDITOR: Role = Role::new("editor");`) and panics otherwise (use
    /// [`Role::parse`] for names read at run time).
    pub const fn new(name: &'static str) -> Role {
        assert!(
            is_role_name(name),
            "a role is 1 to 16 lower-case ASCII letters, digits or `_`, starting with a letter"
        );
        Role(Cow::Borrowed(name))
    }

    /// The role named `name`, read at run time (from a database row, a token).
    pub fn parse(name: &str) -> Result<Role, RoleError> {
        if is_role_name(name) {
            Ok(Role(Cow::Owned(name.to_owned())))
        } else {
            Err(RoleError(name.to_owned()))
        }
    }

    /// The role's name, as stored and sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A lower-case identifier of at most 16 bytes (the database's column).
const fn is_role_name(name: &str) -> bool {
    name.len() <= 16 && actions_declare::is_lower_identifier(name)
}

impl fmt::Debug for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Role({:?})", self.as_str())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = RoleError;

    fn from_str(text: &str) -> Result<Role, RoleError> {
        Role::parse(text)
    }
}

/// A role name that is not one: empty, too long, or with characters other than lower-case ASCII
/// letters, digits and `_`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid role {0:?}: a role is 1 to 16 lower-case ASCII letters, digits or `_`, starting with a letter"
)]
pub struct RoleError(String);

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

#[cfg(test)]
mod tests {
    use super::{Role, User};

    #[test]
    fn role_names() {
        for good in ["user", "admin", "editor", "team_lead2", "abcdefghijklmnop"] {
            assert_eq!(
                Role::parse(good).map(|r| r.as_str().to_owned()),
                Ok(good.to_owned())
            );
        }
        for bad in ["", "Admin", "2fa", "a-b", "_x", "abcdefghijklmnopq", "é"] {
            assert!(Role::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Role::parse("admin"),
            Ok(Role::ADMIN),
            "owned and constant compare equal"
        );
    }

    #[test]
    fn claims_are_typed_and_not_compared() {
        #[derive(Clone, Debug, PartialEq)]
        struct Scopes(Vec<&'static str>);
        let plain = User::new(1, "Ada", "ada@example.com", Role::USER);
        let scoped = plain.clone().with_claim(Scopes(vec!["read"]));
        assert_eq!(scoped.claim::<Scopes>(), Some(&Scopes(vec!["read"])));
        assert_eq!(plain.claim::<Scopes>(), None);
        assert_eq!(plain, scoped);
    }
}
