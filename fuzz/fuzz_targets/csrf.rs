//! The CSRF guard (Origin / Referer / Sec-Fetch-Site) and the origin normalisation behind it.
//! A safe method or a request without the session cookie always passes; a refusal is a `403`
//! with the error body of its route; a cookie-carrying write that passes came from the app's
//! origin or the trusted one; normalising an origin twice changes nothing.
#![no_main]

use actions_runtime::__fuzz;
use actions_runtime::auth::AuthConfig;
use http::{HeaderValue, Method, header};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

const APP: &str = "https://app.example";
const TRUSTED: &str = "https://admin.example:8443";

#[derive(Debug, Arbitrary)]
struct Case {
    method: u8,
    auth_route: bool,
    cookie: bool,
    origin: Vec<Vec<u8>>,
    referer: Vec<Vec<u8>>,
    sec_fetch_site: Vec<Vec<u8>>,
    /// Prefixed to the Origin / Referer values, so the fuzzer starts from plausible URLs.
    prefix: u8,
}

const METHODS: [Method; 7] = [
    Method::GET,
    Method::HEAD,
    Method::OPTIONS,
    Method::TRACE,
    Method::POST,
    Method::PUT,
    Method::DELETE,
];
const PREFIXES: [&str; 5] = [
    "",
    APP,
    TRUSTED,
    "http://app.example",
    "https://evil.example",
];

fuzz_target!(|case: Case| {
    let config = AuthConfig::new(APP)
        .and_then(|c| c.trusted_origin(TRUSTED))
        .expect("a valid configuration");
    let method = METHODS[usize::from(case.method) % METHODS.len()].clone();
    let prefix = PREFIXES[usize::from(case.prefix) % PREFIXES.len()];
    let path = if case.auth_route {
        "/api/auth/sign-out"
    } else {
        "/_actions/post.create"
    };
    let mut request = axum::extract::Request::builder()
        .method(method.clone())
        .uri(path)
        .body(axum::body::Body::empty())
        .expect("a request");
    let headers = request.headers_mut();
    if case.cookie {
        let cookie = format!("{}=token", __fuzz::session_cookie_name(&config));
        headers.append(
            header::COOKIE,
            HeaderValue::from_str(&cookie).expect("a cookie"),
        );
    }
    let mut sent = |name: &'static str, values: &[Vec<u8>], prefix: &str| {
        for value in values {
            let bytes = [prefix.as_bytes(), value].concat();
            if let Ok(value) = HeaderValue::from_bytes(&bytes) {
                headers.append(name, value);
            }
        }
    };
    sent("origin", &case.origin, prefix);
    sent("referer", &case.referer, prefix);
    sent("sec-fetch-site", &case.sec_fetch_site, "");
    let headers = request.headers().clone();

    for value in headers
        .get_all("origin")
        .iter()
        .chain(headers.get_all("referer"))
    {
        if let Ok(text) = value.to_str()
            && let Some(once) = __fuzz::normalize_origin(text)
        {
            assert_eq!(
                __fuzz::normalize_origin(&once).as_ref(),
                Some(&once),
                "normalising {text:?} twice"
            );
        }
    }

    let refusal = __fuzz::csrf_refusal(&request, &config);
    let safe = matches!(
        method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    match refusal {
        Some(response) => {
            assert!(
                !safe && case.cookie,
                "refused a request the guard does not concern"
            );
            assert_eq!(response.status(), http::StatusCode::FORBIDDEN);
        }
        None if safe || !case.cookie => {}
        None => {
            let origin = headers
                .get("origin")
                .or_else(|| headers.get("referer"))
                .and_then(|v| v.to_str().ok())
                .and_then(__fuzz::normalize_origin)
                .expect("a write with the cookie passes only with an origin");
            assert!(
                origin == APP || origin == TRUSTED,
                "a write with the cookie passed from {origin:?}"
            );
            for name in ["origin", "referer", "sec-fetch-site"] {
                assert!(
                    headers.get_all(name).iter().count() <= 1,
                    "several {name} headers passed"
                );
            }
        }
    }
});
