//! Access control: the permission before anything is read, the loaded resource inside the
//! transaction, admins through the base, nothing written on denial.

use crate::app::spawn;
use actions_runtime::testing::Backend;
use http::StatusCode;
use serde_json::json;

async fn note_of(client: &actions_runtime::testing::TestClient, id: &serde_json::Value) -> String {
    client.action("notes.get", json!({"id": id})).await.json()["body"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn the_resource_decides(backend: Backend) {
    let app = spawn(backend).await;
    let note = app
        .client
        .as_user(5)
        .action("notes.create", json!({"body": "mine"}))
        .await
        .json();
    let id = &note["id"];

    let response = app
        .client
        .as_user(5)
        .action("notes.edit", json!({"id": id, "body": "edited by owner"}))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json()["body"], "edited by owner");

    let response = app
        .client
        .as_user(6)
        .action("notes.edit", json!({"id": id, "body": "hijacked"}))
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(
        response.json()["message"],
        "you do not have the `note:edit` permission here"
    );
    assert_eq!(
        note_of(&app.client, id).await,
        "edited by owner",
        "a denied edit writes nothing"
    );

    let response = app
        .client
        .as_admin(99)
        .action("notes.edit", json!({"id": id, "body": "moderated"}))
        .await;
    assert_eq!(response.status, StatusCode::OK, "admins may do anything");
    assert_eq!(note_of(&app.client, id).await, "moderated");

    let response = app
        .client
        .as_user(5)
        .action("notes.edit", json!({"id": 4040, "body": "x"}))
        .await;
    assert_eq!(
        (response.status, response.json()["message"].clone()),
        (StatusCode::NOT_FOUND, json!("note not found"))
    );
}

async fn the_permission_is_checked_before_the_body(backend: Backend) {
    let app = spawn(backend).await;
    let note = app
        .client
        .as_user(13)
        .action("notes.create", json!({"body": "mine"}))
        .await
        .json();
    // User 13 lacks `note:edit` altogether: refused before the (malformed) body is read.
    let response = app
        .client
        .as_user(13)
        .post("/_actions/notes.edit")
        .body("application/json", "{oops")
        .send()
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let response = app
        .client
        .as_user(13)
        .action("notes.edit", json!({"id": note["id"], "body": "x"}))
        .await;
    assert_eq!(
        response.status,
        StatusCode::FORBIDDEN,
        "even on their own note"
    );
    // Anyone else gets past the permission, so the body is read: 400.
    let response = app
        .client
        .as_user(14)
        .post("/_actions/notes.edit")
        .body("application/json", "{oops")
        .send()
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    // Signed out: 401 comes first.
    let response = app
        .client
        .post("/_actions/notes.edit")
        .body("application/json", "{oops")
        .send()
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
}

actions_runtime::backend_tests!(
    the_resource_decides,
    the_permission_is_checked_before_the_body
);
