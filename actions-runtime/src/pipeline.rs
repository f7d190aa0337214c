//! The order every request follows — the framework's one promise, in one function:
//!
//! 1. auth   — resolve the user; `401` if the action needs one (the body is never read)
//! 2. acl    — the policy grants the declared permission, or `403`
//! 3. input  — the idempotency key from the headers (`400` if required and missing), then
//!    read, decode and validate the body: `413`, `415`, `400`
//! 4. tx     — replay the idempotency key's stored response if it has one (`422` for another
//!    input); otherwise open the transaction, if declared (`409` while the key is in flight)
//! 5. handler — run the function (commit on `Ok`, roll back on `Err` or panic)
//! 6. output — serialize: `200` with JSON, `204` for `()`; the response stored for the key and
//!    the audit event commit with the handler's writes; a failure's audit event is written
//!    after its rollback

use crate::action::Action;
use crate::context::ActionContext;
use crate::error::{ActionError, into_response};
use crate::input::{self, InputSpec};
use crate::registry::ActionEntry;
use crate::server::ServerState;
use crate::tx::{Journal, Outcome};
use crate::{acl, audit, auth, idempotency, output, tx};
use axum::body::Body;
use axum::response::Response;
use http::Request;
use std::sync::Arc;

/// Serves one HTTP request to action `A`.
pub(crate) async fn serve<A: Action>(
    server: Arc<ServerState>,
    entry: Arc<ActionEntry>,
    request: Request<Body>,
) -> Response {
    let (parts, body) = request.into_parts();
    let request_id = crate::server::request_id(&parts.extensions);
    let limit = server.request_timeout;
    let mut ctx = ActionContext::new(server, request_id, entry.name.clone());
    // The input as the audit log records it, once decoded: for a failure event.
    let mut audit_input = None;
    let work = async {
        auth::authenticate(&parts, &mut ctx).await?;
        auth::require_posture(&ctx, A::META.posture)?;
        acl::authorize(&ctx, A::META.acl)?;
        let key = idempotency::key_of(&parts, A::META.idempotent)?;
        let spec = InputSpec {
            accept: A::META.accept,
            schema: &entry.input_schema,
            body_limit: ctx.server().body_limit,
        };
        let input = input::decode::<A::Input>(&parts, body, &spec).await?;
        let journal = Journal::new::<A>(&ctx, &input, key)?;
        audit_input.clone_from(&journal.audit_input);
        if journal.claim.is_some() {
            idempotency::purge_if_due(&mut ctx).await;
        }
        match tx::run_handler::<A>(&mut ctx, input, &journal).await? {
            Outcome::Ran {
                stored: Some(response),
                ..
            } => Ok(response.into_response()),
            Outcome::Ran { output, .. } => output::respond(&output),
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
                crate::ErrorCode::SERVICE_UNAVAILABLE,
                format!("the request took longer than {} s", limit.as_secs_f64()),
            ))
        }
    };
    if let Err(error) = &result {
        audit::record_failure(&mut ctx, A::META.audit, error, audit_input.as_deref()).await;
    }
    ctx.finish();
    result.unwrap_or_else(|error| into_response(error, ctx.request_id(), Some(&entry.name)))
}

/// The pipeline for an in-process call: the same stages, with the input already typed (it is
/// still validated). There is no idempotency key in-process.
pub(crate) async fn call<A: Action>(
    ctx: &mut ActionContext,
    input: A::Input,
) -> Result<A::Output, ActionError> {
    let mut audit_input = None;
    let result = async {
        auth::require_posture(ctx, A::META.posture)?;
        acl::authorize(ctx, A::META.acl)?;
        let mut input = input;
        let mut errors = crate::FieldErrors::new();
        crate::ActionInput::validate(&mut input, &mut errors);
        errors.into_result()?;
        let journal = Journal::new::<A>(ctx, &input, None)?;
        audit_input.clone_from(&journal.audit_input);
        match tx::run_handler::<A>(ctx, input, &journal).await? {
            Outcome::Ran { output, .. } => Ok(output),
            Outcome::Replayed(_) => Err(ActionError::internal(
                "an in-process call has no idempotency key to replay",
            )),
        }
    }
    .await;
    if let Err(error) = &result {
        audit::record_failure(ctx, A::META.audit, error, audit_input.as_deref()).await;
    }
    result
}
