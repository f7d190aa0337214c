//! The hand-written parsers one by one, for the fuzz targets in `fuzz/` (feature `fuzzing`,
//! never on by default; see docs/fuzzing.md). Thin wrappers: each calls exactly the code a
//! request reaches, and changes nothing of what it does.

use crate::base::wire::Node;
use crate::base::{ActionInput, Idempotency};
use crate::error::{ActionError, FieldErrors};
use axum::body::Body;
use futures_util::FutureExt;
use http::HeaderMap;
use serde_json::Value;
use std::borrow::Cow;

/// A JSON body as the tree inputs decode from, written as a `serde_json::Value` (a key sent
/// twice keeps its last value there, as serde_json's own parser does), or the `400`.
pub fn json_tree(bytes: &[u8]) -> Result<Value, ActionError> {
    crate::pipeline::input::parse_json(bytes).map(|node| value_of(&node))
}

/// A JSON body decoded and validated as input `I`, as a JSON action's pipeline does.
pub fn json<I: ActionInput>(bytes: &[u8]) -> Result<I, ActionError> {
    crate::pipeline::input::from_json(bytes)
}

/// An urlencoded body's `(key, value)` pairs, in order, or the `400`.
pub fn urlencoded_pairs(bytes: &[u8]) -> Result<Vec<(String, String)>, ActionError> {
    let pairs = crate::pipeline::input::parse_urlencoded(bytes)?;
    Ok(pairs
        .into_iter()
        .map(|(key, node)| match node {
            Node::Str(text) => (key.into_owned(), text.into_owned()),
            other => unreachable!("an urlencoded value is text, not {other:?}"),
        })
        .collect())
}

/// The tree a form's `(key, value)` fields build (dotted keys nest, repeated keys list), and
/// the paths refused while building it, with their messages.
pub fn form_tree(pairs: &[(String, String)]) -> (Value, Vec<(String, Vec<String>)>) {
    let fields = pairs
        .iter()
        .map(|(key, value)| (Cow::Borrowed(key.as_str()), Node::Str(Cow::Borrowed(value))))
        .collect();
    let mut errors = FieldErrors::new();
    let tree = crate::pipeline::input::form_tree(fields, &mut errors);
    let refused = errors
        .iter()
        .map(|(path, messages)| (path.to_owned(), messages.to_vec()))
        .collect();
    (value_of(&tree), refused)
}

/// An urlencoded body decoded and validated as input `I`, as a form action's pipeline does.
pub fn urlencoded<I: ActionInput>(bytes: &[u8]) -> Result<I, ActionError> {
    crate::pipeline::input::from_urlencoded(bytes)
}

/// A `multipart/form-data` body with `boundary`, read within `limit` bytes and decoded as
/// input `I`, as a form action's pipeline does. `None` if reading a body held whole in memory
/// did not complete at once (it always should).
pub fn multipart<I: ActionInput>(
    boundary: &str,
    body: Vec<u8>,
    limit: usize,
) -> Option<Result<I, ActionError>> {
    let (parts, ()) = http::Request::new(()).into_parts();
    let read = crate::pipeline::input::read_multipart(&parts, Body::from(body), boundary, limit);
    read.now_or_never()
        .map(|fields| crate::pipeline::input::from_form(fields?))
}

/// The session token of a request's headers (the cookie, else `Authorization: Bearer`), and
/// the session cookie's value alone.
#[cfg(feature = "accounts")]
pub fn session_token(
    headers: &HeaderMap,
    config: &crate::auth::AuthConfig,
) -> (Option<String>, Option<String>) {
    (
        crate::accounts::token_of(headers, config),
        crate::accounts::cookie_token(headers, config),
    )
}

/// The name of the session cookie under `config`.
#[cfg(feature = "accounts")]
pub fn session_cookie_name(config: &crate::auth::AuthConfig) -> &'static str {
    crate::accounts::cookie_name(config)
}

/// The CSRF guard's answer to a request: `None` lets it through, `Some` is the response sent
/// instead.
#[cfg(feature = "accounts")]
pub fn csrf_refusal(
    request: &axum::extract::Request,
    config: &crate::auth::AuthConfig,
) -> Option<axum::response::Response> {
    crate::accounts::csrf_refusal(request, config)
}

/// An origin or URL as `scheme://host[:port]`, as the CSRF guard compares them.
#[cfg(feature = "accounts")]
pub fn normalize_origin(url: &str) -> Option<String> {
    crate::accounts::normalize_origin(url)
}

/// The `Idempotency-Key` of a request's headers for an `idempotent` action (`required` or
/// optional), or the `400`.
pub fn idempotency_key(headers: &HeaderMap, required: bool) -> Result<Option<String>, ActionError> {
    let mut request = http::Request::new(());
    *request.headers_mut() = headers.clone();
    let (parts, ()) = request.into_parts();
    let mode = if required {
        Idempotency::Required
    } else {
        Idempotency::Optional
    };
    crate::pipeline::idempotency::key_of(&parts, Some(mode))
}

/// A tree as JSON: what a fuzz target compares with serde_json's own reading.
fn value_of(node: &Node<'_>) -> Value {
    match node {
        Node::Absent | Node::Null | Node::File(_) => Value::Null,
        Node::Bool(value) => Value::Bool(*value),
        Node::U64(value) => Value::from(*value),
        Node::I64(value) => Value::from(*value),
        Node::F64(value) => serde_json::Number::from_f64(*value).map_or(Value::Null, Value::Number),
        Node::Str(text) => Value::String(text.clone().into_owned()),
        Node::List(items) => Value::Array(items.iter().map(value_of).collect()),
        Node::Object(entries) => {
            let mut object = serde_json::Map::new();
            for (key, value) in entries {
                object.insert(key.clone().into_owned(), value_of(value));
            }
            Value::Object(object)
        }
    }
}
