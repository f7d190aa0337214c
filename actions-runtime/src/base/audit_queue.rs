//! Audit events written outside an action's transaction — a failure's, after its rollback, and
//! an access denial's — on their way to the log. The server holds the queue; the audit stage
//! writes what it carries, many events per statement (`pipeline::audit`).

use crate::db::Timestamp;
use crate::error::ActionError;
use std::sync::Mutex;
use tokio::sync::{mpsc, oneshot};

/// One event, owned, as the audit stage writes it.
#[derive(Debug)]
pub(crate) struct AuditRecord {
    pub(crate) occurred_at: Timestamp,
    pub(crate) request_id: String,
    pub(crate) actor_id: Option<i64>,
    pub(crate) action: String,
    pub(crate) outcome: &'static str,
    pub(crate) code: Option<String>,
    /// Already redacted JSON.
    pub(crate) input: Option<String>,
}

/// An event and who waits for it to commit.
pub(crate) type AuditJob = (AuditRecord, oneshot::Sender<Result<(), ActionError>>);

/// The queue's sending end, once its writer runs (started by the first event, on the runtime
/// that serves it; started again if that runtime went away).
#[derive(Debug, Default)]
pub(crate) struct AuditQueue {
    pub(crate) sender: Mutex<Option<mpsc::Sender<AuditJob>>>,
}
