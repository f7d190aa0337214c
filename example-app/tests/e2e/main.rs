//! example-app end to end, through the real router, on SQLite and (with `--ignored` and
//! `TEST_POSTGRES_URL`) PostgreSQL. One binary.

#![allow(unreachable_pub, missing_debug_implementations)] // a test binary exports nothing

mod access;
mod accounts;
mod admin;
mod audit;
mod bank;
mod client;
mod contact;
mod contracts;
mod import;
mod openapi;
mod posts;
mod profiles;
mod schema;
mod site;

use actions_runtime::auth::{AuthConfig, RateLimit, RateLimits, Role};
use actions_runtime::testing::{Backend, TestClient, TestDb};

pub const ORIGIN: &str = "http://localhost:3000";
pub const PASSWORD: &str = "a long enough password";

/// The app on a fresh database, with real sign-in.
pub struct App {
    pub db: TestDb,
    /// Signed out.
    pub client: TestClient,
}

/// A signed-in user: a client that sends the session cookie from the app's origin.
#[derive(Clone)]
pub struct Member {
    pub id: i64,
    pub token: String,
    pub client: TestClient,
}

pub async fn spawn(backend: Backend) -> App {
    spawn_with(backend, actions_runtime::Server::router).await
}

/// The app as `example-app serve` serves it: the demo site's pages beside the actions.
pub async fn spawn_site(backend: Backend) -> App {
    spawn_with(backend, |server| {
        example_app::site::pages(server).merge(server.router())
    })
    .await
}

async fn spawn_with(
    backend: Backend,
    router: impl FnOnce(&actions_runtime::Server) -> actions_runtime::axum::Router,
) -> App {
    let db = TestDb::new(backend, &actions_runtime::db::RUNTIME_MIGRATIONS).await;
    db.database()
        .migrate(&example_app::MIGRATIONS)
        .await
        .expect("app migrations");
    let server = example_app::server(db.database().clone(), config()).expect("the app builds");
    App {
        client: TestClient::new(router(&server)),
        db,
    }
}

pub fn config() -> AuthConfig {
    // Every test client comes from one address; a test that signs in more often than Better
    // Auth's 3 per 10 s must not meet the limit (the runtime's own tests cover the limits).
    let many = RateLimit::new(1_000, std::time::Duration::from_secs(60));
    AuthConfig::new(ORIGIN)
        .expect("localhost")
        .rate_limits(RateLimits {
            sign_in_per_ip: many,
            sign_up_per_ip: many,
            ..RateLimits::default()
        })
}

impl App {
    /// Signs `name@example.test` up.
    pub async fn user(&self, name: &str) -> Member {
        let response = self
            .client
            .post("/api/auth/sign-up/email")
            .json(&serde_json::json!({"name": name, "email": format!("{name}@example.test"), "password": PASSWORD}))
            .send()
            .await;
        response.assert_status(actions_runtime::http::StatusCode::OK);
        self.member(&response)
    }

    /// Creates an admin (as `example-app create-admin` does) and signs in.
    pub async fn admin(&self, name: &str) -> Member {
        let email = format!("{name}@example.test");
        actions_runtime::auth::create_user(
            self.db.database(),
            &config(),
            name,
            &email,
            PASSWORD,
            Role::ADMIN,
        )
        .await
        .expect("admin");
        let response = self
            .client
            .post("/api/auth/sign-in/email")
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await;
        self.member(&response)
    }

    fn member(&self, response: &actions_runtime::testing::TestResponse) -> Member {
        let body = response.json();
        let token = body["token"].as_str().expect("a session token");
        let id = body["user"]["id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .expect("a user id");
        let client = self
            .client
            .with_header("cookie", &format!("better-auth.session_token={token}"))
            .with_header("origin", ORIGIN);
        Member {
            id,
            token: token.to_owned(),
            client,
        }
    }
}

/// A deterministic pseudo-random sequence (xorshift64*), so failures replay.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}
