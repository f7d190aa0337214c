//! `example-app import-better-auth --from postgres://…`: users of a database made with Better
//! Auth's own DDL (`fixtures/better-auth-schema.sql`) and hashes (`fixtures/better-auth-hashes.json`)
//! come in; their passwords work and turn into argon2id at the first sign-in; a second run
//! skips them all. The source is always PostgreSQL, so both twins need it.

use crate::{PASSWORD, spawn};
use actions_runtime::db::{DbConn, RUNTIME_MIGRATIONS};
use actions_runtime::diesel_async::SimpleAsyncConnection;
use actions_runtime::http::StatusCode;
use actions_runtime::testing::{Backend, TestDb, TestResponse};
use serde_json::{Value, json};

const SCHEMA: &str = include_str!("fixtures/better-auth-schema.sql");
const HASHES: &str = include_str!("fixtures/better-auth-hashes.json");

/// A Better Auth database: its tables, six users (one with an email refused here, one with only
/// a GitHub account), the first three with passwords Better Auth hashed.
async fn better_auth_database() -> TestDb {
    let source = TestDb::new(Backend::Postgres, &RUNTIME_MIGRATIONS).await;
    let hashes: Value = serde_json::from_str(HASHES).expect("the fixture");
    let hash = |i: usize| {
        hashes["hashes"][i]["hash"]
            .as_str()
            .expect("a hash")
            .to_owned()
    };
    let rows = format!(
        r#"
        INSERT INTO "user" (id, name, email, "emailVerified", image, "createdAt", "updatedAt", role, banned, "banReason", "banExpires") VALUES
          ('u-ada', 'Ada', 'Ada@Example.test', true, 'https://example.test/ada.png', '2024-01-02T03:04:05.678Z', '2024-02-03T04:05:06.789Z', 'admin', false, NULL, NULL),
          ('u-bob', 'Bob', 'bob@example.test', false, NULL, '2024-01-03T00:00:00Z', '2024-01-03T00:00:00Z', 'user', true, 'spam', NULL),
          ('u-cy', 'Cy', 'cy@example.test', false, NULL, '2024-01-04T00:00:00Z', '2024-01-04T00:00:00Z', NULL, NULL, NULL, NULL),
          ('u-dee', 'Dee', 'dee@example.test', true, NULL, '2024-01-05T00:00:00Z', '2024-01-05T00:00:00Z', 'user', false, NULL, NULL),
          ('u-eve', 'Eve', 'eve@example.test', true, NULL, '2024-01-06T00:00:00Z', '2024-01-06T00:00:00Z', 'user', false, NULL, NULL),
          ('u-bad', 'Bad', 'not-an-email', false, NULL, '2024-01-07T00:00:00Z', '2024-01-07T00:00:00Z', 'user', false, NULL, NULL);
        INSERT INTO account (id, "accountId", "providerId", "userId", password, "createdAt", "updatedAt") VALUES
          ('a1', 'u-ada', 'credential', 'u-ada', '{ada}', now(), now()),
          ('a2', 'u-bob', 'credential', 'u-bob', '{bob}', now(), now()),
          ('a3', 'u-cy', 'credential', 'u-cy', '{cy}', now(), now()),
          ('a4', '12345', 'github', 'u-dee', NULL, now(), now()),
          ('a5', 'u-eve', 'credential', 'u-eve', '{bob}', now(), now());
        INSERT INTO session (id, "expiresAt", token, "updatedAt", "userId") VALUES
          ('s1', now() + interval '7 days', 'a-better-auth-token', now(), 'u-ada');
        "#,
        ada = hash(0),
        bob = hash(1),
        cy = hash(2),
    );
    source
        .database()
        .run(async |conn| {
            let DbConn::Postgres(pg) = conn else {
                panic!("a PostgreSQL source")
            };
            pg.batch_execute(SCHEMA)
                .await
                .expect("Better Auth's tables");
            pg.batch_execute(&rows).await.expect("its users");
        })
        .await
        .expect("a connection");
    source
}

fn import(source: &TestDb, target: &TestDb) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_example-app"))
        .args(["import-better-auth", "--from", source.url()])
        .env("DATABASE_URL", target.url())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run example-app import-better-auth");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn sign_in(app: &crate::App, email: &str, password: &str) -> TestResponse {
    app.client
        .post("/api/auth/sign-in/email")
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
}

async fn stored_as_argon2(app: &crate::App, email: &str) -> bool {
    app.db
        .count(&format!(
            "SELECT count(*) FROM auth_users WHERE email = '{email}' AND password_hash LIKE '$argon2id$%'"
        ))
        .await
        == 1
}

async fn users_come_in_with_their_passwords(target: Backend) {
    let source = better_auth_database().await;
    let app = spawn(target).await;
    app.user("eve").await; // already here: kept as it is
    let report = import(&source, &app.db);
    assert_eq!(
        report,
        "imported 4 users (1 without a password this server checks); skipped 1 with an existing email and 1 refused (see the log)\n"
    );

    // A wrong password fails, and leaves the Better Auth hash in place.
    let wrong = sign_in(&app, "ada@example.test", "not the password").await;
    assert_eq!(wrong.code(), "INVALID_EMAIL_OR_PASSWORD");
    assert!(!stored_as_argon2(&app, "ada@example.test").await);
    // The original password works, and the hash becomes argon2id.
    let response = sign_in(&app, "ADA@example.test", "a long enough password").await;
    response.assert_status(StatusCode::OK);
    let user = &response.json()["user"];
    assert_eq!(
        (
            user["email"].clone(),
            user["name"].clone(),
            user["emailVerified"].clone(),
            user["image"].clone(),
            user["role"].clone(),
            user["createdAt"].clone(),
            user["updatedAt"].clone(),
        ),
        (
            json!("ada@example.test"),
            json!("Ada"),
            json!(true),
            json!("https://example.test/ada.png"),
            json!("admin"),
            json!("2024-01-02T03:04:05.678Z"),
            user["updatedAt"].clone(),
        )
    );
    assert!(stored_as_argon2(&app, "ada@example.test").await);
    sign_in(&app, "ada@example.test", "a long enough password")
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        sign_in(&app, "ada@example.test", "not the password")
            .await
            .code(),
        "INVALID_EMAIL_OR_PASSWORD"
    );

    // NFKC-normalized, as Better Auth hashed it: the folded form works against its hash; the
    // new argon2id hash is of what was typed, compared as typed from then on (as every
    // password here).
    sign_in(&app, "cy@example.test", "fiancé password ✓")
        .await
        .assert_status(StatusCode::OK);
    assert!(stored_as_argon2(&app, "cy@example.test").await);
    assert_eq!(
        sign_in(&app, "cy@example.test", "ﬁancé ｐａｓｓｗｏｒｄ ✓")
            .await
            .code(),
        "INVALID_EMAIL_OR_PASSWORD"
    );
    // The ban came along; a social-only account has no password; eve's own is unchanged.
    assert_eq!(
        sign_in(&app, "bob@example.test", "correct horse battery staple")
            .await
            .code(),
        "BANNED_USER"
    );
    assert_eq!(
        sign_in(&app, "dee@example.test", PASSWORD).await.code(),
        "INVALID_EMAIL_OR_PASSWORD"
    );
    sign_in(&app, "eve@example.test", PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        sign_in(&app, "eve@example.test", "correct horse battery staple")
            .await
            .code(),
        "INVALID_EMAIL_OR_PASSWORD"
    );
    // Sessions stay behind.
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM auth_sessions WHERE user_id = (SELECT id FROM auth_users WHERE email = 'dee@example.test')")
            .await,
        0
    );

    // A second run changes nothing.
    let again = import(&source, &app.db);
    assert_eq!(
        again,
        "imported 0 users (0 without a password this server checks); skipped 5 with an existing email and 1 refused (see the log)\n"
    );
    assert_eq!(app.db.count("SELECT count(*) FROM auth_users").await, 5);
    assert!(stored_as_argon2(&app, "ada@example.test").await);
}

mod postgres_only {
    use actions_runtime::testing::{Backend, run};

    #[test]
    #[ignore = "PostgreSQL: set TEST_POSTGRES_URL and run with --ignored"]
    fn import_into_sqlite() {
        run(super::users_come_in_with_their_passwords(Backend::Sqlite));
    }

    #[test]
    #[ignore = "PostgreSQL: set TEST_POSTGRES_URL and run with --ignored"]
    fn import_into_postgres() {
        run(super::users_come_in_with_their_passwords(Backend::Postgres));
    }
}
