//! Rate limits (governor's GCRA) on the endpoints that take passwords: per client IP, and per
//! account for failed password checks. They run on the auth [`Clock`], so tests can move time.

use super::config::{AuthConfig, RateLimit};
use crate::base::Clock;
use crate::base::client_ip;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use http::request::Parts;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// governor's clock, read from the auth clock.
#[derive(Clone)]
struct LimiterClock(Arc<dyn Clock>);

impl governor::clock::Clock for LimiterClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        Duration::from_micros(u64::try_from(self.0.now().timestamp_micros()).unwrap_or(0))
    }
}

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, LimiterClock, NoOpMiddleware<Duration>>;

fn limiter<K: Hash + Eq + Clone>(limit: RateLimit, clock: &LimiterClock) -> Keyed<K> {
    let interval = (limit.per / limit.burst.get()).max(Duration::from_nanos(1));
    let quota = Quota::with_period(interval)
        .unwrap_or_else(|| Quota::per_second(limit.burst))
        .allow_burst(limit.burst);
    RateLimiter::new(quota, DefaultKeyedStateStore::default(), clock.clone())
}

/// Which per-IP limit a request counts against.
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

/// Every limiter of one server.
pub(crate) struct Limits {
    clock: LimiterClock,
    sign_in: Keyed<IpAddr>,
    sign_up: Keyed<IpAddr>,
    change_password: Keyed<IpAddr>,
    mail: Keyed<IpAddr>,
    token: Keyed<IpAddr>,
    verify_password: Keyed<IpAddr>,
    change_email: Keyed<IpAddr>,
    update_user: Keyed<IpAddr>,
    delete_user: Keyed<IpAddr>,
    mail_per_email: Keyed<String>,
    failures: Keyed<String>,
    failure_window: Duration,
    /// Accounts whose failure budget ran out, until when.
    locked: Mutex<HashMap<String, Duration>>,
    checks: AtomicU64,
}

impl Limits {
    pub(crate) fn new(config: &AuthConfig) -> Limits {
        let clock = LimiterClock(config.clock.clone());
        let limits = config.rate_limits;
        Limits {
            sign_in: limiter(limits.sign_in_per_ip, &clock),
            sign_up: limiter(limits.sign_up_per_ip, &clock),
            change_password: limiter(limits.change_password_per_ip, &clock),
            mail: limiter(limits.mail_per_ip, &clock),
            token: limiter(limits.token_per_ip, &clock),
            verify_password: limiter(limits.verify_password_per_ip, &clock),
            change_email: limiter(limits.change_email_per_ip, &clock),
            update_user: limiter(limits.update_user_per_ip, &clock),
            delete_user: limiter(limits.delete_user_per_ip, &clock),
            mail_per_email: limiter(limits.mail_per_email, &clock),
            failures: limiter(limits.failures_per_account, &clock),
            failure_window: limits.failures_per_account.per,
            locked: Mutex::new(HashMap::new()),
            checks: AtomicU64::new(0),
            clock,
        }
    }

    fn now(&self) -> Duration {
        governor::clock::Clock::now(&self.clock)
    }

    /// Counts a request from `ip`; `Err(retry after)` when over the limit.
    pub(crate) fn check_ip(&self, endpoint: Endpoint, ip: IpAddr) -> Result<(), Duration> {
        let limiter = match endpoint {
            Endpoint::SignIn => &self.sign_in,
            Endpoint::SignUp => &self.sign_up,
            Endpoint::ChangePassword => &self.change_password,
            Endpoint::Mail => &self.mail,
            Endpoint::Token => &self.token,
            Endpoint::VerifyPassword => &self.verify_password,
            Endpoint::ChangeEmail => &self.change_email,
            Endpoint::UpdateUser => &self.update_user,
            Endpoint::DeleteUser => &self.delete_user,
        };
        self.housekeeping();
        limiter
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(self.now()))
    }

    /// Counts a mail to `email` (whether or not it has an account); `Err(retry after)` when
    /// over the limit.
    pub(crate) fn check_mail_to(&self, email: &str) -> Result<(), Duration> {
        self.mail_per_email
            .check_key(&email.to_owned())
            .map_err(|not_until| not_until.wait_time_from(self.now()))
    }

    /// `Err(retry after)` while the account is locked after too many failed passwords; even the
    /// right password waits until the window has passed, then works again.
    pub(crate) fn check_account(&self, account: &str) -> Result<(), Duration> {
        let now = self.now();
        let mut locked = self
            .locked
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        match locked.get(account) {
            Some(until) if *until > now => Err(*until - now),
            Some(_) => {
                locked.remove(account);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Counts a failed password for `account`; the failure that exceeds the budget locks the
    /// account for one whole window, so at most the budget fails per window.
    pub(crate) fn record_failure(&self, account: &str) {
        if self.failures.check_key(&account.to_owned()).is_err() {
            let until = self.now() + self.failure_window;
            let mut locked = self
                .locked
                .lock()
                .unwrap_or_else(|poison| poison.into_inner());
            if locked.len() > 100_000 {
                let now = self.now();
                locked.retain(|_, until| *until > now);
            }
            locked.insert(account.to_owned(), until);
        }
    }

    /// Forgets idle keys now and then, so memory follows active clients, not all clients ever.
    fn housekeeping(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            self.sign_in.retain_recent();
            self.sign_up.retain_recent();
            self.change_password.retain_recent();
            for limiter in [
                &self.mail,
                &self.token,
                &self.verify_password,
                &self.change_email,
                &self.update_user,
                &self.delete_user,
            ] {
                limiter.retain_recent();
            }
            self.mail_per_email.retain_recent();
            self.failures.retain_recent();
        }
    }
}

/// The address a client's requests count against: its address (see
/// [`RequestHead::client_ip`](crate::base::RequestHead::client_ip)), IPv6 by /64, since one
/// subscriber usually holds a whole /64.
pub(crate) fn client_key(parts: &Parts, trusted_proxies: &[IpAddr]) -> IpAddr {
    bucket(client_ip(parts, trusted_proxies))
}

fn bucket(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
        v4 => v4,
    }
}

/// Seconds for `Retry-After`, rounded up.
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::bucket;
    use std::net::IpAddr;

    #[test]
    fn ipv6_by_slash_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(bucket(a), bucket(b));
        assert_ne!(bucket(a), bucket(c));
        let mapped: IpAddr = "::ffff:10.0.0.7".parse().unwrap();
        assert_eq!(bucket(mapped), "10.0.0.7".parse::<IpAddr>().unwrap());
    }
}
