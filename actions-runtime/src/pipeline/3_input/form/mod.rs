//! Form bodies (`application/x-www-form-urlencoded`, `multipart/form-data`) decoded into the
//! input type with Astro's coercions, guided by the input's JSON Schema:
//!
//! - numbers and booleans are parsed from their text (`"3"` → `3`, `"on"` → `true`);
//! - a missing checkbox is `false`, a missing multi-select `[]`;
//! - repeated keys are arrays; an empty optional field is absent;
//! - dotted keys nest (`author.email`), numeric segments index arrays (`items.0.name`);
//! - multipart file parts become [`UploadedFile`](super::UploadedFile)s.
//!
//! Serde builds the type from the coerced form. When anything fails, every failing field is
//! reported at once: what coercion could not read, and what the input type finds wrong with
//! the rest (missing, unknown, out of range), as for a JSON body.

mod coerce;
mod multipart;
mod tree;
mod urlencoded;
mod value;

use super::strict::Strict;
use super::{ActionInput, InputSpec, path_error};
use crate::error::{ActionError, FieldErrors};
use axum::body::Body;
use http::request::Parts;

/// One field of a form, as sent.
#[derive(Debug)]
pub(crate) enum Part {
    Text(String),
    File(super::UploadedFile),
}

/// Decodes an urlencoded body.
pub(crate) fn decode_urlencoded<I: ActionInput>(
    bytes: &[u8],
    schema: &serde_json::Value,
) -> Result<I, ActionError> {
    from_fields(urlencoded::parse(bytes)?, schema)
}

/// Decodes a multipart body, streaming it within the body limit.
pub(crate) async fn decode_multipart<I: ActionInput>(
    parts: &Parts,
    body: Body,
    boundary: &str,
    spec: &InputSpec<'_>,
) -> Result<I, ActionError> {
    let fields = multipart::read(parts, body, boundary, spec.body_limit).await?;
    from_fields(fields, spec.schema)
}

fn from_fields<I: ActionInput>(
    fields: Vec<(String, Part)>,
    schema: &serde_json::Value,
) -> Result<I, ActionError> {
    let mut errors = FieldErrors::new();
    let tree = tree::build(fields, &mut errors);
    let value = coerce::coerce(tree, schema, &mut errors);
    // Kept for the error path: serde consumes the form, files and all.
    let mut files = Vec::new();
    let json = value.to_json("", &mut files);
    let mut first = None;
    if errors.is_empty() {
        match serde_path_to_error::deserialize(Strict(value)) {
            Ok(input) => return Ok(input),
            Err(error) => {
                first = Some(path_error::to_action_error(
                    error.path(),
                    &error.inner().to_string(),
                ));
            }
        }
    }
    // What the type says of the rest; a field coercion already refused (now absent) or a file
    // (now `null`) is not the type's to judge.
    let mut rest = FieldErrors::new();
    I::decode_errors(&json, &mut rest);
    let judged: Vec<String> = errors.iter().map(|(path, _)| path.to_owned()).collect();
    rest.retain(|path| {
        !judged
            .iter()
            .chain(&files)
            .any(|other| overlaps(path, other))
    });
    errors.merge(rest);
    Err(match first {
        // The type had nothing to add (one without `#[input]`): serde's own first failure.
        Some(first) if errors.is_empty() => first,
        _ => ActionError::invalid_input(errors),
    })
}

/// Whether one field path is the other or inside it.
fn overlaps(a: &str, b: &str) -> bool {
    let inside = |inner: &str, outer: &str| {
        outer.is_empty()
            || inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    };
    inside(a, b) || inside(b, a)
}

#[cfg(test)]
mod tests;
