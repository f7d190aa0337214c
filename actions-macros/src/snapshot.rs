//! Expansion snapshots: what a reader sees in `cargo expand`, pinned in `tests/output/`.
//! Regenerate with `EXPECTORATE=overwrite cargo test -p actions-macros` and read the diff.

use proc_macro2::TokenStream;

/// Pretty-prints an expansion and compares it with `tests/output/<name>.rs`.
pub(crate) fn assert_expansion(name: &str, (tokens, errors): (TokenStream, Vec<syn::Error>)) {
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let file: syn::File = syn::parse2(tokens).expect("expansion parses as a file");
    let mut text = String::new();
    for message in &messages {
        text.push_str(&format!("// error: {message}\n"));
    }
    text.push_str(&prettyplease::unparse(&file));
    expectorate::assert_contents(format!("tests/output/{name}.rs"), &text);
}

/// The messages of the errors an expansion reported.
pub(crate) fn error_messages((_, errors): (TokenStream, Vec<syn::Error>)) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}
