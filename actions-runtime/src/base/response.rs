//! [`ResponseHead`]: what an action adds to its answer beside the output — headers, cookies, or
//! a redirect instead of the JSON body.

use crate::error::ActionError;
use cookie::{Cookie, CookieJar};
use http::header::{LOCATION, SET_COOKIE};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

/// What an action sets on its response, applied when it succeeds (an action that fails answers
/// its error alone: its transaction rolled back, and so do its cookies and headers).
///
/// An idempotent action's stored response is its output: a replay sends that, without the
/// headers, cookies or redirect of the first answer.
#[derive(Debug, Default)]
pub struct ResponseHead {
    headers: HeaderMap,
    /// The request's cookies and the changes the action made (`delta()` is what it sets).
    pub(crate) cookies: CookieJar,
    redirect: Option<HeaderValue>,
}

impl ResponseHead {
    /// A response head starting from the cookies the client sent.
    pub(crate) fn with_cookies(cookies: impl Iterator<Item = Cookie<'static>>) -> ResponseHead {
        let mut jar = CookieJar::new();
        for cookie in cookies {
            jar.add_original(cookie);
        }
        ResponseHead {
            cookies: jar,
            ..ResponseHead::default()
        }
    }

    /// The headers to add (appended to those the runtime sets).
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.headers
    }

    /// Adds `name: value`.
    pub fn insert_header(&mut self, name: HeaderName, value: HeaderValue) {
        self.headers.append(name, value);
    }

    /// Answers `303 See Other` to `location` instead of the output (a form posted without
    /// JavaScript lands on a page); `400`-free: a location that is not a valid header value is a
    /// server error.
    pub fn redirect(&mut self, location: &str) -> Result<(), ActionError> {
        let value = HeaderValue::from_str(location).map_err(|_| {
            ActionError::internal(format!(
                "redirect location {location:?} is not a header value"
            ))
        })?;
        self.redirect = Some(value);
        Ok(())
    }

    /// The redirect location, if [`ResponseHead::redirect`] was called.
    pub fn redirect_location(&self) -> Option<&HeaderValue> {
        self.redirect.as_ref()
    }

    /// Applies what was set to `response`: the status and `Location` of a redirect (with no
    /// body), the headers, and a `Set-Cookie` per cookie added or removed.
    pub(crate) fn apply<B: Default>(self, response: &mut http::Response<B>) {
        if let Some(location) = self.redirect {
            *response.status_mut() = StatusCode::SEE_OTHER;
            *response.body_mut() = B::default();
            let headers = response.headers_mut();
            headers.remove(http::header::CONTENT_TYPE);
            headers.remove(http::header::CONTENT_LENGTH);
            headers.insert(LOCATION, location);
        }
        let headers = response.headers_mut();
        let mut last = None;
        for (name, value) in self.headers {
            // `HeaderMap::into_iter` names each header once, before its values.
            let name = match name {
                Some(name) => {
                    last = Some(name.clone());
                    name
                }
                None => match &last {
                    Some(name) => name.clone(),
                    None => continue,
                },
            };
            headers.append(name, value);
        }
        for cookie in self.cookies.delta() {
            if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
                headers.append(SET_COOKIE, value);
            }
        }
    }
}
