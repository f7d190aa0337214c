//! What an action takes: the [`ActionInput`] contract that `#[input]` implements and the input
//! stage decodes by.

use super::wire::{self, Payload};
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
    /// Decodes a request body: every field that does not decode is recorded in `errors` at its
    /// full path, the rules of every field that does are run, and `None` means some field did
    /// not decode. `Some` may still come with errors (a rule refused a value).
    ///
    /// `#[input]` decodes field by field, so one response names every problem. This default
    /// reads the whole body through the type's own `Deserialize` (which stops at its first
    /// failure), then runs [`validate`](Self::validate).
    fn decode(payload: Payload<'_>, errors: &mut FieldErrors) -> Option<Self> {
        let mut input: Self = wire::deserialize(payload, errors)?;
        input.validate(errors);
        Some(input)
    }

    /// Normalizes (`trim`, lower-cased emails) and checks what the type alone cannot express,
    /// recording every failure — not just the first — relative to the current position of
    /// `errors`. Runs on an input built in-process; a decoded body was checked by
    /// [`decode`](Self::decode).
    fn validate(&mut self, errors: &mut FieldErrors) {
        let _ = errors;
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
