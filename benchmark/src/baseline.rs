//! The baseline: the example app's benchmarked actions written by hand as plain axum handlers
//! on diesel-async, the way a careful developer would without the framework. Same queries, same
//! session lookup, same JSON answers, and the same pool settings (deadpool, 16 connections, 5 s
//! acquire timeout, no ping on checkout), served by the same process on `/baseline/…`.
//!
//! It does what the actions do, no less: a post update checks the session, loads the post, asks
//! "author or admin", writes and records an audit event in one transaction; a transfer honours
//! an idempotency key and retries serialization failures; every response writes an access-log
//! line at `info`, as the framework's do (tower-http's `TraceLayer`, the usual way in axum). It
//! skips what a hand-written handler usually skips: auditing refusals, request ids.

use actions_runtime::db::{Page, Timestamp};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DbError};
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use example_app::actions::account::{Account, Balance, Transferred};
use example_app::actions::post::{Post, PostPage};
use example_app::schema::{accounts, posts, transfers};
use http::header::{AUTHORIZATION, CONTENT_TYPE, SET_COOKIE};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tower_http::LatencyUnit;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

diesel::table! {
    use diesel::sql_types::*;
    use actions_runtime::db::sql_types::Timestamptz;

    auth_users (id) {
        id -> Int8,
        name -> Varchar,
        email -> Varchar,
        email_verified -> Bool,
        image -> Nullable<Text>,
        password_hash -> Text,
        role -> Varchar,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use actions_runtime::db::sql_types::Timestamptz;

    auth_sessions (id) {
        id -> Int8,
        user_id -> Int8,
        token_hash -> Binary,
        remember_me -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        expires_at -> Timestamptz,
        absolute_expires_at -> Timestamptz,
        ip_address -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use actions_runtime::db::sql_types::Timestamptz;

    action_audit_events (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        request_id -> Text,
        actor_id -> Nullable<Int8>,
        action -> Text,
        outcome -> Text,
        code -> Nullable<Text>,
        input -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use actions_runtime::db::sql_types::Timestamptz;

    action_idempotency_keys (user_id, action, idempotency_key) {
        user_id -> Int8,
        action -> Text,
        idempotency_key -> Text,
        fingerprint -> Binary,
        status -> Int2,
        body -> Binary,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::joinable!(auth_sessions -> auth_users (user_id));
diesel::allow_tables_to_appear_in_same_query!(auth_users, auth_sessions);

/// The baseline's state: its own pool, sized as the framework's.
struct Baseline {
    pool: Pool<AsyncPgConnection>,
    /// At most one password hash per core at a time, as a careful server bounds them (without
    /// it, 64 clients signing in took the process past 12 GB).
    hashing: tokio::sync::Semaphore,
}

type Shared = State<Arc<Baseline>>;

/// `/baseline/post.get`, `/baseline/post.list`, `/baseline/post.update`,
/// `/baseline/account.transfer` and `/baseline/sign-in`.
pub(crate) fn router(database_url: &str) -> Result<Router, String> {
    let mut config = ManagerConfig::<AsyncPgConnection>::default();
    config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::new_with_config(database_url, config);
    let pool = Pool::builder(manager)
        .max_size(16)
        .wait_timeout(Some(std::time::Duration::from_secs(5)))
        .create_timeout(Some(std::time::Duration::from_secs(5)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| e.to_string())?;
    let router = Router::new()
        .route("/baseline/post.get", post(post_get))
        .route("/baseline/post.list", post(post_list))
        .route("/baseline/post.update", post(post_update))
        .route("/baseline/account.transfer", post(account_transfer))
        .route("/baseline/sign-in", post(sign_in))
        .with_state(Arc::new(Baseline {
            pool,
            hashing: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            ),
        }));
    Ok(router.layer(access_log()))
}

/// A span per request (method and route) and an `info` line when its response starts.
fn access_log() -> AccessLog {
    TraceLayer::new_for_http()
        .make_span_with(request_span as fn(&http::Request<Body>) -> tracing::Span)
        .on_request(())
        .on_response(
            DefaultOnResponse::new()
                .level(tracing::Level::INFO)
                .latency_unit(LatencyUnit::Micros),
        )
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

type AccessLog = TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    fn(&http::Request<Body>) -> tracing::Span,
    (),
    DefaultOnResponse,
    (),
    (),
    (),
>;

fn request_span(request: &http::Request<Body>) -> tracing::Span {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("-", MatchedPath::as_str);
    tracing::info_span!("request", method = %request.method(), path)
}

/// An error answer, shaped as the framework's: `{"code", "message"}`.
struct Failure(StatusCode, &'static str, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = json!({ "code": self.1, "message": self.2 }).to_string();
        (self.0, [(CONTENT_TYPE, "application/json")], body).into_response()
    }
}

impl From<DbError> for Failure {
    fn from(error: DbError) -> Failure {
        tracing::error!(%error, "database error");
        Failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "internal server error".to_owned(),
        )
    }
}

fn bad_request(message: impl std::fmt::Display) -> Failure {
    Failure(StatusCode::BAD_REQUEST, "BAD_REQUEST", message.to_string())
}

fn not_found(message: String) -> Failure {
    Failure(StatusCode::NOT_FOUND, "NOT_FOUND", message)
}

fn json_answer(body: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => ([(CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(error) => bad_request(error).into_response(),
    }
}

fn parse<'a, T: Deserialize<'a>>(headers: &HeaderMap, body: &'a [u8]) -> Result<T, Failure> {
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Err(Failure(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send application/json".to_owned(),
        ));
    }
    serde_json::from_slice(body).map_err(bad_request)
}

async fn connection(
    state: &Baseline,
) -> Result<diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>, Failure> {
    state.pool.get().await.map_err(|error| {
        Failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            error.to_string(),
        )
    })
}

/// The signed-in user: the bearer token's session, joined to its user, unexpired.
#[derive(Queryable)]
#[allow(dead_code)] // read as the framework's `User` is: id, name, email, role
struct SignedIn {
    id: i64,
    name: String,
    email: String,
    role: String,
    expires_at: Timestamp,
    absolute_expires_at: Timestamp,
}

async fn user(conn: &mut AsyncPgConnection, headers: &HeaderMap) -> Result<SignedIn, Failure> {
    let unauthorized = || {
        Failure(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "sign in first".to_owned(),
        )
    };
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(unauthorized)?;
    let hash = Sha256::digest(token.trim().as_bytes()).to_vec();
    let found: Option<SignedIn> = auth_sessions::table
        .inner_join(auth_users::table)
        .filter(auth_sessions::token_hash.eq(&hash))
        .select((
            auth_users::id,
            auth_users::name,
            auth_users::email,
            auth_users::role,
            auth_sessions::expires_at,
            auth_sessions::absolute_expires_at,
        ))
        .first(conn)
        .await
        .optional()?;
    let now = Timestamp::now();
    found
        .filter(|s| now < s.expires_at && now < s.absolute_expires_at)
        .ok_or_else(unauthorized)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PostId {
    id: i64,
}

async fn post_get(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let input: PostId = parse(&headers, &body)?;
    let mut conn = connection(&state).await?;
    let post: Post = posts::table
        .find(input.id)
        .select(Post::as_select())
        .first(&mut conn)
        .await
        .optional()?
        .ok_or_else(|| not_found(format!("post {} not found", input.id)))?;
    Ok(json_answer(&post))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListPosts {
    limit: Option<i64>,
}

async fn post_list(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let input: ListPosts = parse(&headers, &body)?;
    let limit = input.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(bad_request("limit: must be 1 to 100"));
    }
    let mut conn = connection(&state).await?;
    let rows: Vec<Post> = posts::table
        .select(Post::as_select())
        .order((posts::created_at.desc(), posts::id.desc()))
        .limit(limit + 1)
        .load(&mut conn)
        .await?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let Page { items, next } =
        Page::from_rows(rows, limit, "posts newest first; q=", |last: &Post| {
            (last.created_at.timestamp_micros(), last.id)
        });
    Ok(json_answer(&PostPage { items, next }))
}

#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct UpdatePost {
    id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<String>,
}

/// Writes a success event to the audit log, on `conn` (in its transaction, if one is open).
async fn audit(
    conn: &mut AsyncPgConnection,
    actor: i64,
    action: &'static str,
    input: String,
) -> Result<(), DbError> {
    diesel::insert_into(action_audit_events::table)
        .values((
            action_audit_events::occurred_at.eq(Timestamp::now()),
            action_audit_events::request_id.eq("-"),
            action_audit_events::actor_id.eq(Some(actor)),
            action_audit_events::action.eq(action),
            action_audit_events::outcome.eq("success"),
            action_audit_events::code.eq(None::<String>),
            action_audit_events::input.eq(Some(input)),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The naive update: session, then in one transaction load the post, check "author or admin",
/// write, audit.
async fn post_update(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let mut conn = connection(&state).await?;
    let user = user(&mut conn, &headers).await?;
    let mut input: UpdatePost = parse(&headers, &body)?;
    if let Some(title) = &mut input.title {
        *title = title.trim().to_owned();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(bad_request("title: 1 to 200 characters"));
        }
    }
    if input
        .body
        .as_ref()
        .is_some_and(|b| b.chars().count() > 10_000)
    {
        return Err(bad_request("body: at most 10000 characters"));
    }
    let record = serde_json::to_string(&input).map_err(bad_request)?;
    let post = conn
        .transaction(async |c| {
            let current: Post = posts::table
                .find(input.id)
                .select(Post::as_select())
                .first(c)
                .await
                .optional()?
                .ok_or_else(|| not_found(format!("post {} not found", input.id)))?;
            if current.author_id != user.id && user.role != "admin" {
                tracing::warn!(user_id = user.id, post = input.id, "access denied");
                return Err(Failure(
                    StatusCode::FORBIDDEN,
                    "FORBIDDEN",
                    "you do not have the `post:update` permission here".to_owned(),
                ));
            }
            let post: Post = diesel::update(posts::table.find(current.id))
                .set((
                    input.title.as_ref().map(|t| posts::title.eq(t)),
                    input.body.as_ref().map(|b| posts::body.eq(b)),
                    posts::updated_at.eq(Timestamp::now()),
                ))
                .returning(Post::as_returning())
                .get_result(c)
                .await?;
            audit(c, user.id, "post.update", record).await?;
            Ok::<_, Failure>(post)
        })
        .await?;
    Ok(json_answer(&post))
}

#[derive(Deserialize, serde::Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct Transfer {
    amount: i64,
    from: i64,
    to: i64,
}

/// A transfer: session, idempotency key (replay, 422 on another input, 409 while in flight),
/// then in one serializable transaction (run again on a serialization failure): the in-flight
/// lock, the source account for "owner or admin", both rows locked, balances, ledger, the
/// stored answer and the audit event.
async fn account_transfer(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let mut conn = connection(&state).await?;
    let user = user(&mut conn, &headers).await?;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .map(str::to_owned);
    let input: Transfer = parse(&headers, &body)?;
    if input.amount < 1 {
        return Err(bad_request("amount: must be at least 1"));
    }
    if input.from == input.to {
        return Err(bad_request("to: must be another account than `from`"));
    }
    let record = serde_json::to_string(&input).map_err(bad_request)?;
    let fingerprint = Sha256::digest(record.as_bytes()).to_vec();
    if let Some(key) = &key {
        let stored: Option<(Vec<u8>, Vec<u8>)> = action_idempotency_keys::table
            .find((user.id, "account.transfer", key))
            .select((
                action_idempotency_keys::fingerprint,
                action_idempotency_keys::body,
            ))
            .first(&mut conn)
            .await
            .optional()?;
        if let Some((stored_fingerprint, body)) = stored {
            if stored_fingerprint != fingerprint {
                return Err(Failure(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "UNPROCESSABLE_CONTENT",
                    "this Idempotency-Key was already used with a different input".to_owned(),
                ));
            }
            let mut answer = ([(CONTENT_TYPE, "application/json")], body).into_response();
            answer
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return Ok(answer);
        }
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        let result = conn
            .build_transaction()
            .serializable()
            .run(async |c| {
                transfer_once(c, &user, input, key.as_deref(), &fingerprint, &record).await
            })
            .await;
        match result {
            Err(TransferError::Db(DbError::DatabaseError(
                DatabaseErrorKind::SerializationFailure,
                _,
            ))) if attempt < 20 => {
                tokio::time::sleep(std::time::Duration::from_millis(2 << attempt.min(6))).await;
            }
            Err(TransferError::Db(error)) => return Err(error.into()),
            Err(TransferError::Refused(failure)) => return Err(failure),
            Ok(answer) => return Ok(([(CONTENT_TYPE, "application/json")], answer).into_response()),
        }
    }
}

enum TransferError {
    Db(DbError),
    Refused(Failure),
}

impl From<DbError> for TransferError {
    fn from(error: DbError) -> TransferError {
        TransferError::Db(error)
    }
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    locked: bool,
}

async fn transfer_once(
    c: &mut AsyncPgConnection,
    user: &SignedIn,
    input: Transfer,
    key: Option<&str>,
    fingerprint: &[u8],
    record: &str,
) -> Result<Vec<u8>, TransferError> {
    let refused =
        |status, code, message: String| TransferError::Refused(Failure(status, code, message));
    if let Some(key) = key {
        let lock = i32::from_be_bytes(
            Sha256::digest(format!("{}account.transfer\0{key}", user.id).as_bytes())[..4]
                .try_into()
                .unwrap_or([0; 4]),
        );
        let locked: Locked = diesel::sql_query(
            "SELECT pg_try_advisory_xact_lock('action_idempotency_keys'::regclass::oid::int4, $1) AS locked",
        )
        .bind::<diesel::sql_types::Integer, _>(lock)
        .get_result(c)
        .await?;
        if !locked.locked {
            return Err(refused(
                StatusCode::CONFLICT,
                "CONFLICT",
                "a request with this Idempotency-Key is still running".to_owned(),
            ));
        }
    }
    let source: Account = accounts::table
        .find(input.from)
        .select(Account::as_select())
        .first(c)
        .await
        .optional()?
        .ok_or_else(|| {
            refused(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "account not found".to_owned(),
            )
        })?;
    if source.owner_id != user.id && user.role != "admin" {
        return Err(refused(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "you do not have the `account:transfer` permission here".to_owned(),
        ));
    }
    accounts::table
        .filter(accounts::id.eq_any([input.from, input.to]))
        .order(accounts::id)
        .select(accounts::id)
        .for_update()
        .load::<i64>(c)
        .await?;
    let found: Vec<Account> = accounts::table
        .filter(accounts::id.eq_any([input.from, input.to]))
        .select(Account::as_select())
        .load(c)
        .await?;
    let balance_of = |id: i64| {
        found
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.balance)
            .ok_or_else(|| {
                refused(
                    StatusCode::NOT_FOUND,
                    "NOT_FOUND",
                    format!("account {id} not found"),
                )
            })
    };
    let (from_balance, to_balance) = (balance_of(input.from)?, balance_of(input.to)?);
    if from_balance < input.amount {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "UNPROCESSABLE_CONTENT",
            "insufficient funds".to_owned(),
        ));
    }
    let balances = Transferred {
        from: Balance {
            id: input.from,
            balance: from_balance - input.amount,
        },
        to: Balance {
            id: input.to,
            balance: to_balance + input.amount,
        },
    };
    let mut rows = [balances.from, balances.to];
    rows.sort_by_key(|row| row.id);
    for row in rows {
        diesel::update(accounts::table.find(row.id))
            .set(accounts::balance.eq(row.balance))
            .execute(c)
            .await?;
    }
    diesel::insert_into(transfers::table)
        .values((
            transfers::from_account.eq(input.from),
            transfers::to_account.eq(input.to),
            transfers::amount.eq(input.amount),
            transfers::created_at.eq(Timestamp::now()),
        ))
        .execute(c)
        .await?;
    let answer =
        serde_json::to_vec(&balances).map_err(|e| TransferError::Refused(bad_request(e)))?;
    if let Some(key) = key {
        let now = Timestamp::now();
        let expires = Timestamp::from_timestamp_micros(now.timestamp_micros() + 86_400_000_000)
            .unwrap_or(now);
        diesel::insert_into(action_idempotency_keys::table)
            .values((
                action_idempotency_keys::user_id.eq(user.id),
                action_idempotency_keys::action.eq("account.transfer"),
                action_idempotency_keys::idempotency_key.eq(key),
                action_idempotency_keys::fingerprint.eq(fingerprint),
                action_idempotency_keys::status.eq(200_i16),
                action_idempotency_keys::body.eq(&answer),
                action_idempotency_keys::created_at.eq(now),
                action_idempotency_keys::expires_at.eq(expires),
            ))
            .execute(c)
            .await?;
    }
    audit(c, user.id, "account.transfer", record.to_owned()).await?;
    Ok(answer)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignIn {
    email: String,
    password: String,
}

#[derive(Queryable)]
struct UserRow {
    id: i64,
    name: String,
    email: String,
    email_verified: bool,
    image: Option<String>,
    password_hash: String,
    role: String,
    created_at: Timestamp,
    updated_at: Timestamp,
}

/// Sign-in: the user by email, argon2id on a blocking thread, a new session row, the audit
/// event, Better Auth's answer and cookie.
async fn sign_in(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let input: SignIn = parse(&headers, &body)?;
    let email = input.email.trim().to_lowercase();
    let invalid = || {
        Failure(
            StatusCode::UNAUTHORIZED,
            "INVALID_EMAIL_OR_PASSWORD",
            "Invalid email or password".to_owned(),
        )
    };
    let user: UserRow = {
        let mut conn = connection(&state).await?;
        auth_users::table
            .filter(auth_users::email.eq(&email))
            .first(&mut conn)
            .await
            .optional()?
            .ok_or_else(invalid)?
    };
    let stored = user.password_hash.clone();
    let password = input.password;
    let permit = state.hashing.acquire().await.map_err(bad_request)?;
    let ok = tokio::task::spawn_blocking(move || {
        use argon2::password_hash::PasswordVerifier;
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), stored.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false);
    drop(permit);
    if !ok {
        return Err(invalid());
    }
    let mut token = [0u8; 32];
    getrandom::fill(&mut token).map_err(bad_request)?;
    let token = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, token);
    let now = Timestamp::now();
    let later = |days: i64| {
        Timestamp::from_timestamp_micros(now.timestamp_micros() + days * 86_400_000_000)
            .unwrap_or(now)
    };
    let mut conn = connection(&state).await?;
    diesel::delete(
        auth_sessions::table
            .filter(auth_sessions::user_id.eq(user.id))
            .filter(auth_sessions::expires_at.le(now)),
    )
    .execute(&mut conn)
    .await?;
    diesel::insert_into(auth_sessions::table)
        .values((
            auth_sessions::user_id.eq(user.id),
            auth_sessions::token_hash.eq(Sha256::digest(token.as_bytes()).to_vec()),
            auth_sessions::remember_me.eq(true),
            auth_sessions::created_at.eq(now),
            auth_sessions::updated_at.eq(now),
            auth_sessions::expires_at.eq(later(7)),
            auth_sessions::absolute_expires_at.eq(later(30)),
            auth_sessions::ip_address.eq(Some("127.0.0.1")),
            auth_sessions::user_agent.eq(None::<String>),
        ))
        .execute(&mut conn)
        .await?;
    audit(
        &mut conn,
        user.id,
        "auth.sign_in",
        json!({ "email": email }).to_string(),
    )
    .await?;
    let answer = json!({
        "redirect": false,
        "token": token,
        "user": {
            "id": user.id.to_string(),
            "name": user.name,
            "email": user.email,
            "emailVerified": user.email_verified,
            "image": user.image,
            "createdAt": user.created_at.to_string(),
            "updatedAt": user.updated_at.to_string(),
            "role": user.role,
        },
    });
    let cookie = format!(
        "better-auth.session_token={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age=2592000"
    );
    let mut response = json_answer(&answer);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    Ok(response)
}
