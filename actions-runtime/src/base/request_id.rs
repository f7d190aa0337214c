//! The id of a request: in its `x-request-id` header, its log lines and its audit events.

use http::HeaderValue;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use tower_http::request_id::{MakeRequestId, RequestId};

/// The id the request-id layer gave the request (the client's own `x-request-id`, kept, or a
/// fresh one), or a fresh one when the request did not pass that layer.
pub(crate) fn request_id(extensions: &http::Extensions) -> String {
    extensions
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(new_request_id)
}

/// A fresh id, shaped as a random (version 4) UUID.
pub(crate) fn new_request_id() -> String {
    let mut buffer = uuid::Uuid::encode_buffer();
    next_id().hyphenated().encode_lower(&mut buffer).to_owned()
}

/// The request-id layer's source of fresh ids ([`next_id`]).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RequestIds;

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &http::Request<B>) -> Option<RequestId> {
        let mut buffer = uuid::Uuid::encode_buffer();
        let text = next_id().hyphenated().encode_lower(&mut buffer);
        HeaderValue::from_str(text).ok().map(RequestId::new)
    }
}

/// The next request id: a counter, scrambled by a bijection keyed with 128 random bits drawn
/// once per process, in UUID v4 form. Ids never repeat within a process and cannot be told
/// apart from random UUIDs across processes, without a system call per request (a fresh
/// random UUID asked the kernel for 16 bytes on every request). They identify requests; they
/// are not secrets, and nothing may rely on them being unguessable.
fn next_id() -> uuid::Uuid {
    static KEY: OnceLock<(u64, u64)> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let (k1, k2) = *KEY.get_or_init(|| {
        let mut bytes = [0u8; 16];
        // Without randomness, ids stay unique within the process: only their spread suffers.
        let _ = getrandom::fill(&mut bytes);
        let (high, low) = bytes.split_at(8);
        (
            u64::from_le_bytes(high.try_into().unwrap_or_default()),
            u64::from_le_bytes(low.try_into().unwrap_or_default()),
        )
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    uuid::Builder::from_u128((u128::from(mix(n ^ k1)) << 64) | u128::from(mix(n.wrapping_add(k2))))
        .with_version(uuid::Version::Random)
        .with_variant(uuid::Variant::RFC4122)
        .into_uuid()
}

/// splitmix64's finalizer: a bijection on `u64` that spreads every input bit over the output.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::new_request_id;
    use std::collections::HashSet;

    #[test]
    fn fresh_ids_are_distinct_v4_uuids() {
        let ids: HashSet<String> = (0..10_000).map(|_| new_request_id()).collect();
        assert_eq!(ids.len(), 10_000);
        for id in ids.iter().take(100) {
            let uuid = uuid::Uuid::parse_str(id).expect("a UUID");
            assert_eq!(uuid.get_version(), Some(uuid::Version::Random), "{id}");
            assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122, "{id}");
        }
    }
}
