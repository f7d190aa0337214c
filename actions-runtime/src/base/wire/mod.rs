//! The body as decoding sees it: parsed once into a [`Node`] tree (by the input stage, from
//! JSON or a form), then read by each input's decoder through [`NodeDeserializer`], which
//! reports every failure as a typed [`DecodeError`] with its path.
//!
//! It lives in the bottom layer because [`ActionInput::decode`](super::ActionInput::decode)
//! takes a [`Payload`] and its default reads one through serde.

mod de;
mod error;
mod node;

pub(crate) use de::{FILE_TOKEN, Label, NodeDeserializer, list_items, not_an_object};
pub use error::DecodeError;
pub use node::Payload;
pub(crate) use node::{FilePart, Mode, Node};

use crate::error::FieldErrors;
use serde::de::DeserializeOwned;

/// Reads `payload` as `T` through `T`'s own `Deserialize`, recording its failure (the first
/// one: serde stops there) at its path.
pub(crate) fn deserialize<T: DeserializeOwned>(
    payload: Payload<'_>,
    errors: &mut FieldErrors,
) -> Option<T> {
    T::deserialize(NodeDeserializer::new(payload))
        .map_err(|error| error.record(errors))
        .ok()
}
