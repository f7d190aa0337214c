//! Where a browser may be sent after a form post: a path on this app, or a URL on its origin or
//! a trusted one — never another site (an open redirect).

use http::HeaderMap;
use http::header::{HOST, ORIGIN, REFERER};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// What a placeholder's value may keep unescaped in a path segment (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The origins a browser may be sent to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origins {
    /// The app's own (`BASE_URL`, with the account service); without it, the request's `Host`
    /// names it.
    pub(crate) app: Option<String>,
    /// `TRUSTED_ORIGINS`.
    pub(crate) trusted: Vec<String>,
}

impl Origins {
    /// Whether `origin` (normalized) is the app's own: its `BASE_URL`'s, or the request's host.
    fn is_own(&self, origin: &str, headers: &HeaderMap) -> bool {
        match &self.app {
            Some(app) => origin == app,
            None => headers
                .get(HOST)
                .and_then(|h| h.to_str().ok())
                .and_then(|host| normalize_origin(&format!("http://{host}")))
                .is_some_and(|own| {
                    let authority = |o: &str| o.split_once("://").map(|(_, a)| a.to_owned());
                    authority(&own) == authority(origin)
                }),
        }
    }

    fn is_trusted(&self, origin: &str) -> bool {
        self.trusted.iter().any(|t| t == origin)
    }

    /// Whether a browser says the request comes from a page of this app or a trusted origin:
    /// its `Origin` header (`null` is no origin), else its `Referer`'s origin; neither, no.
    pub(crate) fn sent_from_site(&self, headers: &HeaderMap) -> bool {
        let origin = match headers.get(ORIGIN) {
            Some(origin) => origin.to_str().ok().and_then(normalize_origin),
            None => headers
                .get(REFERER)
                .and_then(|referer| referer.to_str().ok())
                .and_then(normalize_origin),
        };
        origin.is_some_and(|origin| self.is_own(&origin, headers) || self.is_trusted(&origin))
    }
}

/// `target` if the browser may be sent there: a path on this app (`/posts/7?tab=1`), or an
/// absolute `http(s)` URL on the app's origin (`same_origin`) or, with `trusted`, a trusted
/// one. Refused: `//host`, `/\host`, backslashes, control characters (CR/LF), other schemes
/// (`javascript:`), `http:host`, and a path that decodes to any of these.
pub(crate) fn safe_target(
    target: &str,
    origins: &Origins,
    headers: &HeaderMap,
    trusted: bool,
) -> Option<String> {
    if target.is_empty() || target.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let decoded = percent_decode_str(target).decode_utf8_lossy();
    if decoded.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    if target.starts_with('/') {
        let refused = |t: &str| t.starts_with("//") || t.starts_with("/\\");
        return (!refused(target) && !refused(&decoded)).then(|| target.to_owned());
    }
    let origin = normalize_origin(target)?;
    if origins.is_own(&origin, headers) {
        // Sent as a path: the same page, whatever name the browser reached the app by.
        let path = &target[target.find("://")? + 3..];
        let path = path.find(['/', '?', '#']).map_or("/", |at| &path[at..]);
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        return safe_target(&path, origins, headers, false);
    }
    (trusted && origins.is_trusted(&origin)).then(|| target.to_owned())
}

/// The page a form was posted from (its `Referer`), if the browser may be sent back there:
/// the app's own origin, or with `trusted` a trusted one.
pub(crate) fn referer_target(
    headers: &HeaderMap,
    origins: &Origins,
    trusted: bool,
) -> Option<String> {
    if headers.get_all(REFERER).iter().count() != 1 {
        return None;
    }
    let referer = headers.get(REFERER)?.to_str().ok()?;
    // A Referer is always absolute; a path here is no browser's.
    normalize_origin(referer)?;
    safe_target(referer, origins, headers, trusted)
}

/// `template` (`/posts/{id}`) with each `{field}` replaced by the output's top-level field of
/// that name, percent-encoded as a path segment; `None` when a field is missing, `null`, an
/// object or an array.
pub(crate) fn fill_template(template: &str, output: &serde_json::Value) -> Option<String> {
    let mut filled = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        let value = match output.get(name)? {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => return None,
        };
        filled.extend(utf8_percent_encode(&value, SEGMENT));
        rest = &rest[close + 1..];
    }
    filled.push_str(rest);
    Some(filled)
}

/// `scheme://host[:port]`, lower case, without a default port or a trailing slash.
pub(crate) fn normalize_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    if authority.is_empty() || authority.contains('@') || authority.contains('\\') {
        return None;
    }
    // A port is digits, and only a bracketed IPv6 host has colons: `a:80:80` is malformed (it
    // normalised to `a:80`, and that again to `a`).
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (authority.as_str(), None),
    };
    if port.is_some_and(|port| !port.bytes().all(|b| b.is_ascii_digit()))
        || (!host.starts_with('[') && host.contains(':'))
    {
        return None;
    }
    let authority = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') && port == default_port => host.to_owned(),
        Some((host, port)) if host.starts_with('[') && port == default_port => host.to_owned(),
        _ => authority,
    };
    Some(format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::{Origins, fill_template, referer_target, safe_target};
    use http::HeaderMap;
    use serde_json::json;

    fn origins() -> Origins {
        Origins {
            app: Some("https://app.example".into()),
            trusted: vec!["https://front.example".into()],
        }
    }

    #[test]
    fn open_redirects_are_refused() {
        let headers = HeaderMap::new();
        for evil in [
            "//evil.example",
            "https://evil.example/x",
            "/\\evil.example",
            "\\\\evil",
            "javascript:alert(1)",
            "http:evil",
            "%2F%2Fevil.example",
            "/%2F%2Fevil.example",
            "/%5Cevil.example",
            "/ok\r\nLocation: https://evil.example",
            "/ok%0d%0aSet-Cookie:x=1",
            "https://app.example@evil.example/",
            "",
        ] {
            assert_eq!(
                safe_target(evil, &origins(), &headers, true),
                None,
                "{evil:?}"
            );
        }
    }

    #[test]
    fn own_and_trusted_targets_are_kept() {
        let headers = HeaderMap::new();
        let safe = |t| safe_target(t, &origins(), &headers, true);
        assert_eq!(
            safe("/posts/7?tab=1#c").as_deref(),
            Some("/posts/7?tab=1#c")
        );
        assert_eq!(safe("https://APP.example:443/a?b").as_deref(), Some("/a?b"));
        assert_eq!(safe("https://app.example").as_deref(), Some("/"));
        assert_eq!(
            safe("https://front.example/x").as_deref(),
            Some("https://front.example/x")
        );
        assert_eq!(
            safe_target("https://front.example/x", &origins(), &headers, false),
            None
        );
    }

    #[test]
    fn referer_of_another_origin_is_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert("referer", "https://evil.example/form".parse().unwrap());
        assert_eq!(referer_target(&headers, &origins(), true), None);
        headers.insert(
            "referer",
            "https://app.example/posts/new?x=1".parse().unwrap(),
        );
        assert_eq!(
            referer_target(&headers, &origins(), false).as_deref(),
            Some("/posts/new?x=1")
        );
        // Without a BASE_URL, the request's host is the app's.
        let local = Origins::default();
        headers.insert("host", "localhost:3000".parse().unwrap());
        headers.insert("referer", "http://localhost:3000/new".parse().unwrap());
        assert_eq!(
            referer_target(&headers, &local, false).as_deref(),
            Some("/new")
        );
        headers.insert("referer", "http://localhost:3001/new".parse().unwrap());
        assert_eq!(referer_target(&headers, &local, false), None);
    }

    #[test]
    fn templates_are_filled_and_encoded() {
        let output = json!({"id": 7, "slug": "a b/c?", "ok": true, "none": null});
        assert_eq!(
            fill_template("/posts/{id}", &output).as_deref(),
            Some("/posts/7")
        );
        assert_eq!(
            fill_template("/p/{slug}/{ok}", &output).as_deref(),
            Some("/p/a%20b%2Fc%3F/true")
        );
        assert_eq!(fill_template("/posts/{missing}", &output), None);
        assert_eq!(fill_template("/posts/{none}", &output), None);
        assert_eq!(
            fill_template("/done", &json!(null)).as_deref(),
            Some("/done")
        );
    }
}
