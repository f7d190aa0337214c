//! What an action answers: the [`ActionOutput`] contract, and [`Encoded`], a response as sent
//! (and as an idempotency key keeps it, to send again byte for byte).

use axum::response::{IntoResponse, Response};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, StatusCode};
use schemars::JsonSchema;
use serde::Serialize;

/// A type an action may return: anything `Serialize + JsonSchema`. Declare your own with
/// [`#[output]`](crate::output), which adds camelCase field names.
// The message shows where a bound names the type itself (`T: ActionOutput`). For the bound on
// `Action::Output` rustc reports the blanket impl's missing `Serialize` or `JsonSchema` instead
// (output-not-serializable.stderr); routing `#[action]`'s `type Output` through a projection
// that names the type would show it there too, but doubles the errors and moves them off the
// user's type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an action output",
    label = "not an action output",
    note = "declare it with `#[actions_runtime::output]`, which derives `Serialize` and `JsonSchema` with the wire conventions (camelCase fields)"
)]
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
