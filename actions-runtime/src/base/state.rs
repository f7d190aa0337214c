//! The app's own services (a mailer, an HTTP client, its settings), given to the server once
//! with [`ServerBuilder::state`](crate::ServerBuilder::state) and reached by every action:
//! declared as a [`State`] argument (checked when the server is built) or looked up with
//! [`ActionContext::state`](crate::ActionContext::state).

use super::context::ActionContext;
use crate::error::ActionError;
use std::any::{Any, TypeId, type_name};
use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;

/// Values by type, one of each.
#[derive(Default, Clone)]
pub(crate) struct StateMap(HashMap<TypeId, (&'static str, Arc<dyn Any + Send + Sync>)>);

impl StateMap {
    pub(crate) fn insert<T: Send + Sync + 'static>(&mut self, value: T) {
        self.0
            .insert(TypeId::of::<T>(), (type_name::<T>(), Arc::new(value)));
    }

    pub(crate) fn get<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        let (_, value) = self.0.get(&TypeId::of::<T>())?;
        value.clone().downcast::<T>().ok()
    }

    pub(crate) fn contains(&self, type_id: TypeId) -> bool {
        self.0.contains_key(&type_id)
    }
}

impl std::fmt::Debug for StateMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.values().map(|(name, _)| name))
            .finish()
    }
}

/// A piece of the app's state, as an action argument:
/// `async fn send(ctx: &mut ActionContext, input: Message, mailer: State<Mailer>)`.
/// The server refuses to build when an action's state was not given to it.
pub struct State<T>(pub(crate) Arc<T>);

impl<T> State<T> {
    /// The state of `ctx`'s server: how `#[action]` passes a `State<T>` argument (the server
    /// checked when it was built that it has a `T`). The bound is on the method, not the
    /// impl, so state that cannot be shared is reported as such (`T: Sync`), once, on the
    /// argument's `T`.
    #[doc(hidden)]
    pub fn from_context(ctx: &ActionContext) -> Result<State<T>, ActionError>
    where
        T: Send + Sync + 'static,
    {
        ctx.state::<T>().map(State)
    }

    /// The shared value.
    pub fn arc(&self) -> &Arc<T> {
        &self.0
    }
}

impl<T> Deref for State<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Clone for State<T> {
    fn clone(&self) -> State<T> {
        State(self.0.clone())
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for State<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("State").field(&self.0).finish()
    }
}

/// The state types an action's arguments need, collected when the server is built.
#[derive(Debug, Default)]
pub struct StateNeeds(pub(crate) Vec<(TypeId, &'static str)>);

impl StateNeeds {
    /// Records that the action needs a `T`. (Only `'static`: whether a `T` can be state at all
    /// is checked where the action takes it, `State::from_context`, so it is reported once.)
    pub fn add<T: 'static>(&mut self) {
        self.0.push((TypeId::of::<T>(), type_name::<T>()));
    }
}
