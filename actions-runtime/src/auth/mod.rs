//! Stage 1 of the pipeline — who is calling: the signed-in [`User`], resolved once per request
//! by the [`Authenticator`] the app installs, and the action's posture enforced against it.
//!
//! Email + password sign-in (the counterpart of Better Auth) lives here too: enable it with
//! [`ServerBuilder::auth`](crate::ServerBuilder::auth).

mod config;
mod csrf;
mod limits;
mod password;
mod routes;
mod schema;
mod session;
mod users;
mod wire;

pub use config::{AuthConfig, AuthConfigError, PasswordCost, RateLimit, RateLimits};
pub use users::{CreateUserError, create_user};

use crate::action::Posture;
use crate::context::ActionContext;
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

/// Resolves the user of `ctx` through the installed authenticator, if any.
pub(crate) async fn authenticate(
    request: &Parts,
    ctx: &mut ActionContext,
) -> Result<(), ActionError> {
    if let Some(authenticator) = ctx.server().authenticator.clone() {
        let user = authenticator.authenticate(request, ctx).await?;
        ctx.set_user(user);
    }
    Ok(())
}

/// `401 UNAUTHORIZED` when the action needs a user and there is none.
pub(crate) fn require_posture(ctx: &ActionContext, posture: Posture) -> Result<(), ActionError> {
    match (posture, ctx.current_user()) {
        (Posture::Public, _) | (Posture::Authenticated, Some(_)) => Ok(()),
        (Posture::Authenticated, None) => Err(ActionError::unauthorized("sign in to do this")),
    }
}

/// Everything email + password auth shares: configuration, hashing, limits, the database.
pub(crate) struct AuthService {
    pub(crate) config: std::sync::Arc<AuthConfig>,
    pub(crate) database: crate::Database,
    pub(crate) passwords: password::Passwords,
    pub(crate) limits: limits::Limits,
}

impl AuthService {
    pub(crate) fn new(
        config: AuthConfig,
        database: crate::Database,
    ) -> Result<AuthService, ActionError> {
        Ok(AuthService {
            passwords: password::Passwords::new(config.password_cost)?,
            limits: limits::Limits::new(&config),
            config: std::sync::Arc::new(config),
            database,
        })
    }

    /// The `/api/auth/*` routes.
    pub(crate) fn router(self: &std::sync::Arc<Self>) -> axum::Router {
        routes::router(self.clone())
    }

    /// The cross-site request guard over every route.
    pub(crate) fn csrf_layer<S: Clone + Send + Sync + 'static>(
        &self,
        router: axum::Router<S>,
    ) -> axum::Router<S> {
        router.layer(axum::middleware::from_fn_with_state(
            self.config.clone(),
            csrf::guard,
        ))
    }
}

/// Signs requests in by their session (cookie or `Authorization: Bearer`).
pub(crate) struct SessionAuthenticator(pub(crate) std::sync::Arc<AuthService>);

impl Authenticator for SessionAuthenticator {
    fn authenticate<'a>(
        &'a self,
        request: &'a Parts,
        ctx: &'a mut ActionContext,
    ) -> BoxFuture<'a, Result<Option<User>, ActionError>> {
        Box::pin(async move {
            let Some(token) = session::token_of(&request.headers, &self.0.config) else {
                return Ok(None);
            };
            let conn = ctx.db().await?;
            Ok(session::find(conn, &self.0.config, &token)
                .await?
                .map(|(_, user)| user.user()))
        })
    }
}
