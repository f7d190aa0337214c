//! Email + password authentication: Better Auth's routes and shapes, sessions, passwords,
//! enumeration, rate limits and cross-site requests.

use crate::app::{MIGRATIONS, TestPolicy, registry};
use actions_runtime::Server;
use actions_runtime::auth::{AuthConfig, PasswordCost, RateLimit, RateLimitStore, RateLimits};
use actions_runtime::db::RUNTIME_MIGRATIONS;
use actions_runtime::testing::{Backend, ManualClock, TestClient, TestDb, TestResponse};
use http::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

pub(crate) const ORIGIN: &str = "http://localhost:3000";
const DAY: Duration = Duration::from_secs(24 * 3600);

pub(crate) struct AuthApp {
    pub(crate) db: TestDb,
    pub(crate) client: TestClient,
    pub(crate) clock: ManualClock,
}

async fn spawn(backend: Backend) -> AuthApp {
    spawn_with(backend, |config| config).await
}

pub(crate) async fn spawn_with(
    backend: Backend,
    configure: impl FnOnce(AuthConfig) -> AuthConfig,
) -> AuthApp {
    let db = TestDb::new(backend, &RUNTIME_MIGRATIONS).await;
    db.database()
        .migrate(&MIGRATIONS)
        .await
        .expect("app migrations");
    let clock = ManualClock::new();
    let app = on(&db, &clock, configure);
    AuthApp {
        db,
        client: app,
        clock,
    }
}

/// The reverse proxy every test server trusts, as one behind a load balancer would.
const PROXY: [u8; 4] = [10, 0, 0, 1];

/// A server on `db` with `configure`d auth (several servers may share one database).
pub(crate) fn on(
    db: &TestDb,
    clock: &ManualClock,
    configure: impl FnOnce(AuthConfig) -> AuthConfig,
) -> TestClient {
    let config = AuthConfig::new(ORIGIN).expect("localhost");
    let server = Server::builder(registry())
        .clock(Arc::new(clock.clone()))
        .database(db.database().clone())
        .auth(configure(config))
        .trusted_proxy(PROXY.into())
        .policy(TestPolicy)
        .build()
        .expect("builds");
    TestClient::new(server.router())
}

pub(crate) async fn post(client: &TestClient, path: &str, body: Value) -> TestResponse {
    client.post(path).json(&body).send().await
}

pub(crate) async fn sign_up(client: &TestClient, email: &str, password: &str) -> TestResponse {
    let response = post(
        client,
        "/api/auth/sign-up/email",
        json!({"name": "Ada", "email": email, "password": password}),
    )
    .await;
    response.assert_status(StatusCode::OK);
    response
}

pub(crate) async fn sign_in(client: &TestClient, email: &str, password: &str) -> TestResponse {
    post(
        client,
        "/api/auth/sign-in/email",
        json!({"email": email, "password": password}),
    )
    .await
}

pub(crate) fn token_of(response: &TestResponse) -> String {
    response.json()["token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

/// The client a browser on the app's own origin is: session cookie and `Origin`.
pub(crate) fn browser(client: &TestClient, token: &str) -> TestClient {
    client
        .with_header("cookie", &format!("better-auth.session_token={token}"))
        .with_header("origin", ORIGIN)
}

pub(crate) async fn session_of(client: &TestClient, token: &str) -> Value {
    browser(client, token)
        .get("/api/auth/get-session")
        .send()
        .await
        .json()
}

/// One HTTP/1.1 exchange over a real socket: the status line and the body.
async fn exchange(addr: std::net::SocketAddr, request: &str) -> (String, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    stream.write_all(request.as_bytes()).await.expect("sends");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("reads");
    let (head, body) = response.split_once("\r\n\r\n").expect("a response");
    let status = head.lines().next().unwrap_or_default().to_owned();
    (status, serde_json::from_str(body).expect("a JSON body"))
}

/// `Server::serve` hands every request its peer's address: per-IP rate limits tell clients
/// apart, and sessions record where they were opened.
async fn served_requests_know_their_client(backend: Backend) {
    let app = spawn(backend).await;
    let config = AuthConfig::new(ORIGIN).expect("localhost");
    let server = Server::builder(registry())
        .database(app.db.database().clone())
        .auth(config)
        .policy(TestPolicy)
        .build()
        .expect("builds");
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("binds");
    let addr = listener.local_addr().expect("an address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(async move {
        server
            .serve(listener, async {
                let _ = stopped.await;
            })
            .await
    });
    let body = r#"{"name": "Ada", "email": "ada@example.com", "password": "correct horse"}"#;
    let (status, signed_up) = exchange(
        addr,
        &format!(
            "POST /api/auth/sign-up/email HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    assert!(status.contains(" 200 "), "{status}");
    let token = signed_up["token"].as_str().expect("a token");
    let (_, session) = exchange(
        addr,
        &format!(
            "GET /api/auth/get-session HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer {token}\r\nconnection: close\r\n\r\n"
        ),
    )
    .await;
    assert_eq!(session["session"]["ipAddress"], "127.0.0.1");
    let _ = stop.send(());
    serving.await.expect("joins").expect("serves");
}

async fn sign_up_and_sign_in_shapes(backend: Backend) {
    let app = spawn(backend).await;
    let response = sign_up(&app.client, "Ada@Example.com", "correct horse").await;
    let body = response.json();
    let token = token_of(&response);
    assert_eq!(token.len(), 43, "256 bits, base64url");
    let user = &body["user"];
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(
        (
            user["name"].clone(),
            user["emailVerified"].clone(),
            user["image"].clone(),
            user["role"].clone()
        ),
        (json!("Ada"), json!(false), Value::Null, json!("user"))
    );
    assert!(
        user["id"].is_string(),
        "ids are strings, as Better Auth's client expects"
    );
    for date in [&user["createdAt"], &user["updatedAt"]] {
        let date = date.as_str().unwrap();
        assert!(
            date.ends_with('Z') && date.len() == 24,
            "ISO 8601 with milliseconds and Z: {date}"
        );
    }
    let cookie = response.set_cookies()[0].to_owned();
    assert!(
        cookie.starts_with(&format!("better-auth.session_token={token}")),
        "{cookie}"
    );
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain-http localhost only: {cookie}"
    );

    let response = sign_in(&app.client, "ADA@example.com", "correct horse").await;
    assert_eq!(response.status, StatusCode::OK);
    let signed_in = response.json();
    assert_eq!(signed_in["redirect"], false);
    assert_eq!(signed_in["user"], body["user"]);
    assert_ne!(token_of(&response), token, "a new session at every sign-in");

    let session = session_of(&app.client, &token).await;
    assert_eq!(session["user"], body["user"]);
    assert_eq!(session["session"]["token"], token);
    assert_eq!(session["session"]["userId"], user["id"]);
    let bearer = app
        .client
        .get("/api/auth/get-session")
        .header("authorization", &format!("Bearer {token}"))
        .send()
        .await;
    assert_eq!(
        bearer.json()["user"],
        body["user"],
        "Authorization: Bearer works too"
    );
    let anonymous = app.client.get("/api/auth/get-session").send().await;
    assert_eq!(
        (anonymous.status, anonymous.json()),
        (StatusCode::OK, Value::Null)
    );

    let listed = browser(&app.client, &token)
        .get("/api/auth/list-sessions")
        .send()
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 2);

    // The session signs actions in.
    let response = browser(&app.client, &token)
        .action("notes.create", json!({"body": "hi"}))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.json()["ownerId"].to_string(),
        user["id"].as_str().unwrap()
    );
}

async fn secure_cookies_off_localhost(backend: Backend) {
    let db = TestDb::new(backend, &RUNTIME_MIGRATIONS).await;
    let config = AuthConfig::new("https://blog.example").unwrap();
    let server = Server::builder(registry())
        .database(db.database().clone())
        .auth(config)
        .policy(TestPolicy)
        .build()
        .unwrap();
    let client = TestClient::new(server.router());
    let response = sign_up(&client, "b@example.com", "password1").await;
    let cookie = response.set_cookies()[0];
    assert!(
        cookie.starts_with("__Secure-better-auth.session_token="),
        "{cookie}"
    );
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let response = post(
        &client,
        "/api/auth/sign-in/email",
        json!({"email": "b@example.com", "password": "password1", "rememberMe": false}),
    )
    .await;
    assert!(
        !response.set_cookies()[0].contains("Max-Age"),
        "not remembered: a browser-session cookie"
    );
}

/// Addresses as the `email` rule takes them (RFC 5321), names without control characters.
async fn sign_up_refuses_what_text_fields_refuse(backend: Backend) {
    let app = spawn(backend).await;
    for (body, code) in [
        (
            json!({"name": "B", "email": "b@example.com\u{0}", "password": "whatever1"}),
            "INVALID_EMAIL",
        ),
        (
            json!({"name": "B", "email": "b(c@example.com", "password": "whatever1"}),
            "INVALID_EMAIL",
        ),
        (
            json!({"name": "B\u{1b}[31m", "email": "b@example.com", "password": "whatever1"}),
            "VALIDATION_ERROR",
        ),
    ] {
        let response = post(&app.client, "/api/auth/sign-up/email", body.clone()).await;
        assert_eq!(
            (response.status, response.code()),
            (StatusCode::BAD_REQUEST, code.to_owned()),
            "{body}"
        );
    }
}

/// Limits loose enough for a test that signs up or in more often than a person would (the
/// defaults allow 3 per 10 seconds, and the test clock stands still).
pub(crate) fn many_attempts() -> RateLimits {
    let many = RateLimit::new(100, Duration::from_secs(10));
    RateLimits {
        sign_in_per_ip: many,
        sign_up_per_ip: many,
        change_password_per_ip: many,
        ..RateLimits::default()
    }
}

async fn sign_up_rules(backend: Backend) {
    let app = spawn_with(backend, |config| config.rate_limits(many_attempts())).await;
    sign_up(&app.client, "ada@example.com", "        ").await; // eight spaces, exactly as typed
    let cases = [
        (
            json!({"name": "B", "email": "ADA@example.com", "password": "whatever1"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
        ),
        (
            json!({"name": "B", "email": "b@example.com", "password": "short"}),
            StatusCode::BAD_REQUEST,
            "PASSWORD_TOO_SHORT",
        ),
        (
            json!({"name": "B", "email": "b@example.com", "password": "x".repeat(129)}),
            StatusCode::BAD_REQUEST,
            "PASSWORD_TOO_LONG",
        ),
        (
            json!({"name": "B", "email": "not-an-email", "password": "whatever1"}),
            StatusCode::BAD_REQUEST,
            "INVALID_EMAIL",
        ),
        (
            json!({"name": "", "email": "b@example.com", "password": "whatever1"}),
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
        ),
        (
            json!({"email": "b@example.com", "password": "whatever1"}),
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
        ),
    ];
    for (body, status, code) in cases {
        let response = post(&app.client, "/api/auth/sign-up/email", body.clone()).await;
        assert_eq!(
            (response.status, response.code()),
            (status, code.to_owned()),
            "{body}"
        );
        assert!(response.json()["message"].is_string());
    }
    sign_up(&app.client, "c@example.com", &"é".repeat(128)).await;
    assert_eq!(
        sign_in(&app.client, "c@example.com", &"é".repeat(128))
            .await
            .status,
        StatusCode::OK,
        "any Unicode, no truncation"
    );
    assert_eq!(
        sign_in(&app.client, "c@example.com", &"é".repeat(127))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app.client, "ada@example.com", "        ")
            .await
            .status,
        StatusCode::OK,
        "no trimming"
    );
    assert_eq!(
        sign_in(&app.client, "ada@example.com", "       ")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn no_account_enumeration(backend: Backend) {
    let app = spawn_with(backend, |config| {
        config.rate_limits(RateLimits {
            sign_in_per_ip: RateLimit::new(10_000, Duration::from_secs(60)),
            failures_per_account: RateLimit::new(10_000, Duration::from_secs(60)),
            ..RateLimits::default()
        })
    })
    .await;
    sign_up(&app.client, "ada@example.com", "correct horse").await;
    let unknown = sign_in(&app.client, "nobody@example.com", "correct horse").await;
    let wrong = sign_in(&app.client, "ada@example.com", "wrong horse").await;
    assert_eq!(
        (unknown.status, &unknown.body),
        (wrong.status, &wrong.body),
        "same status and body"
    );
    assert_eq!(
        unknown.json(),
        json!({"code": "INVALID_EMAIL_OR_PASSWORD", "message": "Invalid email or password"})
    );
    // Same time, within noise: the unknown email is checked against a dummy hash. A statistical
    // check, run alone (`timing::`): 200 pairs of sign-ins, the two of a pair back to back (in
    // alternating order), so a slow moment of the shared machine slows both. The ratio of each
    // pair is noisy; their median is not, and its 99% confidence interval (from order
    // statistics: no assumption about the noise) must lie within ±20%. Without the dummy hash
    // an unknown email answers ~30x faster, and the interval sits far outside.
    let ratios = paired_ratios(&app.client, PAIRS).await;
    let (low, median, high) = median_with_confidence(ratios);
    eprintln!(
        "{backend:?}: unknown email / wrong password sign-in time over {PAIRS} pairs: median {median:.3}, 99% interval {low:.3}..{high:.3}"
    );
    assert!(
        0.8 <= low && high <= 1.25,
        "unknown email and wrong password take measurably different times: median ratio {median:.3}, 99% interval {low:.3}..{high:.3}"
    );
}

/// Sign-in pairs measured by [`no_account_enumeration`].
const PAIRS: usize = 200;

/// For each of `pairs` back-to-back pairs (after 5 unmeasured warm-up pairs), the time of a
/// sign-in with an unknown email over that of one with a wrong password.
async fn paired_ratios(client: &TestClient, pairs: usize) -> Vec<f64> {
    let mut ratios = Vec::with_capacity(pairs);
    for round in 0..pairs + 5 {
        let mut pair = [("nobody@example.com", 0), ("ada@example.com", 1)];
        if round % 2 == 1 {
            pair.reverse();
        }
        let mut times = [0.0; 2];
        for (email, slot) in pair {
            let started = std::time::Instant::now();
            assert_eq!(
                sign_in(client, email, "wrong horse").await.status,
                StatusCode::UNAUTHORIZED
            );
            times[slot] = started.elapsed().as_secs_f64();
        }
        if round >= 5 {
            ratios.push(times[0] / times[1]);
        }
    }
    ratios
}

/// The median of `samples` and a distribution-free 99% confidence interval for it: the order
/// statistics `n/2 ∓ 2.576·√n/2`.
fn median_with_confidence(mut samples: Vec<f64>) -> (f64, f64, f64) {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    let spread = (2.576 * (n as f64).sqrt() / 2.0).ceil() as usize;
    let (low, high) = (n / 2 - spread, (n / 2 + spread).min(n - 1));
    (samples[low], samples[n / 2], samples[high])
}

async fn sign_out_and_revocation(backend: Backend) {
    let app = spawn(backend).await;
    let first = token_of(&sign_up(&app.client, "ada@example.com", "correct horse").await);
    let second = token_of(&sign_in(&app.client, "ada@example.com", "correct horse").await);
    let third = token_of(&sign_in(&app.client, "ada@example.com", "correct horse").await);
    let fourth = token_of(&sign_in(&app.client, "ada@example.com", "correct horse").await);

    let response = browser(&app.client, &first)
        .post("/api/auth/sign-out")
        .send()
        .await;
    assert_eq!(response.json(), json!({"success": true}));
    assert!(
        response.set_cookies()[0].contains("Max-Age=0"),
        "the cookie is cleared"
    );
    assert_eq!(
        session_of(&app.client, &first).await,
        Value::Null,
        "a signed-out token is never accepted"
    );
    let again = browser(&app.client, &first)
        .post("/api/auth/sign-out")
        .send()
        .await;
    assert_eq!(
        again.json(),
        json!({"success": true}),
        "signing out twice is harmless"
    );
    let anonymous = app
        .client
        .with_header("origin", ORIGIN)
        .post("/api/auth/sign-out")
        .send()
        .await;
    assert_eq!(
        (anonymous.status, anonymous.json()),
        (
            StatusCode::BAD_REQUEST,
            json!({"code": "FAILED_TO_GET_SESSION", "message": "Failed to get session"})
        ),
        "as Better Auth: no session to sign out of"
    );
    let response = browser(&app.client, &first)
        .action("notes.create", json!({"body": "x"}))
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);

    // revoke-session by the id list-sessions gives
    let listed = browser(&app.client, &second)
        .get("/api/auth/list-sessions")
        .send()
        .await
        .json();
    let ids: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    let third_id = session_of(&app.client, &third).await["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = post(
        &browser(&app.client, &second),
        "/api/auth/revoke-session",
        json!({"token": third_id}),
    )
    .await;
    assert_eq!(response.json(), json!({"status": true}));
    assert_eq!(session_of(&app.client, &third).await, Value::Null);

    // another user cannot revoke it
    let other = token_of(&sign_up(&app.client, "bob@example.com", "bob's password").await);
    let fourth_id = session_of(&app.client, &fourth).await["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    post(
        &browser(&app.client, &other),
        "/api/auth/revoke-session",
        json!({"token": fourth_id}),
    )
    .await;
    post(
        &browser(&app.client, &other),
        "/api/auth/revoke-session",
        json!({"token": fourth}),
    )
    .await;
    assert!(
        session_of(&app.client, &fourth).await["user"].is_object(),
        "only one's own sessions"
    );

    let response = post(
        &browser(&app.client, &second),
        "/api/auth/revoke-other-sessions",
        json!({}),
    )
    .await;
    assert_eq!(response.json(), json!({"status": true}));
    assert_eq!(session_of(&app.client, &fourth).await, Value::Null);
    assert!(session_of(&app.client, &second).await["user"].is_object());

    post(
        &browser(&app.client, &second),
        "/api/auth/revoke-sessions",
        json!({}),
    )
    .await;
    assert_eq!(session_of(&app.client, &second).await, Value::Null);
    assert!(
        session_of(&app.client, &other).await["user"].is_object(),
        "other users' sessions stay"
    );
    let response = app.client.get("/api/auth/list-sessions").send().await;
    assert_eq!(
        (response.status, response.code()),
        (StatusCode::UNAUTHORIZED, "UNAUTHORIZED".to_owned())
    );
    assert_eq!(
        session_of(&app.client, "not-a-token").await,
        Value::Null,
        "an unknown token is never accepted"
    );
}

async fn expiry_sliding_and_cap(backend: Backend) {
    let app = spawn(backend).await;
    let idle = token_of(&sign_up(&app.client, "ada@example.com", "correct horse").await);
    let active = token_of(&sign_in(&app.client, "ada@example.com", "correct horse").await);
    let expires = |session: &Value| session["session"]["expiresAt"].as_str().unwrap().to_owned();
    let first_expiry = expires(&session_of(&app.client, &active).await);
    app.clock.advance(Duration::from_secs(3600));
    assert_eq!(
        expires(&session_of(&app.client, &active).await),
        first_expiry,
        "refreshed at most once a day"
    );
    // Active every 6 days: the session slides; the idle one expires after 7.
    for _ in 0..4 {
        app.clock.advance(6 * DAY);
        assert!(
            session_of(&app.client, &active).await["user"].is_object(),
            "sliding expiry keeps an active session"
        );
    }
    assert_eq!(
        session_of(&app.client, &idle).await,
        Value::Null,
        "expired after 7 idle days"
    );
    // The absolute cap (30 days) ends even an active session.
    app.clock.advance(6 * DAY + Duration::from_secs(1));
    assert_eq!(
        session_of(&app.client, &active).await,
        Value::Null,
        "capped at 30 days however active"
    );
    let response = browser(&app.client, &active)
        .action("notes.create", json!({"body": "x"}))
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
}

async fn change_password_revokes_other_sessions(backend: Backend) {
    let app = spawn_with(backend, |config| config.rate_limits(many_attempts())).await;
    let this = token_of(&sign_up(&app.client, "ada@example.com", "old password").await);
    let other = token_of(&sign_in(&app.client, "ada@example.com", "old password").await);
    let response = post(
        &browser(&app.client, &this),
        "/api/auth/change-password",
        json!({"currentPassword": "wrong one", "newPassword": "new password"}),
    )
    .await;
    assert_eq!(
        (response.status, response.code()),
        (StatusCode::BAD_REQUEST, "INVALID_PASSWORD".to_owned())
    );
    let response = post(
        &browser(&app.client, &this),
        "/api/auth/change-password",
        json!({"currentPassword": "old password", "newPassword": "short"}),
    )
    .await;
    assert_eq!(response.code(), "PASSWORD_TOO_SHORT");
    assert!(
        session_of(&app.client, &other).await["user"].is_object(),
        "failed changes revoke nothing"
    );

    let response = post(&browser(&app.client, &this), "/api/auth/change-password", json!({"currentPassword": "old password", "newPassword": "new password", "revokeOtherSessions": true})).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json()["token"], Value::Null);
    assert_eq!(response.json()["user"]["email"], "ada@example.com");
    assert_eq!(
        session_of(&app.client, &other).await,
        Value::Null,
        "other sessions are revoked"
    );
    assert!(
        session_of(&app.client, &this).await["user"].is_object(),
        "this one stays"
    );
    assert_eq!(
        sign_in(&app.client, "ada@example.com", "old password")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app.client, "ada@example.com", "new password")
            .await
            .status,
        StatusCode::OK
    );
    let response = app
        .client
        .post("/api/auth/change-password")
        .json(&json!({"currentPassword": "a", "newPassword": "b"}))
        .send()
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
}

async fn raised_cost_rehashes_at_sign_in(backend: Backend) {
    let app = spawn(backend).await;
    sign_up(&app.client, "ada@example.com", "correct horse").await;
    let stored = || async {
        use actions_runtime::diesel::{ExpressionMethods, QueryDsl};
        use actions_runtime::diesel_async::RunQueryDsl;
        actions_runtime::diesel::table! { auth_users (id) { id -> Int8, email -> Text, password_hash -> Text } }
        app.db
            .database()
            .run(async |conn| {
                actions_runtime::db!(conn, |c| auth_users::table
                    .filter(auth_users::email.eq("ada@example.com"))
                    .select(auth_users::password_hash)
                    .first::<String>(c)
                    .await)
            })
            .await
            .unwrap()
            .unwrap()
    };
    assert!(
        stored()
            .await
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
    );
    let stronger = on(&app.db, &app.clock, |config| {
        config
            .password_cost(PasswordCost {
                iterations: 3,
                ..PasswordCost::OWASP
            })
            .unwrap()
    });
    assert_eq!(
        sign_in(&stronger, "ada@example.com", "wrong horse")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        stored().await.contains("t=2"),
        "a failed sign-in rehashes nothing"
    );
    assert_eq!(
        sign_in(&stronger, "ada@example.com", "correct horse")
            .await
            .status,
        StatusCode::OK
    );
    assert!(
        stored()
            .await
            .starts_with("$argon2id$v=19$m=19456,t=3,p=1$"),
        "rehashed at the next sign-in"
    );
    assert_eq!(
        sign_in(&stronger, "ada@example.com", "correct horse")
            .await
            .status,
        StatusCode::OK
    );
}

async fn rate_limits_and_recovery(backend: Backend) {
    limits_and_recovery(backend, RateLimitStore::Memory).await;
}

/// Burst, refill, `Retry-After` and the per-account lock-out, counted in `store`.
pub(crate) async fn limits_and_recovery(backend: Backend, store: RateLimitStore) {
    let app = spawn_with(backend, |config| {
        config
            .rate_limits(RateLimits {
                sign_in_per_ip: RateLimit::new(3, Duration::from_secs(60)),
                failures_per_account: RateLimit::new(5, Duration::from_secs(3600)),
                ..RateLimits::default()
            })
            .rate_limit_store(store)
    })
    .await;
    sign_up(&app.client, "ada@example.com", "correct horse").await;
    // Per IP: three attempts a minute, whatever their outcome. (Each attempt names another
    // email, so that only the per-IP limit is in play.)
    let mut n = 0;
    let mut email = move || {
        n += 1;
        format!("x{n}@example.com")
    };
    let client = app.client.from_ip("203.0.113.7".parse().unwrap());
    for _ in 0..3 {
        assert_eq!(
            sign_in(&client, &email(), "wrong horse").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = sign_in(&client, "ada@example.com", "correct horse").await;
    assert_eq!(
        (limited.status, limited.code()),
        (
            StatusCode::TOO_MANY_REQUESTS,
            "TOO_MANY_REQUESTS".to_owned()
        )
    );
    assert_eq!(limited.header("retry-after"), Some("20"));
    let v6 = |ip: &str| app.client.from_ip(ip.parse().unwrap());
    for _ in 0..3 {
        sign_in(&v6("2001:db8:1:2::1"), &email(), "wrong horse").await;
    }
    assert_eq!(
        sign_in(&v6("2001:db8:1:2:ffff::9"), &email(), "wrong")
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS,
        "IPv6 by /64"
    );
    assert_eq!(
        sign_in(&v6("2001:db8:1:3::1"), &email(), "wrong")
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "another /64"
    );
    // Forwarded headers count only from a trusted proxy.
    let spoofed = client.with_header("x-forwarded-for", "198.51.100.1");
    assert_eq!(
        sign_in(&spoofed, &email(), "wrong").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let proxied = app
        .client
        .from_ip("10.0.0.1".parse().unwrap())
        .with_header("x-forwarded-for", "198.51.100.1, 10.0.0.1");
    assert_eq!(
        sign_in(&proxied, &email(), "wrong").await.status,
        StatusCode::UNAUTHORIZED
    );
    app.clock.advance(Duration::from_secs(61));
    assert_eq!(
        sign_in(&client, "ada@example.com", "correct horse")
            .await
            .status,
        StatusCode::OK,
        "the window passed"
    );

    // Per account: five failures an hour, from anywhere; then even the right password waits.
    for i in 0..5 {
        let from = app
            .client
            .from_ip(format!("198.51.100.{}", 10 + i).parse().unwrap());
        assert_eq!(
            sign_in(&from, "ada@example.com", "wrong horse")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    let from = |i: u8| app.client.from_ip(format!("192.0.2.{i}").parse().unwrap());
    assert_eq!(
        sign_in(&from(1), "ada@example.com", "wrong horse")
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "the failure that spends the budget"
    );
    let locked = sign_in(&from(2), "ada@example.com", "correct horse").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.header("retry-after"), Some("3600"));
    let unknown = sign_in(&from(3), "nobody@example.com", "whatever1").await;
    assert_eq!(
        unknown.status,
        StatusCode::UNAUTHORIZED,
        "other accounts are unaffected"
    );
    app.clock.advance(Duration::from_secs(3601));
    assert_eq!(
        sign_in(&from(4), "ada@example.com", "correct horse")
            .await
            .status,
        StatusCode::OK,
        "no permanent lock-out"
    );
}

/// Two servers on one database, as two nodes behind a load balancer: a client's attempts spread
/// over both are limited as on one when `store` is shared (`shared`), and twice over when each
/// counts in its own memory — which this test must notice, or it proves nothing.
pub(crate) async fn limits_across_servers(backend: Backend, store: RateLimitStore, shared: bool) {
    let AuthApp { db, clock, .. } = spawn(backend).await;
    let configure = |config: AuthConfig| {
        config
            .rate_limits(RateLimits {
                sign_in_per_ip: RateLimit::new(4, Duration::from_secs(60)),
                failures_per_account: RateLimit::new(3, Duration::from_secs(3600)),
                ..RateLimits::default()
            })
            .rate_limit_store(store.clone())
    };
    let nodes = [on(&db, &clock, configure), on(&db, &clock, configure)];
    sign_up(&nodes[0], "ada@example.com", "correct horse").await;
    let limited = |status| match shared {
        true => StatusCode::TOO_MANY_REQUESTS,
        false => status,
    };

    // Per IP: four attempts a minute, two on each node; the fifth is refused on either.
    let ip = "203.0.113.9".parse().unwrap();
    for i in 0..4 {
        let node = nodes[i % 2].from_ip(ip);
        let response = sign_in(&node, &format!("x{i}@example.com"), "wrong horse").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    for node in &nodes {
        let response = sign_in(&node.from_ip(ip), "y@example.com", "wrong horse").await;
        assert_eq!(response.status, limited(StatusCode::UNAUTHORIZED));
        if shared {
            assert_eq!(response.header("retry-after"), Some("15"));
        }
    }

    // Per account: three failures an hour from anywhere, spread over both nodes; the one
    // that exceeds the budget locks the account on every node.
    for i in 0..4 {
        let node = nodes[i % 2].from_ip(format!("198.51.100.{}", 20 + i).parse().unwrap());
        let response = sign_in(&node, "ada@example.com", "wrong horse").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "failure {i}");
    }
    for (i, node) in nodes.iter().enumerate() {
        let node = node.from_ip(format!("192.0.2.{}", 30 + i).parse().unwrap());
        let response = sign_in(&node, "ada@example.com", "correct horse").await;
        assert_eq!(response.status, limited(StatusCode::OK), "node {i}");
        if shared {
            assert_eq!(response.header("retry-after"), Some("3600"));
        }
    }
    clock.advance(Duration::from_secs(3601));
    let response = sign_in(&nodes[1], "ada@example.com", "correct horse").await;
    assert_eq!(response.status, StatusCode::OK, "the lock-out ends");
}

/// SQLite serves one node: the PostgreSQL store is refused there when the server is built.
async fn postgres_store_needs_postgres(backend: Backend) {
    let db = TestDb::new(backend, &RUNTIME_MIGRATIONS).await;
    let config = AuthConfig::new(ORIGIN)
        .expect("localhost")
        .rate_limit_store(RateLimitStore::Postgres);
    let built = Server::builder(registry())
        .database(db.database().clone())
        .auth(config)
        .policy(TestPolicy)
        .build();
    match (backend, built) {
        (Backend::Postgres, Ok(_)) => {}
        (Backend::Sqlite, Err(error)) => assert!(
            error
                .to_string()
                .contains("the postgres rate-limit store needs a PostgreSQL database"),
            "{error}"
        ),
        (_, built) => panic!("{backend:?}: {:?}", built.map(drop)),
    }
}

/// The memory store is per server: the control that shows the shared stores' test can fail.
async fn memory_limits_are_per_server(backend: Backend) {
    limits_across_servers(backend, RateLimitStore::Memory, false).await;
}

/// Only same-origin requests carrying the session reach a handler, whatever the content type.
async fn cross_site_requests_are_refused(backend: Backend) {
    let app = spawn(backend).await;
    let token = token_of(&sign_up(&app.client, "ada@example.com", "correct horse").await);
    let cookie = format!("better-auth.session_token={token}");
    let origins: [(&str, Option<&str>, Option<&str>); 7] = [
        ("same origin", Some(ORIGIN), None),
        (
            "same origin by Referer",
            None,
            Some("http://localhost:3000/posts/1"),
        ),
        ("cross-site", Some("https://evil.example"), None),
        ("missing", None, None),
        ("null", Some("null"), None),
        (
            "look-alike host",
            Some("http://localhost:3000.evil.example"),
            None,
        ),
        ("look-alike port", Some("http://localhost:30000"), None),
    ];
    let bodies: [(&str, Option<&str>, &str); 4] = [
        ("JSON", Some("application/json"), r#"{"body": "csrf"}"#),
        ("text/plain", Some("text/plain"), r#"{"body": "csrf"}"#),
        (
            "form",
            Some("application/x-www-form-urlencoded"),
            "body=csrf",
        ),
        ("no content type", None, r#"{"body": "csrf"}"#),
    ];
    let mut reached = 0;
    for (origin_name, origin, referer) in origins {
        for (body_name, content_type, body) in bodies {
            let mut request = app
                .client
                .post("/_actions/notes.create")
                .header("cookie", &cookie);
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            if let Some(referer) = referer {
                request = request.header("referer", referer);
            }
            request = match content_type {
                Some(content_type) => request.body(content_type, body),
                None => request.raw_body(body),
            };
            let response = request.send().await;
            let same_origin = origin_name.starts_with("same origin");
            match (same_origin, body_name) {
                (true, "JSON") => {
                    assert_eq!(
                        response.status,
                        StatusCode::OK,
                        "{origin_name} × {body_name}"
                    );
                    reached += 1;
                }
                (true, _) => assert_eq!(
                    response.status,
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "{origin_name} × {body_name}"
                ),
                (false, _) => {
                    assert_eq!(
                        response.status,
                        StatusCode::FORBIDDEN,
                        "{origin_name} × {body_name}"
                    );
                    assert_eq!(response.code(), "FORBIDDEN");
                }
            }
        }
    }
    assert_eq!(reached, 2);
    let count = app.client.action("notes.count", json!({})).await.json();
    assert_eq!(count, json!(2), "refused requests had no effect");
    // Auth routes too: a cross-site sign-out with the cookie does nothing.
    let response = app
        .client
        .post("/api/auth/sign-out")
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .send()
        .await;
    assert_eq!(
        (response.status, response.code()),
        (StatusCode::FORBIDDEN, "INVALID_ORIGIN".to_owned())
    );
    assert!(session_of(&app.client, &token).await["user"].is_object());
    // A trusted front end on another origin is allowed; Sec-Fetch-Site must agree with Origin.
    let db_client = on(&app.db, &app.clock, |config| {
        config.trusted_origin("https://app.example").unwrap()
    });
    let response = db_client
        .post("/_actions/notes.create")
        .header("cookie", &cookie)
        .header("origin", "https://app.example")
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"body": "trusted"}))
        .send()
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let response = db_client
        .post("/_actions/notes.create")
        .header("cookie", &cookie)
        .header("origin", ORIGIN)
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"body": "forged"}))
        .send()
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    // Without the cookie there is nothing to forge.
    let response = app
        .client
        .post("/_actions/notes.count")
        .header("origin", "https://evil.example")
        .json(&json!({}))
        .send()
        .await;
    assert_eq!(response.status, StatusCode::OK);
}

/// Sign-up, sign-in (success and failure), password changes and sign-out each leave one audit
/// event: who, what, how it ended; the email, never a password.
async fn authentication_events_are_audited(backend: Backend) {
    let app = spawn(backend).await;
    let token = token_of(&sign_up(&app.client, "ada@example.com", "correct horse").await);
    sign_in(&app.client, "ada@example.com", "wrong horse").await;
    sign_in(&app.client, "nobody@example.com", "wrong horse").await;
    sign_in(&app.client, "ada@example.com", "correct horse").await;
    let ada = browser(&app.client, &token);
    let change = |current: &str| json!({"currentPassword": current, "newPassword": "new horse!"});
    post(&ada, "/api/auth/change-password", change("wrong")).await;
    post(&ada, "/api/auth/change-password", change("correct horse"))
        .await
        .assert_status(StatusCode::OK);
    post(&ada, "/api/auth/sign-out", json!({}))
        .await
        .assert_status(StatusCode::OK);

    let events = app
        .db
        .database()
        .run(async |conn| actions_runtime::audit::events(conn, None, 100).await)
        .await
        .and_then(|events| events)
        .expect("the log");
    let ada_id = events[0].actor_id;
    assert!(ada_id.is_some());
    // (action, actor, outcome, code, email)
    type Event = (String, Option<i64>, String, Option<String>, String);
    let summary: Vec<Event> = events
        .iter()
        .rev()
        .map(|e| {
            let outcome = serde_json::to_value(e.outcome)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned();
            let email = e.input.as_ref().unwrap()["email"]
                .as_str()
                .unwrap()
                .to_owned();
            (e.action.clone(), e.actor_id, outcome, e.code.clone(), email)
        })
        .collect();
    let event =
        |action: &str, actor: Option<i64>, outcome: &str, code: Option<&str>, email: &str| {
            (
                action.to_owned(),
                actor,
                outcome.to_owned(),
                code.map(str::to_owned),
                email.to_owned(),
            )
        };
    let failed = Some("INVALID_EMAIL_OR_PASSWORD");
    assert_eq!(
        summary,
        [
            event("auth.sign_up", ada_id, "success", None, "ada@example.com"),
            event("auth.sign_in", None, "failure", failed, "ada@example.com"),
            event(
                "auth.sign_in",
                None,
                "failure",
                failed,
                "nobody@example.com"
            ),
            event("auth.sign_in", ada_id, "success", None, "ada@example.com"),
            event(
                "auth.change_password",
                ada_id,
                "failure",
                Some("INVALID_PASSWORD"),
                "ada@example.com"
            ),
            event(
                "auth.change_password",
                ada_id,
                "success",
                None,
                "ada@example.com"
            ),
            event("auth.sign_out", ada_id, "success", None, "ada@example.com"),
        ]
    );
    let log = serde_json::to_string(&events).unwrap();
    assert!(!log.contains("horse"), "no password reaches the audit log");
}

/// Auth bodies are JSON, read as actions read a Content-Type: case and spacing do not matter,
/// another media type is `415`.
async fn auth_bodies_are_json(backend: Backend) {
    let app = spawn(backend).await;
    let body = json!({"name": "Ada", "email": "ada@example.com", "password": "correct horse"});
    for (content_type, status) in [
        ("Application/JSON ; charset=utf-8", StatusCode::OK),
        (
            "application/vnd.api+json",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        ("text/plain", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ] {
        let response = app
            .client
            .post("/api/auth/sign-up/email")
            .body(content_type, body.to_string())
            .send()
            .await;
        assert_eq!(response.status, status, "{content_type}");
        if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
            assert_eq!(response.code(), "UNSUPPORTED_MEDIA_TYPE");
        }
    }
}

/// Roles are the app's: one it names works; one it does not is an error, never another role.
async fn roles_the_app_names(backend: Backend) {
    let app = spawn(backend).await;
    let response = sign_up(&app.client, "ed@example.com", "correct horse").await;
    let ed = browser(&app.client, &token_of(&response));
    app.db
        .database()
        .run(async |conn| {
            use actions_runtime::diesel_async::SimpleAsyncConnection;
            let sql = "UPDATE auth_users SET role = 'editor' WHERE email = 'ed@example.com'";
            actions_runtime::db!(conn, |c| c.batch_execute(sql).await)
        })
        .await
        .unwrap()
        .unwrap();
    let refused = ed.get("/api/auth/get-session").send().await;
    assert_eq!(
        refused.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "a role the app does not name"
    );
    let refused = sign_in(&app.client, "ed@example.com", "correct horse").await;
    assert_eq!(
        refused.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "nor can it sign in"
    );
    // The same account, on a server that names the role.
    let named = on(&app.db, &app.clock, |config| {
        config.role(actions_runtime::auth::Role::new("editor"))
    });
    let ed = browser(&named, &token_of(&response));
    let session = ed.get("/api/auth/get-session").send().await;
    session.assert_status(StatusCode::OK);
    assert_eq!(session.json()["user"]["role"], "editor");
    sign_in(&named, "ed@example.com", "correct horse")
        .await
        .assert_status(StatusCode::OK);
}

actions_runtime::backend_tests!(
    auth_bodies_are_json,
    roles_the_app_names,
    authentication_events_are_audited,
    served_requests_know_their_client,
    sign_up_and_sign_in_shapes,
    secure_cookies_off_localhost,
    sign_up_rules,
    sign_up_refuses_what_text_fields_refuse,
    sign_out_and_revocation,
    expiry_sliding_and_cap,
    change_password_revokes_other_sessions,
    raised_cost_rehashes_at_sign_in,
    rate_limits_and_recovery,
    memory_limits_are_per_server,
    postgres_store_needs_postgres,
    cross_site_requests_are_refused;
    timing: no_account_enumeration,
);

/// The PostgreSQL store: the database's table, shared by the servers on it (SQLite has none).
mod postgres_only {
    use super::{limits_across_servers, limits_and_recovery};
    use actions_runtime::auth::RateLimitStore;
    use actions_runtime::testing::{Backend, run};

    #[test]
    #[ignore = "PostgreSQL: set TEST_POSTGRES_URL and run with --ignored"]
    fn rate_limits_in_postgres() {
        run(limits_and_recovery(
            Backend::Postgres,
            RateLimitStore::Postgres,
        ));
    }

    #[test]
    #[ignore = "PostgreSQL: set TEST_POSTGRES_URL and run with --ignored"]
    fn postgres_limits_are_shared_by_servers() {
        run(limits_across_servers(
            Backend::Postgres,
            RateLimitStore::Postgres,
            true,
        ));
    }
}

/// The Redis store (feature `redis`), against the Redis of `TEST_REDIS_URL` (default
/// `redis://127.0.0.1:6379`), each test under keys of its own; run by `.ci/cluster.sh`.
#[cfg(feature = "redis")]
pub(crate) mod redis {
    use super::{limits_across_servers, limits_and_recovery, sign_in, spawn_with};
    use actions_runtime::auth::RateLimitStore;
    use actions_runtime::testing::{Backend, run};
    use http::StatusCode;

    /// A Redis store whose keys no other test touches.
    fn store(url: &str) -> RateLimitStore {
        let mut store: RateLimitStore = url.parse().expect("a Redis URL");
        if let RateLimitStore::Redis { prefix, .. } = &mut store {
            *prefix = format!("test:{}:", uuid::Uuid::new_v4());
        }
        store
    }

    pub(crate) fn test_redis() -> RateLimitStore {
        store(
            &std::env::var("TEST_REDIS_URL")
                .unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned()),
        )
    }

    #[test]
    #[ignore = "Redis: run with --ignored redis:: (TEST_REDIS_URL, default redis://127.0.0.1:6379)"]
    fn rate_limits_in_redis() {
        run(limits_and_recovery(Backend::Sqlite, test_redis()));
    }

    #[test]
    #[ignore = "Redis: run with --ignored redis:: (TEST_REDIS_URL, default redis://127.0.0.1:6379)"]
    fn redis_limits_are_shared_by_servers() {
        run(limits_across_servers(Backend::Sqlite, test_redis(), true));
    }

    /// A store that cannot be reached refuses the request (`503`, retry shortly) rather than
    /// letting it through unlimited. (Nothing listens on port 1.)
    #[test]
    fn unreachable_store_fails_closed() {
        run(async {
            let app = spawn_with(Backend::Sqlite, |config| {
                config.rate_limit_store(store("redis://127.0.0.1:1"))
            })
            .await;
            let response = sign_in(&app.client, "ada@example.com", "correct horse").await;
            assert_eq!(
                (response.status, response.code()),
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "RATE_LIMIT_UNAVAILABLE".to_owned()
                )
            );
            assert_eq!(response.header("retry-after"), Some("1"));
        });
    }
}
