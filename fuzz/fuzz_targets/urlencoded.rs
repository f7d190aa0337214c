//! The urlencoded form decoder and the dotted/repeated field tree: a body is pairs or a `400`;
//! the pairs are what the `form_urlencoded` crate reads (which is lossy where the runtime is
//! strict, so only bodies the runtime accepts are compared); every pair lands in the tree or
//! names its key among the refusals; decoding as an input is a value or a `400`.
#![no_main]

use actions_fuzz::{Form, Rules, assert_refusal};
use actions_runtime::__fuzz;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|bytes: &[u8]| {
    match __fuzz::urlencoded_pairs(bytes) {
        Err(error) => assert_refusal(&error, &[400]),
        Ok(pairs) => {
            let reference: Vec<(String, String)> = form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            assert_eq!(pairs, reference, "the pairs differ from form_urlencoded's");
            let (tree, refused) = __fuzz::form_tree(&pairs);
            let refused_pairs = pairs
                .iter()
                .filter(|(key, _)| refused.iter().any(|(path, _)| path == key))
                .count();
            assert_eq!(
                leaves(&tree) + refused_pairs,
                pairs.len(),
                "every pair is in the tree or refused: {pairs:?} → {tree} / {refused:?}"
            );
            for (path, messages) in &refused {
                assert!(!messages.is_empty(), "a refused key says why: {path}");
                assert!(
                    pairs.iter().any(|(key, _)| key == path),
                    "refused an unsent key {path:?}"
                );
            }
        }
    }
    for result in [
        __fuzz::urlencoded::<Form>(bytes).map(drop),
        __fuzz::urlencoded::<Rules>(bytes).map(drop),
    ] {
        if let Err(error) = result {
            assert_refusal(&error, &[400]);
        }
    }
});

/// How many values the tree holds: a list is the values sent under one key.
fn leaves(tree: &Value) -> usize {
    match tree {
        Value::Object(children) => children.values().map(leaves).sum(),
        Value::Array(items) => items.len(),
        _ => 1,
    }
}
