//! Access rules: the [`Permission`] an action declares (`acl = "resource:verb"`) and the app's
//! [`Policy`] that grants it.

use super::identity::User;
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
