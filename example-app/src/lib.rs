//! A small blog with money, built only on actions-runtime's public API: posts with keyset
//! pagination and search, accounts with transfers in a transaction, and a contact form.

pub mod actions;
pub mod dev_auth;
pub mod schema;

use actions_runtime::{Authenticator, Database, Migrations, Server};

/// The app's migrations, one directory per backend.
pub const MIGRATIONS: Migrations = actions_runtime::migrations!(
    postgres = "../migrations/postgres",
    sqlite = "../migrations/sqlite",
);

/// The server: every action, on `database`, with `authenticator` telling who is signed in.
pub fn server(
    database: Database,
    authenticator: impl Authenticator,
) -> Result<Server, actions_runtime::BuildError> {
    Server::builder(actions::registry())
        .database(database)
        .authenticator(authenticator)
        .build()
}

/// The manifest of every action, without a database (what `example-app schema` prints).
pub fn manifest() -> actions_runtime::Manifest {
    actions_runtime::Manifest::of_registry(&actions::registry())
}
