//! The field rules of `#[field(...)]`, which `#[input]` calls from `ActionInput::validate` and
//! states in the JSON Schema. Each rule applies to a value when it is present: `Option` (and the
//! update flavour's `Option<Option<T>>`) is looked through; `None` passes.

use crate::error::FieldErrors;
use std::fmt::Display;
use std::sync::LazyLock;

/// A field holding text, possibly optional.
pub trait Text {
    /// The text, when present.
    fn text(&self) -> Option<&str>;
    /// The text, to normalize it.
    fn text_mut(&mut self) -> Option<&mut String>;
}

impl Text for String {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
    fn text_mut(&mut self) -> Option<&mut String> {
        Some(self)
    }
}

impl<T: Text> Text for Option<T> {
    fn text(&self) -> Option<&str> {
        self.as_ref().and_then(Text::text)
    }
    fn text_mut(&mut self) -> Option<&mut String> {
        self.as_mut().and_then(Text::text_mut)
    }
}

/// A field with a length: characters of text, items of a list.
pub trait Length {
    /// The length, when present.
    fn length(&self) -> Option<usize>;
}

impl Length for String {
    fn length(&self) -> Option<usize> {
        Some(self.chars().count())
    }
}

impl<T> Length for Vec<T> {
    fn length(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T: Length> Length for Option<T> {
    fn length(&self) -> Option<usize> {
        self.as_ref().and_then(Length::length)
    }
}

/// What a length counts, for messages.
pub trait LengthUnit {
    /// "characters" or "items".
    const UNIT: &'static str;
}

impl LengthUnit for String {
    const UNIT: &'static str = "characters";
}

impl<T> LengthUnit for Vec<T> {
    const UNIT: &'static str = "items";
}

impl<T: LengthUnit> LengthUnit for Option<T> {
    const UNIT: &'static str = T::UNIT;
}

/// A field holding a number, possibly optional.
pub trait Number {
    /// The number's type, which bounds are written in.
    type N: PartialOrd + Copy + Display;
    /// The number, when present.
    fn number(&self) -> Option<Self::N>;
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl Number for $t {
            type N = $t;
            fn number(&self) -> Option<$t> {
                Some(*self)
            }
        }
    )*};
}
numbers!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

impl<T: Number> Number for Option<T> {
    type N = T::N;
    fn number(&self) -> Option<T::N> {
        self.as_ref().and_then(Number::number)
    }
}

/// `trim`: surrounding whitespace removed before any check.
pub fn trim<T: Text>(value: &mut T) {
    if let Some(text) = value.text_mut() {
        // In place: the text keeps its allocation.
        let end = text.trim_end().len();
        text.truncate(end);
        let start = text.len() - text.trim_start().len();
        text.drain(..start);
    }
}

/// `lowercase`: the text lower-cased before any check.
pub fn lowercase<T: Text>(value: &mut T) {
    if let Some(text) = value.text_mut()
        && text.chars().any(char::is_uppercase)
    {
        *text = text.to_lowercase();
    }
}

/// `min_length = n`.
pub fn min_length<T: Length + LengthUnit>(value: &T, min: usize, errors: &mut FieldErrors) {
    if value.length().is_some_and(|len| len < min) {
        errors.add("", format!("must be at least {min} {}", unit(min, T::UNIT)));
    }
}

/// `max_length = n`, and `#[max_length]` columns.
pub fn max_length<T: Length + LengthUnit>(value: &T, max: usize, errors: &mut FieldErrors) {
    if value.length().is_some_and(|len| len > max) {
        errors.add("", format!("must be at most {max} {}", unit(max, T::UNIT)));
    }
}

/// "1 character", "2 characters".
fn unit(n: usize, plural: &'static str) -> &'static str {
    if n == 1 {
        plural.strip_suffix('s').unwrap_or(plural)
    } else {
        plural
    }
}

/// `min = n`.
pub fn min<T: Number>(value: &T, min: T::N, errors: &mut FieldErrors) {
    if value.number().is_some_and(|n| n < min) {
        errors.add("", format!("must be at least {min}"));
    }
}

/// `max = n`.
pub fn max<T: Number>(value: &T, max: T::N, errors: &mut FieldErrors) {
    if value.number().is_some_and(|n| n > max) {
        errors.add("", format!("must be at most {max}"));
    }
}

/// `email`: lower-cased, then checked to be an address as SMTP (RFC 5321) takes it.
pub fn email<T: Text>(value: &mut T, errors: &mut FieldErrors) {
    lowercase(value);
    if value.text().is_some_and(|text| !is_email(text)) {
        errors.add("", "must be an email address");
    }
}

/// An address as RFC 5321 spells one, which is what JSON Schema's `format: email` means: a
/// dot-atom local part (letters, digits and ``!#$%&'*+/=?^_`{|}~-``, dots between), `@`, and a
/// host name of two or more labels (letters, digits, inner hyphens, at most 63 each). No quoted
/// local parts, address literals or comments, no control characters, spaces or non-ASCII
/// (RFC 6531's `idn-email` is another format). The server checks with this very pattern, so the
/// schema and the server cannot disagree.
pub const EMAIL_PATTERN: &str = concat!(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*",
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$",
);

pub(crate) fn is_email(text: &str) -> bool {
    static EMAIL: LazyLock<Option<regex_lite::Regex>> =
        LazyLock::new(|| regex_lite::Regex::new(EMAIL_PATTERN).ok());
    EMAIL.as_ref().is_some_and(|regex| regex.is_match(text))
}

/// `url`: an absolute `http` or `https` URL.
pub fn url<T: Text>(value: &T, errors: &mut FieldErrors) {
    if value.text().is_some_and(|text| !is_url(text)) {
        errors.add("", "must be an http or https URL");
    }
}

/// An `http` or `https` URL as RFC 3986 spells one (what JSON Schema's `format: uri` means): a
/// host (a name or a bracketed IP literal), an optional port, then path, query and fragment of
/// the characters a URI may hold, anything else `%`-escaped with two hex digits.
pub const URL_PATTERN: &str = concat!(
    r"^https?://",
    r"(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?",
    r"(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9._~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})+)",
    r"(?::[0-9]*)?",
    r"(?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)*",
    r"(?:\?(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?",
    r"(?:#(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?$",
);

/// The pattern, then RFC 3986's own grammar (an IP literal the pattern lets through must
/// parse as one).
fn is_url(text: &str) -> bool {
    static URL: LazyLock<Option<regex_lite::Regex>> =
        LazyLock::new(|| regex_lite::Regex::new(URL_PATTERN).ok());
    URL.as_ref().is_some_and(|regex| regex.is_match(text)) && fluent_uri::Uri::parse(text).is_ok()
}

/// `uuid`: the hyphenated form, `8-4-4-4-12` hex digits.
pub fn uuid<T: Text>(value: &T, errors: &mut FieldErrors) {
    if value.text().is_some_and(|text| !is_uuid(text)) {
        errors.add(
            "",
            "must be a UUID like 123e4567-e89b-12d3-a456-426614174000",
        );
    }
}

/// The UUID shape `uuid` accepts, as the JSON Schema's pattern.
pub const UUID_PATTERN: &str =
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// `pattern = "…"`, compiled once per field.
pub fn pattern<T: Text>(
    value: &T,
    regex: &Result<regex_lite::Regex, regex_lite::Error>,
    source: &str,
    errors: &mut FieldErrors,
) {
    if let (Some(text), Ok(regex)) = (value.text(), regex)
        && !regex.is_match(text)
    {
        errors.add("", format!("must match the pattern {source}"));
    }
}

/// Compiles a `pattern`; a bad one is reported when the server is built.
pub fn compile(source: &str) -> Result<regex_lite::Regex, regex_lite::Error> {
    regex_lite::Regex::new(source)
}

/// `one_of("a", "b")`.
pub fn one_of<T: Text>(value: &T, choices: &[&str], errors: &mut FieldErrors) {
    if value.text().is_some_and(|text| !choices.contains(&text)) {
        errors.add("", format!("must be one of: {}", choices.join(", ")));
    }
}

/// A field of a `#[max_length]` column, for [`ColumnMaxLength`] and [`NotText`]: the column's
/// limit applies to text (and lists); any other type is already refused as not fitting the
/// column, so it falls back to the do-nothing impl (autoref specialization) instead of adding
/// a second error.
#[allow(missing_debug_implementations)]
pub struct ColumnText<'a, T>(pub &'a T);

/// The column's `#[max_length]`, on a field with a length.
pub trait ColumnMaxLength {
    /// Checks the limit.
    fn column_max_length(&self, max: usize, errors: &mut FieldErrors);
}

impl<T: Length + LengthUnit> ColumnMaxLength for ColumnText<'_, T> {
    fn column_max_length(&self, max: usize, errors: &mut FieldErrors) {
        max_length(self.0, max, errors);
    }
}

/// Any other field type: nothing to check here.
pub trait NotText {
    /// Does nothing.
    fn column_max_length(&self, max: usize, errors: &mut FieldErrors);
}

impl<T> NotText for &ColumnText<'_, T> {
    fn column_max_length(&self, _: usize, _: &mut FieldErrors) {}
}

/// `custom = path`: `fn(&FieldType) -> Result<(), String>`, the message on failure.
pub fn custom<T>(
    value: &T,
    check: impl FnOnce(&T) -> Result<(), String>,
    errors: &mut FieldErrors,
) {
    if let Err(message) = check(value) {
        errors.server_only(|errors| errors.add("", message));
    }
}

/// A pattern as it applies to a `trim`med field: whitespace around the value is accepted.
pub fn around_whitespace(pattern: &str) -> String {
    match pattern.strip_prefix('^').and_then(|p| p.strip_suffix('$')) {
        Some(inner) => format!(r"^\s*(?:{inner})\s*$"),
        None => pattern.to_owned(),
    }
}

/// The JSON Schema of a `trim`med field with length bounds: lengths count after trimming, which
/// `minLength`/`maxLength` cannot say, so a pattern does.
pub fn trimmed_length_pattern(
    schema: &mut schemars::Schema,
    min: Option<usize>,
    max: Option<usize>,
) {
    let body = match (min.unwrap_or(0), max) {
        (0, None) => return,
        (0, Some(0)) => String::new(),
        (0, Some(1)) => r"\S?".to_owned(),
        (0, Some(max)) => format!(r"(?:\S(?:[\s\S]{{0,{}}}\S)?)?", max - 2),
        (1, None) => r"\S(?:[\s\S]*\S)?".to_owned(),
        (1, Some(1)) => r"\S".to_owned(),
        (1, Some(max)) => format!(r"\S(?:[\s\S]{{0,{}}}\S)?", max - 2),
        (min, None) => format!(r"\S[\s\S]{{{},}}\S", min - 2),
        (min, Some(max)) if max < min => r"[^\s\S]".to_owned(),
        (min, Some(max)) => format!(r"\S[\s\S]{{{},{}}}\S", min - 2, max - 2),
    };
    let pattern = format!(r"^\s*{body}\s*$");
    if !schema.get("type").is_some_and(|t| {
        t == "string"
            || t.as_array()
                .is_some_and(|a| a.iter().any(|v| v == "string"))
    }) {
        return;
    }
    if schema.get("pattern").is_none() {
        schema.insert("pattern".to_owned(), pattern.into());
        return;
    }
    // The field's own pattern (email, url, …) stays; both must match.
    let all_of = schema
        .ensure_object()
        .entry("allOf")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    if let Some(all_of) = all_of.as_array_mut() {
        all_of.push(serde_json::json!({ "pattern": pattern }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: impl FnOnce(&mut FieldErrors)) -> Vec<String> {
        let mut errors = FieldErrors::new();
        f(&mut errors);
        errors
            .iter()
            .flat_map(|(_, messages)| messages.to_vec())
            .collect()
    }

    #[test]
    fn text_rules_look_through_options() {
        let mut value = Some("  Ada@Example.COM ".to_owned());
        trim(&mut value);
        assert!(run(|e| email(&mut value, e)).is_empty());
        assert_eq!(value.as_deref(), Some("ada@example.com"));
        let mut absent: Option<Option<String>> = None;
        assert!(run(|e| email(&mut absent, e)).is_empty(), "absent passes");
        let mut null: Option<Option<String>> = Some(None);
        assert!(run(|e| email(&mut null, e)).is_empty(), "null passes");
        for bad in [
            "ada",
            "ada@example",
            "a da@example.com",
            "ada@@example.com",
            "ada@example..com",
            "@example.com",
        ] {
            let mut value = bad.to_owned();
            assert_eq!(
                run(|e| email(&mut value, e)),
                ["must be an email address"],
                "{bad}"
            );
        }
    }

    #[test]
    fn lengths_count_characters_and_items() {
        assert_eq!(
            run(|e| max_length(&"é".repeat(4), 3, e)),
            ["must be at most 3 characters"]
        );
        assert!(run(|e| max_length(&"é".repeat(3), 3, e)).is_empty());
        assert_eq!(
            run(|e| min_length(&vec![1], 2, e)),
            ["must be at least 2 items"]
        );
        assert!(run(|e| min_length(&None::<String>, 2, e)).is_empty());
    }

    #[test]
    fn numbers_urls_uuids_patterns_choices() {
        assert_eq!(run(|e| min(&Some(0_i64), 1, e)), ["must be at least 1"]);
        assert_eq!(run(|e| max(&2.5_f64, 2.0, e)), ["must be at most 2"]);
        assert!(run(|e| url(&"https://example.com/a?b#c".to_owned(), e)).is_empty());
        for bad in ["example.com", "ftp://x", "https://", "https://exa mple.com"] {
            assert_eq!(run(|e| url(&bad.to_owned(), e)).len(), 1, "{bad}");
        }
        assert!(run(|e| uuid(&"123e4567-e89b-12d3-a456-426614174000".to_owned(), e)).is_empty());
        assert_eq!(
            run(|e| uuid(&"123e4567e89b12d3a456426614174000".to_owned(), e)).len(),
            1
        );
        let regex = compile("^[a-z]+$");
        assert_eq!(
            run(|e| pattern(&"ABC".to_owned(), &regex, "^[a-z]+$", e)),
            ["must match the pattern ^[a-z]+$"]
        );
        assert!(compile("(").is_err());
        assert_eq!(
            run(|e| one_of(&"x".to_owned(), &["a", "b"], e)),
            ["must be one of: a, b"]
        );
    }

    #[test]
    fn trimmed_lengths_as_patterns() {
        let pattern = |min, max| {
            let mut schema = schemars::json_schema!({"type": "string"});
            trimmed_length_pattern(&mut schema, min, max);
            compile(
                schema
                    .get("pattern")
                    .and_then(|p| p.as_str())
                    .unwrap_or(".*"),
            )
            .unwrap()
        };
        let samples = [
            "", " ", "a", " a ", "ab", "  a b  ", "abc", " abcd ", "a\tb", "\n abc\n",
        ];
        for (min, max) in [
            (None, Some(0)),
            (None, Some(1)),
            (None, Some(3)),
            (Some(1), None),
            (Some(1), Some(1)),
            (Some(1), Some(3)),
            (Some(2), None),
            (Some(2), Some(3)),
            (Some(3), Some(2)),
        ] {
            let regex = pattern(min, max);
            for sample in samples {
                let len = sample.trim().chars().count();
                let expected = min.is_none_or(|m| len >= m) && max.is_none_or(|m| len <= m);
                assert_eq!(
                    regex.is_match(sample),
                    expected,
                    "{min:?}..{max:?} on {sample:?}"
                );
            }
        }
        assert_eq!(around_whitespace("^a+$"), r"^\s*(?:a+)\s*$");
        assert_eq!(around_whitespace("a+"), "a+");
    }

    /// What a fuzz of the published schemas found the server storing.
    #[test]
    fn formats_refuse_what_rfcs_refuse() {
        for bad in ["a@b.co\u{0}", "a\u{1}b@c.co", "a(b@c.co", "a@-b.co"] {
            assert!(!is_email(bad), "{bad:?}");
        }
        for good in ["a@b.co", "o'hara+tag@x-y.example", "x@y.z.w"] {
            assert!(is_email(good), "{good:?}");
        }
        for bad in [
            "https://a\u{1}b/\u{0}",
            "http://[::1",
            "https://a%zz",
            "http://[zz]/",
            "http://[::1::2]/",
        ] {
            assert!(!is_url(bad), "{bad:?}");
        }
        for good in ["http://a", "http://[::1]:8080/p", "https://a.b/c?d=%20#e"] {
            assert!(is_url(good), "{good:?}");
        }
    }

    #[test]
    fn schema_patterns_agree_with_the_checks() {
        let check = |pattern: &str, f: fn(&str) -> bool, samples: &[&str]| {
            let regex = compile(pattern).unwrap();
            for sample in samples {
                assert_eq!(regex.is_match(sample), f(sample), "{pattern} on {sample:?}");
            }
        };
        let emails = [
            "a@b.co",
            "ada@example.com",
            "a@b",
            "a b@c.d",
            "a@b..c",
            "@b.c",
            "a@.b",
            "a@b.c.",
            "a@@b.c",
            "x@y.z.w",
            "a.b@c.d",
            "a@b.c@d",
            "a@",
            "a@.",
            "é@é.é",
            "",
            "a@b.co\u{0}",
            "a\u{1}b@c.co",
            "a(b@c.co",
            "a@-b.co",
            "a@b-.co",
            ".a@b.co",
            "a.@b.co",
            "a..b@c.co",
            "o'hara+tag@x-y.example",
            "\"a b\"@c.co",
            "a@[127.0.0.1]",
        ];
        check(EMAIL_PATTERN, is_email, &emails);
        let urls = [
            "http://a",
            "https://a.b/c?d#e",
            "https://",
            "ftp://a",
            "http:// a",
            "https://a b",
            "http://?x",
            "https:///x",
            "https://a\u{1}b/\u{0}",
            "http://[::1",
            "http://[::1]:8080/p",
            "https://a%zz",
            "https://a%20b.com/%7e?x=%41",
            "https://user:pw@ex.com:443/a/b?c=d&e=f#g",
            "https://ex.com/a b",
            "https://ex.com/<x>",
        ];
        check(URL_PATTERN, is_url, &urls);
        let uuids = [
            "123e4567-e89b-12d3-a456-426614174000",
            "123E4567-E89B-12D3-A456-426614174000",
            "123e4567e89b12d3a456426614174000",
            "g23e4567-e89b-12d3-a456-426614174000",
            "",
        ];
        check(UUID_PATTERN, is_uuid, &uuids);
    }
}
