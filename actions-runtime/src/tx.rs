//! Stages 4 and 5 of the pipeline — the transaction and the handler: under `tx` the handler
//! runs in one transaction on the request's connection, committed when it returns `Ok` and
//! rolled back when it returns `Err` or panics. A panic becomes a `500` and the server keeps
//! serving; a request dropped mid-transaction closes its connection (see
//! [`Pooled`](crate::Pooled)), so no transaction outlives its request.
//!
//! A transaction that loses a serialization conflict or a deadlock (SQLSTATE 40001, 40P01) is
//! rolled back and the whole handler runs again on a copy of the input, after a jittered,
//! growing pause, at most [`MAX_ATTEMPTS`] times; then the client gets `503`.
//!
//! The transaction also carries the action's [`Journal`]: the response stored for its
//! idempotency key and its audit event commit with its writes, or roll back with them.

use crate::action::{Action, Isolation};
use crate::audit::{self, AuditOutcome};
use crate::context::ActionContext;
use crate::error::ActionError;
use crate::idempotency::{self, Claim};
use crate::output::Encoded;
use futures_util::FutureExt;
use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

/// How many times a conflicting transaction runs before the client gets `503`.
const MAX_ATTEMPTS: u32 = 20;
/// The first pause before a re-run; each later one may be twice as long, up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(2);
const MAX_PAUSE: Duration = Duration::from_millis(250);

/// What the runtime writes in an action's transaction beside the handler's own writes: the
/// stored response of an idempotency key, and the audit event.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    /// The request's idempotency key (`idempotent` actions sent one).
    pub(crate) claim: Option<Claim>,
    /// The input as the audit log records it (`audit` actions).
    pub(crate) audit_input: Option<String>,
}

impl Journal {
    /// What action `A` records of `input`, with the request's idempotency key if any.
    pub(crate) fn new<A: Action>(
        ctx: &ActionContext,
        input: &A::Input,
        key: Option<String>,
    ) -> Result<Journal, ActionError> {
        let record = (A::META.audit || key.is_some())
            .then(|| A::record(input))
            .flatten();
        Ok(Journal {
            claim: key
                .map(|key| Claim::new(ctx, key, record.as_ref()))
                .transpose()?,
            audit_input: record.filter(|_| A::META.audit).map(audit::redacted),
        })
    }
}

/// How a request was answered.
pub(crate) enum Outcome<O> {
    /// The handler ran (and its transaction committed); `stored` is the response as stored for
    /// the idempotency key.
    Ran { output: O, stored: Option<Encoded> },
    /// The idempotency key's stored response; the handler did not run.
    Replayed(Encoded),
}

/// Runs the action's function, in a transaction when it declares `tx`, re-running it when the
/// transaction loses to a concurrent one.
pub(crate) async fn run_handler<A: Action>(
    ctx: &mut ActionContext,
    input: A::Input,
    journal: &Journal,
) -> Result<Outcome<A::Output>, ActionError> {
    let Some(isolation) = A::META.tx else {
        let output = guarded::<A>(ctx, input).await?;
        return Ok(Outcome::Ran {
            output,
            stored: None,
        });
    };
    let mut input = input;
    let mut attempt = 1;
    loop {
        let next = (attempt < MAX_ATTEMPTS)
            .then(|| A::retry_input(&input))
            .flatten();
        if let Some(claim) = &journal.claim
            && let Some(stored) = idempotency::stored(ctx, claim).await?
        {
            if A::META.audit {
                let input = journal.audit_input.as_deref();
                audit::write_for(ctx, AuditOutcome::Replayed, None, input).await?;
            }
            return Ok(Outcome::Replayed(stored));
        }
        let mut handler_ran = false;
        match in_transaction::<A>(ctx, isolation, input, journal, &mut handler_ran).await {
            Err(error) if error.is_transaction_conflict() => {
                let Some(again) = next else {
                    tracing::warn!(request_id = ctx.request_id(), action = %ctx.action_name(), attempts = attempt, "transaction conflicts: retries spent");
                    return Err(error);
                };
                tracing::debug!(request_id = ctx.request_id(), action = %ctx.action_name(), attempt, "transaction conflict: running the handler again");
                tokio::time::sleep(pause(attempt)).await;
                input = again;
                attempt += 1;
            }
            Err(error) => {
                if let (true, Some(claim)) = (handler_ran, &journal.claim) {
                    idempotency::store_refusal(ctx, claim, &error).await;
                }
                return Err(error);
            }
            result => return result,
        }
    }
}

/// One attempt: BEGIN, the handler and the journal, then COMMIT or ROLLBACK.
async fn in_transaction<A: Action>(
    ctx: &mut ActionContext,
    isolation: Isolation,
    input: A::Input,
    journal: &Journal,
    handler_ran: &mut bool,
) -> Result<Outcome<A::Output>, ActionError> {
    ctx.db().await?.begin(isolation).await?;
    let result = journaled::<A>(ctx, input, journal, handler_ran).await;
    let conn = ctx
        .conn_if_open()
        .ok_or_else(|| ActionError::internal("the transaction's connection is gone"))?;
    match result {
        Ok(outcome) => match conn.commit().await {
            Ok(()) => Ok(outcome),
            Err(commit) => {
                let error = ActionError::from(commit);
                if !conn.abandon().await {
                    // Not clean: the connection is closed rather than pooled, and not retried on.
                    return Err(ActionError::internal(
                        "rollback after a failed commit failed",
                    ));
                }
                Err(error)
            }
        },
        Err(error) => {
            if let Err(rollback) = conn.rollback().await {
                // The connection is dropped rather than pooled; the database rolls back.
                tracing::error!(request_id = ctx.request_id(), error = %rollback, "rollback failed");
                return Err(if error.is_transaction_conflict() {
                    ActionError::internal("rollback after a conflict failed")
                } else {
                    error
                });
            }
            Err(error)
        }
    }
}

/// Inside the transaction: mark the idempotency key in flight, run the handler, then store its
/// response for the key and write its audit event, so they commit with its writes.
async fn journaled<A: Action>(
    ctx: &mut ActionContext,
    input: A::Input,
    journal: &Journal,
    handler_ran: &mut bool,
) -> Result<Outcome<A::Output>, ActionError> {
    let audit_input = journal.audit_input.as_deref();
    if let Some(claim) = &journal.claim {
        idempotency::claim_in_flight(ctx, claim).await?;
    }
    *handler_ran = true;
    let output = guarded::<A>(ctx, input).await?;
    let stored = match &journal.claim {
        Some(claim) => {
            let response = Encoded::of(&output)?;
            idempotency::store(ctx, claim, &response).await?;
            Some(response)
        }
        None => None,
    };
    if A::META.audit {
        audit::write_for(ctx, AuditOutcome::Success, None, audit_input).await?;
    }
    Ok(Outcome::Ran { output, stored })
}

/// "Full jitter": a random pause up to a bound that doubles with each attempt, so retrying
/// clients spread out instead of colliding again.
fn pause(attempt: u32) -> Duration {
    let bound = FIRST_PAUSE
        .saturating_mul(1 << attempt.min(16))
        .min(MAX_PAUSE);
    let micros = u64::try_from(bound.as_micros()).unwrap_or(u64::MAX).max(1);
    Duration::from_micros(getrandom::u64().unwrap_or(micros / 2) % micros)
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
