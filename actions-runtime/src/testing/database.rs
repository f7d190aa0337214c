//! A database that exists for one test: a temporary SQLite file, or a PostgreSQL schema
//! created for the test and dropped when it ends (even when the test panics).

use super::Backend;
use crate::db::{Database, DatabaseOptions, Migrations};
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

/// A migrated database private to one test.
pub struct TestDb {
    database: Database,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, schema: String },
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDb").field("url", &self.url).finish()
    }
}

impl TestDb {
    /// A fresh database on `backend` with `migrations` applied.
    pub async fn new(backend: Backend, migrations: &Migrations) -> TestDb {
        TestDb::with_options(backend, migrations, DatabaseOptions::default()).await
    }

    /// The same, with pool options (a small pool, a short timeout).
    pub async fn with_options(
        backend: Backend,
        migrations: &Migrations,
        options: DatabaseOptions,
    ) -> TestDb {
        let (url, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}", dir.path().join("test.sqlite3").display());
                (url, Cleanup::Sqlite(dir))
            }
            Backend::Postgres => {
                let admin_url = TestDb::postgres_url();
                let schema = unique_name();
                let mut admin = AsyncPgConnection::establish(&admin_url)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("cannot reach PostgreSQL at TEST_POSTGRES_URL={admin_url}: {e}")
                    });
                admin
                    .batch_execute(&format!("CREATE SCHEMA \"{schema}\""))
                    .await
                    .expect("create the test schema");
                let separator = if admin_url.contains('?') { '&' } else { '?' };
                let url = format!(
                    "{admin_url}{separator}options=-csearch_path%3D{schema}&application_name={schema}"
                );
                (url, Cleanup::Postgres { admin_url, schema })
            }
        };
        let database = Database::connect_with(&url, options)
            .await
            .expect("connect to the test database");
        database
            .migrate(migrations)
            .await
            .expect("migrate the test database");
        TestDb {
            database,
            url,
            cleanup,
        }
    }

    /// The server to test against: `TEST_POSTGRES_URL`.
    ///
    /// # Panics
    /// When it is not set: a PostgreSQL test must never pass without running.
    pub fn postgres_url() -> String {
        std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| {
            panic!("TEST_POSTGRES_URL is not set: PostgreSQL tests need a server, e.g. postgres://postgres@127.0.0.1:5432/test")
        })
    }

    /// The pool.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// The connection URL (PostgreSQL: scoped to the test's schema).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.database.backend()
    }

    /// The single integer `sql` selects (`SELECT COUNT(*) FROM posts`), to check what a test
    /// wrote, or did not, on either backend.
    ///
    /// # Panics
    /// When the query fails or returns no row.
    pub async fn count(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let sql = format!("SELECT ({sql}) AS n");
        let mut conn = self.database.get().await.expect("a connection");
        let row: Count = crate::db!(&mut conn, |c| diesel_async::RunQueryDsl::get_result(
            diesel::sql_query(&sql),
            c
        )
        .await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
        row.n
    }

    /// PostgreSQL: the test's schema, which is also every connection's `application_name`, so
    /// `pg_stat_activity` can be filtered to this test.
    pub fn postgres_schema(&self) -> Option<&str> {
        match &self.cleanup {
            Cleanup::Postgres { schema, .. } => Some(schema),
            Cleanup::Sqlite(_) => None,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        self.database.close();
        let Cleanup::Postgres { admin_url, schema } = &self.cleanup else {
            return;
        };
        let (admin_url, schema) = (admin_url.clone(), schema.clone());
        // Drop runs inside the test's runtime; the cleanup gets a thread and runtime of its own.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut admin = AsyncPgConnection::establish(&admin_url).await?;
                // Connections a test left behind (even idle in transaction) would block DROP.
                admin
                    .batch_execute(&format!(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE application_name = '{schema}' AND pid <> pg_backend_pid(); \
                         DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
                    ))
                    .await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })
        });
        if let Ok(Err(error)) = cleanup.join() {
            eprintln!("warning: could not drop test schema: {error}");
        }
    }
}

/// `t_<pid>_<counter>_<random>`: unique across tests, processes and runs.
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let random =
        RandomState::new().hash_one((std::process::id(), count, std::time::SystemTime::now()));
    format!("t_{}_{count}_{:08x}", std::process::id(), random as u32)
}
