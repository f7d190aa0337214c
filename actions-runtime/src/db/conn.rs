//! A pooled connection to either backend, and the rules for giving it back: a connection goes
//! back to the pool when the work that used it completed, and is closed when it may be unsafe to
//! reuse (a transaction left open, a query abandoned mid-way).

use diesel::QueryResult;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::Object;
use diesel_async::{AsyncConnection, TransactionManager};
use std::ops::{Deref, DerefMut};

/// diesel-async's PostgreSQL connection (over tokio-postgres), under its own name.
pub use diesel_async::AsyncPgConnection;

/// A SQLite connection for async code: diesel's, run on tokio's blocking threads by
/// diesel-async's wrapper (not to be confused with `diesel::SqliteConnection`, the blocking one
/// inside it).
pub type AsyncSqliteConnection =
    diesel_async::sync_connection_wrapper::SyncConnectionWrapper<diesel::SqliteConnection>;

/// A connection checked out of the pool: by [`ActionContext::db`](crate::ActionContext::db) for
/// a request (under `tx`, the transaction's), or by [`Database::run`](super::Database::run).
///
/// Write a query once for both backends with [`db!`](crate::db!); match the variants for
/// backend-specific SQL (`if let DbConn::Postgres(pg) = conn { … &mut **pg … }`).
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one per request, held in place: boxing buys nothing
pub enum DbConn {
    /// A PostgreSQL connection.
    Postgres(PgConn),
    /// A SQLite connection.
    Sqlite(SqliteConn),
}

/// Runs `$body` with `$conn` bound to the concrete connection of whichever backend `$db`
/// (a `&mut DbConn`) is on. The body is type-checked once per backend, so a query that one
/// backend cannot run fails to compile.
///
/// ```ignore
/// let conn = ctx.db().await?;
/// let post: Post = db!(conn, |c| posts::table.find(id).select(Post::as_select()).first(c).await)?;
/// ```
#[macro_export]
macro_rules! db {
    ($db:expr, |$conn:ident| $body:expr $(,)?) => {
        match $db {
            $crate::db::DbConn::Postgres($conn) => {
                let $conn: &mut $crate::db::AsyncPgConnection = &mut *$conn;
                $body
            }
            $crate::db::DbConn::Sqlite($conn) => {
                let $conn: &mut $crate::db::AsyncSqliteConnection = &mut *$conn;
                $body
            }
        }
    };
}

macro_rules! pooled_connection {
    ($(#[$doc:meta])* $name:ident => $connection:ty) => {
        $(#[$doc])*
        pub struct $name(Slot<$connection>);

        impl $name {
            pub(super) fn new(object: Object<$connection>) -> $name {
                $name(Slot {
                    object: Some(object),
                    must_close: false,
                    finished: false,
                })
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("must_close", &self.0.must_close)
                    .finish_non_exhaustive()
            }
        }

        impl Deref for $name {
            type Target = $connection;

            fn deref(&self) -> &$connection {
                self.0.connection()
            }
        }

        impl DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $connection {
                self.0.connection_mut()
            }
        }
    };
}

pooled_connection! {
    /// A pooled PostgreSQL connection; dereferences to [`AsyncPgConnection`].
    PgConn => AsyncPgConnection
}

pooled_connection! {
    /// A pooled SQLite connection; dereferences to [`AsyncSqliteConnection`].
    SqliteConn => AsyncSqliteConnection
}

/// The pool's object with what decides its fate when dropped.
///
/// When it is dropped with a transaction open — the request future was dropped, a handler
/// panicked mid-commit, COMMIT or ROLLBACK failed — or before the work that used it completed,
/// the connection is closed instead of going back to the pool, so the database rolls the
/// transaction back at once and no later request inherits it.
struct Slot<C>
where
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager<Type = C>,
    C: ReuseCheck,
{
    object: Option<Object<C>>,
    /// Close rather than pool: a transaction of ours may be open (BEGIN sent, no COMMIT or
    /// ROLLBACK confirmed), or the request was abandoned mid-way.
    must_close: bool,
    /// The work that used the connection completed (rather than being dropped mid-way).
    finished: bool,
}

impl<C> Slot<C>
where
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager<Type = C>,
    C: ReuseCheck,
{
    fn connection(&self) -> &C {
        self.object
            .as_deref()
            .expect("a pooled connection is present until dropped")
    }

    fn connection_mut(&mut self) -> &mut C {
        self.object
            .as_deref_mut()
            .expect("a pooled connection is present until dropped")
    }
}

impl<C> Drop for Slot<C>
where
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager<Type = C>,
    C: ReuseCheck,
{
    fn drop(&mut self) {
        if let Some(mut object) = self.object.take()
            && (self.must_close || !C::reusable(&mut object, self.finished))
        {
            // Detach from the pool; dropping the connection closes it.
            drop(Object::take(object));
        }
    }
}

/// Whether a connection without a transaction of ours may go back to the pool; `finished` says
/// the work that used it completed rather than being dropped mid-way.
trait ReuseCheck: Send + 'static {
    fn reusable(&mut self, finished: bool) -> bool;
}

impl ReuseCheck for AsyncPgConnection {
    fn reusable(&mut self, finished: bool) -> bool {
        // Work dropped mid-query leaves the query running on the server, and the next user of
        // the connection would wait behind it: close it (PostgreSQL then cancels the query when
        // the session ends). Otherwise: an open transaction (one the handler opened itself), an
        // interrupted BEGIN/COMMIT, or a closed socket.
        finished && !diesel_async::pooled_connection::PoolableConnection::is_broken(self)
    }
}

impl ReuseCheck for AsyncSqliteConnection {
    fn reusable(&mut self, finished: bool) -> bool {
        // Work dropped mid-query leaves the query running on a blocking thread, and reading the
        // transaction state of a connection in that state panics — here, or in the pool's own
        // check at the next checkout. So only a connection whose work completed goes back (it
        // is then checked like any other); any other closes (cheap: a file handle).
        finished && !diesel_async::pooled_connection::PoolableConnection::is_broken(self)
    }
}

/// The slot of either backend, for what both do alike.
macro_rules! slot {
    ($conn:expr, |$slot:ident| $body:expr) => {
        match $conn {
            DbConn::Postgres(PgConn($slot)) => $body,
            DbConn::Sqlite(SqliteConn($slot)) => $body,
        }
    };
}

/// Calls diesel-async's transaction manager of whichever backend `$conn` is on.
macro_rules! db_transaction_manager {
    ($conn:expr, $method:ident) => {
        async {
            match &mut *$conn {
                DbConn::Postgres(conn) => {
                    <AsyncPgConnection as AsyncConnection>::TransactionManager::$method(&mut **conn)
                        .await
                }
                DbConn::Sqlite(conn) => {
                    <AsyncSqliteConnection as AsyncConnection>::TransactionManager::$method(
                        &mut **conn,
                    )
                    .await
                }
            }
        }
    };
}

impl DbConn {
    /// The backend of this connection.
    pub fn backend(&self) -> super::Backend {
        match self {
            DbConn::Postgres(_) => super::Backend::Postgres,
            DbConn::Sqlite(_) => super::Backend::Sqlite,
        }
    }

    /// Opens the action's transaction: `BEGIN ISOLATION LEVEL …` on PostgreSQL, `BEGIN
    /// IMMEDIATE` on SQLite so a writer takes the write lock up front and concurrent writers wait
    /// (busy timeout) instead of failing when they upgrade from reading.
    pub(crate) async fn begin(&mut self, isolation: super::Isolation) -> QueryResult<()> {
        slot!(self, |slot| slot.must_close = true);
        match self {
            DbConn::Postgres(conn) => {
                diesel_async::AnsiTransactionManager::begin_transaction_sql(
                    &mut **conn,
                    super::transaction::begin_sql(isolation),
                )
                .await
            }
            DbConn::Sqlite(conn) => {
                conn.spawn_blocking(|inner| {
                    diesel::connection::AnsiTransactionManager::begin_transaction_sql(
                        inner,
                        "BEGIN IMMEDIATE",
                    )
                })
                .await
            }
        }
    }

    /// Runs `work` in a savepoint of the open transaction (a transaction of its own when none is
    /// open): released when it returns `Ok`, rolled back to — undoing only what `work` wrote —
    /// when it returns `Err`, which is passed on. The way a helper that may fail runs inside a
    /// `tx` action without deciding the fate of the action's other writes:
    ///
    /// ```ignore
    /// let conn = ctx.db().await?;
    /// let tagged = conn.savepoint(|conn| Box::pin(async move { add_tags(conn, &tags).await })).await;
    /// ```
    pub async fn savepoint<T, E, F>(&mut self, work: F) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut DbConn) -> futures_util::future::BoxFuture<'c, Result<T, E>>,
        E: From<diesel::result::Error>,
    {
        db_transaction_manager!(self, begin_transaction).await?;
        let result = work(self).await;
        let settled = match &result {
            Ok(_) => db_transaction_manager!(self, commit_transaction).await,
            Err(_) => db_transaction_manager!(self, rollback_transaction).await,
        };
        match settled {
            Ok(()) => result,
            // A failed RELEASE or ROLLBACK TO leaves the transaction broken: the action's own
            // COMMIT fails too, and the connection is closed rather than pooled.
            Err(error) => Err(result.err().unwrap_or_else(|| E::from(error))),
        }
    }

    /// Commits the action's transaction.
    pub(crate) async fn commit(&mut self) -> QueryResult<()> {
        let result = db_transaction_manager!(self, commit_transaction).await;
        self.settled(result.is_ok());
        result
    }

    /// Rolls the action's transaction back.
    pub(crate) async fn rollback(&mut self) -> QueryResult<()> {
        let result = db_transaction_manager!(self, rollback_transaction).await;
        self.settled(result.is_ok());
        result
    }

    /// Marks the connection for closing when it is dropped, whatever its state.
    pub(crate) fn discard(&mut self) {
        slot!(self, |slot| slot.must_close = true);
    }

    /// Marks the work that used the connection as completed, so it may return to the pool
    /// (rather than being closed as after work dropped mid-way).
    pub(crate) fn finish(&mut self) {
        slot!(self, |slot| slot.finished = true);
    }

    /// Ends a transaction whose COMMIT failed: rolls back unless diesel already did. Whether
    /// the connection is clean again (and may run the next attempt).
    pub(crate) async fn abandon(&mut self) -> bool {
        match self.rollback().await {
            Ok(()) => true,
            Err(diesel::result::Error::NotInTransaction) => {
                self.settled(true);
                true
            }
            Err(_) => false,
        }
    }

    /// Marks the transaction closed once COMMIT or ROLLBACK went through; if neither did, the
    /// connection stays marked and is closed rather than pooled.
    fn settled(&mut self, ok: bool) {
        if ok {
            slot!(self, |slot| slot.must_close = false);
        }
    }
}
