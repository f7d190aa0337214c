//! Server actions for Rust: declare who may call a function, what it takes and whether it runs in
//! a transaction; the runtime serves it over HTTP at `POST /_actions/<name>`.
//!
//! ```text
//! request ─► auth ─► acl ─► input ─► key ─► tx ─► handler ─► output
//!            auth/   acl/   input/   idempotency.rs  tx.rs  your fn  output.rs
//!                                    (ordered in pipeline.rs; audit.rs records each outcome)
//! ```
//!
//! Start with [`guide`], or the README's example. The public API is this page.

// The layers, bottom up: each imports only those below it (checked by `tests/layers`).
mod accounts;
mod base;
mod db;
mod error;
mod pipeline;
mod server;

#[cfg(feature = "testing")]
pub mod testing;

pub mod guide;

#[doc(hidden)]
pub mod __private;

pub use actions_macros::{action, input, output};

pub use accounts::{
    AuthConfig, AuthConfigError, CreateUserError, PasswordCost, RateLimit, RateLimits, create_user,
};
pub use base::{
    Accept, Action, ActionContext, ActionInput, ActionMeta, ActionOutput, Authenticator, Clock,
    DefaultPolicy, Idempotency, Permission, Policy, Posture, Role, SystemClock, User,
};
pub use db::{
    Backend, Database, DatabaseError, DatabaseOptions, DbConn, Decimal, Isolation, Migrations,
    Page, ParseDecimalError, PgConnection, Pooled, RUNTIME_MIGRATIONS, SqliteConnection, Timestamp,
    Wire, WireType, decode_cursor, encode_cursor, like_contains,
};
pub use error::{ActionError, ErrorCode, FieldErrors};
pub use pipeline::audit::{AuditEvent, AuditOutcome, audit_events};
pub use pipeline::input::UploadedFile;
pub use server::{
    BuildError, BuildProblem, Manifest, ManifestAction, Registry, Server, ServerBuilder,
};

/// Diesel, re-exported so apps need no direct dependency: `use actions_runtime::diesel;`
/// makes `table!` and the derives work.
pub use diesel;
/// diesel-async, re-exported for the async query traits.
pub use diesel_async;
/// The `http` types authenticators read (`http::request::Parts`).
pub use http;

/// SQL types that diesel lacks for running one `table!` on both backends.
pub mod sql_types {
    pub use crate::db::{Numeric, Timestamptz};
}

/// What handlers import: diesel's query DSL with diesel-async's `RunQueryDsl` (diesel's own
/// prelude would bring the blocking one and make every `.load()` ambiguous), plus the
/// action vocabulary.
pub mod prelude {
    pub use crate::{
        ActionContext, ActionError, DbConn, FieldErrors, Timestamp, UploadedFile, action, db,
        diesel, input, output,
    };
    pub use diesel::{
        BoolExpressionMethods, EscapeExpressionMethods, ExpressionMethods,
        NullableExpressionMethods, OptionalExtension, QueryDsl, Selectable, SelectableHelper,
        TextExpressionMethods,
    };
    pub use diesel_async::{AsyncConnection, RunQueryDsl};
}
