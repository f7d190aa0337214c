//! Pooled connections: back to the pool whenever the work that used them completed — `Ok` or
//! `Err` alike — and closed when they may be unsafe to reuse: work dropped mid-query, or a
//! transaction left open.

use actions_runtime::db::{Database, DatabaseOptions, DbConn, PoolStatus};
use actions_runtime::testing::{Backend, TestDb};
use actions_runtime::{ActionError, db};
use diesel_async::SimpleAsyncConnection;
use std::time::Duration;

async fn one_connection(backend: Backend) -> TestDb {
    TestDb::with_options(
        backend,
        &crate::app::MIGRATIONS,
        DatabaseOptions::default().max_connections(1),
    )
    .await
}

fn status(database: &Database) -> (usize, usize) {
    let PoolStatus { open, idle, .. } = database.pool_status();
    (open, idle)
}

/// Whether the connection `run` hands out is the one that created the session's temp table.
async fn same_connection(database: &Database) -> bool {
    database
        .run(async |conn| {
            db!(conn, |c| c
                .batch_execute("SELECT marker FROM pooled_marker")
                .await)
            .is_ok()
        })
        .await
        .expect("a connection")
}

async fn mark(database: &Database) {
    database
        .run(async |conn| {
            db!(conn, |c| c
                .batch_execute("CREATE TEMPORARY TABLE pooled_marker (marker INTEGER)")
                .await)
        })
        .await
        .expect("a connection")
        .expect("a temp table");
}

async fn completed_work_returns_its_connection(backend: Backend) {
    let test = one_connection(backend).await;
    let database = test.database();
    mark(database).await;
    assert_eq!(status(database), (1, 1), "back in the pool after Ok");
    // An error half-way, returned with `?`, still completes the work.
    let failed: Result<(), ActionError> = database
        .run(async |conn| {
            db!(&mut *conn, |c| c.batch_execute("SELECT 1").await)?;
            db!(conn, |c| c
                .batch_execute("SELECT * FROM no_such_table")
                .await)?;
            Ok(())
        })
        .await
        .expect("a connection");
    assert!(failed.is_err());
    assert_eq!(status(database), (1, 1), "back in the pool after Err");
    assert!(
        same_connection(database).await,
        "the same connection, reused"
    );
}

async fn dropped_work_closes_its_connection(backend: Backend) {
    let test = one_connection(backend).await;
    let database = test.database();
    mark(database).await;
    let slow = match backend {
        Backend::Postgres => "SELECT pg_sleep(5)",
        Backend::Sqlite => {
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000) \
             SELECT count(*) FROM c"
        }
    };
    let dropped = tokio::time::timeout(
        Duration::from_millis(100),
        database.run(async |conn| db!(conn, |c| c.batch_execute(slow).await)),
    )
    .await;
    assert!(dropped.is_err(), "the slow query was cut off");
    assert_eq!(status(database).0, 0, "closed, not pooled");
    assert!(
        !same_connection(database).await,
        "the next work gets a fresh connection, and no panic"
    );
}

async fn begin<C: diesel_async::AsyncConnection>(conn: &mut C) -> diesel::QueryResult<()> {
    use diesel_async::TransactionManager;
    C::TransactionManager::begin_transaction(conn).await
}

/// A transaction opened through diesel (as `conn.transaction(…)` does) and never ended.
async fn an_open_transaction_closes_its_connection(backend: Backend) {
    let test = one_connection(backend).await;
    let database = test.database();
    mark(database).await;
    database
        .run(async |conn: &mut DbConn| db!(conn, |c| begin(c).await))
        .await
        .expect("a connection")
        .expect("begins");
    let begin = match backend {
        Backend::Postgres => "BEGIN",
        Backend::Sqlite => "BEGIN IMMEDIATE",
    };
    assert_eq!(status(database).0, 0, "closed, not pooled");
    assert!(!same_connection(database).await, "a fresh connection");
    // And the fresh one is not inside that transaction: it can begin its own.
    database
        .run(async |conn| {
            db!(conn, |c| c.batch_execute(begin).await)?;
            db!(conn, |c| c.batch_execute("ROLLBACK").await)
        })
        .await
        .expect("a connection")
        .expect("a transaction of its own");
}

actions_runtime::backend_tests!(
    completed_work_returns_its_connection,
    dropped_work_closes_its_connection,
    an_open_transaction_closes_its_connection
);
