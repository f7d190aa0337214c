//! Compile tests: every rejected declaration fails with its own spanned error, every accepted
//! shape compiles. Bless `.stderr` files with `TRYBUILD=overwrite` and read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
