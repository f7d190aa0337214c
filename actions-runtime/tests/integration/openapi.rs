//! `GET /_actions/openapi.json`: one OpenAPI 3.1 document, built once, byte for byte the same
//! on every build, with each action's statuses, security and headers as declared.

use crate::app::{registry, spawn};
use actions_runtime::OpenApi;
use actions_runtime::http::StatusCode;
use actions_runtime::testing::Backend;
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn operation<'a>(document: &'a Value, action: &str) -> &'a Value {
    &document["paths"][format!("/_actions/{action}")]["post"]
}

fn statuses(operation: &Value) -> Vec<&str> {
    operation["responses"]
        .as_object()
        .expect("responses")
        .keys()
        .map(String::as_str)
        .collect()
}

/// Every `$ref` in `value`.
fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => found.push(target),
                    _ => refs(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
        _ => {}
    }
}

/// Every `$ref` of `document` names a component it has.
pub fn assert_refs_resolve(document: &Value) {
    let mut found = Vec::new();
    refs(document, &mut found);
    assert!(!found.is_empty());
    for target in found {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{target} points outside components/schemas"));
        assert!(
            document["components"]["schemas"].get(name).is_some(),
            "{target} names no component"
        );
    }
}

#[tokio::test]
async fn served_once_and_the_same_on_every_build() {
    let app = spawn(Backend::Sqlite).await;
    let response = app.client.get("/_actions/openapi.json").send().await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(
        &response.body[..],
        app.server.openapi_json(),
        "served = built"
    );
    let again = OpenApi::of_registry(&registry()).to_json().unwrap();
    assert_eq!(
        again.as_bytes(),
        app.server.openapi_json(),
        "a second build, in another order of work, writes the same bytes"
    );
    let response = app.client.post("/_actions/openapi.json").send().await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("allow"), Some("GET, HEAD"));
}

#[tokio::test]
async fn every_action_is_an_operation_with_the_statuses_it_can_answer() {
    let app = spawn(Backend::Sqlite).await;
    let document: Value = serde_json::from_slice(app.server.openapi_json()).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let paths: BTreeSet<&str> = document["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // Every action, and the readiness route.
    let actions: BTreeSet<String> = registry()
        .names()
        .iter()
        .map(|name| format!("/_actions/{name}"))
        .chain(["/_actions/health".to_owned()])
        .collect();
    assert_eq!(paths, actions.iter().map(String::as_str).collect());
    let health = &document["paths"]["/_actions/health"]["get"];
    assert_eq!(health["operationId"], "health");
    assert_eq!(
        health["responses"]["503"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Error"
    );
    assert_refs_resolve(&document);

    let edit = operation(&document, "notes.edit");
    assert_eq!(edit["operationId"], "notes.edit");
    assert_eq!(edit["tags"], json!(["notes"]));
    assert_eq!(
        statuses(edit),
        [
            "200", "400", "401", "403", "404", "413", "415", "429", "500", "503", "default"
        ],
        "auth, an ACL and a loaded resource"
    );
    assert_eq!(
        edit["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/notes.edit.Input"
    );
    assert!(edit.get("parameters").is_none(), "not idempotent");
    assert!(
        edit.get("security").is_none(),
        "another authenticator's schemes are the app's own"
    );

    let echo = operation(&document, "echo");
    assert_eq!(echo["tags"], json!(["default"]));
    assert_eq!(
        statuses(echo),
        ["200", "400", "413", "415", "429", "500", "503", "default"],
        "public: no 401, 403, 404"
    );

    let keyed = operation(&document, "journal.write_keyed");
    assert_eq!(
        statuses(keyed),
        [
            "200", "400", "401", "409", "413", "415", "422", "429", "500", "503", "default"
        ]
    );
    assert_eq!(keyed["parameters"][0]["name"], "Idempotency-Key");
    assert_eq!(keyed["parameters"][0]["in"], "header");
    assert_eq!(keyed["parameters"][0]["required"], true);
    assert_eq!(
        operation(&document, "journal.write")["parameters"][0]["required"],
        false
    );
    assert_eq!(
        keyed["responses"]["200"]["headers"]["Idempotent-Replayed"]["schema"],
        json!({"const": "true"})
    );
    assert!(
        operation(&document, "echo")["responses"]["200"]
            .get("headers")
            .is_none()
    );

    let leak = operation(&document, "leak");
    assert!(leak["responses"]["204"].get("content").is_none());
    assert!(leak["responses"].get("200").is_none());
    assert!(
        document["components"]["schemas"]
            .get("leak.Output")
            .is_none(),
        "no body, no schema"
    );

    let upload = operation(&document, "upload");
    let content = upload["requestBody"]["content"].as_object().unwrap();
    assert_eq!(
        content.keys().collect::<Vec<_>>(),
        ["application/x-www-form-urlencoded", "multipart/form-data"]
    );
    assert_eq!(
        upload["summary"],
        "A form action: what the coercions produced."
    );
}

#[tokio::test]
async fn schemas_are_the_manifests_and_errors_match_the_error_schema() {
    let app = spawn(Backend::Sqlite).await;
    let document: Value = serde_json::from_slice(app.server.openapi_json()).unwrap();
    let manifest = serde_json::to_value(app.server.manifest()).unwrap();
    let mut compared = 0;
    for action in manifest["actions"].as_array().unwrap() {
        let mut input = action["input"].clone();
        input.as_object_mut().unwrap().remove("$schema");
        if input.get("$defs").is_some() || action["accept"] == "form" {
            continue; // hoisted: its refs differ; a form's checkboxes need not be sent
        }
        let name = format!("{}.Input", action["name"].as_str().unwrap());
        assert_eq!(document["components"]["schemas"][&name], input, "{name}");
        compared += 1;
    }
    assert!(compared > 10, "{compared}");
    // A real error body validates against the document's error schema.
    let mut error_schema = document["components"]["schemas"]["Error"].clone();
    error_schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    let validator = jsonschema::validator_for(&error_schema).expect("a valid schema");
    let response = app
        .client
        .post("/_actions/echo")
        .json(&json!({"nope": 1}))
        .send()
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    let body = response.json();
    assert!(validator.is_valid(&body), "{body}");
    assert!(!validator.is_valid(&json!({"code": "NOPE", "message": "x"})));
}

#[cfg(feature = "accounts")]
#[tokio::test]
async fn the_account_service_adds_its_routes_and_security() {
    use actions_runtime::auth::AuthConfig;
    use actions_runtime::db::RUNTIME_MIGRATIONS;
    use actions_runtime::testing::TestDb;
    let db = TestDb::new(Backend::Sqlite, &RUNTIME_MIGRATIONS).await;
    let build = |origin: &str| {
        actions_runtime::Server::builder(registry())
            .database(db.database().clone())
            .auth(AuthConfig::new(origin).unwrap())
            .policy(crate::app::TestPolicy)
            .build()
            .unwrap()
    };
    let server = build("http://localhost:3000");
    let document: Value = serde_json::from_slice(server.openapi_json()).unwrap();
    assert_refs_resolve(&document);
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(
        schemes["sessionCookie"],
        json!({"type": "apiKey", "in": "cookie", "name": "better-auth.session_token", "description": "The session cookie sign-in sets"})
    );
    assert_eq!(schemes["bearerToken"]["scheme"], "bearer");
    let both = json!([{"sessionCookie": []}, {"bearerToken": []}]);
    assert_eq!(operation(&document, "notes.edit")["security"], both);
    assert_eq!(
        operation(&document, "echo")["security"],
        json!([{}, {"sessionCookie": []}, {"bearerToken": []}]),
        "public: signed in or not"
    );
    assert!(
        statuses(operation(&document, "echo")).contains(&"403"),
        "the cross-site guard answers for every action"
    );
    for path in [
        "/api/auth/sign-up/email",
        "/api/auth/sign-in/email",
        "/api/auth/sign-out",
        "/api/auth/change-password",
        "/api/auth/revoke-session",
        "/api/auth/revoke-other-sessions",
        "/api/auth/revoke-sessions",
    ] {
        assert!(document["paths"][path]["post"].is_object(), "{path}");
    }
    for path in ["/api/auth/get-session", "/api/auth/list-sessions"] {
        assert!(document["paths"][path]["get"].is_object(), "{path}");
    }
    let sign_up = &document["paths"]["/api/auth/sign-up/email"]["post"];
    let input = &document["components"]["schemas"]["auth.signUpEmail.Input"];
    assert_eq!(input["required"], json!(["name", "email", "password"]));
    assert!(sign_up["responses"]["422"].is_object());
    assert_eq!(
        document["paths"]["/api/auth/list-sessions"]["get"]["security"],
        both
    );
    let https = build("https://blog.example");
    let document: Value = serde_json::from_slice(https.openapi_json()).unwrap();
    assert_eq!(
        document["components"]["securitySchemes"]["sessionCookie"]["name"],
        "__Secure-better-auth.session_token"
    );
}
