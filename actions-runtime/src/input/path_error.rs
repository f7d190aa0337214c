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
    let mut text = message.to_owned();
    if let Some(field) = quoted_after(message, "missing field ") {
        location = join(&location, field);
        text = "is required".to_owned();
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
