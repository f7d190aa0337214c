//! `application/json` bodies, parsed once into the tree inputs decode from. Strings without
//! escapes are borrowed from the body; a key sent twice is kept twice, for the input to refuse
//! on that field.

use crate::base::wire::Node;
use crate::error::ActionError;
use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// Parses a JSON body.
///
/// UTF-8 is checked only once parsing failed: serde_json validates every string it reads, and
/// a non-ASCII byte anywhere else is a syntax error, so a body that parses is valid UTF-8.
pub(crate) fn parse(bytes: &[u8]) -> Result<Node<'_>, ActionError> {
    let bytes = without_bom(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ActionError::bad_request(
            "malformed JSON: the request body is empty; send a JSON value (`{}` for no input)",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = Tree::deserialize(&mut deserializer).and_then(|Tree(node)| {
        deserializer.end()?;
        Ok(node)
    });
    parsed.map_err(|error| match std::str::from_utf8(bytes) {
        Err(utf8) => ActionError::bad_request(format!(
            "the request body is not valid UTF-8 (invalid byte at offset {})",
            utf8.valid_up_to()
        )),
        Ok(_) => ActionError::bad_request(format!("malformed JSON: {error}")),
    })
}

/// JSON without the UTF-8 byte order mark some clients (.NET, PowerShell) put first: RFC 8259
/// lets a parser ignore it, and a client that sent it means the JSON after it.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// One JSON value as a tree node.
struct Tree<'de>(Node<'de>);

impl<'de> Deserialize<'de> for Tree<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Tree<'de>, D::Error> {
        deserializer.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node<'de>, E> {
        Ok(Node::U64(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Node<'de>, E> {
        Ok(Node::I64(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Node<'de>, E> {
        Ok(Node::F64(value))
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Borrowed(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E>(self, value: String) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(value)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let Tree(value) = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Node::Object(entries))
    }
}

/// A key, borrowed from the body when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(value))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::base::wire::Node;

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let Node::Object(entries) = parse(b"\xEF\xBB\xBF{\"a\": 1}").expect("parses") else {
            panic!("an object");
        };
        assert_eq!(entries.len(), 1);
    }

    #[test]
    fn an_empty_body_is_named() {
        for body in [&b""[..], b"  \n", b"\xEF\xBB\xBF"] {
            let error = parse(body).expect_err("refused");
            assert!(
                error.message().contains("the request body is empty"),
                "{body:?}"
            );
        }
    }

    #[test]
    fn repeated_keys_are_kept_for_the_input_to_judge() {
        let Node::Object(entries) = parse(br#"{"a": 1, "a": 2}"#).expect("parses") else {
            panic!("an object");
        };
        assert_eq!(entries.len(), 2);
    }
}
