//! Faults a test injects into the pipeline (feature `testing`; without it, neither this module
//! nor a single branch of the pipeline exists): at each point of a transactional action between
//! the handler's entry and `COMMIT`, fail, refuse, or lose the database connection, so a test
//! can prove that whatever happens there leaves all or nothing.

use super::ActionContext;
use crate::db::DbConn;
use crate::error::ActionError;
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use std::sync::Arc;

/// Where, inside an action's transaction, a fault may strike — in the order a request passes
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultPoint {
    /// The idempotency key is marked in flight; the handler has not run (no effect yet).
    BeforeEffect,
    /// The handler returned `Ok`: its writes are made, the key's response is not stored.
    AfterEffect,
    /// The key's response is stored; the audit event is not written.
    AfterIdempotencyKey,
    /// The audit event is written; `COMMIT` is next.
    BeforeCommit,
}

impl FaultPoint {
    /// Every point, in the order a request passes them.
    pub const ALL: [FaultPoint; 4] = [
        FaultPoint::BeforeEffect,
        FaultPoint::AfterEffect,
        FaultPoint::AfterIdempotencyKey,
        FaultPoint::BeforeCommit,
    ];
}

/// What happens at a [`FaultPoint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// The step fails as a bug or an outage would: `500`, nothing stored for the key.
    Fail,
    /// The step refuses the request (`409`): a client error, stored for the key and replayed.
    Refuse,
    /// The database connection dies mid-transaction and the request carries on unaware. On
    /// PostgreSQL another session runs `pg_terminate_backend` on the transaction's backend and
    /// waits until it is gone; on SQLite, where no server process exists to kill, the
    /// connection's handle is closed (SQLite rolls back, as when the process holding it dies)
    /// and the request's later statements find no connection.
    LoseConnection,
}

/// Decides, at each point a request passes, whether a fault strikes there
/// ([`ServerBuilder::fault_hook`](crate::ServerBuilder::fault_hook)).
pub type FaultHook = Arc<dyn Fn(FaultPoint) -> Option<Fault> + Send + Sync>;

#[derive(QueryableByName)]
struct Pid {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pid: i32,
}

/// Asks the server's fault hook about `point`, and makes the fault it names happen.
pub(crate) async fn inject(ctx: &mut ActionContext, point: FaultPoint) -> Result<(), ActionError> {
    let Some(hook) = ctx.services().faults.clone() else {
        return Ok(());
    };
    match hook(point) {
        None => Ok(()),
        Some(Fault::Fail) => Err(ActionError::internal(format!(
            "fault injected at {point:?}"
        ))),
        Some(Fault::Refuse) => Err(ActionError::conflict(format!(
            "refusal injected at {point:?}"
        ))),
        Some(Fault::LoseConnection) => {
            lose_connection(ctx).await?;
            Ok(())
        }
    }
}

async fn lose_connection(ctx: &mut ActionContext) -> Result<(), ActionError> {
    let DbConn::Postgres(conn) = ctx.db().await? else {
        ctx.abandon();
        return Ok(());
    };
    let Pid { pid } = diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result(&mut **conn)
        .await?;
    let terminated: bool = ctx
        .database()?
        .run(async |other| {
            let DbConn::Postgres(other) = other else {
                return Err(ActionError::internal("one database, two backends"));
            };
            #[derive(QueryableByName)]
            struct Terminated {
                #[diesel(sql_type = diesel::sql_types::Bool)]
                done: bool,
            }
            // With a timeout, pg_terminate_backend waits until the backend has exited.
            let row: Terminated =
                diesel::sql_query("SELECT pg_terminate_backend($1, 10000) AS done")
                    .bind::<diesel::sql_types::Integer, _>(pid)
                    .get_result(&mut **other)
                    .await?;
            Ok(row.done)
        })
        .await??;
    if terminated {
        Ok(())
    } else {
        Err(ActionError::internal(
            "the fault hook could not terminate the backend",
        ))
    }
}
