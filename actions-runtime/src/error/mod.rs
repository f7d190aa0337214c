//! [`ActionError`]: the one error type of actions, with a public and a private side.
//!
//! The public side (code, message, field errors) goes on the wire; the private side (the
//! source error) goes only to tracing, with the request id the response also carries.

mod code;
mod fields;
mod from_db;
mod response;

pub use code::ErrorCode;
pub use fields::FieldErrors;
pub(crate) use from_db::{transaction_conflict, unavailable};
pub(crate) use response::{body_bytes, into_response};

use http::{HeaderName, HeaderValue};
use std::borrow::Cow;
use std::fmt;

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A failed action, as Astro's `ActionError`: a [code](ErrorCode) with its HTTP status, a
/// message for the client and, for input errors, the failing fields by full path.
///
/// On the wire: `{"code": "NOT_FOUND", "message": "post 7 not found"}`, plus `"fields"` for
/// input errors and `"requestId"` for server errors. A server error (5xx) never shows its
/// message or source to the client: they are logged, and the client sees a generic message.
pub struct ActionError {
    code: ErrorCode,
    message: Cow<'static, str>,
    fields: FieldErrors,
    source: Option<Source>,
    /// The transaction lost a serialization conflict or a deadlock: running it again may work.
    conflict: bool,
    /// An ACL denial, which the audit log records whatever the action.
    denied: bool,
    /// Rare (`Retry-After`, `Allow`), so a boxed slice keeps every `Result<_, ActionError>` small.
    headers: Box<[(HeaderName, HeaderValue)]>,
}

impl ActionError {
    /// An error with `code` and a message for the client.
    pub fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> ActionError {
        ActionError {
            code,
            message: message.into(),
            fields: FieldErrors::new(),
            source: None,
            conflict: false,
            denied: false,
            headers: Box::default(),
        }
    }

    /// `400 BAD_REQUEST`.
    pub fn bad_request(message: impl Into<Cow<'static, str>>) -> ActionError {
        ActionError::new(ErrorCode::BAD_REQUEST, message)
    }

    /// `401 UNAUTHORIZED`.
    pub fn unauthorized(message: impl Into<Cow<'static, str>>) -> ActionError {
        ActionError::new(ErrorCode::UNAUTHORIZED, message)
    }

    /// `403 FORBIDDEN`.
    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> ActionError {
        ActionError::new(ErrorCode::FORBIDDEN, message)
    }

    /// `404 NOT_FOUND`.
    pub fn not_found(message: impl Into<Cow<'static, str>>) -> ActionError {
        ActionError::new(ErrorCode::NOT_FOUND, message)
    }

    /// `409 CONFLICT`.
    pub fn conflict(message: impl Into<Cow<'static, str>>) -> ActionError {
        ActionError::new(ErrorCode::CONFLICT, message)
    }

    /// `400 BAD_REQUEST` naming every failing field.
    pub fn invalid_input(fields: FieldErrors) -> ActionError {
        let message = match fields.len() {
            1 => "invalid input: 1 field failed validation".to_owned(),
            n => format!("invalid input: {n} fields failed validation"),
        };
        ActionError {
            fields,
            ..ActionError::bad_request(message)
        }
    }

    /// `400 BAD_REQUEST` for one field, e.g. a check only the handler can make.
    pub fn field(path: impl Into<String>, message: impl Into<String>) -> ActionError {
        let mut fields = FieldErrors::new();
        fields.add_at_path(path, message);
        ActionError::invalid_input(fields)
    }

    /// `500 INTERNAL_SERVER_ERROR` caused by `source`, which is logged and never shown.
    pub fn internal(source: impl Into<Source>) -> ActionError {
        ActionError::new(ErrorCode::INTERNAL_SERVER_ERROR, "internal server error")
            .with_source(source)
    }

    /// Attaches the underlying error, for the logs only.
    pub fn with_source(mut self, source: impl Into<Source>) -> ActionError {
        self.source = Some(source.into());
        self
    }

    /// Adds a response header (`Retry-After`, `Allow`, …).
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> ActionError {
        let mut headers = std::mem::take(&mut self.headers).into_vec();
        headers.push((name, value));
        self.headers = headers.into_boxed_slice();
        self
    }

    /// Whether the transaction failed only because a concurrent one won (SQLSTATE 40001 or
    /// 40P01): the whole handler may run again.
    pub(crate) fn is_transaction_conflict(&self) -> bool {
        self.conflict
    }

    /// Marks the error as the ACL policy's refusal.
    pub(crate) fn into_denial(mut self) -> ActionError {
        self.denied = true;
        self
    }

    /// Whether the ACL policy refused the request.
    pub(crate) fn is_denial(&self) -> bool {
        self.denied
    }

    /// The code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The message for the client.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The failing fields, for input errors.
    pub fn fields(&self) -> &FieldErrors {
        &self.fields
    }
}

impl fmt::Debug for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ActionError");
        debug
            .field("code", &self.code)
            .field("message", &self.message);
        if !self.fields.is_empty() {
            debug.field("fields", &self.fields);
        }
        if let Some(source) = &self.source {
            debug.field("source", source);
        }
        debug.finish()
    }
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        for (path, messages) in self.fields.iter() {
            write!(f, "; {path}: {}", messages.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for ActionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}
