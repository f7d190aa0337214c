//! The generated TypeScript client is checked in (`client/actions.ts`), so a change to an
//! action shows in review as a change to the client. `EXPECTORATE=overwrite` blesses it;
//! `.ci/client.sh` type-checks it and runs it against the app.

use actions_runtime::Manifest;

#[test]
fn the_checked_in_client_is_what_the_registry_generates() {
    let manifest = Manifest::of_registry(&example_app::actions::registry());
    let generated = actions_runtime::client::typescript(&manifest);
    expectorate::assert_contents("client/actions.ts", &generated);
}

#[test]
fn the_cli_prints_the_same_client() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_example-app"))
        .args(["client", "--lang", "ts"])
        .env_remove("DATABASE_URL")
        .output()
        .expect("run example-app client");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let checked_in = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("client/actions.ts"),
    )
    .expect("client/actions.ts");
    assert_eq!(String::from_utf8_lossy(&output.stdout), checked_in);
}
