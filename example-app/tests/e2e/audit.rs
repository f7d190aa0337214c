//! The app's data-integrity declarations at work: `post.create` and `account.transfer` are
//! idempotent, post writes and transfers are audited, and `audit.list` is for admins.

use crate::spawn;
use actions_runtime::http::StatusCode;
use actions_runtime::testing::Backend;
use serde_json::{Value, json};

/// A retried `post.create` with the same key creates one post and answers the same body.
async fn post_create_is_idempotent(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app
        .user("ada")
        .await
        .client
        .with_header("idempotency-key", "post-1");
    let input = json!({"title": "Once", "body": "only once"});
    let first = ada.action("post.create", input.clone()).await;
    first.assert_status(StatusCode::OK);
    let again = ada.action("post.create", input).await;
    assert_eq!((again.status, &again.body), (first.status, &first.body));
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let other = ada
        .action("post.create", json!({"title": "Other", "body": "same key"}))
        .await;
    other.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.db.count("SELECT count(*) FROM posts").await, 1);
}

/// A transfer retried with its key moves the money once.
async fn transfer_is_idempotent(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app.user("ada").await.client;
    let open = |name: &'static str| {
        let ada = ada.clone();
        async move {
            ada.action(
                "account.open",
                json!({"name": name, "initialDeposit": 1000}),
            )
            .await
            .json()["id"]
                .as_i64()
                .unwrap()
        }
    };
    let (a, b) = (open("A").await, open("B").await);
    let keyed = ada.with_header("idempotency-key", "rent-december");
    let input = json!({"from": a, "to": b, "amount": 400});
    let first = keyed.action("account.transfer", input.clone()).await;
    let again = keyed.action("account.transfer", input).await;
    assert_eq!(first.json(), again.json());
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let (sql_a, sql_b) = (
        format!("SELECT balance FROM accounts WHERE id = {a}"),
        format!("SELECT balance FROM accounts WHERE id = {b}"),
    );
    assert_eq!(
        (app.db.count(&sql_a).await, app.db.count(&sql_b).await),
        (600, 1400)
    );
    assert_eq!(app.db.count("SELECT count(*) FROM transfers").await, 1);
}

/// Post writes and transfers leave events that admins page through; users may not read them.
async fn audit_list_is_for_admins(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app.user("ada").await;
    let mallory = app.user("mallory").await;
    let post = ada
        .client
        .action("post.create", json!({"title": "Audited", "body": "b"}))
        .await
        .json();
    ada.client
        .action("post.update", json!({"id": post["id"], "title": "Edited"}))
        .await
        .assert_status(StatusCode::OK);
    mallory
        .client
        .action("post.delete", json!({"id": post["id"]}))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    ada.client
        .action("post.delete", json!({"id": post["id"]}))
        .await
        .assert_status(StatusCode::OK);

    let refused = ada.client.action("audit.list", json!({})).await;
    refused.assert_status(StatusCode::FORBIDDEN);

    let admin = app.admin("root").await;
    let mut seen: Vec<Value> = Vec::new();
    let mut cursor = Value::Null;
    loop {
        let page = admin
            .client
            .action("audit.list", json!({"limit": 3, "cursor": cursor}))
            .await;
        page.assert_status(StatusCode::OK);
        let page = page.json();
        seen.extend(page["items"].as_array().unwrap().iter().cloned());
        cursor = page["next"].clone();
        if cursor.is_null() {
            break;
        }
    }
    let actions: Vec<(&str, &str, i64)> = seen
        .iter()
        .rev()
        .filter(|e| e["action"].as_str().unwrap().starts_with("post.") || e["outcome"] == "denied")
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["outcome"].as_str().unwrap(),
                e["actorId"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("post.create", "success", ada.id),
            ("post.update", "success", ada.id),
            ("post.delete", "denied", mallory.id),
            ("post.delete", "success", ada.id),
            ("audit.list", "denied", ada.id),
        ]
    );
    let signs: Vec<&str> = seen
        .iter()
        .filter_map(|e| e["action"].as_str().filter(|a| a.starts_with("auth.")))
        .collect();
    assert!(
        signs.contains(&"auth.sign_up") && signs.contains(&"auth.sign_in"),
        "{signs:?}"
    );
    let create = seen.iter().find(|e| e["action"] == "post.create").unwrap();
    assert_eq!(create["input"], json!({"title": "Audited", "body": "b"}));
    assert!(create["occurredAt"].as_str().unwrap().ends_with('Z'));
    let bad = admin
        .client
        .action("audit.list", json!({"cursor": "not-a-cursor"}))
        .await;
    bad.assert_status(StatusCode::BAD_REQUEST);
    assert!(bad.json()["fields"]["cursor"].is_array());
}

actions_runtime::backend_tests!(
    post_create_is_idempotent,
    transfer_is_idempotent,
    audit_list_is_for_admins,
);
