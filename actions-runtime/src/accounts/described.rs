//! What each `/api/auth/*` route takes and answers, as data the server's OpenAPI document is
//! written from. Kept beside the routes so a change to one shows next to the other; the request
//! bodies are the very structs the routes decode, the users and sessions the structs they answer.

use super::config::AuthConfig;
use super::recovery::{
    ChangeEmail, DeleteUser, RequestPasswordReset, ResetPassword, SendVerificationEmail,
    UpdateUser, VerifyPassword,
};
use super::routes::{ChangePassword, RevokeSession, SignIn, SignUp};
use super::wire::{SessionJson, UserJson};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Value, json};

/// Whether a route reads the caller's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionUse {
    /// Answers the same with or without one.
    None,
    /// Answers differently with one (`get-session`, `sign-out`).
    Optional,
    /// `401` without one.
    Required,
}

/// One route of the account service.
#[derive(Debug)]
pub(crate) struct AuthRoute {
    /// `"get"` or `"post"`.
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    pub(crate) operation_id: &'static str,
    pub(crate) summary: &'static str,
    /// JSON Schema of the JSON body it reads.
    pub(crate) request: Option<Value>,
    /// JSON Schema of its `200` body; `$ref`s name [`SHARED`] schemas by their component name.
    pub(crate) response: Value,
    /// Whether a `200` sets or clears the session cookie.
    pub(crate) sets_cookie: bool,
    pub(crate) session: SessionUse,
    /// Every error status it answers, each with when.
    pub(crate) errors: Vec<(u16, &'static str)>,
}

/// The component names of the shapes several routes answer.
pub(crate) const USER: &str = "auth.User";
pub(crate) const SESSION: &str = "auth.Session";
pub(crate) const ERROR: &str = "auth.Error";

/// The schemas the routes' answers share, by component name.
pub(crate) fn shared() -> Vec<(&'static str, Value)> {
    let mut generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    vec![
        (USER, schema::<UserJson>(&mut generator)),
        (SESSION, schema::<SessionJson>(&mut generator)),
        (
            ADMIN_USER,
            schema::<super::admin::AdminUserJson>(&mut generator),
        ),
        (
            ERROR,
            json!({
                "description": "An account route's failure, in Better Auth's shape.",
                "type": "object",
                "properties": {
                    "code": {"type": "string", "description": "UPPER_SNAKE, e.g. `INVALID_EMAIL_OR_PASSWORD`"},
                    "message": {"type": "string"}
                },
                "required": ["code", "message"]
            }),
        ),
    ]
}

/// The name of the session cookie under `config` (`__Secure-` prefixed over https).
pub(crate) fn cookie_name(config: &AuthConfig) -> String {
    super::session::cookie_name(config).to_owned()
}

fn schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Value {
    let mut schema: Value = generator.root_schema_for::<T>().into();
    if let Some(object) = schema.as_object_mut() {
        object.remove("$schema");
    }
    schema
}

fn request<T: JsonSchema>() -> Option<Value> {
    let mut generator = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    Some(schema::<T>(&mut generator))
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The answers of a body-reading route that refuses what is not small JSON.
const BODY: [(u16, &str); 3] = [
    (
        400,
        "the body is not the JSON this route reads, or a value is refused",
    ),
    (413, "the body is larger than 64 KiB"),
    (415, "the body is not `application/json`"),
];
const CSRF: (u16, &str) = (
    403,
    "a request carrying the session cookie came from an origin that is not trusted",
);
const SIGNED_OUT: (u16, &str) = (401, "no valid session");
const CALLBACK: (u16, &str) = (
    403,
    "a callback URL off the app's origin and its trusted origins (`INVALID_CALLBACK_URL`), or a request carrying the session cookie from an origin that is not trusted",
);
const LIMITED: (u16, &str) = (429, "too many attempts; `Retry-After` says when to retry");
const FAILED: [(u16, &str); 2] = [
    (500, "the server failed (logged)"),
    (503, "the database is unavailable"),
];

fn errors(parts: &[&[(u16, &'static str)]]) -> Vec<(u16, &'static str)> {
    let mut all: Vec<(u16, &'static str)> = parts.iter().flat_map(|p| p.iter().copied()).collect();
    all.sort_by_key(|(status, _)| *status);
    all
}

/// Every JSON route, in the order `routes::router` lists them. The links mailed to users
/// (`GET reset-password/{token}`, `GET verify-email`, `GET delete-user/callback`) are for
/// browsers to follow, answer redirects, and are documented in `docs/auth.md` only.
pub(crate) fn routes() -> Vec<AuthRoute> {
    let signed_in = |extra: Value| {
        let mut properties = json!({
            "token": {"type": "string", "description": "The session token, also usable as `Authorization: Bearer`"},
            "user": reference(USER),
        });
        let mut required = vec!["token", "user"];
        if let (Some(properties), Some(extra)) = (properties.as_object_mut(), extra.as_object()) {
            for (name, schema) in extra {
                properties.insert(name.clone(), schema.clone());
            }
        }
        if extra.get("redirect").is_some() {
            required.insert(0, "redirect");
        }
        json!({"type": "object", "properties": properties, "required": required})
    };
    let status = json!({"type": "object", "properties": {"status": {"const": true}}, "required": ["status"]});
    vec![
        AuthRoute {
            method: "post",
            path: "/api/auth/sign-up/email",
            operation_id: "auth.signUpEmail",
            summary: "Create an account with an email and a password, and sign it in",
            request: request::<SignUp>(),
            response: signed_in(json!({})),
            sets_cookie: true,
            session: SessionUse::None,
            errors: errors(&[
                &BODY,
                &[CSRF, LIMITED],
                &[(422, "an account with this email already exists")],
                &FAILED,
            ]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/sign-in/email",
            operation_id: "auth.signInEmail",
            summary: "Sign in with an email and a password",
            request: request::<SignIn>(),
            response: signed_in(json!({"redirect": {"const": false}})),
            sets_cookie: true,
            session: SessionUse::None,
            errors: errors(&[
                &BODY,
                &[(401, "unknown email or wrong password"), CSRF, LIMITED],
                &FAILED,
            ]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/sign-out",
            operation_id: "auth.signOut",
            summary: "Revoke the request's session and clear its cookie",
            request: None,
            response: json!({"type": "object", "properties": {"success": {"const": true}}, "required": ["success"]}),
            sets_cookie: true,
            session: SessionUse::Optional,
            errors: errors(&[
                &[(400, "the request carries no session token"), CSRF],
                &FAILED,
            ]),
        },
        AuthRoute {
            method: "get",
            path: "/api/auth/get-session",
            operation_id: "auth.getSession",
            summary: "The request's session and user, or `null` when signed out",
            request: None,
            response: json!({"oneOf": [
                {"type": "null"},
                {"type": "object", "properties": {"session": reference(SESSION), "user": reference(USER)}, "required": ["session", "user"]}
            ]}),
            sets_cookie: false,
            session: SessionUse::Optional,
            errors: errors(&[&FAILED]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/change-password",
            operation_id: "auth.changePassword",
            summary: "Change the password; with `revokeOtherSessions`, every other session is revoked",
            request: request::<ChangePassword>(),
            response: json!({"type": "object", "properties": {"token": {"type": "null"}, "user": reference(USER)}, "required": ["token", "user"]}),
            sets_cookie: false,
            session: SessionUse::Required,
            errors: errors(&[&BODY, &[SIGNED_OUT, CSRF, LIMITED], &FAILED]),
        },
        AuthRoute {
            method: "get",
            path: "/api/auth/list-sessions",
            operation_id: "auth.listSessions",
            summary: "The user's live sessions",
            request: None,
            response: json!({"type": "array", "items": reference(SESSION)}),
            sets_cookie: false,
            session: SessionUse::Required,
            errors: errors(&[
                &[
                    SIGNED_OUT,
                    (
                        403,
                        "the session is older than `freshAge` (`SESSION_NOT_FRESH`)",
                    ),
                ],
                &FAILED,
            ]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/revoke-session",
            operation_id: "auth.revokeSession",
            summary: "Revoke one of the user's sessions, by token or by the id `list-sessions` gives",
            request: request::<RevokeSession>(),
            response: status.clone(),
            sets_cookie: true,
            session: SessionUse::Required,
            errors: errors(&[&BODY, &[SIGNED_OUT, CSRF], &FAILED]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/revoke-other-sessions",
            operation_id: "auth.revokeOtherSessions",
            summary: "Revoke every session of the user but this one",
            request: None,
            response: status.clone(),
            sets_cookie: false,
            session: SessionUse::Required,
            errors: errors(&[&[SIGNED_OUT, CSRF], &FAILED]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/revoke-sessions",
            operation_id: "auth.revokeSessions",
            summary: "Revoke every session of the user, this one included",
            request: None,
            response: status.clone(),
            sets_cookie: true,
            session: SessionUse::Required,
            errors: errors(&[&[SIGNED_OUT, CSRF], &FAILED]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/request-password-reset",
            operation_id: "auth.requestPasswordReset",
            summary: "Mail a password-reset link, if the address has an account; the answer is the same either way",
            request: request::<RequestPasswordReset>(),
            response: json!({"type": "object", "properties": {"status": {"const": true}, "message": {"type": "string"}}, "required": ["status", "message"]}),
            sets_cookie: false,
            session: SessionUse::None,
            errors: errors(&[&BODY, &[CALLBACK, LIMITED], &FAILED]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/reset-password",
            operation_id: "auth.resetPassword",
            summary: "Set a new password with a mailed token; every session of the account is revoked",
            request: request::<ResetPassword>(),
            response: status.clone(),
            sets_cookie: false,
            session: SessionUse::None,
            errors: errors(&[&BODY, &[CSRF, LIMITED], &FAILED]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/verify-password",
            operation_id: "auth.verifyPassword",
            summary: "Check the user's password again, before a sensitive step",
            request: request::<VerifyPassword>(),
            response: status.clone(),
            sets_cookie: false,
            session: SessionUse::Required,
            errors: errors(&[&BODY, &[SIGNED_OUT, CSRF, LIMITED], &FAILED]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/send-verification-email",
            operation_id: "auth.sendVerificationEmail",
            summary: "Mail a link that verifies the address",
            request: request::<SendVerificationEmail>(),
            response: status.clone(),
            sets_cookie: false,
            session: SessionUse::Optional,
            errors: errors(&[&BODY, &[SIGNED_OUT, CALLBACK, LIMITED], &FAILED]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/update-user",
            operation_id: "auth.updateUser",
            summary: "Change the user's name or image (not the email: see change-email)",
            request: request::<UpdateUser>(),
            response: status.clone(),
            sets_cookie: false,
            session: SessionUse::Required,
            errors: errors(&[&BODY, &[SIGNED_OUT, CSRF, LIMITED], &FAILED]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/change-email",
            operation_id: "auth.changeEmail",
            summary: "Change the account's address: a verified one once the new address confirms",
            request: request::<ChangeEmail>(),
            response: status,
            sets_cookie: false,
            session: SessionUse::Required,
            errors: errors(&[&BODY, &[SIGNED_OUT, CALLBACK, LIMITED], &FAILED]),
        },
        AuthRoute {
            method: "post",
            path: "/api/auth/delete-user",
            operation_id: "auth.deleteUser",
            summary: "Delete the account and its sessions (with the password, a mailed token, or a fresh session), or mail a confirmation link",
            request: request::<DeleteUser>(),
            response: json!({"type": "object", "properties": {"success": {"const": true}, "message": {"type": "string"}}, "required": ["success", "message"]}),
            sets_cookie: true,
            session: SessionUse::Required,
            errors: errors(&[
                &BODY,
                &[
                    SIGNED_OUT,
                    CALLBACK,
                    (404, "the token is not a deletion token of this account"),
                    LIMITED,
                ],
                &FAILED,
            ]),
        },
    ]
}

/// The shape `user` has in the admin routes' answers: with its ban.
pub(crate) const ADMIN_USER: &str = "auth.AdminUser";

/// A query parameter of a `GET` route: name, whether required, what it is, its schema.
pub(crate) type QueryParameter = (&'static str, bool, &'static str, Value);

/// The query parameters of the route at `path`.
pub(crate) fn query_parameters(path: &str) -> Vec<QueryParameter> {
    let count = || json!({"type": "string", "pattern": "^[0-9]{1,9}$"});
    let field = || json!({"enum": ["id", "name", "email", "role", "emailVerified", "banned", "createdAt", "updatedAt"]});
    match path {
        "/api/auth/admin/list-users" => vec![
            (
                "searchValue",
                false,
                "Text to look for, case-insensitive",
                json!({"type": "string"}),
            ),
            (
                "searchField",
                false,
                "`email` (the default) or `name`",
                json!({"enum": ["email", "name"]}),
            ),
            (
                "searchOperator",
                false,
                "`contains` (the default), `starts_with` or `ends_with`",
                json!({"enum": ["contains", "starts_with", "ends_with"]}),
            ),
            (
                "limit",
                false,
                "At most this many users: 100 unless given, at most 1000",
                count(),
            ),
            ("offset", false, "Skip this many", count()),
            (
                "sortBy",
                false,
                "The field to sort by (`createdAt` unless given; then by id)",
                field(),
            ),
            (
                "sortDirection",
                false,
                "`asc` (the default) or `desc`",
                json!({"enum": ["asc", "desc"]}),
            ),
            (
                "filterField",
                false,
                "The field `filterValue` is compared with (`email` unless given; not a date)",
                field(),
            ),
            (
                "filterValue",
                false,
                "The value (`true`/`false` for a flag)",
                json!({"type": "string"}),
            ),
            (
                "filterOperator",
                false,
                "`eq` (the default) or `ne`",
                json!({"enum": ["eq", "ne"]}),
            ),
        ],
        "/api/auth/admin/get-user" => vec![(
            "id",
            true,
            "The user's id",
            json!({"type": "string", "pattern": "^-?[0-9]{1,18}$"}),
        )],
        _ => Vec::new(),
    }
}

/// The admin routes (`admin::router`), in its order. Each asks the policy for a permission:
/// `403` with Better Auth's code when it is not granted.
pub(crate) fn admin_routes() -> Vec<AuthRoute> {
    use super::admin::{
        BanUser, CreateUser, HasPermission, RevokeUserSession, SetRole, SetUserPassword,
        TargetUser, UpdateUser,
    };
    let user = || json!({"type": "object", "properties": {"user": reference(ADMIN_USER)}, "required": ["user"]});
    let success = || json!({"type": "object", "properties": {"success": {"const": true}}, "required": ["success"]});
    const DENIED: (u16, &str) = (
        403,
        "the policy does not grant the permission, or the origin is not trusted",
    );
    const QUERY: (u16, &str) = (400, "a query parameter is refused (named in the message)");
    const UNKNOWN: (u16, &str) = (404, "no such user (`USER_NOT_FOUND`)");
    const RULES: (u16, &str) = (
        400,
        "the body is refused, or a rule: `LAST_ADMIN`, `YOU_CANNOT_BAN_YOURSELF`, `YOU_CANNOT_REMOVE_YOURSELF`, an unknown role",
    );
    let admin = |method,
                 path,
                 operation_id,
                 summary,
                 request,
                 response,
                 errors: &[&[(u16, &'static str)]]| AuthRoute {
        method,
        path,
        operation_id,
        summary,
        request,
        response,
        sets_cookie: false,
        session: SessionUse::Required,
        errors: {
            let mut all = errors.to_vec();
            all.push(&FAILED);
            let mut listed = super::described::errors(&all);
            listed.dedup_by_key(|(status, _)| *status);
            listed
        },
    };
    vec![
        admin(
            "get",
            "/api/auth/admin/list-users",
            "auth.admin.listUsers",
            "Users, searched, filtered, sorted and paged",
            None,
            json!({"type": "object", "properties": {"users": {"type": "array", "items": reference(ADMIN_USER)}, "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"}}, "required": ["users", "total", "limit", "offset"]}),
            &[&[QUERY, SIGNED_OUT, DENIED]],
        ),
        admin(
            "get",
            "/api/auth/admin/get-user",
            "auth.admin.getUser",
            "One user",
            None,
            reference(ADMIN_USER),
            &[&[QUERY, SIGNED_OUT, DENIED, UNKNOWN]],
        ),
        admin(
            "post",
            "/api/auth/admin/create-user",
            "auth.admin.createUser",
            "Create an account (a role needs `user:set_role` too)",
            request::<CreateUser>(),
            user(),
            &[&BODY, &[SIGNED_OUT, DENIED]],
        ),
        admin(
            "post",
            "/api/auth/admin/update-user",
            "auth.admin.updateUser",
            "Change an account's name, email, verification, image or role",
            request::<UpdateUser>(),
            reference(ADMIN_USER),
            &[&BODY, &[RULES, SIGNED_OUT, DENIED, UNKNOWN]],
        ),
        admin(
            "post",
            "/api/auth/admin/set-role",
            "auth.admin.setRole",
            "Set an account's role",
            request::<SetRole>(),
            user(),
            &[&BODY, &[RULES, SIGNED_OUT, DENIED, UNKNOWN]],
        ),
        admin(
            "post",
            "/api/auth/admin/set-user-password",
            "auth.admin.setUserPassword",
            "Set an account's password; its sessions are revoked",
            request::<SetUserPassword>(),
            json!({"type": "object", "properties": {"status": {"const": true}}, "required": ["status"]}),
            &[&BODY, &[SIGNED_OUT, DENIED, UNKNOWN]],
        ),
        admin(
            "post",
            "/api/auth/admin/ban-user",
            "auth.admin.banUser",
            "Ban an account, for a while or until unbanned; its sessions are revoked",
            request::<BanUser>(),
            user(),
            &[&BODY, &[RULES, SIGNED_OUT, DENIED, UNKNOWN]],
        ),
        admin(
            "post",
            "/api/auth/admin/unban-user",
            "auth.admin.unbanUser",
            "Lift an account's ban",
            request::<TargetUser>(),
            user(),
            &[&BODY, &[SIGNED_OUT, DENIED, UNKNOWN]],
        ),
        admin(
            "post",
            "/api/auth/admin/list-user-sessions",
            "auth.admin.listUserSessions",
            "An account's live sessions (each `token` is the session's id)",
            request::<TargetUser>(),
            json!({"type": "object", "properties": {"sessions": {"type": "array", "items": reference(SESSION)}}, "required": ["sessions"]}),
            &[&BODY, &[SIGNED_OUT, DENIED]],
        ),
        admin(
            "post",
            "/api/auth/admin/revoke-user-session",
            "auth.admin.revokeUserSession",
            "Revoke one session, by token or id",
            request::<RevokeUserSession>(),
            success(),
            &[&BODY, &[SIGNED_OUT, DENIED]],
        ),
        admin(
            "post",
            "/api/auth/admin/revoke-user-sessions",
            "auth.admin.revokeUserSessions",
            "Revoke every session of an account",
            request::<TargetUser>(),
            success(),
            &[&BODY, &[SIGNED_OUT, DENIED]],
        ),
        admin(
            "post",
            "/api/auth/admin/remove-user",
            "auth.admin.removeUser",
            "Delete an account and its sessions",
            request::<TargetUser>(),
            success(),
            &[&BODY, &[RULES, SIGNED_OUT, DENIED, UNKNOWN]],
        ),
        admin(
            "post",
            "/api/auth/admin/has-permission",
            "auth.admin.hasPermission",
            "Whether the policy grants the caller every permission named",
            request::<HasPermission>(),
            json!({"type": "object", "properties": {"error": {"type": "null"}, "success": {"type": "boolean"}}, "required": ["error", "success"]}),
            &[&BODY, &[SIGNED_OUT, CSRF]],
        ),
    ]
}
