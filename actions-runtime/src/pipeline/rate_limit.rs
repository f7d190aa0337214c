//! The per-action rate limit, `#[action(rate_limit = "10/min")]`: an [`ActionHook`] the server
//! installs before the app's own when an action declares one. Calls count in the server's
//! rate-limit store (memory, PostgreSQL or Redis: shared by the nodes that share it), keyed by
//! the action and the signed-in user, or else the client's address (IPv6 by /64, trusted
//! proxies honoured). Over the limit: `429 TOO_MANY_REQUESTS` with `Retry-After`; a store that
//! cannot be reached refuses the call with `503` rather than let it through unlimited.

use crate::base::limit_store::{Store, address_key, retry_after_secs};
use crate::base::{ActionCall, ActionHook, RateLimitKey};
use crate::error::{ActionError, ErrorCode};
use futures_util::future::BoxFuture;
use http::HeaderValue;
use http::header::{HeaderName, RETRY_AFTER};

/// The bucket every action's calls count in; the key names the action.
const BUCKET: &str = "action";
/// Better Auth's header, sent beside `Retry-After` as the account service's limits do.
const X_RETRY_AFTER: HeaderName = HeaderName::from_static("x-retry-after");

/// Counts the calls of actions that declare `rate_limit`.
pub(crate) struct RateLimitHook {
    store: Box<dyn Store>,
}

impl RateLimitHook {
    pub(crate) fn new(store: Box<dyn Store>) -> RateLimitHook {
        RateLimitHook { store }
    }
}

impl ActionHook for RateLimitHook {
    fn before<'a>(&'a self, call: &'a ActionCall<'a>) -> BoxFuture<'a, Result<(), ActionError>> {
        Box::pin(async move {
            let Some(rate) = call.meta().rate_limit else {
                return Ok(());
            };
            let Some(key) = key_of(call, rate.key) else {
                return Ok(());
            };
            let wait = self
                .store
                .hit(BUCKET, &key, rate.limit)
                .await
                .map_err(|error| {
                    ActionError::new(
                        ErrorCode::SERVICE_UNAVAILABLE,
                        "the rate-limit store cannot be reached; try again",
                    )
                    .with_source(error)
                })?;
            let Some(wait) = wait else {
                return Ok(());
            };
            let seconds = retry_after_secs(wait);
            tracing::info!(
                request_id = call.request_id(),
                action = call.name(),
                key = %key,
                retry_after = seconds,
                "rate limit exceeded"
            );
            let value = HeaderValue::from(seconds);
            Err(ActionError::new(
                ErrorCode::TOO_MANY_REQUESTS,
                format!(
                    "too many calls to `{}`: try again in {seconds} s",
                    call.name()
                ),
            )
            .with_header(RETRY_AFTER, value.clone())
            .with_header(X_RETRY_AFTER, value))
        })
    }
}

/// Whose calls count together: `<action>:user:<id>` or `<action>:ip:<address>`. `None` for an
/// in-process call without a user: it has no address, and is the app's own.
fn key_of(call: &ActionCall<'_>, key: RateLimitKey) -> Option<String> {
    let user = match key {
        RateLimitKey::Ip => None,
        RateLimitKey::User | RateLimitKey::UserOrIp => call.user(),
    };
    match (user, call.request()) {
        (Some(user), _) => Some(format!("{}:user:{}", call.name(), user.id)),
        (None, Some(request)) => Some(format!(
            "{}:ip:{}",
            call.name(),
            address_key(request.client_ip())
        )),
        (None, None) => None,
    }
}
