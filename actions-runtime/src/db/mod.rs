//! The database: PostgreSQL (native async, the production path) or SQLite (bundled, the
//! embedded default), chosen at run time by the URL scheme, behind one pool type
//! ([`Database`]), with migrations, transactions, and the value types that read the same on
//! both backends ([`Timestamp`], [`Decimal`]).
//!
//! Queries are written once and type-checked for both backends with [`db!`](crate::db!).
//!
//! In the runtime's layers this is the lowest but errors: it knows nothing of actions.

mod conn;
mod decimal;
mod migrate;
mod pagination;
mod timestamp;
mod transaction;
mod wire_type;

pub use conn::{AsyncPgConnection, AsyncSqliteConnection, DbConn, PgConn, SqliteConn};
pub use decimal::{Decimal, ParseDecimalError};
pub use migrate::{Migrations, RUNTIME_MIGRATIONS};
pub use pagination::{Page, decode_cursor, encode_cursor, like_contains};
pub use timestamp::Timestamp;
pub use transaction::Isolation;
#[cfg(feature = "accounts")]
pub(crate) use transaction::{TransactionError, transaction};
pub use wire_type::{Wire, WireType};

/// SQL types that diesel lacks for running one `table!` on both backends: `Timestamptz` (a
/// UTC instant on both) and `Numeric` (exact decimals on both).
pub mod sql_types {
    pub use super::decimal::Numeric;
    pub use super::timestamp::Timestamptz;
}

use crate::error::ActionError;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, SimpleAsyncConnection};
use std::path::Path;
use std::time::Duration;

/// Which database a [`Database`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL through tokio-postgres: `postgres://` or `postgresql://` URLs.
    Postgres,
    /// Bundled SQLite, one file: `sqlite://path/to/file.db` or `sqlite:path`.
    Sqlite,
}

impl Backend {
    /// The backend a URL names, and for SQLite the file path.
    fn of_url(url: &str) -> Result<(Backend, &str), DatabaseError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok((Backend::Postgres, url));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| DatabaseError::UnsupportedUrl(redact(url)))?;
        if path.is_empty() || path.contains(":memory:") || path.contains("mode=memory") {
            return Err(DatabaseError::InMemorySqlite);
        }
        Ok((Backend::Sqlite, path))
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Postgres => "PostgreSQL",
            Backend::Sqlite => "SQLite",
        })
    }
}

/// Pool and connection settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DatabaseOptions {
    /// Most connections open at once.
    pub max_connections: usize,
    /// How long a request waits for a free connection before `503 SERVICE_UNAVAILABLE`.
    pub acquire_timeout: Duration,
    /// How long SQLite waits for another writer before giving up (`PRAGMA busy_timeout`).
    pub sqlite_busy_timeout: Duration,
}

impl Default for DatabaseOptions {
    fn default() -> DatabaseOptions {
        DatabaseOptions {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
            sqlite_busy_timeout: Duration::from_secs(5),
        }
    }
}

impl DatabaseOptions {
    /// Sets [`max_connections`](Self::max_connections).
    pub fn max_connections(mut self, max: usize) -> DatabaseOptions {
        self.max_connections = max.max(1);
        self
    }

    /// Sets [`acquire_timeout`](Self::acquire_timeout).
    pub fn acquire_timeout(mut self, timeout: Duration) -> DatabaseOptions {
        self.acquire_timeout = timeout;
        self
    }

    /// Sets [`sqlite_busy_timeout`](Self::sqlite_busy_timeout).
    pub fn sqlite_busy_timeout(mut self, timeout: Duration) -> DatabaseOptions {
        self.sqlite_busy_timeout = timeout;
        self
    }
}

/// Why a database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatabaseError {
    /// The URL names no supported backend.
    #[error(
        "unsupported database URL `{0}`: use postgres://user@host/db or sqlite://path/to/file.db"
    )]
    UnsupportedUrl(String),
    /// An in-memory SQLite database would be a different, empty database per pooled connection.
    #[error(
        "in-memory SQLite is not supported: every pooled connection would see its own empty database; use a file"
    )]
    InMemorySqlite,
    /// The database could not be reached.
    #[error("could not connect to the {backend} database: {source}")]
    Connect {
        /// Which backend.
        backend: Backend,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migration(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// What a pool holds, for metrics and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStatus {
    /// Connections open, in use or idle.
    pub open: usize,
    /// Open connections waiting in the pool.
    pub idle: usize,
    /// The most connections the pool opens.
    pub max: usize,
}

/// A pool of connections to one database; cheap to clone.
#[derive(Clone)]
pub struct Database {
    pools: Pools,
}

#[derive(Clone)]
enum Pools {
    Postgres(Pool<AsyncPgConnection>),
    Sqlite(Pool<AsyncSqliteConnection>),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = match &self.pools {
            Pools::Postgres(pool) => pool.status(),
            Pools::Sqlite(pool) => pool.status(),
        };
        f.debug_struct("Database")
            .field("backend", &self.backend())
            .field("size", &status.size)
            .field("available", &status.available)
            .finish()
    }
}

impl Database {
    /// Opens a pool to `url` with default options; the backend follows the URL scheme.
    /// One connection is made at once, so a wrong URL fails here rather than on the first request.
    pub async fn connect(url: &str) -> Result<Database, DatabaseError> {
        Database::connect_with(url, DatabaseOptions::default()).await
    }

    /// Opens a pool to `url` with `options`.
    pub async fn connect_with(
        url: &str,
        options: DatabaseOptions,
    ) -> Result<Database, DatabaseError> {
        let (backend, target) = Backend::of_url(url)?;
        let connect_error = |source: Box<dyn std::error::Error + Send + Sync>| {
            DatabaseError::Connect { backend, source }
        };
        let pools = match backend {
            Backend::Postgres => {
                let mut config = ManagerConfig::<AsyncPgConnection>::default();
                // A closed socket or an open transaction is caught without a round trip
                // (AsyncPgConnection's `is_broken`); a ping per checkout would cost one.
                config.recycling_method = RecyclingMethod::Fast;
                let manager = AsyncDieselConnectionManager::new_with_config(target, config);
                Pools::Postgres(build_pool(manager, &options).map_err(connect_error)?)
            }
            Backend::Sqlite => {
                if let Some(parent) = Path::new(target)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                {
                    std::fs::create_dir_all(parent).map_err(|e| connect_error(e.into()))?;
                }
                // busy_timeout first: `journal_mode` takes a lock, and a connection opened while
                // another writes would otherwise fail at once with "database is locked".
                let pragmas = format!(
                    "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                    options.sqlite_busy_timeout.as_millis()
                );
                let mut config = ManagerConfig::<AsyncSqliteConnection>::default();
                config.recycling_method = RecyclingMethod::Fast;
                config.custom_setup = Box::new(move |path| {
                    let pragmas = pragmas.clone();
                    let path = path.to_owned();
                    Box::pin(async move {
                        let mut conn = AsyncSqliteConnection::establish(&path).await?;
                        conn.batch_execute(&pragmas)
                            .await
                            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                        Ok(conn)
                    })
                });
                let manager = AsyncDieselConnectionManager::new_with_config(target, config);
                Pools::Sqlite(build_pool(manager, &options).map_err(connect_error)?)
            }
        };
        let database = Database { pools };
        database
            .get()
            .await
            .map_err(|error| connect_error(Box::new(error)))?;
        Ok(database)
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Postgres(_) => Backend::Postgres,
            Pools::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Runs `work` with a connection from the pool, which goes back to the pool when `work`
    /// completes — with `Ok` or `Err` alike — and is closed instead if `work` is dropped
    /// mid-way (its query may still be running) or leaves a transaction open. `503
    /// SERVICE_UNAVAILABLE` if no connection frees up within the acquire timeout.
    ///
    /// ```ignore
    /// let count: i64 = database
    ///     .run(async |conn| db!(conn, |c| posts::table.count().get_result(c).await))
    ///     .await??;
    /// ```
    pub async fn run<T>(&self, work: impl AsyncFnOnce(&mut DbConn) -> T) -> Result<T, ActionError> {
        let mut conn = self.get().await?;
        let result = work(&mut conn).await;
        conn.finish();
        Ok(result)
    }

    /// A pooled connection; `503 SERVICE_UNAVAILABLE` if none frees up within the acquire
    /// timeout. It is closed when dropped unless [`DbConn::finish`] marked its work completed:
    /// outside the runtime, use [`Database::run`], which does.
    pub(crate) async fn get(&self) -> Result<DbConn, ActionError> {
        match &self.pools {
            Pools::Postgres(pool) => pool.get().await.map(|c| DbConn::Postgres(PgConn::new(c))),
            Pools::Sqlite(pool) => pool.get().await.map(|c| DbConn::Sqlite(SqliteConn::new(c))),
        }
        .map_err(crate::error::unavailable)
    }

    /// Whether the database answers: `SELECT 1` on a pooled connection. `503
    /// SERVICE_UNAVAILABLE` when no connection can be had or the query fails (the readiness
    /// route, `GET /_actions/health`, bounds it with a timeout of its own).
    pub async fn ping(&self) -> Result<(), ActionError> {
        use diesel_async::RunQueryDsl;
        let answered = self
            .run(async |conn| crate::db!(conn, |c| diesel::sql_query("SELECT 1").execute(c).await))
            .await?;
        answered.map(|_| ()).map_err(|error| {
            ActionError::new(
                crate::error::ErrorCode::SERVICE_UNAVAILABLE,
                "the database does not answer",
            )
            .with_source(error)
        })
    }

    /// How many connections are open, and how many of them idle in the pool.
    pub fn pool_status(&self) -> PoolStatus {
        let status = match &self.pools {
            Pools::Postgres(pool) => pool.status(),
            Pools::Sqlite(pool) => pool.status(),
        };
        PoolStatus {
            open: status.size,
            idle: status.available,
            max: status.max_size,
        }
    }

    /// Closes the pool: waiting requests fail, and connections close as they are returned.
    pub fn close(&self) {
        match &self.pools {
            Pools::Postgres(pool) => pool.close(),
            Pools::Sqlite(pool) => pool.close(),
        }
    }
}

fn build_pool<C>(
    manager: AsyncDieselConnectionManager<C>,
    options: &DatabaseOptions,
) -> Result<Pool<C>, Box<dyn std::error::Error + Send + Sync>>
where
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager,
{
    Ok(Pool::builder(manager)
        .max_size(options.max_connections)
        .wait_timeout(Some(options.acquire_timeout))
        .create_timeout(Some(options.acquire_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()?)
}

/// A URL with any password replaced, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Backend, DatabaseError, redact};

    #[test]
    fn backend_from_url() {
        assert_eq!(
            Backend::of_url("postgres://u@h/db").unwrap().0,
            Backend::Postgres
        );
        assert_eq!(
            Backend::of_url("postgresql://u@h/db").unwrap().0,
            Backend::Postgres
        );
        assert_eq!(
            Backend::of_url("sqlite://data/app.db").unwrap(),
            (Backend::Sqlite, "data/app.db")
        );
        assert_eq!(
            Backend::of_url("sqlite:/tmp/x.db").unwrap(),
            (Backend::Sqlite, "/tmp/x.db")
        );
        assert!(matches!(
            Backend::of_url("sqlite::memory:"),
            Err(DatabaseError::InMemorySqlite)
        ));
        assert!(
            matches!(Backend::of_url("mysql://u:secret@h/db"), Err(DatabaseError::UnsupportedUrl(u)) if u == "mysql://u:***@h/db")
        );
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://user:pw@host/db"),
            "postgres://user:***@host/db"
        );
        assert_eq!(redact("postgres://user@host/db"), "postgres://user@host/db");
    }
}
