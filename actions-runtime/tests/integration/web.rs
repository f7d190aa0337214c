//! What a web front end and an operator see around the actions: a span per request and per
//! action (the access log, with the request id, the user and the outcome), CORS for trusted
//! origins only, and the readiness route that asks the database.

use crate::hooks::builder;
use actions_runtime::testing::{Backend, TestClient, TestDb};
use http::StatusCode;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// A closed span: its name and fields.
type Closed = (String, BTreeMap<String, String>);

/// Keeps every span's fields, and hands them over when the span closes.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<Closed>>>);

#[derive(Default)]
struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(
            field.name().to_owned(),
            format!("{value:?}").trim_matches('"').to_owned(),
        );
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<Fields>()
        {
            values.record(fields);
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id) {
            let fields = span.extensions_mut().remove::<Fields>().unwrap_or_default();
            self.0
                .lock()
                .unwrap()
                .push((span.name().to_owned(), fields.0));
        }
    }
}

impl Spans {
    fn named(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, fields)| fields.clone())
            .collect()
    }
}

/// Each request has a `request` span (method, route, request id) and each action call an
/// `action` span inside it (name, request id, user id, outcome, duration); a refusal's outcome
/// is its error code.
async fn requests_and_actions_have_spans(backend: Backend) {
    let db = TestDb::new(backend, &actions_runtime::db::RUNTIME_MIGRATIONS).await;
    let server = builder(&db).build().expect("builds");
    let client = TestClient::new(server.router());
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    client
        .as_user(1)
        .with_header("x-request-id", "req-ok")
        .action("hooked.guarded", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::OK);
    client
        .with_header("x-request-id", "req-fails")
        .action("hooked.fails", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::CONFLICT);
    client
        .as_user(2)
        .with_header("x-request-id", "req-denied")
        .action("hooked.guarded", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::FORBIDDEN);

    let requests = spans.named("request");
    let request = |id: &str| {
        requests
            .iter()
            .find(|fields| fields["request_id"] == id)
            .unwrap_or_else(|| panic!("no request span for {id}: {requests:?}"))
            .clone()
    };
    assert_eq!(request("req-ok")["method"], "POST");
    assert_eq!(request("req-ok")["path"], "/_actions/hooked.guarded");

    let actions = spans.named("action");
    let action = |id: &str| {
        actions
            .iter()
            .find(|fields| fields["request_id"] == id)
            .unwrap_or_else(|| panic!("no action span for {id}: {actions:?}"))
            .clone()
    };
    let ok = action("req-ok");
    assert_eq!(ok["action"], "hooked.guarded");
    assert_eq!(ok["user_id"], "1");
    assert_eq!(ok["outcome"], "ok");
    let duration: f64 = ok["duration_ms"].parse().expect("a number of milliseconds");
    assert!(duration > 0.0, "{ok:?}");
    let fails = action("req-fails");
    assert_eq!(fails["outcome"], "CONFLICT");
    assert!(!fails.contains_key("user_id"), "{fails:?}");
    let denied = action("req-denied");
    assert_eq!(denied["outcome"], "FORBIDDEN");
    assert_eq!(denied["user_id"], "2");
}

const TRUSTED: &str = "https://app.example";

/// A trusted origin's preflight is answered with credentials allowed and the actions' method
/// and headers; its calls get `Access-Control-Allow-Origin` and may read `Retry-After`. Another
/// origin gets no `Access-Control-*` header at all, preflight or call.
async fn cors_answers_trusted_origins_only(backend: Backend) {
    let db = TestDb::new(backend, &actions_runtime::db::RUNTIME_MIGRATIONS).await;
    let server = builder(&db)
        .cors_origin("HTTPS://App.Example:443/")
        .build()
        .expect("builds");
    let client = TestClient::new(server.router());
    let preflight = |origin: &str| {
        client
            .request(http::Method::OPTIONS, "/_actions/hooked.open")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,idempotency-key",
            )
            .send()
    };
    let allowed = preflight(TRUSTED).await;
    assert!(allowed.status.is_success(), "{}", allowed.status);
    assert_eq!(allowed.header("access-control-allow-origin"), Some(TRUSTED));
    assert_eq!(
        allowed.header("access-control-allow-credentials"),
        Some("true")
    );
    let methods = allowed.header("access-control-allow-methods").unwrap();
    assert!(methods.contains("POST"), "{methods}");
    let headers = allowed.header("access-control-allow-headers").unwrap();
    assert!(headers.contains("idempotency-key"), "{headers}");

    let refused = preflight("https://evil.example").await;
    let cors: Vec<_> = refused
        .headers
        .keys()
        .filter(|name| name.as_str().starts_with("access-control-"))
        .collect();
    assert!(cors.is_empty(), "an untrusted origin got {cors:?}");

    let call = client
        .with_header("origin", TRUSTED)
        .action("hooked.open", json!({"text": "hi"}))
        .await;
    call.assert_status(StatusCode::OK);
    assert_eq!(call.header("access-control-allow-origin"), Some(TRUSTED));
    assert_eq!(
        call.header("access-control-allow-credentials"),
        Some("true")
    );
    let exposed = call.header("access-control-expose-headers").unwrap();
    assert!(exposed.contains("retry-after"), "{exposed}");
    let other = client
        .with_header("origin", "https://evil.example")
        .action("hooked.open", json!({"text": "hi"}))
        .await;
    let cors: Vec<_> = other
        .headers
        .keys()
        .filter(|name| name.as_str().starts_with("access-control-"))
        .collect();
    assert!(cors.is_empty(), "an untrusted origin got {cors:?}");
}

/// A CORS origin that is not an origin is refused when the server is built.
#[test]
fn a_cors_origin_must_be_an_origin() {
    actions_runtime::testing::run(async {
        let db = TestDb::new(Backend::Sqlite, &actions_runtime::db::RUNTIME_MIGRATIONS).await;
        let error = builder(&db)
            .cors_origin("https://app.example/path")
            .build()
            .expect_err("refused");
        assert!(
            error
                .to_string()
                .contains("CORS origin \"https://app.example/path\" is not an origin"),
            "{error}"
        );
    });
}

/// `GET` (and `HEAD`) `/_actions/health`: `200 {"status":"ok"}` while the database answers;
/// `503` with the JSON error body once it does not (its pool closed; on PostgreSQL, also a
/// database that does not exist).
async fn health_asks_the_database(backend: Backend) {
    let db = TestDb::new(backend, &actions_runtime::db::RUNTIME_MIGRATIONS).await;
    let server = builder(&db).build().expect("builds");
    let client = TestClient::new(server.router());
    let ok = client.get("/_actions/health").send().await;
    ok.assert_status(StatusCode::OK);
    assert_eq!(ok.json(), json!({"status": "ok"}));
    assert_eq!(ok.header("content-type"), Some("application/json"));
    assert_eq!(ok.header("cache-control"), Some("no-store"));
    let head = client
        .request(http::Method::HEAD, "/_actions/health")
        .send()
        .await;
    head.assert_status(StatusCode::OK);
    assert!(head.body.is_empty());
    client
        .post("/_actions/health")
        .json(&json!({}))
        .send()
        .await
        .assert_status(StatusCode::METHOD_NOT_ALLOWED);

    if backend == Backend::Postgres {
        // A database that is dropped under the server: its connections are terminated.
        let name = format!("actions_health_{}", std::process::id());
        let admin = |sql: String| {
            let database = db.database().clone();
            async move {
                database
                    .run(async |conn| {
                        actions_runtime::db!(conn, |c| {
                            actions_runtime::diesel_async::RunQueryDsl::execute(
                                actions_runtime::diesel::sql_query(sql),
                                c,
                            )
                            .await
                        })
                    })
                    .await
                    .expect("a connection")
                    .expect("the statement runs")
            }
        };
        admin(format!("DROP DATABASE IF EXISTS {name}")).await;
        admin(format!("CREATE DATABASE {name}")).await;
        let doomed = actions_runtime::db::Database::connect(&format!(
            "{}/{name}",
            TestDb::postgres_url().rsplit_once('/').unwrap().0
        ))
        .await
        .expect("connects");
        let server = actions_runtime::Server::builder(crate::hooks::registry())
            .database(doomed)
            .authenticator(actions_runtime::testing::TestAuthenticator)
            .policy(crate::hooks::OnlyOne)
            .build()
            .expect("builds");
        let doomed = TestClient::new(server.router());
        doomed
            .get("/_actions/health")
            .send()
            .await
            .assert_status(StatusCode::OK);
        admin(format!("DROP DATABASE {name} WITH (FORCE)")).await;
        let down = doomed.get("/_actions/health").send().await;
        down.assert_status(StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(down.code(), "SERVICE_UNAVAILABLE");
    }

    db.database().close();
    let down = client.get("/_actions/health").send().await;
    down.assert_status(StatusCode::SERVICE_UNAVAILABLE);
    let body = down.json();
    assert_eq!(body["code"], "SERVICE_UNAVAILABLE");
    assert!(body["requestId"].is_string(), "{body}");
}

actions_runtime::backend_tests!(
    requests_and_actions_have_spans,
    cors_answers_trusted_origins_only,
    health_asks_the_database,
);

/// With the account service, CORS and the CSRF check agree: a trusted origin's credentialed
/// write (its session cookie sent along) passes the CSRF check and gets the CORS headers; an
/// untrusted origin's is refused (`403`) without them. A CORS origin the service does not trust
/// is refused when the server is built.
#[cfg(feature = "accounts")]
async fn cors_and_csrf_agree(backend: Backend) {
    use actions_runtime::auth::AuthConfig;
    let db = TestDb::new(backend, &actions_runtime::db::RUNTIME_MIGRATIONS).await;
    let auth = || {
        AuthConfig::new("http://localhost:3000")
            .expect("an origin")
            .trusted_origin(TRUSTED)
            .expect("an origin")
    };
    let server = actions_runtime::Server::builder(crate::hooks::registry())
        .database(db.database().clone())
        .auth(auth())
        .policy(crate::hooks::OnlyOne)
        .cors_origin(TRUSTED)
        .build()
        .expect("builds");
    let client = TestClient::new(server.router())
        .with_header("cookie", "better-auth.session_token=not-a-session");
    let trusted = client
        .with_header("origin", TRUSTED)
        .action("hooked.open", json!({"text": "hi"}))
        .await;
    trusted.assert_status(StatusCode::OK);
    assert_eq!(trusted.header("access-control-allow-origin"), Some(TRUSTED));
    assert_eq!(
        trusted.header("access-control-allow-credentials"),
        Some("true")
    );
    let other = client
        .with_header("origin", "https://evil.example")
        .action("hooked.open", json!({"text": "hi"}))
        .await;
    other.assert_status(StatusCode::FORBIDDEN);
    assert!(other.header("access-control-allow-origin").is_none());

    let error = actions_runtime::Server::builder(crate::hooks::registry())
        .database(db.database().clone())
        .auth(auth())
        .policy(crate::hooks::OnlyOne)
        .cors_origin("https://elsewhere.example")
        .build()
        .expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("CORS origin https://elsewhere.example is not a trusted origin"),
        "{error}"
    );
}

#[cfg(feature = "accounts")]
mod with_accounts {
    use super::cors_and_csrf_agree;
    actions_runtime::backend_tests!(cors_and_csrf_agree);
}
