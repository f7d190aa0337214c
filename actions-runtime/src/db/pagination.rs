//! The two query helpers every list action needs: keyset pagination with an opaque cursor, and
//! a LIKE pattern that matches what the user typed literally.
//!
//! Keyset pagination reads "the rows after this one in the order" (`WHERE (created_at, id) <
//! (…)`) instead of skipping an offset, so a page is as fast at the end as at the start and
//! rows inserted meanwhile never shift later pages: no row is returned twice, none before the
//! walk began is skipped.

use crate::error::ActionError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

/// One page of rows in a keyset order: the rows, and the cursor of the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// At most `limit` rows.
    pub items: Vec<T>,
    /// The cursor to pass for the next page; `None` on the last.
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// Cuts `rows` — fetched with `LIMIT limit + 1` — to `limit`, and if there was one more,
    /// encodes the last row's sort key (`key`) as the next cursor, bound to `query` (see
    /// [`encode_cursor`]).
    pub fn from_rows<K: Serialize>(
        mut rows: Vec<T>,
        limit: usize,
        query: &str,
        key: impl FnOnce(&T) -> K,
    ) -> Page<T> {
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = more
            .then(|| rows.last().map(|last| encode_cursor(&key(last), query)))
            .flatten();
        Page { items: rows, next }
    }
}

/// An opaque cursor for the position `key` (the sort key of the last row shown, e.g.
/// `(created_at, id)`) in the listing described by `query` — the filters and order that
/// produced it, e.g. `"posts newest first; q=rust"`. base64url, so it travels in URLs as is.
pub fn encode_cursor<K: Serialize>(key: &K, query: &str) -> String {
    let body = serde_json::json!({ "k": key, "q": query_tag(query) });
    URL_SAFE_NO_PAD.encode(body.to_string())
}

/// The position a cursor from [`encode_cursor`] holds, if it was made for the same `query`.
/// Anything else — not base64url, not ours, another query's, a key of another shape — is a
/// `400` naming the `cursor` field, never a `500`.
pub fn decode_cursor<K: DeserializeOwned>(cursor: &str, query: &str) -> Result<K, ActionError> {
    #[derive(serde::Deserialize)]
    struct Body<K> {
        k: K,
        q: String,
    }
    let invalid = || ActionError::field("cursor", "is not a cursor returned by this listing");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let body: Body<K> = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if body.q != query_tag(query) {
        return Err(ActionError::field(
            "cursor",
            "belongs to another listing: start again without a cursor when the filters change",
        ));
    }
    Ok(body.k)
}

/// A short digest of the query description, so cursors stay small and say nothing about it.
fn query_tag(query: &str) -> String {
    let digest = Sha256::digest(query.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..9])
}

/// The LIKE pattern of "contains `text`", with `%`, `_` and the escape character `\` matching
/// themselves: use it with `.like(pattern).escape('\\')`.
pub fn like_contains(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_within_their_query() {
        let cursor = encode_cursor(&(1_700_000_000_123_456_i64, 42_i64), "posts; q=rust");
        assert_eq!(
            decode_cursor::<(i64, i64)>(&cursor, "posts; q=rust").unwrap(),
            (1_700_000_000_123_456, 42)
        );
        let other = decode_cursor::<(i64, i64)>(&cursor, "posts; q=go").unwrap_err();
        assert_eq!(other.code(), crate::ErrorCode::BAD_REQUEST);
        assert!(other.fields().get("cursor").is_some());
        for garbage in [
            "",
            "!!",
            "bm90IGEgY3Vyc29y",
            &encode_cursor(&"text", "posts; q=rust"),
        ] {
            let error = decode_cursor::<(i64, i64)>(garbage, "posts; q=rust").unwrap_err();
            assert_eq!(
                error.fields().get("cursor"),
                Some(&["is not a cursor returned by this listing".to_owned()][..]),
                "{garbage}"
            );
        }
    }

    #[test]
    fn pages_cut_at_the_limit() {
        let page = Page::from_rows(vec![1, 2, 3], 2, "q", |n| *n);
        assert_eq!(page.items, [1, 2]);
        assert_eq!(
            decode_cursor::<i32>(page.next.as_deref().unwrap(), "q").unwrap(),
            2
        );
        assert_eq!(Page::from_rows(vec![1, 2], 2, "q", |n| *n).next, None);
    }

    #[test]
    fn like_wildcards_are_literal() {
        assert_eq!(like_contains(r"50%_off\"), r"%50\%\_off\\%");
    }
}
