//! `example-app`: the blog, served as actions. `example-app --help` lists the commands (`serve`,
//! the default, `migrate`, `schema`, `openapi`, `routes`, `client`, `create-admin`, `import-better-auth`); the
//! environment configures them (`DATABASE_URL`, `PORT`, `BIND`, `BASE_URL`, …: see `actions_runtime::cli`).

use actions_runtime::cli::App;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    App::new("example-app", example_app::actions::registry)
        .about("A small blog with money, served as actions")
        .version(env!("CARGO_PKG_VERSION"))
        .migrations(example_app::MIGRATIONS)
        .accounts(|auth| auth)
        .configure(example_app::configure)
        .pages(example_app::site::pages)
        .run()
        .await
}
