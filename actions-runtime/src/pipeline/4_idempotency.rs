//! Idempotency keys, between input and transaction in the pipeline: an `idempotent` action
//! honours an `Idempotency-Key` header with the semantics of Stripe and the IETF draft
//! (draft-ietf-httpapi-idempotency-key-header).
//!
//! - A key (1 to 255 characters) is scoped to the signed-in user and the action.
//! - The first completed response — status and body — is stored in the same transaction as the
//!   action's writes, and sent again byte for byte, marked `Idempotent-Replayed: true`, for a
//!   retry with the same key and the same input; the handler does not run again.
//! - The same key with another input → `422`; a retry while the first is still running →
//!   `409` (PostgreSQL; SQLite runs one writer at a time, so the retry waits and is replayed);
//!   no key where one is required → `400`. Requests refused before the handler (auth,
//!   validation) store nothing, nor do server errors (`5xx`), so those may be retried.
//! - Keys expire after [`ServerBuilder::idempotency_ttl`](crate::ServerBuilder::idempotency_ttl)
//!   (24 hours by default) and are purged.

use crate::base::ActionContext;
use crate::base::Encoded;
use crate::base::Idempotency;
use crate::db;
use crate::db::{DbConn, Timestamp};
use crate::error::{ActionError, ErrorCode};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use http::request::Parts;
use http::{HeaderName, HeaderValue, StatusCode};
use sha2::{Digest, Sha256};
use std::sync::atomic::Ordering;
use std::time::Duration;

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::sql_types::Timestamptz;

    action_idempotency_keys (user_id, action, idempotency_key) {
        user_id -> Int8,
        action -> Text,
        idempotency_key -> Text,
        fingerprint -> Binary,
        status -> Int2,
        body -> Binary,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

/// The request header that carries the key.
pub(crate) const KEY_HEADER: &str = "idempotency-key";
/// The response header that marks a replay.
pub(crate) const REPLAYED_HEADER: HeaderName = HeaderName::from_static("idempotent-replayed");
/// The longest key accepted.
pub(crate) const MAX_KEY_CHARS: usize = 255;
/// How long stored responses are kept unless configured.
pub(crate) const DEFAULT_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// How often, at most, an idempotent request also deletes every expired key.
const PURGE_EVERY: Duration = Duration::from_secs(10 * 60);

/// The key of a request, if the action is `idempotent` and one was sent: `400` when it is
/// malformed, or missing where required. Read from the headers, before the body.
pub(crate) fn key_of(
    parts: &Parts,
    mode: Option<Idempotency>,
) -> Result<Option<String>, ActionError> {
    let Some(mode) = mode else {
        return Ok(None);
    };
    let mut values = parts.headers.get_all(KEY_HEADER).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return match (mode, parts.headers.contains_key(KEY_HEADER)) {
            (_, true) => Err(ActionError::bad_request(
                "send one Idempotency-Key header, not several",
            )),
            (Idempotency::Required, false) => Err(ActionError::bad_request(
                "this action requires an Idempotency-Key header: a unique value (a UUID) per \
                 operation, sent again unchanged when retrying it",
            )),
            (Idempotency::Optional, false) => Ok(None),
        };
    };
    let text = value.to_str().unwrap_or_default().trim();
    // The IETF draft sends the key as a structured-field string: `"…"`.
    let key = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    let chars = key.chars().count();
    if chars == 0 || chars > MAX_KEY_CHARS || key.chars().any(|c| !(' '..='~').contains(&c)) {
        return Err(ActionError::bad_request(format!(
            "the Idempotency-Key header must be 1 to {MAX_KEY_CHARS} printable ASCII characters"
        )));
    }
    Ok(Some(key.to_owned()))
}

/// A request's key, scoped to its user and action, with the fingerprint of its input.
#[derive(Debug, Clone)]
pub(crate) struct Claim {
    user_id: i64,
    action: String,
    key: String,
    fingerprint: Vec<u8>,
}

impl Claim {
    /// The claim of `key` for the request `ctx` runs, whose validated input is `input`.
    pub(crate) fn new(
        ctx: &ActionContext,
        key: String,
        input: Option<&serde_json::Value>,
    ) -> Result<Claim, ActionError> {
        let input = input.ok_or_else(|| {
            ActionError::internal("the input of an idempotent action could not be recorded")
        })?;
        let mut canonical = Vec::new();
        write_canonical(input, &mut canonical);
        Ok(Claim {
            user_id: ctx.user()?.id,
            action: ctx.action_name().to_owned(),
            key,
            fingerprint: Sha256::digest(&canonical).to_vec(),
        })
    }

    /// The PostgreSQL advisory lock (within this schema's key table) that marks the key as in
    /// flight. 32 bits: two keys in flight at once share one with odds of about one in four
    /// billion, and then the second is answered `409` and may retry.
    fn lock_id(&self) -> i32 {
        let mut hash = Sha256::new();
        hash.update(self.user_id.to_be_bytes());
        hash.update(self.action.as_bytes());
        hash.update([0]);
        hash.update(self.key.as_bytes());
        let digest = hash.finalize();
        let mut first = [0; 4];
        first.copy_from_slice(&digest[..4]);
        i32::from_be_bytes(first)
    }
}

/// Before each attempt's transaction: the stored response to replay, if the key was used
/// already; `None` if the handler should run (an expired key is deleted first). `422` when the
/// key was used with another input.
///
/// This read runs outside the transaction on purpose: inside a serializable one it would take
/// predicate locks on the key index and make unrelated requests fail each other. A request with
/// the same key that completes between this read and the end of the transaction makes its
/// `store` fail as a conflict, so the attempt rolls back and the next one replays.
pub(crate) async fn stored(
    ctx: &mut ActionContext,
    claim: &Claim,
) -> Result<Option<Encoded>, ActionError> {
    let now = ctx.services().clock.now();
    let conn = ctx.db().await?;
    let scope = (claim.user_id, claim.action.as_str(), claim.key.as_str());
    let found: Option<(Vec<u8>, i16, Vec<u8>, Timestamp)> = db!(conn, |c| {
        action_idempotency_keys::table
            .find(scope)
            .select((
                action_idempotency_keys::fingerprint,
                action_idempotency_keys::status,
                action_idempotency_keys::body,
                action_idempotency_keys::expires_at,
            ))
            .first(c)
            .await
            .optional()
    })?;
    match found {
        None => Ok(None),
        Some((.., expires_at)) if expires_at <= now => {
            db!(conn, |c| diesel::delete(
                action_idempotency_keys::table
                    .find(scope)
                    .filter(action_idempotency_keys::expires_at.le(now))
            )
            .execute(c)
            .await)?;
            Ok(None)
        }
        Some((fingerprint, ..)) if fingerprint != claim.fingerprint => Err(ActionError::new(
            ErrorCode::UNPROCESSABLE_CONTENT,
            "this Idempotency-Key was already used with a different input; use a new key for a new operation",
        )),
        Some((_, status, body, _)) => Ok(Some(Encoded {
            status: u16::try_from(status)
                .ok()
                .and_then(|s| StatusCode::from_u16(s).ok())
                .ok_or_else(|| ActionError::internal("a stored response has an invalid status"))?,
            body,
        })),
    }
}

/// First thing in the action's transaction: marks the key as in flight until the transaction
/// ends, or `409` if another request holds it. PostgreSQL only: SQLite runs one write
/// transaction at a time, so a second request waits for the first and then replays it.
pub(crate) async fn claim_in_flight(
    ctx: &mut ActionContext,
    claim: &Claim,
) -> Result<(), ActionError> {
    let DbConn::Postgres(c) = ctx.db().await? else {
        return Ok(());
    };
    // Advisory locks are shared by the whole database: the first half of the lock names this
    // schema's key table, so apps (or tenants, or tests) in other schemas of the same database
    // never hold each other's keys.
    let locked = diesel::sql_query(
        "SELECT pg_try_advisory_xact_lock('action_idempotency_keys'::regclass::oid::int4, $1) AS locked",
    )
    .bind::<diesel::sql_types::Integer, _>(claim.lock_id())
        .get_result::<Locked>(&mut **c)
        .await?;
    if locked.locked {
        Ok(())
    } else {
        Err(ActionError::conflict(
            "a request with this Idempotency-Key is still running; retry once it has completed",
        ))
    }
}

#[derive(diesel::QueryableByName)]
struct Locked {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    locked: bool,
}

/// Stores the response to `claim` on the request's connection: inside the action's transaction
/// for a success, on its own for a refusal. A key stored meanwhile by another request (which
/// the in-flight lock rules out within one transaction) is a conflict: the transaction runs
/// again and replays it.
pub(crate) async fn store(
    ctx: &mut ActionContext,
    claim: &Claim,
    response: &Encoded,
) -> Result<(), ActionError> {
    let now = ctx.services().clock.now();
    let ttl = i64::try_from(ctx.services().idempotency_ttl.as_micros()).unwrap_or(i64::MAX);
    let expires_at =
        Timestamp::from_timestamp_micros(now.timestamp_micros().saturating_add(ttl))
            .ok_or_else(|| ActionError::internal("the idempotency key expiry is out of range"))?;
    let values = (
        action_idempotency_keys::user_id.eq(claim.user_id),
        action_idempotency_keys::action.eq(&claim.action),
        action_idempotency_keys::idempotency_key.eq(&claim.key),
        action_idempotency_keys::fingerprint.eq(&claim.fingerprint),
        action_idempotency_keys::status.eq(i16::try_from(response.status.as_u16()).unwrap_or(500)),
        action_idempotency_keys::body.eq(&response.body),
        action_idempotency_keys::created_at.eq(now),
        action_idempotency_keys::expires_at.eq(expires_at),
    );
    let conn = ctx.db().await?;
    let inserted = db!(conn, |c| diesel::insert_into(
        action_idempotency_keys::table
    )
    .values(values)
    .on_conflict_do_nothing()
    .execute(c)
    .await)?;
    if inserted == 0 {
        return Err(crate::error::transaction_conflict(
            "the idempotency key was stored by a concurrent request",
        ));
    }
    Ok(())
}

/// After the handler refused the request (a `4xx`) and its transaction rolled back: the
/// refusal is the key's completed response, stored on its own. Server errors are not stored,
/// so the client may retry them with the same key, and neither are ACL denials of the loaded
/// resource: like any failed authorization, they store nothing.
pub(crate) async fn store_refusal(ctx: &mut ActionContext, claim: &Claim, error: &ActionError) {
    if !error.code().status().is_client_error() || error.is_denial() {
        return;
    }
    let response = Encoded {
        status: error.code().status(),
        body: crate::error::body_bytes(error, ctx.request_id()),
    };
    // Another request with the key may have completed meanwhile; its response stands.
    if let Err(failed) = store(ctx, claim, &response).await
        && !failed.is_transaction_conflict()
    {
        tracing::error!(request_id = ctx.request_id(), error = %failed, "could not store the refusal of an idempotent request");
    }
}

/// The response for a replay: the stored status and body, marked as a replay.
pub(crate) fn replay(stored: Encoded) -> axum::response::Response {
    let mut response = stored.into_response();
    response
        .headers_mut()
        .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}

/// Deletes every expired key, at most once per [`PURGE_EVERY`] per server, before an
/// idempotent request opens its transaction. A failure is logged; the request goes on.
pub(crate) async fn purge_if_due(ctx: &mut ActionContext) {
    let now = ctx.services().clock.now();
    let last = &ctx.services().last_purge;
    let previous = last.load(Ordering::Relaxed);
    let every = i64::try_from(PURGE_EVERY.as_micros()).unwrap_or(i64::MAX);
    if now.timestamp_micros().saturating_sub(previous) < every
        || last
            .compare_exchange(
                previous,
                now.timestamp_micros(),
                Ordering::Relaxed,
                Ordering::Relaxed,
            )
            .is_err()
    {
        return;
    }
    let purged = match ctx.db().await {
        Ok(conn) => purge(conn, now).await,
        Err(error) => Err(error),
    };
    match purged {
        Ok(0) => {}
        Ok(count) => tracing::debug!(count, "expired idempotency keys purged"),
        Err(error) => tracing::warn!(%error, "could not purge expired idempotency keys"),
    }
}

/// Deletes the keys expired at `now`; returns how many.
pub(crate) async fn purge(conn: &mut DbConn, now: Timestamp) -> Result<usize, ActionError> {
    Ok(db!(conn, |c| diesel::delete(
        action_idempotency_keys::table.filter(action_idempotency_keys::expires_at.le(now))
    )
    .execute(c)
    .await)?)
}

/// JSON with object keys sorted, so equal inputs hash equally whatever their field order.
fn write_canonical(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    match value {
        Value::Object(fields) => {
            let mut sorted: Vec<_> = fields.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (name, field)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(&Value::String(name.clone()), out);
                out.push(b':');
                write_canonical(field, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        scalar => out.extend_from_slice(scalar.to_string().as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::{Idempotency, key_of, write_canonical};
    use serde_json::json;

    fn parts(keys: &[&str]) -> http::request::Parts {
        let mut request = http::Request::builder();
        for key in keys {
            request = request.header("idempotency-key", *key);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn keys_are_read_from_the_header() {
        let required = Some(Idempotency::Required);
        let optional = Some(Idempotency::Optional);
        assert_eq!(
            key_of(&parts(&["abc"]), optional).unwrap(),
            Some("abc".into())
        );
        assert_eq!(
            key_of(&parts(&["\"abc\""]), required).unwrap(),
            Some("abc".into())
        );
        assert_eq!(key_of(&parts(&[]), optional).unwrap(), None);
        assert_eq!(key_of(&parts(&["abc"]), None).unwrap(), None);
        assert!(
            key_of(&parts(&[]), required)
                .unwrap_err()
                .message()
                .contains("requires")
        );
        assert!(key_of(&parts(&["a", "b"]), optional).is_err());
        assert!(key_of(&parts(&[""]), optional).is_err());
        assert!(key_of(&parts(&[&"k".repeat(256)]), optional).is_err());
        assert!(key_of(&parts(&[&"k".repeat(255)]), optional).is_ok());
    }

    #[test]
    fn canonical_json_sorts_keys() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write_canonical(&json!({"b": [1, {"y": 2, "x": "é"}], "a": null}), &mut a);
        write_canonical(&json!({"a": null, "b": [1, {"x": "é", "y": 2}]}), &mut b);
        assert_eq!(a, b);
        assert_eq!(
            String::from_utf8(a).unwrap(),
            r#"{"a":null,"b":[1,{"x":"é","y":2}]}"#
        );
    }
}
