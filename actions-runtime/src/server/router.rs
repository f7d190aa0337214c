//! The HTTP surface: `POST /_actions/<name>`, `GET /_actions/schema.json`,
//! `GET /_actions/openapi.json` and `GET /_actions/health`, and JSON errors for everything else
//! under `/_actions/`; around them, a span per request (the access log) and CORS for the trusted
//! origins.

use super::ServerState;
use super::envelope::{EnvelopeLayer, Guard};
use crate::base::{BrowserForm, Services, request_id};
use crate::error::{ActionError, ErrorCode, into_response};
use crate::{pipeline, web};
use axum::Router;
use axum::body::Body;
use axum::extract::MatchedPath;
use axum::response::Response;
use axum::routing::{any, get, post};
use http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE};
use http::{HeaderName, HeaderValue, Method, Request};
use std::sync::Arc;
use std::time::Duration;
use tower_http::LatencyUnit;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// How long the readiness route waits for the database.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

pub(crate) fn build(state: &Arc<ServerState>) -> Router {
    let mut router = Router::new();
    for entry in &state.actions {
        let (services, name, steps) = (state.services.clone(), entry.name.clone(), entry.steps);
        let path = format!("/_actions/{name}");
        let (forms, redirect) = (Arc::new(state.forms.clone()), entry.steps.meta.redirect);
        let handler = move |mut request: Request<Body>| {
            let (services, name, forms) = (services.clone(), name.clone(), forms.clone());
            async move {
                if !web::is_browser_form(request.headers()) {
                    return pipeline::serve(services, name, steps, request).await;
                }
                // A browser's form from this site may post to a JSON action too: stage 3 reads
                // it as a form.
                if forms.sent_from_site(request.headers()) {
                    request.extensions_mut().insert(BrowserForm);
                }
                let action = name.clone();
                web::answer_action(&forms, &action, redirect, request, |request| {
                    pipeline::serve(services, name, steps, request)
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
        .route(
            "/_actions/health",
            get(health(state.services.clone())).fallback(method_not_allowed("GET, HEAD")),
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
    // One `Router::layer` call, so one boxed service per route: axum clones a route's stack for
    // every request, and each further call nests another box to clone. The envelope's semaphore
    // is shared by every route.
    let envelope = EnvelopeLayer {
        guard,
        in_flight: Arc::new(tokio::sync::Semaphore::new(state.limits.max_in_flight)),
        overloaded,
        body_read_timeout: state.limits.body_read_timeout,
    };
    // The request's span inside the envelope, which gives the request its id.
    let router = router.layer(tower::ServiceBuilder::new().layer(envelope).layer(trace()));
    // Outermost: a refusal by any layer below still tells a trusted origin's script what
    // happened.
    if state.cors_origins.is_empty() {
        return router;
    }
    let origins = state.cors_origins.clone();
    router
        .layer(cors(&origins))
        .layer(axum::middleware::from_fn_with_state(
            origins,
            untrusted_origins_get_nothing,
        ))
}

/// One span per request, `request{method path request_id}` (the route's pattern, never the raw
/// path, which may carry a token), and an `info` line when its response starts: the access
/// log. Failures are not logged again here: the pipeline logged their cause with the request id.
fn trace() -> Trace {
    TraceLayer::new_for_http()
        .make_span_with(request_span as fn(&Request<Body>) -> tracing::Span)
        .on_request(())
        .on_response(
            DefaultOnResponse::new()
                .level(tracing::Level::INFO)
                .latency_unit(LatencyUnit::Micros),
        )
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

/// The request-span layer: its span, its access-log line, nothing else.
type Trace = TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    fn(&Request<Body>) -> tracing::Span,
    (),
    DefaultOnResponse,
    (),
    (),
    (),
>;

fn request_span(request: &Request<Body>) -> tracing::Span {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("-", MatchedPath::as_str);
    tracing::info_span!(
        "request",
        method = %request.method(),
        path,
        request_id = request_id(request.extensions()),
    )
}

/// CORS for `origins` (the builder's, normalized): credentials allowed for them alone; the
/// actions' methods and headers; the headers a script may read (a refusal's `Retry-After`, the
/// request id, a replay). tower-http sends the allowed methods and headers to any origin that
/// asks; [`untrusted_origins_get_nothing`] removes them, so another origin gets not one
/// `Access-Control-*` header and its browser refuses the call.
fn cors(origins: &Arc<[HeaderValue]>) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins.iter().cloned()))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::HEAD, Method::POST])
        .allow_headers([
            CONTENT_TYPE,
            http::header::AUTHORIZATION,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            http::header::RETRY_AFTER,
            HeaderName::from_static("x-retry-after"),
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("idempotent-replayed"),
        ])
        .max_age(Duration::from_secs(600))
}

/// Drops every `Access-Control-*` header from the answer to a request whose `Origin` is not
/// one of `origins`.
async fn untrusted_origins_get_nothing(
    axum::extract::State(origins): axum::extract::State<Arc<[HeaderValue]>>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let trusted = request
        .headers()
        .get(http::header::ORIGIN)
        .is_some_and(|origin| origins.contains(origin));
    let mut response = next.run(request).await;
    if !trusted {
        let headers = response.headers_mut();
        let cors: Vec<HeaderName> = headers
            .keys()
            .filter(|name| name.as_str().starts_with("access-control-"))
            .cloned()
            .collect();
        for name in cors {
            headers.remove(name);
        }
    }
    response
}

/// `503 SERVICE_UNAVAILABLE` for a request beyond the limit of requests in flight, at once (the
/// envelope's answer when its semaphore has no permit left).
fn overloaded(request_id: &HeaderValue) -> Response {
    let request_id = request_id.to_str().unwrap_or("-");
    tracing::warn!(request_id, "refused a request: too many in flight");
    into_response(
        ActionError::new(
            ErrorCode::SERVICE_UNAVAILABLE,
            "the server is busy with other requests; try again",
        ),
        request_id,
        None,
    )
}

/// `GET /_actions/health`: `200 {"status":"ok"}` when the database answers `SELECT 1` within
/// [`HEALTH_TIMEOUT`] (or the server has none), `503` with the usual error body otherwise.
fn health(
    services: Arc<Services>,
) -> impl Fn(Request<Body>) -> std::pin::Pin<Box<dyn Future<Output = Response> + Send>> + Clone {
    move |request: Request<Body>| {
        let services = services.clone();
        Box::pin(async move {
            let answer = match &services.database {
                None => Ok(()),
                Some(database) => tokio::time::timeout(HEALTH_TIMEOUT, database.ping())
                    .await
                    .unwrap_or_else(|_| {
                        Err(ActionError::new(
                            ErrorCode::SERVICE_UNAVAILABLE,
                            format!(
                                "the database did not answer within {} s",
                                HEALTH_TIMEOUT.as_secs()
                            ),
                        ))
                    }),
            };
            let mut response = match answer {
                Ok(()) => Response::new(Body::from(r#"{"status":"ok"}"#)),
                Err(error) => {
                    tracing::warn!(request_id = request_id(request.extensions()), error = ?error.message(), "health: the database does not answer");
                    respond(error, &request)
                }
            };
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        })
    }
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
