//! Fields whose type is itself an input (`address: Address`, `lines: Vec<Line>`): validated and
//! decoded through that type, with paths continuing into it (`lines.2.sku`).
//!
//! The macro cannot know whether a field's type is an input; the type system can. Generated
//! code calls `(&mut Nested(&mut field)).validate_nested(errors)`: method lookup tries the impls
//! on `Nested<T>` first, which exist only for inputs (and lists and options of them), and falls
//! back to the do-nothing impl on `&mut Nested<T>` (autoref specialization).

use super::path_error;
use super::strict::Strict;
use crate::base::ActionInput;
use crate::error::FieldErrors;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::marker::PhantomData;

/// A field, for [`Validate`] and [`Skip`].
#[allow(missing_debug_implementations)]
pub struct Nested<'a, T>(pub &'a mut T);

/// Validation of a field that is an input, or a list or option of inputs.
pub trait Validate {
    /// Validates the nested input(s).
    fn validate_nested(&mut self, errors: &mut FieldErrors);
}

impl<T: ActionInput> Validate for Nested<'_, T> {
    fn validate_nested(&mut self, errors: &mut FieldErrors) {
        self.0.validate(errors);
    }
}

impl<T: ActionInput> Validate for Nested<'_, Vec<T>> {
    fn validate_nested(&mut self, errors: &mut FieldErrors) {
        for (index, item) in self.0.iter_mut().enumerate() {
            errors.nested(index, |errors| item.validate(errors));
        }
    }
}

impl<T: ActionInput> Validate for Nested<'_, Option<T>> {
    fn validate_nested(&mut self, errors: &mut FieldErrors) {
        if let Some(item) = self.0 {
            item.validate(errors);
        }
    }
}

/// Any other field: nothing nested to validate.
pub trait Skip {
    /// Does nothing.
    fn validate_nested(&mut self, errors: &mut FieldErrors);
}

impl<T> Skip for &mut Nested<'_, T> {
    fn validate_nested(&mut self, _: &mut FieldErrors) {}
}

/// A field type, for [`DecodeInput`] and [`DecodeValue`].
#[allow(missing_debug_implementations)]
pub struct Decode<T>(PhantomData<T>);

impl<T> Decode<T> {
    /// The marker for `T`.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Decode<T> {
        Decode(PhantomData)
    }
}

/// Decoding a field that is an input (or a list or option of inputs): every failure inside it.
pub trait DecodeInput<T> {
    /// Records every failure of `value`; `None`, as the nested type validated itself.
    fn decode_field(&self, value: &Value, errors: &mut FieldErrors) -> Option<T>;
}

impl<T: ActionInput> DecodeInput<T> for Decode<T> {
    fn decode_field(&self, value: &Value, errors: &mut FieldErrors) -> Option<T> {
        T::decode_errors(value, errors);
        None
    }
}

impl<T: ActionInput> DecodeInput<Vec<T>> for Decode<Vec<T>> {
    fn decode_field(&self, value: &Value, errors: &mut FieldErrors) -> Option<Vec<T>> {
        match value {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    errors.nested(index, |errors| T::decode_errors(item, errors));
                }
            }
            other => errors.add(
                "",
                format!("invalid type: {}, expected a list", kind(other)),
            ),
        }
        None
    }
}

impl<T: ActionInput> DecodeInput<Option<T>> for Decode<Option<T>> {
    fn decode_field(&self, value: &Value, errors: &mut FieldErrors) -> Option<Option<T>> {
        if !value.is_null() {
            T::decode_errors(value, errors);
        }
        None
    }
}

/// Decoding any other field: its value, or its first failure.
pub trait DecodeValue<T> {
    /// The value, or `None` with the failure recorded.
    fn decode_field(&self, value: &Value, errors: &mut FieldErrors) -> Option<T>;
}

impl<T: DeserializeOwned> DecodeValue<T> for &Decode<T> {
    fn decode_field(&self, value: &Value, errors: &mut FieldErrors) -> Option<T> {
        match serde_path_to_error::deserialize(Strict(value)) {
            Ok(value) => Some(value),
            Err(error) => {
                let path = path_error::dotted(error.path());
                errors.nested(path, |errors| {
                    errors.add("", path_error::in_wire_words(&error.inner().to_string()));
                });
                None
            }
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// The object a struct input decodes from, or `None` with the failure recorded.
pub fn expect_object<'v>(
    value: &'v Value,
    errors: &mut FieldErrors,
) -> Option<&'v serde_json::Map<String, Value>> {
    match value {
        Value::Object(object) => Some(object),
        other => {
            errors.add(
                "",
                format!("invalid type: {}, expected an object", kind(other)),
            );
            None
        }
    }
}

/// Records every key of `object` that is not a field, in the words serde uses.
pub fn unknown_fields(
    object: &serde_json::Map<String, Value>,
    fields: &[&str],
    errors: &mut FieldErrors,
) {
    for key in object.keys().filter(|key| !fields.contains(&key.as_str())) {
        let expected = match fields {
            [] => "there are no fields".to_owned(),
            [one] => format!("expected `{one}`"),
            [a, b] => format!("expected `{a}` or `{b}`"),
            many => format!(
                "expected one of {}",
                many.iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        errors.add(key, format!("unknown field; {expected}"));
    }
}
