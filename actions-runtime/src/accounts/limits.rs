//! Rate limits on the endpoints that take passwords: per client IP, and per account for failed
//! password checks, counted in the configured [`Store`](crate::base::limit_store::Store) (this
//! process's memory unless the nodes of a cluster share one). They run on the auth
//! [`Clock`](crate::base::Clock), so tests can move time.

use super::config::{AuthConfig, AuthConfigError, RateLimit, RateLimits};
use crate::base::client_ip;
pub(crate) use crate::base::limit_store::retry_after_secs;
use crate::base::limit_store::{self, Store, StoreError, address_key};
use crate::db::Database;
use http::request::Parts;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// Which per-IP limit a request counts against. A new endpoint is a variant here with its
/// bucket name and its [`RateLimits`] field; the stores need no change.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Endpoint {
    SignIn,
    SignUp,
    ChangePassword,
    /// Every request that sends a mail (reset, verification, email change, deletion).
    Mail,
    /// Requests that present an emailed token (reset-password, verify-email, the deletion link).
    Token,
    VerifyPassword,
    ChangeEmail,
    UpdateUser,
    DeleteUser,
}

impl Endpoint {
    /// Its bucket in the store, and its limit.
    fn bucket(self, limits: &RateLimits) -> (&'static str, RateLimit) {
        match self {
            Endpoint::SignIn => ("sign-in", limits.sign_in_per_ip),
            Endpoint::SignUp => ("sign-up", limits.sign_up_per_ip),
            Endpoint::ChangePassword => ("change-password", limits.change_password_per_ip),
            Endpoint::Mail => ("mail", limits.mail_per_ip),
            Endpoint::Token => ("token", limits.token_per_ip),
            Endpoint::VerifyPassword => ("verify-password", limits.verify_password_per_ip),
            Endpoint::ChangeEmail => ("change-email", limits.change_email_per_ip),
            Endpoint::UpdateUser => ("update-user", limits.update_user_per_ip),
            Endpoint::DeleteUser => ("delete-user", limits.delete_user_per_ip),
        }
    }
}

/// Failed password checks per account, and the accounts locked after too many.
const FAILURES: &str = "sign-in-failures";
const LOCKED: &str = "sign-in-lock";
/// Mails to one address, whether or not it has an account.
const MAIL_TO: &str = "mail-to";

/// Every limit of one server, in its store.
pub(crate) struct Limits {
    limits: RateLimits,
    store: Box<dyn Store>,
}

impl Limits {
    pub(crate) fn new(config: &AuthConfig, database: &Database) -> Result<Limits, AuthConfigError> {
        Ok(Limits {
            limits: config.rate_limits,
            store: limit_store::open(
                &config.rate_limit_store,
                config.clock.clone(),
                Some(database),
            )
            .map_err(|error| AuthConfigError::RateLimitStore(error.0))?,
        })
    }

    /// Counts a request from `ip`: `Ok(Err(retry after))` when over the limit.
    pub(crate) async fn check_ip(
        &self,
        endpoint: Endpoint,
        ip: IpAddr,
    ) -> Result<Result<(), Duration>, StoreError> {
        let (bucket, limit) = endpoint.bucket(&self.limits);
        if unlimited(limit) {
            return Ok(Ok(()));
        }
        let wait = self.store.hit(bucket, &ip.to_string(), limit).await?;
        Ok(wait.map_or(Ok(()), Err))
    }

    /// Counts a mail to `email` (whether or not it has an account): `Ok(Err(retry after))`
    /// when over the limit.
    pub(crate) async fn check_mail_to(
        &self,
        email: &str,
    ) -> Result<Result<(), Duration>, StoreError> {
        let limit = self.limits.mail_per_email;
        if unlimited(limit) {
            return Ok(Ok(()));
        }
        let wait = self.store.hit(MAIL_TO, email, limit).await?;
        Ok(wait.map_or(Ok(()), Err))
    }

    /// `Ok(Err(retry after))` while the account is locked after too many failed passwords;
    /// even the right password waits until the window has passed, then works again.
    pub(crate) async fn check_account(
        &self,
        account: &str,
    ) -> Result<Result<(), Duration>, StoreError> {
        let wait = self.store.locked(LOCKED, account).await?;
        Ok(wait.map_or(Ok(()), Err))
    }

    /// Counts a failed password for `account`; the failure that exceeds the budget locks the
    /// account for one whole window, so at most the budget fails per window.
    pub(crate) async fn record_failure(&self, account: &str) -> Result<(), StoreError> {
        let limit = self.limits.failures_per_account;
        if unlimited(limit) {
            return Ok(());
        }
        if self.store.hit(FAILURES, account, limit).await?.is_some() {
            self.store.lock(LOCKED, account, limit.per).await?;
        }
        Ok(())
    }
}

/// [`RateLimit::UNLIMITED`] or as good as: not worth a round trip to the store.
fn unlimited(limit: RateLimit) -> bool {
    limit.burst == NonZeroU32::MAX
}

/// The address a client's requests count against: its address (see
/// [`RequestHead::client_ip`](crate::base::RequestHead::client_ip)), IPv6 by /64, since one
/// subscriber usually holds a whole /64.
pub(crate) fn client_key(parts: &Parts, trusted_proxies: &[IpAddr]) -> IpAddr {
    address_key(client_ip(parts, trusted_proxies))
}
