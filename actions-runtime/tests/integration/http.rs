//! The wire contract: every status and error shape, through the real router.

use crate::app::spawn;
use actions_runtime::testing::{Backend, Multipart};
use http::StatusCode;
use serde_json::json;

fn order() -> serde_json::Value {
    json!({
        "customerName": "Ada",
        "express": true,
        "lines": [{"sku": "ink", "quantity": 2}, {"sku": "pen", "quantity": 1}],
        "placedAt": "2026-01-31T12:00:00+01:00"
    })
}

async fn json_round_trip_is_camel_case(backend: Backend) {
    let app = spawn(backend).await;
    let response = app.client.action("echo", order()).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(
        response.json(),
        json!({
            "customerName": "Ada",
            "express": true,
            "note": null,
            "lines": [{"sku": "ink", "quantity": 2}, {"sku": "pen", "quantity": 1}],
            "placedAt": "2026-01-31T11:00:00.000000Z"
        })
    );
    assert!(
        response
            .header("x-request-id")
            .is_some_and(|id| id.len() >= 32),
        "every response carries a request id"
    );
}

async fn unit_output_is_204_without_body(backend: Backend) {
    let app = spawn(backend).await;
    let response = app.client.as_user(1).action("notes.purge", json!({})).await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert!(response.body.is_empty());
}

async fn auth_is_checked_before_the_body_is_read(backend: Backend) {
    let app = spawn(backend).await;
    // Not even JSON: an unauthenticated request must be refused before decoding.
    let response = app
        .client
        .post("/_actions/notes.create")
        .body("application/json", "{{{")
        .send()
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.json(),
        json!({"code": "UNAUTHORIZED", "message": "sign in to do this"})
    );
    let response = app
        .client
        .as_user(5)
        .post("/_actions/notes.create")
        .body("application/json", "{{{")
        .send()
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
}

async fn acl_is_checked_before_the_body_and_writes_nothing(backend: Backend) {
    let app = spawn(backend).await;
    app.client
        .as_user(2)
        .action("notes.create", json!({"body": "keep me"}))
        .await;
    let response = app
        .client
        .as_user(2)
        .post("/_actions/notes.purge")
        .body("application/json", "not json")
        .send()
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(response.code(), "FORBIDDEN");
    assert_eq!(
        app.client.action("notes.count", json!({})).await.json(),
        json!(1)
    );
    // The default base lets admins through.
    let response = app
        .client
        .as_admin(9)
        .action("notes.purge", json!({}))
        .await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.client.action("notes.count", json!({})).await.json(),
        json!(0)
    );
}

async fn malformed_json_is_400(backend: Backend) {
    let app = spawn(backend).await;
    for body in ["{\"customerName\": ", "[1, 2", "", "{} trailing"] {
        let response = app
            .client
            .post("/_actions/echo")
            .body("application/json", body)
            .send()
            .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{body:?}");
        let error = response.json();
        assert_eq!(error["code"], "BAD_REQUEST");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .starts_with("malformed JSON"),
            "{error}"
        );
        assert!(error.get("fields").is_none());
    }
}

async fn wrong_types_name_the_full_path(backend: Backend) {
    let app = spawn(backend).await;
    let mut input = order();
    input["lines"][1]["quantity"] = json!("two");
    let response = app.client.action("echo", input).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json(),
        json!({
            "code": "BAD_REQUEST",
            "message": "invalid input: 1 field failed validation",
            "fields": {"lines.1.quantity": ["invalid type: string \"two\", expected an integer from 0 to 4294967295"]}
        })
    );
    // Behind a UTF-8 byte order mark, a body gets the same answer: every failing field.
    let mut input = order();
    input["lines"][1]["quantity"] = json!("two");
    input.as_object_mut().unwrap().remove("customerName");
    let plain = app.client.action("echo", input.clone()).await.json();
    assert_eq!(
        plain["fields"].as_object().map(|f| f.len()),
        Some(2),
        "{plain}"
    );
    let with_bom = app
        .client
        .post("/_actions/echo")
        .body("application/json", format!("\u{feff}{input}"))
        .send()
        .await;
    assert_eq!(with_bom.json(), plain);
    let mut input = order();
    input.as_object_mut().unwrap().remove("customerName");
    let response = app.client.action("echo", input).await;
    assert_eq!(
        response.json()["fields"],
        json!({"customerName": ["is required"]})
    );
    let response = app.client.action("echo", json!([1, 2])).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid input: invalid type: list, expected an object")
    );
}

async fn unknown_fields_are_rejected(backend: Backend) {
    let app = spawn(backend).await;
    let response = app
        .client
        .as_user(3)
        .action("notes.create", json!({"body": "x", "ownerId": 1}))
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json()["fields"],
        json!({"ownerId": ["unknown field; expected `body`"]})
    );
    let mut input = order();
    input["lines"][0]["userId"] = json!(7);
    let response = app.client.action("echo", input).await;
    assert_eq!(
        response.json()["fields"],
        json!({"lines.0.userId": ["unknown field; expected `sku` or `quantity`"]})
    );
    // A key sent twice is ambiguous (which one counts?), so it is refused, on the field.
    let response = app
        .client
        .as_user(3)
        .post("/_actions/notes.create")
        .body("application/json", r#"{"body": "x", "body": "y"}"#)
        .send()
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json()["fields"],
        json!({"body": ["is given more than once"]})
    );
    assert_eq!(
        app.client.action("notes.count", json!({})).await.json(),
        json!(0)
    );
}

async fn invalid_utf8_is_400(backend: Backend) {
    let app = spawn(backend).await;
    let response = app
        .client
        .post("/_actions/echo")
        .body("application/json", &b"{\"customerName\": \"\xff\"}"[..])
        .send()
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json()["message"],
        "the request body is not valid UTF-8 (invalid byte at offset 18)"
    );
}

async fn unknown_action_is_404(backend: Backend) {
    let app = spawn(backend).await;
    for path in [
        "/_actions/nope",
        "/_actions/notes.nope",
        "/_actions/notes.create/extra",
    ] {
        let response = app.client.post(path).json(&json!({})).send().await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.code(), "NOT_FOUND");
    }
    let response = app
        .client
        .post("/_actions/nope")
        .json(&json!({}))
        .send()
        .await;
    assert_eq!(
        response.json()["message"],
        "there is no action named `nope`"
    );
}

async fn other_methods_are_405_with_allow(backend: Backend) {
    let app = spawn(backend).await;
    for method in [http::Method::GET, http::Method::PUT, http::Method::DELETE] {
        let response = app
            .client
            .request(method.clone(), "/_actions/echo")
            .send()
            .await;
        assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(response.header("allow"), Some("POST"));
        assert_eq!(response.code(), "METHOD_NOT_ALLOWED");
    }
    let response = app.client.post("/_actions/schema.json").send().await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("allow"), Some("GET, HEAD"));
}

async fn wrong_or_missing_content_type_is_415(backend: Backend) {
    let app = spawn(backend).await;
    let body = serde_json::to_vec(&order()).unwrap();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin1",
    ] {
        let response = app
            .client
            .post("/_actions/echo")
            .body(content_type, body.clone())
            .send()
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
        assert_eq!(response.code(), "UNSUPPORTED_MEDIA_TYPE");
    }
    let response = app
        .client
        .post("/_actions/echo")
        .raw_body(body.clone())
        .send()
        .await;
    assert_eq!(response.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        response.json()["message"],
        "this action accepts application/json, but the request has no Content-Type"
    );
    for content_type in [
        "application/json; charset=UTF-8",
        "application/vnd.api+json",
    ] {
        let response = app
            .client
            .post("/_actions/echo")
            .body(content_type, body.clone())
            .send()
            .await;
        assert_eq!(response.status, StatusCode::OK, "{content_type}");
    }
    let response = app
        .client
        .post("/_actions/upload")
        .json(&json!({"title": "x"}))
        .send()
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "form actions take forms only"
    );
}

async fn body_over_the_limit_is_413(backend: Backend) {
    let app = crate::app::spawn_with(backend, |builder| builder.body_limit(1024)).await;
    let big = json!({"customerName": "x".repeat(2000), "express": false, "lines": []});
    let response = app.client.action("echo", big).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        response.json(),
        json!({"code": "CONTENT_TOO_LARGE", "message": "the request body is larger than the limit of 1024 bytes"})
    );
    // Without Content-Length the limit still holds, while streaming.
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = (0..3)
        .map(|_| Ok(bytes::Bytes::from(vec![b' '; 800])))
        .collect();
    let stream = axum::body::Body::from_stream(futures_util::stream::iter(chunks));
    let response = app
        .client
        .post("/_actions/echo")
        .body("application/json", stream)
        .send()
        .await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    let multipart = Multipart::new().text("title", "t").file(
        "attachment",
        "big.bin",
        "application/octet-stream",
        &[0; 4096],
    );
    let response = app
        .client
        .post("/_actions/upload")
        .multipart(multipart)
        .send()
        .await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    // The default is 1 MiB.
    let app = spawn(backend).await;
    let response = app
        .client
        .action(
            "echo",
            json!({"customerName": "x".repeat(1_000_000), "express": false, "lines": []}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let response = app
        .client
        .action(
            "echo",
            json!({"customerName": "x".repeat(1_100_000), "express": false, "lines": []}),
        )
        .await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
}

async fn internal_errors_hide_their_detail(backend: Backend) {
    let app = spawn(backend).await;
    let response = app.client.action("leak", json!({})).await;
    assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR);
    let body = response.json();
    assert_eq!(body["code"], "INTERNAL_SERVER_ERROR");
    assert_eq!(body["message"], "internal server error");
    assert_eq!(body["requestId"].as_str(), response.header("x-request-id"));
    assert!(!String::from_utf8_lossy(&response.body).contains("hunter2"));
}

async fn a_panic_is_500_and_the_server_keeps_serving(backend: Backend) {
    let app = spawn(backend).await;
    for _ in 0..3 {
        let response = app.client.action("explode", json!({})).await;
        assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!String::from_utf8_lossy(&response.body).contains("kaboom"));
    }
    assert_eq!(
        app.client.action("echo", order()).await.status,
        StatusCode::OK
    );
}

async fn diesel_errors_map_to_codes(backend: Backend) {
    let app = spawn(backend).await;
    let response = app.client.action("notes.get", json!({"id": 404})).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(
        response.json(),
        json!({"code": "NOT_FOUND", "message": "not found"})
    );
    let user = app.client.as_user(1);
    assert_eq!(
        user.action("notes.insertWithId", json!({"id": 7}))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "wire names are the fn names"
    );
    assert_eq!(
        user.action("notes.insert_with_id", json!({"id": 7}))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let response = user.action("notes.insert_with_id", json!({"id": 7})).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(
        response.json(),
        json!({"code": "CONFLICT", "message": "a record with the same unique value already exists"})
    );
}

async fn pool_timeout_is_503(backend: Backend) {
    let db = actions_runtime::testing::TestDb::with_options(
        backend,
        &crate::app::MIGRATIONS,
        actions_runtime::db::DatabaseOptions::default()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_millis(200)),
    )
    .await;
    let server = actions_runtime::Server::builder(crate::app::registry())
        .database(db.database().clone())
        .authenticator(actions_runtime::testing::TestAuthenticator)
        .build()
        .unwrap();
    let client = actions_runtime::testing::TestClient::new(server.router());
    // While the only connection is held, a request waits, then gives up.
    let response = db
        .database()
        .run(async |_held| client.action("notes.count", json!({})).await)
        .await
        .expect("the only connection");
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.code(), "SERVICE_UNAVAILABLE");
}

async fn schema_json_lists_every_action(backend: Backend) {
    let app = spawn(backend).await;
    let response = app.client.get("/_actions/schema.json").send().await;
    assert_eq!(response.status, StatusCode::OK);
    let manifest = response.json();
    assert_eq!(
        manifest,
        serde_json::to_value(app.server.manifest()).unwrap(),
        "served = built"
    );
    let actions = manifest["actions"].as_array().unwrap();
    let names: Vec<&str> = actions
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "echo",
            "explode",
            "journal.explode",
            "journal.nested",
            "journal.refuse",
            "journal.stall_once",
            "journal.write",
            "journal.write_keyed",
            "leak",
            "notes.always_conflicts",
            "notes.append_counted",
            "notes.count",
            "notes.create",
            "notes.edit",
            "notes.fail_after_write",
            "notes.get",
            "notes.hang_after_write",
            "notes.insert_with_id",
            "notes.isolation_default",
            "notes.isolation_repeatable_read",
            "notes.isolation_serializable",
            "notes.panic_after_write",
            "notes.purge",
            "prices.put",
            "upload"
        ]
    );
    let purge = &actions[names.iter().position(|n| *n == "notes.purge").unwrap()];
    assert_eq!(purge["posture"], "auth");
    assert_eq!(purge["acl"], "note:purge");
    assert_eq!(purge["tx"], true);
    assert_eq!(purge["resourceCheck"], false);
    let edit = &actions[names.iter().position(|n| *n == "notes.edit").unwrap()];
    assert_eq!(
        (edit["acl"].clone(), edit["resourceCheck"].clone()),
        (json!("note:edit"), json!(true))
    );
    assert_eq!(purge["accept"], "json");
    assert_eq!(
        (purge.get("idempotencyKey"), &purge["audit"]),
        (None, &json!(false))
    );
    let keyed = &actions[names
        .iter()
        .position(|n| *n == "journal.write_keyed")
        .unwrap()];
    assert_eq!(keyed["idempotencyKey"], "required");
    let write = &actions[names.iter().position(|n| *n == "journal.write").unwrap()];
    assert_eq!(
        (&write["idempotencyKey"], &write["audit"]),
        (&json!("optional"), &json!(true))
    );
    assert_eq!(purge["output"]["type"], "null");
    let upload = &actions[names.iter().position(|n| *n == "upload").unwrap()];
    assert_eq!(upload["posture"], "public");
    assert_eq!(upload["acl"], serde_json::Value::Null);
    assert_eq!(upload["accept"], "form");
    let echo = &actions[0];
    assert_eq!(
        echo["input"]["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(echo["input"]["additionalProperties"], false);
    assert_eq!(
        echo["input"]["required"],
        json!(["customerName", "express", "lines"])
    );
    assert_eq!(
        echo["input"]["properties"]["placedAt"]["type"],
        json!(["string", "null"])
    );
    assert_eq!(
        echo["input"]["properties"]["placedAt"]["format"],
        "date-time"
    );
    assert_eq!(
        upload["input"]["properties"]["attachment"]["format"],
        "binary"
    );
}

async fn forms_are_coerced(backend: Backend) {
    let app = spawn(backend).await;
    let response = app
        .client
        .post("/_actions/upload")
        .form(&[
            ("title", "Hello"),
            ("rating", "4"),
            ("agree", "on"),
            ("tags", "a"),
            ("tags", "b"),
            ("author.name", "Ada"),
            ("author.email", ""),
        ])
        .send()
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    assert_eq!(
        response.json(),
        json!({
            "title": "Hello", "rating": 4, "agree": true, "tags": ["a", "b"],
            "authorName": "Ada", "authorEmail": null,
            "attachmentName": null, "attachmentType": null, "attachmentSize": null
        })
    );
    // Missing checkbox is false, empty optional number absent, no tags an empty list.
    let response = app
        .client
        .post("/_actions/upload")
        .form(&[("title", "T"), ("rating", ""), ("author.name", "B")])
        .send()
        .await;
    let body = response.json();
    assert_eq!(
        (
            body["agree"].clone(),
            body["rating"].clone(),
            body["tags"].clone()
        ),
        (json!(false), json!(null), json!([]))
    );
    // All unreadable fields at once, by full path.
    let response = app
        .client
        .post("/_actions/upload")
        .form(&[
            ("title", "T"),
            ("rating", "five"),
            ("agree", "maybe"),
            ("author.name", "B"),
        ])
        .send()
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json()["fields"],
        json!({"agree": ["expected a boolean (true or false)"], "rating": ["expected an integer"]})
    );
    let response = app
        .client
        .post("/_actions/upload")
        .form(&[("title", "T"), ("rating", "300"), ("author.name", "B")])
        .send()
        .await;
    assert_eq!(
        response.json()["fields"],
        json!({"rating": ["invalid value: integer `300`, expected an integer from 0 to 255"]})
    );
    let response = app
        .client
        .post("/_actions/upload")
        .form(&[("title", "T"), ("author.name", "B"), ("userId", "1")])
        .send()
        .await;
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "unknown form fields are rejected too"
    );
    let response = app
        .client
        .post("/_actions/upload")
        .body(
            "application/x-www-form-urlencoded",
            "title=%FF&author.name=B",
        )
        .send()
        .await;
    assert_eq!(
        response.json()["fields"],
        json!({"title": ["is not valid UTF-8 once percent-decoded"]})
    );
}

async fn multipart_carries_files(backend: Backend) {
    let app = spawn(backend).await;
    let multipart = Multipart::new()
        .text("title", "With file")
        .text("agree", "true")
        .text("tags", "x")
        .text("author.name", "Ada")
        .text("author.email", "ada@example.com")
        .file("attachment", "notes.txt", "text/plain", b"hello file");
    let response = app
        .client
        .post("/_actions/upload")
        .multipart(multipart)
        .send()
        .await;
    response.assert_status(StatusCode::OK);
    let body = response.json();
    assert_eq!(body["attachmentName"], "notes.txt");
    assert_eq!(body["attachmentType"], "text/plain");
    assert_eq!(body["attachmentSize"], 10);
    assert_eq!(body["authorEmail"], "ada@example.com");
    // A blank file input sends an empty unnamed part: absent.
    let multipart = Multipart::new()
        .text("title", "No file")
        .text("author.name", "B")
        .file("attachment", "", "application/octet-stream", b"");
    let response = app
        .client
        .post("/_actions/upload")
        .multipart(multipart)
        .send()
        .await;
    assert_eq!(response.json()["attachmentSize"], serde_json::Value::Null);
    // JSON can never forge a file.
    let multipart = Multipart::new()
        .text("title", "x")
        .text("author.name", "B")
        .text("attachment", "{\"bytes\": [1]}");
    let response = app
        .client
        .post("/_actions/upload")
        .multipart(multipart)
        .send()
        .await;
    assert_eq!(
        response.json()["fields"]["attachment"],
        json!(["expected a file upload (send the form as multipart/form-data)"])
    );
    let response = app
        .client
        .post("/_actions/upload")
        .body("multipart/form-data; boundary=zz", "garbage")
        .send()
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(response.code(), "BAD_REQUEST");
}

/// `NUMERIC` columns travel as strings of digits and come back exactly — no float on the way,
/// on either backend; a JSON number or an exponent is a 400 naming the field.
async fn decimals_are_exact(backend: Backend) {
    let app = spawn(backend).await;
    for amount in ["0.1", "12345678901234567890.123456789", "-7", "1234.50"] {
        let response = app
            .client
            .action("prices.put", json!({"amount": amount, "discount": null}))
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{amount}: {}",
            String::from_utf8_lossy(&response.body)
        );
        let price = response.json();
        assert_eq!(price["amount"], amount, "kept exactly");
        assert_eq!(price["discount"], serde_json::Value::Null);
    }
    let response = app
        .client
        .action("prices.put", json!({"amount": 0.1, "discount": "1e5"}))
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    let fields = response.json()["fields"].clone();
    assert!(
        fields["amount"].is_array() && fields["discount"].is_array(),
        "{fields}"
    );
    let schema = app.client.get("/_actions/schema.json").send().await.json();
    let input = schema["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "prices.put")
        .unwrap()["input"]
        .clone();
    assert_eq!(input["properties"]["amount"]["type"], "string");
    assert_eq!(
        input["properties"]["amount"]["pattern"],
        r"^-?[0-9]+(\.[0-9]+)?$"
    );
}

/// Hostile JSON is refused with `400` before it costs much: nesting deeper than 128 levels
/// (129, and 100,000, which would overflow a recursive decoder's stack), at the top or inside a
/// field, and an object of 10,000 keys, whose answer names the first 100 unknown fields
/// instead of all of them (it was a megabyte).
async fn hostile_json_is_400(backend: Backend) {
    let app = spawn(backend).await;
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    for (what, body) in [
        ("129 levels", nested(129)),
        (
            "129 levels in a field",
            format!(r#"{{"customerName": {}}}"#, nested(129)),
        ),
        ("100,000 levels", nested(100_000)),
        (
            "100,000 objects",
            format!("{}1{}", r#"{"a":"#.repeat(100_000), "}".repeat(100_000)),
        ),
    ] {
        let response = app
            .client
            .post("/_actions/echo")
            .body("application/json", body)
            .send()
            .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{what}");
        assert_eq!(response.json()["code"], "BAD_REQUEST", "{what}");
    }
    let keys: Vec<String> = (0..10_000).map(|i| format!(r#""key{i}": {i}"#)).collect();
    let response = app
        .client
        .post("/_actions/echo")
        .body("application/json", format!("{{{}}}", keys.join(", ")))
        .send()
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response.body.len() < 16 * 1024,
        "the answer to 10,000 unknown keys is short, not a list of them all: {} bytes",
        response.body.len()
    );
    let error = response.json();
    assert_eq!(error["code"], "BAD_REQUEST");
    assert_eq!(error["fields"].as_object().map(|f| f.len()), Some(100));
    assert!(error["fields"].get("key0").is_some(), "{error}");
}

actions_runtime::backend_tests!(
    hostile_json_is_400,
    decimals_are_exact,
    json_round_trip_is_camel_case,
    unit_output_is_204_without_body,
    auth_is_checked_before_the_body_is_read,
    acl_is_checked_before_the_body_and_writes_nothing,
    malformed_json_is_400,
    wrong_types_name_the_full_path,
    unknown_fields_are_rejected,
    invalid_utf8_is_400,
    unknown_action_is_404,
    other_methods_are_405_with_allow,
    wrong_or_missing_content_type_is_415,
    body_over_the_limit_is_413,
    internal_errors_hide_their_detail,
    a_panic_is_500_and_the_server_keeps_serving,
    diesel_errors_map_to_codes,
    pool_timeout_is_503,
    schema_json_lists_every_action,
    forms_are_coerced,
    multipart_carries_files,
);
