//! The HTTP surface: `POST /_actions/<name>`, `GET /_actions/schema.json` and
//! `GET /_actions/openapi.json`, and JSON errors for everything else under `/_actions/`.

use super::ServerState;
use crate::base::request_id;
use crate::error::{ActionError, ErrorCode, into_response};
use axum::Router;
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use http::header::{ALLOW, CONTENT_TYPE};
use http::{HeaderValue, Request, StatusCode};
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

pub(crate) fn build(state: &Arc<ServerState>) -> Router {
    let mut router = Router::new();
    for entry in &state.actions {
        let (services, name, serve) = (state.services.clone(), entry.name.clone(), entry.serve);
        let path = format!("/_actions/{name}");
        let handler = move |request: Request<Body>| serve(services.clone(), name.clone(), request);
        router = router.route(&path, post(handler).fallback(method_not_allowed("POST")));
    }
    router = router
        .route(
            "/_actions/schema.json",
            get(json_document(state.manifest.clone())).fallback(method_not_allowed("GET, HEAD")),
        )
        .route(
            "/_actions/openapi.json",
            get(json_document(state.openapi.clone())).fallback(method_not_allowed("GET, HEAD")),
        )
        .route("/_actions/{*name}", any(unknown_action));
    #[cfg(feature = "accounts")]
    if let Some(auth) = &state.auth {
        router = auth.csrf_layer(router.merge(auth.router()));
    }
    router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// A document serialized once when the server was built, served as JSON.
fn json_document(
    bytes: Arc<[u8]>,
) -> impl Fn() -> std::future::Ready<([(http::HeaderName, HeaderValue); 1], Body)> + Clone {
    move || {
        std::future::ready((
            [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            Body::from(bytes.to_vec()),
        ))
    }
}

/// `405 METHOD_NOT_ALLOWED` with the `Allow` header.
fn method_not_allowed(
    allow: &'static str,
) -> impl Fn(Request<Body>) -> std::future::Ready<Response> + Clone {
    move |request: Request<Body>| {
        let error = ActionError::new(
            ErrorCode::METHOD_NOT_ALLOWED,
            format!("{} is not allowed here; use {allow}", request.method()),
        )
        .with_header(ALLOW, HeaderValue::from_static(allow));
        std::future::ready(respond(error, &request))
    }
}

/// `404 NOT_FOUND` naming the unknown action.
async fn unknown_action(request: Request<Body>) -> Response {
    let name = request
        .uri()
        .path()
        .trim_start_matches("/_actions/")
        .to_owned();
    respond(
        ActionError::not_found(format!("there is no action named `{name}`")),
        &request,
    )
}

fn respond(error: ActionError, request: &Request<Body>) -> Response {
    into_response(error, &request_id(request.extensions()), None)
}

/// A panic outside a handler (handlers' own panics are caught by the pipeline): `500`, logged.
#[allow(clippy::needless_pass_by_value)] // the signature CatchPanicLayer calls
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(non-string payload)");
    tracing::error!(panic = message, "request panicked outside a handler");
    let body = br#"{"code":"INTERNAL_SERVER_ERROR","message":"internal server error"}"#;
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, &body[..]).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
