use crate::spawn;
use actions_runtime::http::StatusCode;
use actions_runtime::testing::Backend;
use serde_json::{Value, json};

/// `profile.save` is an upsert on the unique `user_id`: saving twice keeps one row, the second
/// save replaces the first, and a `null` or absent optional column clears it.
async fn save_is_an_upsert(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app.user("ada").await;
    let first = ada
        .client
        .action(
            "profile.save",
            json!({"displayName": "  Ada  ", "bio": "Counts things.", "website": "https://ada.example"}),
        )
        .await;
    first.assert_status(StatusCode::OK);
    let first = first.json();
    assert_eq!(first["userId"], json!(ada.id), "whose is the server's");
    assert_eq!(first["displayName"], "Ada", "trimmed before it is stored");
    assert_eq!(first["website"], "https://ada.example");

    let second = ada
        .client
        .action(
            "profile.save",
            json!({"displayName": "Ada L.", "bio": null}),
        )
        .await
        .json();
    assert_eq!(second["displayName"], "Ada L.");
    assert_eq!(second["bio"], Value::Null, "null clears");
    assert_eq!(second["website"], Value::Null, "absent clears too");
    assert_eq!(
        app.client
            .action("profile.get", json!({"userId": ada.id}))
            .await
            .json(),
        second,
        "anyone reads the latest version"
    );
    let rows = app.db.count("SELECT COUNT(*) FROM profiles").await;
    assert_eq!(rows, 1, "one row per user, however often it is saved");

    let bob = app.user("bob").await;
    let response = app
        .client
        .action("profile.get", json!({"userId": bob.id}))
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
}

/// Every rule of the derived input, reported at once, with nothing written.
async fn every_bad_field_is_named(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app.user("ada").await;
    let response = ada
        .client
        .action(
            "profile.save",
            json!({
                "displayName": "   ",
                "bio": "b".repeat(2001),
                "website": "ftp://ada.example",
            }),
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json()["fields"],
        json!({
            "displayName": ["must be at least 1 character"],
            "bio": ["must be at most 2000 characters"],
            "website": ["must be an http or https URL"],
        })
    );
    let response = ada
        .client
        .action(
            "profile.save",
            json!({"displayName": "Ada", "website": format!("https://{}.example", "a".repeat(200))}),
        )
        .await;
    assert_eq!(
        response.json()["fields"],
        json!({"website": ["must be at most 200 characters"]}),
        "the column's VARCHAR(200) is a rule"
    );
    let response = ada
        .client
        .action("profile.save", json!({"displayName": "Ada", "userId": 1}))
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response.json()["fields"]["userId"][0]
            .as_str()
            .is_some_and(|m| m.starts_with("unknown field")),
        "a server-set column cannot be sent: {}",
        response.json()
    );
    let response = ada.client.action("profile.save", json!({})).await;
    assert_eq!(
        response.json()["fields"],
        json!({"displayName": ["is required"]})
    );
    assert_eq!(app.db.count("SELECT COUNT(*) FROM profiles").await, 0);
    let response = app
        .client
        .action("profile.get", json!({"userId": "1"}))
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(response.json()["fields"]["userId"].is_array());
}

/// What a fuzz of the published schema found the server storing: URLs RFC 3986 refuses.
async fn websites_rfc_3986_refuses_are_refused(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app.user("ada").await;
    for website in [
        "https://a\u{1}b/\u{0}",
        "http://[::1",
        "https://a%zz",
        "http://[zz]/",
    ] {
        let response = ada
            .client
            .action(
                "profile.save",
                json!({"displayName": "Ada", "website": website}),
            )
            .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{website:?}");
        assert!(
            response.json()["fields"]["website"].is_array(),
            "{website:?}: {}",
            response.json()
        );
    }
    let response = ada
        .client
        .action(
            "profile.save",
            json!({"displayName": "Ada", "website": "http://[::1]:8080/a%20b?q=1#top"}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.json());
}

actions_runtime::backend_tests!(
    save_is_an_upsert,
    every_bad_field_is_named,
    websites_rfc_3986_refuses_are_refused
);
