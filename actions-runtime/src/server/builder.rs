//! [`ServerBuilder`]: a registry with its database, authenticator, policy and state, checked
//! once — every problem reported together, before the server listens.

use super::registry::{ActionEntry, Registry};
use super::{Manifest, OpenApi, Server, ServerState, conventions};
#[cfg(feature = "accounts")]
use crate::accounts::{AuthConfig, AuthConfigError, AuthService, SessionAuthenticator};
use crate::base::{
    ActionHook, Authenticator, Clock, CompiledPolicy, DefaultPolicy, Hooks, Permission, Policy,
    Posture, RateLimitStore, Services, StateMap, SystemClock, limit_store,
};
use crate::db::Database;
use crate::pipeline;
use crate::web::FormSite;
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Duration;

/// The default request body limit: 1 MiB.
const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
/// The default time an action may take, from auth to response.
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_MAX_IN_FLIGHT: usize = 4096;

/// Configures a [`Server`].
#[must_use]
pub struct ServerBuilder {
    registry: Registry,
    database: Option<Database>,
    authenticator: Option<Arc<dyn Authenticator>>,
    policy: Box<dyn Policy>,
    body_limit: usize,
    request_timeout: Duration,
    #[cfg(feature = "accounts")]
    auth: Option<AuthConfig>,
    clock: Arc<dyn Clock>,
    idempotency_ttl: Duration,
    state: StateMap,
    cookie_key: Option<cookie::Key>,
    trusted_proxies: Vec<IpAddr>,
    limits: super::ConnectionLimits,
    retry_window: Option<Duration>,
    #[cfg(feature = "testing")]
    faults: Option<crate::base::fault::FaultHook>,
    hooks: Vec<Arc<dyn ActionHook>>,
    rate_limit_store: Option<RateLimitStore>,
    cors_origins: Vec<String>,
}

impl std::fmt::Debug for ServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerBuilder")
            .field("registry", &self.registry)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl ServerBuilder {
    pub(super) fn new(registry: Registry) -> ServerBuilder {
        ServerBuilder {
            registry,
            database: None,
            authenticator: None,
            policy: Box::new(DefaultPolicy),
            body_limit: DEFAULT_BODY_LIMIT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            #[cfg(feature = "accounts")]
            auth: None,
            clock: Arc::new(SystemClock),
            idempotency_ttl: pipeline::idempotency::DEFAULT_TTL,
            state: StateMap::default(),
            cookie_key: None,
            trusted_proxies: Vec::new(),
            retry_window: None,
            #[cfg(feature = "testing")]
            faults: None,
            limits: super::ConnectionLimits {
                header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
                body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
                max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            },
            hooks: Vec::new(),
            rate_limit_store: None,
            cors_origins: Vec::new(),
        }
    }

    /// Lets scripts on `origin` (`https://app.example`) call the server across origins, with
    /// cookies: CORS answers its preflights and allows its credentials; any other origin gets
    /// no `Access-Control-*` header. With the account service, the origin must also be one of
    /// its trusted origins ([`AuthConfig::trusted_origin`](crate::auth::AuthConfig::trusted_origin)),
    /// or its credentialed writes would be refused as cross-site; `build` checks this.
    pub fn cors_origin(mut self, origin: &str) -> ServerBuilder {
        self.cors_origins.push(origin.to_owned());
        self
    }

    /// Runs `hook` around every action call, after auth and the ACL and before the body is read
    /// ([`ActionHook`]). Hooks run in the order they are added; the per-action `rate_limit`
    /// runs before them all.
    pub fn hook(mut self, hook: impl ActionHook) -> ServerBuilder {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Where the calls of actions declaring `rate_limit` are counted: this process's memory
    /// (one node), PostgreSQL or Redis (every node sharing it). Unless set, the account
    /// service's store ([`AuthConfig::rate_limit_store`](crate::auth::AuthConfig::rate_limit_store))
    /// when there is one, else memory.
    pub fn rate_limit_store(mut self, store: RateLimitStore) -> ServerBuilder {
        self.rate_limit_store = Some(store);
        self
    }

    /// The database actions use through [`ActionContext::db`](crate::ActionContext::db).
    pub fn database(mut self, database: Database) -> ServerBuilder {
        self.database = Some(database);
        self
    }

    /// Tells the runtime who the user of a request is: an API key, a token from an identity
    /// provider, a session of the app's own. [`ServerBuilder::auth`] installs the account
    /// service's instead.
    pub fn authenticator(mut self, authenticator: impl Authenticator) -> ServerBuilder {
        self.authenticator = Some(Arc::new(authenticator));
        self
    }

    /// Email + password sign-in: Better Auth's `/api/auth/*` routes, sessions as the
    /// authenticator, and cross-site request refusal on every state change. Needs a database
    /// migrated with [`RUNTIME_MIGRATIONS`](crate::db::RUNTIME_MIGRATIONS). Feature `accounts`.
    #[cfg(feature = "accounts")]
    pub fn auth(mut self, config: AuthConfig) -> ServerBuilder {
        self.auth = Some(config);
        self
    }

    /// Decides `acl = "..."` permissions; [`DefaultPolicy`] (admins only) unless set.
    pub fn policy(mut self, policy: impl Policy) -> ServerBuilder {
        self.policy = Box::new(policy);
        self
    }

    /// A piece of the app's own state (a mailer, an HTTP client, its settings), one value per
    /// type: actions take it as a [`State`](crate::State) argument, or look it up with
    /// [`ActionContext::state`](crate::ActionContext::state).
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> ServerBuilder {
        self.state.insert(value);
        self
    }

    /// The key that signs and encrypts the cookies actions set with
    /// [`ActionContext::signed_cookies`](crate::ActionContext::signed_cookies) and
    /// [`private_cookies`](crate::ActionContext::private_cookies). Without one, a random key
    /// is made when the server is built: cookies then last only as long as the process, and
    /// servers behind one load balancer cannot read each other's.
    pub fn cookie_key(mut self, key: cookie::Key) -> ServerBuilder {
        self.cookie_key = Some(key);
        self
    }

    /// A reverse proxy whose `X-Forwarded-For` is believed for the client's address (rate
    /// limits, session records, [`RequestHead::client_ip`](crate::RequestHead::client_ip)). No
    /// proxy is trusted unless named.
    pub fn trusted_proxy(mut self, ip: IpAddr) -> ServerBuilder {
        if !self.trusted_proxies.contains(&ip) {
            self.trusted_proxies.push(ip);
        }
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
    pub fn request_timeout(mut self, limit: Duration) -> ServerBuilder {
        self.request_timeout = limit;
        self
    }

    /// How long a transaction that keeps losing serialization conflicts or deadlocks is run
    /// again before the client gets `503`: the retry budget is counted in time, not attempts,
    /// so contention that slows every attempt does not spend it (see the transactions guide).
    /// Default half the [request timeout](ServerBuilder::request_timeout), so a request that
    /// gives up still answers "conflict" rather than "timeout".
    pub fn conflict_retry_window(mut self, window: Duration) -> ServerBuilder {
        self.retry_window = Some(window);
        self
    }

    /// Injects `hook`'s faults into every transactional action (feature `testing`; without the
    /// feature neither this method nor any branch for it exists): at each
    /// [`FaultPoint`](crate::testing::FaultPoint) the pipeline asks `hook`, and the
    /// [`Fault`](crate::testing::Fault) it returns happens there.
    #[cfg(feature = "testing")]
    pub fn fault_hook(
        mut self,
        hook: impl Fn(crate::base::fault::FaultPoint) -> Option<crate::base::fault::Fault>
        + Send
        + Sync
        + 'static,
    ) -> ServerBuilder {
        self.faults = Some(Arc::new(hook));
        self
    }

    /// How long a client may take to send a request's head (the request line and headers) once
    /// it started, before [`Server::serve`](crate::Server::serve) closes the connection: a
    /// client sending its headers a byte at a time (slowloris) holds nothing for longer.
    /// Default 10 seconds.
    pub fn header_read_timeout(mut self, limit: Duration) -> ServerBuilder {
        self.limits.header_read_timeout = limit;
        self
    }

    /// How long a request body may pause between two of its chunks; a body that stalls longer
    /// is answered `408 REQUEST_TIMEOUT`. The whole body is read within the request timeout as
    /// well. Default 10 seconds.
    pub fn body_read_timeout(mut self, limit: Duration) -> ServerBuilder {
        self.limits.body_read_timeout = limit;
        self
    }

    /// How many requests the router serves at once; beyond that, a request is answered `503
    /// SERVICE_UNAVAILABLE` at once instead of waiting in a queue without bound. Default 4,096.
    pub fn max_in_flight(mut self, requests: usize) -> ServerBuilder {
        self.limits.max_in_flight = requests.max(1);
        self
    }

    /// How long the response of an `idempotent` action is kept for replay; a key older than
    /// this runs the action again. Default 24 hours.
    pub fn idempotency_ttl(mut self, ttl: Duration) -> ServerBuilder {
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
    pub fn build(mut self) -> Result<Server, BuildError> {
        let policy = CompiledPolicy::new(self.policy);
        let mut problems = Problems(Vec::new());
        problems.check_registry(&self.registry);
        let entries = &self.registry.entries;
        #[cfg(feature = "accounts")]
        let has_accounts = self.auth.is_some();
        #[cfg(not(feature = "accounts"))]
        let has_accounts = false;
        #[cfg(feature = "accounts")]
        if has_accounts && self.database.is_none() {
            problems.0.push(BuildProblem::AuthWithoutDatabase);
        }
        let needs_user = names_where(entries, |e| e.steps.meta.posture == Posture::Authenticated);
        if self.authenticator.is_none() && !has_accounts && !needs_user.is_empty() {
            problems
                .0
                .push(BuildProblem::MissingAuthenticator(needs_user));
        }
        let needs_db = names_where(entries, |e| e.steps.meta.tx.is_some());
        if self.database.is_none() && !needs_db.is_empty() {
            problems.0.push(BuildProblem::MissingDatabase(needs_db));
        }
        problems.check_policy(&self.registry, &policy);
        problems.check_state(&self.registry, &self.state);
        if entries.iter().any(|entry| &*entry.name == "health") {
            problems
                .0
                .push(BuildProblem::ReservedName("health".to_owned()));
        }
        let cors_origins = problems.cors_origins(&self.cors_origins);
        #[cfg(feature = "accounts")]
        if let Some(auth) = &self.auth {
            for origin in &cors_origins {
                if let Ok(origin) = origin.to_str()
                    && !auth.allows_origin(origin)
                {
                    problems
                        .0
                        .push(BuildProblem::CorsOriginNotTrusted(origin.to_owned()));
                }
            }
        }
        #[cfg(feature = "accounts")]
        let auth_store = self.auth.as_ref().map(|auth| auth.rate_limit_store.clone());
        #[cfg(not(feature = "accounts"))]
        let auth_store = None;
        let store_choice = self.rate_limit_store.or(auth_store).unwrap_or_default();
        let mut hooks = Vec::with_capacity(self.hooks.len() + 1);
        if entries
            .iter()
            .any(|entry| entry.steps.meta.rate_limit.is_some())
        {
            match limit_store::open(&store_choice, self.clock.clone(), self.database.as_ref()) {
                Ok(store) => hooks.push(Arc::new(pipeline::rate_limit::RateLimitHook::new(store))
                    as Arc<dyn ActionHook>),
                Err(error) => problems.0.push(BuildProblem::RateLimitStore(error.0)),
            }
        }
        hooks.extend(self.hooks);
        let cookie_key = self.cookie_key.take().unwrap_or_else(cookie::Key::generate);
        #[cfg(not(feature = "accounts"))]
        let authenticator = self.authenticator;
        #[cfg(feature = "accounts")]
        let (authenticator, accounts) = match (self.auth, &self.database) {
            (Some(mut config), Some(database)) => {
                config.clock = self.clock.clone();
                let service =
                    problems.accounts(config, database, &self.trusted_proxies, &cookie_key);
                let sessions = service.clone().map(|service| {
                    Arc::new(SessionAuthenticator(service)) as Arc<dyn Authenticator>
                });
                (sessions.or(self.authenticator), service)
            }
            _ => (self.authenticator, None),
        };
        if !problems.0.is_empty() {
            return Err(BuildError {
                problems: problems.0,
            });
        }
        let mut actions: Vec<Arc<ActionEntry>> =
            self.registry.entries.into_iter().map(Arc::new).collect();
        actions.sort_by(|a, b| a.name.cmp(&b.name));
        let manifest =
            serde_json::to_vec_pretty(&Manifest::of(&actions)).map_err(|error| BuildError {
                problems: vec![BuildProblem::Manifest(error)],
            })?;
        let openapi = OpenApi::from_entries(actions.iter().map(|entry| &**entry));
        #[cfg(feature = "accounts")]
        let openapi = match &accounts {
            Some(service) => openapi.with_accounts(&service.config),
            None => openapi,
        };
        let openapi = serde_json::to_vec_pretty(&openapi).map_err(|error| BuildError {
            problems: vec![BuildProblem::Manifest(error)],
        })?;
        let by_type = actions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.type_id, i))
            .collect::<HashMap<_, _>>();
        let services = Services {
            database: self.database,
            authenticator,
            policy,
            clock: self.clock,
            body_limit: self.body_limit,
            request_timeout: self.request_timeout,
            retry_window: self.retry_window.unwrap_or(self.request_timeout / 2),
            idempotency_ttl: self.idempotency_ttl,
            last_purge: AtomicI64::new(0),
            state: self.state,
            cookie_key: cookie_key.clone(),
            trusted_proxies: self.trusted_proxies,
            audit_queue: crate::base::AuditQueue::default(),
            conflicts: Default::default(),
            transaction_gate: Default::default(),
            #[cfg(feature = "testing")]
            faults: self.faults,
            hooks: Hooks(hooks),
        };
        let own_forms = FormSite {
            key: cookie_key,
            secure: false,
            origins: Default::default(),
            body_limit: self.body_limit,
            clock: services.clock.clone(),
        };
        // With the account service, its origins and `Secure`; the actions' body limit.
        #[cfg(feature = "accounts")]
        let forms = match &accounts {
            Some(service) => FormSite {
                body_limit: self.body_limit,
                ..service.forms.clone()
            },
            None => own_forms,
        };
        #[cfg(not(feature = "accounts"))]
        let forms = own_forms;
        Ok(Server {
            state: Arc::new(ServerState {
                forms,
                services: Arc::new(services),
                #[cfg(feature = "accounts")]
                auth: accounts,
                actions,
                manifest: manifest.into(),
                openapi: openapi.into(),
                by_type,
                limits: self.limits,
                cors_origins: cors_origins.into(),
            }),
        })
    }
}

/// The wire names of the actions that `keep`.
fn names_where(entries: &[ActionEntry], keep: fn(&ActionEntry) -> bool) -> Vec<String> {
    entries
        .iter()
        .filter(|e| keep(e))
        .map(|e| e.name.to_string())
        .collect()
}

/// The problems found so far.
struct Problems(Vec<BuildProblem>);

impl Problems {
    /// Names (malformed, duplicate), the wire conventions of every input and output, and the
    /// fields each `redirect` fills its placeholders from.
    fn check_registry(&mut self, registry: &Registry) {
        self.0.extend(
            registry
                .errors
                .iter()
                .cloned()
                .map(BuildProblem::InvalidRegistry),
        );
        let mut seen = HashSet::new();
        for entry in &registry.entries {
            if !seen.insert(&*entry.name) {
                self.0
                    .push(BuildProblem::DuplicateAction(entry.name.to_string()));
            }
            for problem in entry
                .input_problems
                .iter()
                .cloned()
                .chain(conventions::check(entry))
            {
                self.0.push(BuildProblem::WireConvention {
                    action: entry.name.to_string(),
                    problem,
                });
            }
            for (template, problem) in super::redirects::check(entry) {
                self.0.push(BuildProblem::RedirectField {
                    action: entry.name.to_string(),
                    template,
                    problem,
                });
            }
        }
    }

    /// Every `acl` permission is one the policy decides, and every loaded resource has a rule.
    fn check_policy(&mut self, registry: &Registry, policy: &CompiledPolicy) {
        let decides = policy.policy.decides();
        for entry in &registry.entries {
            if let Some(permission) = entry.steps.meta.acl
                && !decides.includes(permission)
            {
                self.0.push(BuildProblem::UndecidedPermission {
                    action: entry.name.to_string(),
                    permission,
                });
            }
            if let Some(resource) = entry.resource
                && !policy.resources.covers(resource.id)
            {
                self.0.push(BuildProblem::UnruledResource {
                    action: entry.name.to_string(),
                    resource: resource.name,
                });
            }
        }
    }

    /// The account service of `config`, on `database`.
    #[cfg(feature = "accounts")]
    fn accounts(
        &mut self,
        config: AuthConfig,
        database: &Database,
        trusted_proxies: &[IpAddr],
        cookie_key: &cookie::Key,
    ) -> Option<Arc<AuthService>> {
        let proxies = trusted_proxies.to_vec();
        match AuthService::new(config, database.clone(), proxies, cookie_key.clone()) {
            Ok(service) => Some(Arc::new(service)),
            Err(error) => {
                self.0.push(BuildProblem::Auth(error));
                None
            }
        }
    }

    /// Each CORS origin as `scheme://host[:port]`, lower case, without a default port.
    fn cors_origins(&mut self, origins: &[String]) -> Vec<http::HeaderValue> {
        let mut normalized = Vec::new();
        for origin in origins {
            match normalize_origin(origin).and_then(|o| http::HeaderValue::try_from(o).ok()) {
                Some(value) if !normalized.contains(&value) => normalized.push(value),
                Some(_) => {}
                None => self.0.push(BuildProblem::CorsOrigin(origin.clone())),
            }
        }
        normalized
    }

    /// Every `State<T>` argument has its `T`.
    fn check_state(&mut self, registry: &Registry, state: &StateMap) {
        for entry in &registry.entries {
            for (type_id, name) in &entry.state {
                if !state.contains(*type_id) {
                    self.0.push(BuildProblem::MissingState {
                        action: entry.name.to_string(),
                        state: name,
                    });
                }
            }
        }
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
    #[cfg(feature = "accounts")]
    #[error("auth is enabled, but the server has no database; call ServerBuilder::database")]
    AuthWithoutDatabase,
    /// The account service's configuration was refused.
    #[cfg(feature = "accounts")]
    #[error("auth configuration: {0}")]
    Auth(#[source] AuthConfigError),
    /// An action's `acl` names a permission the policy does not decide (a typo, or a
    /// permission the policy forgot): every call would be refused.
    #[error(
        "action `{action}` requires the `{permission}` permission, which the policy does not decide; add it to Policy::decides (or fix the name)"
    )]
    UndecidedPermission {
        /// The action.
        action: String,
        /// Its permission.
        permission: Permission,
    },
    /// An action loads a resource the policy has no rule for: every call would be refused.
    #[error(
        "action `{action}` loads `{resource}` resources, but the policy has no rule for them; add one in Policy::resources with rules.on::<{resource}>(…)"
    )]
    UnruledResource {
        /// The action.
        action: String,
        /// The resource's type.
        resource: &'static str,
    },
    /// An action takes a `State<T>` the server was not given.
    #[error(
        "action `{action}` takes `State<{state}>`, but the server has no `{state}`; give it with ServerBuilder::state"
    )]
    MissingState {
        /// The action.
        action: String,
        /// The state's type.
        state: &'static str,
    },
    /// An action's name is a route of the server's own.
    #[error("an action is named `{0}`, which is the server's route `/_actions/{0}`: rename it")]
    ReservedName(String),
    /// A CORS origin is not `scheme://host[:port]`.
    #[error("CORS origin {0:?} is not an origin: expected `https://host[:port]` (no path)")]
    CorsOrigin(String),
    /// A CORS origin the account service does not trust.
    #[error(
        "CORS origin {0} is not a trusted origin of the account service: its credentialed \
         writes would be refused as cross-site; add it with AuthConfig::trusted_origin too"
    )]
    CorsOriginNotTrusted(String),
    /// The store of the per-action rate limits cannot be opened.
    #[error("the rate-limit store of `rate_limit` actions: {0}")]
    RateLimitStore(String),
    /// The manifest (`schema.json`) or the OpenAPI document could not be serialized.
    #[error("the manifest cannot be serialized: {0}")]
    Manifest(#[source] serde_json::Error),
    /// An input or output breaks the wire conventions.
    #[error("action `{action}`: {problem}")]
    WireConvention {
        /// The action.
        action: String,
        /// What is wrong, and how to fix it.
        problem: String,
    },
    /// A placeholder of an action's `redirect` is not a field its output always has as a
    /// string, number or boolean: every form post would go back to its page instead.
    #[error("action `{action}`: redirect {template:?}: {problem}")]
    RedirectField {
        /// The action.
        action: String,
        /// Its `redirect`, as declared.
        template: &'static str,
        /// Which placeholder, what is wrong, and the fields it could name.
        problem: String,
    },
}

/// An origin written alone (`http` or `https`; no user info, path other than `/`, query or
/// fragment), normalised as the forms' and the CSRF check's origins are
/// (`web::normalize_origin`).
fn normalize_origin(text: &str) -> Option<String> {
    let text = text.trim();
    let uri: http::Uri = text.parse().ok()?;
    if uri.query().is_some() || !matches!(uri.path(), "" | "/") {
        return None;
    }
    crate::web::normalize_origin(text)
}
