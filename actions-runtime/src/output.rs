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

/// The response for a successful action.
pub(crate) fn respond<O: ActionOutput>(output: &O) -> Result<Response, ActionError> {
    if TypeId::of::<O>() == TypeId::of::<()>() {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let body = serde_json::to_vec(output).map_err(ActionError::internal)?;
    let mut response = (StatusCode::OK, body).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}
