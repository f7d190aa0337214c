//! `example-app`: serve the blog (default), apply migrations, or print the action manifest.
//!
//! Environment: `DATABASE_URL` (default `sqlite://data/example-app.sqlite3`; a `postgres://`
//! URL selects PostgreSQL), `PORT` (default 3000), `RUST_LOG` (default `info`),
//! `EXAMPLE_DEV_AUTH=1` for development sign-in through the `x-dev-user` header.

use actions_runtime::Database;
use clap::{Parser, Subcommand};
use example_app::dev_auth::DevAuthenticator;
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

async fn run(command: Command) -> Result<(), Box<dyn std::error::Error>> {
    if let Command::Schema = command {
        // No database needed: the manifest depends on the code alone.
        let manifest = example_app::manifest();
        std::io::Write::write_all(
            &mut std::io::stdout(),
            format!("{}\n", manifest.to_json()).as_bytes(),
        )?;
        return Ok(());
    }
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
    let database = Database::connect(&url).await?;
    let applied = database.migrate(&example_app::MIGRATIONS).await?;
    tracing::info!(backend = %database.backend(), applied = applied.len(), "database ready");
    if let Command::Migrate = command {
        return Ok(());
    }
    let dev_auth = std::env::var("EXAMPLE_DEV_AUTH").is_ok_and(|v| v == "1");
    if dev_auth {
        tracing::warn!(
            "development sign-in is on: any client can act as any user with `x-dev-user: <id>`"
        );
    }
    let server = example_app::server(database, DevAuthenticator { enabled: dev_auth })?;
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| format!("PORT must be a port number, not {port:?}"))?,
        Err(_) => 3000,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    server.serve(listener, shutdown()).await?;
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
