//! Stage 2 of the pipeline — may they: the [`Permission`] an action declares
//! (`acl = "resource:verb"`) and the app's [`Policy`] that grants it, checked before the
//! request body is read.

use crate::auth::{Role, User};
use crate::context::ActionContext;
use crate::error::ActionError;
use serde::{Serialize, Serializer};
use std::any::Any;
use std::fmt;

/// A permission, `resource:verb` (`post:update`). `#[action]` checks the syntax at compile time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Permission {
    resource: &'static str,
    verb: &'static str,
}

impl Permission {
    /// `resource:verb`, each a lower-case identifier; anything else fails to compile when used
    /// in a constant.
    pub const fn new(resource: &'static str, verb: &'static str) -> Permission {
        assert!(
            is_identifier(resource),
            "a permission's resource is a lower-case identifier"
        );
        assert!(
            is_identifier(verb),
            "a permission's verb is a lower-case identifier"
        );
        Permission { resource, verb }
    }

    /// The resource (`post`).
    pub fn resource(&self) -> &'static str {
        self.resource
    }

    /// The verb (`update`).
    pub fn verb(&self) -> &'static str {
        self.verb
    }
}

const fn is_identifier(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_lowercase() {
        return false;
    }
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return false;
        }
        i += 1;
    }
    true
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.resource, self.verb)
    }
}

impl Serialize for Permission {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The app's access rules, implemented once. Deny by default: both methods answer `false`
/// unless overridden. Admins are allowed everything by the runtime without asking the policy.
///
/// `action` is the resolved wire name (`post.update`), never the raw request path.
pub trait Policy: Send + Sync + 'static {
    /// Whether `user` holds `permission` at all — asked before the request body is read.
    fn allows(&self, user: &User, permission: Permission, action: &str) -> bool {
        let _ = (user, permission, action);
        false
    }

    /// Whether `user` may apply `permission` to `resource`, which the action loaded with
    /// `load = …` (downcast it: `resource.downcast_ref::<Post>()`) — asked after decoding,
    /// inside the action's transaction, before the handler runs.
    fn allows_on(&self, user: &User, permission: Permission, resource: &dyn Any) -> bool {
        let _ = (user, permission, resource);
        false
    }
}

/// Deny everything; admins may do anything (the runtime's base). Install your own policy to
/// grant permissions to users.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultPolicy;

impl Policy for DefaultPolicy {}

/// `403 FORBIDDEN` unless the user may hold the action's permission; asked before the body is
/// read. Every denial is logged.
pub(crate) fn authorize(
    ctx: &ActionContext,
    permission: Option<Permission>,
) -> Result<(), ActionError> {
    let Some(permission) = permission else {
        return Ok(());
    };
    let user = ctx.user()?;
    if user.role == Role::Admin
        || ctx
            .server()
            .policy
            .allows(user, permission, ctx.action_name())
    {
        return Ok(());
    }
    Err(deny(ctx, user, permission, "permission"))
}

/// `403 FORBIDDEN` unless the user may apply the permission to the loaded resource.
pub(crate) fn authorize_on(
    ctx: &ActionContext,
    permission: Permission,
    resource: &dyn Any,
) -> Result<(), ActionError> {
    let user = ctx.user()?;
    if user.role == Role::Admin || ctx.server().policy.allows_on(user, permission, resource) {
        return Ok(());
    }
    Err(deny(ctx, user, permission, "resource"))
}

fn deny(ctx: &ActionContext, user: &User, permission: Permission, check: &str) -> ActionError {
    tracing::warn!(
        request_id = ctx.request_id(),
        user_id = user.id,
        role = user.role.as_str(),
        action = ctx.action_name(),
        %permission,
        check,
        at = %crate::Timestamp::now(),
        "access denied"
    );
    ActionError::forbidden(format!(
        "you do not have the `{permission}` permission here"
    ))
    .into_denial()
}
