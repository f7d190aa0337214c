//! A small blog with money, built only on actions-runtime's public API: posts with keyset
//! pagination and search, accounts with transfers in a transaction, a contact form, and
//! email + password sign-in with the blog's access policy.

pub mod actions;
pub mod policy;
pub mod schema;

use actions_runtime::{
    AuthConfig, BuildError, Database, DatabaseError, Manifest, Migrations, RUNTIME_MIGRATIONS,
    Server,
};

/// The app's migrations, one directory per backend.
pub const MIGRATIONS: Migrations = actions_runtime::migrations!(
    postgres = "../migrations/postgres",
    sqlite = "../migrations/sqlite",
);

/// The server: every action on `database`, email + password sign-in configured by `auth`,
/// and the blog's policy.
pub fn server(database: Database, auth: AuthConfig) -> Result<Server, BuildError> {
    Server::builder(actions::registry())
        .database(database)
        .auth(auth)
        .policy(policy::BlogPolicy)
        .build()
}

/// Applies the runtime's auth migrations, then the app's; returns the versions applied.
pub async fn migrate(database: &Database) -> Result<Vec<String>, DatabaseError> {
    let mut applied = database.migrate(&RUNTIME_MIGRATIONS).await?;
    applied.extend(database.migrate(&MIGRATIONS).await?);
    Ok(applied)
}

/// The manifest of every action, without a database (what `example-app schema` prints).
pub fn manifest() -> Manifest {
    Manifest::of_registry(&actions::registry())
}
