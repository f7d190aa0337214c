//! `application/x-www-form-urlencoded` with strict UTF-8: a body that does not decode to UTF-8
//! is refused rather than silently patched with replacement characters.

use super::Part;
use crate::error::ActionError;
use percent_encoding::percent_decode;
use std::borrow::Cow;

/// The body's `key=value` pairs, in order.
pub(crate) fn parse(body: &[u8]) -> Result<Vec<(String, Part)>, ActionError> {
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = match pair.iter().position(|&b| b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &b""[..]),
            };
            let key = decode(key)?;
            let value = decode(value).map_err(|_| {
                ActionError::field(key.clone(), "is not valid UTF-8 once percent-decoded")
            })?;
            Ok((key, Part::Text(value)))
        })
        .collect()
}

fn decode(raw: &[u8]) -> Result<String, ActionError> {
    let plus_as_space: Cow<'_, [u8]> = if raw.contains(&b'+') {
        Cow::Owned(
            raw.iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect(),
        )
    } else {
        Cow::Borrowed(raw)
    };
    percent_decode(&plus_as_space)
        .decode_utf8()
        .map(Cow::into_owned)
        .map_err(|_| {
            ActionError::bad_request("the form body is not valid UTF-8 once percent-decoded")
        })
}
