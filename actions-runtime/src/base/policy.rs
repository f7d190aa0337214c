//! Access rules: the [`Permission`] an action declares (`acl = "resource:verb"`) and the app's
//! [`Policy`] that grants it.

use super::identity::{Role, User};
use actions_declare::is_lower_identifier;
use serde::{Serialize, Serializer};
use std::any::{Any, TypeId};
use std::collections::HashMap;
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
            is_lower_identifier(resource),
            "a permission's resource is a lower-case identifier"
        );
        assert!(
            is_lower_identifier(verb),
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

/// The app's access rules, implemented once: who holds which permission, and who may apply it
/// to which loaded resource. Deny by default: nothing is allowed unless the policy says so, and
/// no role has power of its own — an app that wants admins to do anything says so here (as
/// [`DefaultPolicy`] does).
///
/// ```
/// use actions_runtime::acl::{Decides, Permission, Policy, ResourceRules};
/// use actions_runtime::auth::{Role, User};
///
/// # struct Post { author_id: i64 }
/// struct Blog;
///
/// const PERMISSIONS: &[Permission] = &[
///     Permission::new("post", "create"),
///     Permission::new("post", "update"),
/// ];
///
/// impl Policy for Blog {
///     fn decides(&self) -> Decides<'_> {
///         Decides::Only(PERMISSIONS)
///     }
///
///     fn allows(&self, user: &User, _permission: Permission, _action: &str) -> bool {
///         user.has_role(&Role::USER) || user.has_role(&Role::ADMIN)
///     }
///
///     fn resources(&self, rules: &mut ResourceRules) {
///         rules.on(|user: &User, _, post: &Post| {
///             user.has_role(&Role::ADMIN) || post.author_id == user.id
///         });
///     }
/// }
/// ```
pub trait Policy: Send + Sync + 'static {
    /// The permissions this policy decides. [`ServerBuilder::build`](crate::ServerBuilder::build)
    /// refuses an action whose `acl = "…"` names one outside them, so a typo fails at startup
    /// instead of answering `403` forever.
    fn decides(&self) -> Decides<'_>;

    /// Whether `user` holds `permission` at all — asked before the request body is read.
    /// `action` is the resolved wire name (`post.update`), never the raw request path.
    fn allows(&self, user: &User, permission: Permission, action: &str) -> bool {
        let _ = (user, permission, action);
        false
    }

    /// The rules for resources that actions load with `load = …`, one per resource type, asked
    /// after decoding, inside the action's transaction, before the handler runs. Called once,
    /// when the server is built; a resource type without a rule is refused.
    fn resources(&self, rules: &mut ResourceRules) {
        let _ = rules;
    }
}

/// Which permissions a [`Policy`] decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decides<'a> {
    /// Every permission (a policy keyed on roles alone, like [`DefaultPolicy`]).
    Every,
    /// These, and no others.
    Only(&'a [Permission]),
}

impl Decides<'_> {
    /// Whether `permission` is among them.
    pub fn includes(&self, permission: Permission) -> bool {
        match self {
            Decides::Every => true,
            Decides::Only(list) => list.contains(&permission),
        }
    }
}

/// A rule deciding whether a user may apply a permission to one loaded resource.
type Rule = Box<dyn Fn(&User, Permission, &dyn Any) -> bool + Send + Sync>;
/// The rule for resource types without one of their own.
type Otherwise = Box<dyn Fn(&User, Permission) -> bool + Send + Sync>;

/// The resource rules of a [`Policy`], each for one resource type, so rules read the loaded
/// resource typed (`&Post`), never as `&dyn Any` to downcast.
#[derive(Default)]
pub struct ResourceRules {
    rules: HashMap<TypeId, (&'static str, Rule)>,
    /// For resource types without a rule of their own.
    otherwise: Option<Otherwise>,
}

impl ResourceRules {
    /// The rule for resources of type `R`: whether `user` may apply the permission to this one.
    /// A second rule for the same type replaces the first.
    pub fn on<R: Any + Send + Sync>(
        &mut self,
        rule: impl Fn(&User, Permission, &R) -> bool + Send + Sync + 'static,
    ) -> &mut ResourceRules {
        let checked: Rule = Box::new(move |user, permission, resource| {
            resource
                .downcast_ref::<R>()
                .is_some_and(|resource| rule(user, permission, resource))
        });
        self.rules
            .insert(TypeId::of::<R>(), (std::any::type_name::<R>(), checked));
        self
    }

    /// The rule for resources of every type without a rule of its own (a policy keyed on
    /// roles alone: `rules.otherwise(|user, _| user.has_role(&Role::ADMIN))`).
    pub fn otherwise(
        &mut self,
        rule: impl Fn(&User, Permission) -> bool + Send + Sync + 'static,
    ) -> &mut ResourceRules {
        self.otherwise = Some(Box::new(rule));
        self
    }

    /// Whether a rule covers resources of the type `type_id`.
    pub(crate) fn covers(&self, type_id: TypeId) -> bool {
        self.otherwise.is_some() || self.rules.contains_key(&type_id)
    }

    /// What the rule for `resource`'s type says; `None` when no rule covers it.
    pub(crate) fn allows(
        &self,
        user: &User,
        permission: Permission,
        resource: &(dyn Any + Send + Sync),
    ) -> Option<bool> {
        match (self.rules.get(&(*resource).type_id()), &self.otherwise) {
            (Some((_, rule)), _) => Some(rule(user, permission, resource)),
            (None, Some(otherwise)) => Some(otherwise(user, permission)),
            (None, None) => None,
        }
    }
}

impl fmt::Debug for ResourceRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResourceRules")
            .field(
                "types",
                &self
                    .rules
                    .values()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("otherwise", &self.otherwise.is_some())
            .finish()
    }
}

/// Admins may do anything; everyone else nothing. What a server without its own policy uses.
/// Install your own policy to grant permissions to users.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultPolicy;

impl Policy for DefaultPolicy {
    fn decides(&self) -> Decides<'_> {
        Decides::Every
    }

    fn allows(&self, user: &User, _: Permission, _: &str) -> bool {
        user.has_role(&Role::ADMIN)
    }

    fn resources(&self, rules: &mut ResourceRules) {
        rules.otherwise(|user, _| user.has_role(&Role::ADMIN));
    }
}

/// A policy with the resource rules it declared, ready to ask: what the server keeps.
pub(crate) struct CompiledPolicy {
    pub(crate) policy: Box<dyn Policy>,
    pub(crate) resources: ResourceRules,
}

impl CompiledPolicy {
    pub(crate) fn new(policy: Box<dyn Policy>) -> CompiledPolicy {
        let mut resources = ResourceRules::default();
        policy.resources(&mut resources);
        CompiledPolicy { policy, resources }
    }
}
