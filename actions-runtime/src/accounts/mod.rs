//! The account service: email + password sign-in with Better Auth's HTTP API — its routes,
//! paths and JSON shapes, sessions in the database, argon2id passwords, rate limits and the
//! cross-site request guard — and [`SessionAuthenticator`], the pipeline's authenticator for
//! the sessions it opens. Enable it with [`ServerBuilder::auth`](crate::ServerBuilder::auth).
//!
//! One implementation of [`Authenticator`] among others: the pipeline's auth stage knows only
//! the trait. May import: `error`, `db`, `core`, and the audit stage (authentication events are
//! audited like actions).

mod admin;
mod config;
mod csrf;
pub(crate) mod described;
mod import;
mod limits;
mod mail;
mod password;
mod recovery;
mod routes;
mod schema;
mod session;
mod tokens;
mod users;
mod wire;

// What the fuzz targets call (`crate::__fuzz`).
#[cfg(feature = "fuzzing")]
pub(crate) use config::normalize_origin;
#[cfg(feature = "fuzzing")]
pub(crate) use csrf::refusal as csrf_refusal;
#[cfg(feature = "fuzzing")]
pub(crate) use session::{cookie_name, cookie_token, token_of};

pub use admin::ADMIN_PERMISSIONS;
pub use config::{
    AuthConfig, AuthConfigError, PasswordCost, RateLimit, RateLimitStore, RateLimits,
};
pub use import::{ImportError, ImportReport, import_better_auth};
#[cfg(feature = "smtp")]
pub use mail::SmtpMailer;
pub use mail::{
    DevMailer, Mail, MailBody, MailContext, MailError, MailKind, MailRetry, MailTemplate, Mailer,
};
pub use users::{CreateUserError, create_user};

use crate::base::{ActionContext, Authenticator, Services, User};
use crate::db::Database;
use crate::error::ActionError;
use crate::web::{FormSite, Origins};
use futures_util::future::BoxFuture;
use http::request::Parts;
use std::sync::Arc;

/// Everything email + password auth shares: configuration, hashing, limits, the database.
pub(crate) struct AuthService {
    pub(crate) config: Arc<AuthConfig>,
    pub(crate) database: Database,
    pub(crate) passwords: password::Passwords,
    pub(crate) limits: limits::Limits,
    pub(crate) outbox: mail::Outbox,
    /// The server's trusted proxies, for the client's address.
    pub(crate) trusted_proxies: Vec<std::net::IpAddr>,
    /// How a browser's form post is answered: the flash's key, the origins it may go to.
    pub(crate) forms: FormSite,
}

impl AuthService {
    pub(crate) fn new(
        config: AuthConfig,
        database: Database,
        trusted_proxies: Vec<std::net::IpAddr>,
        cookie_key: cookie::Key,
    ) -> Result<AuthService, AuthConfigError> {
        let forms = FormSite {
            key: cookie_key,
            secure: config.secure_cookies,
            origins: Origins {
                app: Some(config.origin.clone()),
                trusted: config.trusted_origins.clone(),
            },
            body_limit: 64 * 1024,
            clock: config.clock.clone(),
        };
        Ok(AuthService {
            forms,
            passwords: password::Passwords::new(config.password_cost)?,
            limits: limits::Limits::new(&config, &database)?,
            outbox: mail::Outbox::new(
                config
                    .mailer
                    .clone()
                    .unwrap_or_else(|| Arc::new(mail::DevMailer::log_only())),
                config.mail_retry,
            ),
            config: Arc::new(config),
            database,
            trusted_proxies,
        })
    }

    /// Runs `work` with a pooled connection (back to the pool whenever `work` completes).
    pub(crate) async fn run<T>(
        &self,
        work: impl AsyncFnOnce(&mut crate::db::DbConn) -> Result<T, wire::AuthError>,
    ) -> Result<T, wire::AuthError> {
        self.database.run(work).await?
    }

    /// Counts a request of the client's against `endpoint`'s per-address limit: `429` with
    /// `Retry-After` when over it, `503` when the limits' store cannot be reached.
    pub(crate) async fn limit_ip(
        &self,
        parts: &Parts,
        endpoint: limits::Endpoint,
    ) -> Result<(), wire::AuthError> {
        self.limits
            .check_ip(endpoint, limits::client_key(parts, &self.trusted_proxies))
            .await?
            .map_err(wire::AuthError::too_many)
    }

    /// `429` while `account` is locked out after too many failed passwords.
    pub(crate) async fn limit_account(&self, account: &str) -> Result<(), wire::AuthError> {
        self.limits
            .check_account(account)
            .await?
            .map_err(wire::AuthError::too_many)
    }

    /// The `/api/auth/*` routes; the admin routes ask `services`' policy.
    pub(crate) fn router(self: &Arc<Self>, services: Arc<Services>) -> axum::Router {
        routes::router(self.clone()).merge(admin::router(self.clone(), services))
    }

    /// The cross-site request guard: `Some(403)` for a request that carries the session
    /// cookie from a foreign origin.
    pub(crate) fn csrf_refusal(
        &self,
        request: &axum::extract::Request,
    ) -> Option<axum::response::Response> {
        csrf::refusal(request, &self.config)
    }
}

/// Signs requests in by their session (cookie or `Authorization: Bearer`).
pub(crate) struct SessionAuthenticator(pub(crate) Arc<AuthService>);

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
            session::user_of(conn, &self.0.config, &token).await
        })
    }
}
