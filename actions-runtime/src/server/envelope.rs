//! What every request through the framework's router gets, in one layer: an id (the client's
//! `x-request-id`, or a fresh one) in its extensions and on its response; the cross-site request
//! guard when sessions are on; and a `500` for a panic outside a handler (the pipeline catches
//! handlers' own).
//!
//! One hand-written service rather than a tower-http layer per concern: axum clones a route's
//! whole stack of layers for every request, so each layer cost an allocation, a clone and a drop
//! per request — about 5,000 instructions of the 19,000 the framework added to a public read.

use crate::base::RequestIds;
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use futures_util::future::CatchUnwind;
use http::header::CONTENT_TYPE;
use http::{HeaderName, HeaderValue, Request, StatusCode};
use std::any::Any;
use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tower_http::request_id::{MakeRequestId, RequestId};

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The cross-site request guard: `Some(403)` refuses the request.
pub(crate) type Guard = std::sync::Arc<dyn Fn(&Request<Body>) -> Option<Response> + Send + Sync>;

/// The layer.
#[derive(Clone)]
pub(crate) struct EnvelopeLayer {
    pub(crate) guard: Option<Guard>,
}

impl<S> tower::Layer<S> for EnvelopeLayer {
    type Service = Envelope<S>;

    fn layer(&self, inner: S) -> Envelope<S> {
        Envelope {
            inner,
            guard: self.guard.clone(),
        }
    }
}

/// [`EnvelopeLayer`]'s service.
#[derive(Clone)]
pub(crate) struct Envelope<S> {
    inner: S,
    guard: Option<Guard>,
}

impl<S> tower::Service<Request<Body>> for Envelope<S>
where
    S: tower::Service<Request<Body>, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = EnvelopeFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<Body>) -> Self::Future {
        let id = match request.headers().get(X_REQUEST_ID) {
            Some(id) => id.clone(),
            None => {
                let id = RequestIds
                    .make_request_id(&request)
                    .map(|id| id.header_value().clone())
                    .unwrap_or_else(|| HeaderValue::from_static("-"));
                request.headers_mut().insert(X_REQUEST_ID, id.clone());
                id
            }
        };
        request.extensions_mut().insert(RequestId::new(id.clone()));
        if let Some(refusal) = self.guard.as_ref().and_then(|guard| guard(&request)) {
            return EnvelopeFuture::ready(refusal, id);
        }
        let inner = &mut self.inner;
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.call(request))) {
            Ok(future) => EnvelopeFuture {
                inner: Some(AssertUnwindSafe(future).catch_unwind()),
                ready: None,
                id,
            },
            Err(panic) => EnvelopeFuture::ready(panic_response(&*panic), id),
        }
    }
}

pin_project_lite::pin_project! {
    /// The inner service's answer (or the guard's, or a panic's), with the request's id.
    pub(crate) struct EnvelopeFuture<F> {
        #[pin]
        inner: Option<CatchUnwind<AssertUnwindSafe<F>>>,
        ready: Option<Response>,
        id: HeaderValue,
    }
}

impl<F> EnvelopeFuture<F> {
    fn ready(response: Response, id: HeaderValue) -> EnvelopeFuture<F> {
        EnvelopeFuture {
            inner: None,
            ready: Some(response),
            id,
        }
    }
}

impl<F: Future<Output = Result<Response, Infallible>>> Future for EnvelopeFuture<F> {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = match this.inner.as_pin_mut() {
            Some(inner) => match ready!(inner.poll(cx)) {
                Ok(Ok(response)) => response,
                Ok(Err(never)) => match never {},
                Err(panic) => panic_response(&*panic),
            },
            None => this
                .ready
                .take()
                .unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        };
        if !response.headers().contains_key(X_REQUEST_ID) {
            response.headers_mut().insert(X_REQUEST_ID, this.id.clone());
        }
        Poll::Ready(Ok(response))
    }
}

/// A panic outside a handler (handlers' own panics are caught by the pipeline): `500`, logged.
fn panic_response(panic: &(dyn Any + Send)) -> Response {
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
