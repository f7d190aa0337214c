//! Database errors as action errors: what the client may know, with the rest kept for the logs.

use super::{ActionError, ErrorCode};
use diesel::result::{DatabaseErrorKind, Error as DieselError};

impl From<DieselError> for ActionError {
    fn from(error: DieselError) -> ActionError {
        match &error {
            DieselError::NotFound => ActionError::not_found("not found"),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                ActionError::conflict("a record with the same unique value already exists")
                    .with_source(error)
            }
            // 40001 (and 40P01, which diesel leaves as Unknown: PostgreSQL's message for it is
            // the only sign, so servers with translated messages report deadlocks as 500s).
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                transaction_conflict(error)
            }
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message().starts_with("deadlock detected") =>
            {
                transaction_conflict(error)
            }
            // SQLite gave up waiting for a writer after its busy timeout: the server is
            // overloaded, not broken, and the client may retry.
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message().contains("database is locked") =>
            {
                unavailable(error)
            }
            _ => ActionError::internal(error),
        }
    }
}

/// `503 SERVICE_UNAVAILABLE`: the database did not answer in time or could not be reached.
pub(crate) fn unavailable(
    source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> ActionError {
    ActionError::new(
        ErrorCode::SERVICE_UNAVAILABLE,
        "the database is busy; try again shortly",
    )
    .with_source(source)
}

/// `503`: the transaction lost to a concurrent one. The runtime re-runs `tx` handlers on this;
/// the client sees it only when the retries are spent.
pub(crate) fn transaction_conflict(
    source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> ActionError {
    let mut error = ActionError::new(
        ErrorCode::SERVICE_UNAVAILABLE,
        "the request kept conflicting with concurrent ones; try again",
    )
    .with_source(source);
    error.conflict = true;
    error
}
