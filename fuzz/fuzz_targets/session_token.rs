//! The session token parser (the `Cookie` header, else `Authorization: Bearer`): for any
//! headers it is deterministic, never empty, taken from a header actually sent, the cookie
//! first; a bearer token has no surrounding whitespace.
#![no_main]

use actions_runtime::__fuzz;
use actions_runtime::auth::AuthConfig;
use http::{HeaderMap, HeaderValue, header};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Case {
    https: bool,
    cookies: Vec<Vec<u8>>,
    authorizations: Vec<Vec<u8>>,
    /// Put the session cookie's name in front of the first cookie header's bytes.
    named: bool,
}

fuzz_target!(|case: Case| {
    let config = AuthConfig::new(if case.https {
        "https://app.example"
    } else {
        "http://localhost:3000"
    })
    .expect("a valid base URL");
    let name = __fuzz::session_cookie_name(&config);
    let mut headers = HeaderMap::new();
    for (i, cookie) in case.cookies.iter().enumerate() {
        let mut value = Vec::new();
        if i == 0 && case.named {
            value.extend_from_slice(name.as_bytes());
            value.push(b'=');
        }
        value.extend_from_slice(cookie);
        if let Ok(value) = HeaderValue::from_bytes(&value) {
            headers.append(header::COOKIE, value);
        }
    }
    for authorization in &case.authorizations {
        if let Ok(value) = HeaderValue::from_bytes(authorization) {
            headers.append(header::AUTHORIZATION, value);
        }
    }
    let (token, cookie) = __fuzz::session_token(&headers, &config);
    assert_eq!(
        (token.clone(), cookie.clone()),
        __fuzz::session_token(&headers, &config)
    );
    if let Some(cookie) = &cookie {
        assert_eq!(token.as_ref(), Some(cookie), "the cookie comes first");
        assert!(!cookie.is_empty());
        assert!(
            headers
                .get_all(header::COOKIE)
                .iter()
                .any(|v| contains(v.as_bytes(), cookie.as_bytes())),
            "a cookie token comes from a Cookie header"
        );
    }
    if let (Some(token), None) = (&token, &cookie) {
        assert!(!token.is_empty());
        assert_eq!(token.trim(), token, "a bearer token is trimmed");
        let from = headers
            .get(header::AUTHORIZATION)
            .expect("an Authorization header")
            .as_bytes();
        assert!(
            from.len() > 7 && from[..7].eq_ignore_ascii_case(b"bearer "),
            "a Bearer header: {from:?}"
        );
        assert!(contains(from, token.as_bytes()));
    }
});

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
