//! How an [`ActionError`] is answered: the status of its code, a JSON body, and for server
//! errors a log line with everything the body leaves out.

use super::{ActionError, ErrorCode, FieldErrors};
use axum::response::{IntoResponse, Response};
use http::HeaderValue;
use http::header::CONTENT_TYPE;
use serde::Serialize;

/// The JSON body of every error response.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ErrorBody<'a> {
    pub(crate) code: ErrorCode,
    pub(crate) message: &'a str,
    #[serde(skip_serializing_if = "FieldErrors::is_empty")]
    pub(crate) fields: &'a FieldErrors,
    /// Only on server errors: the id under which the details were logged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) request_id: Option<&'a str>,
}

/// Answers `error`, logging what stays private. `action` names the action in the log, when
/// the request got that far.
pub(crate) fn into_response(
    error: ActionError,
    request_id: &str,
    action: Option<&str>,
) -> Response {
    let action = action.unwrap_or("-");
    if error.code.is_server_error() {
        let source = error
            .source
            .as_deref()
            .map(|source| error_chain(source))
            .unwrap_or_default();
        tracing::error!(
            request_id,
            action,
            code = %error.code,
            message = ?error.message,
            source = ?source,
            "action failed"
        );
    } else {
        // A refusal is the client's doing: worth seeing, not an alert. Debug formatting escapes
        // whatever of the request the message quotes (a CR/LF cannot start a line of its own).
        tracing::info!(request_id, action, code = %error.code, message = ?error.message, "action refused");
    }
    let bytes = body_bytes(&error, request_id);
    let mut response = (error.code.status(), bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, value) in error.headers {
        headers.append(name, value);
    }
    response
}

/// The JSON body answering `error`.
pub(crate) fn body_bytes(error: &ActionError, request_id: &str) -> Vec<u8> {
    let body = ErrorBody {
        code: error.code,
        message: &error.message,
        fields: &error.fields,
        request_id: error.code.is_server_error().then_some(request_id),
    };
    serde_json::to_vec(&body).unwrap_or_else(|_| {
        br#"{"code":"INTERNAL_SERVER_ERROR","message":"internal server error"}"#.to_vec()
    })
}

/// `error: cause: cause's cause`, for one log field.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
