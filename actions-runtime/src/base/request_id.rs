//! The id of a request: in its `x-request-id` header, its log lines and its audit events.

/// The id the request-id layer gave the request (the client's own `x-request-id`, kept, or a
/// fresh one), or a fresh one when the request did not pass that layer.
pub(crate) fn request_id(extensions: &http::Extensions) -> String {
    extensions
        .get::<tower_http::request_id::RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(new_request_id)
}

/// A fresh id: a random UUID.
pub(crate) fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
