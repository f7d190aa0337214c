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

/// Every block of expanded code in `docs/generated-code.md` (fenced `rust,ignore`) is a run of
/// lines of some expansion snapshot: the page shows what the macros emit, not what they once did.
#[test]
fn docs_match_the_snapshots() {
    let page = std::fs::read_to_string("../docs/generated-code.md").expect("the page");
    let snapshots: Vec<(String, Vec<String>)> = std::fs::read_dir("tests/output")
        .expect("the snapshots")
        .map(|entry| {
            let path = entry.expect("an entry").path();
            let text = std::fs::read_to_string(&path).expect("a snapshot");
            (path.display().to_string(), significant_lines(&text))
        })
        .collect();
    let mut blocks = 0;
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "```rust,ignore" {
            continue;
        }
        let block: String = lines
            .by_ref()
            .take_while(|line| line.trim() != "```")
            .map(|line| format!("{line}\n"))
            .collect();
        let block = significant_lines(&block);
        blocks += 1;
        assert!(
            snapshots
                .iter()
                .any(|(_, snapshot)| snapshot.windows(block.len()).any(|run| run == block)),
            "docs/generated-code.md shows code no snapshot in tests/output has:\n{}",
            block.join("\n")
        );
    }
    assert!(blocks >= 10, "the page's expansion blocks were found");
}

/// Lines with their indentation dropped (the page shows pieces out of their nesting), blank
/// lines left out.
fn significant_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}
