//! Stage 5 of the pipeline — the transaction: under `tx` the handler runs in one transaction on
//! the request's connection, committed when it returns `Ok` and rolled back when it returns
//! `Err` or panics. A request dropped mid-transaction closes its connection (see
//! [`DbConn`](crate::db::DbConn)), so no transaction outlives its request.
//!
//! A transaction that loses a serialization conflict or a deadlock (SQLSTATE 40001, 40P01) is
//! rolled back and the whole handler runs again on a copy of the input, after a jittered,
//! growing pause, until its [`RetryBudget`] (a window of time) closes; then the client gets
//! `503`.

use crate::base::ActionContext;
use crate::db::Isolation;
use crate::error::ActionError;
use std::time::Duration;
use tokio::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard};
use tokio::time::Instant;

/// The first pause before a re-run; each later one may be twice as long, up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(2);
const MAX_PAUSE: Duration = Duration::from_millis(250);

/// From this attempt on, a request that keeps losing runs its transaction alone on this server.
const ALONE_FROM_ATTEMPT: u32 = 10;

/// One attempt: `BEGIN` on the request's connection, `work`, then `COMMIT` when it returned
/// `Ok` or `ROLLBACK` otherwise.
///
/// Every attempt holds the server's transaction gate: shared, or — once a request has lost
/// [`ALONE_FROM_ATTEMPT`] - 1 times — exclusive, so that attempt runs with no other transaction
/// of this server beside it and cannot lose again to one (the fallback lock of lock elision, or
/// CockroachDB raising the priority of a transaction that keeps restarting: without it a request
/// can starve while others keep committing). The gate is fair: once an exclusive attempt waits,
/// new attempts queue behind it; it is released during the pause between attempts.
pub(super) async fn in_transaction<T>(
    ctx: &mut ActionContext,
    isolation: Isolation,
    attempt: u32,
    work: impl AsyncFnOnce(&mut ActionContext) -> Result<T, ActionError>,
) -> Result<T, ActionError> {
    let gate = ctx.services().transaction_gate.clone();
    let _turn = if attempt >= ALONE_FROM_ATTEMPT {
        Turn::Alone(gate.write_owned().await)
    } else {
        Turn::Shared(gate.read_owned().await)
    };
    ctx.db().await?.begin(isolation).await?;
    let result = work(ctx).await;
    let conn = ctx
        .conn_if_open()
        .ok_or_else(|| ActionError::internal("the transaction's connection is gone"))?;
    conn.end(result).await
}

/// A transaction's hold on the server's transaction gate, kept for the attempt.
enum Turn {
    Shared(#[expect(dead_code, reason = "held, never read")] OwnedRwLockReadGuard<()>),
    Alone(#[expect(dead_code, reason = "held, never read")] OwnedRwLockWriteGuard<()>),
}

/// How long a request may go on re-running a conflicting transaction: a budget counted in time
/// from its first attempt, as FoundationDB bounds a retry loop by its transaction timeout rather
/// than by a count. A count is spent fastest exactly when the database is busiest (every attempt
/// then conflicts), so it gives up on requests that would have succeeded a moment later; a
/// window spends the same wall time however many attempts fit in it, and a transaction that can
/// never succeed still ends when it closes.
pub(super) struct RetryBudget {
    started: Instant,
    window: Duration,
}

impl RetryBudget {
    /// The budget of a request whose first attempt starts now.
    pub(super) fn start(window: Duration) -> RetryBudget {
        RetryBudget {
            started: Instant::now(),
            window,
        }
    }

    /// The pause before attempt `attempt + 1`, or `None` when that attempt would start after the
    /// window closed: "full jitter", a random pause up to a bound that doubles with each attempt
    /// (capped), so colliding requests spread out instead of colliding again.
    pub(super) fn pause(&self, attempt: u32) -> Option<Duration> {
        let bound = FIRST_PAUSE
            .saturating_mul(1 << attempt.min(16))
            .min(MAX_PAUSE);
        let micros = u64::try_from(bound.as_micros()).unwrap_or(u64::MAX).max(1);
        let pause = Duration::from_micros(getrandom::u64().unwrap_or(micros / 2) % micros);
        (self.started.elapsed() + pause < self.window).then_some(pause)
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_PAUSE, RetryBudget};
    use std::time::Duration;

    #[test]
    fn pauses_grow_up_to_the_cap_and_stop_at_the_window() {
        let open = RetryBudget::start(Duration::from_secs(3600));
        for attempt in 1..40 {
            let bound = Duration::from_millis(2 << attempt.min(16)).min(MAX_PAUSE);
            let pause = open.pause(attempt).expect("the window is open");
            assert!(pause < bound, "attempt {attempt}: {pause:?} ≥ {bound:?}");
        }
        let closed = RetryBudget::start(Duration::ZERO);
        assert_eq!(closed.pause(1), None);
    }
}
