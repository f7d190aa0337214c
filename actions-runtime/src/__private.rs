//! Everything generated code names, behind one path: `::actions_runtime::__private::…`.
//! Not public API: it changes with the macros that use it.

pub use crate::acl::Permission;
pub use crate::action::{
    Accept, Action, ActionMeta, Idempotency, Isolation, Posture, Resource, into_action_result,
    into_loaded, record_input,
};
pub use crate::context::ActionContext;
pub use crate::error::{ActionError, FieldErrors};
pub use crate::input::nested::{
    Decode, DecodeInput, DecodeValue, Nested, Skip, Validate, expect_object, unknown_fields,
};
pub use crate::input::presence::{column_accepts, double_option, nullable, present};
pub use crate::input::rules;
pub use crate::input::{ActionInput, Invalid, Wire, WireType};
pub use crate::registry::{RegistryNode, assert_unique_names};
pub use diesel;
pub use diesel_migrations;
pub use regex_lite::{Error as RegexError, Regex};
pub use schemars;
pub use serde;
pub use serde_json;
