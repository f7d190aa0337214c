//! The JSON shapes of Better Auth's email and password API, and its errors:
//! `{"code": "INVALID_EMAIL_OR_PASSWORD", "message": "…"}`.

use super::session::{SessionRow, UserRow};
use crate::db::Timestamp;
use crate::error::ActionError;
use axum::response::{IntoResponse, Response};
use chrono::SecondsFormat;
use http::header::{CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderValue, StatusCode};
use schemars::JsonSchema;
use serde::Serialize;

/// ISO 8601 with milliseconds and `Z`, as JavaScript's `Date.toISOString()` writes.
pub(super) fn iso(t: Timestamp) -> String {
    t.as_datetime().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `user` in every response. Ids are strings, as Better Auth's client expects.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserJson {
    id: String,
    name: String,
    email: String,
    email_verified: bool,
    image: Option<String>,
    created_at: String,
    updated_at: String,
    role: String,
}

impl From<&UserRow> for UserJson {
    fn from(user: &UserRow) -> UserJson {
        UserJson {
            id: user.id.to_string(),
            name: user.name.clone(),
            email: user.email.clone(),
            email_verified: user.email_verified,
            image: user.image.clone(),
            created_at: iso(user.created_at),
            updated_at: iso(user.updated_at),
            role: user.role.clone(),
        }
    }
}

/// `session`. `token` is the session's token for the request's own session, and the session
/// id (what `revoke-session` takes) for the others: only hashes of tokens are stored.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SessionJson {
    id: String,
    user_id: String,
    token: String,
    expires_at: String,
    created_at: String,
    updated_at: String,
    ip_address: Option<String>,
    user_agent: Option<String>,
}

impl SessionJson {
    pub(crate) fn new(session: &SessionRow, token: Option<&str>) -> SessionJson {
        SessionJson {
            id: session.id.to_string(),
            user_id: session.user_id.to_string(),
            token: token.map_or_else(|| session.id.to_string(), str::to_owned),
            expires_at: iso(session.expires_at),
            created_at: iso(session.created_at),
            updated_at: iso(session.updated_at),
            ip_address: session.ip_address.clone(),
            user_agent: session.user_agent.clone(),
        }
    }
}

/// An auth endpoint's failure.
#[derive(Debug)]
pub(crate) struct AuthError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after: Option<u64>,
    internal: Option<Box<ActionError>>,
}

impl AuthError {
    /// The UPPER_SNAKE code on the wire.
    pub(crate) fn code(&self) -> &'static str {
        self.code
    }

    pub(crate) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> AuthError {
        AuthError {
            status,
            code,
            message: message.into(),
            retry_after: None,
            internal: None,
        }
    }

    pub(crate) fn validation(message: impl Into<String>) -> AuthError {
        AuthError::new(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", message)
    }

    pub(crate) fn unauthorized() -> AuthError {
        AuthError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "Unauthorized")
    }

    /// The same status and body for an unknown email and a wrong password.
    pub(crate) fn invalid_credentials() -> AuthError {
        AuthError::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_EMAIL_OR_PASSWORD",
            "Invalid email or password",
        )
    }

    pub(crate) fn too_many(wait: std::time::Duration) -> AuthError {
        let seconds = super::limits::retry_after_secs(wait);
        AuthError {
            retry_after: Some(seconds),
            ..AuthError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TOO_MANY_REQUESTS",
                match seconds {
                    1 => "Too many attempts; retry in 1 second".to_owned(),
                    _ => format!("Too many attempts; retry in {seconds} seconds"),
                },
            )
        }
    }

    /// The rate limits' store cannot be reached: the request is refused rather than let
    /// through unlimited (what an operator who set limits expects), and may be retried.
    pub(crate) fn limits_unavailable(error: &crate::base::limit_store::StoreError) -> AuthError {
        tracing::error!(%error, "rate limits unavailable: request refused");
        AuthError {
            retry_after: Some(1),
            ..AuthError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "RATE_LIMIT_UNAVAILABLE",
                "Try again shortly",
            )
        }
    }

    pub(crate) fn into_response(self, request_id: &str) -> Response {
        if let Some(internal) = self.internal {
            return crate::error::into_response(*internal, request_id, None);
        }
        if self.status.is_client_error() {
            // The code, not the message: it may quote what the client sent.
            tracing::info!(
                request_id,
                status = self.status.as_u16(),
                code = self.code,
                "auth request refused"
            );
        }
        let body = serde_json::json!({"code": self.code, "message": self.message});
        let mut response = (self.status, body.to_string()).into_response();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
            // Better Auth's client reads its own header.
            response
                .headers_mut()
                .insert("x-retry-after", HeaderValue::from(seconds));
        }
        response
    }
}

/// Database and other internal failures: a `500` whose detail is only logged.
impl From<ActionError> for AuthError {
    fn from(error: ActionError) -> AuthError {
        AuthError {
            internal: Some(Box::new(error)),
            ..AuthError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "",
            )
        }
    }
}

impl From<crate::base::limit_store::StoreError> for AuthError {
    fn from(error: crate::base::limit_store::StoreError) -> AuthError {
        AuthError::limits_unavailable(&error)
    }
}

impl From<diesel::result::Error> for AuthError {
    fn from(error: diesel::result::Error) -> AuthError {
        AuthError::from(ActionError::from(error))
    }
}

impl crate::db::TransactionError for AuthError {
    fn is_conflict(&self) -> bool {
        self.internal
            .as_ref()
            .is_some_and(|error| error.is_transaction_conflict())
    }
}
