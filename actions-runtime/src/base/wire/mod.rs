//! The body as decoding sees it: parsed once into a [`Node`] tree (by the input stage, from
//! JSON or a form), then read by each input's decoder through [`NodeDeserializer`], which
//! reports every failure as a typed [`DecodeError`] with its path.
//!
//! It lives in the bottom layer because [`ActionInput::decode`](super::ActionInput::decode)
//! takes a [`Payload`] and its default reads one through serde.

mod de;
mod error;
mod node;

pub(crate) use de::{FILE_TOKEN, Label, NodeDeserializer, list_items, not_an_object};
pub use error::DecodeError;
pub use node::Payload;
pub(crate) use node::{FilePart, Mode, Node};

use crate::error::FieldErrors;
use serde::de::DeserializeOwned;

/// Whether text may not hold `c`: a control character (Unicode `Cc`) other than a tab or a line
/// break. Text fields refuse them when decoding (a NUL or an escape sequence in a name is never
/// meant), and the input's JSON Schema says so with [`CONTROL_FREE_PATTERN`].
pub(crate) fn is_refused_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The JSON Schema `pattern` of text without [refused control characters](is_refused_control).
pub(crate) const CONTROL_FREE_PATTERN: &str = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$";

/// Reads `payload` as `T` through `T`'s own `Deserialize`, recording its failure (the first
/// one: serde stops there) at its path.
pub(crate) fn deserialize<T: DeserializeOwned>(
    payload: Payload<'_>,
    errors: &mut FieldErrors,
) -> Option<T> {
    T::deserialize(NodeDeserializer::new(payload))
        .map_err(|error| error.record(errors))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::{CONTROL_FREE_PATTERN, is_refused_control};

    #[test]
    fn the_pattern_refuses_exactly_the_refused_controls() {
        let regex = regex_lite::Regex::new(CONTROL_FREE_PATTERN).unwrap();
        for c in (0..0x300)
            .filter_map(char::from_u32)
            .chain(['\u{2028}', '\u{feff}'])
        {
            assert_eq!(
                regex.is_match(&format!("a{c}b")),
                !is_refused_control(c),
                "{:?}",
                c
            );
        }
        assert!(is_refused_control('\0') && is_refused_control('\u{7f}'));
        assert!(
            !is_refused_control('\t') && !is_refused_control('\n') && !is_refused_control('\r')
        );
    }
}
