//! [`RequestHead`]: what a handler may read of the HTTP request it runs for — method, URI,
//! headers, cookies and the client's address. The body is not here: it was decoded into the
//! action's input.

use axum::extract::ConnectInfo;
use cookie::Cookie;
use http::header::COOKIE;
use http::request::Parts;
use http::{HeaderMap, Method, Uri};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The head of the HTTP request an action runs for. An in-process call has none:
/// [`ActionContext::request`](crate::ActionContext::request) is then `None`.
#[derive(Clone)]
pub struct RequestHead {
    parts: Arc<Parts>,
    client_ip: IpAddr,
}

impl RequestHead {
    /// The head of a request, its client's address resolved with `trusted_proxies`.
    pub(crate) fn new(parts: Arc<Parts>, trusted_proxies: &[IpAddr]) -> RequestHead {
        let client_ip = client_ip(&parts, trusted_proxies);
        RequestHead { parts, client_ip }
    }

    /// The method (`POST` for actions served over HTTP).
    pub fn method(&self) -> &Method {
        &self.parts.method
    }

    /// The URI as requested: path and query.
    pub fn uri(&self) -> &Uri {
        &self.parts.uri
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// The cookie named `name`, as the client sent it (unsigned: for a signed or private cookie
    /// use [`ActionContext::signed_cookies`](crate::ActionContext::signed_cookies)).
    pub fn cookie(&self, name: &str) -> Option<Cookie<'static>> {
        request_cookies(&self.parts.headers).find(|cookie| cookie.name() == name)
    }

    /// The client's address: the connection's peer, or — when the peer is one of the server's
    /// trusted proxies ([`ServerBuilder::trusted_proxy`](crate::ServerBuilder::trusted_proxy))
    /// — the nearest untrusted address in `X-Forwarded-For`. Never the header's word alone.
    pub fn client_ip(&self) -> IpAddr {
        self.client_ip
    }
}

impl std::fmt::Debug for RequestHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestHead")
            .field("method", &self.parts.method)
            .field("uri", &self.parts.uri)
            .field("client_ip", &self.client_ip)
            .finish_non_exhaustive()
    }
}

/// Marks a request as a browser's form post from a page of this app or a trusted origin (set by
/// the router in the request's extensions):
/// stage 3 then decodes a form body for a JSON action too, as a form action's, so an HTML
/// `<form>` can post to any action. A script's form body to a JSON action stays a `415`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BrowserForm;

/// Every cookie of the request's `Cookie` headers.
pub(crate) fn request_cookies(headers: &HeaderMap) -> impl Iterator<Item = Cookie<'static>> + '_ {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .map(Cookie::into_owned)
}

/// The client's address: the connection's peer, or — when the peer is a trusted proxy — the
/// nearest untrusted address in `X-Forwarded-For` (the first one if every hop is trusted).
pub(crate) fn client_ip(parts: &Parts, trusted_proxies: &[IpAddr]) -> IpAddr {
    let peer = match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(addr)) => addr.ip(),
        None => {
            static WARNED: std::sync::Once = std::sync::Once::new();
            WARNED.call_once(|| {
                tracing::warn!(
                    "requests carry no peer address, so per-IP rate limits see every client as \
                     one: serve the router with into_make_service_with_connect_info::<SocketAddr>()"
                );
            });
            IpAddr::from([0, 0, 0, 0])
        }
    };
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|ip| ip.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|ip| !trusted_proxies.contains(ip))
        .or(forwarded.first())
        .copied()
        .unwrap_or(peer)
}
