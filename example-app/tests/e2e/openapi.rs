//! `openapi.json`: the route and the CLI give the same document, checked in as
//! `tests/e2e/openapi.json` so a change to an action shows in review
//! (`EXPECTORATE=overwrite cargo test -p example-app --test e2e openapi` to accept one).

use crate::spawn;
use actions_runtime::http::StatusCode;
use actions_runtime::testing::Backend;
use serde_json::Value;

#[tokio::test]
async fn openapi_json_and_the_cli_agree_and_match_the_snapshot() {
    let app = spawn(Backend::Sqlite).await;
    let response = app.client.get("/_actions/openapi.json").send().await;
    assert_eq!(response.status, StatusCode::OK);
    let served = String::from_utf8(response.body.to_vec()).expect("UTF-8");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_example-app"))
        .arg("openapi")
        .env_remove("DATABASE_URL")
        .env_remove("BASE_URL")
        .env_remove("PORT")
        .output()
        .expect("run example-app openapi");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(printed, format!("{served}\n"), "byte for byte");
    expectorate::assert_contents("tests/e2e/openapi.json", &printed);

    let document: Value = serde_json::from_str(&served).unwrap();
    let transfer = &document["paths"]["/_actions/account.transfer"]["post"];
    assert_eq!(transfer["tags"][0], "account");
    assert!(
        transfer["summary"]
            .as_str()
            .is_some_and(|summary| summary.starts_with("Moves `amount` cents")),
        "the doc comment: {}",
        transfer["summary"]
    );
    assert_eq!(transfer["parameters"][0]["name"], "Idempotency-Key");
    let contact = &document["paths"]["/_actions/contact.send"]["post"];
    let attachment =
        &document["components"]["schemas"]["contact.send.Input"]["properties"]["attachment"];
    assert_eq!(attachment["format"], "binary");
    assert_eq!(
        document["components"]["schemas"]["contact.send.Input"]["required"],
        serde_json::json!(["name", "email", "message"]),
        "a form leaves an unchecked box and an empty multi-select out"
    );
    assert!(contact["requestBody"]["content"]["multipart/form-data"].is_object());
}
