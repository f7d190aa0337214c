//! The bottom layer: what every stage of the pipeline depends on, and which depends on no
//! stage. The declarations `#[action]` writes (posture, permission, transaction, body
//! encoding), the [`Action`], [`ActionInput`] and [`ActionOutput`] contracts, who is calling
//! ([`User`], [`Authenticator`]), the access rules ([`Policy`]), the clock, the request id, and
//! the [`ActionContext`] a handler runs with.
//!
//! May import: `error`, `db`. Nothing above.

mod action;
mod audit_queue;
mod clock;
mod context;
#[cfg(feature = "testing")]
pub(crate) mod fault;
mod hook;
mod identity;
mod input;
pub(crate) mod limit_store;
mod output;
mod policy;
mod request;
mod request_id;
mod response;
mod services;
mod state;
pub(crate) mod wire;

pub use action::{
    Action, ActionMeta, ActionRateLimit, LoadedBy, LoaderKind, NotALoader, Resource, ResourceKind,
};
pub use action::{into_action_result, into_loaded, record_input};
/// The declarations `#[action]` records, shared with the macros so both spell them once.
pub use actions_declare::{Accept, Idempotency, Posture, RateLimitKey};
pub(crate) use audit_queue::{AuditJob, AuditQueue, AuditRecord};
pub use clock::{Clock, SystemClock};
pub use context::ActionContext;
pub(crate) use hook::Hooks;
pub use hook::{ActionCall, ActionHook, CallOutcome};
pub use identity::{Authenticator, Claims, Role, RoleError, User};
pub use input::{ActionInput, Invalid};
pub use limit_store::{RateLimit, RateLimitStore};
pub use output::ActionOutput;
pub(crate) use output::Encoded;
pub(crate) use policy::CompiledPolicy;
pub use policy::{Decides, DefaultPolicy, Permission, Policy, ResourceRules};
pub(crate) use request::BrowserForm;
pub use request::RequestHead;
#[cfg(feature = "accounts")]
pub(crate) use request::{client_ip, request_cookies};
pub(crate) use request_id::{RequestIds, new_request_id, request_id};
pub use response::ResponseHead;
pub(crate) use services::Services;
pub use services::TransactionStats;
pub(crate) use state::StateMap;
pub use state::{State, StateNeeds};
