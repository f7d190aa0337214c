//! Everything generated code names, behind one path: `::actions_runtime::__private::…`.
//! Not public API: it changes with the macros that use it.

pub use crate::base::wire::{DecodeError, Payload};
pub use crate::base::{
    Accept, Action, ActionContext, ActionInput, ActionMeta, Idempotency, Invalid, LoadedBy,
    LoaderKind, NotALoader, Permission, Posture, RateLimitKey, Resource, ResourceKind, State,
    StateNeeds, into_action_result, into_loaded, record_input,
};
pub use crate::db::{Decimal, Isolation, Timestamp, Wire, WireType};
pub use crate::error::{ActionError, FieldErrors};
pub use crate::pipeline::input::fields::{
    Decode, DecodeInput, DecodeList, DecodeValue, Decoder, Fields, check,
};
pub use crate::pipeline::input::nested::{Nested, Skip, Validate};
pub use crate::pipeline::input::presence::{
    SameType, column_accepts, double_option, nullable, present, same_type,
};
pub use crate::pipeline::input::rules;
pub use crate::server::registry::{RegistryNode, assert_unique_names};
pub use chrono;
pub use diesel;
pub use diesel_migrations;
pub use regex_lite::{Error as RegexError, Regex};
pub use schemars;
pub use serde;
pub use serde_json;
pub use uuid;
