//! Migrations embedded in the binary, one directory per backend (their SQL differs: `bigserial`
//! against `INTEGER PRIMARY KEY`), applied with diesel_migrations on either.

use super::{Database, DatabaseError, DbConn};
use diesel_async::AsyncMigrationHarness;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};

/// An app's migrations for both backends; build it with [`migrations!`](crate::migrations!).
#[derive(Clone, Copy)]
pub struct Migrations {
    postgres: fn() -> EmbeddedMigrations,
    sqlite: fn() -> EmbeddedMigrations,
}

impl std::fmt::Debug for Migrations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Migrations").finish_non_exhaustive()
    }
}

impl Migrations {
    #[doc(hidden)]
    pub const fn __new(
        postgres: fn() -> EmbeddedMigrations,
        sqlite: fn() -> EmbeddedMigrations,
    ) -> Migrations {
        Migrations { postgres, sqlite }
    }
}

/// Embeds an app's migration directories, paths relative to the crate's `Cargo.toml`:
///
/// ```ignore
/// pub const MIGRATIONS: Migrations = actions_runtime::migrations!(
///     postgres = "../migrations/postgres",
///     sqlite = "../migrations/sqlite",
/// );
/// ```
#[macro_export]
macro_rules! migrations {
    (postgres = $postgres:literal, sqlite = $sqlite:literal $(,)?) => {
        $crate::db::Migrations::__new(
            || {
                use $crate::__private::diesel_migrations;
                const MIGRATIONS: diesel_migrations::EmbeddedMigrations =
                    diesel_migrations::embed_migrations!($postgres);
                MIGRATIONS
            },
            || {
                use $crate::__private::diesel_migrations;
                const MIGRATIONS: diesel_migrations::EmbeddedMigrations =
                    diesel_migrations::embed_migrations!($sqlite);
                MIGRATIONS
            },
        )
    };
}

/// The runtime's own tables — users and sessions (auth), stored idempotent responses, the audit
/// log — for both backends; run them before the app's own:
/// `database.migrate(&RUNTIME_MIGRATIONS)`.
pub const RUNTIME_MIGRATIONS: Migrations = crate::migrations!(
    postgres = "migrations/postgres",
    sqlite = "migrations/sqlite"
);

impl Database {
    /// Applies the pending migrations for this database's backend; returns the versions applied.
    ///
    /// diesel_migrations is synchronous, so the migrations run on a blocking thread; this works
    /// on either tokio runtime flavour.
    pub async fn migrate(&self, migrations: &Migrations) -> Result<Vec<String>, DatabaseError> {
        let backend = self.backend();
        let conn = self.get().await.map_err(|error| DatabaseError::Connect {
            backend,
            source: Box::new(error),
        })?;
        let migrations = *migrations;
        let task = tokio::task::spawn_blocking(move || match conn {
            DbConn::Postgres(pooled) => {
                let mut harness = AsyncMigrationHarness::new(pooled);
                let applied =
                    applied_versions(harness.run_pending_migrations((migrations.postgres)()));
                DbConn::Postgres(harness.into_inner()).finish();
                applied
            }
            DbConn::Sqlite(pooled) => {
                let mut harness = AsyncMigrationHarness::new(pooled);
                let applied =
                    applied_versions(harness.run_pending_migrations((migrations.sqlite)()));
                DbConn::Sqlite(harness.into_inner()).finish();
                applied
            }
        });
        match task.await {
            Ok(applied) => applied.map_err(DatabaseError::Migration),
            Err(join_error) => Err(DatabaseError::Migration(Box::new(join_error))),
        }
    }
}

fn applied_versions(
    result: diesel::migration::Result<Vec<diesel::migration::MigrationVersion<'_>>>,
) -> diesel::migration::Result<Vec<String>> {
    result.map(|versions| versions.iter().map(ToString::to_string).collect())
}
