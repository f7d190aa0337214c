//! Compile tests: every rejected declaration fails with its own spanned error, every accepted
//! shape compiles. Bless `.stderr` files with `TRYBUILD=overwrite` and read the diff.

#[test]
fn ui() {
    // Compiling loads the CPU: keep it away from timing-sensitive tests.
    let _shared = actions_runtime::testing::shared();
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
