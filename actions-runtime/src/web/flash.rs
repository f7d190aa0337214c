//! [`Flash`]: what a form post leaves for the next page — its outcome, the field errors and the
//! values to fill the form again — in a short-lived cookie signed with the server's cookie key,
//! readable once.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie::{Cookie, CookieJar, Key, SameSite};
use http::HeaderMap;
use http::header::COOKIE;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The cookie's name.
pub const FLASH_COOKIE: &str = "flash";

/// How long a flash lives: the time from the redirect to the page that reads it.
pub(crate) const FLASH_TTL_SECS: i64 = 60;

/// The most bytes the `Set-Cookie` value may take (browsers keep at least 4,096 per cookie,
/// name and attributes included).
pub(crate) const MAX_COOKIE_BYTES: usize = 3_500;

/// The outcome of a form posted without JavaScript, for the page the browser is sent to next:
/// which action ran, its error if it failed, the field errors by path and the submitted values
/// (never a password, never a file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// The action (`post.create`) or auth route (`auth.sign-in`) the form posted to.
    #[serde(rename = "a")]
    pub action: String,
    /// Why it failed; `None` when it succeeded.
    #[serde(rename = "e", default, skip_serializing_if = "Option::is_none")]
    pub error: Option<FlashError>,
    /// The messages of each failing field, by path (`title`, `items.2.name`).
    #[serde(rename = "f", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Vec<String>>,
    /// The values the form submitted, by field name, to fill it again: every value of a
    /// repeated field (`tags=a&tags=b`, checkboxes, a multiple select), in the order sent.
    #[serde(
        rename = "v",
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        with = "values"
    )]
    pub values: BTreeMap<String, Vec<String>>,
}

/// A failed form post's error: the code and message the JSON answer would have carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlashError {
    /// `VALIDATION_FAILED`, `UNAUTHORIZED`, `INVALID_EMAIL_OR_PASSWORD`, …
    #[serde(rename = "c")]
    pub code: String,
    /// The message for the visitor.
    #[serde(rename = "m")]
    pub message: String,
}

/// The flash as the cookie stores it: with the time it expires, inside the signature (the
/// cookie's `Max-Age` is the browser's to honour; this is the server's).
#[derive(Serialize)]
struct Sealed<'a> {
    #[serde(rename = "x")]
    expires: i64,
    #[serde(flatten)]
    flash: &'a Flash,
}

#[derive(Deserialize)]
struct Opened {
    #[serde(rename = "x")]
    expires: i64,
    #[serde(flatten)]
    flash: Flash,
}

impl Flash {
    /// The flash of a successful post to `action`.
    pub fn success(action: impl Into<String>) -> Flash {
        Flash {
            action: action.into(),
            ..Flash::default()
        }
    }

    /// Whether the post succeeded.
    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }

    /// The first message of the field at `path`, if it failed.
    pub fn field_error(&self, path: &str) -> Option<&str> {
        self.fields.get(path)?.first().map(String::as_str)
    }

    /// The (first) value submitted for `name`, if it is kept.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name)?.first().map(String::as_str)
    }

    /// Every value submitted for `name`, in the order sent: the boxes ticked, the options
    /// selected; empty if none is kept.
    pub fn values_of(&self, name: &str) -> &[String] {
        self.values.get(name).map_or(&[], Vec::as_slice)
    }

    /// The flash a request carries, if its cookie is signed with `key` and not expired;
    /// tampered, forged or stale cookies read as `None`. For apps that do not use
    /// [`Caller::flash`](crate::Caller::flash): send [`Flash::removal`] with the answer so it
    /// is read once.
    pub fn from_headers(headers: &HeaderMap, key: &Key) -> Option<Flash> {
        Flash::read(headers, key, unix_now())
    }

    /// The `Set-Cookie` that removes the flash (`secure` as the cookie was set).
    pub fn removal(secure: bool) -> Cookie<'static> {
        let mut cookie = base_cookie(String::new(), secure);
        cookie.make_removal();
        cookie
    }

    pub(crate) fn read(headers: &HeaderMap, key: &Key, now: i64) -> Option<Flash> {
        let mut jar = CookieJar::new();
        for header in headers.get_all(COOKIE) {
            let Ok(header) = header.to_str() else {
                continue;
            };
            for cookie in Cookie::split_parse(header.to_owned()).flatten() {
                if cookie.name() == FLASH_COOKIE {
                    jar.add_original(cookie);
                }
            }
        }
        let cookie = jar.signed(key).get(FLASH_COOKIE)?;
        let json = URL_SAFE_NO_PAD.decode(cookie.value()).ok()?;
        let opened: Opened = serde_json::from_slice(&json).ok()?;
        (opened.expires >= now).then_some(opened.flash)
    }

    /// The signed cookie carrying this flash until `now` + 60 s, within the size cap: the
    /// values are dropped first, then the field errors, then the message is shortened.
    pub(crate) fn to_cookie(&self, key: &Key, secure: bool, now: i64) -> Cookie<'static> {
        let mut flash = self.clone();
        loop {
            let cookie = flash.sealed(key, secure, now);
            if cookie.to_string().len() <= MAX_COOKIE_BYTES {
                return cookie;
            }
            if !flash.values.is_empty() {
                flash.values.clear();
            } else if !flash.fields.is_empty() {
                flash.fields.clear();
            } else {
                // Only the action name and the error are left: shorten them.
                flash.action = truncate(&flash.action, 100);
                if let Some(error) = &mut flash.error {
                    error.code = truncate(&error.code, 100);
                    error.message = truncate(&error.message, 500);
                }
                return flash.sealed(key, secure, now);
            }
        }
    }

    fn sealed(&self, key: &Key, secure: bool, now: i64) -> Cookie<'static> {
        let sealed = Sealed {
            expires: now + FLASH_TTL_SECS,
            flash: self,
        };
        let json = serde_json::to_vec(&sealed).unwrap_or_default();
        let mut jar = CookieJar::new();
        jar.signed_mut(key)
            .add(base_cookie(URL_SAFE_NO_PAD.encode(json), secure));
        jar.get(FLASH_COOKIE)
            .cloned()
            .unwrap_or_else(|| Flash::removal(secure))
    }
}

/// The values in the cookie: a field's lone value as a string, as the flash stored every value
/// before repeated fields were kept (so a cookie set by either version reads in the other), and
/// several as an array.
mod values {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(untagged)]
    enum Written<'a> {
        One(&'a str),
        Many(&'a [String]),
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Read {
        One(String),
        Many(Vec<String>),
    }

    pub(super) fn serialize<S: Serializer>(
        values: &BTreeMap<String, Vec<String>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(values.iter().map(|(name, values)| {
            let written = match values.as_slice() {
                [one] => Written::One(one),
                many => Written::Many(many),
            };
            (name, written)
        }))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
        let read = BTreeMap::<String, Read>::deserialize(deserializer)?;
        Ok(read
            .into_iter()
            .map(|(name, read)| match read {
                Read::One(one) => (name, vec![one]),
                Read::Many(many) => (name, many),
            })
            .collect())
    }
}

fn base_cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((FLASH_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(FLASH_TTL_SECS))
        .build()
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::{Flash, FlashError, MAX_COOKIE_BYTES};
    use cookie::Key;
    use http::HeaderMap;

    fn failed() -> Flash {
        let mut flash = Flash {
            action: "post.create".into(),
            error: Some(FlashError {
                code: "VALIDATION_FAILED".into(),
                message: "title: too short".into(),
            }),
            ..Flash::default()
        };
        flash
            .fields
            .insert("title".into(), vec!["too short".into()]);
        flash.values.insert("title".into(), vec!["x".into()]);
        flash
            .values
            .insert("tags".into(), vec!["rust".into(), "web".into()]);
        flash
    }

    fn headers_with(cookie: &cookie::Cookie<'_>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let pair = format!("other=1; {}={}", cookie.name(), cookie.value());
        headers.insert(http::header::COOKIE, pair.parse().unwrap());
        headers
    }

    #[test]
    fn round_trips_until_it_expires() {
        let key = Key::generate();
        let cookie = failed().to_cookie(&key, true, 1_000);
        let text = cookie.to_string();
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/", "Max-Age=60"] {
            assert!(text.contains(attribute), "{text}");
        }
        let headers = headers_with(&cookie);
        let read = Flash::read(&headers, &key, 1_060).unwrap();
        assert_eq!(read, failed());
        assert_eq!(read.field_error("title"), Some("too short"));
        assert_eq!(read.value("title"), Some("x"));
        assert_eq!(read.values_of("tags"), ["rust", "web"]);
        assert_eq!(read.value("tags"), Some("rust"));
        assert!(read.values_of("body").is_empty());
        assert!(!read.succeeded());
        assert_eq!(Flash::read(&headers, &key, 1_061), None, "expired");
        assert_eq!(
            Flash::read(&headers, &Key::generate(), 1_000),
            None,
            "other key"
        );
    }

    #[test]
    fn tampered_cookies_read_as_none() {
        let key = Key::generate();
        let cookie = Flash::success("post.create").to_cookie(&key, false, 0);
        let mut value = cookie.value().to_owned();
        let last = value.pop().unwrap();
        value.push(if last == 'A' { 'B' } else { 'A' });
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            format!("flash={value}").parse().unwrap(),
        );
        assert_eq!(Flash::read(&headers, &key, 0), None);
        assert!(
            Flash::read(&headers_with(&cookie), &key, 0)
                .unwrap()
                .succeeded()
        );
    }

    #[test]
    fn big_flashes_lose_values_then_fields() {
        let key = Key::generate();
        let mut flash = failed();
        flash.values.insert("body".into(), vec!["b".repeat(5_000)]);
        let cookie = flash.to_cookie(&key, false, 0);
        assert!(cookie.to_string().len() <= MAX_COOKIE_BYTES);
        let read = Flash::read(&headers_with(&cookie), &key, 0).unwrap();
        assert!(read.values.is_empty());
        assert_eq!(read.field_error("title"), Some("too short"));

        for i in 0..200 {
            flash
                .fields
                .insert(format!("items.{i}.name"), vec!["is required".into()]);
        }
        flash.error.as_mut().unwrap().message = "m".repeat(5_000);
        let cookie = flash.to_cookie(&key, false, 0);
        assert!(
            cookie.to_string().len() <= MAX_COOKIE_BYTES,
            "{}",
            cookie.to_string().len()
        );
        let read = Flash::read(&headers_with(&cookie), &key, 0).unwrap();
        assert!(read.fields.is_empty() && read.values.is_empty());
        assert_eq!(read.error.unwrap().code, "VALIDATION_FAILED");
    }

    /// A cookie written before repeated fields were kept (each value a lone string) reads the
    /// same; a lone value is still written that way, several as an array.
    #[test]
    fn lone_values_are_strings_in_the_cookie() {
        let key = Key::generate();
        let old = serde_json::json!({
            "x": 1_060, "a": "post.create", "v": {"title": "x", "slug": "s"}
        });
        let json = serde_json::to_vec(&old).unwrap();
        let mut jar = cookie::CookieJar::new();
        jar.signed_mut(&key).add(super::base_cookie(
            base64::Engine::encode(&super::URL_SAFE_NO_PAD, json),
            false,
        ));
        let read = Flash::read(&headers_with(jar.get("flash").unwrap()), &key, 1_000).unwrap();
        assert_eq!(read.value("title"), Some("x"));
        assert_eq!(read.values_of("slug"), ["s"]);

        let written = serde_json::to_value(failed()).unwrap();
        assert_eq!(
            written["v"],
            serde_json::json!({"title": "x", "tags": ["rust", "web"]})
        );
    }
}
