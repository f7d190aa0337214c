//! What `#[action]` implements: the [`Action`] trait and the metadata it carries.

use super::context::ActionContext;
use super::input::ActionInput;
use super::limit_store::RateLimit;
use super::output::ActionOutput;
use super::policy::Permission;
use super::state::StateNeeds;
use crate::db::Isolation;
use crate::error::ActionError;
use actions_declare::{Accept, Idempotency, Posture, RateLimitKey};
use serde::Serialize;
use std::any::{Any, TypeId, type_name};
use std::future::Future;
use std::marker::PhantomData;
use std::num::NonZeroU32;
use std::time::Duration;

/// One server action. `#[action]` implements it on a handle named like the function, so
/// `post::create` is both the function (a value) and its handle (a type):
/// `registry! { post: { post::create } }`.
///
/// The runtime drives every request through the same pipeline using only this trait:
/// auth posture → ACL → decode and validate [`Self::Input`] → transaction → [`Self::call`] →
/// serialize [`Self::Output`].
///
/// **Generated only.** Implement it with `#[action]`, never by hand: its items are the
/// contract between the macro and the runtime, and change with them (the macro's checks — a
/// stated posture, a `Clone` input under `tx` — are what keep a hand-written impl honest).
pub trait Action: 'static {
    /// The decoded, validated request body.
    type Input: ActionInput;
    /// The response body on success (`()` answers `204 No Content`).
    type Output: ActionOutput;
    /// The wire name within its namespace (the function's name unless `name = "..."`).
    const NAME: &'static str;
    /// Posture, permission, transaction and body encoding, as declared.
    const META: ActionMeta;

    /// Loads the resource the ACL policy decides on (`load = path` in `#[action]`); `None`
    /// means it does not exist (`404`). Runs after decoding, inside the transaction under `tx`.
    fn load<'a>(
        ctx: &'a mut ActionContext,
        input: &'a Self::Input,
    ) -> impl Future<Output = Result<Option<Resource>, ActionError>> + Send + 'a {
        let _ = (ctx, input);
        std::future::ready(Ok(None))
    }

    /// The type of the resource `load` loads, so the server can check when it is built that the
    /// policy has a rule for it. `#[action(load = …)]` names it.
    fn resource() -> Option<ResourceKind> {
        None
    }

    /// The app state the function's [`State`](crate::State) arguments need, so the server can
    /// check when it is built that it has each. `#[action]` lists them.
    fn state(needs: &mut StateNeeds) {
        let _ = needs;
    }

    /// A copy of the input for running the handler again after its transaction lost a
    /// serialization conflict or a deadlock. `#[action(tx)]` clones it (so a `tx` input must be
    /// `Clone`); without `tx` nothing is retried.
    fn retry_input(input: &Self::Input) -> Option<Self::Input> {
        let _ = input;
        None
    }

    /// The validated input as JSON, for the idempotency fingerprint and the audit log.
    /// `#[action(idempotent)]` and `#[action(audit)]` serialize it (so their input must be
    /// `Serialize`, which `#[input]` derives); otherwise nothing is recorded.
    fn record(input: &Self::Input) -> Option<serde_json::Value> {
        let _ = input;
        None
    }

    /// Runs the user's function.
    fn call(
        ctx: &mut ActionContext,
        input: Self::Input,
    ) -> impl Future<Output = Result<Self::Output, ActionError>> + Send + '_;
}

/// An action's declaration, as written in `#[action(...)]`: read it (the manifest, a test, a
/// tool), never build it; `#[action]` does, and fields may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionMeta {
    /// Who may call it.
    pub posture: Posture,
    /// The permission the ACL policy must grant (`acl = "resource:verb"`).
    pub acl: Option<Permission>,
    /// Whether the handler runs in one database transaction (`tx`), and at which isolation
    /// level.
    pub tx: Option<Isolation>,
    /// Which request bodies it accepts.
    pub accept: Accept,
    /// Whether it loads its resource for the policy (`load = path`).
    pub load: bool,
    /// Whether it honours an `Idempotency-Key` header (`idempotent`), and whether it requires
    /// one (`idempotent(required)`).
    pub idempotent: Option<Idempotency>,
    /// Whether each call writes an audit event (`audit`).
    pub audit: bool,
    /// How often one caller may call it (`rate_limit = "10/min"`).
    pub rate_limit: Option<ActionRateLimit>,
    /// Where a browser's form post goes once it succeeded (`redirect = "/posts/{id}"`), its
    /// `{field}` placeholders filled from the output's top-level fields (each one the output
    /// always has as a string, number or boolean, checked when the server is built).
    pub redirect: Option<&'static str>,
    /// The function's doc comment, as written (the OpenAPI document's summary and
    /// description); `None` without one.
    pub description: Option<&'static str>,
}

/// How `#[action]` writes the declaration, in a constant: the posture, then each key that was
/// given (`ActionMeta::declare(Posture::Public).with_accept(Accept::Form)`). What was not given
/// keeps its default, so a field added here needs no change to expanded code.
impl ActionMeta {
    /// Metadata of the stand-in handle `#[action]` emits after a compile error; never served.
    #[doc(hidden)]
    pub const INVALID: ActionMeta = ActionMeta::declare(Posture::Authenticated);

    /// An action with this posture and nothing else: no permission, no transaction, JSON
    /// bodies, nothing loaded, no idempotency key, no audit.
    #[doc(hidden)]
    pub const fn declare(posture: Posture) -> ActionMeta {
        ActionMeta {
            posture,
            acl: None,
            tx: None,
            accept: Accept::Json,
            load: false,
            idempotent: None,
            audit: false,
            rate_limit: None,
            redirect: None,
            description: None,
        }
    }

    /// `acl = "resource:verb"`.
    #[doc(hidden)]
    pub const fn with_acl(mut self, permission: Permission) -> ActionMeta {
        self.acl = Some(permission);
        self
    }

    /// `tx`, `tx(level)`.
    #[doc(hidden)]
    pub const fn with_tx(mut self, isolation: Isolation) -> ActionMeta {
        self.tx = Some(isolation);
        self
    }

    /// `accept = "…"`.
    #[doc(hidden)]
    pub const fn with_accept(mut self, accept: Accept) -> ActionMeta {
        self.accept = accept;
        self
    }

    /// `load = path`.
    #[doc(hidden)]
    pub const fn with_load(mut self) -> ActionMeta {
        self.load = true;
        self
    }

    /// `idempotent`, `idempotent(required)`.
    #[doc(hidden)]
    pub const fn with_idempotency(mut self, idempotency: Idempotency) -> ActionMeta {
        self.idempotent = Some(idempotency);
        self
    }

    /// `audit`.
    #[doc(hidden)]
    pub const fn with_audit(mut self) -> ActionMeta {
        self.audit = true;
        self
    }

    /// `rate_limit = "count/period"`, `rate_limit(ip | user, "count/period")`: `count`
    /// requests per `seconds` (both checked by `#[action]`).
    #[doc(hidden)]
    pub const fn with_rate_limit(
        mut self,
        key: RateLimitKey,
        count: u32,
        seconds: u64,
    ) -> ActionMeta {
        let burst = match NonZeroU32::new(count) {
            Some(burst) => burst,
            None => NonZeroU32::MIN,
        };
        self.rate_limit = Some(ActionRateLimit {
            key,
            limit: RateLimit {
                burst,
                per: Duration::from_secs(seconds),
            },
        });
        self
    }

    /// `redirect = "/path/{field}"`.
    #[doc(hidden)]
    pub const fn with_redirect(mut self, template: &'static str) -> ActionMeta {
        self.redirect = Some(template);
        self
    }

    /// The function's `///` comment, its lines joined with `\n`.
    #[doc(hidden)]
    pub const fn with_description(mut self, description: &'static str) -> ActionMeta {
        self.description = Some(description);
        self
    }
}

/// A per-action rate limit, `#[action(rate_limit = "10/min")]`: at most `limit` calls by one
/// caller, counted in the server's rate-limit store; beyond it, `429 TOO_MANY_REQUESTS` with
/// `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionRateLimit {
    /// Whose calls count together: the user's or the client address's.
    pub key: RateLimitKey,
    /// How many calls, per how long.
    pub limit: RateLimit,
}

/// A loaded resource, as the policy and the handler see it.
pub type Resource = Box<dyn Any + Send + Sync>;

/// The type of a resource an action loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceKind {
    pub(crate) id: TypeId,
    pub(crate) name: &'static str,
}

impl ResourceKind {
    /// The kind of resources of type `R`.
    pub fn of<R: Any>() -> ResourceKind {
        ResourceKind {
            id: TypeId::of::<R>(),
            name: type_name::<R>(),
        }
    }

    /// The type's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// A loader of resources for inputs `I`, for naming the type it loads: how
/// `#[action(load = …)]` writes `Action::resource`,
/// `(&LoadedBy::<Input, _>::new(&loader)).kind()`. For an `async fn(&mut ActionContext, &I) ->
/// Result<Option<R>, E>`, [`LoaderKind::kind`] is the kind of `R`. For a loader of another shape
/// it is [`NotALoader::kind`], `None`: `Action::load` calls the loader too, and reports that
/// mistake once, on the loader's path, instead of a second error here.
#[doc(hidden)]
#[derive(Debug)]
pub struct LoadedBy<'f, I, F> {
    loader: PhantomData<&'f F>,
    input: PhantomData<fn(&I)>,
}

impl<'f, I, F> LoadedBy<'f, I, F> {
    /// The loader `loader`.
    pub fn new(loader: &'f F) -> LoadedBy<'f, I, F> {
        let _ = loader;
        LoadedBy {
            loader: PhantomData,
            input: PhantomData,
        }
    }
}

/// The kind of resource a loader loads (see [`LoadedBy`]).
#[doc(hidden)]
pub trait LoaderKind {
    /// The kind of `R` in the loader's `Result<Option<R>, E>`.
    fn kind(&self) -> Option<ResourceKind>;
}

impl<I, R: Any, E, F> LoaderKind for LoadedBy<'_, I, F>
where
    F: for<'a> AsyncFn(&'a mut ActionContext, &'a I) -> Result<Option<R>, E>,
{
    fn kind(&self) -> Option<ResourceKind> {
        Some(ResourceKind::of::<R>())
    }
}

/// What a loader of the wrong shape names (see [`LoadedBy`]): nothing.
#[doc(hidden)]
pub trait NotALoader {
    /// `None`.
    fn kind(&self) -> Option<ResourceKind> {
        None
    }
}

impl<I, F> NotALoader for &LoadedBy<'_, I, F> {}

/// The input as JSON, for the actions that record it (`idempotent`, `audit`).
#[doc(hidden)]
pub fn record_input<T: RecordedInput>(input: &T) -> Option<serde_json::Value> {
    serde_json::to_value(input).ok()
}

/// An input an `idempotent` or `audit` action can record.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be recorded: an `idempotent` or `audit` action records its input",
    label = "not `Serialize`",
    note = "declare the input with `#[actions_runtime::input]`, which derives `Serialize`, or derive `serde::Serialize` on it"
)]
pub trait RecordedInput: Serialize {}

impl<T: Serialize> RecordedInput for T {}

/// Converts what a loader returned: `Result<Option<R>, E>`.
#[doc(hidden)]
pub fn into_loaded<R, E>(result: Result<Option<R>, E>) -> Result<Option<Resource>, ActionError>
where
    R: Send + Sync + 'static,
    ActionError: From<E>,
{
    match result {
        Ok(resource) => Ok(resource.map(|r| Box::new(r) as Resource)),
        Err(error) => Err(ActionError::from(error)),
    }
}

/// Converts what an action function returned — `Result<T, E>` where `E` converts into
/// [`ActionError`] (so `?` on diesel errors works, and so does returning `QueryResult<T>`).
#[doc(hidden)]
pub fn into_action_result<T, E>(result: Result<T, E>) -> Result<T, ActionError>
where
    ActionError: From<E>,
{
    result.map_err(ActionError::from)
}
