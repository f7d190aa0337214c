//! Server actions for Rust: declare who may call a function, what it takes and whether it runs in
//! a transaction; the runtime serves it over HTTP at `POST /_actions/<name>`.
//!
//! ```text
//! request ─► auth ─► acl ─► hooks ─► input ─► idempotency ─► tx ─► handler ─► output ─► audit
//!            src/pipeline/1_auth … 7_audit, in that order; pipeline/mod.rs calls them
//! ```
//!
//! This page is the whole public API: the [`prelude`] handlers import, the three attributes,
//! the action vocabulary, the server, and one module per concern — [`auth`] (who is calling),
//! [`acl`] (may they), [`db`](mod@db) (the database), [`audit`] (what happened) and, with the `testing`
//! feature, `testing`. Start with [`guide`], or the README's example.

// The layers, bottom up: each imports only those below it (checked by the `layers` test; see
// docs/architecture.md).
#[cfg(feature = "accounts")]
mod accounts;
mod base;
pub mod db;
mod error;
mod pipeline;
mod server;
pub mod web;

#[cfg(feature = "cli")]
pub mod cli;
pub mod client;
pub mod guide;
#[cfg(feature = "testing")]
pub mod testing;

#[doc(hidden)]
pub mod __private;
// The parsers one by one, for the fuzz targets in `fuzz/` (docs/fuzzing.md).
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod __fuzz;

#[doc = include_str!("../../docs/macros/action.md")]
pub use actions_macros::action;
#[doc = include_str!("../../docs/macros/input.md")]
pub use actions_macros::input;
#[doc = include_str!("../../docs/macros/output.md")]
pub use actions_macros::output;

pub use base::{
    Accept, Action, ActionContext, ActionInput, ActionMeta, ActionOutput, Clock, Idempotency,
    Posture, RequestHead, ResponseHead, State, SystemClock, TransactionStats,
};
pub use base::{ActionCall, ActionHook, CallOutcome};
pub use base::{ActionRateLimit, RateLimit, RateLimitKey, RateLimitStore};
pub use error::{ActionError, ErrorCode, FieldErrors};
pub use pipeline::input::UploadedFile;
pub use server::{
    BuildError, BuildProblem, Caller, Manifest, ManifestAction, ManifestRateLimit, OpenApi,
    Registry, Server, ServerBuilder, SignedIn,
};

/// axum, for an app's own routes beside the actions (`cli::App::pages`, [`Caller`]).
pub use axum;
/// The `cookie` crate, for the cookies actions set and the server's cookie key.
pub use cookie;
/// Diesel, re-exported so apps need no direct dependency: `use actions_runtime::diesel;`
/// makes `table!` and the derives work.
pub use diesel;
/// diesel-async, re-exported for the async query traits.
pub use diesel_async;
/// The `http` types authenticators read (`http::request::Parts`).
pub use http;

/// Who is calling: the signed-in [`User`](auth::User) and its [`Role`](auth::Role), the
/// [`Authenticator`](auth::Authenticator) trait an app implements to bring its own sign-in, and
/// the account service (Better Auth's email + password API) configured by
/// [`AuthConfig`](auth::AuthConfig).
pub mod auth {
    #[cfg(feature = "smtp")]
    pub use crate::accounts::SmtpMailer;
    #[cfg(feature = "accounts")]
    pub use crate::accounts::{
        ADMIN_PERMISSIONS, AuthConfig, AuthConfigError, CreateUserError, DevMailer, ImportError,
        ImportReport, Mail, MailBody, MailContext, MailError, MailKind, MailRetry, MailTemplate,
        Mailer, PasswordCost, RateLimit, RateLimitStore, RateLimits, create_user,
        import_better_auth,
    };
    pub use crate::base::{Authenticator, Claims, Role, RoleError, User};
}

/// May they: the [`Permission`](acl::Permission) an action declares (`acl = "resource:verb"`)
/// and the app's [`Policy`](acl::Policy) that grants it, with typed rules for loaded resources.
pub mod acl {
    pub use crate::base::{Decides, DefaultPolicy, Permission, Policy, ResourceRules};
}

/// The audit log: one event per call of an `audit` action, per authentication event and per
/// access denial.
pub mod audit {
    pub use crate::pipeline::audit::{AuditEvent, AuditOutcome, audit_events as events};
}

/// What handlers import: diesel's query DSL with diesel-async's `RunQueryDsl` (diesel's own
/// prelude would bring the blocking one and make every `.load()` ambiguous), plus the
/// action vocabulary.
pub mod prelude {
    pub use crate::db::{DbConn, Timestamp};
    pub use crate::{
        ActionContext, ActionError, FieldErrors, State, UploadedFile, action, db, diesel, input,
        output,
    };
    pub use diesel::{
        BoolExpressionMethods, EscapeExpressionMethods, ExpressionMethods,
        NullableExpressionMethods, OptionalExtension, QueryDsl, Selectable, SelectableHelper,
        TextExpressionMethods,
    };
    pub use diesel_async::{AsyncConnection, RunQueryDsl};
}
