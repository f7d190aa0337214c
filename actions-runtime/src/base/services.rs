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
use std::sync::atomic::AtomicI64;
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
}
