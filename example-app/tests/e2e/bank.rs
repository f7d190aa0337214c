//! The bank invariant: many clients moving money among a few accounts at once while readers
//! sum every balance in one transaction — 16 clients × 250 transfers on PostgreSQL, a smaller
//! run on SQLite (one writer at a time: the same checker, less to learn). Ten accounts of 100,
//! transfers of 1 to 5 from seeded generators, eight readers every 10 ms. Every read sees the
//! same total, no balance goes negative, committed transfers = ledger rows = audit success
//! events, and the runtime retried the conflicts itself: on PostgreSQL it counts reruns, and
//! no request spent its retry budget (the `503`s a client would see). A client
//! retries a `503` with its key at most [`CLIENT_RETRIES`] times, so a runtime that stopped
//! retrying fails the test instead of slowing it.
//!
//! A control run swaps in a transfer that is broken on purpose (read, then write a computed
//! balance, under read committed) and must make the same checker fail: a checker that cannot
//! fail proves nothing.

use crate::{Member, Rng, config};
use actions_runtime::db::{DatabaseOptions, DbConn};
use actions_runtime::diesel::QueryableByName;
use actions_runtime::diesel::sql_types::BigInt;
use actions_runtime::diesel_async::SimpleAsyncConnection;
use actions_runtime::http::StatusCode;
use actions_runtime::testing::{Backend, TestClient, TestDb};
use actions_runtime::{Registry, Server};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const ACCOUNTS: usize = 10;
const DEPOSIT: i64 = 100;
/// Transfers move 1 to this much.
const MAX_AMOUNT: u64 = 5;
const READERS: usize = 8;
const READ_EVERY: std::time::Duration = std::time::Duration::from_millis(10);
/// How many times a client sends a transfer again after a `503` (the runtime's retry budget
/// spent) before it reports the transfer as a failure.
const CLIENT_RETRIES: usize = 20;

/// The money moved, the refusals and the retries of one run, and what the readers saw.
#[derive(Debug, Default)]
struct Run {
    /// `(from, to, amount)` of every transfer answered `200`.
    applied: Vec<(i64, i64, i64)>,
    /// Answered `422` (insufficient funds).
    refused: usize,
    /// `503` after the runtime's retry budget, retried by the client with the same key.
    client_retries: usize,
    /// Anything else: a bug.
    unexpected: Vec<String>,
    /// `(sum, min)` of every balance, each read in one transaction.
    reads: Vec<(i64, i64)>,
    /// How long each transfer took to settle, from its first send to its last answer
    /// (client retries included).
    latencies: Vec<std::time::Duration>,
}

impl Run {
    /// The latency below which `share` of the transfers settled.
    fn latency_quantile(&self, share: f64) -> std::time::Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let rank = ((sorted.len() as f64 * share).ceil() as usize).clamp(1, sorted.len().max(1));
        sorted.get(rank - 1).copied().unwrap_or_default()
    }
}

/// What the database holds after a run.
struct Books {
    balances: HashMap<i64, i64>,
    ledger_rows: i64,
    audit_successes: i64,
    audit_events: i64,
}

/// Every way `run` and `books` break the invariant; empty when they keep it.
fn violations(run: &Run, books: &Books, ids: &[i64]) -> Vec<String> {
    let total = DEPOSIT * ids.len() as i64;
    let mut found: Vec<String> = run.unexpected.clone();
    let torn: Vec<_> = run.reads.iter().filter(|(sum, _)| *sum != total).collect();
    if !torn.is_empty() {
        found.push(format!(
            "{} of {} reads saw a total other than {total}, e.g. {:?}",
            torn.len(),
            run.reads.len(),
            torn[0]
        ));
    }
    if let Some(read) = run.reads.iter().find(|(_, min)| *min < 0) {
        found.push(format!("a read saw a negative balance: {read:?}"));
    }
    let mut expected: HashMap<i64, i64> = ids.iter().map(|id| (*id, DEPOSIT)).collect();
    for (from, to, amount) in &run.applied {
        *expected.entry(*from).or_default() -= amount;
        *expected.entry(*to).or_default() += amount;
    }
    for id in ids {
        if books.balances[id] != expected[id] {
            found.push(format!(
                "account {id} holds {} but the applied transfers make {}",
                books.balances[id], expected[id]
            ));
        }
    }
    let committed = run.applied.len() as i64;
    if books.ledger_rows != committed || books.audit_successes != committed {
        found.push(format!(
            "{committed} committed transfers, {} ledger rows, {} audit successes",
            books.ledger_rows, books.audit_successes
        ));
    }
    let calls = (run.applied.len() + run.refused + run.client_retries) as i64;
    if books.audit_events != calls {
        found.push(format!(
            "{calls} calls but {} audit events",
            books.audit_events
        ));
    }
    found
}

/// `clients` clients × `transfers` random transfers each, with `readers` readers summing
/// balances until they are done.
async fn run(client: &TestClient, db: &TestDb, ids: &[i64], clients: u64, transfers: usize) -> Run {
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let (database, done) = (db.database().clone(), done.clone());
            tokio::spawn(async move {
                let mut reads = Vec::new();
                let mut every = tokio::time::interval(READ_EVERY);
                every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    every.tick().await;
                    reads.push(read_totals(&database).await);
                    if done.load(Ordering::Relaxed) {
                        break reads;
                    }
                }
            })
        })
        .collect();
    let writers: Vec<_> = (0..clients)
        .map(|seed| {
            let (client, ids) = (client.clone(), ids.to_vec());
            tokio::spawn(async move {
                let mut rng = Rng::new(seed + 1);
                let mut run = Run::default();
                for n in 0..transfers {
                    let from = ids[rng.below(ACCOUNTS as u64) as usize];
                    let to = loop {
                        let to = ids[rng.below(ACCOUNTS as u64) as usize];
                        if to != from {
                            break to;
                        }
                    };
                    let amount = 1 + rng.below(MAX_AMOUNT) as i64;
                    let input = json!({"from": from, "to": to, "amount": amount});
                    let key = format!("client-{seed}-transfer-{n}");
                    let keyed = client.with_header("idempotency-key", &key);
                    let sent = std::time::Instant::now();
                    for retry in 0.. {
                        let response = keyed.action("account.transfer", input.clone()).await;
                        match response.status {
                            StatusCode::OK => run.applied.push((from, to, amount)),
                            StatusCode::UNPROCESSABLE_ENTITY => run.refused += 1,
                            StatusCode::SERVICE_UNAVAILABLE
                                if response.json()["message"]
                                    == "the request kept conflicting with concurrent ones; try again"
                                    && retry < CLIENT_RETRIES =>
                            {
                                run.client_retries += 1;
                                continue;
                            }
                            other => run.unexpected.push(format!(
                                "transfer answered {other}: {}",
                                String::from_utf8_lossy(&response.body)
                            )),
                        }
                        break;
                    }
                    run.latencies.push(sent.elapsed());
                }
                run
            })
        })
        .collect();
    let mut total = Run::default();
    for writer in writers {
        let run = writer.await.expect("a client task");
        total.applied.extend(run.applied);
        total.refused += run.refused;
        total.client_retries += run.client_retries;
        total.unexpected.extend(run.unexpected);
        total.latencies.extend(run.latencies);
    }
    done.store(true, Ordering::Relaxed);
    for reader in readers {
        total.reads.extend(reader.await.expect("a reader task"));
    }
    total
}

#[derive(QueryableByName)]
struct Totals {
    #[diesel(sql_type = BigInt)]
    sum: i64,
    #[diesel(sql_type = BigInt)]
    min: i64,
}

/// The sum and the smallest of all balances, read in one transaction (two statements, one
/// snapshot: repeatable read on PostgreSQL; SQLite's are snapshots already).
async fn read_totals(database: &actions_runtime::db::Database) -> (i64, i64) {
    database
        .run(async |conn| read_totals_on(conn).await)
        .await
        .expect("a reader connection")
}

async fn read_totals_on(conn: &mut DbConn) -> (i64, i64) {
    use actions_runtime::diesel_async::RunQueryDsl;
    let begin = match &conn {
        DbConn::Postgres(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        DbConn::Sqlite(_) => "BEGIN",
    };
    actions_runtime::db!(&mut *conn, |c| c.batch_execute(begin).await).expect("begin");
    let (sum, min) = actions_runtime::db!(&mut *conn, |c| {
        let sum: Totals = actions_runtime::diesel::sql_query(
            "SELECT CAST(sum(balance) AS BIGINT) AS sum, CAST(0 AS BIGINT) AS min FROM accounts",
        )
        .get_result(c)
        .await
        .expect("sum");
        let min: Totals = actions_runtime::diesel::sql_query(
            "SELECT CAST(0 AS BIGINT) AS sum, CAST(min(balance) AS BIGINT) AS min FROM accounts",
        )
        .get_result(c)
        .await
        .expect("min");
        c.batch_execute("COMMIT").await.expect("commit");
        (sum.sum, min.min)
    });
    (sum, min)
}

async fn books(db: &TestDb, ids: &[i64]) -> Books {
    let mut balances = HashMap::new();
    for id in ids {
        balances.insert(
            *id,
            db.count(&format!("SELECT balance FROM accounts WHERE id = {id}"))
                .await,
        );
    }
    Books {
        balances,
        ledger_rows: db.count("SELECT count(*) FROM transfers").await,
        audit_successes: db
            .count("SELECT count(*) FROM action_audit_events WHERE action = 'account.transfer' AND outcome = 'success'")
            .await,
        audit_events: db
            .count("SELECT count(*) FROM action_audit_events WHERE action = 'account.transfer'")
            .await,
    }
}

/// A server for `registry` on a fresh database, and ten funded accounts of one owner.
async fn bank(backend: Backend, registry: Registry) -> (Server, TestDb, Member, Vec<i64>) {
    // 16 clients and 8 readers share 24 connections; under contention a request may wait its
    // turn for longer than the default 5 s before the database answers 503.
    let options = DatabaseOptions::default()
        .max_connections(24)
        .acquire_timeout(std::time::Duration::from_secs(60));
    let db = TestDb::with_options(backend, &actions_runtime::db::RUNTIME_MIGRATIONS, options).await;
    db.database()
        .migrate(&example_app::MIGRATIONS)
        .await
        .expect("app migrations");
    let server = Server::builder(registry)
        .database(db.database().clone())
        .auth(config())
        .policy(example_app::policy::BlogPolicy)
        .build()
        .expect("the bank builds");
    let app = crate::App {
        client: TestClient::new(server.router()),
        db,
    };
    let owner = app.user("owner").await;
    let mut ids = Vec::new();
    for i in 0..ACCOUNTS {
        let response = owner
            .client
            .action(
                "account.open",
                json!({"name": format!("account {i}"), "initialDeposit": DEPOSIT}),
            )
            .await;
        response.assert_status(StatusCode::OK);
        ids.push(response.json()["id"].as_i64().expect("an id"));
    }
    (server, app.db, owner, ids)
}

/// The real transfer: 16 clients × 250 transfers among 10 accounts on PostgreSQL (as many
/// clients as connections: every one contends in the database, none waits out its retry budget
/// in the pool's queue); 8 × 250 on SQLite.
async fn transfers_keep_the_books(backend: Backend) {
    let (server, db, owner, ids) = bank(backend, example_app::actions::registry()).await;
    let started = std::time::Instant::now();
    let (clients, transfers) = match backend {
        Backend::Postgres => (16, 250),
        Backend::Sqlite => (8, 250),
    };
    let run = run(&owner.client, &db, &ids, clients, transfers).await;
    let books = books(&db, &ids).await;
    let found = violations(&run, &books, &ids);
    assert!(found.is_empty(), "the books do not balance: {found:#?}");
    assert!(
        run.reads.len() >= READERS,
        "every reader read ({} reads)",
        run.reads.len()
    );
    let stats = server.transaction_stats();
    assert_eq!(
        stats.budgets_spent, run.client_retries as u64,
        "every spent retry budget is a 503 a client saw, and nothing else"
    );
    if backend == Backend::Postgres {
        assert!(
            stats.reruns > 0,
            "16 clients on 10 accounts conflict: the runtime must have re-run some transfers"
        );
    }
    eprintln!(
        "{backend:?} bank: {} transfers applied, {} refused, {} runtime reruns, {} retry budgets spent (retried by the client), {} consistent reads, in {:.1} s; transfer latency p50 {:?}, p99 {:?}, max {:?}",
        run.applied.len(),
        run.refused,
        stats.reruns,
        stats.budgets_spent,
        run.reads.len(),
        started.elapsed().as_secs_f64(),
        run.latency_quantile(0.5),
        run.latency_quantile(0.99),
        run.latency_quantile(1.0),
    );
    // The retry budget is a window of time (half the request timeout), not a count of attempts:
    // contention slows transfers down but must not make the runtime give up on any of them.
    assert_eq!(
        stats.budgets_spent, 0,
        "no transfer may exhaust its retry budget ({} reruns)",
        stats.reruns
    );
}

/// The same checker on a transfer that loses updates must report them (PostgreSQL: SQLite's
/// single writer would serialize even the broken transfer).
async fn the_checker_catches_a_broken_transfer() {
    let registry = actions_runtime::registry! {
        account: {
            example_app::actions::account::open,
            example_app::actions::account::get,
            broken::transfer,
        },
    };
    let (_server, db, owner, ids) = bank(Backend::Postgres, registry).await;
    let run = run(&owner.client, &db, &ids, 16, 200).await;
    let books = books(&db, &ids).await;
    let found = violations(&run, &books, &ids);
    assert!(
        found
            .iter()
            .any(|v| v.contains("reads saw a total other than")),
        "lost updates must show as a changing total: {found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|v| v.contains("but the applied transfers make")),
        "lost updates must show in the balances: {found:#?}"
    );
    eprintln!("control run: the checker found {found:#?}");
}

mod broken {
    use actions_runtime::prelude::*;
    use example_app::actions::account::{Balance, Transfer, Transferred, book, load_source};
    use example_app::schema::accounts;

    /// Broken on purpose: reads both balances, waits a moment, writes the computed ones —
    /// under read committed, so a concurrent transfer's update in between is lost.
    #[action(acl = "account:transfer", load = load_source, tx(read_committed), idempotent, audit)]
    pub async fn transfer(
        ctx: &mut ActionContext,
        input: Transfer,
    ) -> Result<Transferred, ActionError> {
        let Transfer { from, to, amount } = input;
        let conn = ctx.db().await?;
        let read = |id: i64| accounts::table.find(id).select(accounts::balance);
        let (source, target): (i64, i64) = db!(conn, |c| {
            let source = read(from).first(c).await?;
            let target = read(to).first(c).await?;
            Ok::<_, diesel::result::Error>((source, target))
        })?;
        if source < amount {
            return Err(ActionError::new(
                actions_runtime::ErrorCode::UNPROCESSABLE_CONTENT,
                "insufficient funds",
            ));
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        let balances = Transferred {
            from: Balance {
                id: from,
                balance: source - amount,
            },
            to: Balance {
                id: to,
                balance: target + amount,
            },
        };
        book(conn, &balances, amount).await?;
        Ok(balances)
    }
}

actions_runtime::backend_tests!(transfers_keep_the_books);

mod postgres_only {
    use actions_runtime::testing::run;

    #[test]
    #[ignore = "PostgreSQL: set TEST_POSTGRES_URL and run with --ignored"]
    fn the_checker_catches_a_broken_transfer() {
        run(super::the_checker_catches_a_broken_transfer());
    }
}
