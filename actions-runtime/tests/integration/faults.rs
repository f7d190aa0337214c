//! All or nothing, proven: 1,000 keyed requests to an audited, idempotent, transactional action,
//! each with a fault — or none — chosen by a seeded generator at one of the points between the
//! handler's entry and `COMMIT` (fail, refuse, or lose the database connection: on PostgreSQL
//! its backend is killed with `pg_terminate_backend`). Each is retried once with its key. Then
//! the books must hold: a note exists for a key ⇔ exactly one success audit event names it ⇔
//! the key's stored response is that success; a refused key stores its refusal and nothing
//! else; no note, event or key belongs to no request; no transaction, lock or in-flight marker
//! is left. The seed is printed; `FAULT_SEED=<seed>` replays a run.

use crate::app::spawn_with;
use crate::transactions::no_open_transactions;
use actions_runtime::diesel::QueryableByName;
use actions_runtime::diesel::sql_types::{Nullable, SmallInt, Text};
use actions_runtime::testing::{Backend, Fault, FaultPoint, TestDb};
use http::StatusCode;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

const RUNS: usize = 1_000;
const FAULTS: [Fault; 3] = [Fault::Fail, Fault::Refuse, Fault::LoseConnection];

/// splitmix64: a seeded stream, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `FAULT_SEED` when set (to replay a run), else a fresh one.
fn seed() -> u64 {
    match std::env::var("FAULT_SEED") {
        Ok(text) => text.trim().parse().expect("FAULT_SEED is a number"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    }
}

#[derive(QueryableByName)]
struct Event {
    #[diesel(sql_type = Text)]
    outcome: String,
    #[diesel(sql_type = Nullable<Text>)]
    input: Option<String>,
}

#[derive(QueryableByName)]
struct StoredKey {
    #[diesel(sql_type = Text)]
    idempotency_key: String,
    #[diesel(sql_type = SmallInt)]
    status: i16,
}

#[derive(QueryableByName)]
struct NoteBody {
    #[diesel(sql_type = Text)]
    body: String,
}

async fn rows<
    T: QueryableByName<actions_runtime::diesel::pg::Pg>
        + QueryableByName<actions_runtime::diesel::sqlite::Sqlite>
        + Send
        + 'static,
>(
    db: &TestDb,
    sql: &'static str,
) -> Vec<T> {
    use diesel_async::RunQueryDsl;
    db.database()
        .run(async |conn| {
            actions_runtime::db!(conn, |c| actions_runtime::diesel::sql_query(sql)
                .load(c)
                .await)
        })
        .await
        .expect("a connection")
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// What each key must end with: its note, or its stored refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    Effect,
    Refused,
}

async fn a_fault_at_any_step_leaves_all_or_nothing(backend: Backend) {
    let seed = seed();
    eprintln!("{backend:?} faults: seed {seed} (replay with FAULT_SEED={seed})");
    let mut rng = Rng(seed);
    let armed: Arc<Mutex<Option<(FaultPoint, Fault)>>> = Arc::default();
    let hook = armed.clone();
    let app = spawn_with(backend, move |builder| {
        builder.fault_hook(move |point| {
            let mut armed = hook.lock().expect("lock");
            match *armed {
                Some((at, fault)) if at == point => {
                    *armed = None;
                    Some(fault)
                }
                _ => None,
            }
        })
    })
    .await;
    let client = app.client.as_user(1);
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    let mut tally: HashMap<String, usize> = HashMap::new();
    let (mut failures, mut replays) = (0_i64, 0_i64);
    let started = std::time::Instant::now();
    for run in 0..RUNS {
        let key = format!("fault-{run:04}");
        let fault = match rng.below(5) {
            0 => None,
            _ => Some((
                FaultPoint::ALL[rng.below(4) as usize],
                FAULTS[rng.below(3) as usize],
            )),
        };
        *tally
            .entry(fault.map_or("none".into(), |(p, f)| format!("{f:?} at {p:?}")))
            .or_default() += 1;
        let keyed = client.with_header("idempotency-key", &key);
        let input = json!({"body": key});
        *armed.lock().expect("lock") = fault;
        let first = keyed.action("journal.write", input.clone()).await;
        assert_eq!(
            *armed.lock().expect("lock"),
            None,
            "run {run} (seed {seed}): the request never reached {fault:?}"
        );
        let wanted = match fault {
            None => StatusCode::OK,
            Some((_, Fault::Refuse)) => StatusCode::CONFLICT,
            Some(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        assert_eq!(
            first.status,
            wanted,
            "run {run} (seed {seed}), {fault:?}: {}",
            String::from_utf8_lossy(&first.body)
        );
        let retry = keyed.action("journal.write", input).await;
        if first.status.is_server_error() {
            // Nothing was stored for the key: the retry runs, once.
            failures += 1;
            assert_eq!(
                retry.status,
                StatusCode::OK,
                "run {run} (seed {seed}) retry"
            );
            assert_eq!(retry.header("idempotent-replayed"), None);
        } else {
            // The first answer was stored with the key: the retry replays it byte for byte.
            replays += 1;
            assert_eq!(
                (retry.status, &retry.body),
                (first.status, &first.body),
                "run {run} (seed {seed}): the retry must replay the first answer"
            );
            assert_eq!(retry.header("idempotent-replayed"), Some("true"));
        }
        let outcome = match first.status {
            StatusCode::CONFLICT => Expected::Refused,
            _ => Expected::Effect,
        };
        expected.insert(key, outcome);
    }
    let elapsed = started.elapsed();

    let orphans = orphans(&app.db, &expected).await;
    let events: Vec<Event> = rows(
        &app.db,
        "SELECT outcome, input FROM action_audit_events WHERE action = 'journal.write'",
    )
    .await;
    let count = |outcome: &str| events.iter().filter(|e| e.outcome == outcome).count() as i64;
    // Every request has its one event: a failure's (5xx, and the refusals) after its rollback,
    // a replay's, a success's in its transaction.
    let refused = expected
        .values()
        .filter(|e| **e == Expected::Refused)
        .count() as i64;
    let effects = RUNS as i64 - refused;
    assert_eq!(
        (count("success"), count("failure"), count("replayed")),
        (effects, failures + refused, replays),
        "seed {seed}: audit events by outcome"
    );
    assert_eq!(events.len() as i64, effects + failures + refused + replays);
    no_open_transactions(&app.db).await;
    if backend == Backend::Postgres {
        let held = app
            .db
            .count(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
                 AND classid = 'action_idempotency_keys'::regclass::oid",
            )
            .await;
        assert_eq!(
            held, 0,
            "seed {seed}: idempotency keys still marked in flight"
        );
    }
    let mut tally: Vec<_> = tally.into_iter().collect();
    tally.sort();
    eprintln!(
        "{backend:?} faults: {RUNS} runs in {:.1} s (seed {seed}), {effects} effects, {refused} refused, {failures} retried after a 5xx, {replays} replays; orphans found: {}; faults: {tally:?}",
        elapsed.as_secs_f64(),
        orphans.len()
    );
    assert!(orphans.is_empty(), "seed {seed}: {orphans:#?}");
}

/// Every way the notes, the audit events and the stored keys disagree with `expected` (and
/// with each other); empty when each key has all of its writes or none.
async fn orphans(db: &TestDb, expected: &BTreeMap<String, Expected>) -> Vec<String> {
    let mut found = Vec::new();
    let notes: Vec<NoteBody> = rows(db, "SELECT body FROM notes").await;
    let events: Vec<Event> = rows(
        db,
        "SELECT outcome, input FROM action_audit_events WHERE action = 'journal.write' AND outcome = 'success'",
    )
    .await;
    let keys: Vec<StoredKey> = rows(
        db,
        "SELECT idempotency_key, status FROM action_idempotency_keys WHERE action = 'journal.write'",
    )
    .await;
    let mut notes_of: HashMap<&str, usize> = HashMap::new();
    for note in &notes {
        *notes_of.entry(note.body.as_str()).or_default() += 1;
    }
    let mut successes_of: HashMap<String, usize> = HashMap::new();
    for event in &events {
        let body = event
            .input
            .as_deref()
            .and_then(|input| serde_json::from_str::<serde_json::Value>(input).ok())
            .and_then(|input| input["body"].as_str().map(str::to_owned))
            .unwrap_or_default();
        *successes_of.entry(body).or_default() += 1;
    }
    let mut status_of: HashMap<&str, Vec<i16>> = HashMap::new();
    for key in &keys {
        status_of
            .entry(key.idempotency_key.as_str())
            .or_default()
            .push(key.status);
    }
    for (key, outcome) in expected {
        let notes = notes_of.get(key.as_str()).copied().unwrap_or(0);
        let successes = successes_of.get(key).copied().unwrap_or(0);
        let stored = status_of.get(key.as_str()).cloned().unwrap_or_default();
        let fine = match outcome {
            Expected::Effect => notes == 1 && successes == 1 && stored == [200],
            Expected::Refused => notes == 0 && successes == 0 && stored == [409],
        };
        if !fine {
            found.push(format!(
                "{key} ({outcome:?}): {notes} notes, {successes} success events, stored {stored:?}"
            ));
        }
    }
    for body in notes_of.keys().filter(|b| !expected.contains_key(**b)) {
        found.push(format!("a note of no request: {body}"));
    }
    for body in successes_of.keys().filter(|b| !expected.contains_key(*b)) {
        found.push(format!("a success event of no request: {body:?}"));
    }
    for key in status_of.keys().filter(|k| !expected.contains_key(**k)) {
        found.push(format!("a stored key of no request: {key}"));
    }
    found
}

actions_runtime::backend_tests!(a_fault_at_any_step_leaves_all_or_nothing);
