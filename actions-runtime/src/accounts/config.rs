//! [`AuthConfig`]: where the app runs, how long sessions live, how passwords are hashed and how
//! fast clients may try.

use super::mail::{MailBody, MailContext, MailKind, MailRetry, Mailer, Templates};
use crate::base::{Clock, Role, SystemClock};
pub use crate::base::{RateLimit, RateLimitStore};
use std::sync::Arc;
use std::time::Duration;

/// Rate limits of the endpoints that take passwords.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    /// Sign-in attempts per client IP (IPv6 by /64). Default: 3 per 10 seconds (Better Auth's
    /// own default, the floor).
    pub sign_in_per_ip: RateLimit,
    /// Sign-ups per client IP. Default: 3 per 10 seconds.
    pub sign_up_per_ip: RateLimit,
    /// Password changes per client IP. Default: 3 per 10 seconds.
    pub change_password_per_ip: RateLimit,
    /// Failed password checks per account (keyed by email, whether or not it exists).
    /// Default: 100 per hour.
    pub failures_per_account: RateLimit,
    /// Requests that send a mail (password reset, verification, email change, deletion) per
    /// client IP. Default: 3 per minute (Better Auth's floor for mail).
    pub mail_per_ip: RateLimit,
    /// Mails to one address, whether or not it has an account. Default: 3 per minute.
    pub mail_per_email: RateLimit,
    /// Requests presenting an emailed token (`reset-password`, `verify-email`, the deletion
    /// link) per client IP. Default: 10 per minute.
    pub token_per_ip: RateLimit,
    /// `verify-password` per client IP. Default: 3 per 10 seconds.
    pub verify_password_per_ip: RateLimit,
    /// `change-email` per client IP. Default: 3 per 10 seconds (Better Auth's floor).
    pub change_email_per_ip: RateLimit,
    /// `update-user` per client IP. Default: 10 per minute.
    pub update_user_per_ip: RateLimit,
    /// `delete-user` per client IP. Default: 3 per 10 seconds.
    pub delete_user_per_ip: RateLimit,
}

impl Default for RateLimits {
    fn default() -> RateLimits {
        RateLimits {
            sign_in_per_ip: RateLimit::new(3, Duration::from_secs(10)),
            sign_up_per_ip: RateLimit::new(3, Duration::from_secs(10)),
            change_password_per_ip: RateLimit::new(3, Duration::from_secs(10)),
            failures_per_account: RateLimit::new(100, Duration::from_secs(3600)),
            mail_per_ip: RateLimit::new(3, Duration::from_secs(60)),
            mail_per_email: RateLimit::new(3, Duration::from_secs(60)),
            token_per_ip: RateLimit::new(10, Duration::from_secs(60)),
            verify_password_per_ip: RateLimit::new(3, Duration::from_secs(10)),
            change_email_per_ip: RateLimit::new(3, Duration::from_secs(10)),
            update_user_per_ip: RateLimit::new(10, Duration::from_secs(60)),
            delete_user_per_ip: RateLimit::new(3, Duration::from_secs(10)),
        }
    }
}

/// Argon2id cost. The defaults are OWASP's minimum (19 MiB, 2 passes, 1 lane); lower is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordCost {
    /// Memory, KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl PasswordCost {
    /// OWASP's recommended minimum for Argon2id.
    pub const OWASP: PasswordCost = PasswordCost {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };
}

/// Why an [`AuthConfig`] was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthConfigError {
    /// The base URL is not `scheme://host[:port]`.
    #[error("invalid base URL {0:?}: expected scheme://host[:port], like https://example.com")]
    InvalidUrl(String),
    /// Cookies would travel over plain HTTP to a host other than this machine.
    #[error("base URL {0:?} is plain http: session cookies need https, except on localhost")]
    InsecureUrl(String),
    /// Argon2id cost below OWASP's minimum.
    #[error("password cost {0:?} is below OWASP's minimum (19 MiB, 2 iterations, 1 lane)")]
    WeakPasswordCost(PasswordCost),
    /// Argon2 refused the cost's parameters (too large for it).
    #[error("argon2 refuses the password cost: {0}")]
    PasswordParameters(String),
    /// The rate-limit store cannot be used: PostgreSQL's on SQLite, a malformed Redis URL.
    #[error("rate-limit store: {0}")]
    RateLimitStore(String),
}

/// Email + password authentication, the counterpart of Better Auth's `emailAndPassword`:
/// `Server::builder(..).auth(AuthConfig::new("https://blog.example")?)`.
#[derive(Clone)]
pub struct AuthConfig {
    pub(crate) origin: String,
    pub(crate) secure_cookies: bool,
    pub(crate) trusted_origins: Vec<String>,
    pub(crate) session_ttl: Duration,
    pub(crate) refresh_after: Duration,
    pub(crate) absolute_ttl: Duration,
    pub(crate) password_cost: PasswordCost,
    pub(crate) rate_limits: RateLimits,
    pub(crate) rate_limit_store: RateLimitStore,
    /// The roles accounts may hold; a stored role outside them is an error.
    pub(crate) roles: Vec<Role>,
    /// Where mail goes; `None`: logged only ([`DevMailer::log_only`]).
    pub(crate) mailer: Option<Arc<dyn Mailer>>,
    pub(crate) mail_retry: MailRetry,
    pub(crate) templates: Templates,
    pub(crate) reset_token_ttl: Duration,
    pub(crate) verification_token_ttl: Duration,
    pub(crate) require_email_verification: bool,
    pub(crate) send_verification_on_sign_up: bool,
    pub(crate) fresh_age: Duration,
    pub(crate) confirm_deletion_by_mail: bool,
    /// The server's clock ([`ServerBuilder::clock`](crate::ServerBuilder::clock)), set when
    /// the server is built, so sessions, rate limits and audit times share one notion of now.
    pub(crate) clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("origin", &self.origin)
            .field("secure_cookies", &self.secure_cookies)
            .field("trusted_origins", &self.trusted_origins)
            .field("session_ttl", &self.session_ttl)
            .field("password_cost", &self.password_cost)
            .field("rate_limit_store", &self.rate_limit_store)
            .finish_non_exhaustive()
    }
}

impl AuthConfig {
    /// The app's own origin, as browsers send it in `Origin`: `https://blog.example`.
    /// Plain `http` is accepted only for `localhost`, `127.0.0.1` and `[::1]`, and then
    /// cookies lose `Secure` (browsers would not send them back over http otherwise).
    pub fn new(base_url: &str) -> Result<AuthConfig, AuthConfigError> {
        let origin = normalize_origin(base_url)
            .ok_or_else(|| AuthConfigError::InvalidUrl(base_url.to_owned()))?;
        let secure_cookies = origin.starts_with("https://");
        if !secure_cookies && !is_localhost(&origin) {
            return Err(AuthConfigError::InsecureUrl(base_url.to_owned()));
        }
        Ok(AuthConfig {
            origin,
            secure_cookies,
            trusted_origins: Vec::new(),
            session_ttl: Duration::from_secs(7 * 24 * 3600),
            refresh_after: Duration::from_secs(24 * 3600),
            absolute_ttl: Duration::from_secs(30 * 24 * 3600),
            password_cost: PasswordCost::OWASP,
            rate_limits: RateLimits::default(),
            rate_limit_store: RateLimitStore::Memory,
            roles: vec![Role::USER, Role::ADMIN],
            mailer: None,
            mail_retry: MailRetry::default(),
            templates: Templates::default(),
            reset_token_ttl: Duration::from_secs(3600),
            verification_token_ttl: Duration::from_secs(3600),
            require_email_verification: false,
            send_verification_on_sign_up: false,
            fresh_age: Duration::from_secs(24 * 3600),
            confirm_deletion_by_mail: false,
            clock: Arc::new(SystemClock),
        })
    }

    /// Another origin allowed to make cookie-authenticated requests (a separate front end).
    pub fn trusted_origin(mut self, origin: &str) -> Result<AuthConfig, AuthConfigError> {
        let origin = normalize_origin(origin)
            .ok_or_else(|| AuthConfigError::InvalidUrl(origin.to_owned()))?;
        self.trusted_origins.push(origin);
        Ok(self)
    }

    /// How long a session lives without use (default 7 days).
    pub fn session_ttl(mut self, ttl: Duration) -> AuthConfig {
        self.session_ttl = ttl;
        self
    }

    /// How often an active session's expiry slides forward, at most (default once a day).
    pub fn refresh_after(mut self, interval: Duration) -> AuthConfig {
        self.refresh_after = interval;
        self
    }

    /// How long a session may live at all, however active (default 30 days).
    pub fn absolute_ttl(mut self, ttl: Duration) -> AuthConfig {
        self.absolute_ttl = ttl;
        self
    }

    /// The Argon2id cost for new hashes; passwords hashed at another cost are rehashed at their
    /// next sign-in.
    pub fn password_cost(mut self, cost: PasswordCost) -> Result<AuthConfig, AuthConfigError> {
        let owasp = PasswordCost::OWASP;
        if cost.memory_kib < owasp.memory_kib
            || cost.iterations < owasp.iterations
            || cost.parallelism < 1
        {
            return Err(AuthConfigError::WeakPasswordCost(cost));
        }
        self.password_cost = cost;
        Ok(self)
    }

    /// The rate limits.
    pub fn rate_limits(mut self, limits: RateLimits) -> AuthConfig {
        self.rate_limits = limits;
        self
    }

    /// Where the rate limits are counted: [`RateLimitStore::Memory`] (one node) unless set;
    /// several nodes behind a load balancer share [`RateLimitStore::Postgres`] or a Redis.
    pub fn rate_limit_store(mut self, store: RateLimitStore) -> AuthConfig {
        self.rate_limit_store = store;
        self
    }

    /// A role accounts may hold, beside `user` (what sign-up gives) and `admin`. An account
    /// whose stored role the app does not name cannot sign in: the server answers `500` and logs
    /// why, rather than treating it as another role.
    pub fn role(mut self, role: Role) -> AuthConfig {
        if !self.roles.contains(&role) {
            self.roles.push(role);
        }
        self
    }

    /// Where the account service's mail goes ([`SmtpMailer`](super::SmtpMailer),
    /// [`DevMailer`], or the app's own [`Mailer`]). Without one, mail is only logged.
    pub fn mailer(mut self, mailer: impl Mailer) -> AuthConfig {
        self.mailer = Some(Arc::new(mailer));
        self
    }

    /// How a failed send is retried (default: 5 attempts, pauses from 1 s, doubling).
    pub fn mail_retry(mut self, retry: MailRetry) -> AuthConfig {
        self.mail_retry = retry;
        self
    }

    /// The app's own wording of one kind of mail, over the built-in template.
    pub fn mail_template(
        mut self,
        kind: MailKind,
        template: impl Fn(&MailContext<'_>) -> MailBody + Send + Sync + 'static,
    ) -> AuthConfig {
        self.templates.set(kind, Arc::new(template));
        self
    }

    /// How long a password-reset link works (default 1 hour, as Better Auth's
    /// `resetPasswordTokenExpiresIn`).
    pub fn reset_token_ttl(mut self, ttl: Duration) -> AuthConfig {
        self.reset_token_ttl = ttl;
        self
    }

    /// How long a verification link (email, email change, account deletion) works (default
    /// 1 hour, as Better Auth's `emailVerification.expiresIn`).
    pub fn verification_token_ttl(mut self, ttl: Duration) -> AuthConfig {
        self.verification_token_ttl = ttl;
        self
    }

    /// Better Auth's `requireEmailVerification`: sign-in with an unverified address is refused
    /// (`403 EMAIL_NOT_VERIFIED`) and a fresh verification mail is sent.
    pub fn require_email_verification(mut self, required: bool) -> AuthConfig {
        self.require_email_verification = required;
        self
    }

    /// Better Auth's `emailVerification.sendOnSignUp`: sign-up mails a verification link.
    pub fn send_verification_on_sign_up(mut self, send: bool) -> AuthConfig {
        self.send_verification_on_sign_up = send;
        self
    }

    /// Better Auth's `session.freshAge`: how recently a session must have been opened for the
    /// sensitive steps — listing the sessions (`403 SESSION_NOT_FRESH`), deleting the account
    /// without a password (`400 SESSION_EXPIRED`) — as Better Auth 1.7 (default 1 day).
    pub fn fresh_age(mut self, age: Duration) -> AuthConfig {
        self.fresh_age = age;
        self
    }

    /// Better Auth's `deleteUser.sendDeleteAccountVerification`: `delete-user` without a token
    /// mails a confirmation link (after checking a password, if one is given) instead of
    /// deleting at once.
    pub fn confirm_deletion_by_mail(mut self, confirm: bool) -> AuthConfig {
        self.confirm_deletion_by_mail = confirm;
        self
    }

    /// The app's origin.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether `origin` may make cookie-authenticated state changes.
    pub(crate) fn allows_origin(&self, origin: &str) -> bool {
        origin == self.origin || self.trusted_origins.iter().any(|o| o == origin)
    }
}

fn is_localhost(origin: &str) -> bool {
    let host = origin.trim_start_matches("http://");
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default().to_owned()
    };
    matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]")
}

pub(crate) use crate::web::normalize_origin;

#[cfg(test)]
mod tests {
    use super::{AuthConfig, AuthConfigError, RateLimit, normalize_origin};
    use std::time::Duration;

    #[test]
    fn rate_limits_from_text() {
        assert_eq!(
            "30/min".parse(),
            Ok(RateLimit::new(30, Duration::from_secs(60)))
        );
        assert_eq!(
            " 5 / s ".parse(),
            Ok(RateLimit::new(5, Duration::from_secs(1)))
        );
        assert_eq!(
            "100/hour".parse(),
            Ok(RateLimit::new(100, Duration::from_secs(3600)))
        );
        assert_eq!(
            "3/10s".parse(),
            Ok(RateLimit::new(3, Duration::from_secs(10)))
        );
        assert_eq!("OFF".parse(), Ok(RateLimit::UNLIMITED));
        for bad in [
            "", "30", "30/week", "-1/min", "0/min", "x/min", "3/0s", "3/10",
        ] {
            assert!(bad.parse::<RateLimit>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn origins() {
        assert_eq!(
            normalize_origin("https://Blog.Example:443/path").as_deref(),
            Some("https://blog.example")
        );
        assert_eq!(
            normalize_origin("http://localhost:3000/").as_deref(),
            Some("http://localhost:3000")
        );
        assert_eq!(
            normalize_origin("http://[::1]:80").as_deref(),
            Some("http://[::1]")
        );
        assert_eq!(normalize_origin("ftp://x"), None);
        assert_eq!(normalize_origin("https://user@evil"), None);
        // A property the `csrf` fuzz target checks: normalising twice changes nothing.
        assert_eq!(normalize_origin("http://a:80:80"), None);
        assert_eq!(normalize_origin("http://a:8o"), None);
        assert_eq!(
            normalize_origin("http://[::1]").as_deref(),
            Some("http://[::1]")
        );
    }

    #[test]
    fn plain_http_only_on_localhost() {
        assert!(
            !AuthConfig::new("http://localhost:3000")
                .unwrap()
                .secure_cookies
        );
        assert!(
            AuthConfig::new("https://blog.example")
                .unwrap()
                .secure_cookies
        );
        assert!(matches!(
            AuthConfig::new("http://blog.example"),
            Err(AuthConfigError::InsecureUrl(_))
        ));
        assert!(matches!(
            AuthConfig::new("http://localhost.evil.com"),
            Err(AuthConfigError::InsecureUrl(_))
        ));
    }
}
