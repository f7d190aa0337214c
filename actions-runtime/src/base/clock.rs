//! [`Clock`]: where the runtime reads the time, so tests can move it.

use crate::db::Timestamp;

/// The time, for everything the runtime decides by it (session expiry and refresh, rate limits,
/// idempotency-key expiry, audit timestamps); tests inject one they control.
pub trait Clock: Send + Sync + 'static {
    /// Now.
    fn now(&self) -> Timestamp;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}
