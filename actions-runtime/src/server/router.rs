//! The HTTP surface: `POST /_actions/<name>`, `GET /_actions/schema.json` and
//! `GET /_actions/openapi.json`, and JSON errors for everything else under `/_actions/`.

use super::ServerState;
use super::envelope::{EnvelopeLayer, Guard};
use crate::base::request_id;
use crate::error::{ActionError, ErrorCode, into_response};
use crate::web;
use axum::Router;
use axum::body::Body;
use axum::response::Response;
use axum::routing::{any, get, post};
use http::header::{ALLOW, CONTENT_TYPE};
use http::{HeaderValue, Request};
use std::sync::Arc;

pub(crate) fn build(state: &Arc<ServerState>) -> Router {
    let mut router = Router::new();
    for entry in &state.actions {
        let (services, name, serve) = (state.services.clone(), entry.name.clone(), entry.serve);
        let path = format!("/_actions/{name}");
        let (forms, redirect) = (Arc::new(state.forms.clone()), entry.meta.redirect);
        let handler = move |request: Request<Body>| {
            let (services, name, forms) = (services.clone(), name.clone(), forms.clone());
            async move {
                if !web::is_browser_form(request.headers()) {
                    return serve(services, name, request).await;
                }
                let action = name.clone();
                web::answer_action(&forms, &action, redirect, request, |request| {
                    serve(services, name, request)
                })
                .await
            }
        };
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
    #[cfg_attr(not(feature = "accounts"), allow(unused_mut))]
    let mut guard: Option<Guard> = None;
    #[cfg(feature = "accounts")]
    if let Some(auth) = &state.auth {
        router = router.merge(auth.router(state.services.clone()));
        let auth = auth.clone();
        guard = Some(Arc::new(move |request: &Request<Body>| {
            auth.csrf_refusal(request)
        }));
    }
    let limits = state.limits;
    // `Router::layer` wraps each route on its own; the global limit shares one semaphore
    // among them all.
    router.layer(EnvelopeLayer { guard }).layer(
        tower::ServiceBuilder::new()
            .layer(axum::error_handling::HandleErrorLayer::new(overloaded))
            .layer(tower::load_shed::LoadShedLayer::new())
            .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                limits.max_in_flight,
            ))
            .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
                limits.body_read_timeout,
            ))
            .map_request(|request: Request<_>| request.map(Body::new)),
    )
}

/// `503 SERVICE_UNAVAILABLE` for a request beyond the limit of requests in flight, at once:
/// the load-shedding layer's only error.
async fn overloaded(error: tower::BoxError) -> Response {
    tracing::warn!(%error, "refused a request: too many in flight");
    into_response(
        ActionError::new(
            ErrorCode::SERVICE_UNAVAILABLE,
            "the server is busy with other requests; try again",
        ),
        &crate::base::new_request_id(),
        None,
    )
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
