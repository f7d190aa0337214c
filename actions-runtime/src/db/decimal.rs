//! An exact decimal for SQL `NUMERIC` columns, on both backends and on the wire.
//!
//! JSON numbers are binary floats in every JavaScript client, so `0.1 + 0.2` money would be
//! wrong before it reached the server: a [`Decimal`] travels as a string of digits
//! (`"1234.50"`), exactly. diesel's `Numeric` goes through a float on SQLite, so a schema that
//! serves both backends uses [`Numeric`] — `numeric` on PostgreSQL, `TEXT` on SQLite (declare
//! the column `TEXT` there), stored as written.

use bigdecimal::BigDecimal;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sqlite::{Sqlite, SqliteValue};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// What a decimal looks like on the wire: digits, optionally signed, optionally with a
/// fraction. No exponent, no `+`, no leading or trailing point.
const DECIMAL_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";

/// SQL type of an exact decimal on both backends: `numeric` on PostgreSQL, text on SQLite. In
/// `schema.rs`, import it over diesel's: `use actions_runtime::sql_types::Numeric;`.
#[derive(
    Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId,
)]
#[diesel(postgres_type(oid = 1700, array_oid = 1231))]
#[diesel(sqlite_type(name = "Text"))]
pub struct Numeric;

// `table!` gives columns named `Numeric` arithmetic; keep it, as diesel's `Numeric` has it.
macro_rules! numeric_ops {
    ($($op:ident),*) => {$(
        impl diesel::sql_types::ops::$op for Numeric {
            type Rhs = Numeric;
            type Output = Numeric;
        }
    )*};
}
numeric_ops!(Add, Sub, Mul, Div);

/// An exact decimal number: `NUMERIC` in the database, a string of digits on the wire. Works
/// with [`Numeric`] on both backends, and with diesel's `Numeric` on PostgreSQL.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Numeric)]
#[diesel(sql_type = diesel::sql_types::Numeric)]
pub struct Decimal(BigDecimal);

impl Decimal {
    /// The number, for arithmetic.
    pub fn as_bigdecimal(&self) -> &BigDecimal {
        &self.0
    }
}

impl From<BigDecimal> for Decimal {
    fn from(value: BigDecimal) -> Decimal {
        Decimal(value)
    }
}

impl From<Decimal> for BigDecimal {
    fn from(value: Decimal) -> BigDecimal {
        value.0
    }
}

/// Why text is not a [`Decimal`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a decimal number as a string of digits, like \"1234.50\"")]
pub struct ParseDecimalError;

impl FromStr for Decimal {
    type Err = ParseDecimalError;

    fn from_str(text: &str) -> Result<Decimal, ParseDecimalError> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "1"));
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) || !all_digits(fraction) {
            return Err(ParseDecimalError);
        }
        BigDecimal::from_str(text)
            .map(Decimal)
            .map_err(|_| ParseDecimalError)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.to_plain_string(), f)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({self})")
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Decimal {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": DECIMAL_PATTERN })
    }
}

impl FromSql<diesel::sql_types::Numeric, Pg> for Decimal {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Decimal> {
        <BigDecimal as FromSql<diesel::sql_types::Numeric, Pg>>::from_sql(value).map(Decimal)
    }
}

impl ToSql<diesel::sql_types::Numeric, Pg> for Decimal {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <BigDecimal as ToSql<diesel::sql_types::Numeric, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<Numeric, Pg> for Decimal {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Decimal> {
        <Decimal as FromSql<diesel::sql_types::Numeric, Pg>>::from_sql(value)
    }
}

impl ToSql<Numeric, Pg> for Decimal {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <Decimal as ToSql<diesel::sql_types::Numeric, Pg>>::to_sql(self, out)
    }
}

impl FromSql<Numeric, Sqlite> for Decimal {
    fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Decimal> {
        let text = <String as FromSql<diesel::sql_types::Text, Sqlite>>::from_sql(value)?;
        Ok(BigDecimal::from_str(&text).map(Decimal)?)
    }
}

impl ToSql<Numeric, Sqlite> for Decimal {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.to_string());
        Ok(IsNull::No)
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    #[test]
    fn strings_of_digits_only() {
        for good in ["0", "-1", "1234.50", "0.000001", "99999999999999999999.99"] {
            let decimal: Decimal = serde_json::from_value(serde_json::json!(good)).unwrap();
            assert_eq!(
                serde_json::to_value(&decimal).unwrap(),
                good,
                "kept exactly as written"
            );
        }
        for bad in ["", "-", "1.", ".5", "+1", "1e5", "1,5", " 1", "NaN"] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad:?}");
        }
        assert!(
            serde_json::from_value::<Decimal>(serde_json::json!(1.5)).is_err(),
            "a JSON number is refused"
        );
    }
}
