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
    let isolation = |name: &str| {
        served["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .map(|a| a["isolation"].clone())
            .unwrap()
    };
    assert_eq!(isolation("account.transfer"), "serializable");
    assert_eq!(isolation("post.update"), "read_committed");
    assert_eq!(
        isolation("post.get"),
        Value::Null,
        "no transaction, no level"
    );
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
            expect("account.mine", "auth", false, "json"),
            expect("account.open", "auth", false, "json"),
            expect("account.transfer", "auth", true, "json"),
            expect("audit.list", "auth", false, "json"),
            expect("contact.list", "auth", false, "json"),
            expect("contact.send", "public", false, "form"),
            expect("post.create", "auth", true, "json"),
            expect("post.delete", "auth", true, "json"),
            expect("post.get", "public", false, "json"),
            expect("post.list", "public", false, "json"),
            expect("post.update", "auth", true, "json"),
            expect("profile.get", "public", false, "json"),
            expect("profile.save", "auth", false, "json"),
        ]
    );
}

/// `example-app create-admin` makes the first admin, who can then sign in as one.
async fn create_admin_from_the_cli(backend: Backend) {
    let app = spawn(backend).await;
    let run = |email: &str, stdin: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_example-app"))
            .args(["create-admin", "--email", email, "--name", "Root"])
            .env("DATABASE_URL", app.db.url())
            .env("RUST_LOG", "warn")
            .env_remove("ADMIN_PASSWORD")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run example-app create-admin");
        std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), stdin.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("example-app exits")
    };
    let output = run("Root@Example.test", " root password \n");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("created admin root@example.test"));
    let response = app
        .client
        .post("/api/auth/sign-in/email")
        .json(&serde_json::json!({"email": "root@example.test", "password": " root password "}))
        .send()
        .await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "the password is taken as typed, spaces included"
    );
    assert_eq!(response.json()["user"]["role"], "admin");
    let output = run("root@example.test", "another password\n");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("already exists"));
}

actions_runtime::backend_tests!(
    schema_json_and_the_cli_agree,
    create_admin_from_the_cli,
    serve_from_the_cli
);

/// `example-app routes` prints who may call what, one line per action, from the code alone.
#[test]
fn routes_from_the_cli() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_example-app"))
        .arg("routes")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run example-app routes");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "\
ACTION               POSTURE  PERMISSION         RESOURCE  TX   IDEMPOTENT AUDIT  ACCEPT
account.get          auth     account:read       checked   -    -          -      json
account.mine         auth     account:read       -         -    -          -      json
account.open         auth     account:open       -         -    -          -      json
account.transfer     auth     account:transfer   checked   yes  optional   yes    json
audit.list           auth     audit:list         -         -    -          -      json
contact.list         auth     contact:read       -         -    -          -      json
contact.send         public   -                  -         -    -          -      form
post.create          auth     post:create        -         yes  optional   yes    json
post.delete          auth     post:delete        checked   yes  -          yes    json
post.get             public   -                  -         -    -          -      json
post.list            public   -                  -         -    -          -      json
post.update          auth     post:update        checked   yes  -          yes    json
profile.get          public   -                  -         -    -          -      json
profile.save         auth     profile:write      -         -    -          -      json
"
    );
}

/// `example-app serve` (the README's run command): migrates, listens where `BIND` and `PORT`
/// say, answers, and stops cleanly on SIGTERM.
async fn serve_from_the_cli(backend: Backend) {
    use std::io::{BufRead, BufReader, Read, Write};
    let app = spawn(backend).await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_example-app"))
        .arg("serve")
        .env("DATABASE_URL", app.db.url())
        .env("BIND", "127.0.0.1")
        .env("PORT", "0")
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run example-app serve");
    let mut log = BufReader::new(child.stderr.take().expect("stderr"));
    let mut seen = String::new();
    let address = loop {
        let mut line = String::new();
        assert!(
            log.read_line(&mut line).expect("a log line") > 0,
            "the server stopped before listening:\n{seen}"
        );
        seen.push_str(&line);
        if let Some(at) = line.find("listening on http://") {
            break line[at + "listening on http://".len()..].trim().to_owned();
        }
    };
    assert!(address.starts_with("127.0.0.1:"), "{address}");
    let mut stream = std::net::TcpStream::connect(&address).expect("connects");
    stream
        .write_all(
            b"GET /_actions/schema.json HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n",
        )
        .expect("writes");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"post.create\""));
    let terminated = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(terminated.success());
    let status = child.wait().expect("the server exits");
    log.read_to_string(&mut seen).expect("the rest of the log");
    assert!(status.success(), "{status:?}\n{seen}");
    assert!(seen.contains("shutting down"), "{seen}");
}

/// A bad value in the environment stops the command with an error naming the variable.
#[test]
fn bad_configuration_is_named() {
    for (name, value, expected) in [
        (
            "PORT",
            "eighty",
            "PORT must be a port number (1 to 65535), not \"eighty\"",
        ),
        ("BIND", "localhost", "BIND must be an IP address"),
        (
            "TRUSTED_PROXIES",
            "10.0.0.1,proxy",
            "TRUSTED_PROXIES must list IP addresses, but \"proxy\" is not one",
        ),
        (
            "COOKIE_KEY",
            "c2hvcnQ=",
            "COOKIE_KEY must be at least 64 bytes once decoded, not 5",
        ),
        (
            "HEADER_READ_TIMEOUT_SECS",
            "-1",
            "HEADER_READ_TIMEOUT_SECS must be a positive number of seconds, not \"-1\"",
        ),
        (
            "MAX_IN_FLIGHT",
            "many",
            "MAX_IN_FLIGHT must be a positive whole number, not \"many\"",
        ),
        (
            "SIGN_IN_RATE_LIMIT",
            "lots",
            "SIGN_IN_RATE_LIMIT: expected `<count>/<s|min|h|day>` or `off`, not \"lots\"",
        ),
        (
            "RATE_LIMIT_STORE",
            "memcached://cache",
            "RATE_LIMIT_STORE: expected `memory`, `postgres` or a `redis://` URL",
        ),
        (
            "DATABASE_POOL_SIZE",
            "0",
            "DATABASE_POOL_SIZE must be a number of connections (1 or more), not \"0\"",
        ),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_example-app"))
            .arg("migrate")
            .env(name, value)
            .env("DATABASE_URL", "sqlite://never-created/unused.sqlite3")
            .output()
            .expect("run example-app");
        assert!(!output.status.success(), "{name}={value} is refused");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
}

/// The two migration directories describe the same migrations, the app's and the runtime's.
#[test]
fn migrations_match_across_backends() {
    let names = |backend: &str| migration_names("../migrations", backend);
    let runtime_names = |backend: &str| migration_names("../actions-runtime/migrations", backend);
    assert_eq!(names("postgres"), names("sqlite"));
    assert_eq!(names("postgres").len(), 5);
    assert_eq!(runtime_names("postgres"), runtime_names("sqlite"));
    assert_eq!(runtime_names("postgres").len(), 7);
}

fn migration_names(root: &str, backend: &str) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(root)
        .join(backend);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}
