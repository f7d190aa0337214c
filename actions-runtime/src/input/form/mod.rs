//! Form bodies (`application/x-www-form-urlencoded`, `multipart/form-data`) decoded into the
//! input type with Astro's coercions, guided by the input's JSON Schema:
//!
//! - numbers and booleans are parsed from their text (`"3"` → `3`, `"on"` → `true`);
//! - a missing checkbox is `false`, a missing multi-select `[]`;
//! - repeated keys are arrays; an empty optional field is absent;
//! - dotted keys nest (`author.email`), numeric segments index arrays (`items.0.name`);
//! - multipart file parts become [`UploadedFile`](super::UploadedFile)s.
//!
//! Coercion reports every field it cannot read at once; serde then builds the type.

mod coerce;
mod multipart;
mod tree;
mod urlencoded;
mod value;

use super::strict::Strict;
use super::{InputSpec, path_error};
use crate::error::{ActionError, FieldErrors};
use axum::body::Body;
use http::request::Parts;
use serde::de::DeserializeOwned;

/// One field of a form, as sent.
#[derive(Debug)]
pub(crate) enum Part {
    Text(String),
    File(super::UploadedFile),
}

/// Decodes an urlencoded body.
pub(crate) fn decode_urlencoded<T: DeserializeOwned>(
    bytes: &[u8],
    schema: &serde_json::Value,
) -> Result<T, ActionError> {
    from_fields(urlencoded::parse(bytes)?, schema)
}

/// Decodes a multipart body, streaming it within the body limit.
pub(crate) async fn decode_multipart<T: DeserializeOwned>(
    parts: &Parts,
    body: Body,
    boundary: &str,
    spec: &InputSpec<'_>,
) -> Result<T, ActionError> {
    let fields = multipart::read(parts, body, boundary, spec.body_limit).await?;
    from_fields(fields, spec.schema)
}

fn from_fields<T: DeserializeOwned>(
    fields: Vec<(String, Part)>,
    schema: &serde_json::Value,
) -> Result<T, ActionError> {
    let mut errors = FieldErrors::new();
    let tree = tree::build(fields, &mut errors);
    let value = coerce::coerce(tree, schema, &mut errors);
    errors.into_result()?;
    serde_path_to_error::deserialize(Strict(value))
        .map_err(|error| path_error::to_action_error(error.path(), &error.inner().to_string()))
}

#[cfg(test)]
mod tests;
