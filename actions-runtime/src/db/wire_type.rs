//! The Rust type each SQL type travels as, for inputs derived from `table!`:
//! `Wire<<posts::title as Expression>::SqlType>` is `String`.

use super::sql_types::{Numeric, Timestamptz};
use super::{Decimal, Timestamp};
use diesel::sql_types;

/// The wire (and Rust) type of values of a SQL type. Implement it for your own SQL types — an
/// enum from diesel-derive-enum, say — to derive inputs from columns of that type:
///
/// ```ignore
/// impl actions_runtime::WireType for crate::schema::sql_types::PostStatus {
///     type Value = crate::PostStatus; // #[input] #[output] enum with FromSql/ToSql
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "inputs cannot be derived from columns of SQL type `{Self}` yet",
    note = "implement `actions_runtime::WireType` for `{Self}` to say which Rust type its values travel as"
)]
pub trait WireType {
    /// The Rust type.
    type Value;
}

/// The wire type of SQL type `ST`.
pub type Wire<ST> = <ST as WireType>::Value;

macro_rules! wire_types {
    ($($sql:ty => $rust:ty,)*) => {$(
        impl WireType for $sql {
            type Value = $rust;
        }
    )*};
}

wire_types! {
    sql_types::SmallInt => i16,
    sql_types::Integer => i32,
    sql_types::BigInt => i64,
    sql_types::Float => f32,
    sql_types::Double => f64,
    sql_types::Numeric => Decimal,
    Numeric => Decimal,
    sql_types::Text => String,
    sql_types::Bool => bool,
    sql_types::Binary => Vec<u8>,
    sql_types::Date => chrono::NaiveDate,
    sql_types::Time => chrono::NaiveTime,
    sql_types::Timestamp => Timestamp,
    sql_types::Timestamptz => Timestamp,
    sql_types::Uuid => uuid::Uuid,
    sql_types::Json => serde_json::Value,
    sql_types::Jsonb => serde_json::Value,
    Timestamptz => Timestamp,
}

impl<ST: WireType + sql_types::SqlType> WireType for sql_types::Nullable<ST> {
    type Value = Option<ST::Value>;
}

/// diesel's naive `Timestamp`, read and written as UTC.
mod naive_timestamp {
    use crate::db::Timestamp;
    use chrono::NaiveDateTime;
    use diesel::deserialize::{self, FromSql};
    use diesel::pg::{Pg, PgValue};
    use diesel::serialize::{self, Output, ToSql};
    use diesel::sql_types;
    use diesel::sqlite::{Sqlite, SqliteValue};

    impl FromSql<sql_types::Timestamp, Pg> for Timestamp {
        fn from_sql(value: PgValue<'_>) -> deserialize::Result<Timestamp> {
            <NaiveDateTime as FromSql<sql_types::Timestamp, Pg>>::from_sql(value)
                .map(|t| Timestamp::from(t.and_utc()))
        }
    }

    impl FromSql<sql_types::Timestamp, Sqlite> for Timestamp {
        fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Timestamp> {
            <NaiveDateTime as FromSql<sql_types::Timestamp, Sqlite>>::from_sql(value)
                .map(|t| Timestamp::from(t.and_utc()))
        }
    }

    impl ToSql<sql_types::Timestamp, Pg> for Timestamp {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
            let naive = self.as_datetime().naive_utc();
            <NaiveDateTime as ToSql<sql_types::Timestamp, Pg>>::to_sql(&naive, &mut out.reborrow())
        }
    }

    impl ToSql<sql_types::Timestamp, Sqlite> for Timestamp {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
            out.set_value(
                self.as_datetime()
                    .naive_utc()
                    .format("%F %T%.6f")
                    .to_string(),
            );
            Ok(serialize::IsNull::No)
        }
    }

    impl FromSql<sql_types::Timestamptz, Pg> for Timestamp {
        fn from_sql(value: PgValue<'_>) -> deserialize::Result<Timestamp> {
            <Timestamp as FromSql<crate::db::sql_types::Timestamptz, Pg>>::from_sql(value)
        }
    }

    impl ToSql<sql_types::Timestamptz, Pg> for Timestamp {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
            <Timestamp as ToSql<crate::db::sql_types::Timestamptz, Pg>>::to_sql(self, out)
        }
    }
}
