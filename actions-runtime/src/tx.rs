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

/// Loads the resource and asks the policy about it (if the action declares `load`), then calls
/// the function; a panic in any of it becomes a `500`.
async fn guarded<A: Action>(
    ctx: &mut ActionContext,
    input: A::Input,
) -> Result<A::Output, ActionError> {
    let run = async {
        if A::META.load {
            load_resource::<A>(ctx, &input).await?;
        }
        A::call(ctx, input).await
    };
    match AssertUnwindSafe(run).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => Err(ActionError::internal(format!(
            "handler panicked: {}",
            panic_message(&*panic)
        ))),
    }
}

/// The resource the policy decides on: `404` when it does not exist, `403` when the policy
/// refuses, and otherwise kept for the handler ([`ActionContext::loaded`]).
async fn load_resource<A: Action>(
    ctx: &mut ActionContext,
    input: &A::Input,
) -> Result<(), ActionError> {
    let permission = A::META.acl.ok_or_else(|| {
        ActionError::internal("`load` without `acl`: #[action] should have refused this")
    })?;
    let resource = A::load(ctx, input)
        .await?
        .ok_or_else(|| ActionError::not_found(format!("{} not found", permission.resource())))?;
    crate::acl::authorize_on(ctx, permission, &*resource)?;
    ctx.set_resource(resource);
    Ok(())
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(non-string payload)")
}
