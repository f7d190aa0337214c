//! The Idempotency-Key parser: any headers give a key, no key (only where it is optional and
//! none was sent) or a `400`. A key is 1 to 255 printable ASCII characters taken from the
//! header, and the same key sent again in the structured-field form (`"…"`) reads the same.
#![no_main]

use actions_fuzz::assert_refusal;
use actions_runtime::__fuzz;
use http::{HeaderMap, HeaderValue};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Case {
    required: bool,
    values: Vec<Vec<u8>>,
}

fuzz_target!(|case: Case| {
    let mut headers = HeaderMap::new();
    for value in &case.values {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.append("idempotency-key", value);
        }
    }
    let sent = headers.get_all("idempotency-key").iter().count();
    match __fuzz::idempotency_key(&headers, case.required) {
        Err(error) => assert_refusal(&error, &[400]),
        Ok(None) => assert!(
            !case.required && sent == 0,
            "no key read from {sent} headers"
        ),
        Ok(Some(key)) => {
            assert_eq!(sent, 1, "a key read from {sent} headers");
            let chars = key.chars().count();
            assert!((1..=255).contains(&chars), "a key of {chars} characters");
            assert!(key.bytes().all(|b| (b' '..=b'~').contains(&b)), "{key:?}");
            let header = headers.get("idempotency-key").expect("sent").as_bytes();
            assert!(header.windows(key.len()).any(|w| w == key.as_bytes()));
            let mut again = HeaderMap::new();
            again.insert(
                "idempotency-key",
                HeaderValue::from_str(&format!("\"{key}\"")).expect("printable"),
            );
            assert_eq!(
                __fuzz::idempotency_key(&again, case.required).ok(),
                Some(Some(key))
            );
        }
    }
});
