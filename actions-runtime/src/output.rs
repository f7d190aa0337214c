//! Stage 6 of the pipeline — the answer: the handler's output serialized as JSON (`200`), or
//! `204 No Content` for `()`.

use crate::error::ActionError;
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, StatusCode};
use schemars::JsonSchema;
use serde::Serialize;
use std::any::TypeId;

/// A type an action may return: anything `Serialize + JsonSchema`. Declare your own with
/// [`#[output]`](crate::output), which adds camelCase field names.
pub trait ActionOutput: Serialize + JsonSchema + Send + 'static {}

impl<T: Serialize + JsonSchema + Send + 'static> ActionOutput for T {}

/// A response as sent, and as an idempotent action stores it to send again byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Encoded {
    pub(crate) status: StatusCode,
    /// JSON, or empty for `204`.
    pub(crate) body: Vec<u8>,
}

impl Encoded {
    /// The response for a successful action: `200` with its JSON, or `204` for `()`.
    pub(crate) fn of<O: ActionOutput>(output: &O) -> Result<Encoded, ActionError> {
        if TypeId::of::<O>() == TypeId::of::<()>() {
            return Ok(Encoded {
                status: StatusCode::NO_CONTENT,
                body: Vec::new(),
            });
        }
        let body = serde_json::to_vec(output).map_err(ActionError::internal)?;
        Ok(Encoded {
            status: StatusCode::OK,
            body,
        })
    }

    pub(crate) fn into_response(self) -> Response {
        if self.body.is_empty() {
            return self.status.into_response();
        }
        let mut response = (self.status, self.body).into_response();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }
}

/// The response for a successful action.
pub(crate) fn respond<O: ActionOutput>(output: &O) -> Result<Response, ActionError> {
    Encoded::of(output).map(Encoded::into_response)
}
