//! `tx`: commit on `Ok`; roll back on `Err`, on panic, and when the request is dropped — with
//! no transaction left open on a pooled connection.

use crate::app::{TestApp, notes, spawn, when_reached};
use actions_runtime::diesel::QueryableByName;
use actions_runtime::diesel::sql_types::BigInt;
use actions_runtime::testing::{Backend, TestDb};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use http::StatusCode;
use serde_json::json;
use std::time::Duration;
use tower::ServiceExt;

async fn count(app: &TestApp) -> i64 {
    app.client
        .action("notes.count", json!({}))
        .await
        .json()
        .as_i64()
        .expect("a count")
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// PostgreSQL backends of this test's pool that sit in an open transaction.
async fn open_transactions(db: &TestDb) -> i64 {
    let Some(schema) = db.postgres_schema() else {
        return 0;
    };
    let mut admin = AsyncPgConnection::establish(&TestDb::postgres_url())
        .await
        .expect("admin connection");
    let rows: Vec<Count> = actions_runtime::diesel::sql_query(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'",
    )
    .bind::<actions_runtime::diesel::sql_types::Text, _>(schema)
    .load(&mut admin)
    .await
    .expect("pg_stat_activity");
    rows[0].n
}

/// SQLite: whether some connection holds the write lock, probed from a connection outside the
/// pool that does not wait.
fn sqlite_write_locked(db: &TestDb) -> bool {
    use actions_runtime::diesel::Connection;
    use actions_runtime::diesel::connection::SimpleConnection;
    let path = db.url().trim_start_matches("sqlite://");
    let mut probe =
        actions_runtime::diesel::SqliteConnection::establish(path).expect("probe connection");
    probe
        .batch_execute("PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; ROLLBACK;")
        .is_err()
}

/// Waits (briefly) for closed connections to be noticed, then fails if a transaction is still
/// open: PostgreSQL backends idle in transaction, or a held SQLite write lock.
pub(crate) async fn no_open_transactions(db: &TestDb) {
    for _ in 0..50 {
        let open = match db.backend() {
            Backend::Postgres => open_transactions(db).await > 0,
            Backend::Sqlite => sqlite_write_locked(db),
        };
        if !open {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "a transaction was left open on the {:?} database",
        db.backend()
    );
}

async fn ok_commits(backend: Backend) {
    let app = spawn(backend).await;
    let response = app
        .client
        .as_user(4)
        .action("notes.create", json!({"body": "kept"}))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let note = response.json();
    assert_eq!(
        (note["ownerId"].clone(), note["body"].clone()),
        (json!(4), json!("kept"))
    );
    assert!(note["createdAt"].as_str().unwrap().ends_with('Z'));
    let fetched = app
        .client
        .action("notes.get", json!({"id": note["id"]}))
        .await
        .json();
    assert_eq!(fetched, note);
}

async fn err_rolls_back(backend: Backend) {
    let app = spawn(backend).await;
    for _ in 0..20 {
        let response = app
            .client
            .as_user(1)
            .action("notes.fail_after_write", json!({"body": "gone"}))
            .await;
        assert_eq!(response.status, StatusCode::CONFLICT);
    }
    assert_eq!(count(&app).await, 0);
    no_open_transactions(&app.db).await;
}

async fn panic_rolls_back_and_serving_goes_on(backend: Backend) {
    let app = spawn(backend).await;
    for _ in 0..20 {
        let response = app
            .client
            .as_user(1)
            .action("notes.panic_after_write", json!({"body": "gone"}))
            .await;
        assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!String::from_utf8_lossy(&response.body).contains("boom"));
    }
    assert_eq!(count(&app).await, 0);
    no_open_transactions(&app.db).await;
    assert_eq!(
        app.client
            .as_user(1)
            .action("notes.create", json!({"body": "after"}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(count(&app).await, 1);
}

async fn dropped_request_rolls_back(backend: Backend) {
    let app = spawn(backend).await;
    for round in 0..5 {
        let key = format!("dropped-{backend:?}-{round}-{}", app.db.url());
        let reached = when_reached(&key);
        let request = http::Request::post("/_actions/notes.hang_after_write")
            .header("content-type", "application/json")
            .header("x-test-user", "1")
            .body(axum::body::Body::from(json!({"body": key}).to_string()))
            .unwrap();
        let router = app.server.router();
        let task = tokio::spawn(async move { router.oneshot(request).await });
        tokio::time::timeout(Duration::from_secs(10), reached.notified())
            .await
            .expect("the handler wrote");
        // The client goes away: the request future is dropped mid-transaction.
        task.abort();
        assert!(task.await.unwrap_err().is_cancelled());
        no_open_transactions(&app.db).await;
    }
    assert_eq!(
        count(&app).await,
        0,
        "nothing from a dropped request is persisted"
    );
    // Writers are not blocked by a lock the dropped request held (SQLite: the write lock).
    let started = std::time::Instant::now();
    assert_eq!(
        app.client
            .as_user(1)
            .action("notes.create", json!({"body": "after"}))
            .await
            .status,
        StatusCode::OK
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "a writer waited for a dead transaction"
    );
    assert_eq!(count(&app).await, 1);
}

async fn in_process_calls_use_the_pipeline(backend: Backend) {
    use crate::app::notes;
    let app = spawn(backend).await;
    // Direct call: the function, as written.
    let mut ctx = app
        .server
        .context(Some(actions_runtime::testing::TestAuthenticator::user(
            8,
            actions_runtime::auth::Role::USER,
        )));
    let note = notes::create(
        &mut ctx,
        notes::NewNote {
            body: "direct".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(note.owner_id, 8);
    // Through the pipeline: posture, ACL and transaction apply.
    let mut anonymous = app.server.context(None);
    let error = app
        .server
        .call::<notes::create>(&mut anonymous, notes::NewNote { body: "x".into() })
        .await
        .unwrap_err();
    assert_eq!(error.code(), actions_runtime::ErrorCode::UNAUTHORIZED);
    let error = app
        .server
        .call::<notes::purge>(&mut ctx, notes::Nothing {})
        .await
        .unwrap_err();
    assert_eq!(error.code(), actions_runtime::ErrorCode::FORBIDDEN);
    let error = app
        .server
        .call::<notes::fail_after_write>(&mut ctx, notes::NewNote { body: "x".into() })
        .await
        .unwrap_err();
    assert_eq!(error.code(), actions_runtime::ErrorCode::CONFLICT);
    drop(ctx);
    assert_eq!(count(&app).await, 1);
}

actions_runtime::backend_tests!(
    ok_commits,
    err_rolls_back,
    panic_rolls_back_and_serving_goes_on,
    dropped_request_rolls_back,
    in_process_calls_use_the_pipeline,
    faults_leave_nothing_behind,
);

/// Two serializable requests that would each write what the other should have seen (write
/// skew), made to overlap with a barrier, 200 times: PostgreSQL fails one of each pair, the
/// runtime runs its whole handler again, and every round ends as a serial order would (notes
/// numbered 1 and 2, never 1 and 1), with no error reaching the client.
async fn serialization_conflicts_rerun_the_handler(backend: Backend) {
    const ROUNDS: i64 = 200;
    let app = spawn(backend).await;
    let client = app.client.as_user(1);
    for round in 0..ROUNDS {
        let body = json!({"round": round});
        let (a, b) = tokio::join!(
            client.action("notes.append_counted", body.clone()),
            client.action("notes.append_counted", body.clone()),
        );
        assert_eq!(
            (a.status, b.status),
            (StatusCode::OK, StatusCode::OK),
            "round {round}: {a:?} {b:?}"
        );
        let mut numbers = [a.json(), b.json()];
        numbers.sort_by_key(|n| n.as_i64());
        assert_eq!(
            numbers,
            [json!(1), json!(2)],
            "round {round} ended as no serial order would"
        );
    }
    let runs: Vec<u32> = {
        let rounds = notes::ROUNDS.lock().expect("lock");
        (0..ROUNDS).map(|round| rounds[&round].1).collect()
    };
    assert!(
        runs.iter().all(|&n| n >= 3),
        "every round re-ran a handler (runs per round: {runs:?})"
    );
    assert_eq!(
        count(&app).await,
        2 * ROUNDS,
        "each request wrote exactly once"
    );
    eprintln!(
        "{backend:?}: {} handler runs for {} requests",
        runs.iter().sum::<u32>(),
        2 * ROUNDS
    );
}

/// A transaction that conflicts every time (SQLSTATE 40001, then 40P01) runs its handler again
/// and again until the retry window (1 s here) closes, writes nothing, and answers 503 with a
/// clear message: a budget counted in time still ends a transaction that can never succeed.
async fn retries_are_bounded(backend: Backend) {
    const WINDOW: Duration = Duration::from_secs(1);
    let app =
        crate::app::spawn_with(backend, |builder| builder.conflict_retry_window(WINDOW)).await;
    let client = app.client.as_user(1);
    for code in ["40001", "40P01"] {
        let started = std::time::Instant::now();
        let response = client
            .action("notes.always_conflicts", json!({"code": code}))
            .await;
        let took = started.elapsed();
        assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE, "{code}");
        assert_eq!(
            response.json()["message"],
            "the request kept conflicting with concurrent ones; try again"
        );
        let runs = notes::CONFLICT_RUNS.lock().expect("lock")[code];
        assert!(
            runs >= 3,
            "{code}: the handler ran again within the window ({runs} runs)"
        );
        // No attempt starts after the window closes: the last pause ends inside it, and only
        // that attempt's own work (a few statements) can run past it.
        assert!(
            took < WINDOW + Duration::from_secs(10),
            "{code}: the budget ended the request ({took:?})"
        );
        eprintln!("{code}: {runs} runs in {took:?}");
    }
    assert_eq!(count(&app).await, 0, "no attempt's write survived");
    assert_eq!(open_transactions(&app.db).await, 0);
}

/// Handlers that fail after writing — `Err`, panic, outliving the request timeout — 100 times
/// each on a pool of 4, then 1,000 ordinary requests: nothing of the failures persisted, no
/// transaction left open, and every later request served (no broken pooled connection). The
/// hanging handler goes through a second server on the same pool whose timeout is short; the
/// others have the default timeout, so none of them can time out by bad luck.
async fn faults_leave_nothing_behind(backend: Backend) {
    use crate::app::{MIGRATIONS, TestPolicy, registry};
    use actions_runtime::Server;
    use actions_runtime::db::DatabaseOptions;
    use actions_runtime::testing::{TestAuthenticator, TestClient};
    let db = TestDb::with_options(
        backend,
        &MIGRATIONS,
        DatabaseOptions::default()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(10)),
    )
    .await;
    let server = |timeout| {
        let server = Server::builder(registry())
            .database(db.database().clone())
            .authenticator(TestAuthenticator)
            .policy(TestPolicy);
        let server = match timeout {
            Some(limit) => server.request_timeout(limit),
            None => server,
        };
        let server = server.build().expect("the test server builds");
        TestClient::new(server.router()).as_user(1)
    };
    let client = server(None);
    let impatient = server(Some(Duration::from_millis(200)));
    for round in 0..100 {
        let body = json!({"body": format!("fault {round}")});
        let failed = client.action("notes.fail_after_write", body.clone()).await;
        assert_eq!(failed.status, StatusCode::CONFLICT);
        let panicked = client.action("notes.panic_after_write", body.clone()).await;
        assert_eq!(panicked.status, StatusCode::INTERNAL_SERVER_ERROR);
        let timed_out = impatient.action("notes.hang_after_write", body).await;
        assert_eq!(timed_out.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            timed_out.json()["message"],
            "the request took longer than 0.2 s"
        );
    }
    no_open_transactions(&db).await;
    let mut served = 0;
    for batch in 0..125 {
        let requests = (0..8)
            .map(|i| client.action("notes.create", json!({"body": format!("ok {batch}.{i}")})));
        for response in futures_util::future::join_all(requests).await {
            response.assert_status(StatusCode::OK);
            served += 1;
        }
    }
    assert_eq!(served, 1000);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM notes").await,
        1000,
        "only the ordinary requests' notes"
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM notes WHERE body LIKE 'fault%'")
            .await,
        0
    );
    no_open_transactions(&db).await;
}

/// `tx` runs at read committed and `tx(level)` at the level it names.
async fn isolation_levels_are_applied(backend: Backend) {
    let app = spawn(backend).await;
    for (action, level) in [
        ("notes.isolation_default", "read committed"),
        ("notes.isolation_repeatable_read", "repeatable read"),
        ("notes.isolation_serializable", "serializable"),
    ] {
        let response = app.client.action(action, json!({})).await;
        assert_eq!(
            response.assert_status(StatusCode::OK).json(),
            level,
            "{action}"
        );
    }
}

/// A connection opened while another holds the SQLite database waits (busy timeout) instead of
/// failing at once: its setup sets the timeout before anything that takes a lock.
async fn sqlite_connections_wait_out_a_lock() {
    use actions_runtime::diesel::Connection;
    use actions_runtime::diesel::connection::SimpleConnection;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let path = std::env::temp_dir().join(format!(
        "actions-lock-{}-{nanos}.sqlite3",
        std::process::id()
    ));
    let path = path.to_str().expect("a UTF-8 path").to_owned();
    let (locked, is_locked) = std::sync::mpsc::channel();
    let holder = {
        let path = path.clone();
        std::thread::spawn(move || {
            let mut conn =
                actions_runtime::diesel::SqliteConnection::establish(&path).expect("a connection");
            // A rollback-journal database in an exclusive transaction: nobody else may even read.
            conn.batch_execute("BEGIN EXCLUSIVE; CREATE TABLE lock_holder (x INTEGER);")
                .expect("takes the lock");
            locked.send(()).expect("signals");
            std::thread::sleep(Duration::from_millis(500));
            conn.batch_execute("COMMIT").expect("commits");
        })
    };
    is_locked.recv().expect("the lock is held");
    let started = std::time::Instant::now();
    let database = actions_runtime::db::Database::connect(&format!("sqlite://{path}")).await;
    let waited = started.elapsed();
    holder.join().expect("the holder ends");
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    assert!(
        database.is_ok(),
        "a new connection should wait out the lock, but failed after {waited:?}: {:?}",
        database.err()
    );
}

/// How SQLite connections are opened is SQLite's alone.
mod sqlite_only {
    #[test]
    fn connections_wait_out_a_lock() {
        actions_runtime::testing::run(super::sqlite_connections_wait_out_a_lock());
    }
}

/// Serialization failures and deadlocks are PostgreSQL's: SQLite runs one writer at a time.
mod postgres_only {
    use actions_runtime::testing::{Backend, run};

    #[test]
    #[ignore = "PostgreSQL: set TEST_POSTGRES_URL and run with --ignored"]
    fn serialization_conflicts_rerun_the_handler() {
        run(super::serialization_conflicts_rerun_the_handler(
            Backend::Postgres,
        ));
    }

    #[test]
    #[ignore = "PostgreSQL: set TEST_POSTGRES_URL and run with --ignored"]
    fn isolation_levels_are_applied() {
        run(super::isolation_levels_are_applied(Backend::Postgres));
    }

    #[test]
    #[ignore = "PostgreSQL: set TEST_POSTGRES_URL and run with --ignored"]
    fn retries_are_bounded() {
        run(super::retries_are_bounded(Backend::Postgres));
    }
}
