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
mod wire_type;

pub use wire_type::{Wire, WireType};

pub use file::UploadedFile;

use crate::action::Accept;
use crate::error::{ActionError, ErrorCode, FieldErrors};
use axum::body::Body;
use http::request::Parts;
use media_type::MediaType;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// A type an action takes as input. Declare it with [`#[input]`](crate::input), which derives
/// `Deserialize` and `JsonSchema` with the wire conventions: camelCase fields, unknown fields
/// rejected.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an action input",
    label = "not an action input",
    note = "declare it with `#[actions_runtime::input]`, which derives `Deserialize` and `JsonSchema` with the wire conventions (camelCase fields, unknown fields rejected)"
)]
pub trait ActionInput: DeserializeOwned + JsonSchema + Send + Sync + 'static {
    /// Normalizes (`trim`, lower-cased emails) and checks what the type alone cannot express,
    /// recording every failure — not just the first — relative to the current position of
    /// `errors`.
    fn validate(&mut self, errors: &mut FieldErrors) {
        let _ = errors;
    }

    /// When decoding failed: every failure of `value` at once — wrong types, missing and
    /// unknown fields, and the rules of the fields that did decode. Recording nothing falls
    /// back to the decoder's first failure.
    fn decode_errors(value: &serde_json::Value, errors: &mut FieldErrors) {
        let _ = (value, errors);
    }

    /// Mistakes in the type's own declaration (a `pattern` that does not compile), reported
    /// when the server is built.
    fn declaration_errors() -> Vec<String> {
        Vec::new()
    }
}

/// The input of the stand-in handle `#[action]` emits after a compile error: uninhabited, so
/// the stand-in can never run.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Invalid {}

impl Invalid {
    /// Stands in for the handler of an action that did not compile.
    pub fn call(self) -> std::future::Ready<Result<(), ActionError>> {
        match self {}
    }
}

impl<'de> serde::Deserialize<'de> for Invalid {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Invalid, D::Error> {
        Err(serde::de::Error::custom("this action failed to compile"))
    }
}

impl serde::Serialize for Invalid {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

impl JsonSchema for Invalid {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Invalid".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!(false)
    }
}

impl ActionInput for Invalid {}

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
