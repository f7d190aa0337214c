//! Who may do what: the app's one policy. The runtime lets admins do anything and denies
//! everything not granted here.

use crate::actions::account::Account;
use crate::actions::post::Post;
use actions_runtime::{Permission, Policy, User};
use std::any::Any;

/// The blog's access rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct BlogPolicy;

impl Policy for BlogPolicy {
    /// Any signed-in user may write posts, hold accounts and keep a profile; nothing else (reading contact
    /// messages is left to admins).
    fn allows(&self, _user: &User, permission: Permission, _action: &str) -> bool {
        matches!(
            (permission.resource(), permission.verb()),
            ("post", "create" | "update" | "delete")
                | ("account", "open" | "read" | "transfer")
                | ("profile", "write")
        )
    }

    /// Only a post's author changes it; only an account's owner reads it or moves money out.
    fn allows_on(&self, user: &User, permission: Permission, resource: &dyn Any) -> bool {
        if let Some(post) = resource.downcast_ref::<Post>() {
            return permission.resource() == "post" && post.author_id == user.id;
        }
        if let Some(account) = resource.downcast_ref::<Account>() {
            return permission.resource() == "account" && account.owner_id == user.id;
        }
        false
    }
}
