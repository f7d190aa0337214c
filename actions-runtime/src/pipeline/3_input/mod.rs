//! Stage 3 of the pipeline — what they sent: the body is read (within the size limit), decoded
//! by content type (JSON, or forms coerced as Astro does), then validated; every failure is a
//! `4xx` naming what is wrong, never a `500`.

mod body;
mod file;
mod form;
mod json;
mod media_type;
mod path_error;
mod strict;

pub(crate) mod nested;
pub(crate) mod presence;
#[doc(hidden)]
pub mod rules;

pub use file::UploadedFile;

use crate::base::{Accept, ActionInput};
use crate::error::{ActionError, ErrorCode, FieldErrors};
use axum::body::Body;
use http::request::Parts;
use media_type::MediaType;

/// What decoding needs to know about the action.
pub(crate) struct InputSpec<'a> {
    pub(crate) accept: Accept,
    /// The input's JSON Schema, which drives form coercion.
    pub(crate) schema: &'a serde_json::Value,
    pub(crate) body_limit: usize,
}

/// Reads, decodes and validates the request body.
pub(crate) async fn decode<I: ActionInput>(
    parts: &Parts,
    body: Body,
    spec: &InputSpec<'_>,
) -> Result<I, ActionError> {
    let media_type = MediaType::of(parts);
    let mut input: I = match (spec.accept, media_type.as_ref().map(MediaType::kind)) {
        (Accept::Json, Some(media_type::Kind::Json)) => {
            media_type
                .as_ref()
                .map(MediaType::require_utf8)
                .transpose()?;
            json::decode_input::<I>(&body::read(parts, body, spec.body_limit).await?)?
        }
        (Accept::Form, Some(media_type::Kind::UrlEncoded)) => {
            let bytes = body::read(parts, body, spec.body_limit).await?;
            form::decode_urlencoded(&bytes, spec.schema)?
        }
        (Accept::Form, Some(media_type::Kind::Multipart)) => {
            let boundary = media_type
                .as_ref()
                .and_then(MediaType::boundary)
                .ok_or_else(|| {
                    ActionError::bad_request("multipart/form-data needs a boundary parameter")
                })?;
            form::decode_multipart(parts, body, boundary, spec).await?
        }
        (accept, _) => return Err(unsupported(accept, media_type.as_ref())),
    };
    let mut errors = FieldErrors::new();
    input.validate(&mut errors);
    errors.into_result()?;
    Ok(input)
}

/// `415` naming what the action accepts.
fn unsupported(accept: Accept, found: Option<&MediaType>) -> ActionError {
    let expected = match accept {
        Accept::Json => "application/json",
        Accept::Form => "application/x-www-form-urlencoded or multipart/form-data",
    };
    let found = match found {
        Some(media_type) => format!("`{}`", media_type.essence()),
        None => "no Content-Type".to_owned(),
    };
    ActionError::new(
        ErrorCode::UNSUPPORTED_MEDIA_TYPE,
        format!("this action accepts {expected}, but the request has {found}"),
    )
}

/// Decodes and validates a JSON body exactly as a JSON action's pipeline does.
pub(crate) fn check_json<I: ActionInput>(bytes: &[u8]) -> Result<(), ActionError> {
    let mut input: I = json::decode_input(bytes)?;
    let mut errors = FieldErrors::new();
    input.validate(&mut errors);
    errors.into_result()
}
