//! The routes of Better Auth's email and password API, with its paths and JSON shapes, so a
//! front end written for the `better-auth` client works against this server.

use super::AuthService;
use super::limits::Endpoint;
use super::password::{self, Passwords, Verified};
use super::schema::{auth_sessions, auth_users};
use super::session::{self, Client, SessionRow, UserRow};
use super::users;
use super::wire::{AuthError, SessionJson, UserJson};
use crate::base::Role;
use crate::base::client_ip;
use crate::base::wire::CONTROL_FREE_PATTERN;
use crate::db;
use crate::db::{DbConn, Isolation, transaction};
use crate::pipeline::audit::{AuditOutcome, NewEvent};
use crate::pipeline::input::rules::{EMAIL_PATTERN, around_whitespace, trimmed_length_pattern};
use crate::pipeline::input::{MediaType, read_body};
use crate::web::{self, FlashError};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE, USER_AGENT};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::sync::Arc;

type Service = State<Arc<AuthService>>;

pub(crate) fn router(service: Arc<AuthService>) -> Router {
    Router::new()
        .route("/api/auth/sign-up/email", post(sign_up))
        .route("/api/auth/sign-in/email", post(sign_in))
        .route("/api/auth/sign-out", post(sign_out))
        .route("/api/auth/get-session", get(get_session))
        .route("/api/auth/change-password", post(change_password))
        .route("/api/auth/list-sessions", get(list_sessions))
        .route("/api/auth/revoke-session", post(revoke_session))
        .route(
            "/api/auth/revoke-other-sessions",
            post(revoke_other_sessions),
        )
        .route("/api/auth/revoke-sessions", post(revoke_sessions))
        .merge(super::recovery::routes())
        .with_state(service)
}

/// A successful answer: JSON, with cookies to set; or a redirect (an emailed link's).
pub(super) struct Reply {
    body: Value,
    cookie: Option<String>,
    location: Option<String>,
    no_store: bool,
}

impl Reply {
    pub(super) fn json(body: Value) -> Reply {
        Reply {
            body,
            cookie: None,
            location: None,
            no_store: false,
        }
    }

    /// `302 Found` to `url`.
    pub(super) fn redirect(url: String) -> Reply {
        Reply {
            location: Some(url),
            ..Reply::json(Value::Null)
        }
    }

    pub(super) fn with_cookie(mut self, cookie: String) -> Reply {
        self.cookie = Some(cookie);
        self
    }

    /// `Cache-Control: no-store`: an answer about who is signed in is never cached.
    fn no_store(mut self) -> Reply {
        self.no_store = true;
        self
    }
}

/// Runs a handler body, answering its error in the Better Auth shape.
pub(super) async fn respond<F>(request: Request, handler: impl FnOnce(Parts, Body) -> F) -> Response
where
    F: Future<Output = Result<Reply, AuthError>>,
{
    let request_id = crate::base::request_id(request.extensions());
    let (parts, body) = request.into_parts();
    match handler(parts, body).await {
        Ok(reply) => {
            let mut response = match reply.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
                Some(location) => {
                    let mut response = StatusCode::FOUND.into_response();
                    response.headers_mut().insert(LOCATION, location);
                    response
                }
                None => {
                    let mut response = (StatusCode::OK, reply.body.to_string()).into_response();
                    response
                        .headers_mut()
                        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    response
                }
            };
            if reply.no_store {
                response
                    .headers_mut()
                    .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            }
            if let Some(cookie) = reply.cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
                response.headers_mut().append(SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => error.into_response(&request_id),
    }
}

/// A browser's form post to an auth route (`name`: `auth.sign-in`): its `callbackURL` is
/// checked first (a page of this app or a trusted origin, else `303` back with
/// `INVALID_CALLBACK_URL`, before anything is done), then the route answers it as it answers
/// JSON, and that answer becomes `303 See Other` — to the callback (or `/`) with the route's
/// cookies on success, back to the form's page with a flash (the error, the values minus
/// passwords) on failure. Any other request is answered as JSON.
async fn respond_to_form<F>(
    service: &AuthService,
    name: &'static str,
    request: Request,
    handler: impl FnOnce(Parts, Body) -> F,
) -> Response
where
    F: Future<Output = Result<Reply, AuthError>>,
{
    if !web::is_browser_form(request.headers()) {
        return respond(request, handler).await;
    }
    let site = &service.forms;
    let (parts, body) = request.into_parts();
    // Read as an action's body is: over the limit `CONTENT_TOO_LARGE`, stalled
    // `REQUEST_TIMEOUT`, broken off `BAD_REQUEST`; each goes back with its flash.
    let bytes = match read_body(&parts, body, site.body_limit).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let error = FlashError {
                code: error.code().as_str().into(),
                message: error.message().into(),
            };
            return site.refuse(name, &parts.headers, error, Default::default());
        }
    };
    let fields = web::form_fields(&parts.headers, bytes.clone()).await;
    let callback = fields
        .get("callbackURL")
        .and_then(|values| values.iter().next());
    let target = match callback.filter(|c| !c.is_empty()) {
        None => "/".to_owned(),
        Some(callback) => match site.safe(callback, &parts.headers, true) {
            Some(target) => target,
            None => {
                let error = FlashError {
                    code: "INVALID_CALLBACK_URL".into(),
                    message: "Invalid callbackURL".into(),
                };
                return site.refuse(name, &parts.headers, error, fields);
            }
        },
    };
    let success = |_: &Value| Some(target);
    let serve = |request| respond(request, handler);
    let body = web::FormBody::Read(bytes);
    web::answer(site, name, (parts, body), success, field_of_code, serve).await
}

/// The form field an auth error is about, so a page can show it beside that field.
fn field_of_code(code: &str) -> Option<&'static str> {
    match code {
        "INVALID_EMAIL" | "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" => Some("email"),
        "PASSWORD_TOO_SHORT" | "PASSWORD_TOO_LONG" => Some("password"),
        _ => None,
    }
}

/// The body of sign-up and sign-in: JSON, or a form's fields (`rememberMe` a checkbox: `on`,
/// `true` or `1` when ticked).
async fn read_input<T: DeserializeOwned>(parts: &Parts, body: Body) -> Result<T, AuthError> {
    let is_form = MediaType::of(parts).is_some_and(|media_type| {
        let essence = media_type.essence();
        essence == mime::APPLICATION_WWW_FORM_URLENCODED.as_ref()
            || essence == "multipart/form-data"
    });
    if !is_form {
        return read_json(parts, body).await;
    }
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map_err(|_| too_large())?;
    let fields = web::form_fields(&parts.headers, bytes).await;
    let mut object = serde_json::Map::new();
    // The first value of a repeated field, as JSON has one.
    let firsts = fields
        .into_iter()
        .filter_map(|(name, values)| Some((name, values.into_iter().next()?)));
    for (name, value) in firsts {
        let value = if name == "rememberMe" {
            match value.as_str() {
                "on" | "true" | "1" => Value::Bool(true),
                "off" | "false" | "0" | "" => Value::Bool(false),
                _ => {
                    return Err(AuthError::validation(
                        "rememberMe: expected a checkbox's value",
                    ));
                }
            }
        } else {
            Value::String(value)
        };
        object.insert(name, value);
    }
    serde_path_to_error::deserialize(Value::Object(object))
        .map_err(|error| AuthError::validation(format!("{}: {}", error.path(), error.inner())))
}

fn too_large() -> AuthError {
    AuthError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "CONTENT_TOO_LARGE",
        "The request body is too large",
    )
}

/// A JSON body of at most 64 KiB.
pub(super) async fn read_json<T: DeserializeOwned>(
    parts: &Parts,
    body: Body,
) -> Result<T, AuthError> {
    // Read as actions read it (the input stage's parser), but only `application/json` itself.
    let is_json = MediaType::of(parts)
        .is_some_and(|media_type| media_type.essence() == mime::APPLICATION_JSON.as_ref());
    if !is_json {
        return Err(AuthError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Send a JSON body (Content-Type: application/json)",
        ));
    }
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map_err(|_| too_large())?;
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        AuthError::validation(if path == "." {
            message
        } else {
            format!("{path}: {message}")
        })
    })
}

pub(super) fn client(parts: &Parts, service: &AuthService) -> Client {
    Client {
        ip: Some(client_ip(parts, &service.trusted_proxies).to_string()),
        user_agent: parts
            .headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(512).collect()),
    }
}

/// Lower case, trimmed, and plausibly an address.
pub(super) fn check_password(password: &str) -> Result<(), AuthError> {
    match Passwords::length_error(password) {
        Some((code, message)) => Err(AuthError::new(StatusCode::BAD_REQUEST, code, message)),
        None => Ok(()),
    }
}

pub(super) async fn user_by_email(
    conn: &mut DbConn,
    email: &str,
) -> Result<Option<UserRow>, AuthError> {
    Ok(db!(conn, |c| auth_users::table
        .filter(auth_users::email.eq(email))
        .select(UserRow::as_select())
        .first(c)
        .await
        .optional())?)
}

/// The request's session, or `401`.
pub(super) async fn current(
    service: &AuthService,
    parts: &Parts,
    conn: &mut DbConn,
) -> Result<(SessionRow, UserRow, String), AuthError> {
    let token =
        session::token_of(&parts.headers, &service.config).ok_or_else(AuthError::unauthorized)?;
    let (session, user) = session::find(conn, &service.config, &token)
        .await?
        .ok_or_else(AuthError::unauthorized)?;
    Ok((session, user, token))
}

/// An authentication event of one request, for the audit log. Only the email is recorded of
/// what the client sent, never a password.
pub(super) struct AuthEvent<'a> {
    pub(super) service: &'a AuthService,
    pub(super) request_id: String,
    pub(super) event: &'static str,
    pub(super) email: &'a str,
}

impl<'a> AuthEvent<'a> {
    pub(super) fn new(
        service: &'a AuthService,
        parts: &Parts,
        event: &'static str,
        email: &'a str,
    ) -> Self {
        AuthEvent {
            service,
            request_id: crate::base::request_id(&parts.extensions),
            event,
            email,
        }
    }

    /// Records that `actor` did it, on `conn` (in its transaction, if open).
    pub(super) async fn succeeded(&self, conn: &mut DbConn, actor: i64) -> Result<(), AuthError> {
        self.write(conn, Some(actor), None).await
    }

    /// Records that it failed with `error` (for `actor`, if known), on `conn`.
    pub(super) async fn failed(
        &self,
        conn: &mut DbConn,
        actor: Option<i64>,
        error: &AuthError,
    ) -> Result<(), AuthError> {
        self.write(conn, actor, Some(error.code())).await
    }

    async fn write(
        &self,
        conn: &mut DbConn,
        actor_id: Option<i64>,
        failure: Option<&str>,
    ) -> Result<(), AuthError> {
        let input = json!({ "email": self.email }).to_string();
        let event = NewEvent {
            request_id: &self.request_id,
            actor_id,
            action: self.event,
            outcome: match failure {
                Some(_) => AuditOutcome::Failure,
                None => AuditOutcome::Success,
            },
            code: failure,
            input: Some(&input),
        };
        event.write(conn, self.service.config.clock.now()).await?;
        Ok(())
    }
}

/// Opens a session for `user` and records the event: what sign-up and sign-in end with.
/// Returns the session's token (only the client ever sees it).
async fn open_session(
    conn: &mut DbConn,
    parts: &Parts,
    event: &AuthEvent<'_>,
    user: &UserRow,
    remember_me: bool,
) -> Result<String, AuthError> {
    let service = event.service;
    let client = client(parts, service);
    let (token, _) = session::create(conn, &service.config, user.id, remember_me, &client).await?;
    event.succeeded(conn, user.id).await?;
    tracing::info!(user_id = user.id, event = event.event, "session opened");
    Ok(token)
}

/// The answer of a signed-in client: `{…, token, user}` (sign-in adds `redirect: false` in
/// front, as Better Auth does) and the session cookie.
fn signed_in(
    service: &AuthService,
    mut body: serde_json::Map<String, Value>,
    token: &str,
    user: &UserRow,
    remember_me: bool,
) -> Reply {
    body.insert("token".into(), json!(token));
    body.insert("user".into(), json!(UserJson::from(user)));
    Reply::json(Value::Object(body)).with_cookie(session::set_cookie(
        &service.config,
        token,
        remember_me,
    ))
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct SignUp {
    #[schemars(transform = name_schema)]
    name: String,
    #[schemars(pattern(around_whitespace(EMAIL_PATTERN)))]
    email: String,
    #[schemars(length(min = password::MIN_LEN, max = password::MAX_LEN))]
    password: String,
    image: Option<String>,
    remember_me: Option<bool>,
    /// Where the verification link leads (with `sendOnSignUp`).
    #[serde(rename = "callbackURL")]
    callback_url: Option<String>,
}

/// A name as `users::valid_name` takes it: 1 to 100 characters once trimmed, no control
/// characters.
pub(super) fn name_schema(schema: &mut schemars::Schema) {
    trimmed_length_pattern(schema, Some(1), Some(100));
    if let Some(all_of) = schema
        .ensure_object()
        .entry("allOf")
        .or_insert_with(|| Value::Array(Vec::new()))
        .as_array_mut()
    {
        all_of.push(json!({ "pattern": CONTROL_FREE_PATTERN }));
    }
}

/// `POST /api/auth/sign-up/email {name, email, password}` → `{token, user}`, signed in.
async fn sign_up(State(service): Service, request: Request) -> Response {
    let form = service.clone();
    respond_to_form(&form, "auth.sign-up", request, |parts, body| async move {
        service.limit_ip(&parts, Endpoint::SignUp).await?;
        let input: SignUp = read_input(&parts, body).await?;
        let name = users::valid_name(&input.name)
            .ok_or_else(|| AuthError::validation("name must be 1 to 100 characters"))?;
        let email = super::recovery::email_of(&input.email)?;
        check_password(&input.password)?;
        let callback = super::recovery::callback_or_root(&service, input.callback_url.as_deref())?;
        let hash = service.passwords.hash(input.password).await?;
        let remember_me = input.remember_me.unwrap_or(true);
        // Better Auth: with required verification, sign-up opens no session.
        let open = !service.config.require_email_verification;
        let now = service.config.clock.now();
        let account = users::NewAccount {
            name,
            email: &email,
            image: input.image.as_deref(),
            password_hash: &hash,
            role: Role::USER,
        };
        let event = AuthEvent::new(&service, &parts, "auth.sign_up", &email);
        let (token, user) = service
            .run(async |conn| {
                transaction(conn, Isolation::ReadCommitted, async |conn| {
                    let Some(user) = users::insert(conn, &account, now).await? else {
                        return Err(AuthError::new(
                            StatusCode::UNPROCESSABLE_ENTITY,
                            "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
                            "User already exists. Use another email.",
                        ));
                    };
                    let token = if open {
                        Some(open_session(conn, &parts, &event, &user, remember_me).await?)
                    } else {
                        event.succeeded(conn, user.id).await?;
                        None
                    };
                    Ok((token, user))
                })
                .await
            })
            .await?;
        if service.config.send_verification_on_sign_up
            || service.config.require_email_verification
            // The account exists by now: a mail over the address's limit is skipped, not an
            // error.
            && service.limit_mail_to(&email).await.is_ok()
        {
            service
                .run(async |conn| service.send_verification(conn, &user, &callback).await)
                .await?;
        }
        Ok(match token {
            Some(token) => signed_in(&service, serde_json::Map::new(), &token, &user, remember_me),
            None => Reply::json(json!({"token": Value::Null, "user": UserJson::from(&user)})),
        })
    })
    .await
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct SignIn {
    email: String,
    password: String,
    remember_me: Option<bool>,
    /// Where a fresh verification link leads (with `requireEmailVerification`).
    #[serde(rename = "callbackURL")]
    callback_url: Option<String>,
}

/// `POST /api/auth/sign-in/email {email, password, rememberMe?}` → `{redirect, token, user}`.
/// An unknown email and a wrong password get the same status and body, after the same work.
/// No connection is held while the password is checked.
async fn sign_in(State(service): Service, request: Request) -> Response {
    let form = service.clone();
    respond_to_form(&form, "auth.sign-in", request, |parts, body| async move {
        service.limit_ip(&parts, Endpoint::SignIn).await?;
        let input: SignIn = read_input(&parts, body).await?;
        let email = input.email.trim().to_lowercase();
        service.limit_account(&email).await?;
        let event = AuthEvent::new(&service, &parts, "auth.sign_in", &email);
        let user = service
            .run(async |conn| user_by_email(conn, &email).await)
            .await?;
        let verified = match &user {
            Some(user) => {
                service
                    .passwords
                    .verify(input.password.clone(), user.password_hash.clone())
                    .await?
            }
            None => {
                service
                    .passwords
                    .verify_dummy(input.password.clone())
                    .await?;
                Verified {
                    ok: false,
                    needs_rehash: false,
                }
            }
        };
        let Some(mut user) = user.filter(|_| verified.ok) else {
            service.limits.record_failure(&email).await?;
            tracing::info!(email_hash = %hex_prefix(&email), "sign-in failed");
            let error = AuthError::invalid_credentials();
            service
                .run(async |conn| event.failed(conn, None, &error).await)
                .await?;
            return Err(error);
        };
        // An account whose role the app does not name cannot sign in (500, logged).
        user.role(&service.config)?;
        // A banned account cannot, until its ban expires (403 `BANNED_USER`).
        if let Err(error) = service
            .run(async |conn| super::admin::refuse_banned(conn, &service.config, user.id).await)
            .await
        {
            service
                .run(async |conn| event.failed(conn, Some(user.id), &error).await)
                .await?;
            return Err(error);
        }
        if service.config.require_email_verification && !user.email_verified {
            let error = AuthError::new(
                StatusCode::FORBIDDEN,
                "EMAIL_NOT_VERIFIED",
                "Email not verified",
            );
            let callback =
                super::recovery::callback_or_root(&service, input.callback_url.as_deref())?;
            // A fresh link, unless this address had its share of mail lately.
            let mail = service.limit_mail_to(&email).await.is_ok();
            service
                .run(async |conn| {
                    if mail {
                        service.send_verification(conn, &user, &callback).await?;
                    }
                    event.failed(conn, Some(user.id), &error).await
                })
                .await?;
            return Err(error);
        }
        if verified.needs_rehash {
            user.password_hash = service.passwords.hash(input.password).await?;
        }
        let remember_me = input.remember_me.unwrap_or(true);
        let token = service
            .run(async |conn| {
                if verified.needs_rehash {
                    let (id, now) = (user.id, service.config.clock.now());
                    db!(&mut *conn, |c| diesel::update(auth_users::table.find(id))
                        .set((
                            auth_users::password_hash.eq(&user.password_hash),
                            auth_users::updated_at.eq(now)
                        ))
                        .execute(c)
                        .await)?;
                    tracing::info!(
                        user_id = user.id,
                        "password rehashed with the current parameters"
                    );
                }
                open_session(conn, &parts, &event, &user, remember_me).await
            })
            .await?;
        let mut body = serde_json::Map::new();
        body.insert("redirect".into(), json!(false));
        Ok(signed_in(&service, body, &token, &user, remember_me))
    })
    .await
}

/// A short, non-reversible tag of an email for logs (so failed sign-ins can be correlated
/// without writing addresses into them).
pub(super) fn hex_prefix(email: &str) -> String {
    session::token_hash(email)
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `POST /api/auth/sign-out` → `{success: true}`; the session is revoked and the cookie cleared.
async fn sign_out(State(service): Service, request: Request) -> Response {
    let form = service.clone();
    respond_to_form(&form, "auth.sign-out", request, |parts, _| async move {
        // As Better Auth: a request without a session token has nothing to sign out of.
        let Some(token) = session::token_of(&parts.headers, &service.config) else {
            return Err(AuthError::new(
                StatusCode::BAD_REQUEST,
                "FAILED_TO_GET_SESSION",
                "Failed to get session",
            ));
        };
        let hash = session::token_hash(&token);
        service
            .run(async |conn| {
                let ended: Option<i64> = db!(&mut *conn, |c| diesel::delete(
                    auth_sessions::table.filter(auth_sessions::token_hash.eq(&hash))
                )
                .returning(auth_sessions::user_id)
                .get_result(c)
                .await
                .optional())?;
                let Some(user_id) = ended else {
                    return Ok(());
                };
                let email: String = db!(&mut *conn, |c| auth_users::table
                    .find(user_id)
                    .select(auth_users::email)
                    .first(c)
                    .await)?;
                AuthEvent::new(&service, &parts, "auth.sign_out", &email)
                    .succeeded(conn, user_id)
                    .await
            })
            .await?;
        Ok(Reply::json(json!({"success": true}))
            .with_cookie(session::clear_cookie(&service.config)))
    })
    .await
}

/// `GET /api/auth/get-session` → `{session, user}`, or `null` (with `200`) when signed out.
async fn get_session(State(service): Service, request: Request) -> Response {
    respond(request, |parts, _| async move {
        let Some(token) = session::token_of(&parts.headers, &service.config) else {
            return Ok(Reply::json(Value::Null).no_store());
        };
        let found = service
            .run(async |conn| Ok(session::find(conn, &service.config, &token).await?))
            .await?;
        Ok(Reply::json(match found {
            Some((session, user)) => json!({"session": SessionJson::new(&session, Some(&token)), "user": UserJson::from(&user)}),
            None => Value::Null,
        })
        .no_store())
    })
    .await
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ChangePassword {
    current_password: String,
    new_password: String,
    /// Revoke every other session of the account (Better Auth's default: `false`).
    revoke_other_sessions: Option<bool>,
}

/// `POST /api/auth/change-password {currentPassword, newPassword, revokeOtherSessions?}` →
/// `{token: null, user}`. With `revokeOtherSessions: true`, the new hash and the revocation of
/// every other session commit together; without, the other sessions stay, as Better Auth
/// does. No connection is
/// held while passwords are hashed.
async fn change_password(State(service): Service, request: Request) -> Response {
    respond(request, |parts, body| async move {
        service.limit_ip(&parts, Endpoint::ChangePassword).await?;
        let (session, user, _) = service
            .run(async |conn| current(&service, &parts, conn).await)
            .await?;
        let input: ChangePassword = read_json(&parts, body).await?;
        service.limit_account(&user.email).await?;
        let event = AuthEvent::new(&service, &parts, "auth.change_password", &user.email);
        let verified = service
            .passwords
            .verify(input.current_password, user.password_hash.clone())
            .await?;
        if !verified.ok {
            service.limits.record_failure(&user.email).await?;
            let error = AuthError::new(
                StatusCode::BAD_REQUEST,
                "INVALID_PASSWORD",
                "Invalid password",
            );
            service
                .run(async |conn| event.failed(conn, Some(user.id), &error).await)
                .await?;
            return Err(error);
        }
        check_password(&input.new_password)?;
        let hash = service.passwords.hash(input.new_password).await?;
        let (user_id, session_id, now) = (user.id, session.id, service.config.clock.now());
        let revoke_others = input.revoke_other_sessions.unwrap_or(false);
        let user = service
            .run(async |conn| {
                transaction(conn, Isolation::ReadCommitted, async |conn| {
                    let user = db!(&mut *conn, |c| diesel::update(
                        auth_users::table.find(user_id)
                    )
                    .set((
                        auth_users::password_hash.eq(&hash),
                        auth_users::updated_at.eq(now)
                    ))
                    .returning(UserRow::as_returning())
                    .get_result(c)
                    .await)?;
                    if revoke_others {
                        db!(&mut *conn, |c| diesel::delete(
                            auth_sessions::table
                                .filter(auth_sessions::user_id.eq(user_id))
                                .filter(auth_sessions::id.ne(session_id))
                        )
                        .execute(c)
                        .await)?;
                    }
                    event.succeeded(conn, user_id).await?;
                    Ok(user)
                })
                .await
            })
            .await?;
        tracing::info!(user_id, revoke_others, "password changed");
        Ok(Reply::json(
            json!({"token": Value::Null, "user": UserJson::from(&user)}),
        ))
    })
    .await
}

/// `GET /api/auth/list-sessions` → the user's live sessions; `403 SESSION_NOT_FRESH` from a
/// session older than `freshAge`.
async fn list_sessions(State(service): Service, request: Request) -> Response {
    respond(request, |parts, _| async move {
        let (current_session, token, sessions) = service
            .run(async |conn| {
                let (current_session, user, token) = current(&service, &parts, conn).await?;
                // As Better Auth 1.7: the list is for a fresh session only.
                if !session::is_fresh(&current_session, &service.config) {
                    return Err(AuthError::new(
                        StatusCode::FORBIDDEN,
                        "SESSION_NOT_FRESH",
                        "Session is not fresh",
                    ));
                }
                let (user_id, now) = (user.id, service.config.clock.now());
                let sessions: Vec<SessionRow> = db!(conn, |c| auth_sessions::table
                    .filter(auth_sessions::user_id.eq(user_id))
                    .filter(auth_sessions::expires_at.gt(now))
                    .filter(auth_sessions::absolute_expires_at.gt(now))
                    .order(auth_sessions::created_at.asc())
                    .select(SessionRow::as_select())
                    .load(c)
                    .await)?;
                Ok((current_session, token, sessions))
            })
            .await?;
        let list: Vec<SessionJson> = sessions
            .iter()
            .map(|s| SessionJson::new(s, (s.id == current_session.id).then_some(token.as_str())))
            .collect();
        Ok(Reply::json(json!(list)))
    })
    .await
}

#[derive(Deserialize, JsonSchema)]
pub(super) struct RevokeSession {
    token: String,
}

/// `POST /api/auth/revoke-session {token}` → `{status: true}`. `token` is a session's token or
/// the id `list-sessions` gives; only the user's own sessions can be revoked.
async fn revoke_session(State(service): Service, request: Request) -> Response {
    respond(request, |parts, body| async move {
        let (current_session, user, _) = service
            .run(async |conn| current(&service, &parts, conn).await)
            .await?;
        let input: RevokeSession = read_json(&parts, body).await?;
        let user_id = user.id;
        let target = service
            .run(async |conn| {
                let target: Option<i64> = match input.token.parse::<i64>() {
                    Ok(id) => Some(id),
                    Err(_) => {
                        let hash = session::token_hash(&input.token);
                        db!(&mut *conn, |c| auth_sessions::table
                            .filter(auth_sessions::token_hash.eq(&hash))
                            .select(auth_sessions::id)
                            .first(c)
                            .await
                            .optional())?
                    }
                };
                if let Some(id) = target {
                    db!(conn, |c| diesel::delete(
                        auth_sessions::table
                            .filter(auth_sessions::id.eq(id))
                            .filter(auth_sessions::user_id.eq(user_id))
                    )
                    .execute(c)
                    .await)?;
                }
                Ok(target)
            })
            .await?;
        let reply = Reply::json(json!({"status": true}));
        Ok(if target == Some(current_session.id) {
            reply.with_cookie(session::clear_cookie(&service.config))
        } else {
            reply
        })
    })
    .await
}

/// `POST /api/auth/revoke-other-sessions` → `{status: true}`.
async fn revoke_other_sessions(State(service): Service, request: Request) -> Response {
    respond(request, |parts, _| async move {
        service
            .run(async |conn| {
                let (current_session, user, _) = current(&service, &parts, conn).await?;
                let (user_id, session_id) = (user.id, current_session.id);
                db!(conn, |c| diesel::delete(
                    auth_sessions::table
                        .filter(auth_sessions::user_id.eq(user_id))
                        .filter(auth_sessions::id.ne(session_id))
                )
                .execute(c)
                .await)?;
                Ok(())
            })
            .await?;
        Ok(Reply::json(json!({"status": true})))
    })
    .await
}

/// `POST /api/auth/revoke-sessions` → `{status: true}`: every session, this one included.
async fn revoke_sessions(State(service): Service, request: Request) -> Response {
    respond(request, |parts, _| async move {
        service
            .run(async |conn| {
                let (_, user, _) = current(&service, &parts, conn).await?;
                let user_id = user.id;
                db!(conn, |c| diesel::delete(
                    auth_sessions::table.filter(auth_sessions::user_id.eq(user_id))
                )
                .execute(c)
                .await)?;
                Ok(())
            })
            .await?;
        Ok(
            Reply::json(json!({"status": true}))
                .with_cookie(session::clear_cookie(&service.config)),
        )
    })
    .await
}
