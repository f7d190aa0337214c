//! Cross-site request forgery: a state-changing request that carries the session cookie — of
//! any content type, or none — must come from the app's own origin or a trusted one. Refused
//! requests get `403` and reach nothing.

use super::config::{AuthConfig, normalize_origin};
use super::session::cookie_token;
use crate::error::{ActionError, into_response};
use axum::extract::Request;
use axum::response::Response;
use http::Method;

/// The guard, as the router's envelope asks it: `None` lets the request through, `Some` is
/// the `403` to answer instead.
pub(crate) fn refusal(request: &Request, config: &AuthConfig) -> Option<Response> {
    check(request, config)
        .err()
        .map(|reason| refuse(request, reason))
}

/// `403`, in the auth routes' error shape under `/api/auth/`, the actions' elsewhere.
fn refuse(request: &Request, reason: &'static str) -> Response {
    let request_id = crate::base::request_id(request.extensions());
    tracing::warn!(
        request_id,
        path = request.uri().path(),
        reason,
        "cross-site request refused"
    );
    let message = format!("cross-site request refused: {reason}");
    if request.uri().path().starts_with("/api/auth/") {
        super::wire::AuthError::new(http::StatusCode::FORBIDDEN, "INVALID_ORIGIN", message)
            .into_response(&request_id)
    } else {
        into_response(ActionError::forbidden(message), &request_id, None)
    }
}

/// The bodies a page of any site can make a browser post without asking (CORS's "simple"
/// requests): a form's, or plain text.
fn is_form_body(headers: &http::HeaderMap) -> bool {
    let Some(media) = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
    else {
        return false;
    };
    media.essence_str() == mime::APPLICATION_WWW_FORM_URLENCODED.essence_str()
        || media.essence_str() == mime::MULTIPART_FORM_DATA.essence_str()
        || media.essence_str() == mime::TEXT_PLAIN.essence_str()
}

fn check(request: &Request, config: &AuthConfig) -> Result<(), &'static str> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return Ok(());
    }
    let headers = request.headers();
    let signed_in = cookie_token(headers, config).is_some();
    // A form body is what any site can make a browser post, without the session too: signing a
    // visitor in to the attacker's account (login CSRF) needs none. Such a post is checked
    // whenever the browser says where it comes from.
    if !signed_in && !is_form_body(headers) {
        return Ok(());
    }
    // Browsers send each of these once; several make the request ambiguous.
    for name in ["origin", "referer", "sec-fetch-site"] {
        if headers.get_all(name).iter().count() > 1 {
            return Err("it carries several Origin, Referer or Sec-Fetch-Site headers");
        }
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let origin = match (header("origin"), header("referer")) {
        (Some("null"), _) => return Err("the request comes from an opaque origin (Origin: null)"),
        (Some(origin), _) => normalize_origin(origin).ok_or("the Origin header is malformed")?,
        (None, Some(referer)) => {
            normalize_origin(referer).ok_or("the Referer header is malformed")?
        }
        (None, None) if signed_in => {
            return Err("the request carries neither Origin nor Referer");
        }
        // No browser's form post: a script's, answered as such.
        (None, None) => {
            return match header("sec-fetch-site") {
                Some("cross-site") => Err("Sec-Fetch-Site says cross-site"),
                _ => Ok(()),
            };
        }
    };
    if !config.allows_origin(&origin) {
        return Err("its origin is neither this app's nor a trusted one");
    }
    match header("sec-fetch-site") {
        // A trusted front end on another site is cross-site by nature.
        Some("cross-site") if origin == config.origin => Err("Sec-Fetch-Site says cross-site"),
        Some("same-origin" | "same-site" | "none" | "cross-site") | None => Ok(()),
        Some(_) => Err("Sec-Fetch-Site is malformed"),
    }
}
