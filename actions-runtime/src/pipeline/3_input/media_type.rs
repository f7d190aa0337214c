//! The request's `Content-Type`, read by the `mime` crate as far as decoding needs: which kind
//! of body it declares, a JSON body's charset, a multipart body's boundary.

use crate::error::{ActionError, ErrorCode};
use http::header::CONTENT_TYPE;
use http::request::Parts;
use mime::Mime;

/// The kinds of body the decoders handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Json,
    UrlEncoded,
    Multipart,
    Other,
}

/// A `Content-Type` as sent.
#[derive(Debug, Clone)]
pub(crate) enum MediaType {
    /// A media type `mime` reads, with its parameters (lower case: type, subtype, parameter
    /// names and the charset's value), and the header as sent (to name a charset as sent).
    Parsed(Mime, Box<str>),
    /// A media type whose parameters do not parse (`boundary=""`, `charset` without a value):
    /// the type alone, its parameters ignored.
    Bare(Mime),
    /// Not a media type at all (`json`): named as sent, lower case, and refused.
    Unreadable(String),
}

impl MediaType {
    /// The request's media type, if it sent a `Content-Type` in visible ASCII.
    pub(crate) fn of(parts: &Parts) -> Option<MediaType> {
        let value = parts.headers.get(CONTENT_TYPE)?.to_str().ok()?;
        Some(MediaType::parse(value))
    }

    fn parse(value: &str) -> MediaType {
        let value = value.trim();
        // What nearly every request sends: no parameters, nothing to parse or keep.
        if value.eq_ignore_ascii_case("application/json") {
            return MediaType::Bare(mime::APPLICATION_JSON);
        }
        if let Some(mime) = read(value) {
            return MediaType::Parsed(mime, value.into());
        }
        let essence = value.split(';').next().unwrap_or_default().trim_end();
        match essence.parse() {
            Ok(mime) => MediaType::Bare(mime),
            Err(_) => MediaType::Unreadable(essence.to_ascii_lowercase()),
        }
    }

    fn mime(&self) -> Option<&Mime> {
        match self {
            MediaType::Parsed(mime, _) | MediaType::Bare(mime) => Some(mime),
            MediaType::Unreadable(_) => None,
        }
    }

    /// `type/subtype`, lower case, without parameters.
    pub(crate) fn essence(&self) -> &str {
        match self {
            MediaType::Parsed(mime, _) | MediaType::Bare(mime) => mime.essence_str(),
            MediaType::Unreadable(essence) => essence,
        }
    }

    pub(crate) fn kind(&self) -> Kind {
        let Some(mime) = self.mime() else {
            return Kind::Other;
        };
        let suffix = mime.suffix();
        match (
            mime.type_().as_str(),
            mime.subtype().as_str(),
            suffix.map(|s| s.as_str()),
        ) {
            // `application/json`, and JSON under another name: `application/vnd.api+json`.
            ("application", "json", None) | ("application", _, Some("json")) => Kind::Json,
            ("application", "x-www-form-urlencoded", None) => Kind::UrlEncoded,
            ("multipart", "form-data", None) => Kind::Multipart,
            _ => Kind::Other,
        }
    }

    fn param(&self, name: mime::Name<'static>) -> Option<&str> {
        match self {
            MediaType::Parsed(mime, _) => mime.get_param(name).map(|value| value.as_str()),
            MediaType::Bare(_) | MediaType::Unreadable(_) => None,
        }
    }

    pub(crate) fn boundary(&self) -> Option<&str> {
        self.param(mime::BOUNDARY).filter(|b| !b.is_empty())
    }

    /// JSON is UTF-8 (RFC 8259); a body declared in another charset is refused.
    pub(crate) fn require_utf8(&self) -> Result<(), ActionError> {
        match self.param(mime::CHARSET) {
            None => Ok(()),
            Some(charset) if charset == mime::UTF_8 || charset == "utf8" => Ok(()),
            Some(charset) => Err(ActionError::new(
                ErrorCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "JSON must be UTF-8, but the request declares charset={}",
                    self.as_sent(charset)
                ),
            )),
        }
    }

    /// `value` (which `mime` lower-cased) as the header spelled it.
    fn as_sent<'a>(&'a self, value: &'a str) -> &'a str {
        let MediaType::Parsed(_, header) = self else {
            return value;
        };
        let lower = header.to_ascii_lowercase();
        let Some(param) = lower.find("charset=") else {
            return value;
        };
        let start = param + "charset=".len();
        let start = start + usize::from(header[start..].starts_with('"'));
        match header.get(start..start + value.len()) {
            Some(sent) if sent.eq_ignore_ascii_case(value) => sent,
            _ => value,
        }
    }
}

/// `value` read by `mime`. RFC 9110 allows whitespace before a parameter's `;`, which mime 0.3
/// refuses (hyperium/mime#126): a value it refuses is read again without that whitespace.
fn read(value: &str) -> Option<Mime> {
    value.parse().ok().or_else(|| {
        let tight: Vec<&str> = value.split(';').map(str::trim_end).collect();
        tight.join(";").parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::{Kind, MediaType};

    #[test]
    fn kinds_and_parameters() {
        let read = |value: &str| {
            let media_type = MediaType::parse(value);
            (
                media_type.kind(),
                media_type.essence().to_owned(),
                media_type.boundary().map(str::to_owned),
                media_type.require_utf8().is_ok(),
            )
        };
        let json = |essence: &str| (Kind::Json, essence.to_owned(), None, true);
        assert_eq!(read("application/json"), json("application/json"));
        assert_eq!(
            read("Application/JSON; Charset=\"UTF-8\""),
            json("application/json")
        );
        assert_eq!(
            read("application/json;charset=utf8;"),
            json("application/json")
        );
        assert_eq!(
            read("application/json ; charset=utf-8"),
            json("application/json")
        );
        assert_eq!(read(" application/json\t"), json("application/json"));
        assert_eq!(
            read("application/vnd.api+json"),
            json("application/vnd.api+json")
        );
        assert_eq!(read("application/json; charset"), json("application/json"));
        assert!(!read("application/json; charset=latin1").3);
        assert!(!read("application/json ;charset=latin1").3);
        assert_eq!(
            read("multipart/form-data; boundary=\"a b\""),
            (
                Kind::Multipart,
                "multipart/form-data".into(),
                Some("a b".into()),
                true
            )
        );
        assert_eq!(read("multipart/form-data; boundary=\"\"").2, None);
        assert_eq!(read("multipart/form-data; boundary=").2, None);
        assert_eq!(
            read("application/x-www-form-urlencoded").0,
            Kind::UrlEncoded
        );
        assert_eq!(read("text/plain; charset=utf-8").0, Kind::Other);
        assert_eq!(read("*/*").0, Kind::Other);
        assert_eq!(read("JSON").1, "json");
        assert_eq!(read("JSON").0, Kind::Other);
        assert_eq!(read("text/plain;;").1, "text/plain");
        assert_eq!(read("application/json+xml").0, Kind::Other);
    }
}
