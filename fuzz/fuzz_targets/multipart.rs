//! The multipart reader (multer) and the form tree behind it: the input's first line is the
//! boundary, the rest the body. Reading a body held in memory completes at once; the result is
//! an input, a `400` or a `413` — never a panic or a `5xx` — and a `413` only for a body over
//! the limit.
#![no_main]

use actions_fuzz::{Form, assert_refusal};
use actions_runtime::__fuzz;
use libfuzzer_sys::fuzz_target;

/// Small, so the fuzzer reaches the limit.
const LIMIT: usize = 4096;

fuzz_target!(|bytes: &[u8]| {
    let (boundary, body) = match bytes.iter().position(|&b| b == b'\n') {
        Some(at) => (&bytes[..at], &bytes[at + 1..]),
        None => (&b"X"[..], bytes),
    };
    let Ok(boundary) = std::str::from_utf8(boundary) else {
        return;
    };
    let result = __fuzz::multipart::<Form>(boundary, body.to_vec(), LIMIT)
        .expect("a body held in memory is read at once");
    if let Err(error) = result {
        assert_refusal(&error, &[400, 413]);
        if error.code().status().as_u16() == 413 {
            assert!(body.len() > LIMIT, "413 for a body of {} bytes", body.len());
        }
    }
});
