//! Better Auth's recovery and account-management routes: password reset, re-authentication,
//! email verification, profile and address changes, account deletion. Every link they mail
//! carries a single-use token (`tokens`), and every mail leaves through the outbox, off the
//! request path.

use super::AuthService;
use super::config::normalize_origin;
use super::limits::Endpoint;
use super::mail::{Mail, MailContext, MailKind};
use super::routes::{AuthEvent, Reply, check_password, current, read_json, respond, user_by_email};
use super::schema::{auth_sessions, auth_users};
use super::session::{self, UserRow};
use super::tokens::{self, Purpose};
use super::users;
use super::wire::AuthError;
use crate::db;
use crate::db::{DbConn, Isolation, transaction};
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use http::StatusCode;
use http::request::Parts;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

type Service = State<Arc<AuthService>>;

/// What a query value escapes: everything but RFC 3986's unreserved characters.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub(super) fn routes() -> Router<Arc<AuthService>> {
    Router::new()
        .route(
            "/api/auth/request-password-reset",
            post(request_password_reset),
        )
        .route("/api/auth/reset-password/{token}", get(reset_password_link))
        .route("/api/auth/reset-password", post(reset_password))
        .route("/api/auth/verify-password", post(verify_password))
        .route(
            "/api/auth/send-verification-email",
            post(send_verification_email),
        )
        .route("/api/auth/verify-email", get(verify_email))
        .route("/api/auth/update-user", post(update_user))
        .route("/api/auth/change-email", post(change_email))
        .route("/api/auth/delete-user", post(delete_user))
        .route("/api/auth/delete-user/callback", get(delete_user_link))
}

/// What `request-password-reset` answers, whether or not the address has an account.
const RESET_MESSAGE: &str =
    "If this email exists in our system, check your email for the reset link";

fn invalid_token() -> AuthError {
    AuthError::new(StatusCode::BAD_REQUEST, "INVALID_TOKEN", "Invalid token")
}

fn invalid_password() -> AuthError {
    AuthError::new(
        StatusCode::BAD_REQUEST,
        "INVALID_PASSWORD",
        "Invalid password",
    )
}

/// The query string of a request, decoded.
fn query(parts: &Parts) -> Vec<(String, String)> {
    let Some(query) = parts.uri.query() else {
        return Vec::new();
    };
    query
        .split('&')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(&text.replace('+', " "))
                    .decode_utf8()
                    .ok()
                    .map(|t| t.into_owned())
            };
            Some((decode(key)?, decode(value)?))
        })
        .collect()
}

fn query_value(parts: &Parts, name: &str) -> Option<String> {
    query(parts)
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// A callback URL as the app may be sent to: a path on the app (`/reset`), or an absolute URL
/// on its origin or a trusted one. Anything else is refused (`403 INVALID_CALLBACK_URL`), so a
/// mailed link can never redirect to another site.
pub(super) fn callback_url(service: &AuthService, url: &str) -> Result<String, AuthError> {
    let refused = || {
        AuthError::new(
            StatusCode::FORBIDDEN,
            "INVALID_CALLBACK_URL",
            "Invalid callbackURL",
        )
    };
    if url.chars().any(|c| c.is_control() || c == '\\') {
        return Err(refused());
    }
    if url.starts_with('/') && !url.starts_with("//") {
        return Ok(format!("{}{url}", service.config.origin));
    }
    let origin = normalize_origin(url).ok_or_else(refused)?;
    if service.config.allows_origin(&origin) {
        Ok(url.to_owned())
    } else {
        Err(refused())
    }
}

/// The callback a mailed link leads to: the client's (checked by [`callback_url`]), else `/`.
pub(super) fn callback_or_root(
    service: &AuthService,
    callback: Option<&str>,
) -> Result<String, AuthError> {
    match callback.filter(|c| !c.is_empty()) {
        Some(callback) => {
            callback_url(service, callback)?;
            Ok(callback.to_owned())
        }
        None => Ok("/".to_owned()),
    }
}

/// An address as accounts store it, or `400 INVALID_EMAIL`.
pub(super) fn email_of(text: &str) -> Result<String, AuthError> {
    users::normalize_email(text)
        .ok_or_else(|| AuthError::new(StatusCode::BAD_REQUEST, "INVALID_EMAIL", "Invalid email"))
}

/// `url` with `key=value` added to its query.
fn with_query(url: &str, key: &str, value: &str) -> String {
    let (base, fragment) = url
        .split_once('#')
        .map_or((url, None), |(b, f)| (b, Some(f)));
    let separator = if base.contains('?') { '&' } else { '?' };
    let value = utf8_percent_encode(value, QUERY_VALUE);
    match fragment {
        Some(fragment) => format!("{base}{separator}{key}={value}#{fragment}"),
        None => format!("{base}{separator}{key}={value}"),
    }
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

impl AuthService {
    /// Renders and posts a mail with a link to `path` on the app's `BASE_URL`.
    fn mail_link(&self, kind: MailKind, user: &UserRow, to: &str, path: &str) {
        self.outbox.post(self.link_mail(kind, user, to, path));
    }

    /// Renders a mail with a link to `path` on the app's `BASE_URL`, for the caller to post
    /// once the token it carries has committed.
    fn link_mail(&self, kind: MailKind, user: &UserRow, to: &str, path: &str) -> Mail {
        let url = format!("{}{path}", self.config.origin);
        self.config.templates.render(&MailContext {
            kind,
            name: &user.name,
            to,
            url: &url,
            new_email: (kind == MailKind::ChangeEmail).then_some(to),
        })
    }

    /// Issues a verification token for `user`'s address and mails the link.
    pub(super) async fn send_verification(
        &self,
        conn: &mut DbConn,
        user: &UserRow,
        callback: &str,
    ) -> Result<(), AuthError> {
        let mail = self.verification_mail(conn, user, callback).await?;
        self.outbox.post(mail);
        Ok(())
    }

    /// Issues a verification token for `user`'s address: the mail with its link, to post
    /// after the token commits.
    async fn verification_mail(
        &self,
        conn: &mut DbConn,
        user: &UserRow,
        callback: &str,
    ) -> Result<Mail, AuthError> {
        let now = self.config.clock.now();
        let ttl = self.config.verification_token_ttl;
        let token =
            tokens::issue(conn, Purpose::VerifyEmail, user.id, &user.email, now, ttl).await?;
        let path = format!(
            "/api/auth/verify-email?token={token}&callbackURL={}",
            encode(callback)
        );
        Ok(self.link_mail(MailKind::VerifyEmail, user, &user.email, &path))
    }

    /// Counts a mail to `email` against the per-address limit.
    pub(super) async fn limit_mail_to(&self, email: &str) -> Result<(), AuthError> {
        self.limits
            .check_mail_to(email)
            .await?
            .map_err(AuthError::too_many)
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct RequestPasswordReset {
    email: String,
    redirect_to: Option<String>,
}

/// `POST /api/auth/request-password-reset {email, redirectTo?}` → `{status: true, message}`,
/// whether or not the address has an account. The request itself does the same work either
/// way — check, count, queue — and answers; looking the account up, issuing the token and
/// mailing happen afterwards in a task of their own.
async fn request_password_reset(State(service): Service, request: Request) -> Response {
    respond(request, |parts, body| async move {
        service.limit_ip(&parts, Endpoint::Mail).await?;
        let input: RequestPasswordReset = read_json(&parts, body).await?;
        let email = email_of(&input.email)?;
        let callback = callback_or_root(&service, input.redirect_to.as_deref())?;
        service.limit_mail_to(&email).await?;
        let request_id = crate::base::request_id(&parts.extensions);
        let background = service.clone();
        tokio::spawn(async move {
            if let Err(error) = background.mail_reset(&email, &callback, request_id).await {
                tracing::error!(?error, "password reset mail not prepared");
            }
        });
        Ok(Reply::json(
            json!({"status": true, "message": RESET_MESSAGE}),
        ))
    })
    .await
}

impl AuthService {
    /// The part of `request-password-reset` no client waits for.
    async fn mail_reset(
        &self,
        email: &str,
        callback: &str,
        request_id: String,
    ) -> Result<(), AuthError> {
        let event = AuthEvent {
            service: self,
            request_id,
            event: "auth.request_password_reset",
            email,
        };
        let now = self.config.clock.now();
        let ttl = self.config.reset_token_ttl;
        self.run(async |conn| {
            let Some(user) = user_by_email(conn, email).await? else {
                return event.failed(conn, None, &AuthError::unauthorized()).await;
            };
            let token =
                tokens::issue(conn, Purpose::ResetPassword, user.id, email, now, ttl).await?;
            event.succeeded(conn, user.id).await?;
            let path = format!(
                "/api/auth/reset-password/{token}?callbackURL={}",
                encode(callback)
            );
            self.mail_link(MailKind::ResetPassword, &user, email, &path);
            Ok(())
        })
        .await
    }
}

/// `GET /api/auth/reset-password/:token?callbackURL=…` (the mailed link): `302` to the
/// callback with `?token=…`, or with `?error=INVALID_TOKEN` when the token is unknown, used or
/// expired. The token stays valid: the page posts it with the new password.
async fn reset_password_link(
    State(service): Service,
    Path(token): Path<String>,
    request: Request,
) -> Response {
    respond(request, |parts, _| async move {
        service.limit_ip(&parts, Endpoint::Token).await?;
        let callback = callback_url(
            &service,
            &query_value(&parts, "callbackURL").unwrap_or_else(|| "/".to_owned()),
        )?;
        let now = service.config.clock.now();
        let live = service
            .run(async |conn| Ok(tokens::peek(conn, Purpose::ResetPassword, &token, now).await?))
            .await?;
        Ok(Reply::redirect(match live {
            Some(_) => with_query(&callback, "token", &token),
            None => with_query(&callback, "error", "INVALID_TOKEN"),
        }))
    })
    .await
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ResetPassword {
    new_password: String,
    token: Option<String>,
}

/// `POST /api/auth/reset-password {newPassword, token}` (or `?token=`) → `{status: true}`. The
/// token is used up; the new hash and the revocation of every session of the account commit
/// together (stricter than Better Auth, whose default keeps them).
async fn reset_password(State(service): Service, request: Request) -> Response {
    respond(request, |parts, body| async move {
        service.limit_ip(&parts, Endpoint::Token).await?;
        let input: ResetPassword = read_json(&parts, body).await?;
        let token = input
            .token
            .filter(|t| !t.is_empty())
            .or_else(|| query_value(&parts, "token"))
            .ok_or_else(invalid_token)?;
        check_password(&input.new_password)?;
        let hash = service.passwords.hash(input.new_password).await?;
        let now = service.config.clock.now();
        let request_id = crate::base::request_id(&parts.extensions);
        let user_id = service
            .run(async |conn| {
                transaction(conn, Isolation::ReadCommitted, async |conn| {
                    let verification = tokens::consume(conn, Purpose::ResetPassword, &token)
                        .await?
                        .filter(|v| v.live(now))
                        .ok_or_else(invalid_token)?;
                    let user_id = verification.user_id;
                    db!(&mut *conn, |c| diesel::update(
                        auth_users::table.find(user_id)
                    )
                    .set((
                        auth_users::password_hash.eq(&hash),
                        auth_users::updated_at.eq(now)
                    ))
                    .execute(c)
                    .await)?;
                    delete_sessions(conn, user_id).await?;
                    AuthEvent {
                        service: &service,
                        request_id: request_id.clone(),
                        event: "auth.reset_password",
                        email: &verification.email,
                    }
                    .succeeded(conn, user_id)
                    .await?;
                    Ok(user_id)
                })
                .await
            })
            .await?;
        tracing::info!(user_id, "password reset; every session revoked");
        Ok(Reply::json(json!({"status": true})))
    })
    .await
}

async fn delete_sessions(conn: &mut DbConn, user_id: i64) -> Result<(), AuthError> {
    db!(conn, |c| diesel::delete(
        auth_sessions::table.filter(auth_sessions::user_id.eq(user_id))
    )
    .execute(c)
    .await)?;
    Ok(())
}

#[derive(Deserialize, JsonSchema)]
pub(super) struct VerifyPassword {
    password: String,
}

/// `POST /api/auth/verify-password {password}` → `{status: true}`, or `400 INVALID_PASSWORD`:
/// re-authentication before a sensitive step. Failures count against the account as sign-in's
/// do.
async fn verify_password(State(service): Service, request: Request) -> Response {
    respond(request, |parts, body| async move {
        service.limit_ip(&parts, Endpoint::VerifyPassword).await?;
        let (_, user, _) = service
            .run(async |conn| current(&service, &parts, conn).await)
            .await?;
        let input: VerifyPassword = read_json(&parts, body).await?;
        service
            .check_password_of(&parts, &user, input.password, "auth.verify_password")
            .await?;
        Ok(Reply::json(json!({"status": true})))
    })
    .await
}

impl AuthService {
    /// Checks `password` against `user`'s, under the account's failure budget; a wrong one is
    /// counted, audited as `event`, and answered `400 INVALID_PASSWORD`.
    async fn check_password_of(
        &self,
        parts: &Parts,
        user: &UserRow,
        password: String,
        event: &'static str,
    ) -> Result<(), AuthError> {
        self.limit_account(&user.email).await?;
        let verified = self
            .passwords
            .verify(password, user.password_hash.clone())
            .await?;
        let event = AuthEvent::new(self, parts, event, &user.email);
        if verified.ok {
            self.run(async |conn| event.succeeded(conn, user.id).await)
                .await?;
            return Ok(());
        }
        self.limits.record_failure(&user.email).await?;
        let error = invalid_password();
        self.run(async |conn| event.failed(conn, Some(user.id), &error).await)
            .await?;
        Err(error)
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct SendVerificationEmail {
    email: String,
    #[serde(rename = "callbackURL")]
    callback_url: Option<String>,
}

/// `POST /api/auth/send-verification-email {email, callbackURL?}` → `{status: true}`. Signed
/// in, the address must be the session's (`400 EMAIL_MISMATCH`) and not yet verified
/// (`400 EMAIL_ALREADY_VERIFIED`); signed out, the answer is the same whether or not the address
/// has an account, and the mail goes only to an unverified one.
async fn send_verification_email(State(service): Service, request: Request) -> Response {
    respond(request, |parts, body| async move {
        service.limit_ip(&parts, Endpoint::Mail).await?;
        let input: SendVerificationEmail = read_json(&parts, body).await?;
        let email = email_of(&input.email)?;
        let callback = callback_or_root(&service, input.callback_url.as_deref())?;
        let signed_in = match session::token_of(&parts.headers, &service.config) {
            Some(_) => Some(
                service
                    .run(async |conn| current(&service, &parts, conn).await)
                    .await?
                    .1,
            ),
            None => None,
        };
        if let Some(user) = &signed_in {
            if user.email != email {
                return Err(AuthError::new(
                    StatusCode::BAD_REQUEST,
                    "EMAIL_MISMATCH",
                    "Email mismatch",
                ));
            }
            if user.email_verified {
                return Err(AuthError::new(
                    StatusCode::BAD_REQUEST,
                    "EMAIL_ALREADY_VERIFIED",
                    "Email is already verified",
                ));
            }
        }
        service.limit_mail_to(&email).await?;
        let request_id = crate::base::request_id(&parts.extensions);
        let background = service.clone();
        tokio::spawn(async move {
            let sent = background
                .run(async |conn| {
                    let event = AuthEvent {
                        service: &background,
                        request_id,
                        event: "auth.send_verification_email",
                        email: &email,
                    };
                    match user_by_email(conn, &email).await? {
                        Some(user) if !user.email_verified => {
                            background.send_verification(conn, &user, &callback).await?;
                            event.succeeded(conn, user.id).await
                        }
                        user => {
                            let error = AuthError::unauthorized();
                            event.failed(conn, user.map(|u| u.id), &error).await
                        }
                    }
                })
                .await;
            if let Err(error) = sent {
                tracing::error!(?error, "verification mail not prepared");
            }
        });
        Ok(Reply::json(json!({"status": true})))
    })
    .await
}

/// `GET /api/auth/verify-email?token=…&callbackURL=…` (the mailed link): the address is
/// verified (for an email change: the account takes the new, verified address); `302` to the
/// callback, or `{status: true, user: null}` without one. A bad token: `302` to the callback
/// with `?error=INVALID_TOKEN` (or `TOKEN_EXPIRED`), or `401` with that code, as Better Auth
/// 1.7 answers.
async fn verify_email(State(service): Service, request: Request) -> Response {
    respond(request, |parts, _| async move {
        service.limit_ip(&parts, Endpoint::Token).await?;
        let callback = query_value(&parts, "callbackURL")
            .map(|c| callback_url(&service, &c))
            .transpose()?;
        let token = query_value(&parts, "token").unwrap_or_default();
        let now = service.config.clock.now();
        let request_id = crate::base::request_id(&parts.extensions);
        let verified = service
            .run(async |conn| {
                transaction(conn, Isolation::ReadCommitted, async |conn| {
                    let taken = match tokens::consume(conn, Purpose::VerifyEmail, &token).await? {
                        Some(v) => Some((v, false)),
                        None => tokens::consume(conn, Purpose::ChangeEmail, &token)
                            .await?
                            .map(|v| (v, true)),
                    };
                    let Some((verification, change)) = taken else {
                        return Ok(Err("INVALID_TOKEN"));
                    };
                    if !verification.live(now) {
                        return Ok(Err("TOKEN_EXPIRED"));
                    }
                    let user_id = verification.user_id;
                    let email = verification.email.as_str();
                    let updated = if change {
                        let changed = db!(&mut *conn, |c| diesel::update(
                            auth_users::table.find(user_id)
                        )
                        .set((
                            auth_users::email.eq(email),
                            auth_users::email_verified.eq(true),
                            auth_users::updated_at.eq(now),
                        ))
                        .execute(c)
                        .await);
                        match changed {
                            Ok(n) => n,
                            // Taken since the change was asked for.
                            Err(diesel::result::Error::DatabaseError(
                                diesel::result::DatabaseErrorKind::UniqueViolation,
                                _,
                            )) => 0,
                            Err(error) => return Err(error.into()),
                        }
                    } else {
                        db!(&mut *conn, |c| diesel::update(
                            auth_users::table
                                .find(user_id)
                                .filter(auth_users::email.eq(email))
                        )
                        .set((
                            auth_users::email_verified.eq(true),
                            auth_users::updated_at.eq(now),
                        ))
                        .execute(c)
                        .await)?
                    };
                    if updated == 0 {
                        return Ok(Err("INVALID_TOKEN"));
                    }
                    AuthEvent {
                        service: &service,
                        request_id: request_id.clone(),
                        event: if change {
                            "auth.change_email"
                        } else {
                            "auth.verify_email"
                        },
                        email,
                    }
                    .succeeded(conn, user_id)
                    .await?;
                    Ok(Ok(()))
                })
                .await
            })
            .await?;
        match (verified, callback) {
            (Ok(()), Some(callback)) => Ok(Reply::redirect(callback)),
            (Ok(()), None) => Ok(Reply::json(json!({"status": true, "user": Value::Null}))),
            (Err(code), Some(callback)) => {
                Ok(Reply::redirect(with_query(&callback, "error", code)))
            }
            (Err(code), None) => Err(AuthError::new(
                StatusCode::UNAUTHORIZED,
                code,
                if code == "TOKEN_EXPIRED" {
                    "Token expired"
                } else {
                    "Invalid token"
                },
            )),
        }
    })
    .await
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct UpdateUser {
    name: Option<String>,
    image: Option<Option<String>>,
    /// Refused when present: the address changes through `change-email`.
    #[schemars(skip)]
    email: Option<Value>,
}

/// `POST /api/auth/update-user {name?, image?}` → `{status: true}`. An `email` is refused
/// (`400 EMAIL_CAN_NOT_BE_UPDATED`), as Better Auth does: use `change-email`.
async fn update_user(State(service): Service, request: Request) -> Response {
    respond(request, |parts, body| async move {
        service.limit_ip(&parts, Endpoint::UpdateUser).await?;
        let (_, user, _) = service
            .run(async |conn| current(&service, &parts, conn).await)
            .await?;
        let input: UpdateUser = read_json(&parts, body).await?;
        if input.email.is_some() {
            return Err(AuthError::new(
                StatusCode::BAD_REQUEST,
                "EMAIL_CAN_NOT_BE_UPDATED",
                "Email can not be updated",
            ));
        }
        let name = match &input.name {
            Some(name) => Some(
                users::valid_name(name)
                    .ok_or_else(|| AuthError::validation("name must be 1 to 100 characters"))?,
            ),
            None => None,
        };
        if name.is_none() && input.image.is_none() {
            return Err(AuthError::new(
                StatusCode::BAD_REQUEST,
                "NO_FIELDS_TO_UPDATE",
                "No fields to update",
            ));
        }
        let (user_id, now) = (user.id, service.config.clock.now());
        let event = AuthEvent::new(&service, &parts, "auth.update_user", &user.email);
        service
            .run(async |conn| {
                transaction(conn, Isolation::ReadCommitted, async |conn| {
                    if let Some(name) = name {
                        db!(&mut *conn, |c| diesel::update(
                            auth_users::table.find(user_id)
                        )
                        .set((auth_users::name.eq(name), auth_users::updated_at.eq(now)))
                        .execute(c)
                        .await)?;
                    }
                    if let Some(image) = &input.image {
                        db!(&mut *conn, |c| diesel::update(
                            auth_users::table.find(user_id)
                        )
                        .set((auth_users::image.eq(image), auth_users::updated_at.eq(now)))
                        .execute(c)
                        .await)?;
                    }
                    event.succeeded(conn, user_id).await
                })
                .await
            })
            .await?;
        Ok(Reply::json(json!({"status": true})))
    })
    .await
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ChangeEmail {
    new_email: String,
    #[serde(rename = "callbackURL")]
    callback_url: Option<String>,
}

/// `POST /api/auth/change-email {newEmail, callbackURL?}` → `{status: true}`. A verified
/// address changes only once the new one is confirmed: a link goes to the new address, and
/// following it makes it the account's (verified). An unverified address changes at once and
/// a verification link goes to the new one. An address taken by another account answers the
/// same `{status: true}` and sends nothing (no enumeration).
async fn change_email(State(service): Service, request: Request) -> Response {
    respond(request, |parts, body| async move {
        service.limit_ip(&parts, Endpoint::ChangeEmail).await?;
        let (_, user, _) = service
            .run(async |conn| current(&service, &parts, conn).await)
            .await?;
        let input: ChangeEmail = read_json(&parts, body).await?;
        let new_email = email_of(&input.new_email)?;
        if new_email == user.email {
            return Err(AuthError::new(
                StatusCode::BAD_REQUEST,
                "EMAIL_IS_THE_SAME",
                "Email is the same",
            ));
        }
        let callback = callback_or_root(&service, input.callback_url.as_deref())?;
        service.limit_mail_to(&new_email).await?;
        let now = service.config.clock.now();
        let ttl = service.config.verification_token_ttl;
        let event = AuthEvent::new(&service, &parts, "auth.change_email", &user.email);
        // The link is mailed once its token has committed: a rolled-back change sends nothing.
        let mail = service
            .run(async |conn| {
                transaction(conn, Isolation::ReadCommitted, async |conn| {
                    if user_by_email(conn, &new_email).await?.is_some() {
                        let error = AuthError::new(
                            StatusCode::UNPROCESSABLE_ENTITY,
                            "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
                            "User already exists. Use another email.",
                        );
                        // Audited, not answered: the client learns nothing of other accounts.
                        event.failed(conn, Some(user.id), &error).await?;
                        return Ok(None);
                    }
                    let mail = if user.email_verified {
                        let token = tokens::issue(
                            conn,
                            Purpose::ChangeEmail,
                            user.id,
                            &new_email,
                            now,
                            ttl,
                        )
                        .await?;
                        let path = format!(
                            "/api/auth/verify-email?token={token}&callbackURL={}",
                            encode(&callback)
                        );
                        service.link_mail(MailKind::ChangeEmail, &user, &new_email, &path)
                    } else {
                        let user_id = user.id;
                        let changed = db!(&mut *conn, |c| diesel::update(
                            auth_users::table.find(user_id)
                        )
                        .set((
                            auth_users::email.eq(&new_email),
                            auth_users::email_verified.eq(false),
                            auth_users::updated_at.eq(now),
                        ))
                        .returning(UserRow::as_returning())
                        .get_result(c)
                        .await)?;
                        service.verification_mail(conn, &changed, &callback).await?
                    };
                    event.succeeded(conn, user.id).await?;
                    Ok(Some(mail))
                })
                .await
            })
            .await?;
        if let Some(mail) = mail {
            service.outbox.post(mail);
        }
        Ok(Reply::json(json!({"status": true})))
    })
    .await
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeleteUser {
    password: Option<String>,
    token: Option<String>,
    #[serde(rename = "callbackURL")]
    callback_url: Option<String>,
}

/// `POST /api/auth/delete-user {password?, token?, callbackURL?}`, in Better Auth's order: a
/// given password must be right (`400 INVALID_PASSWORD`); a given deletion token must be this
/// account's (`404 INVALID_TOKEN`) and deletes it; else, when the app asked for confirmation
/// ([`AuthConfig::confirm_deletion_by_mail`](super::AuthConfig::confirm_deletion_by_mail)), a
/// link is mailed → `{success: true, message: "Verification email sent"}`; else, without a
/// password, the session must be fresh (`freshAge`, read from the database; `400
/// SESSION_EXPIRED`). Deleting takes every session of the account with it →
/// `{success: true, message: "User deleted"}`.
async fn delete_user(State(service): Service, request: Request) -> Response {
    respond(request, |parts, body| async move {
        service.limit_ip(&parts, Endpoint::DeleteUser).await?;
        let (session, user, _) = service
            .run(async |conn| current(&service, &parts, conn).await)
            .await?;
        let input: DeleteUser = read_json(&parts, body).await?;
        // Better Auth's order: the password, then a token, then the confirmation mail, then
        // the session's freshness.
        let password_given = input.password.is_some();
        if let Some(password) = input.password {
            service
                .check_password_of(&parts, &user, password, "auth.verify_password")
                .await?;
        }
        if let Some(token) = input.token {
            service.take_deletion_token(&user, &token).await?;
        } else if service.config.confirm_deletion_by_mail {
            let callback = callback_or_root(&service, input.callback_url.as_deref())?;
            service.limit_ip(&parts, Endpoint::Mail).await?;
            service.limit_mail_to(&user.email).await?;
            let (now, ttl) = (
                service.config.clock.now(),
                service.config.verification_token_ttl,
            );
            service
                .run(async |conn| {
                    let token =
                        tokens::issue(conn, Purpose::DeleteAccount, user.id, &user.email, now, ttl)
                            .await?;
                    let path = format!(
                        "/api/auth/delete-user/callback?token={token}&callbackURL={}",
                        encode(&callback)
                    );
                    service.mail_link(MailKind::DeleteAccount, &user, &user.email, &path);
                    Ok(())
                })
                .await?;
            return Ok(Reply::json(
                json!({"success": true, "message": "Verification email sent"}),
            ));
        } else if !password_given && !session::is_fresh(&session, &service.config) {
            return Err(AuthError::new(
                StatusCode::BAD_REQUEST,
                "SESSION_EXPIRED",
                "Session expired. Re-authenticate to perform this action.",
            ));
        }
        service.delete_account(&parts, &user).await?;
        Ok(
            Reply::json(json!({"success": true, "message": "User deleted"}))
                .with_cookie(session::clear_cookie(&service.config)),
        )
    })
    .await
}

impl AuthService {
    /// Uses up a deletion token of `user`'s: `404 INVALID_TOKEN` for any other token, as
    /// Better Auth answers.
    async fn take_deletion_token(&self, user: &UserRow, token: &str) -> Result<(), AuthError> {
        let (now, user_id) = (self.config.clock.now(), user.id);
        let taken = self
            .run(async |conn| Ok(tokens::consume(conn, Purpose::DeleteAccount, token).await?))
            .await?;
        match taken {
            Some(v) if v.user_id == user_id && v.live(now) => Ok(()),
            _ => Err(AuthError::new(
                StatusCode::NOT_FOUND,
                "INVALID_TOKEN",
                "Invalid token",
            )),
        }
    }
}

impl AuthService {
    /// Deletes `user` and every session of theirs, with the audit event, in one transaction.
    async fn delete_account(&self, parts: &Parts, user: &UserRow) -> Result<(), AuthError> {
        let event = AuthEvent::new(self, parts, "auth.delete_user", &user.email);
        let user_id = user.id;
        self.run(async |conn| {
            transaction(conn, Isolation::ReadCommitted, async |conn| {
                delete_sessions(conn, user_id).await?;
                db!(&mut *conn, |c| diesel::delete(
                    auth_users::table.find(user_id)
                )
                .execute(c)
                .await)?;
                // The event outlives the account: its actor id is kept as a number.
                event.succeeded(conn, user_id).await
            })
            .await
        })
        .await?;
        tracing::info!(user_id, "account deleted with its sessions");
        Ok(())
    }
}

/// `GET /api/auth/delete-user/callback?token=…&callbackURL=…` (the mailed link, opened where
/// the account is signed in; `404 FAILED_TO_GET_USER_INFO` otherwise): the account is deleted
/// with its sessions → `302` to the callback, or `{success: true, message: "User deleted"}`; a
/// token not of this account: `404 INVALID_TOKEN`.
async fn delete_user_link(State(service): Service, request: Request) -> Response {
    respond(request, |parts, _| async move {
        service.limit_ip(&parts, Endpoint::Token).await?;
        let callback = query_value(&parts, "callbackURL")
            .map(|c| callback_url(&service, &c))
            .transpose()?;
        let token = query_value(&parts, "token").unwrap_or_default();
        // As Better Auth: the link works in the browser signed in to the account it deletes.
        let signed_in = match session::token_of(&parts.headers, &service.config) {
            Some(_) => service
                .run(async |conn| current(&service, &parts, conn).await)
                .await
                .ok(),
            None => None,
        };
        let Some((_, user, _)) = signed_in else {
            return Err(AuthError::new(
                StatusCode::NOT_FOUND,
                "FAILED_TO_GET_USER_INFO",
                "Failed to get user info",
            ));
        };
        service.take_deletion_token(&user, &token).await?;
        service.delete_account(&parts, &user).await?;
        let cleared = session::clear_cookie(&service.config);
        Ok(match callback {
            Some(callback) => Reply::redirect(callback).with_cookie(cleared),
            None => Reply::json(json!({"success": true, "message": "User deleted"}))
                .with_cookie(cleared),
        })
    })
    .await
}
