//! What every request through the framework's router gets, in one layer: an id (the client's
//! `x-request-id`, or a fresh one) in its extensions and on its response; the in-flight limit
//! (beyond it, `503` at once); the body's read deadline (tower-http's [`TimeoutBody`]); the
//! cross-site request guard when sessions are on; and a `500` for a panic outside a handler (the
//! pipeline catches handlers' own).
//!
//! One hand-written service rather than a tower layer per concern: axum clones a route's whole
//! stack of layers for every request, so each layer cost an allocation, a clone and a drop per
//! request — about 5,000 instructions of the 19,000 the framework added to a public read. The
//! limit and the deadline came back as three tower layers (load shedding, a global concurrency
//! limit, a body timeout, with an error handler and a body re-boxing between them), which cost
//! 12 allocations and about 6,000 instructions per request; here they are a semaphore's
//! `try_acquire` and a wrapped body.

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
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower_http::request_id::{MakeRequestId, RequestId};
use tower_http::timeout::TimeoutBody;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The cross-site request guard: `Some(403)` refuses the request.
pub(crate) type Guard = std::sync::Arc<dyn Fn(&Request<Body>) -> Option<Response> + Send + Sync>;

/// What answers a request refused because too many are in flight, given its id.
pub(crate) type Overloaded = fn(&HeaderValue) -> Response;

/// The layer.
#[derive(Clone)]
pub(crate) struct EnvelopeLayer {
    pub(crate) guard: Option<Guard>,
    /// One permit per request in flight, shared by every route the layer wraps.
    pub(crate) in_flight: Arc<Semaphore>,
    pub(crate) overloaded: Overloaded,
    /// The longest wait for the next chunk of a request body.
    pub(crate) body_read_timeout: Duration,
}

impl<S> tower::Layer<S> for EnvelopeLayer {
    type Service = Envelope<S>;

    fn layer(&self, inner: S) -> Envelope<S> {
        Envelope {
            inner,
            layer: self.clone(),
        }
    }
}

/// [`EnvelopeLayer`]'s service.
#[derive(Clone)]
pub(crate) struct Envelope<S> {
    inner: S,
    layer: EnvelopeLayer,
}

impl<S, B> tower::Service<Request<Body>> for Envelope<S>
where
    S: tower::Service<Request<Body>, Response = http::Response<B>, Error = Infallible>,
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
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
        let Ok(permit) = self.layer.in_flight.clone().try_acquire_owned() else {
            return EnvelopeFuture::ready((self.layer.overloaded)(&id), id);
        };
        request.extensions_mut().insert(RequestId::new(id.clone()));
        if let Some(refusal) = self.layer.guard.as_ref().and_then(|guard| guard(&request)) {
            return EnvelopeFuture::ready(refusal, id);
        }
        let timeout = self.layer.body_read_timeout;
        let request = request.map(|body| Body::new(TimeoutBody::new(timeout, body)));
        let inner = &mut self.inner;
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.call(request))) {
            Ok(future) => EnvelopeFuture {
                inner: Some(AssertUnwindSafe(future).catch_unwind()),
                ready: None,
                permit: Some(permit),
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
        // Held until the answer is ready.
        permit: Option<OwnedSemaphorePermit>,
        id: HeaderValue,
    }
}

impl<F> EnvelopeFuture<F> {
    fn ready(response: Response, id: HeaderValue) -> EnvelopeFuture<F> {
        EnvelopeFuture {
            inner: None,
            ready: Some(response),
            permit: None,
            id,
        }
    }
}

impl<F, B> Future for EnvelopeFuture<F>
where
    F: Future<Output = Result<http::Response<B>, Infallible>>,
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = match this.inner.as_pin_mut() {
            Some(inner) => match ready!(inner.poll(cx)) {
                Ok(Ok(response)) => response.map(Body::new),
                Ok(Err(never)) => match never {},
                Err(panic) => panic_response(&*panic),
            },
            None => this
                .ready
                .take()
                .unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        };
        this.permit.take();
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

#[cfg(test)]
mod tests {
    use super::{EnvelopeLayer, X_REQUEST_ID};
    use axum::body::Body;
    use axum::response::{IntoResponse, Response};
    use http::{Request, StatusCode};
    use std::convert::Infallible;
    use tower::{Layer, Service, ServiceExt};

    async fn call(
        service: impl Service<Request<Body>, Response = Response, Error = Infallible>,
        request: Request<Body>,
    ) -> Response {
        let mut service = EnvelopeLayer {
            guard: None,
            in_flight: std::sync::Arc::new(tokio::sync::Semaphore::new(8)),
            overloaded: |_| StatusCode::SERVICE_UNAVAILABLE.into_response(),
            body_read_timeout: std::time::Duration::from_secs(10),
        }
        .layer(service);
        service.ready().await.unwrap();
        service.call(request).await.unwrap()
    }

    /// The client's id is kept; without one, the request gets a fresh one; either way the
    /// answer carries it, and the handler sees it.
    #[tokio::test]
    async fn every_answer_carries_the_request_id() {
        let echo = tower::service_fn(|request: Request<Body>| async move {
            let seen = crate::base::request_id(request.extensions());
            Ok::<_, Infallible>(seen.into_response())
        });
        let kept = call(
            echo,
            Request::builder()
                .header("x-request-id", "abc-123")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(kept.headers()[X_REQUEST_ID], "abc-123");
        let body = axum::body::to_bytes(kept.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], b"abc-123");
        let fresh = call(echo, Request::new(Body::empty())).await;
        let id = fresh.headers()[X_REQUEST_ID].to_str().unwrap().to_owned();
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
        let body = axum::body::to_bytes(fresh.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], id.as_bytes());
    }

    /// Beyond the in-flight limit the inner service is not called: the answer is `overloaded`'s,
    /// given the request's id, which the answer carries too; a permit comes back once its
    /// answer is ready, so requests one after another all pass a limit of one.
    #[tokio::test]
    async fn beyond_the_limit_the_overloaded_answer_carries_the_request_id() {
        let layer = EnvelopeLayer {
            guard: None,
            in_flight: std::sync::Arc::new(tokio::sync::Semaphore::new(1)),
            overloaded: |id| {
                let id = id.to_str().unwrap_or("?").to_owned();
                (StatusCode::SERVICE_UNAVAILABLE, id).into_response()
            },
            body_read_timeout: std::time::Duration::from_secs(10),
        };
        let ok = tower::service_fn(|_: Request<Body>| async {
            Ok::<_, Infallible>(StatusCode::OK.into_response())
        });
        let mut service = layer.clone().layer(ok);
        for _ in 0..3 {
            let answer = service.call(Request::new(Body::empty())).await.unwrap();
            assert_eq!(answer.status(), StatusCode::OK);
        }
        let held = layer.in_flight.clone().try_acquire_owned().unwrap();
        let never = tower::service_fn(|_: Request<Body>| async {
            if true {
                panic!("called beyond the limit");
            }
            Ok::<Response, Infallible>(StatusCode::OK.into_response())
        });
        let refused = layer
            .layer(never)
            .call(
                Request::builder()
                    .header("x-request-id", "abc-123")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers()[X_REQUEST_ID], "abc-123");
        let body = axum::body::to_bytes(refused.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(&body[..], b"abc-123");
        drop(held);
    }

    /// A panic outside a handler, while the call is made or while its answer is awaited, is a
    /// `500` with the error body, never a dropped connection.
    #[tokio::test]
    async fn panics_become_500s() {
        let in_call = tower::service_fn(
            |_: Request<Body>| -> std::future::Ready<Result<Response, Infallible>> {
                panic!("in call")
            },
        );
        let in_future = tower::service_fn(|_: Request<Body>| async move {
            if true {
                panic!("in future");
            }
            Ok::<Response, Infallible>(StatusCode::OK.into_response())
        });
        for response in [
            call(in_call, Request::new(Body::empty())).await,
            call(in_future, Request::new(Body::empty())).await,
        ] {
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
            assert!(response.headers().contains_key(X_REQUEST_ID));
            let body = axum::body::to_bytes(response.into_body(), 1024)
                .await
                .unwrap();
            assert_eq!(
                &body[..],
                br#"{"code":"INTERNAL_SERVER_ERROR","message":"internal server error"}"#
            );
        }
    }
}
