//! A UTC instant that one `table!` can store on both backends.
//!
//! diesel's `Timestamptz` exists only for PostgreSQL and `TimestamptzSqlite` only for SQLite,
//! so a schema shared by both needs its own SQL type. [`Timestamptz`] is `timestamptz` on
//! PostgreSQL and RFC 3339 text on SQLite, written at a fixed width (microseconds, `Z`) so that
//! text order is time order and keyset pagination works the same on both. [`Timestamp`] is the
//! Rust side: microsecond precision (what PostgreSQL keeps), RFC 3339 with `Z` on the wire.

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sqlite::{Sqlite, SqliteValue};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// SQL type of a UTC timestamp on both backends: `timestamptz` on PostgreSQL, fixed-width
/// RFC 3339 text on SQLite. In `schema.rs`, import it over diesel's:
/// `use actions_runtime::sql_types::Timestamptz;` (or `import_types` in `diesel.toml`).
#[derive(
    Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId,
)]
#[diesel(postgres_type(oid = 1184, array_oid = 1185))]
#[diesel(sqlite_type(name = "Text"))]
pub struct Timestamptz;

// `table!` gives columns named `Timestamptz` interval arithmetic; keep that available.
impl diesel::sql_types::ops::Add for Timestamptz {
    type Rhs = diesel::sql_types::Interval;
    type Output = Timestamptz;
}

impl diesel::sql_types::ops::Sub for Timestamptz {
    type Rhs = diesel::sql_types::Interval;
    type Output = Timestamptz;
}

/// A UTC instant with microsecond precision, as the database stores it; RFC 3339 with `Z` on
/// the wire (`"2026-11-23T21:37:34.426231Z"`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Timestamptz)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// The current instant, truncated to microseconds.
    pub fn now() -> Timestamp {
        Timestamp::from(Utc::now())
    }

    /// The instant as a chrono `DateTime<Utc>`.
    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// Parses RFC 3339 in any offset.
    pub fn parse(text: &str) -> Result<Timestamp, chrono::ParseError> {
        DateTime::parse_from_rfc3339(text).map(|t| Timestamp::from(t.with_timezone(&Utc)))
    }

    /// Microseconds since the Unix epoch.
    pub fn timestamp_micros(&self) -> i64 {
        self.0.timestamp_micros()
    }

    /// The instant `micros` microseconds after the Unix epoch.
    pub fn from_timestamp_micros(micros: i64) -> Option<Timestamp> {
        DateTime::from_timestamp_micros(micros).map(Timestamp)
    }

    fn to_rfc3339(self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Micros, true)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(instant: DateTime<Utc>) -> Timestamp {
        Timestamp(instant.trunc_subsecs(6))
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(timestamp: Timestamp) -> DateTime<Utc> {
        timestamp.0
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_rfc3339())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(|_| {
            serde::de::Error::custom("expected an RFC 3339 date-time, like 2026-01-31T12:00:00Z")
        })
    }
}

impl JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date-time" })
    }
}

impl FromSql<Timestamptz, Pg> for Timestamp {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Timestamp> {
        <DateTime<Utc> as FromSql<diesel::sql_types::Timestamptz, Pg>>::from_sql(bytes)
            .map(Timestamp)
    }
}

impl ToSql<Timestamptz, Pg> for Timestamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <DateTime<Utc> as ToSql<diesel::sql_types::Timestamptz, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<Timestamptz, Sqlite> for Timestamp {
    fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Timestamp> {
        let text = <String as FromSql<diesel::sql_types::Text, Sqlite>>::from_sql(value)?;
        Ok(Timestamp::parse(&text)?)
    }
}

impl ToSql<Timestamptz, Sqlite> for Timestamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.to_rfc3339());
        Ok(IsNull::No)
    }
}

#[cfg(test)]
mod tests {
    use super::Timestamp;

    #[test]
    fn wire_format_is_fixed_width_utc() {
        let t = Timestamp::parse("2026-01-31T13:00:00.5+01:00").unwrap();
        assert_eq!(t.to_string(), "2026-01-31T12:00:00.500000Z");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-01-31T12:00:00.500000Z\""
        );
        let back: Timestamp = serde_json::from_str("\"2026-01-31T12:00:00.500000Z\"").unwrap();
        assert_eq!(back, t);
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
    }

    #[test]
    fn text_order_is_time_order() {
        let a = Timestamp::parse("2026-01-31T12:00:00Z").unwrap();
        let b = Timestamp::parse("2026-01-31T12:00:00.000001Z").unwrap();
        let c = Timestamp::parse("2026-01-31T12:00:00.25Z").unwrap();
        assert!(a.to_string() < b.to_string() && b.to_string() < c.to_string());
    }

    #[test]
    fn precision_is_microseconds() {
        let t = Timestamp::now();
        assert_eq!(t.as_datetime().timestamp_subsec_nanos() % 1000, 0);
        assert_eq!(
            Timestamp::from_timestamp_micros(t.timestamp_micros()),
            Some(t)
        );
    }
}
