use crate::spawn;
use actions_runtime::http::StatusCode;
use actions_runtime::testing::{Backend, TestClient};
use serde_json::{Value, json};

async fn create(client: &TestClient, title: &str) -> Value {
    let response = client
        .action("post.create", json!({"title": title, "body": "text"}))
        .await;
    response.assert_status(StatusCode::OK);
    response.json()
}

async fn crud_with_authorship(backend: Backend) {
    let app = spawn(backend).await;
    let (ada_user, bob_user) = (app.user("ada").await, app.user("bob").await);
    let (ada, bob) = (ada_user.client.clone(), bob_user.client.clone());
    let post = create(&ada, "Hello").await;
    assert_eq!(post["authorId"], ada_user.id);
    assert_eq!(post["createdAt"], post["updatedAt"]);
    assert_eq!(
        app.client
            .action("post.get", json!({"id": post["id"]}))
            .await
            .json(),
        post,
        "reads are public"
    );

    let updated = ada
        .action(
            "post.update",
            json!({"id": post["id"], "title": "Hello again"}),
        )
        .await
        .json();
    assert_eq!(
        (updated["title"].clone(), updated["body"].clone()),
        (json!("Hello again"), json!("text"))
    );
    assert!(updated["updatedAt"].as_str() > post["updatedAt"].as_str());
    let unchanged = ada
        .action("post.update", json!({"id": post["id"]}))
        .await
        .json();
    assert_eq!(unchanged, updated, "an empty patch changes nothing");

    for (name, input) in [
        ("post.update", json!({"id": post["id"], "body": "mine now"})),
        ("post.delete", json!({"id": post["id"]})),
    ] {
        let response = bob.action(name, input).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{name}");
        assert_eq!(
            response.json()["message"],
            format!(
                "you do not have the `{}` permission here",
                name.replace('.', ":")
            )
        );
    }
    assert_eq!(
        app.client
            .action("post.get", json!({"id": post["id"]}))
            .await
            .json(),
        updated,
        "unchanged by bob"
    );

    let response = app
        .client
        .action("post.create", json!({"title": "t", "body": "b"}))
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNAUTHORIZED,
        "writes need a user"
    );

    assert_eq!(
        ada.action("post.delete", json!({"id": post["id"]}))
            .await
            .json(),
        json!({"id": post["id"]})
    );
    let response = app
        .client
        .action("post.get", json!({"id": post["id"]}))
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(
        response.json()["message"],
        format!("post {} not found", post["id"])
    );
    assert_eq!(
        ada.action("post.delete", json!({"id": post["id"]}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn title_and_body_limits(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app.user("ada").await.client;
    let ok = ada
        .action(
            "post.create",
            json!({"title": "é".repeat(200), "body": "ü".repeat(10_000)}),
        )
        .await;
    assert_eq!(
        ok.status,
        StatusCode::OK,
        "limits count characters, not bytes"
    );
    let response = ada
        .action(
            "post.create",
            json!({"title": "x".repeat(201), "body": "y".repeat(10_001)}),
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json()["fields"],
        json!({"title": ["must be at most 200 characters"], "body": ["must be at most 10000 characters"]}),
        "every failing field at once"
    );
    let response = ada
        .action("post.create", json!({"title": "   ", "body": ""}))
        .await;
    assert_eq!(
        response.json()["fields"],
        json!({"title": ["must be at least 1 character"]})
    );
    let id = ok.json()["id"].clone();
    let response = ada
        .action("post.update", json!({"id": id, "title": ""}))
        .await;
    assert_eq!(
        response.json()["fields"],
        json!({"title": ["must be at least 1 character"]})
    );
    let response = ada
        .action(
            "post.create",
            json!({"title": "t", "body": "b", "authorId": 2}),
        )
        .await;
    assert_eq!(
        response.json()["fields"],
        json!({"authorId": ["unknown field; expected `title` or `body`"]})
    );
}

/// `n` posts by `client`, newest first.
async fn posts(client: &TestClient, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(
            create(client, &format!("post {i}")).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    ids.reverse();
    ids
}

/// Every page of `post.list` at `limit` per page, calling `between` after each page; the ids
/// seen, in order.
async fn walk<F: Future<Output = ()>>(
    client: &TestClient,
    limit: i64,
    mut between: impl FnMut() -> F,
) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut cursor = Value::Null;
    loop {
        let page = client
            .action("post.list", json!({"limit": limit, "cursor": cursor}))
            .await
            .json();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_i64().unwrap()),
        );
        between().await;
        cursor = page["next"].clone();
        if cursor.is_null() {
            return seen;
        }
    }
}

async fn pages_newest_first_without_gaps(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app.user("ada").await.client;
    let ids = posts(&ada, 23).await;
    let first = app.client.action("post.list", json!({})).await.json();
    assert_eq!(
        first["items"].as_array().unwrap().len(),
        20,
        "default limit"
    );
    let seen = walk(&app.client, 4, || async {}).await;
    assert_eq!(seen, ids, "every post once, newest first");
    let page = app
        .client
        .action("post.list", json!({"limit": 23}))
        .await
        .json();
    assert_eq!(page["next"], Value::Null, "no cursor when nothing follows");
}

/// 1,000 posts walked 7 at a time while another writer adds a post after every page: every
/// post that existed when the walk began is seen exactly once, newest first, and none twice.
async fn walking_pages_while_others_write(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app.user("ada").await.client;
    let before = posts(&ada, 1000).await;
    let added = std::cell::Cell::new(0);
    let seen = walk(&app.client, 7, || {
        added.set(added.get() + 1);
        let title = format!("written during the walk {}", added.get());
        let ada = ada.clone();
        async move {
            create(&ada, &title).await;
        }
    })
    .await;
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no post twice");
    let pre_existing: Vec<i64> = seen
        .iter()
        .copied()
        .filter(|id| before.contains(id))
        .collect();
    assert_eq!(pre_existing, before, "every earlier post once, in order");
    assert!(
        added.get() > 100,
        "the walk overlapped {} writes",
        added.get()
    );
}

async fn pagination_input_errors(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app.user("ada").await.client;
    for i in 0..3 {
        create(&ada, &format!("rust {i}")).await;
    }
    let page = app
        .client
        .action("post.list", json!({"q": "rust", "limit": 1}))
        .await
        .json();
    let response = app
        .client
        .action("post.list", json!({"q": "go", "cursor": page["next"]}))
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json()["fields"]["cursor"],
        json!(["belongs to another listing: start again without a cursor when the filters change"]),
        "a cursor is bound to its search"
    );
    for (input, field, message) in [
        (json!({"limit": 0}), "limit", "must be at least 1"),
        (json!({"limit": 101}), "limit", "must be at most 100"),
        (
            json!({"cursor": "not-a-cursor"}),
            "cursor",
            "is not a cursor returned by this listing",
        ),
        (
            json!({"cursor": "MTIzLmFiYw"}),
            "cursor",
            "is not a cursor returned by this listing",
        ),
    ] {
        let response = app.client.action("post.list", input.clone()).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{input}");
        assert_eq!(
            response.json()["fields"][field],
            json!([message]),
            "{input}"
        );
    }
    assert_eq!(
        app.client
            .action("post.list", json!({"limit": 100}))
            .await
            .status,
        StatusCode::OK
    );
}

async fn search_escapes_wildcards(backend: Backend) {
    let app = spawn(backend).await;
    let ada = app.user("ada").await.client;
    for title in [
        "100% Real",
        "100 real",
        "snake_case",
        "snakeXcase",
        r"back\slash",
        "Hello World",
    ] {
        create(&ada, title).await;
    }
    let titles = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let search = |q: &'static str| {
        let client = app.client.clone();
        async move { titles(client.action("post.list", json!({"q": q})).await.json()) }
    };
    assert_eq!(search("%").await, ["100% Real"]);
    assert_eq!(search("_").await, ["snake_case"]);
    assert_eq!(search(r"\").await, [r"back\slash"]);
    assert_eq!(search("HELLO").await, ["Hello World"], "case-insensitive");
    assert_eq!(search("real").await, ["100 real", "100% Real"]);
    assert_eq!(
        search("").await.len(),
        6,
        "an empty query matches everything"
    );
}

actions_runtime::backend_tests!(
    crud_with_authorship,
    title_and_body_limits,
    pages_newest_first_without_gaps,
    pagination_input_errors,
    walking_pages_while_others_write,
    search_escapes_wildcards,
);
