//! An HTTP client that calls a router in-process, through the same stack a real request takes.

use super::TEST_USER_HEADER;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, Method, Request, StatusCode};
use std::net::{IpAddr, SocketAddr};
use tower::ServiceExt;

/// Sends requests to a router without a socket.
#[derive(Debug, Clone)]
pub struct TestClient {
    router: Router,
    user: Option<String>,
    headers: Vec<(String, String)>,
    ip: IpAddr,
}

impl TestClient {
    /// A client for `router`, signed out.
    pub fn new(router: Router) -> TestClient {
        TestClient {
            router,
            user: None,
            headers: Vec::new(),
            ip: IpAddr::from([127, 0, 0, 1]),
        }
    }

    /// The same client, signed in as user `id` (through the test authenticator).
    pub fn as_user(&self, id: i64) -> TestClient {
        TestClient {
            user: Some(id.to_string()),
            ..self.clone()
        }
    }

    /// The same client, signed in as admin `id`.
    pub fn as_admin(&self, id: i64) -> TestClient {
        TestClient {
            user: Some(format!("{id}:admin")),
            ..self.clone()
        }
    }

    /// The same client, sending `name: value` with every request (a session cookie, an
    /// `Origin`).
    pub fn with_header(&self, name: &str, value: &str) -> TestClient {
        let mut client = self.clone();
        client.headers.push((name.to_owned(), value.to_owned()));
        client
    }

    /// The same client, connecting from `ip` (what rate limits key on).
    pub fn from_ip(&self, ip: IpAddr) -> TestClient {
        TestClient { ip, ..self.clone() }
    }

    /// A request with any method.
    pub fn request(&self, method: Method, path: &str) -> TestRequest {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .extension(ConnectInfo(SocketAddr::new(self.ip, 40_000)));
        if let Some(user) = &self.user {
            builder = builder.header(TEST_USER_HEADER, user);
        }
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        TestRequest {
            router: self.router.clone(),
            builder,
            body: Body::empty(),
        }
    }

    /// A `POST`.
    pub fn post(&self, path: &str) -> TestRequest {
        self.request(Method::POST, path)
    }

    /// A `GET`.
    pub fn get(&self, path: &str) -> TestRequest {
        self.request(Method::GET, path)
    }

    /// Calls action `name` with a JSON body.
    pub async fn action(&self, name: &str, input: serde_json::Value) -> TestResponse {
        self.post(&format!("/_actions/{name}"))
            .json(&input)
            .send()
            .await
    }
}

/// A request being built.
#[derive(Debug)]
pub struct TestRequest {
    router: Router,
    builder: http::request::Builder,
    body: Body,
}

impl TestRequest {
    /// Adds a header.
    pub fn header(mut self, name: impl TryInto<HeaderName>, value: &str) -> TestRequest {
        if let Ok(name) = name.try_into() {
            self.builder = self.builder.header(name, value);
        }
        self
    }

    /// A JSON body.
    pub fn json(self, value: &serde_json::Value) -> TestRequest {
        self.body("application/json", serde_json::to_vec(value).expect("JSON"))
    }

    /// An urlencoded form body.
    pub fn form(self, fields: &[(&str, &str)]) -> TestRequest {
        let body: String = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.body("application/x-www-form-urlencoded", body)
    }

    /// A multipart body.
    pub fn multipart(self, multipart: Multipart) -> TestRequest {
        let content_type = format!("multipart/form-data; boundary={}", Multipart::BOUNDARY);
        self.body(&content_type, Bytes::from(multipart))
    }

    /// Any body, with its content type.
    pub fn body(mut self, content_type: &str, body: impl Into<Body>) -> TestRequest {
        self.builder = self.builder.header(CONTENT_TYPE, content_type);
        self.body = body.into();
        self
    }

    /// Any body, without a content type.
    pub fn raw_body(mut self, body: impl Into<Body>) -> TestRequest {
        self.body = body.into();
        self
    }

    /// Sends it.
    pub async fn send(self) -> TestResponse {
        let request = self.builder.body(self.body).expect("a valid request");
        let response = self
            .router
            .oneshot(request)
            .await
            .expect("routers are infallible");
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX)
            .await
            .expect("the response body");
        TestResponse {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }
}

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A received response.
#[derive(Debug, Clone)]
pub struct TestResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl TestResponse {
    /// The body as JSON.
    ///
    /// # Panics
    /// When it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "response is not JSON ({e}): {} {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Asserts the status, showing the body when it differs; returns `self` for more checks.
    ///
    /// # Panics
    /// When the status is not `expected`.
    #[track_caller]
    pub fn assert_status(&self, expected: StatusCode) -> &TestResponse {
        assert_eq!(
            self.status,
            expected,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }

    /// `"CODE"` of an error body.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }
}

/// A `multipart/form-data` body.
#[derive(Debug, Default, Clone)]
pub struct Multipart {
    body: Vec<u8>,
}

impl Multipart {
    const BOUNDARY: &'static str = "actions-runtime-test-boundary";

    /// An empty body.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: &str, value: &str) -> Multipart {
        self.part(
            &format!("form-data; name=\"{name}\""),
            None,
            value.as_bytes(),
        );
        self
    }

    /// Adds a file.
    pub fn file(
        mut self,
        name: &str,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Multipart {
        self.part(
            &format!("form-data; name=\"{name}\"; filename=\"{file_name}\""),
            Some(content_type),
            bytes,
        );
        self
    }

    fn part(&mut self, disposition: &str, content_type: Option<&str>, bytes: &[u8]) {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: {disposition}\r\n",
                Self::BOUNDARY
            )
            .as_bytes(),
        );
        if let Some(content_type) = content_type {
            self.body
                .extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        self.body.extend_from_slice(b"\r\n");
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
    }
}

impl From<Multipart> for Bytes {
    fn from(multipart: Multipart) -> Bytes {
        let mut body = multipart.body;
        body.extend_from_slice(format!("--{}--\r\n", Multipart::BOUNDARY).as_bytes());
        Bytes::from(body)
    }
}
