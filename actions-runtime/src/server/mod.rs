//! [`Server`]: a registry with its database, authenticator and policy, checked once when built
//! and then served by axum (or called in-process).

mod builder;
mod caller;
mod conventions;
mod envelope;
mod json_schema;
mod manifest;
mod openapi;
mod redirects;
pub(crate) mod registry;
mod router;

pub use builder::{BuildError, BuildProblem, ServerBuilder};
pub use caller::{Caller, SignedIn};
pub use manifest::{Manifest, ManifestAction, ManifestRateLimit};
pub use openapi::OpenApi;
pub use registry::Registry;

#[cfg(feature = "accounts")]
use crate::accounts::AuthService;
use crate::base::{Action, ActionContext, Services, User, new_request_id};
use crate::db::Database;
use crate::error::ActionError;
use crate::pipeline;
use crate::web::FormSite;
use registry::ActionEntry;
use std::any::TypeId;
use std::collections::HashMap;
use std::sync::Arc;

/// A built server: what every request sees, and what only the server needs.
pub(crate) struct ServerState {
    /// What the pipeline's stages see of the server.
    pub(crate) services: Arc<Services>,
    /// The account service, when email + password sign-in is enabled.
    #[cfg(feature = "accounts")]
    pub(crate) auth: Option<Arc<AuthService>>,
    /// Every action, sorted by name.
    pub(crate) actions: Vec<Arc<ActionEntry>>,
    /// `schema.json`, serialized once.
    pub(crate) manifest: Arc<[u8]>,
    /// `openapi.json`, serialized once.
    pub(crate) openapi: Arc<[u8]>,
    by_type: HashMap<TypeId, usize>,
    /// What a slow or greedy client may hold.
    pub(crate) limits: ConnectionLimits,
    /// The origins CORS lets call with credentials (`scheme://host[:port]`); none: no CORS.
    pub(crate) cors_origins: Arc<[http::HeaderValue]>,
    /// How a browser's form post to an action is answered.
    pub(crate) forms: FormSite,
}

/// The deadlines and the concurrency limit that keep slow or hostile clients from holding the
/// server (set on the [`ServerBuilder`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionLimits {
    /// From a connection's first byte of a request head to its end.
    pub(crate) header_read_timeout: std::time::Duration,
    /// The longest pause between two chunks of a request body.
    pub(crate) body_read_timeout: std::time::Duration,
    /// Requests served at once; more are answered `503`.
    pub(crate) max_in_flight: usize,
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

impl Server {
    /// Starts configuring a server for `registry`.
    pub fn builder(registry: Registry) -> ServerBuilder {
        ServerBuilder::new(registry)
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
    /// in flight. Each connection is HTTP/1.1 with the builder's header read timeout (hyper's
    /// own, driven by tokio's timer), and each request knows its peer's address.
    pub async fn serve(
        &self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        self.serve_router(self.router(), listener, shutdown).await
    }

    /// [`Server::serve`] for a router of the app's that contains [`Server::router`] (its own
    /// pages merged with it): the same connections, timeouts, peer addresses and shutdown.
    pub async fn serve_router(
        &self,
        router: axum::Router,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        use hyper_util::rt::{TokioIo, TokioTimer};
        use hyper_util::service::TowerToHyperService;
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(self.state.limits.header_read_timeout);
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    // Out of file descriptors and the like: wait for the moment to pass, as
                    // axum::serve does, rather than stop serving.
                    Err(error) => {
                        tracing::warn!(%error, "accepting a connection failed");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let service = tower::ServiceExt::map_request(
                router.clone(),
                move |mut request: http::Request<hyper::body::Incoming>| {
                    request
                        .extensions_mut()
                        .insert(axum::extract::ConnectInfo(peer));
                    request
                },
            );
            let service = TowerToHyperService::new(service);
            let connection = http.serve_connection(TokioIo::new(stream), service);
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                if let Err(error) = connection.await {
                    tracing::debug!(%error, %peer, "connection closed");
                }
            });
        }
        // Closed at once, as axum::serve does: a connection the kernel would still accept
        // here would never be served, and a balancer could not send it elsewhere.
        drop(listener);
        graceful.shutdown().await;
        Ok(())
    }

    /// Every action with its posture, permission and JSON Schemas.
    pub fn manifest(&self) -> Manifest {
        Manifest::of(&self.state.actions)
    }

    /// The OpenAPI 3.1 document of the actions (and of the account service's routes, when
    /// enabled), as `GET /_actions/openapi.json` serves it.
    pub fn openapi_json(&self) -> &[u8] {
        &self.state.openapi
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
        let now = self.state.services.clock.now();
        database
            .run(async |conn| pipeline::idempotency::purge(conn, now).await)
            .await?
    }

    /// How this server's transactions fared against concurrent ones so far: handler runs
    /// repeated after a conflict, and requests that spent their whole retry budget.
    pub fn transaction_stats(&self) -> crate::base::TransactionStats {
        self.state.services.conflicts.snapshot()
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
        let entry = &self.state.actions[index];
        ctx.set_action(entry.name.clone());
        pipeline::call::<A>(ctx, &entry.steps, input).await
    }
}
