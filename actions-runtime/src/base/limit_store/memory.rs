//! The default store: this process's memory, with governor's GCRA, as one node needs. Nodes
//! behind a load balancer each count on their own with it: a client spreading its requests
//! over `n` nodes gets `n` times the limit.

use super::RateLimit;
use super::{Store, StoreError};
use crate::base::Clock;
use futures_util::future::{BoxFuture, FutureExt, ready};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
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

type Keyed =
    RateLimiter<String, DefaultKeyedStateStore<String>, LimiterClock, NoOpMiddleware<Duration>>;

fn limiter(limit: RateLimit, clock: &LimiterClock) -> Keyed {
    let interval = (limit.per / limit.burst.get()).max(Duration::from_nanos(1));
    let quota = Quota::with_period(interval)
        .unwrap_or_else(|| Quota::per_second(limit.burst))
        .allow_burst(limit.burst);
    RateLimiter::new(quota, DefaultKeyedStateStore::default(), clock.clone())
}

/// One limiter per bucket and limit (actions of one bucket declare different limits), made on
/// its first request; lock-outs by bucket and key.
pub(super) struct MemoryStore {
    clock: LimiterClock,
    limiters: RwLock<HashMap<(&'static str, RateLimit), Arc<Keyed>>>,
    /// Keys locked, until when.
    locks: Mutex<HashMap<(&'static str, String), Duration>>,
    hits: AtomicU64,
}

impl MemoryStore {
    pub(super) fn new(clock: Arc<dyn Clock>) -> MemoryStore {
        MemoryStore {
            clock: LimiterClock(clock),
            limiters: RwLock::new(HashMap::new()),
            locks: Mutex::new(HashMap::new()),
            hits: AtomicU64::new(0),
        }
    }

    fn now(&self) -> Duration {
        governor::clock::Clock::now(&self.clock)
    }

    fn limiter(&self, bucket: &'static str, limit: RateLimit) -> Arc<Keyed> {
        let read = self.limiters.read().unwrap_or_else(|p| p.into_inner());
        if let Some(limiter) = read.get(&(bucket, limit)) {
            return limiter.clone();
        }
        drop(read);
        let mut write = self.limiters.write().unwrap_or_else(|p| p.into_inner());
        write
            .entry((bucket, limit))
            .or_insert_with(|| Arc::new(limiter(limit, &self.clock)))
            .clone()
    }

    /// Forgets idle keys now and then, so memory follows active clients, not all clients ever.
    fn housekeeping(&self) {
        if self.hits.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            let limiters = self.limiters.read().unwrap_or_else(|p| p.into_inner());
            for limiter in limiters.values() {
                limiter.retain_recent();
            }
        }
    }
}

impl Store for MemoryStore {
    fn hit<'a>(
        &'a self,
        bucket: &'static str,
        key: &'a str,
        limit: RateLimit,
    ) -> BoxFuture<'a, Result<Option<Duration>, StoreError>> {
        self.housekeeping();
        let decision = self
            .limiter(bucket, limit)
            .check_key(&key.to_owned())
            .err()
            .map(|not_until| not_until.wait_time_from(self.now()));
        ready(Ok(decision)).boxed()
    }

    fn lock<'a>(
        &'a self,
        bucket: &'static str,
        key: &'a str,
        period: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let now = self.now();
        let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        if locks.len() > 100_000 {
            locks.retain(|_, until| *until > now);
        }
        let until = locks.entry((bucket, key.to_owned())).or_insert(now);
        *until = (*until).max(now + period);
        ready(Ok(())).boxed()
    }

    fn locked<'a>(
        &'a self,
        bucket: &'static str,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<Duration>, StoreError>> {
        let now = self.now();
        let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        let entry = (bucket, key.to_owned());
        let wait = match locks.get(&entry) {
            Some(until) if *until > now => Some(*until - now),
            Some(_) => {
                locks.remove(&entry);
                None
            }
            None => None,
        };
        ready(Ok(wait)).boxed()
    }
}
