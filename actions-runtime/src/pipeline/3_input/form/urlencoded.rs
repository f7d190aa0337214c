//! `application/x-www-form-urlencoded` with strict UTF-8: a body that does not decode to UTF-8
//! is refused rather than silently patched with replacement characters, which is what
//! `form_urlencoded` (and so serde_html_form and serde_urlencoded, built on it) does. Text
//! without escapes is borrowed from the body.

use crate::base::wire::Node;
use crate::error::ActionError;
use percent_encoding::percent_decode;
use std::borrow::Cow;

/// The body's `key=value` pairs, in order.
pub(crate) fn parse(body: &[u8]) -> Result<Vec<(Cow<'_, str>, Node<'_>)>, ActionError> {
    let mut pairs = Vec::with_capacity(body.iter().filter(|&&b| b == b'&').count() + 1);
    for pair in body.split(|&b| b == b'&').filter(|pair| !pair.is_empty()) {
        let (key, value) = match pair.iter().position(|&b| b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &b""[..]),
        };
        let key = decode(key).ok_or_else(|| {
            ActionError::bad_request("the form body is not valid UTF-8 once percent-decoded")
        })?;
        let value = decode(value).ok_or_else(|| {
            ActionError::field(key.clone(), "is not valid UTF-8 once percent-decoded")
        })?;
        pairs.push((key, Node::Str(value)));
    }
    Ok(pairs)
}

fn decode(raw: &[u8]) -> Option<Cow<'_, str>> {
    if !raw.contains(&b'+') {
        return percent_decode(raw).decode_utf8().ok();
    }
    // `+` is a space, and `%2B` a plus: spaces first, then escapes.
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    let decoded = match Cow::from(percent_decode(&plus_as_space)) {
        Cow::Borrowed(_) => plus_as_space,
        Cow::Owned(decoded) => decoded,
    };
    String::from_utf8(decoded).ok().map(Cow::Owned)
}
