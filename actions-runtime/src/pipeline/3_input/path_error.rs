//! serde errors as field errors keyed by full path (`items.2.name`), shared by the JSON and
//! form decoders.

use crate::error::{ActionError, FieldErrors};
use serde_path_to_error::{Path, Segment};

/// The dotted path of a serde path: map keys and array indices alike.
pub(crate) fn dotted(path: &Path) -> String {
    let mut out = String::new();
    for segment in path.iter() {
        let piece = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => "?".to_owned(),
        };
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&piece);
    }
    out
}

/// `400 BAD_REQUEST` for a serde data error at `path`.
///
/// "missing field `x`" and "unknown field `x`" are reported on `x` itself, so a client can
/// show the message next to the right input.
pub(crate) fn to_action_error(path: &Path, message: &str) -> ActionError {
    let mut location = dotted(path);
    let mut text = in_wire_words(message);
    if let Some(field) = quoted_after(message, "missing field ") {
        location = join(&location, field);
        text = "is required".to_owned();
    } else if let Some(field) = quoted_after(message, "duplicate field ") {
        location = join(&location, field);
        text = "is given more than once".to_owned();
    } else if let Some(field) = quoted_after(message, "unknown field ") {
        if !location.ends_with(field) {
            location = join(&location, field);
        }
        text = match message.split_once(", ") {
            Some((_, expected)) => format!("unknown field; {expected}"),
            None => "unknown field".to_owned(),
        };
    }
    if location.is_empty() {
        return ActionError::bad_request(format!("invalid input: {text}"));
    }
    let mut fields = FieldErrors::new();
    fields.add_at_path(location, text);
    ActionError::invalid_input(fields)
}

/// The name in "prefix`name`…".
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(name, _)| name)
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// serde's message in the words of JSON, for the front-end developer reading it: Rust type
/// names become what the JSON Schema says (`expected u8` → `expected an integer from 0 to 255`,
/// `floating point` → `number`, `sequence` → `list`, `map` → `object`).
pub(crate) fn in_wire_words(message: &str) -> String {
    let Some((found, expected)) = message.rsplit_once(", expected ") else {
        return message.to_owned();
    };
    let expected = match expected {
        "i8" => "an integer from -128 to 127",
        "i16" => "an integer from -32768 to 32767",
        "i32" => "an integer from -2147483648 to 2147483647",
        "i64" | "i128" | "isize" => "an integer",
        "u8" => "an integer from 0 to 255",
        "u16" => "an integer from 0 to 65535",
        "u32" => "an integer from 0 to 4294967295",
        "u64" | "u128" | "usize" => "an integer of at least 0",
        "f32" | "f64" => "a number",
        "a sequence" => "a list",
        "a map" => "an object",
        other => other,
    };
    let found = [
        (": floating point ", ": number "),
        (": sequence", ": list"),
        (": map", ": object"),
        (": unit value", ": null"),
    ]
    .iter()
    .fold(found.to_owned(), |found, (serde, json)| {
        match found.split_once(serde) {
            Some((head, tail)) if head.starts_with("invalid ") && !head.contains(':') => {
                format!("{head}{json}{tail}")
            }
            _ => found,
        }
    });
    format!("{found}, expected {expected}")
}

#[cfg(test)]
mod tests {
    use super::in_wire_words;

    #[test]
    fn rust_type_names_become_json_words() {
        for (serde, wire) in [
            (
                "invalid type: floating point `1.5`, expected i64",
                "invalid type: number `1.5`, expected an integer",
            ),
            (
                "invalid value: integer `300`, expected u8",
                "invalid value: integer `300`, expected an integer from 0 to 255",
            ),
            (
                "invalid type: string \"two\", expected u32",
                "invalid type: string \"two\", expected an integer from 0 to 4294967295",
            ),
            (
                "invalid type: sequence, expected a map",
                "invalid type: list, expected an object",
            ),
            (
                "invalid type: map, expected a sequence",
                "invalid type: object, expected a list",
            ),
            (
                "invalid type: null, expected f64",
                "invalid type: null, expected a number",
            ),
            // Not serde's wording: left alone.
            ("must be at least 1", "must be at least 1"),
            (
                "invalid type: string \"a map, expected x\", expected a string",
                "invalid type: string \"a map, expected x\", expected a string",
            ),
        ] {
            assert_eq!(in_wire_words(serde), wire, "{serde}");
        }
    }
}
