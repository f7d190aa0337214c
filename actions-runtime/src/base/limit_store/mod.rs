//! Where rate-limit state lives: [`Store`], keyed by a bucket name (`sign-in`, `sign-in-lock`, …)
//! and a key (a client address, an email), with the limit passed as a value, so a new endpoint
//! needs no change here. Three stores: this process's memory (governor's GCRA; the default, for
//! one node), PostgreSQL (a table and one atomic upsert; nodes sharing a database share limits)
//! and Redis (a Lua script; feature `redis`). All three run GCRA on the auth clock, so they
//! decide alike and tests can move time. The account service's limits and the per-action
//! `rate_limit` of `#[action]` both count here.

// Lock-outs (`lock`, `locked`) serve the account service alone.
#![cfg_attr(not(feature = "accounts"), allow(dead_code))]

mod limit;
mod memory;
mod postgres;
#[cfg(feature = "redis")]
mod redis;

use super::clock::Clock;
use crate::db::{Backend, Database};
use futures_util::future::BoxFuture;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

pub use limit::{RateLimit, RateLimitStore};

/// The rate-limit state of every node that shares the store.
pub(crate) trait Store: Send + Sync {
    /// Counts one request of `key` against `bucket`'s `limit`: `Some(wait)` when over it (the
    /// request is not counted), `None` when allowed.
    fn hit<'a>(
        &'a self,
        bucket: &'static str,
        key: &'a str,
        limit: RateLimit,
    ) -> BoxFuture<'a, Result<Option<Duration>, StoreError>>;

    /// Locks `key` in `bucket` for `period` from now (a longer lock already held stays).
    fn lock<'a>(
        &'a self,
        bucket: &'static str,
        key: &'a str,
        period: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// How long `key` in `bucket` stays locked, if it is.
    fn locked<'a>(
        &'a self,
        bucket: &'static str,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<Duration>, StoreError>>;
}

/// The store could not be reached or refused the command: the request is refused (`503`), not
/// let through unlimited.
#[derive(Debug, thiserror::Error)]
#[error("the rate-limit store failed: {0}")]
pub(crate) struct StoreError(pub(crate) String);

/// The store `choice` names, on `database` for the PostgreSQL store.
pub(crate) fn open(
    choice: &RateLimitStore,
    clock: Arc<dyn Clock>,
    database: Option<&Database>,
) -> Result<Box<dyn Store>, StoreError> {
    Ok(match choice {
        RateLimitStore::Memory => Box::new(memory::MemoryStore::new(clock)),
        RateLimitStore::Postgres => {
            let Some(database) = database.filter(|db| db.backend() == Backend::Postgres) else {
                return Err(StoreError(
                    "the postgres rate-limit store needs a PostgreSQL database; on SQLite (one \
                     node) use the memory store"
                        .to_owned(),
                ));
            };
            Box::new(postgres::PostgresStore::new(clock, database.clone()))
        }
        #[cfg(feature = "redis")]
        RateLimitStore::Redis { url, prefix } => {
            Box::new(redis::RedisStore::new(clock, url, prefix)?)
        }
    })
}

/// Microseconds since the epoch on `clock`.
fn micros_now(clock: &dyn Clock) -> i64 {
    clock.now().timestamp_micros()
}

/// GCRA's parameters of `limit`, in microseconds: the emission interval (`per / burst`) and the
/// period over which the burst refills.
fn gcra(limit: RateLimit) -> (i64, i64) {
    let per = i64::try_from(limit.per.as_micros()).unwrap_or(i64::MAX);
    (per / i64::from(limit.burst.get()), per)
}

/// A wait in microseconds as a duration (never negative).
fn wait(micros: i64) -> Duration {
    Duration::from_micros(u64::try_from(micros).unwrap_or(0))
}

/// How long a lock that ends at `until` (microseconds) still holds at `now`, if it does.
fn remaining(until: Option<i64>, now: i64) -> Option<Duration> {
    until
        .filter(|until| *until > now)
        .map(|until| wait(until - now))
}

fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}

/// The address a client's requests count against, IPv6 by /64 (one subscriber usually holds a
/// whole /64), an IPv4-mapped address as IPv4.
pub(crate) fn address_key(ip: IpAddr) -> IpAddr {
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
    use super::address_key as bucket;
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
