//! The order every request follows — the framework's one promise, in one place. Each stage is a
//! module of its own, numbered in the order a request takes; stages know the bottom layer
//! (`core`, `db`, `error`) and never each other: only this module calls them, in this order.
//!
//! 1. auth   — resolve the user; `401` if the action needs one (the body is never read)
//! 2. acl    — the policy grants the declared permission, or `403`
//!
//!    hooks  — the app's [`ActionHook`](crate::ActionHook)s, in registration order, the
//!    per-action `rate_limit` first (`429`); any may refuse the call (the body is never read).
//!    Not a numbered stage: the hooks are the app's, the pipeline only runs them here, and runs
//!    their `after` with the outcome once the answer is decided
//! 3. input  — the idempotency key from the headers (`400` if required and missing), then
//!    read, decode and validate the body: `413`, `415`, `400`
//! 4. idempotency — replay the key's stored response if it has one (`422` for another input)
//! 5. tx     — open the transaction, if declared (`409` while the key is in flight); load the
//!    resource and ask the policy about it (`404`, `403`); run the handler (commit on `Ok`,
//!    roll back on `Err` or panic); run it again when the transaction loses a conflict
//! 6. output — serialize: `200` with JSON, `204` for `()`; the response stored for the key
//! 7. audit  — the audit event commits with the handler's writes; a failure's event is written
//!    after its rollback

#[path = "2_acl.rs"]
mod acl;
#[path = "7_audit.rs"]
pub(crate) mod audit;
#[path = "1_auth.rs"]
mod auth;
mod erased;
#[path = "4_idempotency.rs"]
pub(crate) mod idempotency;
#[path = "3_input/mod.rs"]
pub(crate) mod input;
#[path = "6_output.rs"]
mod output;
pub(crate) mod rate_limit;
#[path = "5_tx.rs"]
mod tx;

#[cfg(feature = "testing")]
use crate::base::fault::{self, FaultPoint};
use crate::base::{
    Action, ActionCall, ActionContext, ActionMeta, CallOutcome, Encoded, RequestHead, Services,
};
use crate::error::{ActionError, ErrorCode, FieldErrors, into_response};
use audit::AuditOutcome;
use axum::body::Body;
use axum::response::Response;
pub(crate) use erased::ErasedAction;
use erased::{AnyInput, AnyOutput};
use futures_util::FutureExt;
use http::Request;
use http::request::Parts;
use idempotency::Claim;
use input::InputSpec;
use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;
use tracing::Instrument;

/// Serves one HTTP request to `action`, registered as `name` (`post.create`).
pub(crate) async fn serve(
    services: Arc<Services>,
    name: Arc<str>,
    action: ErasedAction,
    request: Request<Body>,
) -> Response {
    let (parts, body) = request.into_parts();
    let parts = Arc::new(parts);
    let request_id = crate::base::request_id(&parts.extensions);
    let span = action_span(&name, &request_id);
    serve_in(services, name, &action, parts, body, request_id)
        .instrument(span)
        .await
}

/// [`serve`], inside the action's span.
async fn serve_in(
    services: Arc<Services>,
    name: Arc<str>,
    action: &ErasedAction,
    parts: Arc<Parts>,
    body: Body,
    request_id: String,
) -> Response {
    let started = Instant::now();
    let limit = services.request_timeout;
    let meta = action.meta;
    let mut ctx = context_for(services, parts.clone(), request_id, name.clone());
    // The input as the audit log records it, once decoded: for a failure event.
    let mut audit_input = None;
    // Whether the call passed auth and the ACL, so the hooks saw it.
    let mut hooked = false;
    let work = async {
        auth::authenticate(&parts, &mut ctx).await?;
        record_user(&ctx);
        auth::require_posture(&ctx, meta.posture)?;
        acl::authorize(&ctx, meta.acl)?;
        hooked = true;
        run_hooks(&ctx, &meta).await?;
        let key = idempotency::key_of(&parts, meta.idempotent)?;
        let spec = InputSpec {
            accept: meta.accept,
            body_limit: ctx.services().body_limit,
        };
        let input = input::decode(&parts, body, &spec, action.decode).await?;
        let journal = Journal::new(action, &ctx, &input, key)?;
        audit_input.clone_from(&journal.audit_input);
        if journal.claim.is_some() {
            idempotency::purge_if_due(&mut ctx).await;
        }
        match run(action, &mut ctx, input, &journal).await? {
            Outcome::Ran {
                stored: Some(response),
                ..
            } => Ok(response.into_response()),
            Outcome::Ran { output, .. } => (action.encode)(&output).map(Encoded::into_response),
            Outcome::Replayed(stored) => Ok(idempotency::replay(stored)),
        }
    };
    let result = match tokio::time::timeout(limit, work).await {
        Ok(result) => result,
        // The handler was stopped mid-way: its connection is closed, never pooled, so the
        // database rolls back whatever it had begun.
        Err(_) => {
            ctx.abandon();
            Err(ActionError::new(
                ErrorCode::SERVICE_UNAVAILABLE,
                format!("the request took longer than {} s", limit.as_secs_f64()),
            ))
        }
    };
    // The connection goes back to the pool before a failure's event is written: the audit
    // queue's writer needs one of its own.
    ctx.finish();
    finish_call(&ctx, &meta, hooked, result.as_ref().err(), started);
    if let Err(error) = &result {
        audit::record_failure(&ctx, meta.audit, error, audit_input.as_deref()).await;
    }
    match result {
        Ok(mut response) => {
            if let Some(head) = ctx.take_response() {
                head.apply(&mut response);
            }
            response
        }
        Err(error) => into_response(error, ctx.request_id(), Some(&name)),
    }
}

/// The span of one action call: its name and request id now, the user once known, the outcome
/// (`ok` or the error code) and the duration when it ends.
fn action_span(name: &str, request_id: &str) -> tracing::Span {
    tracing::info_span!(
        "action",
        action = name,
        request_id,
        user_id = tracing::field::Empty,
        outcome = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    )
}

/// Records the signed-in user's id on the current action span.
fn record_user(ctx: &ActionContext) {
    if let Some(user) = ctx.current_user() {
        tracing::Span::current().record("user_id", user.id);
    }
}

/// The app's hooks, between the ACL and the body: any may refuse the call.
async fn run_hooks(ctx: &ActionContext, meta: &ActionMeta) -> Result<(), ActionError> {
    let hooks = &ctx.services().hooks;
    if hooks.is_empty() {
        return Ok(());
    }
    hooks.before(&ActionCall::new(ctx, meta)).await
}

/// The call's answer is decided: its outcome and duration on the span, and to the hooks that saw
/// it (`hooked`).
fn finish_call(
    ctx: &ActionContext,
    meta: &ActionMeta,
    hooked: bool,
    error: Option<&ActionError>,
    started: Instant,
) {
    let duration = started.elapsed();
    let span = tracing::Span::current();
    span.record("outcome", error.map_or("ok", |error| error.code().as_str()));
    span.record("duration_ms", duration.as_secs_f64() * 1000.0);
    let hooks = &ctx.services().hooks;
    if hooked && !hooks.is_empty() {
        hooks.after(
            &ActionCall::new(ctx, meta),
            &CallOutcome::new(error, duration),
        );
    }
}

/// The context of a request: its head, with the client's address resolved.
fn context_for(
    services: Arc<Services>,
    parts: Arc<Parts>,
    request_id: String,
    action: Arc<str>,
) -> ActionContext {
    let head = RequestHead::new(parts, &services.trusted_proxies);
    let mut ctx = ActionContext::new(services, request_id, action);
    ctx.set_request(head);
    ctx
}

/// The context for calling actions in process on behalf of a request's visitor (an app's own
/// route): stage 1, auth, resolves who the visitor is, as for an action.
pub(crate) async fn visitor_context(
    services: Arc<Services>,
    parts: Parts,
) -> Result<ActionContext, ActionError> {
    let request_id = crate::base::request_id(&parts.extensions);
    let parts = Arc::new(parts);
    let mut ctx = context_for(services, parts.clone(), request_id, Arc::from("-"));
    let result = auth::authenticate(&parts, &mut ctx).await;
    ctx.finish();
    result.map(|()| ctx)
}

/// The pipeline for an in-process call to `A`, whose steps `action` holds (as registered): the
/// same stages, with the input already typed (it is still validated). There is no idempotency
/// key in-process.
pub(crate) async fn call<A: Action>(
    ctx: &mut ActionContext,
    action: &ErasedAction,
    input: A::Input,
) -> Result<A::Output, ActionError> {
    let output = call_erased(ctx, action, Box::new(input)).await?;
    output
        .downcast()
        .map(|output| *output)
        .map_err(|_| ActionError::internal("the action's output is not of its declared type"))
}

/// [`call`], the same for every action.
async fn call_erased(
    ctx: &mut ActionContext,
    action: &ErasedAction,
    input: AnyInput,
) -> Result<AnyOutput, ActionError> {
    let started = Instant::now();
    let meta = action.meta;
    let span = action_span(ctx.action_name(), ctx.request_id());
    let mut audit_input = None;
    let mut hooked = false;
    let result = async {
        record_user(ctx);
        auth::require_posture(ctx, meta.posture)?;
        acl::authorize(ctx, meta.acl)?;
        hooked = true;
        run_hooks(ctx, &meta).await?;
        let mut input = input;
        let mut errors = FieldErrors::new();
        (action.validate)(&mut input, &mut errors)?;
        errors.into_result()?;
        let journal = Journal::new(action, ctx, &input, None)?;
        audit_input.clone_from(&journal.audit_input);
        match run(action, ctx, input, &journal).await? {
            Outcome::Ran { output, .. } => Ok(output),
            Outcome::Replayed(_) => Err(ActionError::internal(
                "an in-process call has no idempotency key to replay",
            )),
        }
    }
    .instrument(span.clone())
    .await;
    // The call completed: its connection may go back to the pool, before a failure's event is
    // written (the audit queue's writer needs one of its own).
    ctx.finish();
    span.in_scope(|| finish_call(ctx, &meta, hooked, result.as_ref().err(), started));
    if let Err(error) = &result {
        audit::record_failure(ctx, meta.audit, error, audit_input.as_deref()).await;
    }
    result
}

/// What the runtime writes in an action's transaction beside the handler's own writes: the
/// stored response of an idempotency key, and the audit event.
#[derive(Debug, Default)]
struct Journal {
    /// The request's idempotency key (`idempotent` actions sent one).
    claim: Option<Claim>,
    /// The input as the audit log records it (`audit` actions).
    audit_input: Option<String>,
}

impl Journal {
    /// What `action` records of `input`, with the request's idempotency key if any.
    fn new(
        action: &ErasedAction,
        ctx: &ActionContext,
        input: &AnyInput,
        key: Option<String>,
    ) -> Result<Journal, ActionError> {
        let audit = action.meta.audit;
        let record = (audit || key.is_some())
            .then(|| (action.record)(input))
            .flatten();
        Ok(Journal {
            claim: key
                .map(|key| Claim::new(ctx, key, record.as_ref()))
                .transpose()?,
            audit_input: record.filter(|_| audit).map(audit::redacted),
        })
    }
}

/// How a request was answered.
enum Outcome {
    /// The handler ran (and its transaction committed); `stored` is the response as stored for
    /// the idempotency key.
    Ran {
        output: AnyOutput,
        stored: Option<Encoded>,
    },
    /// The idempotency key's stored response; the handler did not run.
    Replayed(Encoded),
}

/// Stages 4 to 7: the action's function, in a transaction when it declares `tx`, run again when
/// the transaction loses to a concurrent one; before each attempt, the idempotency key's stored
/// response is replayed instead, if it has one.
async fn run(
    action: &ErasedAction,
    ctx: &mut ActionContext,
    input: AnyInput,
    journal: &Journal,
) -> Result<Outcome, ActionError> {
    let Some(isolation) = action.meta.tx else {
        let output = handle(action, ctx, input).await?;
        return Ok(Outcome::Ran {
            output,
            stored: None,
        });
    };
    let mut input = input;
    let mut attempt = 1;
    let retries = tx::RetryBudget::start(ctx.services().retry_window);
    loop {
        let next = (action.retry_input)(&input);
        if let Some(claim) = &journal.claim
            && let Some(stored) = idempotency::stored(ctx, claim).await?
        {
            if action.meta.audit {
                let input = journal.audit_input.as_deref();
                audit::write_for(ctx, AuditOutcome::Replayed, None, input).await?;
            }
            return Ok(Outcome::Replayed(stored));
        }
        let mut handler_ran = false;
        let ran = &mut handler_ran;
        let result = tx::in_transaction(ctx, isolation, attempt, async move |ctx| {
            journaled(action, ctx, input, journal, ran).await
        })
        .await;
        match result {
            Err(error) if error.is_transaction_conflict() => {
                let pause = retries.pause(attempt);
                let (Some(again), Some(pause)) = (next, pause) else {
                    ctx.services().conflicts.budget_spent();
                    tracing::warn!(request_id = ctx.request_id(), action = %ctx.action_name(), attempts = attempt, "transaction conflicts: retries spent");
                    return Err(error);
                };
                tracing::debug!(request_id = ctx.request_id(), action = %ctx.action_name(), attempt, "transaction conflict: running the handler again");
                ctx.services().conflicts.rerun();
                tokio::time::sleep(pause).await;
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

/// Inside the transaction: mark the idempotency key in flight, run the handler, then store its
/// response for the key and write its audit event, so they commit with its writes.
async fn journaled(
    action: &ErasedAction,
    ctx: &mut ActionContext,
    input: AnyInput,
    journal: &Journal,
    handler_ran: &mut bool,
) -> Result<Outcome, ActionError> {
    if let Some(claim) = &journal.claim {
        idempotency::claim_in_flight(ctx, claim).await?;
    }
    *handler_ran = true;
    #[cfg(feature = "testing")]
    fault::inject(ctx, FaultPoint::BeforeEffect).await?;
    let output = handle(action, ctx, input).await?;
    #[cfg(feature = "testing")]
    fault::inject(ctx, FaultPoint::AfterEffect).await?;
    let stored = match &journal.claim {
        Some(claim) => {
            let response = (action.encode)(&output)?;
            idempotency::store(ctx, claim, &response).await?;
            Some(response)
        }
        None => None,
    };
    #[cfg(feature = "testing")]
    fault::inject(ctx, FaultPoint::AfterIdempotencyKey).await?;
    if action.meta.audit {
        let input = journal.audit_input.as_deref();
        audit::write_for(ctx, AuditOutcome::Success, None, input).await?;
    }
    #[cfg(feature = "testing")]
    fault::inject(ctx, FaultPoint::BeforeCommit).await?;
    Ok(Outcome::Ran { output, stored })
}

/// The handler: the resource loaded and the policy asked about it (if the action declares
/// `load`), then the function; a panic in any of it becomes a `500`.
async fn handle(
    action: &ErasedAction,
    ctx: &mut ActionContext,
    input: AnyInput,
) -> Result<AnyOutput, ActionError> {
    let run = async {
        if action.meta.load {
            load_resource(action, ctx, &input).await?;
        }
        (action.call)(ctx, input).await
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
async fn load_resource(
    action: &ErasedAction,
    ctx: &mut ActionContext,
    input: &AnyInput,
) -> Result<(), ActionError> {
    let permission = action.meta.acl.ok_or_else(|| {
        ActionError::internal("`load` without `acl`: #[action] should have refused this")
    })?;
    let resource = (action.load)(ctx, input)
        .await?
        .ok_or_else(|| ActionError::not_found(format!("{} not found", permission.resource())))?;
    acl::authorize_on(ctx, permission, &*resource)?;
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
