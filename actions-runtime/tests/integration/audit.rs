//! `audit`: one event per call, success or failure, committed with the action's writes; none
//! for a write that rolled back; ACL denials recorded for every action.

use crate::app::spawn;
use actions_runtime::audit::{self, AuditEvent, AuditOutcome};
use actions_runtime::testing::Backend;
use http::StatusCode;
use serde_json::json;

async fn events(app: &crate::app::TestApp) -> Vec<AuditEvent> {
    app.db
        .database()
        .run(async |conn| audit::events(conn, None, 10_000).await)
        .await
        .and_then(|events| events)
        .expect("the audit log")
}

/// A mixed run of successes, refusals, panics, invalid input, missing auth, replays and
/// denials: exactly one event per call, with the right outcome, and the notes of the failed
/// calls nowhere.
async fn one_event_per_call(backend: Backend) {
    let app = spawn(backend).await;
    let alice = app.client.as_user(7);
    for i in 0..3 {
        alice
            .action(
                "journal.write",
                json!({"body": format!("ok {i}"), "password": "hunter22"}),
            )
            .await
            .assert_status(StatusCode::OK);
    }
    for _ in 0..2 {
        alice
            .action("journal.refuse", json!({"body": "refused"}))
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    alice
        .action("journal.explode", json!({"body": "boom"}))
        .await
        .assert_status(StatusCode::INTERNAL_SERVER_ERROR);
    alice
        .action("journal.write", json!({"body": 12}))
        .await
        .assert_status(StatusCode::BAD_REQUEST);
    app.client
        .action("journal.write", json!({"body": "anonymous"}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    let keyed = alice.with_header("idempotency-key", "audit-key");
    for _ in 0..2 {
        keyed
            .action("journal.write", json!({"body": "keyed"}))
            .await
            .assert_status(StatusCode::OK);
    }
    // Not an audited action, but a denial is always recorded (user 13 may edit nothing).
    app.client
        .as_user(13)
        .action("notes.edit", json!({"id": 1, "body": "mine now"}))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    // Not audited, and not denied: no event.
    app.client.action("notes.count", json!({})).await;

    let events = events(&app).await;
    let summary: Vec<(&str, AuditOutcome, Option<&str>)> = events
        .iter()
        .rev()
        .map(|e| (e.action.as_str(), e.outcome, e.code.as_deref()))
        .collect();
    use AuditOutcome::{Denied, Failure, Replayed, Success};
    assert_eq!(
        summary,
        [
            ("journal.write", Success, None),
            ("journal.write", Success, None),
            ("journal.write", Success, None),
            ("journal.refuse", Failure, Some("UNPROCESSABLE_CONTENT")),
            ("journal.refuse", Failure, Some("UNPROCESSABLE_CONTENT")),
            ("journal.explode", Failure, Some("INTERNAL_SERVER_ERROR")),
            ("journal.write", Failure, Some("BAD_REQUEST")),
            ("journal.write", Failure, Some("UNAUTHORIZED")),
            ("journal.write", Success, None),
            ("journal.write", Replayed, None),
            ("notes.edit", Denied, Some("FORBIDDEN")),
        ]
    );
    // Who, what, when, which request.
    let first = events.last().expect("events");
    assert_eq!(first.actor_id, Some(7));
    assert_eq!(
        first.input,
        Some(json!({"body": "ok 0", "password": "[redacted]"}))
    );
    assert!(!first.request_id.is_empty());
    let anonymous = events
        .iter()
        .find(|e| e.code.as_deref() == Some("UNAUTHORIZED"));
    assert_eq!(anonymous.and_then(|e| e.actor_id), None);
    assert_eq!(
        events
            .iter()
            .find(|e| e.outcome == Denied)
            .and_then(|e| e.actor_id),
        Some(13)
    );
    // The refused input is recorded; the one that never decoded is not.
    let refused = events
        .iter()
        .find(|e| e.action == "journal.refuse")
        .expect("refusal");
    assert_eq!(
        refused.input,
        Some(json!({"body": "refused", "password": null}))
    );
    let invalid = events
        .iter()
        .find(|e| e.code.as_deref() == Some("BAD_REQUEST"));
    assert_eq!(invalid.and_then(|e| e.input.clone()), None);
    // Only the successes' notes exist: the failures rolled back with no success event.
    assert_eq!(app.db.count("SELECT count(*) FROM notes").await, 4);
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first");
}

/// `audit_events` pages newest first, from the last id of the previous page.
async fn paging_reads_the_log_backwards(backend: Backend) {
    let app = spawn(backend).await;
    let alice = app.client.as_user(7);
    for i in 0..5 {
        alice
            .action("journal.write", json!({"body": format!("n{i}")}))
            .await
            .assert_status(StatusCode::OK);
    }
    let (first, second, third) = app
        .db
        .database()
        .run(async |conn| {
            let first = audit::events(conn, None, 2).await.expect("page 1");
            let second = audit::events(conn, Some(first[1].id), 2)
                .await
                .expect("page 2");
            let third = audit::events(conn, Some(second[1].id), 2)
                .await
                .expect("page 3");
            (first, second, third)
        })
        .await
        .expect("a connection");
    let bodies: Vec<String> = [first, second, third]
        .concat()
        .into_iter()
        .map(|e| e.input.expect("input")["body"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(bodies, ["n4", "n3", "n2", "n1", "n0"]);
}

/// Refusals written through the audit queue: a burst of denials, at the permission and on the
/// loaded resource, on a pool of one connection, all answered and all recorded before their
/// answers (the request gives its connection back before its event is written, so the queue's
/// writer never waits on a request that waits on it).
async fn a_burst_of_denials_on_one_connection(backend: Backend) {
    use actions_runtime::db::DatabaseOptions;
    use actions_runtime::testing::TestDb;
    let db = TestDb::with_options(
        backend,
        &crate::app::MIGRATIONS,
        DatabaseOptions::default()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_secs(20)),
    )
    .await;
    db.database()
        .migrate(&actions_runtime::db::RUNTIME_MIGRATIONS)
        .await
        .expect("the runtime's tables");
    let server = actions_runtime::Server::builder(crate::app::registry())
        .database(db.database().clone())
        .authenticator(actions_runtime::testing::TestAuthenticator)
        .policy(crate::app::TestPolicy)
        .build()
        .expect("builds");
    let client = actions_runtime::testing::TestClient::new(server.router());
    let note = client
        .as_user(7)
        .action("notes.create", json!({"body": "alice's"}))
        .await;
    note.assert_status(StatusCode::OK);
    let id = note.json()["id"].clone();
    let refusals = (0..40).map(|i| {
        // User 13 holds no `note:edit`; user 8 holds it, but not on alice's note.
        let user = if i % 2 == 0 { 13 } else { 8 };
        let client = client.as_user(user);
        let id = id.clone();
        async move {
            client
                .action("notes.edit", json!({"id": id, "body": "mine"}))
                .await
        }
    });
    for answer in futures_util::future::join_all(refusals).await {
        answer.assert_status(StatusCode::FORBIDDEN);
    }
    let denied = db
        .count("SELECT count(*) FROM action_audit_events WHERE outcome = 'denied'")
        .await;
    assert_eq!(denied, 40);
    let by_user = db
        .count("SELECT count(*) FROM action_audit_events WHERE outcome = 'denied' AND actor_id = 8")
        .await;
    assert_eq!(by_user, 20);
}

actions_runtime::backend_tests!(
    one_event_per_call,
    paging_reads_the_log_backwards,
    a_burst_of_denials_on_one_connection
);
