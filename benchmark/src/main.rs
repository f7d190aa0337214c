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
//! and drops it. The server logs as the app's command line does (`RUST_LOG`, `info` by default,
//! into `$TMPDIR/benchmark-server.log`): `RUST_LOG=warn` measures both sides without their
//! access logs.

mod baseline;
mod build_cost;
mod driver;
mod report;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("serve") {
        return serve();
    }
    match driver::Options::parse(&args).and_then(|options| driver::run(&options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("benchmark: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The server under test: the example app served by its own command line (`App::run`, so its
/// logging, limits, header read timeout and shutdown are what operators run), with the
/// baseline's routes as the app's pages. It logs `listening on http://…` to stderr when ready.
fn serve() -> ExitCode {
    use actions_runtime::cli::App;
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("benchmark serve: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let url = std::env::var("DATABASE_URL").unwrap_or_default();
        let baseline = match baseline::router(&url) {
            Ok(router) => router,
            Err(error) => {
                eprintln!("benchmark serve: the baseline's pool: {error}");
                return ExitCode::FAILURE;
            }
        };
        App::new("example-app", example_app::actions::registry)
            .migrations(example_app::MIGRATIONS)
            .accounts(|auth| auth)
            .configure(example_app::configure)
            .pages(move |_| baseline.clone())
            .run()
            .await
    })
}
