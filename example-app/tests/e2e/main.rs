//! example-app end to end, through the real router, on SQLite and (with `--ignored` and
//! `TEST_POSTGRES_URL`) PostgreSQL. One binary.

#![allow(unreachable_pub, missing_debug_implementations)] // a test binary exports nothing

mod accounts;
mod contact;
mod posts;
mod schema;

use actions_runtime::testing::{Backend, TestAuthenticator, TestClient, TestDb};

/// The app on a fresh database.
pub struct App {
    pub db: TestDb,
    pub client: TestClient,
}

pub async fn spawn(backend: Backend) -> App {
    let db = TestDb::new(backend, &example_app::MIGRATIONS).await;
    let server =
        example_app::server(db.database().clone(), TestAuthenticator).expect("the app builds");
    let client = TestClient::new(server.router());
    App { db, client }
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
