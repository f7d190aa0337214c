//! `example-app`: serve the blog (default), apply migrations, print the action manifest or the
//! access table, or create the first admin.
//!
//! Environment: `DATABASE_URL` (default `sqlite://data/example-app.sqlite3`; a `postgres://`
//! URL selects PostgreSQL), `PORT` (default 3000), `BASE_URL` (the origin browsers use, default
//! `http://localhost:$PORT`), `TRUSTED_ORIGINS` (comma-separated other front ends), `RUST_LOG`
//! (default `info`).

use actions_runtime::{AuthConfig, Database, Posture, Role};
use clap::{Parser, Subcommand};
use std::io::{BufRead, Write};
use std::process::ExitCode;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

const DEFAULT_DATABASE_URL: &str = "sqlite://data/example-app.sqlite3";

#[derive(Parser)]
#[command(version, about = "A small blog with money, served as actions")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, then serve on 127.0.0.1:$PORT (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Print every action with its posture and JSON Schemas (what GET /_actions/schema.json serves).
    Schema,
    /// Print every action with who may call it: posture, permission, resource check.
    Routes,
    /// Create an admin account; the password is read from ADMIN_PASSWORD or the first line of stdin.
    CreateAdmin {
        /// The admin's email address.
        #[arg(long)]
        email: String,
        /// The admin's display name.
        #[arg(long, default_value = "Admin")]
        name: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let filter: Targets = std::env::var("RUST_LOG")
        .ok()
        .and_then(|f| f.parse().ok())
        .unwrap_or_else(|| "info".parse().unwrap_or_default());
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_target(false))
        .with(filter)
        .init();
    match run(Cli::parse().command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

type Error = Box<dyn std::error::Error>;

async fn run(command: Command) -> Result<(), Error> {
    match command {
        // No database needed: both depend on the code alone.
        Command::Schema => print(&format!("{}\n", example_app::manifest().to_json())),
        Command::Routes => print(&routes()),
        Command::Migrate => {
            database().await?;
            Ok(())
        }
        Command::CreateAdmin { email, name } => {
            let database = database().await?;
            let password = admin_password()?;
            let user = actions_runtime::create_user(
                &database,
                &auth_config()?,
                &name,
                &email,
                &password,
                Role::Admin,
            )
            .await?;
            print(&format!("created admin {} (id {})\n", user.email, user.id))
        }
        Command::Serve => serve().await,
    }
}

async fn serve() -> Result<(), Error> {
    let server = example_app::server(database().await?, auth_config()?)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port()?)).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    server.serve(listener, shutdown()).await?;
    Ok(())
}

/// The database of `DATABASE_URL`, migrated.
async fn database() -> Result<Database, Error> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
    let database = Database::connect(&url).await?;
    let applied = example_app::migrate(&database).await?;
    tracing::info!(backend = %database.backend(), applied = applied.len(), "database ready");
    Ok(database)
}

fn port() -> Result<u16, Error> {
    match std::env::var("PORT") {
        Ok(port) => Ok(port
            .parse()
            .map_err(|_| format!("PORT must be a port number, not {port:?}"))?),
        Err(_) => Ok(3000),
    }
}

fn auth_config() -> Result<AuthConfig, Error> {
    let base_url = std::env::var("BASE_URL").unwrap_or(format!("http://localhost:{}", port()?));
    let mut config = AuthConfig::new(&base_url)?;
    for origin in std::env::var("TRUSTED_ORIGINS")
        .unwrap_or_default()
        .split(',')
        .filter(|o| !o.trim().is_empty())
    {
        config = config.trusted_origin(origin.trim())?;
    }
    Ok(config)
}

/// `ADMIN_PASSWORD`, or the first line of stdin without its line ending (nothing else is
/// trimmed: the password is taken as typed).
fn admin_password() -> Result<String, Error> {
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

/// The access table: one line per action.
fn routes() -> String {
    let manifest = example_app::manifest();
    let mut table = format!(
        "{:<20} {:<8} {:<18} {:<9} {:<4} {:<10} {:<6} {}\n",
        "ACTION", "POSTURE", "PERMISSION", "RESOURCE", "TX", "IDEMPOTENT", "AUDIT", "ACCEPT"
    );
    for action in &manifest.actions {
        let posture = match action.posture {
            Posture::Public => "public",
            Posture::Authenticated => "auth",
        };
        let permission = action.acl.map_or_else(|| "-".to_owned(), |p| p.to_string());
        let resource = if action.resource_check {
            "checked"
        } else {
            "-"
        };
        let tx = if action.tx { "yes" } else { "-" };
        let as_text = |value: serde_json::Result<serde_json::Value>| {
            value
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| "-".to_owned())
        };
        let idempotent = as_text(serde_json::to_value(action.idempotency_key));
        let audit = if action.audit { "yes" } else { "-" };
        let accept = as_text(serde_json::to_value(action.accept));
        table.push_str(&format!(
            "{:<20} {posture:<8} {permission:<18} {resource:<9} {tx:<4} {idempotent:<10} {audit:<6} {accept}\n",
            action.name
        ));
    }
    table
}

fn print(text: &str) -> Result<(), Error> {
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

/// Ctrl-C, or SIGTERM from a service manager: stop accepting, finish what is in flight.
async fn shutdown() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
