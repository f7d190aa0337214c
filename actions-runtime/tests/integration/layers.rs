//! The runtime's layers point down only (docs/architecture.md): this test reads every `crate::`
//! and `super::` path in `src/` and fails when a module names one of a layer above its own, or
//! a sibling stage of the pipeline.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where a module sits: its layer (0 is the bottom) and its group within the layer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    layer: u8,
    group: String,
}

/// The layers, bottom up, by the module path's first segments.
fn place(module: &[String]) -> Option<Place> {
    let at = |layer: u8, group: &str| {
        Some(Place {
            layer,
            group: group.to_owned(),
        })
    };
    match module.first().map(String::as_str)? {
        "error" => at(0, "error"),
        "db" => at(1, "db"),
        "base" => at(2, "base"),
        // A stage is `pipeline::<stage>`; `pipeline` itself orders them.
        "pipeline" => match module.get(1) {
            // Not a stage: the pipeline's own view of an action (its steps behind function
            // pointers), which calls into the stages as the pipeline does.
            Some(erased) if erased == "erased" => at(4, "pipeline"),
            Some(stage) if stage.starts_with(char::is_lowercase) => {
                at(3, &format!("pipeline::{stage}"))
            }
            _ => at(4, "pipeline"),
        },
        // What a browser's form post is answered with: beside the stages, importing none.
        "web" => at(3, "web"),
        "accounts" => at(4, "accounts"),
        "server" => at(5, "server"),
        // The crate root's facades (`auth`, `acl`, `audit`, `prelude`), the CLI, the client
        // generators, test support and what generated code names sit on top of everything.
        "lib" | "cli" | "client" | "testing" | "guide" | "__private" | "__fuzz" | "auth"
        | "acl" | "audit" | "prelude" => at(6, &module[0]),
        // Not a module of the crate root (a macro, or a path an inline module's `super` leads
        // astray): nothing to check.
        _ => None,
    }
}

/// The module path of a source file: `src/pipeline/3_input/form/value.rs` is
/// `pipeline::input::form::value` (stage files are numbered for the reader; `#[path]` names
/// their modules without the number).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("under src");
    let mut segments: Vec<String> = relative
        .iter()
        .map(|part| {
            let part = part.to_string_lossy();
            let part = part.strip_suffix(".rs").unwrap_or(&part);
            match part.split_once('_') {
                Some((number, name))
                    if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) =>
                {
                    name.to_owned()
                }
                _ => part.to_owned(),
            }
        })
        .collect();
    if segments.last().is_some_and(|s| s == "mod" || s == "lib") {
        segments.pop();
    }
    segments
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (doc links name any module freely) and without its
/// unit tests (an inline `mod tests` at the end, whose `super` is the file itself).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module path `code` names, relative to `module`: `crate::a::b`, `super::c`, and each
/// item of `use crate::{a, b::c}` or `use crate::a::{b, c}`. Macro bodies' `$crate::` expand in
/// other crates: skipped. Two segments say where a path leads (`pipeline::audit`).
fn references(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let start_ok = i == 0 || !(is_ident(bytes[i - 1]) || b"$:".contains(&bytes[i - 1]));
        let (base, mut at) = if start_ok && rest.starts_with(b"crate::") {
            (Vec::new(), i + "crate::".len())
        } else if start_ok && rest.starts_with(b"super::") {
            let mut base = module.to_vec();
            let mut at = i;
            while bytes[at..].starts_with(b"super::") {
                base.pop();
                at += "super::".len();
            }
            (base, at)
        } else {
            i += 1;
            continue;
        };
        let mut path = base;
        while let Some(len) = ident_len(&bytes[at..]) {
            path.push(code[at..at + len].to_owned());
            at += len;
            if !bytes[at..].starts_with(b"::") {
                break;
            }
            at += 2;
        }
        if bytes[at..].starts_with(b"{") {
            let end = matching_brace(bytes, at);
            for item in split_top_level(&code[at + 1..end]) {
                let item: Vec<String> = item
                    .split("::")
                    .map(|s| s.trim().to_owned())
                    .take_while(|s| !s.is_empty() && s.bytes().all(is_ident))
                    .collect();
                if !item.is_empty() && item[0] != "self" {
                    found.push(path.iter().cloned().chain(item).collect());
                } else if item.first().is_some_and(|s| s == "self") {
                    found.push(path.clone());
                }
            }
            at = end;
        } else if !path.is_empty() {
            found.push(path);
        }
        i = at.max(i + 1);
    }
    found
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The length of the identifier `bytes` start with, if any.
fn ident_len(bytes: &[u8]) -> Option<usize> {
    let len = bytes.iter().take_while(|b| is_ident(**b)).count();
    (len > 0).then_some(len)
}

/// The index of the `}` closing the `{` at `open`.
fn matching_brace(bytes: &[u8], open: usize) -> usize {
    let mut depth = 0;
    for (offset, b) in bytes[open..].iter().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return open + offset;
                }
            }
            _ => {}
        }
    }
    bytes.len()
}

/// `a::{b, c}, d` split at its top-level commas; nested groups keep their prefix's first part.
fn split_top_level(group: &str) -> Vec<&str> {
    let (mut items, mut depth, mut start) = (Vec::new(), 0, 0);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

#[test]
fn layers_only_point_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut edges: BTreeMap<(Place, Place), Vec<String>> = BTreeMap::new();
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let Some(from) = place(&module) else { continue };
        let text = std::fs::read_to_string(file).expect("a source file");
        for target in references(&code(&text), &module) {
            if from.layer == 6 {
                continue; // the top may use anything
            }
            // `crate::Name` through the root's re-exports hides the layer: name the module.
            if target.len() == 1 && target[0].starts_with(char::is_uppercase) {
                violations.push(format!(
                    "{}: `crate::{}` goes through the crate root; name the module it lives in",
                    file.display(),
                    target[0]
                ));
                continue;
            }
            let Some(to) = place(&target) else { continue };
            if to == from {
                continue;
            }
            let upward = to.layer > from.layer;
            let sibling = to.layer == from.layer;
            if upward || sibling {
                violations.push(format!(
                    "{}: `{}` is {} ({} → {})",
                    file.display(),
                    target.join("::"),
                    if upward { "a layer above" } else { "a sibling" },
                    from.group,
                    to.group,
                ));
            }
            edges
                .entry((from.clone(), to))
                .or_default()
                .push(file.display().to_string());
        }
    }
    let groups: BTreeSet<&Place> = edges.keys().flat_map(|(a, b)| [a, b]).collect();
    eprintln!(
        "{} modules in {} layers, {} import edges between them, {} upward or sideways",
        groups.len(),
        groups
            .iter()
            .map(|p| p.layer)
            .collect::<BTreeSet<_>>()
            .len(),
        edges.len(),
        violations.len()
    );
    for (from, to) in edges.keys() {
        eprintln!(
            "  {} ({}) → {} ({})",
            from.group, from.layer, to.group, to.layer
        );
    }
    assert!(
        violations.is_empty(),
        "imports that do not point down:\n  {}",
        violations.join("\n  ")
    );
}

#[test]
fn the_reader_finds_every_kind_of_path() {
    let module = vec!["pipeline".to_owned(), "input".to_owned(), "form".to_owned()];
    let found = references(
        "use crate::db::{self, DbConn};\nuse crate::{base::Accept, error};\nlet x = crate::server::x();\nuse super::super::nested::Decode;\n$crate::db::DbConn\nuse crate::pipeline::{audit::AuditOutcome, Endpoint};\nuse crate::pipeline;\nuse a::b;",
        &module,
    );
    let found: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        found,
        [
            "db",
            "db::DbConn",
            "base::Accept",
            "error",
            "server::x",
            "pipeline::nested::Decode",
            "pipeline::audit::AuditOutcome",
            "pipeline::Endpoint",
            "pipeline",
        ]
    );
}
