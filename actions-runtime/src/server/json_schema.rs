//! How inputs and outputs become JSON Schema (draft 2020-12) for `schema.json`: schemars with
//! the wire's own facts added, so a client validating against the schema agrees with the server.

use crate::base::wire::CONTROL_FREE_PATTERN;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings};

/// The schema of what a client may send as `T`.
pub(crate) fn input_schema<T: JsonSchema>() -> serde_json::Value {
    generator(
        SchemaSettings::draft2020_12()
            .for_deserialize()
            .with_transform(RecursiveTransform(control_free_text)),
    )
    .into_root_schema_for::<T>()
    .into()
}

/// The schema of what the server sends back as `T`.
pub(crate) fn output_schema<T: JsonSchema>() -> serde_json::Value {
    generator(SchemaSettings::draft2020_12().for_serialize())
        .into_root_schema_for::<T>()
        .into()
}

fn generator(settings: SchemaSettings) -> SchemaGenerator {
    settings
        .with_transform(RecursiveTransform(integer_bounds))
        .into_generator()
}

/// Decoding refuses control characters in text (but tabs and line breaks), so every text the
/// client may send says so: a `pattern`, or one more `allOf` entry where the field has its own.
/// A file (`format: binary`) is not text.
fn control_free_text(schema: &mut Schema) {
    let is_text = match schema.get("type") {
        Some(serde_json::Value::String(kind)) => kind == "string",
        Some(serde_json::Value::Array(kinds)) => kinds.iter().any(|kind| kind == "string"),
        _ => false,
    };
    if !is_text
        || schema
            .get("format")
            .is_some_and(|format| format == "binary")
    {
        return;
    }
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let pattern = serde_json::Value::from(CONTROL_FREE_PATTERN);
    if !object.contains_key("pattern") {
        object.insert("pattern".to_owned(), pattern);
    } else if let Some(all_of) = object
        .entry("allOf")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()))
        .as_array_mut()
    {
        all_of.push(serde_json::json!({ "pattern": pattern }));
    }
}

/// schemars names an integer's width only as a `format` (`int32`), which validators ignore;
/// the server refuses `2147483648` for an `i32`, so the schema says `minimum`/`maximum` too.
fn integer_bounds(schema: &mut Schema) {
    let bounds: Option<(serde_json::Value, serde_json::Value)> =
        match schema.get("format").and_then(serde_json::Value::as_str) {
            Some("int8") => Some((i8::MIN.into(), i8::MAX.into())),
            Some("int16") => Some((i16::MIN.into(), i16::MAX.into())),
            Some("int32") => Some((i32::MIN.into(), i32::MAX.into())),
            Some("int64") => Some((i64::MIN.into(), i64::MAX.into())),
            Some("uint8") => Some((0.into(), u8::MAX.into())),
            Some("uint16") => Some((0.into(), u16::MAX.into())),
            Some("uint32") => Some((0.into(), u32::MAX.into())),
            Some("uint64") => Some((0.into(), u64::MAX.into())),
            _ => None,
        };
    let Some((min, max)) = bounds else { return };
    if let Some(object) = schema.as_object_mut() {
        object.entry("minimum").or_insert(min);
        object.entry("maximum").or_insert(max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(JsonSchema)]
    #[allow(dead_code)]
    struct Widths {
        small: i16,
        count: Option<u32>,
        nested: Vec<i64>,
        #[schemars(range(min = 1))]
        positive: i32,
    }

    #[test]
    fn integers_state_their_range() {
        let schema = input_schema::<Widths>();
        let props = &schema["properties"];
        assert_eq!(
            (&props["small"]["minimum"], &props["small"]["maximum"]),
            (&(-32768).into(), &32767.into())
        );
        assert_eq!(
            (&props["count"]["minimum"], &props["count"]["maximum"]),
            (&0.into(), &4_294_967_295_u32.into())
        );
        assert_eq!(props["nested"]["items"]["maximum"], i64::MAX);
        assert_eq!(props["positive"]["minimum"], 1, "a rule's bound wins");
        assert_eq!(props["positive"]["maximum"], i32::MAX);
    }
}
