//! A small app exercising every part of the pipeline, including actions that misbehave.

use actions_runtime::acl::{Decides, Permission, Policy, ResourceRules};
use actions_runtime::auth::{Role, User};
use actions_runtime::db::{Decimal, Migrations};
use actions_runtime::prelude::*;
use actions_runtime::testing::{Backend, TestAuthenticator, TestClient, TestDb};
use actions_runtime::{Registry, Server};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use tokio::sync::Notify;

pub const MIGRATIONS: Migrations = actions_runtime::migrations!(
    postgres = "tests/migrations/postgres",
    sqlite = "tests/migrations/sqlite",
);

pub mod schema {
    actions_runtime::diesel::table! {
        use actions_runtime::diesel::sql_types::*;
        use actions_runtime::db::sql_types::Timestamptz;

        notes (id) {
            id -> BigInt,
            owner_id -> BigInt,
            body -> Text,
            created_at -> Timestamptz,
        }
    }

    actions_runtime::diesel::table! {
        use actions_runtime::diesel::sql_types::*;
        use actions_runtime::db::sql_types::Numeric;

        prices (id) {
            id -> BigInt,
            amount -> Numeric,
            discount -> Nullable<Numeric>,
        }
    }
}

pub mod prices {
    use super::schema::prices;
    use super::*;

    /// A price, exact: `NUMERIC` in the database, a string of digits on the wire.
    #[input(table = super::schema::prices, insert, schema = "app.rs")]
    pub struct NewPrice;

    #[output]
    #[derive(Debug, diesel::Queryable, diesel::Selectable)]
    #[diesel(table_name = prices)]
    pub struct Price {
        pub id: i64,
        pub amount: Decimal,
        pub discount: Option<Decimal>,
    }

    /// Stores a price and reads it back.
    #[action(public)]
    pub async fn put(ctx: &mut ActionContext, input: NewPrice) -> Result<Price, ActionError> {
        let conn = ctx.db().await?;
        let id: i64 = db!(conn, |c| diesel::insert_into(prices::table)
            .values(&input)
            .returning(prices::id)
            .get_result(c)
            .await)?;
        Ok(db!(conn, |c| prices::table
            .find(id)
            .select(Price::as_select())
            .first(c)
            .await)?)
    }
}

pub mod notes {
    use super::schema::notes;
    use super::*;

    /// A note as the request gives it: the owner and the time are the server's.
    #[input(table = super::schema::notes, insert, server(owner_id, created_at), schema = "app.rs")]
    #[derive(Clone)]
    pub struct NewNote;

    #[input]
    pub struct NoteId {
        pub id: i64,
    }

    #[input]
    #[derive(Clone)]
    pub struct Nothing {}

    #[output]
    #[derive(Debug, diesel::Queryable, diesel::Selectable)]
    #[diesel(table_name = notes)]
    pub struct Note {
        pub id: i64,
        pub owner_id: i64,
        pub body: String,
        pub created_at: Timestamp,
    }

    pub async fn insert_note(ctx: &mut ActionContext, body: &str) -> Result<Note, ActionError> {
        let owner = ctx.user()?.id;
        let conn = ctx.db().await?;
        let note = db!(conn, |c| {
            diesel::insert_into(notes::table)
                .values((
                    notes::owner_id.eq(owner),
                    notes::body.eq(body),
                    notes::created_at.eq(Timestamp::now()),
                ))
                .returning(Note::as_returning())
                .get_result(c)
                .await
        })?;
        Ok(note)
    }

    /// Writes a note.
    #[action(auth, tx)]
    pub async fn create(ctx: &mut ActionContext, input: NewNote) -> Result<Note, ActionError> {
        insert_note(ctx, &input.body).await
    }

    /// Reads a note; a missing one is diesel's `NotFound`, answered `404`.
    #[action(public)]
    pub async fn get(ctx: &mut ActionContext, input: NoteId) -> Result<Note, ActionError> {
        let conn = ctx.db().await?;
        Ok(db!(conn, |c| notes::table
            .find(input.id)
            .select(Note::as_select())
            .first(c)
            .await)?)
    }

    /// How many notes there are.
    #[action(public)]
    pub async fn count(ctx: &mut ActionContext, _: Nothing) -> Result<i64, ActionError> {
        let conn = ctx.db().await?;
        Ok(db!(conn, |c| notes::table.count().get_result(c).await)?)
    }

    /// Writes, then fails: the write must roll back.
    #[action(auth, tx)]
    pub async fn fail_after_write(
        ctx: &mut ActionContext,
        input: NewNote,
    ) -> Result<Note, ActionError> {
        insert_note(ctx, &input.body).await?;
        Err(ActionError::conflict("changed my mind"))
    }

    /// Writes, then panics: the write must roll back and the server keep serving.
    #[action(auth, tx)]
    pub async fn panic_after_write(
        ctx: &mut ActionContext,
        input: NewNote,
    ) -> Result<Note, ActionError> {
        insert_note(ctx, &input.body).await?;
        panic!("boom after writing {}", input.body);
    }

    /// Writes, signals, then hangs: the request is dropped mid-transaction.
    #[action(auth, tx)]
    pub async fn hang_after_write(
        ctx: &mut ActionContext,
        input: NewNote,
    ) -> Result<Note, ActionError> {
        insert_note(ctx, &input.body).await?;
        super::reached(&input.body);
        tokio::time::sleep(std::time::Duration::from_secs(300)).await;
        Err(ActionError::internal("not reached"))
    }

    /// Inserts with an explicit id: the second time is a unique violation, `409`.
    #[action(auth)]
    pub async fn insert_with_id(ctx: &mut ActionContext, input: NoteId) -> Result<(), ActionError> {
        let owner = ctx.user()?.id;
        let conn = ctx.db().await?;
        db!(conn, |c| {
            diesel::insert_into(notes::table)
                .values((
                    notes::id.eq(input.id),
                    notes::owner_id.eq(owner),
                    notes::body.eq("fixed"),
                    notes::created_at.eq(Timestamp::now()),
                ))
                .execute(c)
                .await
        })?;
        Ok(())
    }

    #[input]
    #[derive(Clone)]
    pub struct EditNote {
        pub id: i64,
        pub body: String,
    }

    /// The note an edit applies to, for the policy; `None` when it does not exist.
    pub async fn load_note(
        ctx: &mut ActionContext,
        input: &EditNote,
    ) -> Result<Option<Note>, ActionError> {
        let conn = ctx.db().await?;
        Ok(db!(conn, |c| notes::table
            .find(input.id)
            .select(Note::as_select())
            .first(c)
            .await
            .optional())?)
    }

    /// Rewrites a note: `note:edit` on the loaded note (its owner, or an admin).
    #[action(acl = "note:edit", load = load_note, tx)]
    pub async fn edit(ctx: &mut ActionContext, input: EditNote) -> Result<Note, ActionError> {
        let id = ctx.loaded::<Note>()?.id;
        let conn = ctx.db().await?;
        Ok(db!(conn, |c| diesel::update(notes::table.find(id))
            .set(notes::body.eq(&input.body))
            .returning(Note::as_returning())
            .get_result(c)
            .await)?)
    }

    #[input]
    #[derive(Clone)]
    pub struct Round {
        pub round: i64,
    }

    /// Per round of [`append_counted`]: the barrier its first two runs meet at, and how many
    /// times the handler ran.
    pub static ROUNDS: LazyLock<Mutex<HashMap<i64, RoundState>>> = LazyLock::new(Default::default);

    /// The barrier a round's first two runs meet at, and how many runs there were.
    pub type RoundState = (Arc<tokio::sync::Barrier>, u32);

    /// Write skew, on purpose: counts the round's notes, waits (on its first two runs) until the
    /// other request of the round has counted too, then adds a note numbered one past what it
    /// counted. Run serially, a round's notes are numbered 1 and 2; two overlapping runs would
    /// both write 1, so serializable isolation must fail one, and the runtime must run it again.
    #[action(auth, tx(serializable))]
    pub async fn append_counted(ctx: &mut ActionContext, input: Round) -> Result<i64, ActionError> {
        let owner = ctx.user()?.id;
        let (barrier, run) = {
            let mut rounds = ROUNDS.lock().expect("lock");
            let entry = rounds
                .entry(input.round)
                .or_insert_with(|| (Arc::new(tokio::sync::Barrier::new(2)), 0));
            entry.1 += 1;
            (entry.0.clone(), entry.1)
        };
        let prefix = format!("round-{}:", input.round);
        let conn = ctx.db().await?;
        let seen: i64 = db!(conn, |c| notes::table
            .filter(notes::body.like(format!("{prefix}%")))
            .count()
            .get_result(c)
            .await)?;
        if run <= 2 {
            barrier.wait().await;
        }
        let conn = ctx.db().await?;
        db!(conn, |c| diesel::insert_into(notes::table)
            .values((
                notes::owner_id.eq(owner),
                notes::body.eq(format!("{prefix}{}", seen + 1)),
                notes::created_at.eq(Timestamp::now()),
            ))
            .execute(c)
            .await)?;
        Ok(seen + 1)
    }

    #[input]
    #[derive(Clone)]
    pub struct Sqlstate {
        /// `40001` (serialization failure) or `40P01` (deadlock).
        pub code: String,
    }

    /// How many times [`always_conflicts`] ran, per SQLSTATE.
    pub static CONFLICT_RUNS: LazyLock<Mutex<HashMap<String, u32>>> =
        LazyLock::new(Default::default);

    /// Writes a note, then fails as PostgreSQL does when a transaction loses a conflict, every
    /// time: the retries run out.
    #[action(auth, tx(serializable))]
    pub async fn always_conflicts(
        ctx: &mut ActionContext,
        input: Sqlstate,
    ) -> Result<(), ActionError> {
        *CONFLICT_RUNS
            .lock()
            .expect("lock")
            .entry(input.code.clone())
            .or_default() += 1;
        insert_note(ctx, "doomed").await?;
        let message = if input.code == "40P01" {
            "deadlock detected"
        } else {
            "could not serialize access"
        };
        let DbConn::Postgres(c) = ctx.db().await? else {
            return Err(ActionError::internal("PostgreSQL only"));
        };
        diesel::sql_query(format!(
            "DO $$ BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = '{}'; END $$",
            input.code
        ))
        .execute(&mut **c)
        .await?;
        Ok(())
    }

    /// One action per isolation level, each answering the level its transaction runs at
    /// (PostgreSQL's `transaction_isolation`).
    macro_rules! isolation_probes {
        ($($name:ident: [$($level:tt)*]),*) => {$(
            #[action(public, $($level)*)]
            pub async fn $name(ctx: &mut ActionContext, _: Nothing) -> Result<String, ActionError> {
                #[derive(diesel::QueryableByName)]
                struct Level {
                    #[diesel(sql_type = diesel::sql_types::Text)]
                    level: String,
                }
                let DbConn::Postgres(c) = ctx.db().await? else {
                    return Err(ActionError::internal("PostgreSQL only"));
                };
                let row: Level = diesel::sql_query("SELECT current_setting('transaction_isolation') AS level")
                    .get_result(&mut **c)
                    .await?;
                Ok(row.level)
            }
        )*};
    }
    isolation_probes!(
        isolation_default: [tx],
        isolation_repeatable_read: [tx(repeatable_read)],
        isolation_serializable: [tx(serializable)]
    );

    /// Deletes every note: needs the `note:purge` permission; `()` answers `204`.
    #[action(acl = "note:purge", tx)]
    pub async fn purge(ctx: &mut ActionContext, _: Nothing) -> Result<(), ActionError> {
        let conn = ctx.db().await?;
        db!(conn, |c| diesel::delete(notes::table).execute(c).await)?;
        Ok(())
    }
}

pub mod wire {
    use super::*;

    #[input]
    #[output]
    #[derive(Debug, Clone)]
    pub struct Order {
        pub customer_name: String,
        pub express: bool,
        pub note: Option<String>,
        pub lines: Vec<Line>,
        pub placed_at: Option<Timestamp>,
    }

    #[input]
    #[output]
    #[derive(Debug, Clone)]
    pub struct Line {
        pub sku: String,
        pub quantity: u32,
    }

    /// Returns its input: the decoding and encoding contract.
    #[action(public)]
    pub async fn echo(_: &mut ActionContext, input: Order) -> Result<Order, ActionError> {
        Ok(input)
    }

    #[input]
    pub struct Upload {
        pub title: String,
        pub rating: Option<u8>,
        pub agree: bool,
        pub tags: Vec<String>,
        pub author: Author,
        pub attachment: Option<UploadedFile>,
    }

    #[input]
    pub struct Author {
        pub name: String,
        pub email: Option<String>,
    }

    #[output]
    pub struct UploadSummary {
        pub title: String,
        pub rating: Option<u8>,
        pub agree: bool,
        pub tags: Vec<String>,
        pub author_name: String,
        pub author_email: Option<String>,
        pub attachment_name: Option<String>,
        pub attachment_type: Option<String>,
        pub attachment_size: Option<usize>,
    }

    /// A form action: what the coercions produced.
    #[action(public, accept = "form")]
    pub async fn upload(
        _: &mut ActionContext,
        input: Upload,
    ) -> Result<UploadSummary, ActionError> {
        Ok(UploadSummary {
            title: input.title,
            rating: input.rating,
            agree: input.agree,
            tags: input.tags,
            author_name: input.author.name,
            author_email: input.author.email,
            attachment_name: input
                .attachment
                .as_ref()
                .and_then(|f| f.file_name().map(str::to_owned)),
            attachment_type: input
                .attachment
                .as_ref()
                .and_then(|f| f.content_type().map(str::to_owned)),
            attachment_size: input.attachment.as_ref().map(UploadedFile::len),
        })
    }

    /// Fails with internal detail that must never reach the client.
    #[action(public)]
    pub async fn leak(_: &mut ActionContext, _: super::notes::Nothing) -> Result<(), ActionError> {
        Err(ActionError::internal(
            "SELECT secret FROM vault WHERE password = 'hunter2'",
        ))
    }

    /// Panics before touching the database.
    #[action(public)]
    pub async fn explode(
        _: &mut ActionContext,
        _: super::notes::Nothing,
    ) -> Result<(), ActionError> {
        panic!("kaboom");
    }
}

/// Actions whose runtime bookkeeping is under test: idempotency keys, the audit log,
/// savepoints.
pub mod journal {
    use super::notes::{Note, insert_note};
    use super::schema::notes;
    use super::*;
    use actions_runtime::ErrorCode;

    #[input]
    #[derive(Clone)]
    pub struct Entry {
        pub body: String,
        /// Never in the audit log.
        pub password: Option<String>,
    }

    /// Writes a note; a key is optional; audited.
    #[action(auth, tx, idempotent, audit)]
    pub async fn write(ctx: &mut ActionContext, input: Entry) -> Result<Note, ActionError> {
        insert_note(ctx, &input.body).await
    }

    /// Writes a note; a key is required.
    #[action(auth, tx, idempotent(required))]
    pub async fn write_keyed(ctx: &mut ActionContext, input: Entry) -> Result<Note, ActionError> {
        insert_note(ctx, &input.body).await
    }

    /// Writes, then refuses (`422`): the write rolls back; with a key, the refusal is stored.
    #[action(auth, tx, idempotent, audit)]
    pub async fn refuse(ctx: &mut ActionContext, input: Entry) -> Result<Note, ActionError> {
        insert_note(ctx, &input.body).await?;
        Err(ActionError::new(
            ErrorCode::UNPROCESSABLE_CONTENT,
            "refused after writing",
        ))
    }

    /// The bodies [`stall_once`] has stalled on.
    pub static STALLED: LazyLock<Mutex<std::collections::HashSet<String>>> =
        LazyLock::new(Default::default);

    /// Writes, then hangs the first time it sees a body (so the request times out mid-way),
    /// and answers at once after that.
    #[action(auth, tx, idempotent)]
    pub async fn stall_once(ctx: &mut ActionContext, input: Entry) -> Result<Note, ActionError> {
        let note = insert_note(ctx, &input.body).await?;
        let first = STALLED.lock().expect("lock").insert(input.body.clone());
        if first {
            super::reached(&input.body);
            tokio::time::sleep(std::time::Duration::from_secs(300)).await;
        }
        Ok(note)
    }

    /// Writes, then panics; audited.
    #[action(auth, tx, audit)]
    pub async fn explode(ctx: &mut ActionContext, input: Entry) -> Result<Note, ActionError> {
        insert_note(ctx, &input.body).await?;
        panic!("exploded after writing {}", input.body);
    }

    /// Writes `{body}-outer`, then in a savepoint `{body}-inner`, which fails and rolls back
    /// alone, then `{body}-after`; answers what the savepoint returned.
    #[action(auth, tx)]
    pub async fn nested(ctx: &mut ActionContext, input: Entry) -> Result<String, ActionError> {
        insert_note(ctx, &format!("{}-outer", input.body)).await?;
        let owner = ctx.user()?.id;
        let inner = format!("{}-inner", input.body);
        let conn = ctx.db().await?;
        let failed: Result<(), ActionError> = conn
            .savepoint(|conn| {
                Box::pin(async move {
                    db!(conn, |c| diesel::insert_into(notes::table)
                        .values((
                            notes::owner_id.eq(owner),
                            notes::body.eq(&inner),
                            notes::created_at.eq(Timestamp::now()),
                        ))
                        .execute(c)
                        .await)?;
                    Err(ActionError::conflict("the helper gave up"))
                })
            })
            .await;
        let kept: Result<i64, ActionError> = conn
            .savepoint(|conn| {
                Box::pin(
                    async move { Ok(db!(conn, |c| notes::table.count().get_result(c).await)?) },
                )
            })
            .await;
        insert_note(ctx, &format!("{}-after", input.body)).await?;
        Ok(format!(
            "{}; {} notes",
            failed
                .err()
                .map(|e| e.message().to_owned())
                .unwrap_or_default(),
            kept?
        ))
    }
}

pub fn registry() -> Registry {
    actions_runtime::registry! {
        wire::echo,
        wire::upload,
        wire::leak,
        wire::explode,
        prices: { prices::put },
        notes: {
            notes::create,
            notes::get,
            notes::count,
            notes::fail_after_write,
            notes::panic_after_write,
            notes::hang_after_write,
            notes::insert_with_id,
            notes::purge,
            notes::edit,
            notes::append_counted,
            notes::always_conflicts,
            notes::isolation_default,
            notes::isolation_repeatable_read,
            notes::isolation_serializable,
        },
        journal: {
            journal::write,
            journal::write_keyed,
            journal::refuse,
            journal::explode,
            journal::nested,
            journal::stall_once,
        },
    }
}

/// Grants `note:purge` to user 1 and `note:edit` to owners (admins pass through the base).
pub struct TestPolicy;

impl Policy for TestPolicy {
    fn decides(&self) -> Decides<'_> {
        const NOTES: &[Permission] = &[
            Permission::new("note", "purge"),
            Permission::new("note", "edit"),
        ];
        Decides::Only(NOTES)
    }

    fn allows(&self, user: &User, permission: Permission, action: &str) -> bool {
        if user.has_role(&Role::ADMIN) {
            return true;
        }
        match (permission.resource(), permission.verb()) {
            ("note", "purge") => user.id == 1 && action == "notes.purge",
            ("note", "edit") => user.id != 13, // user 13 may not edit anything
            _ => false,
        }
    }

    fn resources(&self, rules: &mut ResourceRules) {
        rules.on(|user: &User, permission, note: &notes::Note| {
            user.has_role(&Role::ADMIN)
                || (permission == Permission::new("note", "edit") && note.owner_id == user.id)
        });
    }
}

/// The app on a fresh database.
pub struct TestApp {
    pub db: TestDb,
    pub server: Server,
    pub client: TestClient,
}

pub async fn spawn(backend: Backend) -> TestApp {
    spawn_with(backend, |builder| builder).await
}

pub async fn spawn_with(
    backend: Backend,
    configure: impl FnOnce(actions_runtime::ServerBuilder) -> actions_runtime::ServerBuilder,
) -> TestApp {
    let db = TestDb::new(backend, &MIGRATIONS).await;
    db.database()
        .migrate(&actions_runtime::db::RUNTIME_MIGRATIONS)
        .await
        .expect("the runtime's tables");
    let builder = Server::builder(registry())
        .database(db.database().clone())
        .authenticator(TestAuthenticator)
        .policy(TestPolicy);
    let server = configure(builder).build().expect("the test server builds");
    let client = TestClient::new(server.router());
    TestApp { db, server, client }
}

impl TestApp {
    /// A second server over the same database (and pool), configured by `configure`.
    pub fn server_with(
        &self,
        configure: impl FnOnce(actions_runtime::ServerBuilder) -> actions_runtime::ServerBuilder,
    ) -> Server {
        let builder = Server::builder(registry())
            .database(self.db.database().clone())
            .authenticator(TestAuthenticator)
            .policy(TestPolicy);
        configure(builder).build().expect("the test server builds")
    }

    /// A client of a second server over the same database whose requests time out after
    /// `limit`: only the request meant to time out gets a short deadline, so the others cannot
    /// time out by bad luck on a loaded machine.
    pub fn with_timeout(&self, limit: std::time::Duration) -> TestClient {
        TestClient::new(
            self.server_with(|builder| builder.request_timeout(limit))
                .router(),
        )
    }
}

static REACHED: LazyLock<Mutex<HashMap<String, Arc<Notify>>>> = LazyLock::new(Default::default);

/// A signal the `hang_after_write` and `stall_once` handlers give once they have written `key`.
pub fn when_reached(key: &str) -> Arc<Notify> {
    REACHED
        .lock()
        .expect("lock")
        .entry(key.to_owned())
        .or_default()
        .clone()
}

fn reached(key: &str) {
    when_reached(key).notify_one();
}
