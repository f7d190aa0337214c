//! Everything generated code names, behind one path: `::actions_runtime::__private::…`.
//! Not public API: it changes with the macros that use it.

pub use crate::acl::Permission;
pub use crate::action::{
    Accept, Action, ActionMeta, Posture, Resource, into_action_result, into_loaded,
};
pub use crate::context::ActionContext;
pub use crate::error::{ActionError, FieldErrors};
pub use crate::input::{ActionInput, Invalid};
pub use crate::registry::{RegistryNode, assert_unique_names};
pub use diesel_migrations;
pub use schemars;
pub use serde;
