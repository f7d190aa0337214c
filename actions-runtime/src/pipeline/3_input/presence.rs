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
