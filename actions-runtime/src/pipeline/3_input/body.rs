//! Reading a request body without ever holding more than the configured limit.

use crate::error::{ActionError, ErrorCode};
use axum::body::Body;
use bytes::Bytes;
use http::header::CONTENT_LENGTH;
use http::request::Parts;

/// `413 CONTENT_TOO_LARGE` for a body over `limit` bytes.
pub(crate) fn too_large(limit: usize) -> ActionError {
    ActionError::new(
        ErrorCode::CONTENT_TOO_LARGE,
        format!("the request body is larger than the limit of {limit} bytes"),
    )
}

/// Reads the whole body, refusing it as soon as it exceeds `limit` — up front when
/// `Content-Length` already says so.
pub(crate) async fn read(parts: &Parts, body: Body, limit: usize) -> Result<Bytes, ActionError> {
    if declared_length(parts).is_some_and(|length| length > limit as u64) {
        return Err(too_large(limit));
    }
    axum::body::to_bytes(body, limit).await.map_err(|error| {
        if is_length_limit(&error) {
            too_large(limit)
        } else if caused_by::<tower_http::timeout::TimeoutError>(&error) {
            ActionError::new(
                ErrorCode::REQUEST_TIMEOUT,
                "the request body stalled for longer than the server waits",
            )
        } else {
            ActionError::bad_request("the request body could not be read").with_source(error)
        }
    })
}

/// The `Content-Length` the client declared.
pub(crate) fn declared_length(parts: &Parts) -> Option<u64> {
    parts
        .headers
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

fn is_length_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    caused_by::<http_body_util::LengthLimitError>(error)
}

/// Whether `error` or one of its sources is an `E`.
fn caused_by<E: std::error::Error + 'static>(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<E>() {
            return true;
        }
        current = error.source();
    }
    false
}
