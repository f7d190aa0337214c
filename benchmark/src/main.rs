//! The benchmark: the example app against the same work written by hand (`baseline.rs`), both
//! served by one release-built process on PostgreSQL and loaded with wrk on loopback, each
//! scenario alternating framework and baseline over several rounds. It writes the table to
//! `docs/performance.md`.
//!
//! ```text
//! cargo run --release -p benchmark                 # the full run (about 15 minutes)
//! cargo run -p benchmark -- --smoke                # every scenario once, briefly: CI
//! ```
//!
//! Options: `--rounds N` (3), `--duration S` (10), `--connections N` (64), `--out FILE`
//! (`docs/performance.md`; `-` for none), `--only a,b` (scenario names), `--build-cost N`
//! (actions in the build-cost crates, 200; 0 skips it). `DATABASE_URL` names the PostgreSQL
//! server (`postgres://postgres@127.0.0.1:5432/test`); each run creates its own database there
//! and drops it.

mod baseline;
mod build_cost;
mod driver;
mod report;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        _ => driver::Options::parse(&args).and_then(|options| driver::run(&options)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("benchmark: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The server under test: the example app, configured from the environment as its command line
/// does, with the baseline's routes beside its own.
fn serve() -> Result<(), String> {
    use actions_runtime::cli::{App, Config};
    use actions_runtime::db::{Database, RUNTIME_MIGRATIONS};
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let config =
            Config::from_vars(|name| std::env::var(name).ok()).map_err(|e| e.to_string())?;
        let url = config
            .database_url
            .clone()
            .ok_or("DATABASE_URL is not set")?;
        let database = Database::connect(&url).await.map_err(|e| e.to_string())?;
        database
            .migrate(&RUNTIME_MIGRATIONS)
            .await
            .map_err(|e| e.to_string())?;
        database
            .migrate(&example_app::MIGRATIONS)
            .await
            .map_err(|e| e.to_string())?;
        let app = App::new("example-app", example_app::actions::registry)
            .accounts(|auth| auth)
            .configure(example_app::configure);
        let server = app.server(database, &config).map_err(|e| e.to_string())?;
        let router = server.router().merge(baseline::router(&url)?);
        let listener = tokio::net::TcpListener::bind((config.bind, config.port))
            .await
            .map_err(|e| e.to_string())?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        // Installed before the announcement, so the driver's SIGTERM always drains.
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .map_err(|e| format!("a SIGTERM handler: {e}"))?;
        // The driver reads this line to know the server is up.
        driver::announce(&format!("listening on http://{address}"));
        let app = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                term.recv().await;
            })
            .await
            .map_err(|e| e.to_string())
    })
}
