//! The app's own axum routes and the actions: [`SignedIn`] gives a route the visitor's user, and
//! [`Caller`] calls actions in process on the visitor's behalf — Astro's `callAction` — through
//! the same pipeline as HTTP (auth, ACL, validation, transaction, audit).
//!
//! Both read the [`Server`] from the router's state (`Server: FromRef<S>`):
//!
//! ```ignore
//! async fn new_post(mut caller: Caller, Form(form): Form<CreatePost>) -> Response {
//!     match caller.call::<post::create>(form).await {
//!         Ok(post) => caller.respond(Redirect::to(&format!("/posts/{}", post.id))),
//!         Err(error) => caller.respond(error_page(error)),
//!     }
//! }
//! let app = Router::new()
//!     .route("/posts/new", post(new_post))
//!     .with_state(server.clone())
//!     .merge(server.router());
//! ```

use super::Server;
use crate::base::{Action, ActionContext, User};
use crate::error::{ActionError, into_response};
use crate::pipeline;
use crate::web::{FLASH_COOKIE, Flash};
use axum::extract::{FromRef, FromRequestParts};
use axum::response::{IntoResponse, Response};
use cookie::Cookie;
use http::request::Parts;

/// The visitor of an app's own route, ready to call actions on their behalf.
#[derive(Debug)]
pub struct Caller {
    server: Server,
    ctx: ActionContext,
}

impl Caller {
    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&User> {
        self.ctx.current_user()
    }

    /// The context actions are called with (the request's head, its cookies).
    pub fn context(&mut self) -> &mut ActionContext {
        &mut self.ctx
    }

    /// Calls action `A` with `input` as the visitor, through the pipeline: posture, ACL,
    /// validation, transaction, audit — as over HTTP, minus decoding.
    pub async fn call<A: Action>(&mut self, input: A::Input) -> Result<A::Output, ActionError> {
        self.server.call::<A>(&mut self.ctx, input).await
    }

    /// The flash a form post left for this page ([`Flash`]): its outcome, field errors and
    /// values. Read once: its removal is sent with [`Caller::respond`]'s answer. A tampered,
    /// forged or expired flash reads as `None`.
    pub fn flash(&mut self) -> Option<Flash> {
        self.ctx.cookies().get(FLASH_COOKIE)?;
        let now = self.ctx.services().clock.now().timestamp_micros() / 1_000_000;
        let key = self.ctx.services().cookie_key.clone();
        let flash = self
            .ctx
            .request()
            .and_then(|request| Flash::read(request.headers(), &key, now));
        self.ctx
            .cookies()
            .remove(Cookie::build(FLASH_COOKIE).path("/"));
        flash
    }

    /// The route's answer, with what the actions called set on it: headers, cookies, or a
    /// redirect.
    pub fn respond(mut self, response: impl IntoResponse) -> Response {
        let mut response = response.into_response();
        if let Some(head) = self.ctx.take_response() {
            head.apply(&mut response);
        }
        response
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller
where
    Server: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Caller, Response> {
        let server = Server::from_ref(state);
        let services = server.state.services.clone();
        match pipeline::visitor_context(services, parts.clone()).await {
            Ok(ctx) => Ok(Caller { server, ctx }),
            Err(error) => {
                let request_id = crate::base::request_id(&parts.extensions);
                Err(into_response(error, &request_id, None))
            }
        }
    }
}

/// The signed-in user of an app's own route; a visitor who is not signed in gets `401` (the
/// actions' JSON error). Use `Option<SignedIn>` for a page that serves both.
#[derive(Debug, Clone)]
pub struct SignedIn(pub User);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn
where
    Server: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<SignedIn, Response> {
        let caller = Caller::from_request_parts(parts, state).await?;
        match caller.ctx.current_user() {
            Some(user) => Ok(SignedIn(user.clone())),
            None => Err(into_response(
                ActionError::unauthorized("sign in to do this"),
                caller.ctx.request_id(),
                None,
            )),
        }
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for SignedIn
where
    Server: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<SignedIn>, Response> {
        let caller = Caller::from_request_parts(parts, state).await?;
        Ok(caller.ctx.current_user().cloned().map(SignedIn))
    }
}
