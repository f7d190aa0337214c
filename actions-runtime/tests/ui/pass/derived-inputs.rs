//! Inputs derived from a `table!`: every flavour, every supported SQL type, an enum column
//! (the documented equivalent of diesel-derive-enum), refinements, extra fields, and the
//! derived types going straight into diesel's Insertable and AsChangeset.

#[path = "../fixtures/schema.rs"]
mod schema;

use actions_runtime::prelude::*;
use actions_runtime::{ErrorCode, Registry, Server};
use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sqlite::{Sqlite, SqliteValue};
use std::io::Write as _;

/// A mood, stored as the PostgreSQL enum `mood` (text on SQLite).
#[input]
#[output]
#[derive(Debug, Clone, Copy, PartialEq, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
#[diesel(sql_type = schema::sql_types::Mood)]
pub enum Mood {
    Calm,
    Curious,
}

impl actions_runtime::db::WireType for schema::sql_types::Mood {
    type Value = Mood;
}

impl Mood {
    fn label(self) -> &'static str {
        match self {
            Mood::Calm => "calm",
            Mood::Curious => "curious",
        }
    }

    fn from_label(label: &[u8]) -> deserialize::Result<Mood> {
        match label {
            b"calm" => Ok(Mood::Calm),
            b"curious" => Ok(Mood::Curious),
            _ => Err("unknown mood".into()),
        }
    }
}

impl ToSql<schema::sql_types::Mood, Pg> for Mood {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(self.label().as_bytes())?;
        Ok(IsNull::No)
    }
}

impl FromSql<schema::sql_types::Mood, Pg> for Mood {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Mood> {
        Mood::from_label(value.as_bytes())
    }
}

impl ToSql<schema::sql_types::Mood, Sqlite> for Mood {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.label());
        Ok(IsNull::No)
    }
}

impl FromSql<schema::sql_types::Mood, Sqlite> for Mood {
    fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Mood> {
        let text = <String as FromSql<diesel::sql_types::Text, Sqlite>>::from_sql(value)?;
        Mood::from_label(text.as_bytes())
    }
}

/// Insert: every column but the generated key and what the server sets; `views` has a
/// database default, so it may be left out; an extra field with a cross-field check.
#[input(
    table = schema::notes,
    insert,
    default(views),
    server(author_id, created_at),
    schema = "../fixtures/schema.rs",
    validate = Self::check,
)]
pub struct NewNote {
    #[field(trim, min_length = 1)]
    pub title: _,
    #[field(max_length = 5000)]
    pub body: _,
    #[field(min = 1, max = 5)]
    pub rating: _,
    pub views: _,
    pub score: _,
    pub pinned: _,
    #[field(custom = not_nil)]
    pub public_id: _,
    pub due: _,
    pub meta: _,
    pub mood: _,
    /// Not a column: must repeat `title`.
    pub title_again: String,
}

fn not_nil(id: &uuid::Uuid) -> Result<(), String> {
    if id.is_nil() { Err("must not be the nil UUID".into()) } else { Ok(()) }
}

impl NewNote {
    fn check(&self, errors: &mut FieldErrors) {
        if self.title != self.title_again {
            errors.add("titleAgain", "must repeat the title");
        }
    }
}

/// Update: a patch of some columns; `score` and `due` are nullable, so `null` clears them.
#[input(table = schema::notes, update, omit(author_id, created_at, public_id), schema = "../fixtures/schema.rs")]
#[derive(Clone)]
pub struct EditNote {
    pub id: _,
    #[field(trim, min_length = 1)]
    pub title: _,
    pub body: _,
    pub rating: _,
    pub views: _,
    pub score: _,
    pub pinned: _,
    pub due: _,
    pub meta: _,
    pub mood: _,
}

/// Select: the key, required.
#[input(table = schema::notes, select, pick(id), schema = "../fixtures/schema.rs")]
#[derive(Clone, Copy)]
pub struct NoteId;

/// A column written with its type spelled out: checked against the column.
#[input(table = schema::notes, select, pick(public_id, title), schema = "../fixtures/schema.rs")]
pub struct ByPublicId {
    pub public_id: uuid::Uuid,
    #[field(email)]
    pub title: String,
}

/// `uuid` and the `mood` enum exist only on PostgreSQL, so this query is written for that
/// backend alone instead of through `db!`, which type-checks both.
#[action(auth)]
pub async fn create(ctx: &mut ActionContext, input: NewNote) -> Result<i64, ActionError> {
    let author = ctx.user()?.id;
    let DbConn::Postgres(c) = ctx.db().await? else {
        return Err(ActionError::new(ErrorCode::NOT_IMPLEMENTED, "notes need PostgreSQL"));
    };
    let id = diesel::insert_into(schema::notes::table)
        .values((
            &input,
            schema::notes::author_id.eq(author),
            schema::notes::created_at.eq(Timestamp::now()),
        ))
        .returning(schema::notes::id)
        .get_result(&mut **c)
        .await?;
    Ok(id)
}

#[action(auth, tx)]
pub async fn edit(ctx: &mut ActionContext, input: EditNote) -> Result<(), ActionError> {
    let DbConn::Postgres(c) = ctx.db().await? else {
        return Err(ActionError::new(ErrorCode::NOT_IMPLEMENTED, "notes need PostgreSQL"));
    };
    diesel::update(schema::notes::table.find(input.id)).set(&input).execute(&mut **c).await?;
    Ok(())
}

#[action(public)]
pub async fn exists(ctx: &mut ActionContext, input: NoteId) -> Result<bool, ActionError> {
    let conn = ctx.db().await?;
    let found: Option<i64> = db!(conn, |c| schema::notes::table
        .find(input.id)
        .select(schema::notes::id)
        .first(c)
        .await
        .optional())?;
    Ok(found.is_some())
}

#[action(public)]
pub async fn by_public_id(_ctx: &mut ActionContext, input: ByPublicId) -> Result<String, ActionError> {
    Ok(format!("{} {}", input.public_id, input.title))
}

fn registry() -> Registry {
    actions_runtime::registry! {
        note: { create, edit, exists, by_public_id },
    }
}

fn main() {
    let _ = Server::builder(registry());
}
