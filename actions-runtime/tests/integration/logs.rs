//! Logs that keep secrets, at the right level. The auth, CSRF and ACL flows run under a
//! captured `tracing` subscriber (every level, TRACE included, with span events and fields, as
//! text lines): no password, session token, cookie value, reset or verification token, or
//! password hash appears in any line; a CR/LF in an email cannot start a line of its own; a
//! refused request logs at `info` or `warn`, never `error`; an internal error logs its cause
//! once, at `error`, with the request id.
//!
//! The subscriber is the process's global one (a server's tasks run on every worker thread),
//! installed by the first test that records and writing only while one records; each request
//! under test carries its own `x-request-id`, which the runtime logs, so a test reads its own
//! lines beside those of tests running at the same time.

use crate::auth::{ORIGIN, browser, post, sign_in, sign_up, spawn_with, token_of};
use crate::recovery::{location, loose, path_of, token_param};
use actions_runtime::auth::{RateLimit, RateLimits};
use actions_runtime::testing::{Backend, Mailbox, TestClient, TestResponse};
use http::StatusCode;
use serde_json::json;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::time::Duration;
use tracing_subscriber::Layer;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::SubscriberExt;

/// Every line written while a test recorded.
static LINES: Mutex<Vec<u8>> = Mutex::new(Vec::new());
/// How many tests record now.
static RECORDING: AtomicUsize = AtomicUsize::new(0);

/// The fmt layer's writer: one `write` per event, appended whole.
struct Capture;

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LINES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Capture {
        Capture
    }
}

/// Records every log line while alive.
struct Recording;

impl Recording {
    fn start() -> Recording {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            let layer = tracing_subscriber::fmt::layer()
                .with_writer(Capture)
                .with_ansi(false)
                .without_time()
                .with_span_events(FmtSpan::FULL)
                .with_filter(tracing_subscriber::filter::filter_fn(|_| {
                    RECORDING.load(Ordering::SeqCst) > 0
                }));
            let subscriber = tracing_subscriber::registry().with(layer);
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in the test binary");
        });
        RECORDING.fetch_add(1, Ordering::SeqCst);
        Recording
    }

    /// Every line recorded so far (by this test and any other recording beside it).
    fn lines(&self) -> Vec<String> {
        let bytes = LINES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        String::from_utf8_lossy(&bytes)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The lines of one request, by the id it was sent with.
    fn of(&self, request_id: &str) -> Vec<String> {
        self.lines()
            .into_iter()
            .filter(|line| line.contains(request_id))
            .collect()
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        RECORDING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A line's level: the fmt layer starts each line with it, padded to five characters.
fn level(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or_default()
}

/// A unique value no other test sends.
fn unique(what: &str) -> String {
    format!("{what}-{}", uuid::Uuid::new_v4().simple())
}

/// `client` sending `request_id` as the request's id.
fn with_id(client: &TestClient, request_id: &str) -> TestClient {
    client.with_header("x-request-id", request_id)
}

fn assert_status(response: &TestResponse, status: StatusCode, what: &str) {
    assert_eq!(response.status, status, "{what}: {:?}", response.json());
}

/// Sign-up, a wrong and a right password, the session by cookie and bearer, email
/// verification, a password reset and a password change, CSRF refusals, an ACL denial and a
/// validation error on a password field: none of their secrets reaches a log line.
async fn auth_flows_log_no_secret(backend: Backend) {
    let recording = Recording::start();
    let mailbox = Mailbox::new();
    let mailer = mailbox.clone();
    let app = spawn_with(backend, |config| {
        config
            .mailer(mailer)
            .rate_limits(loose())
            .send_verification_on_sign_up(true)
    })
    .await;
    let client = &app.client;
    let mut secrets = Vec::new();

    // User 1 may purge notes (the test policy); Ada, user 2, may not.
    let first_password = unique("pw-first");
    sign_up(
        client,
        &format!("{}@example.com", unique("first")),
        &first_password,
    )
    .await;
    secrets.push(first_password);

    let email = format!("{}@example.com", unique("ada"));
    let password = unique("pw-right");
    let signed_up = sign_up(client, &email, &password).await;
    secrets.push(password.clone());
    secrets.push(token_of(&signed_up));
    secrets.extend(set_cookie_values(&signed_up));

    let verification = mailbox.latest_to(&email).await;
    let link = Mailbox::link(&verification);
    secrets.push(token_param(&link));
    let verified = client.get(&path_of(&link)).send().await;
    assert_eq!(verified.status, StatusCode::FOUND, "the link verifies");

    let wrong = unique("pw-wrong");
    let refused = sign_in(client, &email, &wrong).await;
    assert_status(&refused, StatusCode::UNAUTHORIZED, "a wrong password");
    secrets.push(wrong);
    let signed_in = sign_in(client, &email, &password).await;
    assert_status(&signed_in, StatusCode::OK, "the right password");
    let token = token_of(&signed_in);
    secrets.push(token.clone());
    secrets.extend(set_cookie_values(&signed_in));

    // The session by cookie and by bearer token, on the auth routes and on actions.
    let ada = browser(client, &token);
    let bearer = client.with_header("authorization", &format!("Bearer {token}"));
    for user in [&ada, &bearer] {
        let session = user.get("/api/auth/get-session").send().await;
        assert_eq!(session.json()["user"]["email"], email.to_lowercase());
        let note = user
            .post("/_actions/notes.create")
            .json(&json!({"body": "hello"}))
            .send()
            .await;
        assert_status(&note, StatusCode::OK, "an action with the session");
    }

    // Refusals: cross-site writes with the cookie, an ACL denial, a validation error on an
    // input with a password field.
    let evil = client
        .with_header("cookie", &format!("better-auth.session_token={token}"))
        .with_header("origin", "https://evil.example");
    for path in ["/_actions/notes.create", "/api/auth/sign-out"] {
        let response = evil.post(path).json(&json!({"body": "x"})).send().await;
        assert_status(&response, StatusCode::FORBIDDEN, "a cross-site write");
    }
    let no_origin = client.with_header("cookie", &format!("better-auth.session_token={token}"));
    let response = no_origin
        .post("/_actions/notes.create")
        .json(&json!({"body": "x"}))
        .send()
        .await;
    assert_status(&response, StatusCode::FORBIDDEN, "a write without Origin");
    let denied = ada
        .post("/_actions/notes.purge")
        .json(&json!({}))
        .send()
        .await;
    assert_status(&denied, StatusCode::FORBIDDEN, "the ACL");
    let entry_password = unique("pw-entry");
    let invalid = ada
        .post("/_actions/journal.write")
        .json(&json!({"body": 7, "password": entry_password}))
        .send()
        .await;
    assert_status(&invalid, StatusCode::BAD_REQUEST, "a validation error");
    secrets.push(entry_password);

    // Change the password, then reset it by mail.
    let changed_password = unique("pw-changed");
    let changed = post(
        &ada,
        "/api/auth/change-password",
        json!({"currentPassword": password, "newPassword": changed_password}),
    )
    .await;
    assert_status(&changed, StatusCode::OK, "change-password");
    secrets.push(changed_password);
    let short = post(
        &ada,
        "/api/auth/change-password",
        json!({"currentPassword": "Qz~Wk!v", "newPassword": "Pw~Zq!K"}),
    )
    .await;
    assert_status(&short, StatusCode::BAD_REQUEST, "a too-short new password");
    secrets.extend(["Qz~Wk!v".to_owned(), "Pw~Zq!K".to_owned()]);

    let requested = post(
        client,
        "/api/auth/request-password-reset",
        json!({"email": email, "redirectTo": "/reset"}),
    )
    .await;
    assert_status(&requested, StatusCode::OK, "request-password-reset");
    let reset_mail = loop {
        if mailbox.count_to(&email) == 2 {
            break mailbox.latest_to(&email).await;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let redirect = location(
        &client
            .get(&path_of(&Mailbox::link(&reset_mail)))
            .send()
            .await,
    );
    assert!(
        redirect.starts_with(&format!("{ORIGIN}/reset?token=")),
        "{redirect}"
    );
    let reset_token = token_param(&redirect);
    secrets.push(reset_token.clone());
    let reset_password = unique("pw-reset");
    let reset = post(
        client,
        "/api/auth/reset-password",
        json!({"newPassword": reset_password, "token": reset_token}),
    )
    .await;
    assert_status(&reset, StatusCode::OK, "reset-password");
    secrets.push(reset_password);

    let lines = recording.lines();
    // The capture works: the flows' own events are there.
    for expected in [
        "session opened",
        "password changed",
        "access denied",
        "cross-site request refused",
    ] {
        assert!(
            lines.iter().any(|line| line.contains(expected)),
            "no `{expected}` line captured"
        );
    }
    for line in &lines {
        for secret in &secrets {
            assert!(
                !line.contains(secret.as_str()),
                "a secret in the log: {line}"
            );
        }
        assert!(
            !line.contains("$argon2"),
            "a password hash in the log: {line}"
        );
    }
}

/// The values of a response's `Set-Cookie` headers.
fn set_cookie_values(response: &TestResponse) -> Vec<String> {
    response
        .set_cookies()
        .into_iter()
        .filter_map(|cookie| cookie.split(';').next()?.split_once('='))
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
        .collect()
}

/// A CR/LF in an email, a name or a JSON key, or a tab in a header the runtime logs (the
/// request id; HTTP itself refuses CR/LF in a header value), never starts a line of its own:
/// every line that carries the marker is one the fmt layer began, with its level.
async fn a_line_break_cannot_forge_a_log_line(backend: Backend) {
    let recording = Recording::start();
    let mailbox = Mailbox::new();
    let mailer = mailbox.clone();
    let app = spawn_with(backend, |config| config.mailer(mailer).rate_limits(loose())).await;
    let marker = unique("FORGED");
    let forged = format!("ada@example.com\r\nERROR forged: {marker}\n INFO {marker}");
    let client = with_id(&app.client, &format!("{marker}\tERROR forged"));
    for (path, body) in [
        (
            "/api/auth/sign-up/email",
            json!({"name": forged, "email": forged, "password": "correct horse"}),
        ),
        (
            "/api/auth/sign-in/email",
            json!({"email": forged, "password": "correct horse"}),
        ),
        (
            "/api/auth/request-password-reset",
            json!({"email": forged, "redirectTo": "/reset"}),
        ),
        ("/_actions/echo", json!({"text": forged, forged.clone(): 1})),
    ] {
        let response = post(&client, path, body).await;
        assert!(
            response.status.is_client_error(),
            "{path}: {:?}",
            response.json()
        );
    }
    let lines: Vec<String> = recording
        .lines()
        .into_iter()
        .filter(|line| line.contains(&marker))
        .collect();
    assert!(!lines.is_empty(), "the request id is logged");
    for line in &lines {
        assert!(
            ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"].contains(&level(line)),
            "a line the runtime did not begin: {line}"
        );
        assert!(
            !line.contains('\r') && !line.contains('\t'),
            "a control character logged raw: {line}"
        );
    }
}

/// Refusals — validation, authentication, ACL, CSRF, rate limit — log at `info` or `warn`,
/// never `error`; an internal error logs its cause once, at `error`, with the request id.
async fn refusals_are_not_errors_and_failures_log_once(backend: Backend) {
    let recording = Recording::start();
    let app = spawn_with(backend, |config| {
        config.rate_limits(RateLimits {
            sign_in_per_ip: RateLimit::new(1, Duration::from_secs(60)),
            ..loose()
        })
    })
    .await;
    let decoy = unique("decoy");
    sign_up(&app.client, &format!("{decoy}@example.com"), &decoy).await;
    let email = format!("{}@example.com", unique("ada"));
    let token = token_of(&sign_up(&app.client, &email, "correct horse").await);
    let ada = browser(&app.client, &token);

    let mut refused = Vec::new();
    let mut refuse = async |what: &str, client: &TestClient, path: &str, body, status| {
        let request_id = unique("refused");
        let response = post(&with_id(client, &request_id), path, body).await;
        assert_status(&response, status, what);
        refused.push((what.to_owned(), request_id));
    };
    refuse(
        "validation",
        &ada,
        "/_actions/notes.create",
        json!({"body": 1}),
        StatusCode::BAD_REQUEST,
    )
    .await;
    refuse(
        "authentication",
        &app.client,
        "/_actions/notes.create",
        json!({"body": "x"}),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    refuse(
        "ACL",
        &ada,
        "/_actions/notes.purge",
        json!({}),
        StatusCode::FORBIDDEN,
    )
    .await;
    let evil = ada.with_header("origin", "https://evil.example");
    refuse(
        "CSRF",
        &evil,
        "/_actions/notes.create",
        json!({"body": "x"}),
        StatusCode::FORBIDDEN,
    )
    .await;
    refuse(
        "auth route",
        &app.client,
        "/api/auth/sign-in/email",
        json!({"email": email, "password": "wrong horse"}),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    refuse(
        "rate limit",
        &app.client,
        "/api/auth/sign-in/email",
        json!({"email": email, "password": "wrong horse"}),
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;

    let failed = unique("failed");
    let response = with_id(&app.client, &failed)
        .post("/_actions/leak")
        .json(&json!({}))
        .send()
        .await;
    assert_status(
        &response,
        StatusCode::INTERNAL_SERVER_ERROR,
        "an internal error",
    );
    assert_eq!(response.json()["requestId"], failed.as_str());

    for (what, request_id) in &refused {
        let lines = recording.of(request_id);
        assert!(
            lines
                .iter()
                .any(|line| matches!(level(line), "INFO" | "WARN")),
            "the {what} refusal logs at info or warn: {lines:#?}"
        );
        assert!(
            lines.iter().all(|line| level(line) != "ERROR"),
            "the {what} refusal logs no error: {lines:#?}"
        );
    }
    let lines = recording.of(&failed);
    let errors: Vec<_> = lines.iter().filter(|line| level(line) == "ERROR").collect();
    assert_eq!(
        errors.len(),
        1,
        "one error line for the failure: {lines:#?}"
    );
    assert!(
        errors[0].contains("SELECT secret FROM vault"),
        "the error line names the cause: {}",
        errors[0]
    );
}

actions_runtime::backend_tests!(
    auth_flows_log_no_secret,
    a_line_break_cannot_forge_a_log_line,
    refusals_are_not_errors_and_failures_log_once,
);
