//! Stages 4 and 5 of the pipeline — the transaction and the handler: under `tx` the handler
//! runs in one transaction on the request's connection, committed when it returns `Ok` and
//! rolled back when it returns `Err` or panics. A panic becomes a `500` and the server keeps
//! serving; a request dropped mid-transaction closes its connection (see
//! [`Pooled`](crate::Pooled)), so no transaction outlives its request.

use crate::action::Action;
use crate::context::ActionContext;
use crate::error::ActionError;
use futures_util::FutureExt;
use std::any::Any;
use std::panic::AssertUnwindSafe;

/// Runs the action's function, in a transaction when it declares `tx`.
pub(crate) async fn run_handler<A: Action>(
    ctx: &mut ActionContext,
    input: A::Input,
) -> Result<A::Output, ActionError> {
    if !A::META.tx {
        return guarded::<A>(ctx, input).await;
    }
    ctx.db().await?.begin().await?;
    let result = guarded::<A>(ctx, input).await;
    let conn = ctx
        .conn_if_open()
        .ok_or_else(|| ActionError::internal("the transaction's connection is gone"))?;
    match result {
        Ok(output) => {
            conn.commit().await?;
            Ok(output)
        }
        Err(error) => {
            if let Err(rollback) = conn.rollback().await {
                // The connection is dropped rather than pooled; the database rolls back.
                tracing::error!(request_id = ctx.request_id(), error = %rollback, "rollback failed");
            }
            Err(error)
        }
    }
}

/// Calls the function, turning a panic into a `500`.
async fn guarded<A: Action>(
    ctx: &mut ActionContext,
    input: A::Input,
) -> Result<A::Output, ActionError> {
    match AssertUnwindSafe(A::call(ctx, input)).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => Err(ActionError::internal(format!(
            "handler panicked: {}",
            panic_message(&*panic)
        ))),
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(non-string payload)")
}
