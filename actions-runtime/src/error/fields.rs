//! Input errors keyed by the full path of the field: `title`, `author.email`, `items.2.name`.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Display;

/// The most fields an answer names (and the most messages it gives one field).
const MAX_REPORTED: usize = 100;

/// Every failing field of an input, each with its messages. Paths are dotted, array indices
/// included (`items.2.name`), the same names a form uses for nested fields.
///
/// At most 100 fields are named, the first in the order the checks found them.
///
/// Validation code adds errors relative to where it is: [`FieldErrors::nested`] enters a field,
/// so a nested type's rules need not know where the type sits.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors {
    errors: BTreeMap<String, Vec<String>>,
    prefix: String,
    /// Inside [`FieldErrors::server_only`].
    server_only: bool,
    /// How many messages came from rules the input's JSON Schema states.
    declared: u32,
}

impl PartialEq for FieldErrors {
    fn eq(&self, other: &FieldErrors) -> bool {
        self.errors == other.errors
    }
}

impl Eq for FieldErrors {}

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    /// Records `message` for `field`, relative to the current position.
    pub fn add(&mut self, field: impl Display, message: impl Into<String>) {
        let mut path = self.prefix.clone();
        push_segment(&mut path, field);
        self.record(path, message.into());
    }

    /// Records `message` for the full `path`, ignoring the current position.
    pub fn add_at_path(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.record(path.into(), message.into());
    }

    fn record(&mut self, path: String, message: String) {
        if !self.server_only {
            self.declared += 1;
        }
        // A hostile body (an object of 10,000 unknown keys) must not make an answer a thousand
        // times its size: past the cap, further fields are left out; each field keeps at most
        // as many messages.
        if self.errors.len() >= MAX_REPORTED && !self.errors.contains_key(&path) {
            return;
        }
        let messages = self.errors.entry(path).or_default();
        if messages.len() < MAX_REPORTED {
            messages.push(message);
        }
    }

    /// Runs `f` as a check the JSON Schema cannot state (a `custom` rule, a cross-field
    /// `validate` hook): its errors reach the client alike, but the input contract knows a
    /// schema-valid body may still fail them.
    #[doc(hidden)]
    pub fn server_only<R>(&mut self, f: impl FnOnce(&mut FieldErrors) -> R) -> R {
        let saved = std::mem::replace(&mut self.server_only, true);
        let result = f(self);
        self.server_only = saved;
        result
    }

    /// Whether any error came from a rule the JSON Schema states (decoding included).
    #[cfg(feature = "testing")]
    pub(crate) fn has_declared(&self) -> bool {
        self.declared > 0
    }

    /// Runs `f` positioned inside `segment` (a field name or an array index).
    pub fn nested<R>(&mut self, segment: impl Display, f: impl FnOnce(&mut FieldErrors) -> R) -> R {
        let saved = self.prefix.len();
        push_segment(&mut self.prefix, segment);
        self.inside(saved, f)
    }

    /// [`nested`](Self::nested) in a field, without formatting: what decoding calls for every
    /// field of a body.
    pub(crate) fn nested_field<R>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut FieldErrors) -> R,
    ) -> R {
        let saved = self.prefix.len();
        if !name.is_empty() {
            if saved > 0 {
                self.prefix.push('.');
            }
            self.prefix.push_str(name);
        }
        self.inside(saved, f)
    }

    /// Runs `f` at the position just entered, then leaves it for the one `saved` long. The
    /// position grows and shrinks in one buffer, so entering a field allocates nothing once the
    /// buffer has room: that matters on the path of every body that decodes.
    fn inside<R>(&mut self, saved: usize, f: impl FnOnce(&mut FieldErrors) -> R) -> R {
        let result = f(self);
        self.prefix.truncate(saved);
        result
    }

    /// Whether no error was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many fields failed.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// The messages of one field, by full path.
    pub fn get(&self, path: &str) -> Option<&[String]> {
        self.errors.get(path).map(Vec::as_slice)
    }

    /// Every failing field and its messages, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.errors
            .iter()
            .map(|(path, messages)| (path.as_str(), messages.as_slice()))
    }

    /// Adds every error of `other`.
    pub fn merge(&mut self, other: FieldErrors) {
        if !self.server_only {
            self.declared += other.declared;
        }
        for (path, messages) in other.errors {
            self.errors.entry(path).or_default().extend(messages);
        }
    }

    /// `Ok(())` when empty, otherwise the `400 BAD_REQUEST` naming every field.
    pub fn into_result(self) -> Result<(), super::ActionError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(super::ActionError::invalid_input(self))
        }
    }
}

/// `path.segment`; an empty segment leaves `path` as it is, and an empty `path` takes the segment
/// alone.
fn push_segment(path: &mut String, segment: impl Display) {
    use std::fmt::Write as _;
    let start = path.len();
    if start > 0 {
        path.push('.');
    }
    let mark = path.len();
    // Writing to a `String` cannot fail.
    let _ = write!(path, "{segment}");
    if path.len() == mark {
        path.truncate(start);
    }
}

impl Serialize for FieldErrors {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.errors.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::FieldErrors;

    #[test]
    fn server_only_errors_are_told_apart() {
        let mut errors = FieldErrors::new();
        errors.server_only(|errors| {
            errors.add("to", "must be another account than `from`");
            let mut elsewhere = FieldErrors::new();
            elsewhere.add("from", "built outside, merged inside");
            errors.merge(elsewhere);
        });
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors.declared, 0,
            "every message came from a server-only check"
        );
        errors.nested("amount", |errors| errors.add("", "must be at least 1"));
        assert_eq!(errors.declared, 1, "a schema-stated rule counts");
        assert!(!errors.server_only, "the scope ends with the closure");
    }

    #[test]
    fn empty_segments_leave_the_position() {
        let mut errors = FieldErrors::new();
        errors.add("", "the whole body");
        errors.nested("", |errors| errors.add("a", "top level"));
        errors.nested_field("items", |errors| {
            errors.nested(10, |errors| errors.nested_field("", |e| e.add("", "item")));
            errors.nested(0, |errors| errors.nested("", |e| e.add("name", "first")));
        });
        let paths: Vec<_> = errors.iter().map(|(path, _)| path).collect();
        assert_eq!(paths, ["", "a", "items.0.name", "items.10"]);
    }

    #[test]
    fn nested_paths() {
        let mut errors = FieldErrors::new();
        errors.add("title", "is required");
        errors.nested("items", |errors| {
            errors.nested(2, |errors| errors.add("name", "too long"));
            errors.add("", "too many");
        });
        errors.add("title", "too short");
        let pairs: Vec<_> = errors.iter().collect();
        assert_eq!(
            pairs,
            [
                ("items", &["too many".to_owned()][..]),
                ("items.2.name", &["too long".to_owned()][..]),
                (
                    "title",
                    &["is required".to_owned(), "too short".to_owned()][..]
                ),
            ]
        );
    }
}
