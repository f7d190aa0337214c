//! Better Auth's admin plugin: `/api/auth/admin/*`, with its paths, bodies, answers and error
//! codes, for an operator's first tools — list, read, create and update accounts, set roles and
//! passwords, ban and unban, see and revoke sessions, remove accounts.
//!
//! Who may call them is the app's policy's to say, through [`ADMIN_PERMISSIONS`] (what
//! [`DefaultPolicy`](crate::acl::DefaultPolicy) grants admins, with everything else). Every call
//! is audited (`auth.admin.<route>`), and the last admin cannot be banned, removed or demoted.

use super::AuthService;
use super::routes::{Reply, check_password, current, read_json, respond};
use super::schema::{auth_sessions, auth_users};
use super::session::{self, SessionRow, UserRow};
use super::users;
use super::wire::{AuthError, SessionJson, UserJson, iso};
use crate::base::{Permission, Role, Services};
use crate::db;
use crate::db::{DbConn, Isolation, Timestamp, TransactionError, transaction};
use crate::pipeline::audit::{AuditOutcome, NewEvent};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use diesel::EscapeExpressionMethods;
use diesel::{
    BoolExpressionMethods, ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper,
    TextExpressionMethods,
};
use diesel_async::RunQueryDsl;
use http::StatusCode;
use http::request::Parts;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// `user:list` — `list-users`.
const USER_LIST: Permission = Permission::new("user", "list");
/// `user:get` — `get-user`.
const USER_GET: Permission = Permission::new("user", "get");
/// `user:create` — `create-user`.
const USER_CREATE: Permission = Permission::new("user", "create");
/// `user:update` — `update-user`.
const USER_UPDATE: Permission = Permission::new("user", "update");
/// `user:set_role` — `set-role`, and a role given to `create-user` or `update-user`.
const USER_SET_ROLE: Permission = Permission::new("user", "set_role");
/// `user:set_password` — `set-user-password`.
const USER_SET_PASSWORD: Permission = Permission::new("user", "set_password");
/// `user:ban` — `ban-user`, `unban-user`.
const USER_BAN: Permission = Permission::new("user", "ban");
/// `user:delete` — `remove-user`.
const USER_DELETE: Permission = Permission::new("user", "delete");
/// `session:list` — `list-user-sessions`.
const SESSION_LIST: Permission = Permission::new("session", "list");
/// `session:revoke` — `revoke-user-session`, `revoke-user-sessions`.
const SESSION_REVOKE: Permission = Permission::new("session", "revoke");

/// The permissions the admin routes ask the app's policy for, Better Auth's admin statements
/// with `_` for `-` (`user:set_role` is its `user: ["set-role"]`). A policy that decides
/// [`Decides::Only`](crate::acl::Decides::Only) a list adds these to grant them.
pub const ADMIN_PERMISSIONS: &[Permission] = &[
    USER_LIST,
    USER_GET,
    USER_CREATE,
    USER_UPDATE,
    USER_SET_ROLE,
    USER_SET_PASSWORD,
    USER_BAN,
    USER_DELETE,
    SESSION_LIST,
    SESSION_REVOKE,
];

/// Better Auth's answer to a banned account's sign-in.
const BANNED_MESSAGE: &str = "You have been banned from this application. Please contact support if you believe this is an error.";
/// `list-users` answers this many users unless asked for fewer, and never more than `MAX_LIMIT`.
const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1000;
/// The longest ban reason kept, in characters.
const MAX_BAN_REASON: usize = 1000;

/// What the admin routes share: the account service and the server's policy.
#[derive(Clone)]
struct Admin {
    service: Arc<AuthService>,
    services: Arc<Services>,
}

type AdminState = State<Admin>;

pub(super) fn router(service: Arc<AuthService>, services: Arc<Services>) -> Router {
    Router::new()
        .route("/api/auth/admin/list-users", get(list_users))
        .route("/api/auth/admin/get-user", get(get_user))
        .route("/api/auth/admin/create-user", post(create_user))
        .route("/api/auth/admin/update-user", post(update_user))
        .route("/api/auth/admin/set-role", post(set_role))
        .route("/api/auth/admin/set-user-password", post(set_user_password))
        .route("/api/auth/admin/ban-user", post(ban_user))
        .route("/api/auth/admin/unban-user", post(unban_user))
        .route(
            "/api/auth/admin/list-user-sessions",
            post(list_user_sessions),
        )
        .route(
            "/api/auth/admin/revoke-user-session",
            post(revoke_user_session),
        )
        .route(
            "/api/auth/admin/revoke-user-sessions",
            post(revoke_user_sessions),
        )
        .route("/api/auth/admin/remove-user", post(remove_user))
        .route("/api/auth/admin/has-permission", post(has_permission))
        .with_state(Admin { service, services })
}

/// `403 BANNED_USER` for an account under a ban now; a ban that has expired is lifted here.
pub(super) async fn refuse_banned(
    conn: &mut DbConn,
    config: &super::AuthConfig,
    user_id: i64,
) -> Result<(), AuthError> {
    let now = config.clock.now();
    let ban: Option<(bool, Option<Timestamp>)> = db!(&mut *conn, |c| auth_users::table
        .find(user_id)
        .select((auth_users::banned, auth_users::ban_expires))
        .first(c)
        .await
        .optional())?;
    match ban {
        Some((true, Some(expires))) if expires <= now => {
            db!(conn, |c| diesel::update(auth_users::table.find(user_id))
                .set(unbanned(now))
                .execute(c)
                .await)?;
            Ok(())
        }
        Some((true, _)) => Err(AuthError::new(
            StatusCode::FORBIDDEN,
            "BANNED_USER",
            BANNED_MESSAGE,
        )),
        _ => Ok(()),
    }
}

/// The columns that lift a ban.
#[allow(clippy::type_complexity)]
fn unbanned(
    now: Timestamp,
) -> (
    diesel::dsl::Eq<auth_users::banned, bool>,
    diesel::dsl::Eq<auth_users::ban_reason, Option<String>>,
    diesel::dsl::Eq<auth_users::ban_expires, Option<Timestamp>>,
    diesel::dsl::Eq<auth_users::updated_at, Timestamp>,
) {
    (
        auth_users::banned.eq(false),
        auth_users::ban_reason.eq(None::<String>),
        auth_users::ban_expires.eq(None::<Timestamp>),
        auth_users::updated_at.eq(now),
    )
}

/// A user row with its ban, as the admin routes answer it.
#[derive(Debug, Clone, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = auth_users)]
struct BanRow {
    banned: bool,
    ban_reason: Option<String>,
    ban_expires: Option<Timestamp>,
}

/// `user` with the admin plugin's fields: `banned`, `banReason`, `banExpires`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AdminUserJson {
    #[serde(flatten)]
    user: UserJson,
    banned: bool,
    ban_reason: Option<String>,
    ban_expires: Option<String>,
}

impl AdminUserJson {
    fn new((user, ban): &(UserRow, BanRow)) -> AdminUserJson {
        AdminUserJson {
            user: UserJson::from(user),
            banned: ban.banned,
            ban_reason: ban.ban_reason.clone(),
            ban_expires: ban.ban_expires.map(iso),
        }
    }
}

type Account = (UserRow, BanRow);

async fn account(conn: &mut DbConn, id: i64) -> Result<Account, AuthError> {
    let found: Option<Account> = db!(conn, |c| auth_users::table
        .find(id)
        .select((UserRow::as_select(), BanRow::as_select()))
        .first(c)
        .await
        .optional())?;
    found.ok_or_else(user_not_found)
}

/// Better Auth's admin answer to an email another account has.
fn email_taken() -> AuthError {
    AuthError::new(
        StatusCode::BAD_REQUEST,
        "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
        "User already exists. Use another email.",
    )
}

/// Deletes every session of user `id` but `except`.
async fn end_sessions(conn: &mut DbConn, id: i64, except: Option<i64>) -> Result<(), AuthError> {
    let except = except.unwrap_or(-1);
    db!(conn, |c| diesel::delete(
        auth_sessions::table
            .filter(auth_sessions::user_id.eq(id))
            .filter(auth_sessions::id.ne(except))
    )
    .execute(c)
    .await)?;
    Ok(())
}

fn user_not_found() -> AuthError {
    AuthError::new(StatusCode::NOT_FOUND, "USER_NOT_FOUND", "User not found")
}

/// The signed-in caller of an admin route, allowed by the policy; what its audit events name.
#[derive(Clone)]
struct Actor {
    admin: Admin,
    user: UserRow,
    session_id: i64,
    request_id: String,
    event: &'static str,
}

impl Actor {
    /// Records the call, on `conn` (in its transaction, if open): `input` says what was asked,
    /// never a password.
    async fn audit(
        &self,
        conn: &mut DbConn,
        failure: Option<&str>,
        input: &Value,
    ) -> Result<(), AuthError> {
        audit(
            &self.admin.service,
            conn,
            &self.request_id,
            self.event,
            Some(self.user.id),
            failure,
            input,
        )
        .await
    }

    /// Whether the policy grants the caller `permission`.
    fn may(&self, permission: Permission) -> Result<bool, AuthError> {
        let user = self.user.user(&self.admin.service.config)?;
        Ok(self
            .admin
            .services
            .policy
            .policy
            .allows(&user, permission, self.event))
    }

    /// `403` with `code` unless the policy grants `permission`.
    fn require(&self, permission: Permission, code: &'static str) -> Result<(), AuthError> {
        if self.may(permission)? {
            Ok(())
        } else {
            Err(forbidden(code))
        }
    }
}

async fn audit(
    service: &AuthService,
    conn: &mut DbConn,
    request_id: &str,
    event: &str,
    actor_id: Option<i64>,
    failure: Option<&str>,
    input: &Value,
) -> Result<(), AuthError> {
    let input = input.to_string();
    NewEvent {
        request_id,
        actor_id,
        action: event,
        outcome: match failure {
            Some(_) => AuditOutcome::Failure,
            None => AuditOutcome::Success,
        },
        code: failure,
        input: Some(&input),
    }
    .write(conn, service.config.clock.now())
    .await?;
    Ok(())
}

/// Better Auth's refusal messages, by code.
fn forbidden(code: &'static str) -> AuthError {
    let message = match code {
        "YOU_ARE_NOT_ALLOWED_TO_LIST_USERS" => "You are not allowed to list users",
        "YOU_ARE_NOT_ALLOWED_TO_GET_USER" => "You are not allowed to get user",
        "YOU_ARE_NOT_ALLOWED_TO_CREATE_USERS" => "You are not allowed to create users",
        "YOU_ARE_NOT_ALLOWED_TO_UPDATE_USERS" => "You are not allowed to update users",
        "YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE" => "You are not allowed to change users role",
        "YOU_ARE_NOT_ALLOWED_TO_SET_USERS_PASSWORD" => "You are not allowed to set users password",
        "YOU_ARE_NOT_ALLOWED_TO_BAN_USERS" => "You are not allowed to ban users",
        "YOU_ARE_NOT_ALLOWED_TO_DELETE_USERS" => "You are not allowed to delete users",
        "YOU_ARE_NOT_ALLOWED_TO_LIST_USERS_SESSIONS" => {
            "You are not allowed to list users sessions"
        }
        "YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS" => {
            "You are not allowed to revoke users sessions"
        }
        _ => "Forbidden",
    };
    AuthError::new(StatusCode::FORBIDDEN, code, message)
}

/// One admin route: the policy's permission for it (none for `has-permission`, which any
/// signed-in user may ask about themselves) and Better Auth's code for a refusal.
struct Gate {
    event: &'static str,
    permission: Option<(Permission, &'static str)>,
}

/// Serves an admin route: the caller's session (`401`), the policy's permission (`403`), then
/// `work`; a refusal or failure is audited here, a success by `work` (with its writes).
async fn serve<F>(
    admin: Admin,
    request: Request,
    gate: Gate,
    work: impl FnOnce(Actor, Parts, Body) -> F,
) -> Response
where
    F: Future<Output = Result<Reply, AuthError>>,
{
    respond(request, |parts, body| async move {
        let request_id = crate::base::request_id(&parts.extensions);
        let service = admin.service.clone();
        let caller = service
            .run(async |conn| current(&service, &parts, conn).await)
            .await;
        let (session, user, _) = match caller {
            Ok(caller) => caller,
            Err(error) => {
                service
                    .run(async |conn| {
                        audit(
                            &service,
                            conn,
                            &request_id,
                            gate.event,
                            None,
                            Some(error.code()),
                            &Value::Null,
                        )
                        .await
                    })
                    .await?;
                return Err(error);
            }
        };
        let actor = Actor {
            admin: admin.clone(),
            user,
            session_id: session.id,
            request_id,
            event: gate.event,
        };
        let allowed = match gate.permission {
            Some((permission, code)) => actor.require(permission, code),
            None => Ok(()),
        };
        let result = match allowed {
            Ok(()) => work(actor.clone(), parts, body).await,
            Err(error) => Err(error),
        };
        if let Err(error) = &result {
            if error.code() != "INTERNAL_SERVER_ERROR" {
                tracing::info!(
                    user_id = actor.user.id,
                    event = actor.event,
                    code = error.code(),
                    "admin call refused"
                );
            }
            service
                .run(async |conn| actor.audit(conn, Some(error.code()), &Value::Null).await)
                .await?;
        }
        result
    })
    .await
}

/// Runs the body in a serializable transaction — what the last-admin rule needs: two admins
/// demoting each other at once must not both succeed — and again after a serialization
/// failure, up to five times.
macro_rules! serializable {
    ($service:expr, |$conn:ident| $body:block) => {{
        let mut attempt = 0u64;
        loop {
            let result = $service
                .run(async |conn| {
                    transaction(conn, Isolation::Serializable, async |$conn| $body).await
                })
                .await;
            match result {
                Err(error) if error.is_conflict() && attempt < 5 => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(10 * attempt)).await;
                }
                result => break result,
            }
        }
    }};
}

/// `400 LAST_ADMIN` when `target` is an admin under no ban and no other is.
async fn keep_an_admin(
    conn: &mut DbConn,
    target: &Account,
    now: Timestamp,
) -> Result<(), AuthError> {
    let (user, ban) = target;
    if user.role != Role::ADMIN.as_str() || (ban.banned && ban.ban_expires.is_none_or(|e| e > now))
    {
        return Ok(());
    }
    let id = user.id;
    let others: i64 = db!(conn, |c| auth_users::table
        .filter(auth_users::role.eq(Role::ADMIN.as_str()))
        .filter(auth_users::id.ne(id))
        .filter(
            auth_users::banned
                .eq(false)
                .or(auth_users::ban_expires.le(now))
        )
        .count()
        .get_result(c)
        .await)?;
    if others == 0 {
        return Err(AuthError::new(
            StatusCode::BAD_REQUEST,
            "LAST_ADMIN",
            "The last admin cannot be banned, removed or demoted",
        ));
    }
    Ok(())
}

/// A user id as Better Auth's client sends it: a string (or a number), here a decimal integer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UserId(i64);

impl<'de> Deserialize<'de> for UserId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<UserId, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(i64),
            Text(String),
        }
        match Raw::deserialize(deserializer) {
            Ok(Raw::Number(id)) => Ok(UserId(id)),
            Ok(Raw::Text(text)) => text
                .parse()
                .map(UserId)
                .map_err(|_| serde::de::Error::custom("expected a user id (a decimal integer)")),
            Err(_) => Err(serde::de::Error::custom(
                "expected a user id (a decimal integer)",
            )),
        }
    }
}

impl JsonSchema for UserId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "UserId".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A user id: a decimal integer, as a string (or a number)",
            "anyOf": [
                {"type": "string", "pattern": "^-?[0-9]{1,18}$"},
                {"type": "integer", "minimum": -9_223_372_036_854_775_807_i64, "maximum": 9_223_372_036_854_775_807_i64}
            ]
        })
    }
}

/// A role as Better Auth's client sends it: a string, or an array of them (one role per
/// account here).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum Roles {
    One(String),
    Many(Vec<String>),
}

impl Roles {
    /// The one role the app names; `400` otherwise.
    fn role(&self, config: &super::AuthConfig) -> Result<Role, AuthError> {
        let name = match self {
            Roles::One(name) => name,
            Roles::Many(names) => match names.as_slice() {
                [name] => name,
                _ => return Err(AuthError::validation("role: an account has one role")),
            },
        };
        config
            .roles
            .iter()
            .find(|role| role.as_str() == name)
            .cloned()
            .ok_or_else(|| {
                AuthError::new(
                    StatusCode::BAD_REQUEST,
                    "YOU_ARE_NOT_ALLOWED_TO_SET_NON_EXISTENT_VALUE",
                    "You are not allowed to set a non-existent role value",
                )
            })
    }
}

/// The query string as JSON strings, for the same field-naming errors as bodies.
fn read_query<T: serde::de::DeserializeOwned>(parts: &Parts) -> Result<T, AuthError> {
    let mut fields = Map::new();
    for pair in parts.uri.query().unwrap_or_default().split('&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |text: &str| {
            percent_encoding::percent_decode_str(&text.replace('+', " "))
                .decode_utf8()
                .map(|text| text.into_owned())
                .map_err(|_| AuthError::validation(format!("{text}: not UTF-8")))
        };
        fields.insert(decode(name)?, Value::String(decode(value)?));
    }
    serde_path_to_error::deserialize(Value::Object(fields))
        .map_err(|error| AuthError::validation(format!("{}: {}", error.path(), error.inner())))
}

/// A non-negative integer query parameter named `field`.
fn count_param(field: &str, value: Option<&str>, default: i64) -> Result<i64, AuthError> {
    match value {
        None | Some("") => Ok(default),
        Some(text) => text.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            AuthError::validation(format!("{field}: expected a non-negative integer"))
        }),
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ListUsers {
    /// The text to look for (case-insensitive).
    search_value: Option<String>,
    /// `email` (the default) or `name`.
    search_field: Option<SearchField>,
    /// `contains` (the default), `starts_with` or `ends_with`.
    search_operator: Option<SearchOperator>,
    /// At most this many users (default 100, at most 1000).
    #[schemars(regex(pattern = r"^[0-9]{1,9}$"))]
    limit: Option<String>,
    /// Skip this many.
    #[schemars(regex(pattern = r"^[0-9]{1,9}$"))]
    offset: Option<String>,
    /// `id`, `name`, `email`, `role`, `emailVerified`, `banned`, `createdAt` (the default) or `updatedAt`.
    sort_by: Option<UserField>,
    /// `asc` (the default) or `desc`.
    sort_direction: Option<SortDirection>,
    /// The field `filterValue` is compared with (default `email`).
    filter_field: Option<UserField>,
    filter_value: Option<String>,
    /// `eq` (the default) or `ne`.
    filter_operator: Option<FilterOperator>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum SearchField {
    Email,
    Name,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum SearchOperator {
    Contains,
    StartsWith,
    EndsWith,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
enum UserField {
    Id,
    Name,
    Email,
    Role,
    EmailVerified,
    Banned,
    CreatedAt,
    UpdatedAt,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum SortDirection {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum FilterOperator {
    Eq,
    Ne,
}

/// `filterValue` read as `field`'s type.
#[derive(Debug, Clone)]
enum FilterValue {
    Id(i64),
    Text(UserField, String),
    Flag(UserField, bool),
}

impl FilterValue {
    fn of(field: UserField, value: &str) -> Result<FilterValue, AuthError> {
        let flag = || match value {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(AuthError::validation("filterValue: expected true or false")),
        };
        Ok(match field {
            UserField::Id => FilterValue::Id(
                value
                    .parse()
                    .map_err(|_| AuthError::validation("filterValue: expected a user id"))?,
            ),
            UserField::Name | UserField::Email | UserField::Role => {
                FilterValue::Text(field, value.to_owned())
            }
            UserField::EmailVerified | UserField::Banned => FilterValue::Flag(field, flag()?),
            UserField::CreatedAt | UserField::UpdatedAt => {
                return Err(AuthError::validation(
                    "filterField: filter by id, name, email, role, emailVerified or banned",
                ));
            }
        })
    }
}

diesel::define_sql_function! {
    /// SQL's `lower`, the same on both backends for ASCII.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// `text` for a `LIKE … ESCAPE '\'` pattern: its wildcards taken literally.
fn like_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// `GET /api/auth/admin/list-users?searchValue=…&limit=…` → `{users, total, limit, offset}`.
async fn list_users(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.list_users",
        permission: Some((USER_LIST, "YOU_ARE_NOT_ALLOWED_TO_LIST_USERS")),
    };
    serve(admin, request, gate, |actor, parts, _| async move {
        let query: ListUsers = read_query(&parts)?;
        let limit = count_param("limit", query.limit.as_deref(), DEFAULT_LIMIT)?;
        if limit > MAX_LIMIT {
            return Err(AuthError::validation(format!("limit: at most {MAX_LIMIT}")));
        }
        let offset = count_param("offset", query.offset.as_deref(), 0)?;
        let search = query.search_value.as_deref().filter(|v| !v.is_empty()).map(|value| {
            let value = like_escaped(value);
            let pattern = match query.search_operator.unwrap_or(SearchOperator::Contains) {
                SearchOperator::Contains => format!("%{value}%"),
                SearchOperator::StartsWith => format!("{value}%"),
                SearchOperator::EndsWith => format!("%{value}"),
            };
            (query.search_field.unwrap_or(SearchField::Email), pattern)
        });
        let filter = match &query.filter_value {
            Some(value) => Some((
                FilterValue::of(query.filter_field.unwrap_or(UserField::Email), value)?,
                query.filter_operator.unwrap_or(FilterOperator::Eq),
            )),
            None => None,
        };
        let sort = (
            query.sort_by.unwrap_or(UserField::CreatedAt),
            query.sort_direction.unwrap_or(SortDirection::Asc),
        );
        let service = actor.admin.service.clone();
        let (users, total) = service
            .run(async |conn| {
                // The filters, applied alike to the page and to the count.
                macro_rules! filtered {
                    ($query:expr) => {{
                        let mut query = $query;
                        if let Some((field, pattern)) = &search {
                            query = match field {
                                SearchField::Email => query.filter(
                                    lower(auth_users::email).like(pattern.clone()).escape('\\'),
                                ),
                                SearchField::Name => query.filter(
                                    lower(auth_users::name).like(pattern.clone()).escape('\\'),
                                ),
                            };
                        }
                        if let Some((value, operator)) = &filter {
                            let eq = matches!(operator, FilterOperator::Eq);
                            query = match (value.clone(), eq) {
                                (FilterValue::Id(id), true) => query.filter(auth_users::id.eq(id)),
                                (FilterValue::Id(id), false) => query.filter(auth_users::id.ne(id)),
                                (FilterValue::Text(UserField::Name, v), true) => query.filter(auth_users::name.eq(v)),
                                (FilterValue::Text(UserField::Name, v), false) => query.filter(auth_users::name.ne(v)),
                                (FilterValue::Text(UserField::Role, v), true) => query.filter(auth_users::role.eq(v)),
                                (FilterValue::Text(UserField::Role, v), false) => query.filter(auth_users::role.ne(v)),
                                (FilterValue::Text(_, v), true) => query.filter(auth_users::email.eq(v.to_lowercase())),
                                (FilterValue::Text(_, v), false) => query.filter(auth_users::email.ne(v.to_lowercase())),
                                (FilterValue::Flag(UserField::Banned, v), true) => query.filter(auth_users::banned.eq(v)),
                                (FilterValue::Flag(UserField::Banned, v), false) => query.filter(auth_users::banned.ne(v)),
                                (FilterValue::Flag(_, v), true) => query.filter(auth_users::email_verified.eq(v)),
                                (FilterValue::Flag(_, v), false) => query.filter(auth_users::email_verified.ne(v)),
                            };
                        }
                        query
                    }};
                }
                let (users, total): (Vec<Account>, i64) = db!(conn, |c| {
                    let page = filtered!(auth_users::table
                        .select((UserRow::as_select(), BanRow::as_select()))
                        .into_boxed());
                    let page = match sort {
                        (UserField::Id, SortDirection::Asc) => page.order(auth_users::id.asc()),
                        (UserField::Id, SortDirection::Desc) => page.order(auth_users::id.desc()),
                        (UserField::Name, SortDirection::Asc) => page.order(auth_users::name.asc()),
                        (UserField::Name, SortDirection::Desc) => page.order(auth_users::name.desc()),
                        (UserField::Email, SortDirection::Asc) => page.order(auth_users::email.asc()),
                        (UserField::Email, SortDirection::Desc) => page.order(auth_users::email.desc()),
                        (UserField::Role, SortDirection::Asc) => page.order(auth_users::role.asc()),
                        (UserField::Role, SortDirection::Desc) => page.order(auth_users::role.desc()),
                        (UserField::EmailVerified, SortDirection::Asc) => page.order(auth_users::email_verified.asc()),
                        (UserField::EmailVerified, SortDirection::Desc) => page.order(auth_users::email_verified.desc()),
                        (UserField::Banned, SortDirection::Asc) => page.order(auth_users::banned.asc()),
                        (UserField::Banned, SortDirection::Desc) => page.order(auth_users::banned.desc()),
                        (UserField::CreatedAt, SortDirection::Asc) => page.order(auth_users::created_at.asc()),
                        (UserField::CreatedAt, SortDirection::Desc) => page.order(auth_users::created_at.desc()),
                        (UserField::UpdatedAt, SortDirection::Asc) => page.order(auth_users::updated_at.asc()),
                        (UserField::UpdatedAt, SortDirection::Desc) => page.order(auth_users::updated_at.desc()),
                    };
                    let users = page
                        .then_order_by(auth_users::id.asc())
                        .limit(limit)
                        .offset(offset)
                        .load(c)
                        .await?;
                    let total: i64 = filtered!(auth_users::table.count().into_boxed())
                        .get_result(c)
                        .await?;
                    Ok::<_, diesel::result::Error>((users, total))
                })?;
                actor
                    .audit(conn, None, &json!({"searchValue": query.search_value, "limit": limit, "offset": offset}))
                    .await?;
                Ok((users, total))
            })
            .await?;
        let users: Vec<AdminUserJson> = users.iter().map(AdminUserJson::new).collect();
        Ok(Reply::json(
            json!({"users": users, "total": total, "limit": limit, "offset": offset}),
        ))
    })
    .await
}

#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct GetUser {
    /// The user's id.
    #[schemars(regex(pattern = r"^-?[0-9]{1,18}$"))]
    id: String,
}

/// `GET /api/auth/admin/get-user?id=…` → the user.
async fn get_user(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.get_user",
        permission: Some((USER_GET, "YOU_ARE_NOT_ALLOWED_TO_GET_USER")),
    };
    serve(admin, request, gate, |actor, parts, _| async move {
        let query: GetUser = read_query(&parts)?;
        let id: i64 = query
            .id
            .parse()
            .map_err(|_| AuthError::validation("id: expected a user id (a decimal integer)"))?;
        let service = actor.admin.service.clone();
        let found = service
            .run(async |conn| {
                let found = account(conn, id).await?;
                actor
                    .audit(conn, None, &json!({"userId": id.to_string()}))
                    .await?;
                Ok(found)
            })
            .await?;
        Ok(Reply::json(json!(AdminUserJson::new(&found))))
    })
    .await
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateUser {
    email: String,
    /// Without one, the account cannot sign in with a password until one is set.
    #[schemars(length(min = super::password::MIN_LEN, max = super::password::MAX_LEN))]
    password: Option<String>,
    #[schemars(transform = super::routes::name_schema)]
    name: String,
    role: Option<Roles>,
    /// Extra fields: none are kept here, so any is refused.
    #[schemars(extend("maxProperties" = 0))]
    data: Option<Map<String, Value>>,
}

/// `POST /api/auth/admin/create-user {email, password?, name, role?}` → `{user}`.
async fn create_user(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.create_user",
        permission: Some((USER_CREATE, "YOU_ARE_NOT_ALLOWED_TO_CREATE_USERS")),
    };
    serve(admin, request, gate, |actor, parts, body| async move {
        let input: CreateUser = read_json(&parts, body).await?;
        let service = actor.admin.service.clone();
        let role = match &input.role {
            Some(role) => {
                actor.require(USER_SET_ROLE, "YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE")?;
                role.role(&service.config)?
            }
            None => Role::USER,
        };
        if input.data.as_ref().is_some_and(|data| !data.is_empty()) {
            return Err(AuthError::validation("data: no extra fields are kept"));
        }
        let name = users::valid_name(&input.name)
            .ok_or_else(|| AuthError::validation("name must be 1 to 100 characters"))?;
        let email = users::normalize_email(&input.email).ok_or_else(|| {
            AuthError::new(StatusCode::BAD_REQUEST, "INVALID_EMAIL", "Invalid email")
        })?;
        // No password: a hash nothing verifies against, until `set-user-password`.
        let hash = match input.password {
            Some(password) => {
                check_password(&password)?;
                service.passwords.hash(password).await?
            }
            None => String::new(),
        };
        let account_in = users::NewAccount {
            name,
            email: &email,
            image: None,
            password_hash: &hash,
            role,
        };
        let now = service.config.clock.now();
        let created = service
            .run(async |conn| {
                transaction(conn, Isolation::ReadCommitted, async |conn| {
                    let Some(user) = users::insert(conn, &account_in, now).await? else {
                        return Err(email_taken());
                    };
                    let created = account(conn, user.id).await?;
                    actor
                        .audit(conn, None, &json!({"userId": user.id.to_string(), "email": email, "role": user.role}))
                        .await?;
                    Ok(created)
                })
                .await
            })
            .await?;
        Ok(Reply::json(json!({"user": AdminUserJson::new(&created)})))
    })
    .await
}

/// Reads an optional field that may also be `null`: absent → `None`, `null` → `Some(None)`.
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct UserChanges {
    #[schemars(transform = super::routes::name_schema)]
    name: Option<String>,
    email: Option<String>,
    email_verified: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    image: Option<Option<String>>,
    role: Option<Roles>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpdateUser {
    user_id: UserId,
    /// The fields to change: `name`, `email`, `emailVerified`, `image`, `role` (a password with
    /// `set-user-password`, a ban with `ban-user`).
    data: UserChanges,
}

/// `POST /api/auth/admin/update-user {userId, data}` → the user.
async fn update_user(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.update_user",
        permission: Some((USER_UPDATE, "YOU_ARE_NOT_ALLOWED_TO_UPDATE_USERS")),
    };
    serve(admin, request, gate, |actor, parts, body| async move {
        let input: UpdateUser = read_json(&parts, body).await?;
        let changes = input.data;
        let service = actor.admin.service.clone();
        if changes.name.is_none()
            && changes.email.is_none()
            && changes.email_verified.is_none()
            && changes.image.is_none()
            && changes.role.is_none()
        {
            return Err(AuthError::new(
                StatusCode::BAD_REQUEST,
                "NO_DATA_TO_UPDATE",
                "No data to update",
            ));
        }
        let role = match &changes.role {
            Some(role) => {
                actor.require(USER_SET_ROLE, "YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE")?;
                Some(role.role(&service.config)?)
            }
            None => None,
        };
        let name = match &changes.name {
            Some(name) => Some(
                users::valid_name(name)
                    .ok_or_else(|| AuthError::validation("data.name must be 1 to 100 characters"))?
                    .to_owned(),
            ),
            None => None,
        };
        let email = match &changes.email {
            Some(email) => Some(users::normalize_email(email).ok_or_else(|| {
                AuthError::new(StatusCode::BAD_REQUEST, "INVALID_EMAIL", "Invalid email")
            })?),
            None => None,
        };
        let id = input.user_id.0;
        let now = service.config.clock.now();
        let updated = serializable!(service, |conn| {
            let target = account(conn, id).await?;
            if role.as_ref().is_some_and(|role| *role != Role::ADMIN) {
                keep_an_admin(conn, &target, now).await?;
            }
            let (target, _) = target;
            let changed = db!(&mut *conn, |c| diesel::update(auth_users::table.find(id))
                .set((
                    auth_users::name.eq(name.as_deref().unwrap_or(&target.name)),
                    auth_users::email.eq(email.as_deref().unwrap_or(&target.email)),
                    auth_users::email_verified
                        .eq(changes.email_verified.unwrap_or(target.email_verified)),
                    auth_users::image.eq(changes.image.clone().unwrap_or(target.image.clone())),
                    auth_users::role.eq(role.as_ref().map_or(target.role.as_str(), Role::as_str)),
                    auth_users::updated_at.eq(now),
                ))
                .execute(c)
                .await);
            match changed {
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => {
                    return Err(email_taken());
                }
                changed => changed?,
            };
            actor
                .audit(
                    conn,
                    None,
                    &json!({"userId": id.to_string(), "name": name, "email": email,
                        "emailVerified": changes.email_verified, "role": role.as_ref().map(Role::as_str)}),
                )
                .await?;
            account(conn, id).await
        })?;
        Ok(Reply::json(json!(AdminUserJson::new(&updated))))
    })
    .await
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SetRole {
    user_id: UserId,
    role: Roles,
}

/// `POST /api/auth/admin/set-role {userId, role}` → `{user}`.
async fn set_role(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.set_role",
        permission: Some((USER_SET_ROLE, "YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE")),
    };
    serve(admin, request, gate, |actor, parts, body| async move {
        let input: SetRole = read_json(&parts, body).await?;
        let service = actor.admin.service.clone();
        let role = input.role.role(&service.config)?;
        let (id, now) = (input.user_id.0, service.config.clock.now());
        let updated = serializable!(service, |conn| {
            let target = account(conn, id).await?;
            if role != Role::ADMIN {
                keep_an_admin(conn, &target, now).await?;
            }
            db!(&mut *conn, |c| diesel::update(auth_users::table.find(id))
                .set((
                    auth_users::role.eq(role.as_str()),
                    auth_users::updated_at.eq(now)
                ))
                .execute(c)
                .await)?;
            actor
                .audit(
                    conn,
                    None,
                    &json!({"userId": id.to_string(), "role": role.as_str()}),
                )
                .await?;
            account(conn, id).await
        })?;
        Ok(Reply::json(json!({"user": AdminUserJson::new(&updated)})))
    })
    .await
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SetUserPassword {
    user_id: UserId,
    #[schemars(length(min = super::password::MIN_LEN, max = super::password::MAX_LEN))]
    new_password: String,
}

/// `POST /api/auth/admin/set-user-password {userId, newPassword}` → `{status: true}`. The
/// account's sessions are revoked (but the caller's own).
async fn set_user_password(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.set_user_password",
        permission: Some((
            USER_SET_PASSWORD,
            "YOU_ARE_NOT_ALLOWED_TO_SET_USERS_PASSWORD",
        )),
    };
    serve(admin, request, gate, |actor, parts, body| async move {
        let input: SetUserPassword = read_json(&parts, body).await?;
        check_password(&input.new_password)?;
        let service = actor.admin.service.clone();
        let id = input.user_id.0;
        // Refuse an unknown id before spending a hash on it.
        service.run(async |conn| account(conn, id).await).await?;
        let hash = service.passwords.hash(input.new_password).await?;
        let now = service.config.clock.now();
        service
            .run(async |conn| {
                transaction(conn, Isolation::ReadCommitted, async |conn| {
                    let updated = db!(&mut *conn, |c| diesel::update(auth_users::table.find(id))
                        .set((
                            auth_users::password_hash.eq(&hash),
                            auth_users::updated_at.eq(now)
                        ))
                        .execute(c)
                        .await)?;
                    if updated == 0 {
                        return Err(user_not_found());
                    }
                    end_sessions(conn, id, Some(actor.session_id)).await?;
                    actor
                        .audit(conn, None, &json!({"userId": id.to_string()}))
                        .await
                })
                .await
            })
            .await?;
        Ok(Reply::json(json!({"status": true})))
    })
    .await
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BanUser {
    user_id: UserId,
    /// Kept with the ban ("No reason" when absent); at most 1000 characters.
    #[schemars(length(max = 1000))]
    ban_reason: Option<String>,
    /// Seconds until the ban lifts by itself; without, it lasts until `unban-user`.
    #[schemars(range(min = 1, max = 3_153_600_000_u64))]
    ban_expires_in: Option<u64>,
}

/// `POST /api/auth/admin/ban-user {userId, banReason?, banExpiresIn?}` → `{user}`; every
/// session of the account is revoked.
async fn ban_user(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.ban_user",
        permission: Some((USER_BAN, "YOU_ARE_NOT_ALLOWED_TO_BAN_USERS")),
    };
    serve(admin, request, gate, |actor, parts, body| async move {
        let input: BanUser = read_json(&parts, body).await?;
        let id = input.user_id.0;
        if id == actor.user.id {
            return Err(AuthError::new(
                StatusCode::BAD_REQUEST,
                "YOU_CANNOT_BAN_YOURSELF",
                "You cannot ban yourself",
            ));
        }
        let reason = input.ban_reason.unwrap_or_else(|| "No reason".to_owned());
        if reason.chars().count() > MAX_BAN_REASON {
            return Err(AuthError::validation(format!(
                "banReason: at most {MAX_BAN_REASON} characters"
            )));
        }
        // At most a century: a later expiry is no different, and stays a valid timestamp.
        let expires_in = match input.ban_expires_in {
            Some(0) => return Err(AuthError::validation("banExpiresIn: at least 1 second")),
            Some(seconds) if seconds > 3_153_600_000 => {
                return Err(AuthError::validation("banExpiresIn: at most 100 years"));
            }
            other => other,
        };
        let service = actor.admin.service.clone();
        let now = service.config.clock.now();
        let expires = expires_in.and_then(|seconds| {
            Timestamp::from_timestamp_micros(
                now.timestamp_micros()
                    .saturating_add(i64::try_from(seconds).unwrap_or(i64::MAX / 2_000_000) * 1_000_000),
            )
        });
        let banned = serializable!(service, |conn| {
            let target = account(conn, id).await?;
            keep_an_admin(conn, &target, now).await?;
            db!(&mut *conn, |c| diesel::update(auth_users::table.find(id))
                .set((
                    auth_users::banned.eq(true),
                    auth_users::ban_reason.eq(&reason),
                    auth_users::ban_expires.eq(expires),
                    auth_users::updated_at.eq(now),
                ))
                .execute(c)
                .await)?;
            end_sessions(conn, id, None).await?;
            actor
                .audit(
                    conn,
                    None,
                    &json!({"userId": id.to_string(), "banReason": reason, "banExpiresIn": expires_in}),
                )
                .await?;
            account(conn, id).await
        })?;
        tracing::info!(user_id = id, by = actor.user.id, "account banned; its sessions revoked");
        Ok(Reply::json(json!({"user": AdminUserJson::new(&banned)})))
    })
    .await
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TargetUser {
    user_id: UserId,
}

/// `POST /api/auth/admin/unban-user {userId}` → `{user}`.
async fn unban_user(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.unban_user",
        permission: Some((USER_BAN, "YOU_ARE_NOT_ALLOWED_TO_BAN_USERS")),
    };
    serve(admin, request, gate, |actor, parts, body| async move {
        let input: TargetUser = read_json(&parts, body).await?;
        let id = input.user_id.0;
        let service = actor.admin.service.clone();
        let now = service.config.clock.now();
        let user = service
            .run(async |conn| {
                transaction(conn, Isolation::ReadCommitted, async |conn| {
                    account(conn, id).await?;
                    db!(&mut *conn, |c| diesel::update(auth_users::table.find(id))
                        .set(unbanned(now))
                        .execute(c)
                        .await)?;
                    actor
                        .audit(conn, None, &json!({"userId": id.to_string()}))
                        .await?;
                    account(conn, id).await
                })
                .await
            })
            .await?;
        Ok(Reply::json(json!({"user": AdminUserJson::new(&user)})))
    })
    .await
}

/// `POST /api/auth/admin/list-user-sessions {userId}` → `{sessions}`, the account's live
/// sessions, oldest first. Each `token` is the session's id (only hashes of tokens are kept),
/// which `revoke-user-session` takes.
async fn list_user_sessions(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.list_user_sessions",
        permission: Some((SESSION_LIST, "YOU_ARE_NOT_ALLOWED_TO_LIST_USERS_SESSIONS")),
    };
    serve(admin, request, gate, |actor, parts, body| async move {
        let input: TargetUser = read_json(&parts, body).await?;
        let id = input.user_id.0;
        let service = actor.admin.service.clone();
        let now = service.config.clock.now();
        let sessions: Vec<SessionRow> = service
            .run(async |conn| {
                let sessions = db!(&mut *conn, |c| auth_sessions::table
                    .filter(auth_sessions::user_id.eq(id))
                    .filter(auth_sessions::expires_at.gt(now))
                    .filter(auth_sessions::absolute_expires_at.gt(now))
                    .order(auth_sessions::created_at.asc())
                    .select(SessionRow::as_select())
                    .load(c)
                    .await)?;
                actor
                    .audit(conn, None, &json!({"userId": id.to_string()}))
                    .await?;
                Ok(sessions)
            })
            .await?;
        let sessions: Vec<SessionJson> =
            sessions.iter().map(|s| SessionJson::new(s, None)).collect();
        Ok(Reply::json(json!({"sessions": sessions})))
    })
    .await
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RevokeUserSession {
    /// A session's token, or its id as `list-user-sessions` gives it.
    session_token: String,
}

/// `POST /api/auth/admin/revoke-user-session {sessionToken}` → `{success: true}` (also when no
/// such session is live).
async fn revoke_user_session(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.revoke_user_session",
        permission: Some((
            SESSION_REVOKE,
            "YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS",
        )),
    };
    serve(admin, request, gate, |actor, parts, body| async move {
        let input: RevokeUserSession = read_json(&parts, body).await?;
        let service = actor.admin.service.clone();
        service
            .run(async |conn| {
                let revoked: Option<(i64, i64)> = match input.session_token.parse::<i64>() {
                    Ok(id) => db!(&mut *conn, |c| diesel::delete(
                        auth_sessions::table.find(id)
                    )
                    .returning((auth_sessions::id, auth_sessions::user_id))
                    .get_result(c)
                    .await
                    .optional())?,
                    Err(_) => {
                        let hash = session::token_hash(&input.session_token);
                        db!(&mut *conn, |c| diesel::delete(
                            auth_sessions::table.filter(auth_sessions::token_hash.eq(&hash))
                        )
                        .returning((auth_sessions::id, auth_sessions::user_id))
                        .get_result(c)
                        .await
                        .optional())?
                    }
                };
                let input = match revoked {
                    Some((session, user)) => {
                        json!({"sessionId": session.to_string(), "userId": user.to_string()})
                    }
                    None => Value::Null,
                };
                actor.audit(conn, None, &input).await
            })
            .await?;
        Ok(Reply::json(json!({"success": true})))
    })
    .await
}

/// `POST /api/auth/admin/revoke-user-sessions {userId}` → `{success: true}`.
async fn revoke_user_sessions(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.revoke_user_sessions",
        permission: Some((
            SESSION_REVOKE,
            "YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS",
        )),
    };
    serve(admin, request, gate, |actor, parts, body| async move {
        let input: TargetUser = read_json(&parts, body).await?;
        let id = input.user_id.0;
        let service = actor.admin.service.clone();
        service
            .run(async |conn| {
                end_sessions(conn, id, None).await?;
                actor
                    .audit(conn, None, &json!({"userId": id.to_string()}))
                    .await
            })
            .await?;
        Ok(Reply::json(json!({"success": true})))
    })
    .await
}

/// `POST /api/auth/admin/remove-user {userId}` → `{success: true}`: the account and every
/// session of it are deleted.
async fn remove_user(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.remove_user",
        permission: Some((USER_DELETE, "YOU_ARE_NOT_ALLOWED_TO_DELETE_USERS")),
    };
    serve(admin, request, gate, |actor, parts, body| async move {
        let input: TargetUser = read_json(&parts, body).await?;
        let id = input.user_id.0;
        if id == actor.user.id {
            return Err(AuthError::new(
                StatusCode::BAD_REQUEST,
                "YOU_CANNOT_REMOVE_YOURSELF",
                "You cannot remove yourself",
            ));
        }
        let service = actor.admin.service.clone();
        let now = service.config.clock.now();
        serializable!(service, |conn| {
            let target = account(conn, id).await?;
            keep_an_admin(conn, &target, now).await?;
            end_sessions(conn, id, None).await?;
            db!(&mut *conn, |c| diesel::delete(auth_users::table.find(id))
                .execute(c)
                .await)?;
            actor
                .audit(
                    conn,
                    None,
                    &json!({"userId": id.to_string(), "email": target.0.email}),
                )
                .await
        })?;
        tracing::info!(user_id = id, by = actor.user.id, "account removed");
        Ok(Reply::json(json!({"success": true})))
    })
    .await
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HasPermission {
    /// Better Auth's statements: `{"user": ["list", "set-role"], "session": ["revoke"]}`.
    permissions: Option<std::collections::BTreeMap<String, Vec<String>>>,
    /// The same, under Better Auth's older name.
    permission: Option<std::collections::BTreeMap<String, Vec<String>>>,
}

/// `POST /api/auth/admin/has-permission {permissions}` → `{error: null, success}`: whether the
/// policy grants the caller every permission asked (Better Auth's names, `-` for `_`). One it
/// does not know is not granted.
async fn has_permission(State(admin): AdminState, request: Request) -> Response {
    let gate = Gate {
        event: "auth.admin.has_permission",
        permission: None,
    };
    serve(admin, request, gate, |actor, parts, body| async move {
        let input: HasPermission = read_json(&parts, body).await?;
        let Some(asked) = input.permissions.or(input.permission) else {
            return Err(AuthError::validation(
                "permissions: required (an object of resource → actions)",
            ));
        };
        let mut granted = true;
        for (resource, verbs) in &asked {
            for verb in verbs {
                let known = ADMIN_PERMISSIONS
                    .iter()
                    .find(|p| p.resource() == resource && p.verb() == verb.replace('-', "_"));
                granted &= match known {
                    Some(permission) => actor.may(*permission)?,
                    None => false,
                };
            }
        }
        let service = actor.admin.service.clone();
        service
            .run(async |conn| {
                actor
                    .audit(conn, None, &json!({"permissions": asked}))
                    .await
            })
            .await?;
        Ok(Reply::json(json!({"error": null, "success": granted})))
    })
    .await
}
