//! The order every request follows — the framework's one promise, in one function:
//!
//! 1. auth   — resolve the user; `401` if the action needs one (the body is never read)
//! 2. acl    — the policy grants the declared permission, or `403`
//! 3. input  — read, decode and validate the body: `413`, `415`, `400`
//! 4. tx     — open the transaction, if declared
//! 5. handler — run the function (commit on `Ok`, roll back on `Err` or panic)
//! 6. output — serialize: `200` with JSON, `204` for `()`

use crate::action::Action;
use crate::context::ActionContext;
use crate::error::{ActionError, into_response};
use crate::input::{self, InputSpec};
use crate::registry::ActionEntry;
use crate::server::ServerState;
use crate::{acl, auth, output, tx};
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
    let work = async {
        auth::authenticate(&parts, &mut ctx).await?;
        let input = authorize_and_decode::<A>(&mut ctx, &entry, &parts, body).await?;
        let output = tx::run_handler::<A>(&mut ctx, input).await?;
        output::respond(&output)
    };
    let result = match tokio::time::timeout(limit, work).await {
        Ok(result) => {
            ctx.finish();
            result
        }
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
    result.unwrap_or_else(|error| into_response(error, ctx.request_id(), Some(&entry.name)))
}

/// Stages 1 to 3, once the user is known.
async fn authorize_and_decode<A: Action>(
    ctx: &mut ActionContext,
    entry: &ActionEntry,
    parts: &http::request::Parts,
    body: Body,
) -> Result<A::Input, ActionError> {
    auth::require_posture(ctx, A::META.posture)?;
    acl::authorize(ctx, A::META.acl)?;
    let spec = InputSpec {
        accept: A::META.accept,
        schema: &entry.input_schema,
        body_limit: ctx.server().body_limit,
    };
    input::decode::<A::Input>(parts, body, &spec).await
}

/// The pipeline for an in-process call: the same stages, with the input already typed (it is
/// still validated).
pub(crate) async fn call<A: Action>(
    ctx: &mut ActionContext,
    mut input: A::Input,
) -> Result<A::Output, ActionError> {
    auth::require_posture(ctx, A::META.posture)?;
    acl::authorize(ctx, A::META.acl)?;
    let mut errors = crate::FieldErrors::new();
    crate::ActionInput::validate(&mut input, &mut errors);
    errors.into_result()?;
    tx::run_handler::<A>(ctx, input).await
}
