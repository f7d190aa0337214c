//! Sessions: random tokens, stored only as a hash; a sliding expiry refreshed at most once per
//! `refresh_after`, never past the absolute cap; the cookie that carries them.

use super::config::AuthConfig;
use super::schema::{auth_sessions, auth_users};
use crate::base::request_cookies;
use crate::base::{Role, User};
use crate::db;
use crate::db::{DbConn, Timestamp};
use crate::error::ActionError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie::{Cookie, SameSite};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use http::HeaderMap;
use http::header::AUTHORIZATION;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Better Auth's cookie name, so its client and middleware recognize it.
const COOKIE_NAME: &str = "better-auth.session_token";
/// The same, over https: a `__Secure-` cookie is only ever set by a secure origin.
const SECURE_COOKIE_NAME: &str = "__Secure-better-auth.session_token";

/// A user row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = auth_users)]
pub(crate) struct UserRow {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) email_verified: bool,
    pub(crate) image: Option<String>,
    pub(crate) password_hash: String,
    pub(crate) role: String,
    pub(crate) created_at: Timestamp,
    pub(crate) updated_at: Timestamp,
}

impl UserRow {
    /// The user an action sees; an error when the stored role is not one the app names (a
    /// typo in the database, a role the app dropped): it must not silently become another.
    pub(crate) fn user(&self, config: &AuthConfig) -> Result<User, ActionError> {
        let role = self.role(config)?;
        Ok(User::new(self.id, &self.name, &self.email, role))
    }

    /// The stored role, as the app names it (the configured value: no copy of the name for
    /// `user` and `admin`); an error when the app does not name it.
    pub(crate) fn role(&self, config: &AuthConfig) -> Result<Role, ActionError> {
        named_role(config, self.id, &self.role)
    }
}

/// The stored role `role` of user `id`, as the app names it; an error when it does not.
fn named_role(config: &AuthConfig, id: i64, role: &str) -> Result<Role, ActionError> {
    config
        .roles
        .iter()
        .find(|known| known.as_str() == role)
        .cloned()
        .ok_or_else(|| {
            ActionError::internal(format!(
                "user {id} has the role {role:?}, which the app does not name; add it with AuthConfig::role"
            ))
        })
}

/// A session row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = auth_sessions)]
pub(crate) struct SessionRow {
    pub(crate) id: i64,
    pub(crate) user_id: i64,
    pub(crate) created_at: Timestamp,
    pub(crate) updated_at: Timestamp,
    pub(crate) expires_at: Timestamp,
    pub(crate) absolute_expires_at: Timestamp,
    pub(crate) ip_address: Option<String>,
    pub(crate) user_agent: Option<String>,
}

/// Who opened a session, as recorded with it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Client {
    pub(crate) ip: Option<String>,
    pub(crate) user_agent: Option<String>,
}

/// A new random token: 256 bits from the operating system's CSPRNG, base64url (43 characters).
pub(crate) fn new_token() -> Result<String, ActionError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ActionError::internal(format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored of a token: its SHA-256. The token is never stored, and looking a session
/// up by the hash reveals nothing about other tokens (no prefix can be probed).
pub(crate) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn after(t: Timestamp, duration: Duration) -> Timestamp {
    let micros = i64::try_from(duration.as_micros()).unwrap_or(i64::MAX);
    Timestamp::from_timestamp_micros(t.timestamp_micros().saturating_add(micros)).unwrap_or(t)
}

/// Opens a session for `user_id`; returns the token (only the caller ever sees it).
pub(crate) async fn create(
    conn: &mut DbConn,
    config: &AuthConfig,
    user_id: i64,
    remember_me: bool,
    client: &Client,
) -> Result<(String, SessionRow), ActionError> {
    let token = new_token()?;
    let hash = token_hash(&token);
    let now = config.clock.now();
    let absolute = after(now, config.absolute_ttl);
    let expires = after(now, config.session_ttl).min(absolute);
    let row = db!(conn, |c| {
        diesel::delete(
            auth_sessions::table
                .filter(auth_sessions::user_id.eq(user_id))
                .filter(auth_sessions::expires_at.le(now)),
        )
        .execute(c)
        .await?;
        diesel::insert_into(auth_sessions::table)
            .values((
                auth_sessions::user_id.eq(user_id),
                auth_sessions::token_hash.eq(&hash),
                auth_sessions::remember_me.eq(remember_me),
                auth_sessions::created_at.eq(now),
                auth_sessions::updated_at.eq(now),
                auth_sessions::expires_at.eq(expires),
                auth_sessions::absolute_expires_at.eq(absolute),
                auth_sessions::ip_address.eq(&client.ip),
                auth_sessions::user_agent.eq(&client.user_agent),
            ))
            .returning(SessionRow::as_returning())
            .get_result(c)
            .await
    })?;
    Ok((token, row))
}

/// The live session of `token` and its user; an unknown, expired or revoked token is `None`.
/// An active session's expiry slides forward, at most once per `refresh_after`, never past its
/// absolute cap.
pub(crate) async fn find(
    conn: &mut DbConn,
    config: &AuthConfig,
    token: &str,
) -> Result<Option<(SessionRow, UserRow)>, ActionError> {
    let (hash, now) = (token_hash(token), config.clock.now());
    let found: Option<(SessionRow, UserRow)> = db!(conn, |c| {
        auth_sessions::table
            .inner_join(auth_users::table)
            .filter(auth_sessions::token_hash.eq(&hash))
            .filter(not_banned(now))
            .select((SessionRow::as_select(), UserRow::as_select()))
            .first(c)
            .await
            .optional()
    })?;
    let Some((mut session, user)) = found else {
        return Ok(None);
    };
    // A role the app does not name is an error, not a signed-out request.
    user.role(config)?;
    let mut times = Lifetime::of(&session);
    if !keep_alive(conn, config, &mut times).await? {
        return Ok(None);
    }
    (session.expires_at, session.updated_at) = (times.expires_at, times.updated_at);
    Ok(Some((session, user)))
}

/// The user signed in by `token`, as [`find`] decides, reading only what a [`User`] holds:
/// what every signed-in request asks, so it skips the password hash and the session's
/// bookkeeping columns.
pub(crate) async fn user_of(
    conn: &mut DbConn,
    config: &AuthConfig,
    token: &str,
) -> Result<Option<User>, ActionError> {
    let (hash, now) = (token_hash(token), config.clock.now());
    let found: Option<(Lifetime, (i64, String, String, String))> = db!(conn, |c| {
        auth_sessions::table
            .inner_join(auth_users::table)
            .filter(auth_sessions::token_hash.eq(&hash))
            .filter(not_banned(now))
            .select((
                Lifetime::as_select(),
                (
                    auth_users::id,
                    auth_users::name,
                    auth_users::email,
                    auth_users::role,
                ),
            ))
            .first(c)
            .await
            .optional()
    })?;
    let Some((mut times, (id, name, email, role))) = found else {
        return Ok(None);
    };
    // A role the app does not name is an error, not a signed-out request.
    let role = named_role(config, id, &role)?;
    if !keep_alive(conn, config, &mut times).await? {
        return Ok(None);
    }
    Ok(Some(User::new(id, &name, &email, role)))
}

/// A session's times, as [`keep_alive`] reads and moves them.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = auth_sessions)]
struct Lifetime {
    id: i64,
    updated_at: Timestamp,
    expires_at: Timestamp,
    absolute_expires_at: Timestamp,
}

impl Lifetime {
    fn of(session: &SessionRow) -> Lifetime {
        Lifetime {
            id: session.id,
            updated_at: session.updated_at,
            expires_at: session.expires_at,
            absolute_expires_at: session.absolute_expires_at,
        }
    }
}

/// Whether the session is live: an expired one is deleted (`false`); a live one's expiry slides
/// forward, at most once per `refresh_after`, never past its absolute cap.
async fn keep_alive(
    conn: &mut DbConn,
    config: &AuthConfig,
    times: &mut Lifetime,
) -> Result<bool, ActionError> {
    let now = config.clock.now();
    let id = times.id;
    if now >= times.expires_at || now >= times.absolute_expires_at {
        db!(conn, |c| diesel::delete(auth_sessions::table.find(id))
            .execute(c)
            .await)?;
        return Ok(false);
    }
    if now >= after(times.updated_at, config.refresh_after) {
        let expires = after(now, config.session_ttl).min(times.absolute_expires_at);
        db!(conn, |c| {
            diesel::update(auth_sessions::table.find(id))
                .set((
                    auth_sessions::expires_at.eq(expires),
                    auth_sessions::updated_at.eq(now),
                ))
                .execute(c)
                .await
        })?;
        times.expires_at = expires;
        times.updated_at = now;
    }
    Ok(true)
}

/// A banned account's sessions stop working until the ban expires (a ban without an end holds).
#[diesel::dsl::auto_type]
fn not_banned(now: Timestamp) -> _ {
    auth_users::banned
        .eq(false)
        .or(auth_users::ban_expires.le(now))
}

/// Whether `session` was opened within `fresh_age` (Better Auth's `freshAge`): what the
/// sensitive steps ask of a session that brings no password.
pub(crate) fn is_fresh(session: &SessionRow, config: &AuthConfig) -> bool {
    config.clock.now() < after(session.created_at, config.fresh_age)
}

/// The session token of a request: the session cookie, else `Authorization: Bearer`.
pub(crate) fn token_of(headers: &HeaderMap, config: &AuthConfig) -> Option<String> {
    cookie_token(headers, config).or_else(|| {
        let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned())
            .filter(|t| !t.is_empty())
    })
}

/// The session cookie's value, if the request carries it.
pub(crate) fn cookie_token(headers: &HeaderMap, config: &AuthConfig) -> Option<String> {
    let name = cookie_name(config);
    request_cookies(headers)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| !value.is_empty())
}

/// `__Secure-better-auth.session_token` over https, the bare name on plain-http localhost.
pub(crate) fn cookie_name(config: &AuthConfig) -> &'static str {
    if config.secure_cookies {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Lax, Path=/, Secure (but on plain-http
/// localhost). A "remember me" session persists until its absolute cap; otherwise the cookie
/// ends with the browser session.
pub(crate) fn set_cookie(config: &AuthConfig, token: &str, remember_me: bool) -> String {
    let mut cookie = Cookie::build((cookie_name(config), token.to_owned()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(config.secure_cookies);
    if remember_me {
        let seconds = i64::try_from(config.absolute_ttl.as_secs()).unwrap_or(i64::MAX);
        cookie = cookie.max_age(cookie::time::Duration::seconds(seconds));
    }
    cookie.build().to_string()
}

/// `Set-Cookie` that removes the session cookie.
pub(crate) fn clear_cookie(config: &AuthConfig) -> String {
    Cookie::build((cookie_name(config), String::new()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(config.secure_cookies)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}
