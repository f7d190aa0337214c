//! Access through real sessions: every `auth` action refuses a signed-out caller (generated
//! from the manifest, so a new action is covered by itself), another user's post or account
//! is off limits and unchanged, admins may do anything, and the admin-only action is theirs.

use crate::spawn;
use actions_runtime::http::StatusCode;
use actions_runtime::testing::Backend;
use serde_json::{Value, json};

async fn every_auth_action_refuses_the_signed_out(backend: Backend) {
    let app = spawn(backend).await;
    let manifest = app.client.get("/_actions/schema.json").send().await.json();
    let mut checked = Vec::new();
    for action in manifest["actions"].as_array().unwrap() {
        if action["posture"] != "auth" {
            continue;
        }
        let name = action["name"].as_str().unwrap();
        let response = match action["accept"].as_str() {
            Some("form") => {
                app.client
                    .post(&format!("/_actions/{name}"))
                    .form(&[])
                    .send()
                    .await
            }
            _ => app.client.action(name, json!({})).await,
        };
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "{name} let a signed-out caller in"
        );
        assert_eq!(response.code(), "UNAUTHORIZED");
        checked.push(name.to_owned());
    }
    assert!(
        checked.len() >= 7,
        "the manifest lists the auth actions: {checked:?}"
    );
    // A stale or forged session counts as none.
    let forged = app
        .client
        .with_header("cookie", "better-auth.session_token=forged")
        .with_header("origin", crate::ORIGIN);
    assert_eq!(
        forged
            .action("post.create", json!({"title": "t", "body": "b"}))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn other_users_posts_and_accounts_are_off_limits(backend: Backend) {
    let app = spawn(backend).await;
    let (ada, mallory, admin) = (
        app.user("ada").await,
        app.user("mallory").await,
        app.admin("root").await,
    );
    let post = ada
        .client
        .action("post.create", json!({"title": "Mine", "body": "text"}))
        .await
        .json();
    let account = ada
        .client
        .action(
            "account.open",
            json!({"name": "Savings", "initialDeposit": 5000}),
        )
        .await
        .json();
    let theirs = mallory
        .client
        .action(
            "account.open",
            json!({"name": "Mallory", "initialDeposit": 0}),
        )
        .await
        .json();
    let (post_id, account_id) = (post["id"].clone(), account["id"].clone());

    let attempts: [(&str, Value); 4] = [
        ("post.update", json!({"id": post_id, "title": "pwned"})),
        ("post.delete", json!({"id": post_id})),
        ("account.get", json!({"id": account_id})),
        (
            "account.transfer",
            json!({"from": account_id, "to": theirs["id"], "amount": 5000}),
        ),
    ];
    for (name, input) in &attempts {
        let response = mallory.client.action(name, input.clone()).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{name}");
    }
    assert_eq!(
        app.client
            .action("post.get", json!({"id": post_id}))
            .await
            .json(),
        post,
        "the post is unchanged"
    );
    let balances = |member: &crate::Member, id: Value| {
        let client = member.client.clone();
        async move { client.action("account.get", json!({"id": id})).await.json()["balance"].clone() }
    };
    assert_eq!(
        balances(&ada, account_id.clone()).await,
        json!(5000),
        "no money moved"
    );
    assert_eq!(balances(&mallory, theirs["id"].clone()).await, json!(0));

    // Admins may do anything.
    let response = admin
        .client
        .action("account.get", json!({"id": account_id}))
        .await;
    assert_eq!(response.json(), account);
    let response = admin
        .client
        .action("post.update", json!({"id": post_id, "title": "Moderated"}))
        .await;
    assert_eq!(response.json()["title"], "Moderated");
    assert_eq!(
        admin
            .client
            .action("post.delete", json!({"id": post_id}))
            .await
            .status,
        StatusCode::OK
    );
    let response = ada
        .client
        .action("post.update", json!({"id": post_id, "title": "gone"}))
        .await;
    assert_eq!(
        (response.status, response.json()["message"].clone()),
        (
            StatusCode::NOT_FOUND,
            json!(format!("post {post_id} not found"))
        )
    );
}

async fn contact_messages_are_for_admins(backend: Backend) {
    let app = spawn(backend).await;
    let response = app
        .client
        .post("/_actions/contact.send")
        .form(&[
            ("name", "Ada"),
            ("email", "ada@example.com"),
            ("message", "Hello"),
        ])
        .send()
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let user = app.user("ada").await;
    let response = user.client.action("contact.list", json!({})).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN, "granted to no user");
    let admin = app.admin("root").await;
    let messages = admin.client.action("contact.list", json!({})).await.json();
    assert_eq!(messages.as_array().unwrap().len(), 1);
    assert_eq!(messages[0]["email"], "ada@example.com");
}

async fn sessions_end_to_end(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app.user("ada").await;
    let session = ada.client.get("/api/auth/get-session").send().await.json();
    assert_eq!(session["user"]["email"], "ada@example.test");
    assert_eq!(session["user"]["role"], "user");
    let post = ada
        .client
        .action("post.create", json!({"title": "Signed in", "body": "yes"}))
        .await
        .json();
    assert_eq!(post["authorId"], ada.id);
    assert_eq!(
        ada.client.post("/api/auth/sign-out").send().await.status,
        StatusCode::OK
    );
    let response = ada
        .client
        .action("post.create", json!({"title": "Signed out", "body": "no"}))
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    // A page on another site cannot use the cookie.
    let other = app.user("bob").await;
    let forged = app
        .client
        .with_header(
            "cookie",
            &format!("better-auth.session_token={}", other.token),
        )
        .with_header("origin", "https://evil.example");
    let response = forged
        .action("post.create", json!({"title": "CSRF", "body": "no"}))
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let doubled = other.client.with_header("origin", "https://evil.example");
    let response = doubled
        .action("post.create", json!({"title": "CSRF", "body": "no"}))
        .await;
    assert_eq!(
        response.status,
        StatusCode::FORBIDDEN,
        "two Origin headers are ambiguous"
    );
}

actions_runtime::backend_tests!(
    every_auth_action_refuses_the_signed_out,
    other_users_posts_and_accounts_are_off_limits,
    contact_messages_are_for_admins,
    sessions_end_to_end,
);
