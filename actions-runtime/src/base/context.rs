//! [`ActionContext`]: what a handler knows about its request, and what it may add to the
//! answer.

use super::action::Resource;
use super::identity::User;
use super::request::{RequestHead, request_cookies};
use super::response::ResponseHead;
use super::services::Services;
use crate::db::{Database, DbConn};
use crate::error::ActionError;
use cookie::{CookieJar, PrivateJar, SignedJar};
use std::sync::Arc;

/// The request an action runs for: the signed-in user, the request id, the HTTP request's head
/// (none in-process), the app's state, the database connection — under `tx`, the
/// transaction's — and the [`ResponseHead`] it may add headers, cookies or a redirect to.
///
/// Built by the server for each request; for in-process calls, use
/// [`Server::context`](crate::Server::context).
pub struct ActionContext {
    services: Arc<Services>,
    request_id: String,
    action: Arc<str>,
    user: Option<User>,
    conn: Option<DbConn>,
    /// The connection was closed mid-request ([`ActionContext::abandon`]): until the request
    /// ends, its statements fail rather than run on a fresh connection, outside the
    /// transaction they belong to.
    lost: bool,
    resource: Option<Resource>,
    request: Option<RequestHead>,
    /// Created on first use (most actions set nothing).
    response: Option<ResponseHead>,
}

impl std::fmt::Debug for ActionContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionContext")
            .field("request_id", &self.request_id)
            .field("action", &self.action)
            .field("user", &self.user)
            .field("conn", &self.conn)
            .finish()
    }
}

impl ActionContext {
    pub(crate) fn new(
        services: Arc<Services>,
        request_id: String,
        action: Arc<str>,
    ) -> ActionContext {
        ActionContext {
            services,
            request_id,
            action,
            user: None,
            conn: None,
            lost: false,
            resource: None,
            request: None,
            response: None,
        }
    }

    /// The head of the HTTP request the action runs for; `None` for an in-process call
    /// ([`Server::call`](crate::Server::call)) that no request started.
    pub fn request(&self) -> Option<&RequestHead> {
        self.request.as_ref()
    }

    pub(crate) fn set_request(&mut self, request: RequestHead) {
        self.request = Some(request);
    }

    /// What the action adds to its answer: headers, cookies, a redirect. Applied when it
    /// succeeds.
    pub fn response(&mut self) -> &mut ResponseHead {
        let request = &self.request;
        self.response.get_or_insert_with(|| match request {
            Some(request) => ResponseHead::with_cookies(request_cookies(request.headers())),
            None => ResponseHead::default(),
        })
    }

    /// The request's cookies, to read and to change: what is added or removed is sent back
    /// with the answer (`Set-Cookie`).
    pub fn cookies(&mut self) -> &mut CookieJar {
        &mut self.response().cookies
    }

    /// The request's cookies signed with the server's key
    /// ([`ServerBuilder::cookie_key`](crate::ServerBuilder::cookie_key)): readable by the
    /// client, but a cookie it changed or forged reads as absent.
    pub fn signed_cookies(&mut self) -> SignedJar<&mut CookieJar> {
        let services = self.services.clone();
        self.cookies().signed_mut(&services.cookie_key)
    }

    /// The request's cookies encrypted with the server's key: neither readable nor forgeable by
    /// the client.
    pub fn private_cookies(&mut self) -> PrivateJar<&mut CookieJar> {
        let services = self.services.clone();
        self.cookies().private_mut(&services.cookie_key)
    }

    /// Answers `303 See Other` to `location` instead of the output, when the action succeeds.
    pub fn redirect(&mut self, location: &str) -> Result<(), ActionError> {
        self.response().redirect(location)
    }

    /// What the action set on its answer, if anything.
    pub(crate) fn take_response(&mut self) -> Option<ResponseHead> {
        self.response.take()
    }

    /// The app's state of type `T`, given to the server with
    /// [`ServerBuilder::state`](crate::ServerBuilder::state); `500` when it was not. Prefer a
    /// [`State`](crate::State) argument, which the server checks when it is built.
    pub fn state<T: Send + Sync + 'static>(&self) -> Result<Arc<T>, ActionError> {
        self.services.state.get::<T>().ok_or_else(|| {
            ActionError::internal(format!(
                "no state of type {}: give it to the server with ServerBuilder::state",
                std::any::type_name::<T>()
            ))
        })
    }

    /// The signed-in user, or `401 UNAUTHORIZED`. Always `Ok` in an `auth` action.
    pub fn user(&self) -> Result<&User, ActionError> {
        self.user
            .as_ref()
            .ok_or_else(|| ActionError::unauthorized("sign in to do this"))
    }

    /// The signed-in user, if any (public actions may be called either way).
    pub fn current_user(&self) -> Option<&User> {
        self.user.as_ref()
    }

    /// The id of this request, also in the `x-request-id` response header and the logs.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The action's full wire name (`post.create`).
    pub fn action_name(&self) -> &str {
        &self.action
    }

    /// The resource the action loaded with `load = …` and the policy allowed, or `500` when
    /// the action loads none of type `R`.
    pub fn loaded<R: 'static>(&self) -> Result<&R, ActionError> {
        self.resource
            .as_ref()
            .and_then(|r| r.downcast_ref::<R>())
            .ok_or_else(|| {
                ActionError::internal(format!(
                    "no loaded resource of type {} (declare `load = …` on the action)",
                    std::any::type_name::<R>()
                ))
            })
    }

    pub(crate) fn set_resource(&mut self, resource: Resource) {
        self.resource = Some(resource);
    }

    /// The request's database connection, checked out on first use and kept for the request.
    /// Under `tx` it is the transaction's connection.
    pub async fn db(&mut self) -> Result<&mut DbConn, ActionError> {
        if self.lost {
            return Err(ActionError::internal(
                "the request's database connection was closed mid-way",
            ));
        }
        if self.conn.is_none() {
            let database = self.database()?;
            self.conn = Some(database.get().await?);
        }
        self.conn
            .as_mut()
            .ok_or_else(|| ActionError::internal("no database connection"))
    }

    /// The server's database, or `500` if none was configured.
    pub fn database(&self) -> Result<&Database, ActionError> {
        self.services
            .database
            .as_ref()
            .ok_or_else(|| ActionError::internal("this server was built without a database"))
    }

    /// What the server provides to every request.
    pub(crate) fn services(&self) -> &Services {
        &self.services
    }

    pub(crate) fn set_user(&mut self, user: Option<User>) {
        self.user = user;
    }

    pub(crate) fn set_action(&mut self, action: Arc<str>) {
        self.action = action;
    }

    /// The connection, if one was checked out.
    pub(crate) fn conn_if_open(&mut self) -> Option<&mut DbConn> {
        self.conn.as_mut()
    }

    /// Gives up on a request stopped mid-way (a timeout): its connection is closed, never
    /// pooled, whatever state it was left in.
    pub(crate) fn abandon(&mut self) {
        if let Some(conn) = &mut self.conn {
            conn.discard();
        }
        self.conn = None;
        self.lost = true;
    }

    /// Marks the request as completed, so its connection may go back to the pool.
    pub(crate) fn finish(&mut self) {
        if let Some(conn) = &mut self.conn {
            conn.finish();
        }
        self.conn = None;
        self.lost = false;
    }
}
