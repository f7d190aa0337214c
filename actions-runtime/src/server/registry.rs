//! [`Registry`]: the app's actions gathered in one place, like Astro's `src/actions/index.ts`.
//! Namespaces give dotted wire names (`post.create`); a duplicate name fails to compile when
//! the registry is written with [`registry!`](crate::registry!), and fails
//! [`Server::build`](crate::ServerBuilder::build) when registries are combined at run time.

use crate::base::{Action, ActionInput, ResourceKind, StateNeeds};
use crate::error::ActionError;
use crate::pipeline;
use crate::pipeline::ErasedAction;
use std::any::{TypeId, type_name};
use std::sync::Arc;

/// One registered action: its full name, declaration, schemas and pipeline.
pub(crate) struct ActionEntry {
    pub(crate) name: Arc<str>,
    pub(crate) type_id: TypeId,
    pub(crate) input_type: &'static str,
    pub(crate) output_type: &'static str,
    pub(crate) input_schema: serde_json::Value,
    pub(crate) output_schema: serde_json::Value,
    /// Whether the output is `()`, answered `204 No Content`.
    pub(crate) no_content: bool,
    /// The type of the resource it loads for the policy (`load = …`).
    pub(crate) resource: Option<ResourceKind>,
    /// The app state its `State<T>` arguments need.
    pub(crate) state: Vec<(TypeId, &'static str)>,
    /// Mistakes in the input type's declaration (patterns that do not compile).
    pub(crate) input_problems: Vec<String>,
    /// Decodes and validates a JSON body as the server does, for tests.
    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    pub(crate) check_input: fn(&[u8]) -> Result<(), ActionError>,
    /// Decodes and validates an urlencoded form body as the server does, for tests.
    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    pub(crate) check_form: fn(&[u8]) -> Result<(), ActionError>,
    /// Its declaration (`steps.meta`) and what the pipeline calls of it.
    pub(crate) steps: ErasedAction,
}

/// The set of actions a server serves.
///
/// Usually written with [`registry!`](crate::registry!); the methods compose registries built
/// in different modules.
#[derive(Default)]
pub struct Registry {
    pub(crate) entries: Vec<ActionEntry>,
    pub(crate) errors: Vec<String>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("actions", &self.names())
            .finish()
    }
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Adds action `A` under its own name.
    pub fn with<A: Action>(mut self) -> Registry {
        register::<A>(&mut self, "");
        self
    }

    /// Adds every action of `inner` under `namespace` (`post` makes `create` into `post.create`).
    pub fn nest(mut self, namespace: &str, inner: Registry) -> Registry {
        if !actions_declare::is_name_segment(namespace) {
            self.errors.push(format!(
                "invalid namespace {namespace:?}: use letters, digits and `_`, starting with a letter"
            ));
        }
        for mut entry in inner.entries {
            entry.name = format!("{namespace}.{}", entry.name).into();
            self.entries.push(entry);
        }
        self.errors.extend(inner.errors);
        self
    }

    /// Adds every action of `other` as it is named there.
    pub fn merge(mut self, other: Registry) -> Registry {
        self.entries.extend(other.entries);
        self.errors.extend(other.errors);
        self
    }

    /// The full wire names, in registration order.
    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|entry| &*entry.name).collect()
    }

    /// Builds a registry from the tree `registry!` checked at compile time.
    #[doc(hidden)]
    pub fn from_tree(tree: &[RegistryNode]) -> Registry {
        let mut registry = Registry::new();
        add_tree(&mut registry, tree, "");
        registry
    }
}

fn add_tree(registry: &mut Registry, tree: &[RegistryNode], prefix: &str) {
    for node in tree {
        match node {
            RegistryNode::Action { register, .. } => register(registry, prefix),
            RegistryNode::Namespace(namespace, inner) => {
                add_tree(registry, inner, &format!("{prefix}{namespace}."));
            }
        }
    }
}

fn register<A: Action>(registry: &mut Registry, prefix: &str) {
    registry.entries.push(ActionEntry {
        name: format!("{prefix}{}", A::NAME).into(),
        type_id: TypeId::of::<A>(),
        input_type: type_name::<A::Input>(),
        output_type: type_name::<A::Output>(),
        input_schema: super::json_schema::input_schema::<A::Input>(),
        output_schema: super::json_schema::output_schema::<A::Output>(),
        no_content: TypeId::of::<A::Output>() == TypeId::of::<()>(),
        resource: A::resource(),
        state: {
            let mut needs = StateNeeds::default();
            A::state(&mut needs);
            needs.0
        },
        input_problems: <A::Input as ActionInput>::declaration_errors(),
        check_input: pipeline::input::check_json::<A::Input>,
        check_form: pipeline::input::check_form::<A::Input>,
        steps: ErasedAction::of::<A>(),
    });
}

/// A node of the tree `registry!` builds at compile time.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum RegistryNode {
    /// An action, with its leaf name and how to register it.
    Action {
        name: &'static str,
        register: fn(&mut Registry, &str),
    },
    /// A namespace and what it holds.
    Namespace(&'static str, &'static [RegistryNode]),
}

impl RegistryNode {
    /// The node of action `A`.
    pub const fn action<A: Action>() -> RegistryNode {
        RegistryNode::Action {
            name: A::NAME,
            register: register::<A>,
        }
    }
}

/// Gathers the app's actions, with namespaces for dotted names, checking at compile time
/// that no two share a name:
///
/// ```ignore
/// pub fn actions() -> Registry {
///     actions_runtime::registry! {
///         health,                                         // "health"
///         post: { post::create, post::get, post::list },  // "post.create", …
///         admin: { users: { admin::ban } },               // "admin.users.ban"
///     }
/// }
/// ```
#[macro_export]
macro_rules! registry {
    ($($body:tt)*) => {{
        const __ACTIONS_REGISTRY: &[$crate::__private::RegistryNode] =
            $crate::__registry_tree!(@acc [] $($body)*);
        const _: () = $crate::__private::assert_unique_names(__ACTIONS_REGISTRY);
        $crate::Registry::from_tree(__ACTIONS_REGISTRY)
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __registry_tree {
    (@acc [$($acc:expr,)*]) => {
        &[$($acc,)*]
    };
    (@acc [$($acc:expr,)*] $namespace:ident : { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        $crate::__registry_tree!(@acc [
            $($acc,)*
            $crate::__private::RegistryNode::Namespace(
                stringify!($namespace),
                $crate::__registry_tree!(@acc [] $($inner)*),
            ),
        ] $($($rest)*)?)
    };
    (@acc [$($acc:expr,)*] $action:path $(, $($rest:tt)*)?) => {
        $crate::__registry_tree!(@acc [
            $($acc,)*
            $crate::__private::RegistryNode::action::<$action>(),
        ] $($($rest)*)?)
    };
}

/// Most actions and deepest nesting one `registry!` checks at compile time.
const MAX_ACTIONS: usize = 1024;
const MAX_DEPTH: usize = 8;

type FlatName = (usize, [&'static str; MAX_DEPTH]);

/// Fails compilation when two actions of `tree` share a full name, naming it.
#[doc(hidden)]
pub const fn assert_unique_names(tree: &[RegistryNode]) {
    let mut names: [FlatName; MAX_ACTIONS] = [(0, [""; MAX_DEPTH]); MAX_ACTIONS];
    let mut path = [""; MAX_DEPTH];
    let count = flatten(tree, &mut path, 0, &mut names, 0);
    let mut i = 0;
    while i < count {
        let mut j = i + 1;
        while j < count {
            if same_name(&names[i], &names[j]) {
                duplicate(&names[i]);
            }
            j += 1;
        }
        i += 1;
    }
}

const fn flatten(
    tree: &[RegistryNode],
    path: &mut [&'static str; MAX_DEPTH],
    depth: usize,
    names: &mut [FlatName; MAX_ACTIONS],
    mut count: usize,
) -> usize {
    let mut i = 0;
    while i < tree.len() {
        match tree[i] {
            RegistryNode::Action { name, .. } => {
                assert!(
                    count < MAX_ACTIONS,
                    "registry! checks at most 1024 actions; combine registries with Registry::merge"
                );
                path[depth] = name;
                names[count] = (depth + 1, *path);
                count += 1;
            }
            RegistryNode::Namespace(namespace, inner) => {
                assert!(
                    depth + 1 < MAX_DEPTH,
                    "registry! namespaces nest at most 7 deep"
                );
                path[depth] = namespace;
                count = flatten(inner, path, depth + 1, names, count);
            }
        }
        i += 1;
    }
    count
}

const fn same_name(a: &FlatName, b: &FlatName) -> bool {
    if a.0 != b.0 {
        return false;
    }
    let mut k = 0;
    while k < a.0 {
        if !same_str(a.1[k], b.1[k]) {
            return false;
        }
        k += 1;
    }
    true
}

const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Panics (at compile time) with "two actions are registered as `post.create`; …".
const fn duplicate(name: &FlatName) {
    let mut buffer = [0u8; 512];
    let mut len = push(&mut buffer, 0, "two actions are registered as `");
    let mut k = 0;
    while k < name.0 {
        if k > 0 {
            len = push(&mut buffer, len, ".");
        }
        len = push(&mut buffer, len, name.1[k]);
        k += 1;
    }
    len = push(
        &mut buffer,
        len,
        "`; rename one with #[action(name = \"...\")] or move it to another namespace",
    );
    let message = match std::str::from_utf8(buffer.split_at(len).0) {
        Ok(message) => message,
        Err(_) => "two actions are registered under the same name",
    };
    panic!("{}", message);
}

const fn push(buffer: &mut [u8; 512], mut len: usize, text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && len < buffer.len() {
        buffer[len] = bytes[i];
        len += 1;
        i += 1;
    }
    len
}
