//! The command line every app gets (feature `cli`, on by default): `serve`, `migrate`, `schema`,
//! `openapi`, `routes`, `client`, `create-admin` and `import-better-auth`, configured from the environment the same way
//! for every app.
//!
//! ```ignore
//! #[tokio::main]
//! async fn main() -> std::process::ExitCode {
//!     actions_runtime::cli::App::new("blog", blog::actions::registry)
//!         .migrations(blog::MIGRATIONS)
//!         .accounts(|config| config)
//!         .configure(|server| server.policy(blog::Policy))
//!         .run()
//!         .await
//! }
//! ```
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `DATABASE_URL` | `postgres://…` or `sqlite://path` | `sqlite://data/<app>.sqlite3` |
//! | `DATABASE_POOL_SIZE` | the most database connections this process opens | `16` |
//! | `BIND` | the address to listen on | `127.0.0.1` |
//! | `PORT` | the port to listen on | `3000` |
//! | `BASE_URL` | the origin browsers use (cookies, CSRF) | `http://localhost:$PORT` |
//! | `TRUSTED_ORIGINS` | other front ends' origins, comma-separated: their cookie-carrying writes pass the CSRF check, and CORS lets their scripts call with credentials | none |
//! | `TRUSTED_PROXIES` | reverse proxies' addresses, comma-separated | none |
//! | `COOKIE_KEY` | the key of signed and private cookies, base64 of 64 bytes or more | a random key per process |
//! | `SIGN_IN_RATE_LIMIT` | sign-in attempts per client IP: `30/min`, `5/s`, `3/10s`, `off` | `3/10s` |
//! | `SIGN_UP_RATE_LIMIT` | sign-ups per client IP | `3/10s` |
//! | `CHANGE_PASSWORD_RATE_LIMIT` | password changes per client IP | `3/10s` |
//! | `FAILED_SIGN_IN_LIMIT` | failed password checks per account | `100/h` |
//! | `RATE_LIMIT_STORE` | where limits are counted: `memory`, `postgres` (the database's), `redis://…` (feature `redis`) | `memory` |
//! | `MAIL_RATE_LIMIT` | requests that send mail, per client IP | `3/min` |
//! | `MAIL_PER_ADDRESS_LIMIT` | mails to one address | `3/min` |
//! | `CHANGE_EMAIL_RATE_LIMIT` | email changes per client IP | `3/10s` |
//! | `SMTP_URL` | send mail over SMTP: `smtps://user:pass@host:465`, `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtp://127.0.0.1:2525` (plain, loopback) | unset: the development mailer |
//! | `MAIL_FROM` | the sender of mail over SMTP | `noreply@<BASE_URL's host>` |
//! | `MAIL_DIR` | where the development mailer writes each mail (as JSON), when `SMTP_URL` is unset | `data/mail` |
//! | `RUST_LOG` | log filter (`info`, `actions_runtime=debug`) | `info` |
//! | `ADMIN_PASSWORD` | `create-admin`'s password (else the first line of stdin) | |
//!
//! A value that does not parse stops the program with an error naming the variable.

#[cfg(feature = "accounts")]
use crate::auth::{AuthConfig, RateLimit, RateLimitStore, RateLimits, Role, create_user};
use crate::db::{Database, DatabaseOptions, Migrations, RUNTIME_MIGRATIONS};
use crate::{Manifest, OpenApi, Registry, Server, ServerBuilder};
use base64::Engine;
use clap::{Arg, ArgMatches, Command};
use std::io::{IsTerminal, Write};
use std::net::IpAddr;
use std::process::ExitCode;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// What builds an app's own routes from its server ([`App::pages`]).
type Pages = dyn Fn(&Server) -> axum::Router + Send + Sync;

/// An app, as its command line runs it.
#[must_use]
pub struct App {
    name: &'static str,
    about: &'static str,
    version: Option<&'static str>,
    registry: fn() -> Registry,
    migrations: Vec<Migrations>,
    configure: Box<dyn Fn(ServerBuilder) -> ServerBuilder + Send + Sync>,
    pages: Option<Box<Pages>>,
    #[cfg(feature = "accounts")]
    accounts: Option<Box<dyn Fn(AuthConfig) -> AuthConfig + Send + Sync>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl App {
    /// The app named `name` (its default SQLite file is `data/<name>.sqlite3`), serving the
    /// actions of `registry`.
    pub fn new(name: &'static str, registry: fn() -> Registry) -> App {
        App {
            name,
            about: "Server actions over HTTP",
            version: None,
            registry,
            migrations: Vec::new(),
            configure: Box::new(|builder| builder),
            pages: None,
            #[cfg(feature = "accounts")]
            accounts: None,
        }
    }

    /// What `--help` says the app is.
    pub fn about(mut self, about: &'static str) -> App {
        self.about = about;
        self
    }

    /// What `--version` prints: `.version(env!("CARGO_PKG_VERSION"))`.
    pub fn version(mut self, version: &'static str) -> App {
        self.version = Some(version);
        self
    }

    /// The app's migrations, applied after the runtime's own on every start.
    pub fn migrations(mut self, migrations: Migrations) -> App {
        self.migrations.push(migrations);
        self
    }

    /// The rest of the server: the policy, the app's state, an authenticator of its own.
    pub fn configure(
        mut self,
        configure: impl Fn(ServerBuilder) -> ServerBuilder + Send + Sync + 'static,
    ) -> App {
        self.configure = Box::new(configure);
        self
    }

    /// The app's own routes (its pages, their assets), built from the server and served by
    /// `serve` beside `/_actions/*` and `/api/auth/*`. Their handlers call actions with
    /// [`Caller`](crate::Caller), which reads the server from the router's state:
    /// `.pages(|server| Router::new().route("/", get(home)).with_state(server.clone()))`.
    pub fn pages(mut self, pages: impl Fn(&Server) -> axum::Router + Send + Sync + 'static) -> App {
        self.pages = Some(Box::new(pages));
        self
    }

    /// The router `serve` serves: the app's pages, if any, merged with the server's routes.
    pub fn router(&self, server: &Server) -> axum::Router {
        match &self.pages {
            Some(pages) => pages(server).merge(server.router()),
            None => server.router(),
        }
    }

    /// Email + password sign-in (Better Auth's API), configured from `BASE_URL` and
    /// `TRUSTED_ORIGINS`, then by `configure` (roles, session lifetimes); adds `create-admin`.
    #[cfg(feature = "accounts")]
    pub fn accounts(
        mut self,
        configure: impl Fn(AuthConfig) -> AuthConfig + Send + Sync + 'static,
    ) -> App {
        self.accounts = Some(Box::new(configure));
        self
    }

    /// Parses the process's arguments and environment, runs the command, and reports an error
    /// on stderr. Logs go to stderr, filtered by `RUST_LOG`.
    pub async fn run(self) -> ExitCode {
        let matches = self.command().get_matches();
        // Kept to the end: the spans not yet sent go out when it is dropped.
        let _exporter = init_logging(self.name);
        let result = match Config::from_vars(|name| std::env::var(name).ok()) {
            Ok(config) => self.execute(&matches, &config).await,
            Err(error) => Err(error),
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                let _ = writeln!(std::io::stderr(), "error: {error}");
                ExitCode::FAILURE
            }
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new(self.name)
            .about(self.about)
            .version(self.version)
            .subcommand(Command::new("serve").about(
                "Apply pending migrations, then serve on $BIND:$PORT (the default command)",
            ))
            .subcommand(Command::new("migrate").about("Apply pending migrations and exit"))
            .subcommand(Command::new("schema").about(
                "Print every action with its posture and JSON Schemas (what GET /_actions/schema.json serves)",
            ))
            .subcommand(Command::new("openapi").about(
                "Print the OpenAPI 3.1 document of the actions (what GET /_actions/openapi.json serves)",
            ))
            .subcommand(Command::new("routes").about(
                "Print every action with who may call it: posture, permission, resource check",
            ))
            .subcommand(client_command());
        #[cfg(feature = "accounts")]
        if self.accounts.is_some() {
            command = command.subcommand(
                Command::new("create-admin")
                    .about("Create an admin account; the password is read from ADMIN_PASSWORD or the first line of stdin")
                    .arg(Arg::new("email").long("email").required(true).help("The admin's email address"))
                    .arg(Arg::new("name").long("name").default_value("Admin").help("The admin's display name")),
            )
            .subcommand(
                Command::new("import-better-auth")
                    .about("Copy the users of a Better Auth PostgreSQL database in (their passwords work; existing emails are skipped)")
                    .arg(Arg::new("from").long("from").required(true).value_name("postgres://…").help("The Better Auth database")),
            );
        }
        command
    }

    async fn execute(&self, matches: &ArgMatches, config: &Config) -> Result<(), Error> {
        match matches.subcommand() {
            // No database needed: both depend on the code alone.
            Some(("schema", _)) => print(&format!("{}\n", self.manifest().to_json()?)),
            Some(("openapi", _)) => print(&format!("{}\n", self.openapi(config)?.to_json()?)),
            Some(("routes", _)) => print(&routes(&self.manifest())),
            Some(("client", args)) => write_client(args, &self.manifest()),
            Some(("migrate", _)) => self.database(config).await.map(drop),
            #[cfg(feature = "accounts")]
            Some(("create-admin", args)) => self.create_admin(args, config).await,
            #[cfg(feature = "accounts")]
            Some(("import-better-auth", args)) => self.import_better_auth(args, config).await,
            _ => self.serve(config).await,
        }
    }

    fn manifest(&self) -> Manifest {
        Manifest::of_registry(&(self.registry)())
    }

    /// The OpenAPI document the server would serve under `config`, built without it.
    fn openapi(&self, config: &Config) -> Result<OpenApi, Error> {
        let document = OpenApi::of_registry(&(self.registry)());
        #[cfg(feature = "accounts")]
        if let Some(accounts) = &self.accounts {
            return Ok(document.with_accounts(&accounts(config.auth_config()?)));
        }
        let _ = config;
        Ok(document)
    }

    /// The database of `DATABASE_URL`, migrated.
    async fn database(&self, config: &Config) -> Result<Database, Error> {
        let url = config
            .database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://data/{}.sqlite3", self.name));
        let mut options = DatabaseOptions::default();
        if let Some(size) = config.pool_size {
            options = options.max_connections(size);
        }
        let database = Database::connect_with(&url, options).await?;
        let mut applied = database.migrate(&RUNTIME_MIGRATIONS).await?;
        for migrations in &self.migrations {
            applied.extend(database.migrate(migrations).await?);
        }
        tracing::info!(backend = %database.backend(), applied = applied.len(), "database ready");
        Ok(database)
    }

    /// The server this app runs: its registry on `database`, configured from `config`.
    pub fn server(&self, database: Database, config: &Config) -> Result<Server, Error> {
        let mut builder = Server::builder((self.registry)()).database(database);
        // One list for the CSRF check and CORS, so that they agree.
        for origin in &config.trusted_origins {
            builder = builder.cors_origin(origin);
        }
        for proxy in &config.trusted_proxies {
            builder = builder.trusted_proxy(*proxy);
        }
        if let Some(key) = &config.cookie_key {
            builder = builder.cookie_key(key.clone());
        }
        if let Some(limit) = config.header_read_timeout {
            builder = builder.header_read_timeout(limit);
        }
        if let Some(limit) = config.body_read_timeout {
            builder = builder.body_read_timeout(limit);
        }
        if let Some(requests) = config.max_in_flight {
            builder = builder.max_in_flight(requests);
        }
        #[cfg(feature = "accounts")]
        if let Some(accounts) = &self.accounts {
            builder = builder.auth(accounts(config.auth_config()?));
        }
        Ok((self.configure)(builder).build()?)
    }

    async fn serve(&self, config: &Config) -> Result<(), Error> {
        let server = self.server(self.database(config).await?, config)?;
        // A shared store says this node has peers; a cookie one signs, they cannot read.
        #[cfg(feature = "accounts")]
        if config.rate_limit_store != RateLimitStore::Memory && config.cookie_key.is_none() {
            tracing::warn!(
                "RATE_LIMIT_STORE is shared but COOKIE_KEY is unset: this node signs cookies \
                 with a random key of its own, which other nodes cannot read; set one COOKIE_KEY \
                 on every node"
            );
        }
        let shutdown = shutdown()?;
        let listener = tokio::net::TcpListener::bind((config.bind, config.port)).await?;
        tracing::info!("listening on http://{}", listener.local_addr()?);
        server
            .serve_router(self.router(&server), listener, shutdown)
            .await?;
        Ok(())
    }

    #[cfg(feature = "accounts")]
    async fn create_admin(&self, args: &ArgMatches, config: &Config) -> Result<(), Error> {
        let email = args.get_one::<String>("email").cloned().unwrap_or_default();
        let name = args.get_one::<String>("name").cloned().unwrap_or_default();
        let accounts = self.accounts.as_ref().ok_or("accounts are not enabled")?;
        let auth = accounts(config.auth_config()?);
        let database = self.database(config).await?;
        let password = admin_password()?;
        let user = create_user(&database, &auth, &name, &email, &password, Role::ADMIN).await?;
        print(&format!("created admin {} (id {})\n", user.email, user.id))
    }

    #[cfg(feature = "accounts")]
    async fn import_better_auth(&self, args: &ArgMatches, config: &Config) -> Result<(), Error> {
        let from = args.get_one::<String>("from").cloned().unwrap_or_default();
        let accounts = self.accounts.as_ref().ok_or("accounts are not enabled")?;
        let auth = accounts(config.auth_config()?);
        let source = Database::connect(&from).await?;
        let database = self.database(config).await?;
        let report = crate::auth::import_better_auth(&source, &database, &auth).await?;
        print(&format!(
            "imported {} users ({} without a password this server checks); skipped {} with an existing email and {} refused (see the log)\n",
            report.imported,
            report.without_password,
            report.skipped_existing,
            report.skipped_invalid
        ))
    }
}

/// The configuration every app reads from its environment.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// `DATABASE_URL`; the app's SQLite file when unset.
    pub database_url: Option<String>,
    /// `DATABASE_POOL_SIZE`: the most connections this process opens (16 unless set); in a
    /// cluster, nodes × this stays under PostgreSQL's `max_connections`.
    pub pool_size: Option<usize>,
    /// `BIND`: the address to listen on.
    pub bind: IpAddr,
    /// `PORT`: the port to listen on.
    pub port: u16,
    /// `BASE_URL`: the origin browsers use.
    pub base_url: String,
    /// `TRUSTED_ORIGINS`: other front ends allowed to make cookie-authenticated requests (the
    /// CSRF check) and to call across origins with credentials (CORS).
    pub trusted_origins: Vec<String>,
    /// `TRUSTED_PROXIES`: reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// `COOKIE_KEY`: the key of signed and private cookies.
    pub cookie_key: Option<cookie::Key>,
    /// `HEADER_READ_TIMEOUT_SECS`, `BODY_READ_TIMEOUT_SECS` and `MAX_IN_FLIGHT`: what a slow
    /// or greedy client may hold (each unset keeps the server's default).
    pub header_read_timeout: Option<std::time::Duration>,
    /// See [`Config::header_read_timeout`].
    pub body_read_timeout: Option<std::time::Duration>,
    /// See [`Config::header_read_timeout`].
    pub max_in_flight: Option<usize>,
    /// The account service's rate limits: `SIGN_IN_RATE_LIMIT`, `SIGN_UP_RATE_LIMIT`,
    /// `CHANGE_PASSWORD_RATE_LIMIT` and `FAILED_SIGN_IN_LIMIT`, each over the default.
    #[cfg(feature = "accounts")]
    pub rate_limits: RateLimits,
    /// `RATE_LIMIT_STORE`: where the rate limits are counted (`memory`, `postgres`, `redis://…`).
    #[cfg(feature = "accounts")]
    pub rate_limit_store: RateLimitStore,
    /// `SMTP_URL`: the SMTP server mail goes to; unset, the development mailer writes it to
    /// `MAIL_DIR`.
    pub smtp_url: Option<String>,
    /// `MAIL_FROM`: the sender of mail over SMTP.
    pub mail_from: Option<String>,
    /// `MAIL_DIR`: the development mailer's directory.
    pub mail_dir: std::path::PathBuf,
}

impl Config {
    /// The configuration in `var` (the process environment: `std::env::var(name).ok()`); an
    /// error names the variable whose value does not parse.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Config, Error> {
        let set = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let port = match set("PORT") {
            Some(port) => port
                .trim()
                .parse()
                .map_err(|_| format!("PORT must be a port number (1 to 65535), not {port:?}"))?,
            None => 3000,
        };
        let bind = match set("BIND") {
            Some(bind) => bind
                .trim()
                .parse()
                .map_err(|_| format!("BIND must be an IP address (127.0.0.1, ::), not {bind:?}"))?,
            None => IpAddr::from([127, 0, 0, 1]),
        };
        let pool_size = set("DATABASE_POOL_SIZE")
            .map(|size| match size.trim().parse::<usize>() {
                Ok(size) if size > 0 => Ok(size),
                _ => Err(format!(
                    "DATABASE_POOL_SIZE must be a number of connections (1 or more), not {size:?}"
                )),
            })
            .transpose()?;
        let trusted_proxies = list(set("TRUSTED_PROXIES"))
            .into_iter()
            .map(|proxy| {
                proxy.parse().map_err(|_| {
                    format!("TRUSTED_PROXIES must list IP addresses, but {proxy:?} is not one")
                })
            })
            .collect::<Result<_, _>>()?;
        let cookie_key = set("COOKIE_KEY")
            .map(|key| {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(key.trim())
                    .map_err(|_| "COOKIE_KEY must be base64".to_owned())?;
                cookie::Key::try_from(bytes.as_slice()).map_err(|_| {
                    format!(
                        "COOKIE_KEY must be at least 64 bytes once decoded, not {}",
                        bytes.len()
                    )
                })
            })
            .transpose()?;
        #[cfg(feature = "accounts")]
        let rate_limits = {
            let defaults = RateLimits::default();
            let limit = |name: &str, default: RateLimit| -> Result<RateLimit, Error> {
                match set(name) {
                    Some(text) => text
                        .parse()
                        .map_err(|error| format!("{name}: {error}").into()),
                    None => Ok(default),
                }
            };
            RateLimits {
                sign_in_per_ip: limit("SIGN_IN_RATE_LIMIT", defaults.sign_in_per_ip)?,
                sign_up_per_ip: limit("SIGN_UP_RATE_LIMIT", defaults.sign_up_per_ip)?,
                change_password_per_ip: limit(
                    "CHANGE_PASSWORD_RATE_LIMIT",
                    defaults.change_password_per_ip,
                )?,
                failures_per_account: limit("FAILED_SIGN_IN_LIMIT", defaults.failures_per_account)?,
                mail_per_ip: limit("MAIL_RATE_LIMIT", defaults.mail_per_ip)?,
                mail_per_email: limit("MAIL_PER_ADDRESS_LIMIT", defaults.mail_per_email)?,
                change_email_per_ip: limit(
                    "CHANGE_EMAIL_RATE_LIMIT",
                    defaults.change_email_per_ip,
                )?,
                ..defaults
            }
        };
        #[cfg(feature = "accounts")]
        let rate_limit_store = match set("RATE_LIMIT_STORE") {
            Some(text) => text
                .parse()
                .map_err(|error| format!("RATE_LIMIT_STORE: {error}"))?,
            None => RateLimitStore::Memory,
        };
        let seconds = |name: &str| -> Result<Option<std::time::Duration>, Error> {
            set(name)
                .map(|text| {
                    text.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|secs| secs.is_finite() && *secs > 0.0)
                        .map(std::time::Duration::from_secs_f64)
                        .ok_or_else(|| {
                            format!("{name} must be a positive number of seconds, not {text:?}")
                                .into()
                        })
                })
                .transpose()
        };
        let max_in_flight = set("MAX_IN_FLIGHT")
            .map(|text| {
                text.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        format!("MAX_IN_FLIGHT must be a positive whole number, not {text:?}")
                    })
            })
            .transpose()?;
        Ok(Config {
            database_url: set("DATABASE_URL"),
            pool_size,
            header_read_timeout: seconds("HEADER_READ_TIMEOUT_SECS")?,
            body_read_timeout: seconds("BODY_READ_TIMEOUT_SECS")?,
            max_in_flight,
            bind,
            port,
            base_url: set("BASE_URL").unwrap_or_else(|| format!("http://localhost:{port}")),
            trusted_origins: list(set("TRUSTED_ORIGINS")),
            trusted_proxies,
            cookie_key,
            #[cfg(feature = "accounts")]
            rate_limits,
            #[cfg(feature = "accounts")]
            rate_limit_store,
            smtp_url: set("SMTP_URL"),
            mail_from: set("MAIL_FROM"),
            mail_dir: set("MAIL_DIR").map_or_else(|| "data/mail".into(), Into::into),
        })
    }

    /// The account service's configuration: `BASE_URL`, `TRUSTED_ORIGINS` and the rate limits.
    #[cfg(feature = "accounts")]
    pub fn auth_config(&self) -> Result<AuthConfig, Error> {
        let mut config = AuthConfig::new(&self.base_url)
            .map_err(|error| format!("BASE_URL: {error}"))?
            .rate_limits(self.rate_limits)
            .rate_limit_store(self.rate_limit_store.clone());
        for origin in &self.trusted_origins {
            config = config
                .trusted_origin(origin)
                .map_err(|error| format!("TRUSTED_ORIGINS: {error}"))?;
        }
        Ok(match &self.smtp_url {
            #[cfg(feature = "smtp")]
            Some(url) => {
                let from = match &self.mail_from {
                    Some(from) => from.clone(),
                    None => format!("noreply@{}", host_of(config.origin())),
                };
                config.mailer(
                    crate::auth::SmtpMailer::new(url, &from)
                        .map_err(|error| format!("SMTP_URL or MAIL_FROM: {error}"))?,
                )
            }
            #[cfg(not(feature = "smtp"))]
            Some(_) => return Err("SMTP_URL is set, but the `smtp` feature is off".into()),
            None => config.mailer(crate::auth::DevMailer::to_dir(&self.mail_dir)),
        })
    }
}

/// The host of an origin (`https://blog.example:8443` → `blog.example`).
#[cfg(feature = "smtp")]
fn host_of(origin: &str) -> &str {
    let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => authority.split(':').next().unwrap_or(authority),
    }
}

/// The non-empty items of a comma-separated list.
fn list(value: Option<String>) -> Vec<String> {
    value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The access table: one line per action.
pub fn routes(manifest: &Manifest) -> String {
    let mut table = format!(
        "{:<20} {:<8} {:<18} {:<9} {:<4} {:<10} {:<6} {}\n",
        "ACTION", "POSTURE", "PERMISSION", "RESOURCE", "TX", "IDEMPOTENT", "AUDIT", "ACCEPT"
    );
    for action in &manifest.actions {
        let posture = action.posture.name();
        let permission = action.acl.map_or_else(|| "-".to_owned(), |p| p.to_string());
        let resource = if action.resource_check {
            "checked"
        } else {
            "-"
        };
        let tx = if action.tx { "yes" } else { "-" };
        let idempotent = action.idempotency_key.map_or("-", |key| key.name());
        let audit = if action.audit { "yes" } else { "-" };
        let accept = action.accept.name();
        table.push_str(&format!(
            "{:<20} {posture:<8} {permission:<18} {resource:<9} {tx:<4} {idempotent:<10} {audit:<6} {accept}\n",
            action.name
        ));
    }
    table
}

/// `client --lang ts [--out FILE]`.
fn client_command() -> Command {
    Command::new("client")
        .about("Print a typed client of the actions (TypeScript: actions.ts; see docs/clients.md)")
        .arg(
            Arg::new("lang")
                .long("lang")
                .value_parser(["ts"])
                .default_value("ts")
                .help("The client's language"),
        )
        .arg(
            Arg::new("out")
                .long("out")
                .value_name("FILE")
                .help("Write the client to FILE instead of stdout"),
        )
}

/// The client `client` asked for, on stdout or in `--out`.
fn write_client(args: &ArgMatches, manifest: &Manifest) -> Result<(), Error> {
    let text = crate::client::typescript(manifest);
    match args.get_one::<String>("out") {
        Some(path) => std::fs::write(path, text).map_err(|error| format!("{path}: {error}").into()),
        None => print(&text),
    }
}

/// Logs on stderr, filtered by `RUST_LOG` (default `info`): a line per request (the access log)
/// and per event, inside their request and action spans. With the `otel` feature and
/// `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) set, the same spans
/// also go to that OTLP collector, over HTTP/protobuf; the returned guard flushes them when
/// dropped.
fn init_logging(app: &'static str) -> Option<Exporter> {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;
    let filter: Targets = std::env::var("RUST_LOG")
        .ok()
        .and_then(|filter| filter.parse().ok())
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    #[cfg(feature = "otel")]
    let (otel, exporter) = match otel::exporter(app) {
        Ok(Some((layer, guard))) => (Some(layer), Some(guard)),
        Ok(None) => (None, None),
        Err(error) => {
            let _ = writeln!(
                std::io::stderr(),
                "warning: no OpenTelemetry export: {error}"
            );
            (None, None)
        }
    };
    #[cfg(not(feature = "otel"))]
    let (otel, exporter) = {
        let _ = app;
        (None::<tracing_subscriber::layer::Identity>, None)
    };
    let _ = tracing_subscriber::registry()
        .with(otel)
        .with(
            tracing_subscriber::fmt::layer()
                .with_target(false)
                // Colours for a person at a terminal; none in a file or a collector's pipe,
                // where the escape codes were noise (and formatting them cost about 14,000
                // instructions a request, a sixth of a public read).
                .with_ansi(std::io::stderr().is_terminal())
                .with_writer(std::io::stderr),
        )
        .with(filter)
        .try_init();
    exporter
}

/// What flushes the exported spans when dropped: nothing without the `otel` feature.
#[cfg(feature = "otel")]
type Exporter = otel::Exporter;
#[cfg(not(feature = "otel"))]
type Exporter = ();

/// The OpenTelemetry exporter (feature `otel`), configured by the standard `OTEL_*` variables.
#[cfg(feature = "otel")]
mod otel {
    use opentelemetry::trace::TracerProvider as _;
    use opentelemetry_sdk::trace::SdkTracerProvider;

    /// Flushes and stops the exporter when dropped.
    pub(super) struct Exporter(SdkTracerProvider);

    impl Drop for Exporter {
        fn drop(&mut self) {
            let _ = self.0.shutdown();
        }
    }

    /// A layer sending spans to the OTLP endpoint, when `OTEL_EXPORTER_OTLP_ENDPOINT` or
    /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` names one; `service.name` is the app's unless
    /// `OTEL_SERVICE_NAME` says otherwise.
    #[allow(clippy::type_complexity)]
    pub(super) fn exporter<S>(
        app: &'static str,
    ) -> Result<
        Option<(
            tracing_opentelemetry::OpenTelemetryLayer<S, opentelemetry_sdk::trace::SdkTracer>,
            Exporter,
        )>,
        String,
    >
    where
        S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    {
        let set = |name: &str| std::env::var(name).is_ok_and(|value| !value.trim().is_empty());
        if !set("OTEL_EXPORTER_OTLP_ENDPOINT") && !set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            return Ok(None);
        }
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .build()
            .map_err(|error| error.to_string())?;
        let service = std::env::var("OTEL_SERVICE_NAME").unwrap_or_else(|_| app.to_owned());
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(
                opentelemetry_sdk::Resource::builder()
                    .with_service_name(service)
                    .build(),
            )
            .build();
        let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("actions-runtime"));
        Ok(Some((layer, Exporter(provider))))
    }
}

/// `ADMIN_PASSWORD`, or the first line of stdin without its line ending (nothing else is
/// trimmed: the password is taken as typed).
#[cfg(feature = "accounts")]
fn admin_password() -> Result<String, Error> {
    use std::io::BufRead;
    if let Ok(password) = std::env::var("ADMIN_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line
        .strip_suffix('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or(&line);
    if password.is_empty() {
        return Err("no password: set ADMIN_PASSWORD or pass it on stdin".into());
    }
    Ok(password.to_owned())
}

fn print(text: &str) -> Result<(), Error> {
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

/// Ctrl-C anywhere, or SIGTERM from a service manager on Unix: stop accepting, finish what is
/// in flight. The handlers are installed here, before the server says it listens: installed
/// when the future was first polled, a SIGTERM in the moment after start-up (a quick rollback,
/// or a test) killed the process instead of draining it.
fn shutdown() -> std::io::Result<impl Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    let signalled = {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
        }
    };
    #[cfg(not(unix))]
    let signalled = {
        let mut interrupt = tokio::signal::windows::ctrl_c()?;
        async move {
            interrupt.recv().await;
        }
    };
    Ok(async move {
        signalled.await;
        tracing::info!("shutting down");
    })
}

#[cfg(all(test, feature = "accounts"))]
mod tests {
    use super::Config;
    use crate::auth::{RateLimit, RateLimitStore, RateLimits};
    use std::time::Duration;

    #[test]
    fn rate_limits_come_from_the_environment() {
        let config = Config::from_vars(|name| match name {
            "SIGN_IN_RATE_LIMIT" => Some("off".to_owned()),
            "SIGN_UP_RATE_LIMIT" => Some("100/min".to_owned()),
            _ => None,
        })
        .unwrap();
        let defaults = RateLimits::default();
        assert_eq!(config.rate_limits.sign_in_per_ip, RateLimit::UNLIMITED);
        assert_eq!(
            config.rate_limits.sign_up_per_ip,
            RateLimit::new(100, Duration::from_secs(60))
        );
        assert_eq!(
            config.rate_limits.failures_per_account,
            defaults.failures_per_account
        );
        let auth = config.auth_config().unwrap();
        assert_eq!(auth.rate_limits.sign_in_per_ip, RateLimit::UNLIMITED);
    }

    #[test]
    fn pool_size_comes_from_the_environment() {
        let size = |value: &str| {
            Config::from_vars(|name| (name == "DATABASE_POOL_SIZE").then(|| value.to_owned()))
                .map(|config| config.pool_size)
                .map_err(|error| error.to_string())
        };
        assert_eq!(size("8"), Ok(Some(8)));
        assert_eq!(Config::from_vars(|_| None).unwrap().pool_size, None);
        for bad in ["0", "-1", "many"] {
            assert!(
                size(bad).unwrap_err().starts_with("DATABASE_POOL_SIZE"),
                "{bad}"
            );
        }
    }

    #[test]
    fn rate_limit_store_comes_from_the_environment() {
        let store = |value: &str| {
            Config::from_vars(|name| (name == "RATE_LIMIT_STORE").then(|| value.to_owned()))
                .map(|config| config.rate_limit_store)
                .map_err(|error| error.to_string())
        };
        assert_eq!(
            Config::from_vars(|_| None).unwrap().rate_limit_store,
            RateLimitStore::Memory,
            "the default: one node"
        );
        assert_eq!(store("postgres"), Ok(RateLimitStore::Postgres));
        assert_eq!(store(" memory "), Ok(RateLimitStore::Memory));
        let error = store("memcached://x").unwrap_err();
        assert!(error.starts_with("RATE_LIMIT_STORE: expected"), "{error}");
        let redis = store("redis://:secret@127.0.0.1:6379/2");
        #[cfg(feature = "redis")]
        assert!(
            !format!("{:?}", redis.unwrap()).contains("secret"),
            "no password in the logs"
        );
        #[cfg(not(feature = "redis"))]
        assert!(redis.unwrap_err().contains("`redis` feature"));
        #[cfg(feature = "redis")]
        assert!(store("redis://[::1").is_err());
    }

    #[test]
    fn mail_comes_from_the_environment() {
        let config = Config::from_vars(|_| None).unwrap();
        assert_eq!(config.mail_dir, std::path::PathBuf::from("data/mail"));
        assert_eq!(config.smtp_url, None);
        assert!(config.auth_config().unwrap().mailer.is_some());
    }

    #[cfg(feature = "smtp")]
    #[test]
    fn smtp_comes_from_the_environment() {
        let config = Config::from_vars(|name| match name {
            "SMTP_URL" => Some("smtp://127.0.0.1:2525".to_owned()),
            "BASE_URL" => Some("https://blog.example:8443".to_owned()),
            "CHANGE_EMAIL_RATE_LIMIT" => Some("3/10s".to_owned()),
            _ => None,
        })
        .unwrap();
        assert_eq!(
            config.rate_limits.change_email_per_ip,
            RateLimit::new(3, Duration::from_secs(10))
        );
        assert_eq!(super::host_of("https://blog.example:8443"), "blog.example");
        assert_eq!(super::host_of("http://[::1]:3000"), "::1");
        assert!(config.auth_config().unwrap().mailer.is_some());
        let config = Config::from_vars(|name| match name {
            "SMTP_URL" => Some("imap://nowhere".to_owned()),
            _ => None,
        })
        .unwrap();
        let error = config.auth_config().expect_err("refused").to_string();
        assert!(error.starts_with("SMTP_URL or MAIL_FROM:"), "{error}");
    }
}
