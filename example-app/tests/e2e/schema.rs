use crate::spawn;
use actions_runtime::http::StatusCode;
use actions_runtime::testing::Backend;
use serde_json::Value;

async fn schema_json_and_the_cli_agree(backend: Backend) {
    let app = spawn(backend).await;
    let response = app.client.get("/_actions/schema.json").send().await;
    assert_eq!(response.status, StatusCode::OK);
    let served = response.json();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_example-app"))
        .arg("schema")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run example-app schema");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: Value = serde_json::from_slice(&output.stdout).expect("the CLI prints JSON");
    assert_eq!(printed, served);
    let postures: Vec<(String, String, bool, String)> = served["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().into(),
                a["posture"].as_str().unwrap().into(),
                a["tx"].as_bool().unwrap(),
                a["accept"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expect = |name: &str, posture: &str, tx: bool, accept: &str| {
        (name.to_owned(), posture.to_owned(), tx, accept.to_owned())
    };
    assert_eq!(
        postures,
        [
            expect("account.get", "auth", false, "json"),
            expect("account.open", "auth", false, "json"),
            expect("account.transfer", "auth", true, "json"),
            expect("contact.send", "public", false, "form"),
            expect("post.create", "auth", false, "json"),
            expect("post.delete", "auth", true, "json"),
            expect("post.get", "public", false, "json"),
            expect("post.list", "public", false, "json"),
            expect("post.update", "auth", true, "json"),
        ]
    );
}

actions_runtime::backend_tests!(schema_json_and_the_cli_agree);

/// The two migration directories describe the same migrations.
#[test]
fn migrations_match_across_backends() {
    let names = |backend: &str| -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../migrations")
            .join(backend);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("postgres"), names("sqlite"));
    assert_eq!(names("postgres").len(), 3);
}
