//! [`Server`]: a registry with its database, authenticator and policy, checked once when built
//! and then served by axum (or called in-process).

mod conventions;
mod json_schema;
mod manifest;
pub(crate) mod registry;
mod router;

pub use manifest::{Manifest, ManifestAction};
pub use registry::Registry;

use crate::accounts::{AuthConfig, AuthService, SessionAuthenticator};
use crate::base::{
    Action, ActionContext, Authenticator, Clock, DefaultPolicy, Policy, Posture, Services,
    SystemClock, User, new_request_id,
};
use crate::db::Database;
use crate::error::ActionError;
use crate::pipeline;
use registry::ActionEntry;
use std::any::TypeId;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The default request body limit: 1 MiB.
const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
/// The default time an action may take, from auth to response.
const DEFAULT_REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A built server: what every request sees, and what only the server needs.
pub(crate) struct ServerState {
    /// What the pipeline's stages see of the server.
    pub(crate) services: Arc<Services>,
    /// The account service, when email + password sign-in is enabled.
    pub(crate) auth: Option<Arc<AuthService>>,
    /// Every action, sorted by name.
    pub(crate) actions: Vec<Arc<ActionEntry>>,
    by_type: HashMap<TypeId, usize>,
}

/// A built server: every check passed, ready to serve.
#[derive(Clone)]
pub struct Server {
    state: Arc<ServerState>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.state.actions.iter().map(|a| &*a.name).collect();
        f.debug_struct("Server")
            .field("actions", &names)
            .field("database", &self.state.services.database)
            .field("body_limit", &self.state.services.body_limit)
            .finish()
    }
}

/// Why a server could not be built: every problem found, reported before it listens.
#[derive(Debug)]
pub struct BuildError {
    problems: Vec<BuildProblem>,
}

impl BuildError {
    /// Each problem.
    pub fn problems(&self) -> &[BuildProblem] {
        &self.problems
    }
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the server cannot be built:")?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

/// One reason a server could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildProblem {
    /// Two actions share a wire name.
    #[error(
        "two actions are registered as `{0}`; rename one with #[action(name = \"...\")] or move it to another namespace"
    )]
    DuplicateAction(String),
    /// A namespace name is malformed.
    #[error("{0}")]
    InvalidRegistry(String),
    /// `auth` actions exist but nothing can tell who the user is.
    #[error(
        "actions {0:?} require a signed-in user, but no authenticator is installed; call ServerBuilder::authenticator"
    )]
    MissingAuthenticator(Vec<String>),
    /// `tx` actions exist but there is no database.
    #[error(
        "actions {0:?} run in a transaction, but the server has no database; call ServerBuilder::database"
    )]
    MissingDatabase(Vec<String>),
    /// Email + password auth was enabled without a database.
    #[error("auth is enabled, but the server has no database; call ServerBuilder::database")]
    AuthWithoutDatabase,
    /// An input or output breaks the wire conventions.
    #[error("action `{action}`: {problem}")]
    WireConvention {
        /// The action.
        action: String,
        /// What is wrong, and how to fix it.
        problem: String,
    },
}

/// Configures a [`Server`].
#[must_use]
pub struct ServerBuilder {
    registry: Registry,
    database: Option<Database>,
    authenticator: Option<Arc<dyn Authenticator>>,
    policy: Arc<dyn Policy>,
    body_limit: usize,
    request_timeout: std::time::Duration,
    auth: Option<AuthConfig>,
    clock: Arc<dyn Clock>,
    idempotency_ttl: std::time::Duration,
}

impl std::fmt::Debug for ServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerBuilder")
            .field("registry", &self.registry)
            .finish_non_exhaustive()
    }
}

impl ServerBuilder {
    /// The database actions use through [`ActionContext::db`].
    pub fn database(mut self, database: Database) -> ServerBuilder {
        self.database = Some(database);
        self
    }

    /// Tells the runtime who the user of a request is.
    pub fn authenticator(mut self, authenticator: impl Authenticator) -> ServerBuilder {
        self.authenticator = Some(Arc::new(authenticator));
        self
    }

    /// Email + password sign-in: Better Auth's `/api/auth/*` routes, sessions as the
    /// authenticator, and cross-site request refusal on every state change. Needs a database
    /// migrated with [`RUNTIME_MIGRATIONS`](crate::RUNTIME_MIGRATIONS).
    pub fn auth(mut self, config: AuthConfig) -> ServerBuilder {
        self.auth = Some(config);
        self
    }

    /// Decides `acl = "..."` permissions; [`DefaultPolicy`] (admins only) unless set.
    pub fn policy(mut self, policy: impl Policy) -> ServerBuilder {
        self.policy = Arc::new(policy);
        self
    }

    /// The largest request body accepted, in bytes; larger ones get `413`. Default 1 MiB.
    pub fn body_limit(mut self, bytes: usize) -> ServerBuilder {
        self.body_limit = bytes;
        self
    }

    /// How long an action may run, from auth to response; a request that takes longer is
    /// answered `503` and abandoned: its transaction rolls back and its connection is closed.
    /// Default 30 seconds.
    pub fn request_timeout(mut self, limit: std::time::Duration) -> ServerBuilder {
        self.request_timeout = limit;
        self
    }

    /// How long the response of an `idempotent` action is kept for replay; a key older than
    /// this runs the action again. Default 24 hours.
    pub fn idempotency_ttl(mut self, ttl: std::time::Duration) -> ServerBuilder {
        self.idempotency_ttl = ttl;
        self
    }

    /// The server's one clock: session expiry and refresh, rate-limit windows, idempotency-key
    /// expiry and audit times all read it (tests inject one they control). The system clock
    /// unless set.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> ServerBuilder {
        self.clock = clock;
        self
    }

    /// Checks the whole configuration, reporting every problem before the server listens.
    pub fn build(self) -> Result<Server, BuildError> {
        let mut errors: Vec<BuildProblem> = self
            .registry
            .errors
            .iter()
            .cloned()
            .map(BuildProblem::InvalidRegistry)
            .collect();
        let mut seen = HashSet::new();
        for entry in &self.registry.entries {
            if !seen.insert(&*entry.name) {
                errors.push(BuildProblem::DuplicateAction(entry.name.to_string()));
            }
            for problem in entry
                .input_problems
                .iter()
                .cloned()
                .chain(conventions::check(entry))
            {
                errors.push(BuildProblem::WireConvention {
                    action: entry.name.to_string(),
                    problem,
                });
            }
        }
        let names_where = |keep: fn(&ActionEntry) -> bool| -> Vec<String> {
            self.registry
                .entries
                .iter()
                .filter(|e| keep(e))
                .map(|e| e.name.to_string())
                .collect()
        };
        let needs_user = names_where(|e| e.meta.posture == Posture::Authenticated);
        if self.auth.is_some() && self.database.is_none() {
            errors.push(BuildProblem::AuthWithoutDatabase);
        }
        if self.authenticator.is_none() && self.auth.is_none() && !needs_user.is_empty() {
            errors.push(BuildProblem::MissingAuthenticator(needs_user));
        }
        let needs_db = names_where(|e| e.meta.tx.is_some());
        if self.database.is_none() && !needs_db.is_empty() {
            errors.push(BuildProblem::MissingDatabase(needs_db));
        }
        if !errors.is_empty() {
            return Err(BuildError { problems: errors });
        }
        let mut authenticator = self.authenticator;
        let mut auth = None;
        if let (Some(mut config), Some(database)) = (self.auth, &self.database) {
            config.clock = self.clock.clone();
            let service = AuthService::new(config, database.clone()).map_err(|e| BuildError {
                problems: vec![BuildProblem::InvalidRegistry(e.to_string())],
            })?;
            let service = Arc::new(service);
            authenticator = Some(Arc::new(SessionAuthenticator(service.clone())));
            auth = Some(service);
        }
        let mut actions: Vec<Arc<ActionEntry>> =
            self.registry.entries.into_iter().map(Arc::new).collect();
        actions.sort_by(|a, b| a.name.cmp(&b.name));
        let by_type = actions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.type_id, i))
            .collect();
        Ok(Server {
            state: Arc::new(ServerState {
                services: Arc::new(Services {
                    database: self.database,
                    authenticator,
                    policy: self.policy,
                    clock: self.clock,
                    body_limit: self.body_limit,
                    request_timeout: self.request_timeout,
                    idempotency_ttl: self.idempotency_ttl,
                    last_purge: std::sync::atomic::AtomicI64::new(0),
                }),
                auth,
                actions,
                by_type,
            }),
        })
    }
}

impl Server {
    /// Starts configuring a server for `registry`.
    pub fn builder(registry: Registry) -> ServerBuilder {
        ServerBuilder {
            registry,
            database: None,
            authenticator: None,
            policy: Arc::new(DefaultPolicy),
            body_limit: DEFAULT_BODY_LIMIT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            auth: None,
            clock: Arc::new(SystemClock),
            idempotency_ttl: pipeline::idempotency::DEFAULT_TTL,
        }
    }

    /// The axum router: `POST /_actions/<name>` for every action and
    /// `GET /_actions/schema.json` for the manifest. Merge it into an app's own router.
    ///
    /// Serve it with the peer's address, as [`Server::serve`] does:
    /// `axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())`.
    /// Without it, auth's per-IP rate limits and session records cannot tell clients apart
    /// (every request counts against one shared address, and a warning is logged).
    pub fn router(&self) -> axum::Router {
        router::build(&self.state)
    }

    /// Serves the router on `listener` until `shutdown` completes, then finishes the requests
    /// in flight.
    pub async fn serve(
        &self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = self
            .router()
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    }

    /// Every action with its posture, permission and JSON Schemas.
    pub fn manifest(&self) -> Manifest {
        Manifest::of(&self.state.actions)
    }

    /// The database, if configured.
    pub fn database(&self) -> Option<&Database> {
        self.state.services.database.as_ref()
    }

    /// Deletes the stored responses of idempotent actions whose keys have expired; returns how
    /// many. Idempotent requests also do this now and then, so calling it is optional (a cron
    /// job on a quiet server).
    pub async fn purge_expired_idempotency_keys(&self) -> Result<usize, ActionError> {
        let database = self
            .state
            .services
            .database
            .as_ref()
            .ok_or_else(|| ActionError::internal("this server was built without a database"))?;
        let mut conn = database.get().await?;
        let purged = pipeline::idempotency::purge(&mut conn, self.state.services.clock.now()).await;
        conn.finish();
        purged
    }

    /// A context for calling action functions in-process, like Astro's `callAction`, as `user`.
    pub fn context(&self, user: Option<User>) -> ActionContext {
        let mut ctx = ActionContext::new(
            self.state.services.clone(),
            new_request_id(),
            Arc::from("-"),
        );
        ctx.set_user(user);
        ctx
    }

    /// Calls action `A` in-process through the pipeline — posture, ACL, validation,
    /// transaction — as HTTP would, minus decoding.
    pub async fn call<A: Action>(
        &self,
        ctx: &mut ActionContext,
        input: A::Input,
    ) -> Result<A::Output, ActionError> {
        let index = self
            .state
            .by_type
            .get(&TypeId::of::<A>())
            .copied()
            .ok_or_else(|| {
                ActionError::internal(format!(
                    "action {} is not registered on this server",
                    std::any::type_name::<A>()
                ))
            })?;
        ctx.set_action(self.state.actions[index].name.clone());
        pipeline::call::<A>(ctx, input).await
    }
}
