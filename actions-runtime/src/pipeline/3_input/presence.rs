//! How derived inputs read fields whose presence means something: an update's "absent leaves
//! it, `null` clears it", a select's "must be sent, may be `null`".

use serde::{Deserialize, Deserializer};

/// Update of a NOT NULL column: a value sets it (`Some`); `null` is refused; absent (the
/// field's `default`) leaves it.
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// Update of a nullable column: a value sets it (`Some(Some)`), `null` clears it (`Some(None)`),
/// absent leaves it (`None`).
pub fn double_option<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Select of a nullable column: must be sent (no implicit default), may be `null`.
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(deserializer)
}

/// Compiles only when a value of type `T` can be written to a column of SQL type `ST`: the
/// check `#[input(table = …)]` makes of every field whose type is written out.
pub fn column_accepts<T, ST>()
where
    T: diesel::expression::AsExpression<ST>,
    ST: diesel::sql_types::SqlType + diesel::expression::TypedExpressionType,
{
}

/// Compiles only when `A` and `B` are one type: ties the Rust type `#[input(table = …)]` read
/// from the schema file's SQL type to the type the compiled `table!` column travels as.
pub fn same_type<A: SameType<B>, B>() {}

/// Implemented only for a type and itself.
#[diagnostic::on_unimplemented(
    message = "the schema file's column type reads as `{Self}`, but the compiled `table!` column travels as `{T}`",
    note = "the schema file given to `#[input(table = …)]` and the `table!` the code compiles disagree: regenerate it with `diesel print-schema`, or point `schema = \"…\"` at the right file"
)]
pub trait SameType<T> {}

impl<T> SameType<T> for T {}
