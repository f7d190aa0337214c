//! A small blog with money, built only on actions-runtime's public API: posts with keyset
//! pagination and search, accounts with transfers in a transaction, a contact form, and
//! email + password sign-in with the blog's access policy; and [`site`], its pages.

pub mod actions;
pub mod policy;
pub mod schema;
pub mod site;

use actions_runtime::auth::AuthConfig;
use actions_runtime::db::{Database, Migrations};
use actions_runtime::{BuildError, Server, ServerBuilder};

/// The app's migrations, one directory per backend.
pub const MIGRATIONS: Migrations = actions_runtime::migrations!(
    postgres = "../migrations/postgres",
    sqlite = "../migrations/sqlite",
);

/// The blog's server beside its actions, database and sign-in: its policy.
pub fn configure(server: ServerBuilder) -> ServerBuilder {
    server.policy(policy::BlogPolicy)
}

/// The server: every action on `database`, email + password sign-in configured by `auth`,
/// configured as the command line's `serve` does.
pub fn server(database: Database, auth: AuthConfig) -> Result<Server, BuildError> {
    configure(
        Server::builder(actions::registry())
            .database(database)
            .auth(auth),
    )
    .build()
}
