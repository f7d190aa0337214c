//! A pooled connection to either backend, and the guard that keeps open transactions out of
//! the pool.

use diesel::QueryResult;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::Object;
use diesel_async::{AsyncConnection, TransactionManager};
use std::ops::{Deref, DerefMut};

/// A PostgreSQL connection (diesel-async, over tokio-postgres).
pub type PgConnection = diesel_async::AsyncPgConnection;
/// A SQLite connection: diesel's, run on tokio's blocking threads by diesel-async's wrapper.
pub type SqliteConnection =
    diesel_async::sync_connection_wrapper::SyncConnectionWrapper<diesel::SqliteConnection>;

/// A connection checked out of the pool for one request.
///
/// Write a query once for both backends with [`db!`](crate::db!); match the variants for
/// backend-specific SQL.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one per request, held in place: boxing buys nothing
pub enum DbConn {
    /// A PostgreSQL connection.
    Postgres(Pooled<PgConnection>),
    /// A SQLite connection.
    Sqlite(Pooled<SqliteConnection>),
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
            $crate::DbConn::Postgres($conn) => {
                let $conn: &mut $crate::PgConnection = &mut *$conn;
                $body
            }
            $crate::DbConn::Sqlite($conn) => {
                let $conn: &mut $crate::SqliteConnection = &mut *$conn;
                $body
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
        match self {
            DbConn::Postgres(conn) => {
                conn.must_close = true;
                diesel_async::AnsiTransactionManager::begin_transaction_sql(
                    &mut **conn,
                    isolation.begin_sql(),
                )
                .await
            }
            DbConn::Sqlite(conn) => {
                conn.must_close = true;
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
        match self {
            DbConn::Postgres(conn) => {
                <PgConnection as AsyncConnection>::TransactionManager::begin_transaction(
                    &mut **conn,
                )
                .await?;
            }
            DbConn::Sqlite(conn) => {
                <SqliteConnection as AsyncConnection>::TransactionManager::begin_transaction(
                    &mut **conn,
                )
                .await?;
            }
        }
        let result = work(self).await;
        let settled = match (&result, &mut *self) {
            (Ok(_), DbConn::Postgres(conn)) => {
                <PgConnection as AsyncConnection>::TransactionManager::commit_transaction(
                    &mut **conn,
                )
                .await
            }
            (Ok(_), DbConn::Sqlite(conn)) => {
                <SqliteConnection as AsyncConnection>::TransactionManager::commit_transaction(
                    &mut **conn,
                )
                .await
            }
            (Err(_), DbConn::Postgres(conn)) => {
                <PgConnection as AsyncConnection>::TransactionManager::rollback_transaction(
                    &mut **conn,
                )
                .await
            }
            (Err(_), DbConn::Sqlite(conn)) => {
                <SqliteConnection as AsyncConnection>::TransactionManager::rollback_transaction(
                    &mut **conn,
                )
                .await
            }
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
        let result = match self {
            DbConn::Postgres(conn) => {
                <PgConnection as AsyncConnection>::TransactionManager::commit_transaction(
                    &mut **conn,
                )
                .await
            }
            DbConn::Sqlite(conn) => {
                <SqliteConnection as AsyncConnection>::TransactionManager::commit_transaction(
                    &mut **conn,
                )
                .await
            }
        };
        self.settled(result.is_ok());
        result
    }

    /// Rolls the action's transaction back.
    pub(crate) async fn rollback(&mut self) -> QueryResult<()> {
        let result = match self {
            DbConn::Postgres(conn) => {
                <PgConnection as AsyncConnection>::TransactionManager::rollback_transaction(
                    &mut **conn,
                )
                .await
            }
            DbConn::Sqlite(conn) => {
                <SqliteConnection as AsyncConnection>::TransactionManager::rollback_transaction(
                    &mut **conn,
                )
                .await
            }
        };
        self.settled(result.is_ok());
        result
    }

    /// Marks the connection for closing when it is dropped, whatever its state.
    pub(crate) fn discard(&mut self) {
        match self {
            DbConn::Postgres(conn) => conn.must_close = true,
            DbConn::Sqlite(conn) => conn.must_close = true,
        }
    }

    /// Marks the request as completed, so the connection may return to the pool (rather than
    /// being closed as after a dropped request).
    pub(crate) fn finish(&mut self) {
        match self {
            DbConn::Postgres(conn) => conn.finish(),
            DbConn::Sqlite(conn) => conn.finish(),
        }
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
            match self {
                DbConn::Postgres(conn) => conn.must_close = false,
                DbConn::Sqlite(conn) => conn.must_close = false,
            }
        }
    }
}

/// A pooled connection that dereferences to the backend's connection type.
///
/// When it is dropped with a transaction open — the request future was dropped, a handler
/// panicked mid-commit, COMMIT or ROLLBACK failed — the connection is closed instead of going
/// back to the pool, so the database rolls the transaction back at once and no later request
/// inherits it.
pub struct Pooled<C>
where
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager<Type = C>,
    C: ReuseCheck,
{
    object: Option<Object<C>>,
    /// Close rather than pool: a transaction of ours may be open (BEGIN sent, no COMMIT or
    /// ROLLBACK confirmed), or the request was abandoned mid-way.
    must_close: bool,
    finished: bool,
}

impl<C> Pooled<C>
where
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager<Type = C>,
    C: ReuseCheck,
{
    pub(crate) fn new(object: Object<C>) -> Pooled<C> {
        Pooled {
            object: Some(object),
            must_close: false,
            finished: false,
        }
    }

    /// Marks the request as completed, so the connection may go back to the pool.
    pub(crate) fn finish(&mut self) {
        self.finished = true;
    }
}

impl<C> std::fmt::Debug for Pooled<C>
where
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager<Type = C>,
    C: ReuseCheck,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pooled")
            .field("must_close", &self.must_close)
            .finish_non_exhaustive()
    }
}

impl<C> Deref for Pooled<C>
where
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager<Type = C>,
    C: ReuseCheck,
{
    type Target = C;

    fn deref(&self) -> &C {
        self.object
            .as_deref()
            .expect("a pooled connection is present until dropped")
    }
}

impl<C> DerefMut for Pooled<C>
where
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager<Type = C>,
    C: ReuseCheck,
{
    fn deref_mut(&mut self) -> &mut C {
        self.object
            .as_deref_mut()
            .expect("a pooled connection is present until dropped")
    }
}

impl<C> Drop for Pooled<C>
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
/// the request completed rather than being dropped mid-way.
pub trait ReuseCheck: Send + 'static {
    #[doc(hidden)]
    fn reusable(&mut self, finished: bool) -> bool;
}

impl ReuseCheck for PgConnection {
    fn reusable(&mut self, _finished: bool) -> bool {
        // Open transaction (one the handler opened itself), interrupted BEGIN/COMMIT, or a
        // closed socket.
        !diesel_async::pooled_connection::PoolableConnection::is_broken(self)
    }
}

impl ReuseCheck for SqliteConnection {
    fn reusable(&mut self, finished: bool) -> bool {
        // A request dropped mid-query leaves the query running on a blocking thread, and
        // reading the transaction state of a connection in that state panics — here, or in the
        // pool's own check at the next checkout. So only a request that finished returns its
        // connection; any other closes it (cheap: a file handle).
        finished
    }
}
