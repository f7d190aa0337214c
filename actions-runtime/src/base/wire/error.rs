//! Why a value did not decode, as typed data: what was found, what was expected, where. The
//! message a client reads is written from this data, in the words of JSON (`a list`, `an
//! object`, `an integer from 0 to 255`), never parsed back out of another message.

use crate::error::FieldErrors;
use std::fmt;

/// A value that did not decode, and the path to it (innermost segment last once complete).
#[derive(Debug)]
pub struct DecodeError {
    problem: Problem,
    /// Segments from the failing value outwards, as the error travels up.
    path: Vec<String>,
}

/// What went wrong.
#[derive(Debug)]
pub(crate) enum Problem {
    /// A value of another type than the one asked for.
    InvalidType(Found, Expected),
    /// A value of the right type but out of range or form.
    InvalidValue(Found, Expected),
    /// A list of the wrong length.
    InvalidLength(usize, String),
    /// A variant the enum does not have.
    UnknownVariant(String, &'static [&'static str]),
    /// A key the struct does not have.
    UnknownField(String, &'static [&'static str]),
    /// A field the body does not have; the name when the struct reports it.
    Missing(Option<&'static str>),
    /// A key sent twice.
    Duplicate(&'static str),
    /// What a form's text cannot be read as.
    Form(FormProblem),
    /// Text with a control character other than a tab or a line break.
    Control,
    /// The decoded type's own message (a date that does not parse, say).
    Custom(String),
}

/// What a form field should have held: what its text or shape cannot be read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormProblem {
    Boolean,
    Integer,
    Number,
    /// Text where a group of dotted fields is expected.
    Group,
    /// A group of dotted fields where one value is expected.
    Single,
    /// A dotted segment that is not a list index.
    Index,
    /// A file where a value is expected.
    Value,
    /// A value where a file is expected.
    File,
    /// One field sent several times where one value is expected.
    Repeated,
}

/// The value found, in JSON's words.
#[derive(Debug, Clone)]
pub(crate) enum Found {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Char(char),
    Str(String),
    Bytes,
    List,
    Object,
    File,
    /// serde's name for what a visitor was handed (`unit variant`, `newtype struct`, …).
    Other(String),
}

/// The value asked for, in JSON's words.
#[derive(Debug, Clone)]
pub(crate) enum Expected {
    Int(IntKind),
    Number,
    Boolean,
    List,
    Object,
    /// One of the variants of an enum.
    Variants(&'static [&'static str]),
    /// What the decoding type says it expects.
    Described(String),
}

/// The integer widths, each with the range its JSON Schema states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntKind {
    I8,
    I16,
    I32,
    I64,
    I128,
    U8,
    U16,
    U32,
    U64,
    U128,
}

impl IntKind {
    /// The smallest and largest value.
    pub(crate) fn range(self) -> (i128, i128) {
        match self {
            IntKind::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntKind::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntKind::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntKind::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntKind::I128 => (i128::MIN, i128::MAX),
            IntKind::U8 => (0, u8::MAX.into()),
            IntKind::U16 => (0, u16::MAX.into()),
            IntKind::U32 => (0, u32::MAX.into()),
            IntKind::U64 => (0, u64::MAX.into()),
            IntKind::U128 => (0, i128::MAX),
        }
    }
}

impl DecodeError {
    pub(crate) fn new(problem: Problem) -> DecodeError {
        DecodeError {
            problem,
            path: Vec::new(),
        }
    }

    pub(crate) fn invalid_type(found: Found, expected: Expected) -> DecodeError {
        DecodeError::new(Problem::InvalidType(found, expected))
    }

    pub(crate) fn form(problem: FormProblem) -> DecodeError {
        DecodeError::new(Problem::Form(problem))
    }

    pub(crate) fn control() -> DecodeError {
        DecodeError::new(Problem::Control)
    }

    pub(crate) fn missing() -> DecodeError {
        DecodeError::new(Problem::Missing(None))
    }

    /// The error, one level further out: inside `segment`.
    pub(crate) fn inside(mut self, segment: impl fmt::Display) -> DecodeError {
        self.path.push(segment.to_string());
        self
    }

    /// Records the error in `errors`, at its path relative to their position.
    pub(crate) fn record(self, errors: &mut FieldErrors) {
        let field = match &self.problem {
            Problem::UnknownField(field, _) => Some(field.as_str()),
            Problem::Missing(Some(field)) | Problem::Duplicate(field) => Some(*field),
            _ => None,
        };
        let mut path = String::new();
        for segment in self.path.iter().rev().map(String::as_str).chain(field) {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(segment);
        }
        errors.add(path, self.to_string());
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            Problem::InvalidType(found, expected) => {
                write!(f, "invalid type: {found}, expected {expected}")
            }
            Problem::InvalidValue(found, expected) => {
                write!(f, "invalid value: {found}, expected {expected}")
            }
            Problem::InvalidLength(len, expected) => {
                write!(f, "invalid length {len}, expected {expected}")
            }
            Problem::UnknownVariant(variant, []) => {
                write!(f, "unknown variant `{variant}`, there are no variants")
            }
            Problem::UnknownVariant(variant, names) => {
                write!(f, "unknown variant `{variant}`, expected {}", OneOf(names))
            }
            Problem::UnknownField(_, []) => f.write_str("unknown field; there are no fields"),
            Problem::UnknownField(_, names) => {
                write!(f, "unknown field; expected {}", OneOf(names))
            }
            Problem::Missing(_) => f.write_str("is required"),
            Problem::Duplicate(_) => f.write_str("is given more than once"),
            Problem::Form(problem) => f.write_str(problem.message()),
            Problem::Control => f.write_str(
                "must not contain control characters (tabs and line breaks are allowed)",
            ),
            Problem::Custom(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DecodeError {}

impl FormProblem {
    fn message(self) -> &'static str {
        match self {
            FormProblem::Boolean => "expected a boolean (true or false)",
            FormProblem::Integer => "expected an integer",
            FormProblem::Number => "expected a number",
            FormProblem::Group => {
                "expected a group of fields (name them with dots, like `field.name`)"
            }
            FormProblem::Single => "expected a single value, not a group of fields",
            FormProblem::Index => "expected an array index",
            FormProblem::Value => "expected a value, not a file",
            FormProblem::File => "expected a file upload (send the form as multipart/form-data)",
            FormProblem::Repeated => "is given more than once",
        }
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Null => f.write_str("null"),
            Found::Bool(value) => write!(f, "boolean `{value}`"),
            Found::Unsigned(value) => write!(f, "integer `{value}`"),
            Found::Signed(value) => write!(f, "integer `{value}`"),
            // As JSON writes it (`1.0`, `1e+20`): serde_json's own float formatting.
            Found::Float(value) => match serde_json::Number::from_f64(*value) {
                Some(number) => write!(f, "number `{number}`"),
                None => write!(f, "number `{value}`"),
            },
            Found::Char(value) => write!(f, "character `{value}`"),
            Found::Str(value) => write!(f, "string {value:?}"),
            Found::Bytes => f.write_str("byte array"),
            Found::List => f.write_str("list"),
            Found::Object => f.write_str("object"),
            Found::File => f.write_str("a file upload"),
            Found::Other(what) => f.write_str(what),
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Int(kind) => f.write_str(match kind {
                IntKind::I8 => "an integer from -128 to 127",
                IntKind::I16 => "an integer from -32768 to 32767",
                IntKind::I32 => "an integer from -2147483648 to 2147483647",
                IntKind::I64 | IntKind::I128 => "an integer",
                IntKind::U8 => "an integer from 0 to 255",
                IntKind::U16 => "an integer from 0 to 65535",
                IntKind::U32 => "an integer from 0 to 4294967295",
                IntKind::U64 | IntKind::U128 => "an integer of at least 0",
            }),
            Expected::Number => f.write_str("a number"),
            Expected::Boolean => f.write_str("a boolean"),
            Expected::List => f.write_str("a list"),
            Expected::Object => f.write_str("an object"),
            Expected::Variants([]) => f.write_str("an enum with no variants"),
            Expected::Variants(names) => write!(f, "{}", OneOf(names)),
            Expected::Described(text) => f.write_str(text),
        }
    }
}

/// `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``: serde's way of listing names.
struct OneOf<'a>(&'a [&'static str]);

impl fmt::Display for OneOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [one] => write!(f, "`{one}`"),
            [a, b] => write!(f, "`{a}` or `{b}`"),
            names => {
                f.write_str("one of ")?;
                for (index, name) in names.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "`{name}`")?;
                }
                Ok(())
            }
        }
    }
}

/// serde's constructors, captured as data: a decoded type's complaint keeps its structure.
impl serde::de::Error for DecodeError {
    fn custom<T: fmt::Display>(message: T) -> DecodeError {
        DecodeError::new(Problem::Custom(message.to_string()))
    }

    fn invalid_type(found: serde::de::Unexpected<'_>, expected: &dyn serde::de::Expected) -> Self {
        DecodeError::invalid_type(
            Found::from(found),
            Expected::Described(expected.to_string()),
        )
    }

    fn invalid_value(found: serde::de::Unexpected<'_>, expected: &dyn serde::de::Expected) -> Self {
        DecodeError::new(Problem::InvalidValue(
            Found::from(found),
            Expected::Described(expected.to_string()),
        ))
    }

    fn invalid_length(len: usize, expected: &dyn serde::de::Expected) -> Self {
        DecodeError::new(Problem::InvalidLength(len, expected.to_string()))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DecodeError::new(Problem::UnknownVariant(variant.to_owned(), expected))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DecodeError::new(Problem::UnknownField(field.to_owned(), expected))
    }

    fn missing_field(field: &'static str) -> Self {
        DecodeError::new(Problem::Missing(Some(field)))
    }

    fn duplicate_field(field: &'static str) -> Self {
        DecodeError::new(Problem::Duplicate(field))
    }
}

impl From<serde::de::Unexpected<'_>> for Found {
    fn from(found: serde::de::Unexpected<'_>) -> Found {
        use serde::de::Unexpected;
        match found {
            Unexpected::Bool(value) => Found::Bool(value),
            Unexpected::Unsigned(value) => Found::Unsigned(value),
            Unexpected::Signed(value) => Found::Signed(value),
            Unexpected::Float(value) => Found::Float(value),
            Unexpected::Char(value) => Found::Char(value),
            Unexpected::Str(value) => Found::Str(value.to_owned()),
            Unexpected::Bytes(_) => Found::Bytes,
            Unexpected::Unit => Found::Null,
            Unexpected::Seq => Found::List,
            Unexpected::Map => Found::Object,
            Unexpected::Option => Found::Other("Option value".into()),
            Unexpected::NewtypeStruct => Found::Other("newtype struct".into()),
            Unexpected::Enum => Found::Other("enum".into()),
            Unexpected::UnitVariant => Found::Other("unit variant".into()),
            Unexpected::NewtypeVariant => Found::Other("newtype variant".into()),
            Unexpected::TupleVariant => Found::Other("tuple variant".into()),
            Unexpected::StructVariant => Found::Other("struct variant".into()),
            Unexpected::Other(what) => Found::Other(what.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Found;

    #[test]
    fn floats_read_as_json_writes_them() {
        for (value, text) in [
            (1.5, "number `1.5`"),
            (1.0, "number `1.0`"),
            (1e20, "number `1e+20`"),
            (1000.0, "number `1000.0`"),
            (18446744073709551616.0, "number `1.8446744073709552e+19`"),
        ] {
            assert_eq!(Found::Float(value).to_string(), text);
        }
    }
}
