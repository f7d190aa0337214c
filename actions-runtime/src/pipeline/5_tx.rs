//! Stage 5 of the pipeline — the transaction: under `tx` the handler runs in one transaction on
//! the request's connection, committed when it returns `Ok` and rolled back when it returns
//! `Err` or panics. A request dropped mid-transaction closes its connection (see
//! [`DbConn`](crate::db::DbConn)), so no transaction outlives its request.
//!
//! A transaction that loses a serialization conflict or a deadlock (SQLSTATE 40001, 40P01) is
//! rolled back and the whole handler runs again on a copy of the input, after a jittered,
//! growing pause, at most [`MAX_ATTEMPTS`] times; then the client gets `503`.

use crate::base::ActionContext;
use crate::db::Isolation;
use crate::error::ActionError;
use std::time::Duration;

/// How many times a conflicting transaction runs before the client gets `503`.
pub(super) const MAX_ATTEMPTS: u32 = 20;
/// The first pause before a re-run; each later one may be twice as long, up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(2);
const MAX_PAUSE: Duration = Duration::from_millis(250);

/// One attempt: `BEGIN` on the request's connection, `work`, then `COMMIT` when it returned
/// `Ok` or `ROLLBACK` otherwise.
pub(super) async fn in_transaction<T>(
    ctx: &mut ActionContext,
    isolation: Isolation,
    work: impl AsyncFnOnce(&mut ActionContext) -> Result<T, ActionError>,
) -> Result<T, ActionError> {
    ctx.db().await?.begin(isolation).await?;
    let result = work(ctx).await;
    let conn = ctx
        .conn_if_open()
        .ok_or_else(|| ActionError::internal("the transaction's connection is gone"))?;
    conn.end(result).await
}

/// Waits before re-running attempt `attempt + 1`: "full jitter", a random pause up to a bound
/// that doubles with each attempt, so retrying clients spread out instead of colliding again.
pub(super) async fn pause(attempt: u32) {
    let bound = FIRST_PAUSE
        .saturating_mul(1 << attempt.min(16))
        .min(MAX_PAUSE);
    let micros = u64::try_from(bound.as_micros()).unwrap_or(u64::MAX).max(1);
    let pause = Duration::from_micros(getrandom::u64().unwrap_or(micros / 2) % micros);
    tokio::time::sleep(pause).await;
}
