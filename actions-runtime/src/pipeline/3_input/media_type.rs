//! The request's `Content-Type`, parsed as far as decoding needs.

use crate::error::{ActionError, ErrorCode};
use http::header::CONTENT_TYPE;
use http::request::Parts;

/// The kinds of body the decoders handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Json,
    UrlEncoded,
    Multipart,
    Other,
}

/// A parsed `Content-Type`: the essence (`type/subtype`, lower case) and its parameters.
#[derive(Debug, Clone)]
pub(crate) struct MediaType {
    essence: String,
    params: Vec<(String, String)>,
}

impl MediaType {
    /// The request's media type, if it sent a readable `Content-Type`.
    pub(crate) fn of(parts: &Parts) -> Option<MediaType> {
        let value = parts.headers.get(CONTENT_TYPE)?.to_str().ok()?;
        let mut pieces = value.split(';');
        let essence = pieces.next()?.trim().to_ascii_lowercase();
        let params = pieces
            .filter_map(|param| {
                let (name, value) = param.split_once('=')?;
                Some((
                    name.trim().to_ascii_lowercase(),
                    value.trim().trim_matches('"').to_owned(),
                ))
            })
            .collect();
        Some(MediaType { essence, params })
    }

    pub(crate) fn essence(&self) -> &str {
        &self.essence
    }

    pub(crate) fn kind(&self) -> Kind {
        match self.essence.as_str() {
            "application/json" => Kind::Json,
            essence if essence.starts_with("application/") && essence.ends_with("+json") => {
                Kind::Json
            }
            "application/x-www-form-urlencoded" => Kind::UrlEncoded,
            "multipart/form-data" => Kind::Multipart,
            _ => Kind::Other,
        }
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn boundary(&self) -> Option<&str> {
        self.param("boundary").filter(|b| !b.is_empty())
    }

    /// JSON is UTF-8 (RFC 8259); a body declared in another charset is refused.
    pub(crate) fn require_utf8(&self) -> Result<(), ActionError> {
        match self.param("charset") {
            None => Ok(()),
            Some(charset)
                if charset.eq_ignore_ascii_case("utf-8")
                    || charset.eq_ignore_ascii_case("utf8") =>
            {
                Ok(())
            }
            Some(charset) => Err(ActionError::new(
                ErrorCode::UNSUPPORTED_MEDIA_TYPE,
                format!("JSON must be UTF-8, but the request declares charset={charset}"),
            )),
        }
    }
}
