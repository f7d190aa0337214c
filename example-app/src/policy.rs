//! Who may do what: the app's one policy. Admins may do anything; every other signed-in user
//! what is granted here, and nothing else.

use crate::actions::account::Account;
use crate::actions::post::Post;
use actions_runtime::acl::{Decides, Permission, Policy, ResourceRules};
use actions_runtime::auth::{Role, User};

/// Every permission the blog's actions declare.
const PERMISSIONS: &[Permission] = &[
    Permission::new("post", "create"),
    Permission::new("post", "update"),
    Permission::new("post", "delete"),
    Permission::new("account", "open"),
    Permission::new("account", "read"),
    Permission::new("account", "transfer"),
    Permission::new("profile", "write"),
    Permission::new("contact", "read"),
    Permission::new("audit", "list"),
];

/// The blog's access rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct BlogPolicy;

impl Policy for BlogPolicy {
    fn decides(&self) -> Decides<'_> {
        Decides::Only(PERMISSIONS)
    }

    /// Any signed-in user may write posts, hold accounts and keep a profile; reading contact
    /// messages and the audit log is left to admins.
    fn allows(&self, user: &User, permission: Permission, _action: &str) -> bool {
        user.has_role(&Role::ADMIN)
            || matches!(
                (permission.resource(), permission.verb()),
                ("post", "create" | "update" | "delete")
                    | ("account", "open" | "read" | "transfer")
                    | ("profile", "write")
            )
    }

    /// Only a post's author (or an admin) changes it; only an account's owner (or an admin)
    /// reads it or moves money out.
    fn resources(&self, rules: &mut ResourceRules) {
        rules
            .on(|user: &User, _, post: &Post| {
                user.has_role(&Role::ADMIN) || post.author_id == user.id
            })
            .on(|user: &User, _, account: &Account| {
                user.has_role(&Role::ADMIN) || account.owner_id == user.id
            });
    }
}
