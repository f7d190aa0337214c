//! [`Services`]: what the server provides to every request it serves, as the stages see it.
//! The server builds it once; what only the server needs (the action table, the account
//! service's routes) stays on the server.

use super::clock::Clock;
use super::identity::Authenticator;
use super::policy::CompiledPolicy;
use super::state::StateMap;
use crate::db::Database;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

/// Shared by every request of one server.
pub(crate) struct Services {
    pub(crate) database: Option<Database>,
    pub(crate) authenticator: Option<Arc<dyn Authenticator>>,
    pub(crate) policy: CompiledPolicy,
    /// The one clock: sessions, rate limits, idempotency-key expiry and audit times read it.
    pub(crate) clock: Arc<dyn Clock>,
    /// The largest request body accepted, in bytes.
    pub(crate) body_limit: usize,
    /// How long an action may take, from auth to response.
    pub(crate) request_timeout: Duration,
    /// How long a transaction that keeps conflicting is run again before the client gets `503`.
    pub(crate) retry_window: Duration,
    /// How long an idempotent response is kept.
    pub(crate) idempotency_ttl: Duration,
    /// When expired idempotency keys were last purged (microseconds since the epoch).
    pub(crate) last_purge: AtomicI64,
    /// The app's own services, by type.
    pub(crate) state: StateMap,
    /// Signs and encrypts the cookies actions set.
    pub(crate) cookie_key: cookie::Key,
    /// Reverse proxies whose `X-Forwarded-For` is believed for the client's address.
    pub(crate) trusted_proxies: Vec<IpAddr>,
    /// Failure and denial events on their way to the audit log.
    pub(crate) audit_queue: super::AuditQueue,
    /// How often transactions lost a conflict and ran again, or gave up.
    pub(crate) conflicts: ConflictCounters,
    /// Held shared by every transaction attempt, exclusive by one that lost too often (stage
    /// 5_tx).
    pub(crate) transaction_gate: std::sync::Arc<tokio::sync::RwLock<()>>,
    /// A test's faults, injected inside transactions (feature `testing`).
    #[cfg(feature = "testing")]
    pub(crate) faults: Option<super::fault::FaultHook>,
    /// The app's hooks around every action call, in registration order.
    pub(crate) hooks: super::Hooks,
}

/// Counts of the transaction conflicts the pipeline met, since the server was built.
#[derive(Debug, Default)]
pub(crate) struct ConflictCounters {
    reruns: AtomicU64,
    budgets_spent: AtomicU64,
}

impl ConflictCounters {
    /// A transaction lost a conflict and its handler runs again.
    pub(crate) fn rerun(&self) {
        self.reruns.fetch_add(1, Ordering::Relaxed);
    }

    /// A transaction lost its last allowed attempt: the client gets `503`.
    pub(crate) fn budget_spent(&self) {
        self.budgets_spent.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> TransactionStats {
        TransactionStats {
            reruns: self.reruns.load(Ordering::Relaxed),
            budgets_spent: self.budgets_spent.load(Ordering::Relaxed),
        }
    }
}

/// How the server's transactions fared against concurrent ones, since it was built
/// ([`Server::transaction_stats`](crate::Server::transaction_stats)): for metrics, and for
/// tests that must know the runtime retried rather than guess it from timing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransactionStats {
    /// Handler runs repeated after a serialization failure or a deadlock.
    pub reruns: u64,
    /// Requests that conflicted on every attempt of their budget and were answered `503`.
    pub budgets_spent: u64,
}
