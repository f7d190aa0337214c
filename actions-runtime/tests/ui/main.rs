//! Compile tests: every rejected declaration fails with its own spanned error, every accepted
//! shape compiles. Their own test binary (`cargo test -p actions-runtime --test ui`), so the
//! integration tests link and run without waiting for rustc; `README.md` here says how to add a
//! case and bless its `.stderr`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
