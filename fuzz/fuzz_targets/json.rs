//! The JSON decoder: any body is a tree or a `400` (never a panic, a stack overflow or a
//! `5xx`); the tree is exactly what serde_json reads (a differential check of the hand-written
//! visitor); a body that decodes as an input parsed as a tree first.
#![no_main]

use actions_fuzz::{Rules, Sink, assert_refusal};
use actions_runtime::__fuzz;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let tree = __fuzz::json_tree(bytes);
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let reference = serde_json::from_slice::<serde_json::Value>(body);
    match (&tree, &reference) {
        (Ok(tree), Ok(reference)) => {
            assert_eq!(tree, reference, "the tree differs from serde_json's")
        }
        (Err(error), Err(_)) => assert_refusal(error, &[400]),
        (Ok(_), Err(e)) => panic!("the runtime parsed a body serde_json refuses ({e})"),
        (Err(e), Ok(_)) => panic!("the runtime refused a body serde_json parses: {e:?}"),
    }
    for result in [
        __fuzz::json::<Sink>(bytes).map(drop),
        __fuzz::json::<Rules>(bytes).map(drop),
    ] {
        match result {
            Ok(()) => assert!(
                tree.is_ok(),
                "an input decoded from a body that does not parse"
            ),
            Err(error) => assert_refusal(&error, &[400]),
        }
    }
});
