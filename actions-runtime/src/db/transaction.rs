//! Transactions: the isolation levels an action may ask for, and the one way the runtime opens
//! and ends a transaction on a [`DbConn`].

use super::DbConn;
use crate::error::ActionError;

/// The isolation levels an action may ask for (`tx(serializable)`), shared with the macros.
pub use actions_declare::Isolation;

/// The `BEGIN` that opens a PostgreSQL transaction at `isolation`.
pub(super) fn begin_sql(isolation: Isolation) -> &'static str {
    match isolation {
        Isolation::ReadCommitted => "BEGIN ISOLATION LEVEL READ COMMITTED",
        Isolation::RepeatableRead => "BEGIN ISOLATION LEVEL REPEATABLE READ",
        Isolation::Serializable => "BEGIN ISOLATION LEVEL SERIALIZABLE",
    }
}

/// An error a transaction can end with: the runtime's own, or one that converts from it.
pub(crate) trait TransactionError: From<ActionError> {
    /// Whether the transaction lost to a concurrent one (and may be run again).
    fn is_conflict(&self) -> bool;
}

impl TransactionError for ActionError {
    fn is_conflict(&self) -> bool {
        self.is_transaction_conflict()
    }
}

impl DbConn {
    /// Ends the transaction [`DbConn::begin`] opened: `COMMIT` when `result` is `Ok`, `ROLLBACK`
    /// otherwise. A failed `COMMIT` is rolled back and reported. A connection that cannot be
    /// brought back to a clean state stays marked, and is closed rather than pooled.
    pub(crate) async fn end<T, E: TransactionError>(
        &mut self,
        result: Result<T, E>,
    ) -> Result<T, E> {
        match result {
            Ok(value) => match self.commit().await {
                Ok(()) => Ok(value),
                Err(commit) => {
                    let error = ActionError::from(commit);
                    if !self.abandon().await {
                        // Not clean: closed rather than pooled, and never retried on.
                        return Err(E::from(ActionError::internal(
                            "rollback after a failed commit failed",
                        )));
                    }
                    Err(E::from(error))
                }
            },
            Err(error) => {
                if let Err(rollback) = self.rollback().await {
                    // The connection is dropped rather than pooled; the database rolls back.
                    tracing::error!(error = %rollback, "rollback failed");
                    if error.is_conflict() {
                        return Err(E::from(ActionError::internal(
                            "rollback after a conflict failed",
                        )));
                    }
                }
                Err(error)
            }
        }
    }
}

#[cfg_attr(
    not(feature = "accounts"),
    expect(
        dead_code,
        reason = "only the account service runs its own transactions"
    )
)]
/// Runs `work` in one transaction on `conn`: committed when it returns `Ok`, rolled back when it
/// returns `Err` (passed on), and never left open.
pub(crate) async fn transaction<T, E: TransactionError>(
    conn: &mut DbConn,
    isolation: Isolation,
    work: impl AsyncFnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E> {
    conn.begin(isolation)
        .await
        .map_err(|error| E::from(ActionError::from(error)))?;
    let result = work(conn).await;
    conn.end(result).await
}
