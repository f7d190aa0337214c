//! Stage 3 of the pipeline — what they sent: the body is read (within the size limit), parsed
//! once by content type into a tree (JSON, or a form's dotted and repeated fields), then decoded
//! by the input type field by field, each field checked by its rules as it decodes; every
//! failure is a `4xx` naming what is wrong, never a `500`.

mod body;
mod file;
mod form;
mod json;
mod media_type;

pub(crate) mod fields;
pub(crate) mod nested;
pub(crate) mod presence;
#[doc(hidden)]
pub mod rules;

use crate::base::wire::{Mode, Node, Payload};
use crate::base::{Accept, ActionInput, BrowserForm};
use crate::error::{ActionError, ErrorCode, FieldErrors};
use axum::body::Body;
#[cfg(feature = "accounts")]
pub(crate) use body::read as read_body;
pub use file::UploadedFile;
use http::request::Parts;
pub(crate) use media_type::MediaType;
use std::borrow::Cow;

// The parsers one by one, for the fuzz targets (`crate::__fuzz`).
#[cfg(feature = "fuzzing")]
pub(crate) use form::{parse_urlencoded, read_multipart, tree as form_tree};
#[cfg(feature = "fuzzing")]
pub(crate) use json::parse as parse_json;

/// What decoding needs to know about the action.
pub(crate) struct InputSpec {
    pub(crate) accept: Accept,
    pub(crate) body_limit: usize,
}

/// A body as read, before the input type decodes it.
pub(crate) enum Source<'a> {
    Json(&'a [u8]),
    UrlEncoded(&'a [u8]),
    /// A multipart form's fields.
    Form(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// Reads the request body by its content type, then has `decode` decode and validate it (the
/// input type's own step: this part is the same for every action).
pub(crate) async fn decode<T>(
    parts: &Parts,
    body: Body,
    spec: &InputSpec,
    decode: fn(Source<'_>) -> Result<T, ActionError>,
) -> Result<T, ActionError> {
    let media_type = MediaType::of(parts);
    let kind = media_type.as_ref().map(MediaType::kind);
    // A browser's form post to a JSON action is decoded as a form action's would be; a
    // script's form body to a JSON action is still refused.
    let accept = match (spec.accept, kind) {
        (Accept::Json, Some(media_type::Kind::UrlEncoded | media_type::Kind::Multipart))
            if parts.extensions.get::<BrowserForm>().is_some() =>
        {
            Accept::Form
        }
        (accept, _) => accept,
    };
    match (accept, kind) {
        (Accept::Json, Some(media_type::Kind::Json)) => {
            media_type
                .as_ref()
                .map(MediaType::require_utf8)
                .transpose()?;
            decode(Source::Json(
                &body::read(parts, body, spec.body_limit).await?,
            ))
        }
        (Accept::Form, Some(media_type::Kind::UrlEncoded)) => decode(Source::UrlEncoded(
            &body::read(parts, body, spec.body_limit).await?,
        )),
        (Accept::Form, Some(media_type::Kind::Multipart)) => {
            let boundary = media_type
                .as_ref()
                .and_then(MediaType::boundary)
                .ok_or_else(|| {
                    ActionError::bad_request("multipart/form-data needs a boundary parameter")
                })?;
            let fields = form::read_multipart(parts, body, boundary, spec.body_limit).await?;
            decode(Source::Form(fields))
        }
        (accept, _) => Err(unsupported(accept, media_type.as_ref())),
    }
}

/// A body as input `I`, decoded and validated.
pub(crate) fn decode_source<I: ActionInput>(source: Source<'_>) -> Result<I, ActionError> {
    match source {
        Source::Json(bytes) => from_json(bytes),
        Source::UrlEncoded(bytes) => from_urlencoded(bytes),
        Source::Form(fields) => from_form(fields),
    }
}

/// A JSON body as input `I`.
pub(crate) fn from_json<I: ActionInput>(bytes: &[u8]) -> Result<I, ActionError> {
    let tree = json::parse(bytes)?;
    let mut errors = FieldErrors::new();
    let input = I::decode(Payload::new(tree, Mode::Json), &mut errors);
    finish(input, errors)
}

/// An urlencoded form body as input `I`.
pub(crate) fn from_urlencoded<I: ActionInput>(bytes: &[u8]) -> Result<I, ActionError> {
    from_form(form::parse_urlencoded(bytes)?)
}

pub(crate) fn from_form<I: ActionInput>(
    fields: Vec<(Cow<'_, str>, Node<'_>)>,
) -> Result<I, ActionError> {
    let mut errors = FieldErrors::new();
    let tree = form::tree(fields, &mut errors);
    let input = I::decode(Payload::new(tree, Mode::Form), &mut errors);
    finish(input, errors)
}

/// The input, or the `400` naming every failure.
fn finish<I>(input: Option<I>, errors: FieldErrors) -> Result<I, ActionError> {
    match input {
        Some(input) if errors.is_empty() => Ok(input),
        _ => Err(refusal(errors)),
    }
}

/// The `400` for a body that did not decode (not generic: one copy for every input type).
fn refusal(errors: FieldErrors) -> ActionError {
    match errors.get("") {
        // A failure of the body as a whole names no field: its message says it.
        Some([message, ..]) => ActionError::bad_request(format!("invalid input: {message}")),
        _ if errors.is_empty() => ActionError::bad_request("invalid input"),
        _ => ActionError::invalid_input(errors),
    }
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
    from_json::<I>(bytes).map(drop)
}

/// Decodes and validates an urlencoded form body exactly as a form action's pipeline does.
pub(crate) fn check_form<I: ActionInput>(bytes: &[u8]) -> Result<(), ActionError> {
    from_urlencoded::<I>(bytes).map(drop)
}
