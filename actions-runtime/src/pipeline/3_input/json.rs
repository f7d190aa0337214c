//! `application/json` bodies.

use super::path_error;
use super::strict::Strict;
use crate::error::ActionError;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

/// Decodes a JSON body into `T`, naming the failing field by its full path.
///
/// UTF-8 is checked only once decoding failed: serde_json validates every string it reads, and
/// a non-ASCII byte anywhere else is a syntax error, so a body that decodes is valid UTF-8.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ActionError> {
    let bytes = without_bom(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ActionError::bad_request(
            "malformed JSON: the request body is empty; send a JSON value (`{}` for no input)",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let decoded = serde_path_to_error::deserialize(Strict(&mut deserializer)).map_err(|error| {
        let inner = error.inner();
        match inner.classify() {
            // Decoding streams, so a type error can come before a syntax error further on;
            // a body that is not JSON at all is reported as such.
            Category::Data => match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                Err(syntax) => malformed(&syntax),
                Ok(_) => {
                    path_error::to_action_error(error.path(), &strip_position(&inner.to_string()))
                }
            },
            Category::Syntax | Category::Eof | Category::Io => malformed(inner),
        }
    });
    let ended = decoded.and_then(|value| {
        deserializer.end().map_err(|error| malformed(&error))?;
        Ok(value)
    });
    ended.map_err(|error| match std::str::from_utf8(bytes) {
        Err(utf8) => ActionError::bad_request(format!(
            "the request body is not valid UTF-8 (invalid byte at offset {})",
            utf8.valid_up_to()
        )),
        Ok(_) => error,
    })
}

/// Decodes an input; when that fails on the data (not the syntax), asks the input type for every
/// failure at once.
pub(crate) fn decode_input<I: crate::base::ActionInput>(bytes: &[u8]) -> Result<I, ActionError> {
    decode::<I>(bytes).map_err(|first| {
        if first.fields().is_empty() && first.message().starts_with("malformed JSON") {
            return first;
        }
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(without_bom(bytes)) else {
            return first;
        };
        let mut errors = crate::error::FieldErrors::new();
        I::decode_errors(&value, &mut errors);
        // A failure of the body as a whole names no field: the decoder's own message says it.
        if errors.is_empty() || errors.get("").is_some() {
            first
        } else {
            ActionError::invalid_input(errors)
        }
    })
}

/// JSON without the UTF-8 byte order mark some clients (.NET, PowerShell) put first: RFC 8259
/// lets a parser ignore it, and a client that sent it means the JSON after it.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn malformed(error: &serde_json::Error) -> ActionError {
    ActionError::bad_request(format!("malformed JSON: {error}"))
}

/// serde_json ends data errors with " at line L column C"; the field path says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at)
            if message[at + 9..]
                .split(" column ")
                .all(|n| n.parse::<u64>().is_ok()) =>
        {
            message[..at].to_owned()
        }
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::decode;
    use serde_json::Value;

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let value: Value = decode(b"\xEF\xBB\xBF{\"a\": 1}").expect("decodes");
        assert_eq!(value["a"], 1);
    }

    #[test]
    fn an_empty_body_is_named() {
        for body in [&b""[..], b"  \n", b"\xEF\xBB\xBF"] {
            let error = decode::<Value>(body).expect_err("refused");
            assert!(
                error.message().contains("the request body is empty"),
                "{body:?}"
            );
        }
    }
}
