//! [`ActionHook`]: the app's own code around every action call. A hook runs after auth and the
//! ACL — none can skip or precede them — and before the body is read, so a refused call never
//! reads it; then it sees the outcome. Hooks run in the order they were registered
//! ([`ServerBuilder::hook`](crate::ServerBuilder::hook)), over HTTP and in process alike.

use super::action::ActionMeta;
use super::context::ActionContext;
use super::identity::User;
use super::policy::Permission;
use super::request::RequestHead;
use super::services::Services;
use crate::error::{ActionError, ErrorCode};
use actions_declare::Posture;
use futures_util::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;

/// Middleware around actions: [`before`](ActionHook::before) may refuse a call,
/// [`after`](ActionHook::after) sees how it ended. Register with
/// [`ServerBuilder::hook`](crate::ServerBuilder::hook).
///
/// `before` runs once the caller passed auth (`401`) and the ACL (`403`), before the request
/// body is read or decoded; the first hook that returns an error ends the call with it (later
/// hooks' `before` and the handler do not run). `after` runs for every call that reached the
/// hooks, in the same order, refused by a hook or not.
pub trait ActionHook: Send + Sync + 'static {
    /// Before the handler (and before the body is read): `Err` refuses the call with that
    /// error, answered as any other.
    fn before<'a>(&'a self, call: &'a ActionCall<'a>) -> BoxFuture<'a, Result<(), ActionError>> {
        let _ = call;
        Box::pin(std::future::ready(Ok(())))
    }

    /// After the call: its outcome and how long it took. Runs once the answer is decided, before
    /// it is sent; keep it quick (hand slow work to a task).
    fn after(&self, call: &ActionCall<'_>, outcome: &CallOutcome<'_>) {
        let _ = (call, outcome);
    }
}

/// The call a hook is asked about: which action, by whom, for which request.
#[derive(Clone, Copy)]
pub struct ActionCall<'a> {
    name: &'a str,
    meta: &'a ActionMeta,
    user: Option<&'a User>,
    request: Option<&'a RequestHead>,
    request_id: &'a str,
    services: &'a Services,
}

impl std::fmt::Debug for ActionCall<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionCall")
            .field("name", &self.name())
            .field("request_id", &self.request_id())
            .field("user", &self.user().map(|user| user.id))
            .finish_non_exhaustive()
    }
}

impl<'a> ActionCall<'a> {
    /// The call `ctx` makes to an action declared `meta` (the context's parts are borrowed
    /// one by one: a hook's future must be `Send`, and the context, holding a connection, is
    /// not `Sync`).
    pub(crate) fn new(ctx: &'a ActionContext, meta: &'a ActionMeta) -> ActionCall<'a> {
        ActionCall {
            name: ctx.action_name(),
            meta,
            user: ctx.current_user(),
            request: ctx.request(),
            request_id: ctx.request_id(),
            services: ctx.services(),
        }
    }

    /// The action's wire name (`post.create`).
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// Everything the action declares (posture, permission, transaction, rate limit, …).
    pub fn meta(&self) -> &'a ActionMeta {
        self.meta
    }

    /// Who may call it: `public` or `auth`.
    pub fn posture(&self) -> Posture {
        self.meta.posture
    }

    /// The permission the ACL granted (`acl = "…"`), if it declares one.
    pub fn permission(&self) -> Option<Permission> {
        self.meta.acl
    }

    /// The signed-in user, already checked by auth and the ACL; `None` on a public action
    /// called without a session.
    pub fn user(&self) -> Option<&'a User> {
        self.user
    }

    /// The HTTP request's head (method, URI, headers, client address); `None` in process.
    pub fn request(&self) -> Option<&'a RequestHead> {
        self.request
    }

    /// The request id, as the logs and `5xx` bodies carry it.
    pub fn request_id(&self) -> &'a str {
        self.request_id
    }

    /// The app's state of type `T` ([`ServerBuilder::state`](crate::ServerBuilder::state)).
    pub fn state<T: Send + Sync + 'static>(&self) -> Result<Arc<T>, ActionError> {
        self.services.state.get::<T>().ok_or_else(|| {
            ActionError::internal(format!(
                "no state of type {}: give it to the server with ServerBuilder::state",
                std::any::type_name::<T>()
            ))
        })
    }
}

/// How a call ended, as [`ActionHook::after`] sees it.
#[derive(Debug, Clone, Copy)]
pub struct CallOutcome<'a> {
    error: Option<&'a ActionError>,
    duration: Duration,
}

impl<'a> CallOutcome<'a> {
    pub(crate) fn new(error: Option<&'a ActionError>, duration: Duration) -> CallOutcome<'a> {
        CallOutcome { error, duration }
    }

    /// Whether the handler ran and its answer is a success.
    pub fn is_success(&self) -> bool {
        self.error.is_none()
    }

    /// The error the call was answered with, if any (a hook's refusal included).
    pub fn error(&self) -> Option<&'a ActionError> {
        self.error
    }

    /// The error's code (`TOO_MANY_REQUESTS`, `BAD_REQUEST`, …); `None` on success.
    pub fn error_code(&self) -> Option<ErrorCode> {
        self.error.map(ActionError::code)
    }

    /// From the start of the call (auth included) until its answer was decided.
    pub fn duration(&self) -> Duration {
        self.duration
    }
}

/// The server's hooks, in registration order.
#[derive(Clone, Default)]
pub(crate) struct Hooks(pub(crate) Vec<Arc<dyn ActionHook>>);

impl Hooks {
    /// Every hook's `before`, in order, until one refuses.
    pub(crate) async fn before(&self, call: &ActionCall<'_>) -> Result<(), ActionError> {
        for hook in &self.0 {
            hook.before(call).await?;
        }
        Ok(())
    }

    /// Every hook's `after`, in order.
    pub(crate) fn after(&self, call: &ActionCall<'_>, outcome: &CallOutcome<'_>) {
        for hook in &self.0 {
            hook.after(call, outcome);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
