//! Stage 2 of the pipeline — may they: the app's policy grants the permission the action
//! declares, checked before the request body is read, and again on the loaded resource (inside
//! the transaction) for actions that declare `load`.

use crate::base::{ActionContext, Permission, User};
use crate::error::ActionError;
use std::any::Any;

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
    let policy = &ctx.services().policy.policy;
    if policy.allows(user, permission, ctx.action_name()) {
        return Ok(());
    }
    Err(deny(ctx, user, permission, "permission"))
}

/// `403 FORBIDDEN` unless the user may apply the permission to the loaded resource, by the
/// policy's rule for its type (a type without a rule is refused, and logged as a mistake).
pub(crate) fn authorize_on(
    ctx: &ActionContext,
    permission: Permission,
    resource: &(dyn Any + Send + Sync),
) -> Result<(), ActionError> {
    let user = ctx.user()?;
    match ctx
        .services()
        .policy
        .resources
        .allows(user, permission, resource)
    {
        Some(true) => Ok(()),
        Some(false) => Err(deny(ctx, user, permission, "resource")),
        None => {
            tracing::error!(
                request_id = ctx.request_id(),
                action = ctx.action_name(),
                "the policy has no rule for the resource this action loads: add one in Policy::resources"
            );
            Err(deny(ctx, user, permission, "resource"))
        }
    }
}

fn deny(ctx: &ActionContext, user: &User, permission: Permission, check: &str) -> ActionError {
    tracing::warn!(
        request_id = ctx.request_id(),
        user_id = user.id,
        role = user.role.as_str(),
        action = ctx.action_name(),
        %permission,
        check,
        "access denied"
    );
    ActionError::forbidden(format!(
        "you do not have the `{permission}` permission here"
    ))
    .into_denial()
}
