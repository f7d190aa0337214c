//! What an action takes: the [`ActionInput`] contract that `#[input]` implements and the input
//! stage decodes by.

use crate::error::{ActionError, FieldErrors};
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
