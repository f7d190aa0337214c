//! What `#[input]`'s generated decoder calls: a struct's fields taken one by one from its
//! object ([`Fields`]), each decoded by its type ([`Decoder`]) and checked by its rules
//! ([`check`]), so every failure of a body is reported at once, each at its full path.
//!
//! The macro cannot know whether a field's type is itself an input; the type system can.
//! Generated code asks `(&&Decode::<T>::new()).decoder()`, and method lookup takes the first
//! impl that applies (autoref specialization): on `&Decode<T>` for inputs (and lists and
//! options of them), which decode every field inside them; on `&&Decode<Vec<T>>` for other
//! lists, decoded item by item so every bad item is named; on `Decode<T>` for anything else,
//! read through its own `Deserialize`.

use crate::base::ActionInput;
use crate::base::wire::{self, DecodeError, Label, Mode, Node, NodeDeserializer, Payload};
use crate::error::FieldErrors;
use serde::de::{DeserializeOwned, Error as _};
use std::borrow::Cow;
use std::marker::PhantomData;

/// How one field's type is decoded.
#[allow(missing_debug_implementations)]
pub enum Decoder<T> {
    /// Through the type's own `Deserialize`: its first failure, with its path.
    Value(fn(Payload<'_>) -> Result<T, DecodeError>),
    /// An input, or a list or option of inputs: every failure inside it.
    Input(fn(Payload<'_>, &mut FieldErrors) -> Option<T>),
}

// Function pointers: copied whatever `T` is (a derive would ask `T: Copy`).
impl<T> Clone for Decoder<T> {
    fn clone(&self) -> Decoder<T> {
        *self
    }
}

impl<T> Copy for Decoder<T> {}

/// A field's type, for [`DecodeInput`], [`DecodeList`] and [`DecodeValue`].
#[allow(missing_debug_implementations)]
pub struct Decode<T>(PhantomData<T>);

impl<T> Decode<T> {
    /// The marker for `T`.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Decode<T> {
        Decode(PhantomData)
    }
}

/// Decoding a field that is an input (or a list or option of inputs).
pub trait DecodeInput<T> {
    /// Every field inside it, every failure recorded.
    fn decoder(&self) -> Decoder<T>;
}

impl<T: ActionInput> DecodeInput<T> for &Decode<T> {
    fn decoder(&self) -> Decoder<T> {
        Decoder::Input(T::decode)
    }
}

impl<T: ActionInput> DecodeInput<Vec<T>> for &Decode<Vec<T>> {
    fn decoder(&self) -> Decoder<Vec<T>> {
        Decoder::Input(decode_list::<T>)
    }
}

impl<T: ActionInput> DecodeInput<Option<T>> for &Decode<Option<T>> {
    fn decoder(&self) -> Decoder<Option<T>> {
        Decoder::Input(decode_option::<T>)
    }
}

/// Decoding a list of anything else: item by item.
pub trait DecodeList<T> {
    /// Every item, every bad item recorded.
    fn decoder(&self) -> Decoder<T>;
}

impl<T: DeserializeOwned> DecodeList<Vec<T>> for &&Decode<Vec<T>> {
    fn decoder(&self) -> Decoder<Vec<T>> {
        Decoder::Input(decode_values::<T>)
    }
}

/// Decoding any other field: through its own `Deserialize`.
pub trait DecodeValue<T> {
    /// The value, or its first failure.
    fn decoder(&self) -> Decoder<T>;
}

impl<T: DeserializeOwned> DecodeValue<T> for Decode<T> {
    fn decoder(&self) -> Decoder<T> {
        Decoder::Value(decode_value::<T>)
    }
}

/// A list of values: every bad item, at its index.
fn decode_values<T: DeserializeOwned>(
    payload: Payload<'_>,
    errors: &mut FieldErrors,
) -> Option<Vec<T>> {
    decode_items(payload, errors, |item, errors| {
        T::deserialize(NodeDeserializer::new(item))
            .map_err(|error| error.record(errors))
            .ok()
    })
}

fn decode_value<T: DeserializeOwned>(payload: Payload<'_>) -> Result<T, DecodeError> {
    T::deserialize(NodeDeserializer::new(payload))
}

/// A list of inputs: every failure of every item, at `index.field`.
fn decode_list<T: ActionInput>(payload: Payload<'_>, errors: &mut FieldErrors) -> Option<Vec<T>> {
    decode_items(payload, errors, T::decode)
}

fn decode_items<T>(
    payload: Payload<'_>,
    errors: &mut FieldErrors,
    decode: impl Fn(Payload<'_>, &mut FieldErrors) -> Option<T>,
) -> Option<Vec<T>> {
    let mut items = match wire::list_items(payload) {
        Ok(items) => items,
        Err(error) => {
            error.record(errors);
            return None;
        }
    };
    let mut decoded = Vec::with_capacity(items.len());
    let mut failed = false;
    while let Some((label, item)) = items.next_item() {
        let item = match label {
            Label::Position(index) => errors.nested(index, |errors| decode(item, errors)),
            Label::Key(key) => errors.nested_field(&key, |errors| decode(item, errors)),
        };
        match item {
            Some(item) => decoded.push(item),
            None => failed = true,
        }
    }
    (!failed).then_some(decoded)
}

/// An optional input: absent, `null` or (in a form) left empty is `None`.
fn decode_option<T: ActionInput>(
    payload: Payload<'_>,
    errors: &mut FieldErrors,
) -> Option<Option<T>> {
    let mode = payload.mode();
    match payload.into_node() {
        Node::Absent | Node::Null => Some(None),
        node if mode == Mode::Form && node.is_blank() => Some(None),
        node => T::decode(Payload::new(node, mode), errors).map(Some),
    }
}

/// The fields of an object a struct input decodes from.
#[allow(missing_debug_implementations)]
pub struct Fields<'de> {
    entries: Vec<(Cow<'de, str>, Node<'de>)>,
    /// The names sent more than once, refused when taken.
    repeated: Vec<&'static str>,
    /// Where the next field is looked for first: a body usually sends the fields in the order
    /// the struct declares them, and then each is found at once.
    cursor: usize,
    mode: Mode,
}

impl<'de> Fields<'de> {
    /// The object `payload` holds, with every key that is not one of `names` recorded as an
    /// unknown field; `None`, recorded, when it is not an object.
    pub fn new(
        payload: Payload<'de>,
        names: &'static [&'static str],
        errors: &mut FieldErrors,
    ) -> Option<Fields<'de>> {
        let mode = payload.mode();
        let entries = match payload.into_node() {
            Node::Object(entries) => entries,
            node => {
                wire::not_an_object(Payload::new(node, mode)).record(errors);
                return None;
            }
        };
        let mut unknown: Vec<&str> = Vec::new();
        let mut repeated = Vec::new();
        let mut seen = Seen::new(names.len());
        let mut guess = 0;
        for (key, _) in &entries {
            let key = &**key;
            let index = match names.get(guess) {
                Some(name) if *name == key => Some(guess),
                _ => names.iter().position(|name| *name == key),
            };
            match index {
                Some(index) => {
                    guess = index + 1;
                    if !seen.insert(index) && !repeated.contains(&names[index]) {
                        repeated.push(names[index]);
                    }
                }
                None => unknown.push(key),
            }
        }
        if !unknown.is_empty() {
            unknown.sort_unstable();
            unknown.dedup();
            for key in unknown {
                DecodeError::unknown_field(key, names).record(errors);
            }
        }
        Some(Fields {
            entries,
            repeated,
            cursor: 0,
            mode,
        })
    }

    /// The value sent for `name` (`Absent` when none); `None`, recorded, when it was sent twice.
    fn take(&mut self, name: &'static str, errors: &mut FieldErrors) -> Option<Node<'de>> {
        if self.repeated.contains(&name) {
            DecodeError::duplicate_field(name).record(errors);
            return None;
        }
        let len = self.entries.len();
        let start = self.cursor.min(len);
        let Some(at) = (start..len)
            .chain(0..start)
            .find(|&at| self.entries[at].0 == name)
        else {
            return Some(Node::Absent);
        };
        self.cursor = at + 1;
        Some(std::mem::take(&mut self.entries[at].1))
    }

    /// The value sent for `name`, `Some(None)` when it is absent or (in a form) left empty;
    /// `None`, recorded, when it was sent twice.
    fn take_given(
        &mut self,
        name: &'static str,
        errors: &mut FieldErrors,
    ) -> Option<Option<Node<'de>>> {
        let node = self.take(name, errors)?;
        let left_out = matches!(node, Node::Absent) || (self.mode == Mode::Form && node.is_blank());
        Some((!left_out).then_some(node))
    }

    /// `name` decoded by its type: absent is what the type makes of it (`None` for an option,
    /// in a form `false` and `[]`, otherwise "is required").
    pub fn field<T>(
        &mut self,
        name: &'static str,
        decoder: Decoder<T>,
        errors: &mut FieldErrors,
    ) -> Option<T> {
        let node = self.take(name, errors)?;
        self.decode(name, node, decoder, errors)
    }

    /// A field with `#[serde(default)]`: absent (or left empty in a form) is `T::default()`.
    pub fn or_default<T: Default>(
        &mut self,
        name: &'static str,
        decoder: Decoder<T>,
        errors: &mut FieldErrors,
    ) -> Option<T> {
        match self.take_given(name, errors)? {
            None => Some(T::default()),
            Some(node) => self.decode(name, node, decoder, errors),
        }
    }

    /// An update's column: absent (or left empty in a form) leaves it (`None`), a value sets
    /// it. `null` is what the value's type makes of it: refused for a NOT NULL column, `None`
    /// (clear it) for a nullable one, whose value is an `Option` itself.
    pub fn present<T>(
        &mut self,
        name: &'static str,
        decoder: Decoder<T>,
        errors: &mut FieldErrors,
    ) -> Option<Option<T>> {
        match self.take_given(name, errors)? {
            None => Some(None),
            Some(node) => self.decode(name, node, decoder, errors).map(Some),
        }
    }

    /// A select's nullable column: must be sent, may be `null` (in a form: left empty).
    pub fn sent<T>(
        &mut self,
        name: &'static str,
        decoder: Decoder<T>,
        errors: &mut FieldErrors,
    ) -> Option<T> {
        match self.take(name, errors)? {
            Node::Absent => {
                DecodeError::missing().inside(name).record(errors);
                None
            }
            node => self.decode(name, node, decoder, errors),
        }
    }

    fn decode<T>(
        &self,
        name: &'static str,
        node: Node<'de>,
        decoder: Decoder<T>,
        errors: &mut FieldErrors,
    ) -> Option<T> {
        let payload = Payload::new(node, self.mode);
        match decoder {
            Decoder::Value(decode) => decode(payload)
                .map_err(|error| error.inside(name).record(errors))
                .ok(),
            Decoder::Input(decode) => errors.nested_field(name, |errors| decode(payload, errors)),
        }
    }
}

/// Runs a decoded field's rules, positioned at the field.
pub fn check<T>(
    value: &mut Option<T>,
    name: &str,
    rules: fn(&mut T, &mut FieldErrors),
    errors: &mut FieldErrors,
) {
    if let Some(value) = value {
        errors.nested_field(name, |errors| rules(value, errors));
    }
}

/// Which of a struct's fields were already sent: bits for the usual few, a list beyond.
enum Seen {
    Few(u128),
    Many(Vec<bool>),
}

impl Seen {
    fn new(fields: usize) -> Seen {
        if fields <= 128 {
            Seen::Few(0)
        } else {
            Seen::Many(vec![false; fields])
        }
    }

    /// Marks field `index` as sent; `false` when it already was.
    fn insert(&mut self, index: usize) -> bool {
        match self {
            Seen::Few(bits) => {
                let bit = 1_u128 << index;
                let new = *bits & bit == 0;
                *bits |= bit;
                new
            }
            Seen::Many(sent) => !std::mem::replace(&mut sent[index], true),
        }
    }
}
