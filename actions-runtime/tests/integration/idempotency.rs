//! `idempotent`: a retry with the same key and input gets the first response again, byte for
//! byte, without running the handler; anything else that reuses a key is refused.

use crate::app::{TestApp, spawn, spawn_with};
use actions_runtime::testing::{Backend, ManualClock, TestClient, TestResponse};
use http::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const NOTES: &str = "SELECT count(*) FROM notes";
const KEYS: &str = "SELECT count(*) FROM action_idempotency_keys";

async fn send(client: &TestClient, action: &str, key: Option<&str>, input: Value) -> TestResponse {
    let client = match key {
        Some(key) => client.with_header("idempotency-key", key),
        None => client.clone(),
    };
    client.action(action, input).await
}

fn replayed(response: &TestResponse) -> bool {
    response.header("idempotent-replayed") == Some("true")
}

/// The same key and body ten times: one note, ten identical answers, the last nine marked as
/// replays.
async fn retries_replay_the_first_response(backend: Backend) {
    let app = spawn(backend).await;
    let alice = app.client.as_user(1);
    let input = json!({"body": "once", "password": "hunter22"});
    let first = send(&alice, "journal.write", Some("k-1"), input.clone()).await;
    first.assert_status(StatusCode::OK);
    assert!(!replayed(&first));
    for _ in 0..9 {
        let again = send(&alice, "journal.write", Some("k-1"), input.clone()).await;
        assert_eq!((again.status, &again.body), (first.status, &first.body));
        assert!(replayed(&again), "a replay is marked as one");
        assert_eq!(again.header("content-type"), Some("application/json"));
    }
    assert_eq!(app.db.count(NOTES).await, 1);
    // The same input in another field order and spacing is the same input.
    let reordered = alice
        .with_header("idempotency-key", "k-1")
        .post("/_actions/journal.write")
        .body(
            "application/json",
            r#"{ "password": "hunter22",  "body": "once" }"#,
        )
        .send()
        .await;
    assert!(replayed(&reordered));
    assert_eq!(app.db.count(NOTES).await, 1);
}

/// The same key with another input → `422`, and nothing runs.
async fn another_input_is_refused(backend: Backend) {
    let app = spawn(backend).await;
    let alice = app.client.as_user(1);
    send(&alice, "journal.write", Some("k"), json!({"body": "a"}))
        .await
        .assert_status(StatusCode::OK);
    let other = send(&alice, "journal.write", Some("k"), json!({"body": "b"})).await;
    other.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.code(), "UNPROCESSABLE_CONTENT");
    assert!(
        other.json()["message"]
            .as_str()
            .unwrap()
            .contains("different input")
    );
    assert_eq!(app.db.count(NOTES).await, 1);
}

/// `idempotent(required)` without a key → `400`; a malformed key → `400`; neither stores
/// anything nor runs the handler.
async fn missing_and_malformed_keys(backend: Backend) {
    let app = spawn(backend).await;
    let alice = app.client.as_user(1);
    let input = json!({"body": "x"});
    let missing = send(&alice, "journal.write_keyed", None, input.clone()).await;
    missing.assert_status(StatusCode::BAD_REQUEST);
    assert!(
        missing.json()["message"]
            .as_str()
            .unwrap()
            .contains("Idempotency-Key")
    );
    for bad in ["", &"k".repeat(256)] {
        send(&alice, "journal.write_keyed", Some(bad), input.clone())
            .await
            .assert_status(StatusCode::BAD_REQUEST);
    }
    // An optional key may be left out: the action just runs, every time.
    for _ in 0..2 {
        send(&alice, "journal.write", None, input.clone())
            .await
            .assert_status(StatusCode::OK);
    }
    assert_eq!(app.db.count(NOTES).await, 2);
    assert_eq!(app.db.count(KEYS).await, 0);
    send(&alice, "journal.write_keyed", Some(&"k".repeat(255)), input)
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(app.db.count(KEYS).await, 1);
}

/// Requests that fail auth or validation store nothing: the key still works afterwards.
async fn refusals_before_the_handler_store_nothing(backend: Backend) {
    let app = spawn(backend).await;
    let alice = app.client.as_user(1);
    send(
        &app.client,
        "journal.write",
        Some("k"),
        json!({"body": "x"}),
    )
    .await
    .assert_status(StatusCode::UNAUTHORIZED);
    send(&alice, "journal.write", Some("k"), json!({"body": 5}))
        .await
        .assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(app.db.count(KEYS).await, 0);
    let ran = send(&alice, "journal.write", Some("k"), json!({"body": "x"})).await;
    ran.assert_status(StatusCode::OK);
    assert!(!replayed(&ran));
}

/// A refusal from the handler is the key's completed response: replayed as such, with its
/// writes rolled back both times.
async fn handler_refusals_are_replayed(backend: Backend) {
    let app = spawn(backend).await;
    let alice = app.client.as_user(1);
    let first = send(&alice, "journal.refuse", Some("r"), json!({"body": "no"})).await;
    first.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let again = send(&alice, "journal.refuse", Some("r"), json!({"body": "no"})).await;
    assert_eq!((again.status, &again.body), (first.status, &first.body));
    assert!(replayed(&again));
    assert_eq!(app.db.count(NOTES).await, 0);
}

/// Keys belong to a user and an action: user B reusing user A's key runs B's own request
/// and never sees A's body; the same key on another action is another key.
async fn keys_are_scoped_to_user_and_action(backend: Backend) {
    let app = spawn(backend).await;
    let (alice, bob) = (app.client.as_user(1), app.client.as_user(2));
    let a = send(
        &alice,
        "journal.write",
        Some("shared"),
        json!({"body": "alice's"}),
    )
    .await;
    let b = send(
        &bob,
        "journal.write",
        Some("shared"),
        json!({"body": "bob's"}),
    )
    .await;
    b.assert_status(StatusCode::OK);
    assert!(!replayed(&b));
    assert_eq!(b.json()["body"], "bob's");
    assert_eq!(b.json()["ownerId"], 2);
    assert_ne!(a.json()["id"], b.json()["id"]);
    let other_action = send(
        &alice,
        "journal.write_keyed",
        Some("shared"),
        json!({"body": "alice's"}),
    )
    .await;
    other_action.assert_status(StatusCode::OK);
    assert!(!replayed(&other_action));
    assert_eq!(app.db.count(NOTES).await, 3);
}

/// After the time to live, a key is forgotten: the same request runs again, and expired keys
/// are purged.
async fn expired_keys_run_again(backend: Backend) {
    let clock = ManualClock::new();
    let app = spawn_with(backend, |builder| {
        builder
            .clock(Arc::new(clock.clone()))
            .idempotency_ttl(Duration::from_secs(60 * 60))
    })
    .await;
    let alice = app.client.as_user(1);
    let input = json!({"body": "monthly"});
    send(&alice, "journal.write", Some("old"), input.clone()).await;
    send(&alice, "journal.write", Some("other"), input.clone()).await;
    clock.advance(Duration::from_secs(30 * 60));
    assert!(replayed(
        &send(&alice, "journal.write", Some("old"), input.clone()).await
    ));
    clock.advance(Duration::from_secs(31 * 60));
    let again = send(&alice, "journal.write", Some("old"), input.clone()).await;
    again.assert_status(StatusCode::OK);
    assert!(!replayed(&again), "an expired key runs the action again");
    assert_eq!(app.db.count(NOTES).await, 3);
    // "other" expired too, and was purged on the way; "old" is stored afresh.
    assert_eq!(app.db.count(KEYS).await, 1);
    clock.advance(Duration::from_secs(2 * 60 * 60));
    assert_eq!(
        app.server.purge_expired_idempotency_keys().await.unwrap(),
        1
    );
    assert_eq!(app.db.count(KEYS).await, 0);
}

/// 200 keys, each sent by 8 concurrent identical requests: exactly 200 notes; every answer is
/// the stored response (first run or replay) or `409` while the first is in flight; no `5xx`.
async fn concurrent_retries_run_once(backend: Backend) {
    let app = spawn(backend).await;
    let alice = app.client.as_user(1);
    let mut requests = tokio::task::JoinSet::new();
    for key in 0..200 {
        for _ in 0..8 {
            let alice = alice.clone();
            requests.spawn(async move {
                let input = json!({"body": format!("note {key}")});
                let key_text = format!("key-{key}");
                (
                    key,
                    send(&alice, "journal.write", Some(&key_text), input).await,
                )
            });
        }
    }
    let mut bodies = std::collections::HashMap::new();
    let (mut ok, mut in_flight) = (0, 0);
    while let Some(joined) = requests.join_next().await {
        let (key, response) = joined.expect("the request task");
        match response.status {
            StatusCode::OK => {
                ok += 1;
                let first = bodies.entry(key).or_insert_with(|| response.body.clone());
                assert_eq!(first, &response.body, "key {key} answered two bodies");
            }
            StatusCode::CONFLICT => in_flight += 1,
            other => panic!("unexpected {other}: {:?}", response.body),
        }
    }
    assert_eq!(bodies.len(), 200);
    assert_eq!(ok + in_flight, 1600);
    assert_eq!(app.db.count(NOTES).await, 200);
    assert_eq!(app.db.count(KEYS).await, 200);
    eprintln!("{backend:?}: 1600 requests, {ok} answered with the response, {in_flight} with 409");
}

/// A request stopped mid-way (here by the request timeout, as by a crash) leaves neither its
/// effect nor its key: the retry with the same key runs, and the one after replays. Only the
/// stalled request goes through a server with a short timeout; the retries have the default.
async fn an_interrupted_request_leaves_neither_effect_nor_key(backend: Backend) {
    let app = spawn(backend).await;
    let alice = app.client.as_user(1);
    let impatient = app.with_timeout(Duration::from_secs(1)).as_user(1);
    let input = json!({"body": format!("stalled on {backend:?}")});
    let stopped = send(&impatient, "journal.stall_once", Some("k"), input.clone()).await;
    stopped.assert_status(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        (app.db.count(NOTES).await, app.db.count(KEYS).await),
        (0, 0)
    );
    let ran = send(&alice, "journal.stall_once", Some("k"), input.clone()).await;
    ran.assert_status(StatusCode::OK);
    assert!(!replayed(&ran));
    let again = send(&alice, "journal.stall_once", Some("k"), input).await;
    assert!(replayed(&again));
    assert_eq!(
        (app.db.count(NOTES).await, app.db.count(KEYS).await),
        (1, 1)
    );
}

/// Nested helpers run in savepoints: the one that fails takes back only its own write.
async fn savepoints_undo_only_the_helper(backend: Backend) {
    let app: TestApp = spawn(backend).await;
    let response = app
        .client
        .as_user(1)
        .action("journal.nested", json!({"body": "n"}))
        .await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.json(), "the helper gave up; 1 notes");
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM notes WHERE body = 'n-outer'")
            .await,
        1
    );
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM notes WHERE body = 'n-inner'")
            .await,
        0
    );
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM notes WHERE body = 'n-after'")
            .await,
        1
    );
}

/// Advisory locks belong to the whole database: a key in flight in one schema must not hold
/// the same user's same key in another (two apps, or two tenants, on one server). Request A
/// signals once it has written in its transaction (so it holds its key's lock) before B starts.
async fn keys_in_flight_are_scoped_to_the_schema() {
    let (a, b) = (
        spawn(Backend::Postgres).await,
        spawn(Backend::Postgres).await,
    );
    let stalls = "stalls in schema a";
    crate::app::journal::STALLED
        .lock()
        .unwrap()
        .insert("answers at once".to_owned());
    let holds_the_key = crate::app::when_reached(stalls);
    let stalled = a
        .with_timeout(Duration::from_secs(2))
        .as_user(1)
        .with_header("idempotency-key", "same");
    let in_flight = tokio::spawn(async move {
        stalled
            .action("journal.stall_once", json!({"body": stalls}))
            .await
    });
    holds_the_key.notified().await;
    let other = send(
        &b.client.as_user(1),
        "journal.stall_once",
        Some("same"),
        json!({"body": "answers at once"}),
    )
    .await;
    other.assert_status(StatusCode::OK);
    in_flight
        .await
        .expect("the stalled request")
        .assert_status(StatusCode::SERVICE_UNAVAILABLE);
}

mod postgres_only {
    #[test]
    #[ignore = "PostgreSQL: set TEST_POSTGRES_URL and run with --ignored"]
    fn keys_in_flight_are_scoped_to_the_schema() {
        actions_runtime::testing::run(super::keys_in_flight_are_scoped_to_the_schema());
    }
}

actions_runtime::backend_tests!(
    retries_replay_the_first_response,
    another_input_is_refused,
    missing_and_malformed_keys,
    refusals_before_the_handler_store_nothing,
    handler_refusals_are_replayed,
    keys_are_scoped_to_user_and_action,
    expired_keys_run_again,
    concurrent_retries_run_once,
    an_interrupted_request_leaves_neither_effect_nor_key,
    savepoints_undo_only_the_helper,
);
