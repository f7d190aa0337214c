//! A browser's form post to an action: the same pipeline runs, and its answer — JSON for every
//! other client — becomes `303 See Other` with a [`Flash`].

use super::flash::{Flash, FlashError};
use super::redirect::{Origins, fill_template, referer_target, safe_target};
use super::tee::{Kept, tee};
use crate::base::Clock;
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use cookie::Key;
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, LOCATION, SET_COOKIE};
use http::{HeaderMap, HeaderValue, Request, StatusCode};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The most of an action's JSON output read to fill its redirect's placeholders.
const MAX_OUTPUT_READ: usize = 1 << 20;

/// What answering forms needs of the server.
#[derive(Clone)]
pub(crate) struct FormSite {
    /// Signs the flash.
    pub(crate) key: Key,
    /// `Secure` cookies (the app is served over HTTPS).
    pub(crate) secure: bool,
    pub(crate) origins: Origins,
    /// The largest request body accepted.
    pub(crate) body_limit: usize,
    /// The server's clock: when a flash expires.
    pub(crate) clock: Arc<dyn Clock>,
}

impl FormSite {
    /// `303 See Other` to `location`, setting `flash`.
    #[cfg_attr(not(feature = "accounts"), allow(dead_code))]
    pub(crate) fn see_other(&self, location: &str, flash: &Flash) -> Response {
        let mut response = StatusCode::SEE_OTHER.into_response();
        self.redirect(&mut response, location, flash);
        response
    }

    /// Turns `response` into `303 See Other` to `location` with `flash`, keeping its other
    /// headers (the cookies an action set).
    pub(crate) fn redirect(&self, response: &mut Response, location: &str, flash: &Flash) {
        *response.status_mut() = StatusCode::SEE_OTHER;
        *response.body_mut() = Body::empty();
        let headers = response.headers_mut();
        headers.remove(CONTENT_TYPE);
        headers.remove(CONTENT_LENGTH);
        let location = HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/"));
        headers.insert(LOCATION, location);
        let now = self.clock.now().timestamp_micros() / 1_000_000;
        let cookie = flash.to_cookie(&self.key, self.secure, now);
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            headers.append(SET_COOKIE, value);
        }
    }

    /// `303` back to the form's page with `error` and the `values` to fill it again.
    #[cfg_attr(not(feature = "accounts"), allow(dead_code))]
    pub(crate) fn refuse(
        &self,
        action: &str,
        headers: &HeaderMap,
        error: FlashError,
        values: BTreeMap<String, Vec<String>>,
    ) -> Response {
        let mut values = values;
        values.retain(|name, _| !is_secret(name));
        let flash = Flash {
            action: action.to_owned(),
            error: Some(error),
            fields: BTreeMap::new(),
            values,
        };
        self.see_other(&self.back(headers), &flash)
    }

    /// Whether a browser's form post comes from a page of this app or a trusted origin, so a
    /// JSON action may read its form: another site's form gets the JSON action's `415` (even
    /// where no account service refuses cross-site posts first).
    pub(crate) fn sent_from_site(&self, headers: &HeaderMap) -> bool {
        self.origins.sent_from_site(headers)
    }

    /// Where a failed post goes: back to its page if it is this app's, else `/`.
    pub(crate) fn back(&self, headers: &HeaderMap) -> String {
        referer_target(headers, &self.origins, false).unwrap_or_else(|| "/".to_owned())
    }

    /// `target` if the browser may be sent there (a path here, this app's origin or, with
    /// `trusted`, a trusted one).
    pub(crate) fn safe(&self, target: &str, headers: &HeaderMap, trusted: bool) -> Option<String> {
        safe_target(target, &self.origins, headers, trusted)
    }
}

/// Whether a request is a browser's form post: a form body (`application/x-www-form-urlencoded`
/// or `multipart/form-data`) from a client whose `Accept` prefers HTML. `fetch` sends `*/*`, the
/// TypeScript client JSON: they keep getting JSON.
pub(crate) fn is_browser_form(headers: &HeaderMap) -> bool {
    // Every action request passes here: a prefix test, no parsing, for JSON.
    let form = headers.get(CONTENT_TYPE).is_some_and(|value| {
        let value = value.as_bytes();
        let starts = |prefix: &str| {
            value.len() >= prefix.len()
                && value[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        };
        starts("application/x-www-form-urlencoded") || starts("multipart/form-data")
    });
    form && prefers_html(headers)
}

/// `Accept` lists `text/html` (or XHTML) with a weight above zero and at least JSON's.
fn prefers_html(headers: &HeaderMap) -> bool {
    let (mut html, mut json) = (0.0_f32, 0.0_f32);
    for value in headers.get_all(ACCEPT) {
        let Ok(value) = value.to_str() else { continue };
        for range in value.split(',') {
            let mut params = range.split(';');
            let media = params.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = params
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match media.as_str() {
                "text/html" | "application/xhtml+xml" => html = html.max(q),
                "application/json" => json = json.max(q),
                _ => {}
            }
        }
    }
    html > 0.0 && html >= json
}

/// Whether a field's value is never kept in a flash: its name contains `password`.
fn is_secret(name: &str) -> bool {
    name.to_ascii_lowercase().contains("password")
}

/// The values a form submitted, to fill it again: every value of each name, minus passwords and
/// files.
pub(crate) async fn submitted_values(
    headers: &HeaderMap,
    body: Bytes,
) -> BTreeMap<String, Vec<String>> {
    let mut values = form_fields(headers, body).await;
    values.retain(|name, _| !is_secret(name));
    values
}

/// A form body's text fields, every value of each name in the order sent (files are left out).
/// A body that does not parse gives what parsed before the fault.
pub(crate) async fn form_fields(headers: &HeaderMap, body: Bytes) -> BTreeMap<String, Vec<String>> {
    let mut values = BTreeMap::<String, Vec<String>>::new();
    let Some(media) = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
    else {
        return values;
    };
    if media == mime::APPLICATION_WWW_FORM_URLENCODED {
        for (name, value) in form_pairs(&body) {
            values.entry(name).or_default().push(value);
        }
    } else if let Some(boundary) = media.get_param(mime::BOUNDARY) {
        let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
        let mut multipart = multer::Multipart::new(stream, boundary.as_str().to_owned());
        while let Ok(Some(field)) = multipart.next_field().await {
            let name = field.name().map(str::to_owned);
            let is_file = field.file_name().is_some();
            let Ok(text) = field.text().await else { break };
            if let (Some(name), false) = (name, is_file) {
                values.entry(name).or_default().push(text);
            }
        }
    }
    values
}

/// `application/x-www-form-urlencoded` pairs, decoded (invalid UTF-8 replaced: only for
/// display).
fn form_pairs(body: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = match pair.iter().position(|&b| b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &b""[..]),
            };
            (decode(key), decode(value))
        })
}

fn decode(raw: &[u8]) -> String {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

/// Serves a browser's form post to `action` with `serve` (the pipeline) and answers `303`:
/// on success to `redirect` filled from the output (else back to the form's page, else `/`),
/// on failure back to the form's page with the error, the field errors and the values. The body
/// goes to the pipeline unread: it reads it after auth, the ACL and the hooks, or never.
pub(crate) async fn answer_action<F>(
    site: &FormSite,
    action: &str,
    redirect: Option<&'static str>,
    request: Request<Body>,
    serve: impl FnOnce(Request<Body>) -> F,
) -> Response
where
    F: Future<Output = Response>,
{
    let (parts, body) = request.into_parts();
    let headers = parts.headers.clone();
    let success = |output: &serde_json::Value| {
        redirect
            .and_then(|template| fill_template(template, output))
            .and_then(|target| site.safe(&target, &headers, false))
    };
    let body = FormBody::Unread(body);
    answer(site, action, (parts, body), success, |_| None, serve).await
}

/// A form post's body, as [`answer`] gets it.
pub(crate) enum FormBody {
    /// Read already (an auth route checks its `callbackURL` before anything): a failure's
    /// values come from all of it.
    #[cfg_attr(not(feature = "accounts"), allow(dead_code))]
    Read(Bytes),
    /// Not read yet: `serve` reads it (or not), and a failure's values come from what it read,
    /// none if it read nothing or went over the limit.
    Unread(Body),
}

/// The answer to a form post: `serve` answers it as JSON; success goes to `success(output)`'s
/// page (else back to a page of this app or a trusted one, else `/`), failure back with the
/// flash.
pub(crate) async fn answer<F>(
    site: &FormSite,
    action: &str,
    (parts, body): (http::request::Parts, FormBody),
    success: impl FnOnce(&serde_json::Value) -> Option<String>,
    field_of_code: fn(&str) -> Option<&'static str>,
    serve: impl FnOnce(Request<Body>) -> F,
) -> Response
where
    F: Future<Output = Response>,
{
    let headers = parts.headers.clone();
    let (body, kept) = match body {
        FormBody::Read(bytes) => (Body::from(bytes.clone()), Kept::whole(bytes)),
        FormBody::Unread(body) => tee(body, site.body_limit),
    };
    let mut response = serve(Request::from_parts(parts, body)).await;
    let status = response.status();
    if status.is_success() || status.is_redirection() {
        // The action chose its own page (`ctx.redirect`): it keeps it.
        let location = match response.headers().get(LOCATION) {
            Some(location) => location.to_str().ok().map(str::to_owned),
            None => {
                let body = std::mem::take(response.body_mut());
                let output = axum::body::to_bytes(body, MAX_OUTPUT_READ)
                    .await
                    .ok()
                    .and_then(|b| serde_json::from_slice(&b).ok())
                    .unwrap_or(serde_json::Value::Null);
                success(&output)
            }
        };
        let location = location
            .or_else(|| referer_target(&headers, &site.origins, true))
            .unwrap_or_else(|| "/".to_owned());
        site.redirect(&mut response, &location, &Flash::success(action));
        return response;
    }
    let body = std::mem::take(response.body_mut());
    let error: serde_json::Value = axum::body::to_bytes(body, MAX_OUTPUT_READ)
        .await
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let text = |key: &str| error.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let code = text("code").unwrap_or_else(|| status.as_str().to_owned());
    let message = text("message").unwrap_or_default();
    let mut fields: BTreeMap<String, Vec<String>> = error
        .get("fields")
        .and_then(|f| serde_json::from_value(f.clone()).ok())
        .unwrap_or_default();
    // An error without field paths whose code names the field it is about.
    if let (true, Some(field)) = (fields.is_empty(), field_of_code(&code)) {
        fields.insert(field.to_owned(), vec![message.clone()]);
    }
    let flash = Flash {
        action: action.to_owned(),
        error: Some(FlashError { code, message }),
        fields,
        values: match kept.bytes() {
            Some(bytes) => submitted_values(&headers, bytes).await,
            None => BTreeMap::new(),
        },
    };
    // Only what the browser needs: the error's own headers (`Retry-After`, `Allow`) are for
    // API clients.
    let mut answer = StatusCode::SEE_OTHER.into_response();
    for cookie in response.headers().get_all(SET_COOKIE) {
        answer.headers_mut().append(SET_COOKIE, cookie.clone());
    }
    site.redirect(&mut answer, &site.back(&headers), &flash);
    answer
}

#[cfg(test)]
mod tests {
    use super::{is_browser_form, submitted_values};
    use http::HeaderMap;

    fn headers(content_type: &str, accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", content_type.parse().unwrap());
        headers.insert("accept", accept.parse().unwrap());
        headers
    }

    #[test]
    fn browsers_are_told_from_scripts() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        let form = "application/x-www-form-urlencoded";
        assert!(is_browser_form(&headers(form, browser)));
        assert!(is_browser_form(&headers(
            "multipart/form-data; boundary=x",
            browser
        )));
        assert!(!is_browser_form(&headers(form, "*/*")));
        assert!(!is_browser_form(&headers(form, "application/json")));
        assert!(!is_browser_form(&headers(
            form,
            "text/html;q=0.5, application/json"
        )));
        assert!(!is_browser_form(&headers("application/json", browser)));
    }

    #[tokio::test]
    async fn values_keep_no_password_nor_file() {
        let form = headers("application/x-www-form-urlencoded", "text/html");
        let body = "title=Hi+there%21&newPassword=s3cret&password=x&title=second";
        let values = submitted_values(&form, body.into()).await;
        assert_eq!(values.len(), 1);
        assert_eq!(values["title"], ["Hi there!", "second"]);

        let multipart = headers("multipart/form-data; boundary=B", "text/html");
        let body = "--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHello\r\n\
            --B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nbytes\r\n\
            --B\r\nContent-Disposition: form-data; name=\"Password\"\r\n\r\nx\r\n\
            --B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nWorld\r\n--B--\r\n";
        let values = submitted_values(&multipart, body.into()).await;
        assert_eq!(
            values.into_iter().collect::<Vec<_>>(),
            [("title".into(), vec!["Hello".into(), "World".into()])]
        );
    }
}
