//! The coerced form as a serde `Deserializer`, so the input type is built by its own derive.

use super::super::UploadedFile;
use super::super::file::FILE_TOKEN;
use serde::de::value::{Error, MapAccessDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, Deserializer, IntoDeserializer, Unexpected, Visitor};

/// A coerced form value.
#[derive(Debug)]
pub(crate) enum FormValue {
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(String),
    File(UploadedFile),
    /// File contents, handed over only inside a file.
    Bytes(Vec<u8>),
    Seq(Vec<FormValue>),
    Map(Vec<(String, FormValue)>),
}

impl<'de> IntoDeserializer<'de, Error> for FormValue {
    type Deserializer = FormValue;

    fn into_deserializer(self) -> FormValue {
        self
    }
}

impl FormValue {
    /// A file as the map `UploadedFile`'s visitor reads.
    fn file_entries(file: UploadedFile) -> Vec<(String, FormValue)> {
        let (file_name, content_type, bytes) = file.into_parts();
        let mut entries = Vec::with_capacity(3);
        if let Some(name) = file_name {
            entries.push(("fileName".to_owned(), FormValue::Str(name)));
        }
        if let Some(content_type) = content_type {
            entries.push(("contentType".to_owned(), FormValue::Str(content_type)));
        }
        // Moves the buffer when the upload is its only owner, as it is after decoding.
        entries.push(("bytes".to_owned(), FormValue::Bytes(Vec::from(bytes))));
        entries
    }

    /// The form as the JSON body it stands for, so the input type can name every failure at
    /// once. Files become `null` (JSON cannot hold one) and their paths go to `files`, so what
    /// the JSON says of them can be set aside.
    pub(crate) fn to_json(&self, path: &str, files: &mut Vec<String>) -> serde_json::Value {
        use serde_json::Value;
        let at = |segment: &str| match path {
            "" => segment.to_owned(),
            _ => format!("{path}.{segment}"),
        };
        match self {
            FormValue::Bool(b) => Value::Bool(*b),
            FormValue::I64(n) => Value::from(*n),
            FormValue::U64(n) => Value::from(*n),
            FormValue::F64(n) => Value::from(*n),
            FormValue::Str(s) => Value::String(s.clone()),
            FormValue::File(_) | FormValue::Bytes(_) => {
                files.push(path.to_owned());
                Value::Null
            }
            FormValue::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| item.to_json(&at(&index.to_string()), files))
                .collect(),
            FormValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), value.to_json(&at(key), files)))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserializer<'de> for FormValue {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            FormValue::Bool(b) => visitor.visit_bool(b),
            FormValue::I64(n) => visitor.visit_i64(n),
            FormValue::U64(n) => visitor.visit_u64(n),
            FormValue::F64(n) => visitor.visit_f64(n),
            FormValue::Str(s) => visitor.visit_string(s),
            FormValue::Bytes(bytes) => visitor.visit_byte_buf(bytes),
            FormValue::File(_) => Err(de::Error::invalid_type(
                Unexpected::Other("a file upload"),
                &visitor,
            )),
            FormValue::Seq(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            FormValue::Map(entries) => {
                let mut map = MapDeserializer::new(entries.into_iter());
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    // Absent fields are simply missing; anything present is `Some`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match (name == FILE_TOKEN, self) {
            (true, FormValue::File(file)) => {
                let mut map = MapDeserializer::new(FormValue::file_entries(file).into_iter());
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
            (true, _) => Err(de::Error::custom(
                "expected a file upload (send the form as multipart/form-data)",
            )),
            (false, value) => visitor.visit_newtype_struct(value),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            FormValue::Str(variant) => visitor.visit_enum(variant.into_deserializer()),
            FormValue::Map(entries) if entries.len() == 1 => visitor.visit_enum(
                MapAccessDeserializer::new(MapDeserializer::new(entries.into_iter())),
            ),
            other => other.deserialize_any(EnumExpected {
                name,
                variants,
                visitor,
            }),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// Reports a non-string value where an enum was expected in the enum's own words.
struct EnumExpected<V> {
    name: &'static str,
    variants: &'static [&'static str],
    visitor: V,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for EnumExpected<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let _ = (self.name, &self.visitor);
        write!(f, "one of {}", self.variants.join(", "))
    }
}
