//! The tree as a serde `Deserializer` that knows what type is asked for from the method serde
//! calls: `deserialize_u8` range-checks against `u8`, `deserialize_bool` reads a form's `on`,
//! `deserialize_struct` takes only objects. Every failure is a typed [`DecodeError`] carrying
//! its path, so nothing downstream reads a message to learn what went wrong.

use super::error::{DecodeError, Expected, FormProblem, Found, IntKind, Problem};
use super::node::{FilePart, Mode, Node, Payload};
use bytes::Bytes;
use serde::de::{self, DeserializeSeed, Visitor};
use std::borrow::Cow;

/// The newtype name through which the form decoder hands a file over; JSON has no way to
/// produce one, so a JSON body can never forge an upload.
pub(crate) const FILE_TOKEN: &str = "$actions_runtime::UploadedFile";

/// One node of the tree, read as the type serde asks for.
#[derive(Debug)]
pub(crate) struct NodeDeserializer<'de> {
    node: Node<'de>,
    mode: Mode,
}

impl<'de> NodeDeserializer<'de> {
    /// Reads `payload`.
    pub(crate) fn new(payload: Payload<'de>) -> NodeDeserializer<'de> {
        NodeDeserializer {
            node: payload.node,
            mode: payload.mode,
        }
    }

    pub(crate) fn at(node: Node<'de>, mode: Mode) -> NodeDeserializer<'de> {
        NodeDeserializer { node, mode }
    }

    /// A form field where one value is expected. Sent several times (`name=A&name=B`) it is
    /// refused, as JSON refuses a repeated key: reading the first would quietly drop the rest.
    fn single(self) -> Result<NodeDeserializer<'de>, DecodeError> {
        match (self.mode, self.node) {
            (Mode::Form, Node::List(items)) if items.len() > 1 => {
                Err(DecodeError::form(FormProblem::Repeated))
            }
            (Mode::Form, Node::List(items)) => Ok(Self::at(
                items.into_iter().next().unwrap_or_default(),
                Mode::Form,
            )),
            (mode, node) => Ok(Self::at(node, mode)),
        }
    }

    /// Why this node is not what `expected` asks for.
    pub(crate) fn refuse(self, expected: Expected) -> DecodeError {
        let form_problem = match (&self.node, &expected) {
            (Node::Absent, _) => return DecodeError::missing(),
            (_, _) if self.mode == Mode::Json => None,
            (Node::File(_), _) => Some(FormProblem::Value),
            (Node::Object(_), Expected::Object | Expected::List) => None,
            (Node::Object(_), _) => Some(FormProblem::Single),
            (_, Expected::Int(_)) => Some(FormProblem::Integer),
            (_, Expected::Number) => Some(FormProblem::Number),
            (_, Expected::Boolean) => Some(FormProblem::Boolean),
            (_, Expected::Object) => Some(FormProblem::Group),
            _ => None,
        };
        match form_problem {
            Some(problem) => DecodeError::form(problem),
            None => DecodeError::invalid_type(found(&self.node), expected),
        }
    }

    fn integer<V: Visitor<'de>>(self, kind: IntKind, visitor: V) -> Result<V::Value, DecodeError> {
        let this = self.single()?;
        let value: i128 = match (&this.node, this.mode) {
            (Node::U64(n), Mode::Json) => (*n).into(),
            (Node::I64(n), Mode::Json) => (*n).into(),
            (Node::Str(text), Mode::Form) => {
                let text = text.trim();
                match text.parse::<i64>() {
                    Ok(n) => n.into(),
                    Err(_) => text
                        .parse::<u64>()
                        .map_err(|_| DecodeError::form(FormProblem::Integer))?
                        .into(),
                }
            }
            _ => return Err(this.refuse(Expected::Int(kind))),
        };
        let (min, max) = kind.range();
        if value < min || value > max {
            let found = match u64::try_from(value) {
                Ok(n) => Found::Unsigned(n),
                Err(_) => Found::Signed(i64::try_from(value).unwrap_or(i64::MIN)),
            };
            return Err(DecodeError::new(Problem::InvalidValue(
                found,
                Expected::Int(kind),
            )));
        }
        match u64::try_from(value) {
            Ok(n) => visitor.visit_u64(n),
            Err(_) => visitor.visit_i64(i64::try_from(value).unwrap_or(i64::MIN)),
        }
    }

    fn number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let this = self.single()?;
        let value = match (&this.node, this.mode) {
            (Node::U64(n), Mode::Json) => *n as f64,
            (Node::I64(n), Mode::Json) => *n as f64,
            (Node::F64(n), Mode::Json) => *n,
            (Node::Str(text), Mode::Form) => match text.trim().parse::<f64>() {
                Ok(n) if n.is_finite() => n,
                _ => return Err(DecodeError::form(FormProblem::Number)),
            },
            _ => return Err(this.refuse(Expected::Number)),
        };
        visitor.visit_f64(value)
    }

    /// Text, refused in the decoding type's own words ("a string", "a character", "a formatted
    /// date string" — chrono's), which are only written out when it is refused.
    fn text<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.single()? {
            NodeDeserializer {
                node: Node::Str(text),
                ..
            } if text.chars().any(super::is_refused_control) => Err(DecodeError::control()),
            NodeDeserializer {
                node: Node::Str(Cow::Borrowed(text)),
                ..
            } => visitor.visit_borrowed_str(text),
            NodeDeserializer {
                node: Node::Str(Cow::Owned(text)),
                ..
            } => visitor.visit_string(text),
            other => Err(other.refuse(described(&visitor))),
        }
    }

    fn sequence<V: Visitor<'de>>(
        self,
        expected: Expected,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        Items::of(self, expected)?.visit(visitor)
    }

    fn object<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.node {
            Node::Object(entries) => {
                let mut access = Entries {
                    entries: entries.into_iter(),
                    value: None,
                    mode: self.mode,
                };
                visitor.visit_map(&mut access)
            }
            node => Err(Self::at(node, self.mode).refuse(Expected::Object)),
        }
    }
}

/// What `node` is, for "invalid type: …".
fn found(node: &Node<'_>) -> Found {
    match node {
        Node::Absent | Node::Null => Found::Null,
        Node::Bool(value) => Found::Bool(*value),
        Node::U64(value) => Found::Unsigned(*value),
        Node::I64(value) => Found::Signed(*value),
        Node::F64(value) => Found::Float(*value),
        Node::Str(text) => Found::Str(text.to_string()),
        Node::File(_) => Found::File,
        Node::List(_) => Found::List,
        Node::Object(_) => Found::Object,
    }
}

/// What a decoding type says it expects.
fn described<'de, V: Visitor<'de>>(visitor: &V) -> Expected {
    Expected::Described((visitor as &dyn de::Expected).to_string())
}

macro_rules! integers {
    ($($method:ident => $kind:ident,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
            self.integer(IntKind::$kind, visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDeserializer<'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.node {
            Node::Absent => Err(DecodeError::missing()),
            Node::Null => visitor.visit_unit(),
            Node::Bool(value) => visitor.visit_bool(value),
            Node::U64(value) => visitor.visit_u64(value),
            Node::I64(value) => visitor.visit_i64(value),
            Node::F64(value) => visitor.visit_f64(value),
            Node::Str(Cow::Borrowed(text)) => visitor.visit_borrowed_str(text),
            Node::Str(Cow::Owned(text)) => visitor.visit_string(text),
            Node::File(_) => Err(DecodeError::invalid_type(Found::File, described(&visitor))),
            node @ Node::List(_) => Self::at(node, self.mode).sequence(Expected::List, visitor),
            node @ Node::Object(_) => Self::at(node, self.mode).object(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let this = self.single()?;
        match (this.mode, this.node) {
            (Mode::Json, Node::Bool(value)) => visitor.visit_bool(value),
            // An unchecked checkbox is not sent at all.
            (Mode::Form, Node::Absent) => visitor.visit_bool(false),
            (Mode::Form, Node::Str(text)) => match text.to_ascii_lowercase().as_str() {
                "true" | "on" | "1" | "yes" => visitor.visit_bool(true),
                "false" | "off" | "0" | "no" | "" => visitor.visit_bool(false),
                _ => Err(DecodeError::form(FormProblem::Boolean)),
            },
            (mode, node) => Err(Self::at(node, mode).refuse(Expected::Boolean)),
        }
    }

    integers! {
        deserialize_i8 => I8,
        deserialize_i16 => I16,
        deserialize_i32 => I32,
        deserialize_i64 => I64,
        deserialize_i128 => I128,
        deserialize_u8 => U8,
        deserialize_u16 => U16,
        deserialize_u32 => U32,
        deserialize_u64 => U64,
        deserialize_u128 => U128,
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.number(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.number(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.text(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.text(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.text(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.node {
            Node::Str(text) => visitor.visit_bytes(text.as_bytes()),
            node @ Node::List(_) => Self::at(node, self.mode).sequence(Expected::List, visitor),
            node => {
                let expected = described(&visitor);
                Err(Self::at(node, self.mode).refuse(expected))
            }
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.node {
            Node::Absent | Node::Null => visitor.visit_none(),
            ref node if self.mode == Mode::Form && node.is_blank() => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.node {
            Node::Absent | Node::Null => visitor.visit_unit(),
            node => {
                let expected = described(&visitor);
                Err(Self::at(node, self.mode).refuse(expected))
            }
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        if name != FILE_TOKEN {
            return visitor.visit_newtype_struct(self);
        }
        match (self.mode, self.node) {
            (_, Node::Absent) => Err(DecodeError::missing()),
            (Mode::Form, Node::File(file)) => visitor.visit_map(FileAccess::new(*file)),
            (Mode::Form, _) => Err(DecodeError::form(FormProblem::File)),
            // The file's own visitor refuses anything JSON can hold.
            (Mode::Json, node) => visitor.visit_newtype_struct(Self::at(node, Mode::Json)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.sequence(Expected::List, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let expected = described(&visitor);
        self.sequence(expected, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let expected = described(&visitor);
        self.sequence(expected, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.object(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.object(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let this = self.single()?;
        let mode = this.mode;
        match this.node {
            Node::Str(variant) => visitor.visit_enum(Variant {
                name: variant,
                value: None,
                mode,
            }),
            Node::Object(mut entries) if entries.len() == 1 => {
                let (name, value) = entries.pop().unwrap_or_default();
                visitor.visit_enum(Variant {
                    name,
                    value: Some(value),
                    mode,
                })
            }
            node => Err(Self::at(node, mode).refuse(Expected::Variants(variants))),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.text(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }
}

/// The segment naming a list item in error paths: its position, or in a form the index it was
/// sent with (`items.3.name`).
#[derive(Debug)]
pub(crate) enum Label<'de> {
    Position(usize),
    Key(Cow<'de, str>),
}

impl std::fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Label::Position(position) => write!(f, "{position}"),
            Label::Key(key) => f.write_str(key),
        }
    }
}

/// The items of a list, in order.
#[derive(Debug)]
pub(crate) struct Items<'de> {
    items: std::vec::IntoIter<Node<'de>>,
    labels: Option<std::vec::IntoIter<Cow<'de, str>>>,
    position: usize,
    mode: Mode,
}

impl<'de> Items<'de> {
    /// The items of a list; in a form, also of a key sent once (one item), of a key not sent
    /// (none: a multi-select with nothing chosen), and of a group with numeric segments.
    /// Empty form values are left out.
    pub(crate) fn of(
        list: NodeDeserializer<'de>,
        expected: Expected,
    ) -> Result<Items<'de>, DecodeError> {
        let mode = list.mode;
        let items = match (mode, list.node) {
            (Mode::Json, Node::List(items)) => items,
            (Mode::Form, Node::List(items)) => {
                items.into_iter().filter(|item| !item.is_blank()).collect()
            }
            (Mode::Form, Node::Absent) => Vec::new(),
            (Mode::Form, node @ (Node::Str(_) | Node::File(_))) => {
                if node.is_blank() {
                    Vec::new()
                } else {
                    vec![node]
                }
            }
            (Mode::Form, Node::Object(entries)) => return Items::indexed(entries, mode),
            (mode, node) => return Err(NodeDeserializer::at(node, mode).refuse(expected)),
        };
        Ok(Items {
            items: items.into_iter(),
            labels: None,
            position: 0,
            mode,
        })
    }

    /// `items.0.name`, `items.1.name`: a form's numeric segments, in index order.
    fn indexed(
        entries: Vec<(Cow<'de, str>, Node<'de>)>,
        mode: Mode,
    ) -> Result<Items<'de>, DecodeError> {
        let mut indexed = Vec::with_capacity(entries.len());
        let mut not_index: Option<Cow<'de, str>> = None;
        for (key, node) in entries {
            match key.parse::<usize>() {
                Ok(index) => indexed.push((index, key, node)),
                Err(_) => {
                    if not_index.as_ref().is_none_or(|first| key < *first) {
                        not_index = Some(key);
                    }
                }
            }
        }
        if let Some(key) = not_index {
            return Err(DecodeError::form(FormProblem::Index).inside(key));
        }
        indexed.sort_by_key(|(index, _, _)| *index);
        let (labels, items): (Vec<_>, Vec<_>) = indexed
            .into_iter()
            .map(|(_, key, node)| (key, node))
            .unzip();
        Ok(Items {
            items: items.into_iter(),
            labels: Some(labels.into_iter()),
            position: 0,
            mode,
        })
    }

    /// How many items are left.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// The next item and the segment that names it in error paths.
    pub(crate) fn next_item(&mut self) -> Option<(Label<'de>, Payload<'de>)> {
        let node = self.items.next()?;
        let label = match self.labels.as_mut().and_then(Iterator::next) {
            Some(key) => Label::Key(key),
            None => Label::Position(self.position),
        };
        self.position += 1;
        Some((label, Payload::new(node, self.mode)))
    }

    fn visit<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, DecodeError> {
        let value = visitor.visit_seq(&mut self)?;
        let left = self.items.len();
        if left > 0 {
            let expected = format!("{} elements", self.position);
            return Err(de::Error::invalid_length(
                self.position + left,
                &expected.as_str(),
            ));
        }
        Ok(value)
    }
}

impl<'de> de::SeqAccess<'de> for Items<'de> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        let Some((label, item)) = self.next_item() else {
            return Ok(None);
        };
        seed.deserialize(NodeDeserializer::new(item))
            .map(Some)
            .map_err(|error| error.inside(label))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of an object, in the order sent.
struct Entries<'de> {
    entries: std::vec::IntoIter<(Cow<'de, str>, Node<'de>)>,
    /// The entry whose key was just read.
    value: Option<(Cow<'de, str>, Node<'de>)>,
    mode: Mode,
}

impl<'de> de::MapAccess<'de> for Entries<'de> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        let Some((key, node)) = self.entries.next() else {
            return Ok(None);
        };
        let value = seed.deserialize(Key(key.clone()))?;
        self.value = Some((key, node));
        Ok(Some(value))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, DecodeError> {
        let (key, node) = self.value.take().unwrap_or_default();
        seed.deserialize(NodeDeserializer::at(node, self.mode))
            .map_err(|error| error.inside(key))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An object key, or a variant's name.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserializer<'de> for Key<'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Cow::Borrowed(key) => visitor.visit_borrowed_str(key),
            Cow::Owned(key) => visitor.visit_string(key),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// An enum's variant: a string names a unit variant, a one-key object a variant with data.
struct Variant<'de> {
    name: Cow<'de, str>,
    value: Option<Node<'de>>,
    mode: Mode,
}

impl<'de> de::EnumAccess<'de> for Variant<'de> {
    type Error = DecodeError;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self), DecodeError> {
        let value = seed.deserialize(Key(self.name.clone()))?;
        Ok((value, self))
    }
}

impl<'de> Variant<'de> {
    /// The variant's data, errors inside it named by the variant.
    fn data(
        self,
        expected: &'static str,
    ) -> Result<(NodeDeserializer<'de>, Cow<'de, str>), DecodeError> {
        match self.value {
            Some(node) => Ok((NodeDeserializer::at(node, self.mode), self.name)),
            None => Err(DecodeError::invalid_type(
                Found::Other("unit variant".into()),
                Expected::Described(expected.into()),
            )
            .inside(self.name)),
        }
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'de> {
    type Error = DecodeError;

    fn unit_variant(self) -> Result<(), DecodeError> {
        match self.value {
            None | Some(Node::Null) => Ok(()),
            Some(node) => Err(NodeDeserializer::at(node, self.mode)
                .refuse(Expected::Described("unit variant".into()))
                .inside(self.name)),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, DecodeError> {
        let (data, name) = self.data("newtype variant")?;
        seed.deserialize(data).map_err(|error| error.inside(name))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let (data, name) = self.data("tuple variant")?;
        de::Deserializer::deserialize_tuple(data, len, visitor).map_err(|error| error.inside(name))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let (data, name) = self.data("struct variant")?;
        de::Deserializer::deserialize_struct(data, "", fields, visitor)
            .map_err(|error| error.inside(name))
    }
}

/// A file handed to `UploadedFile`'s visitor as the map it reads: `fileName`, `contentType`,
/// `bytes` (moved, not copied).
struct FileAccess {
    entries: [Option<(&'static str, FileValue)>; 3],
    next: usize,
}

enum FileValue {
    Text(String),
    Bytes(Bytes),
}

impl FileAccess {
    fn new(file: FilePart) -> FileAccess {
        FileAccess {
            entries: [
                file.file_name
                    .map(|name| ("fileName", FileValue::Text(name))),
                file.content_type
                    .map(|kind| ("contentType", FileValue::Text(kind))),
                Some(("bytes", FileValue::Bytes(file.bytes))),
            ],
            next: 0,
        }
    }
}

impl<'de> de::MapAccess<'de> for FileAccess {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        while self.next < self.entries.len() {
            if let Some((key, _)) = &self.entries[self.next] {
                return seed.deserialize(Key(Cow::Borrowed(key))).map(Some);
            }
            self.next += 1;
        }
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, DecodeError> {
        let entry = self.entries.get_mut(self.next).and_then(Option::take);
        self.next += 1;
        match entry {
            Some((_, FileValue::Text(text))) => seed.deserialize(NodeDeserializer::at(
                Node::Str(Cow::Owned(text)),
                Mode::Json,
            )),
            Some((_, FileValue::Bytes(bytes))) => seed.deserialize(FileBytes(bytes)),
            None => Err(DecodeError::missing()),
        }
    }
}

/// File contents, handed over whole (`visit_byte_buf`).
struct FileBytes(Bytes);

impl<'de> de::Deserializer<'de> for FileBytes {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_byte_buf(Vec::from(self.0))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// The items of a list payload (see [`Items::of`]), or why it is not one.
pub(crate) fn list_items(payload: Payload<'_>) -> Result<Items<'_>, DecodeError> {
    Items::of(NodeDeserializer::new(payload), Expected::List)
}

/// Why `payload` is not an object: not sent, or of another type.
pub(crate) fn not_an_object(payload: Payload<'_>) -> DecodeError {
    NodeDeserializer::new(payload).refuse(Expected::Object)
}
