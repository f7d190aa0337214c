//! Better Auth's admin routes through real sessions: their shapes, the policy's refusals, the
//! last-admin rule, bans (sign-in refused, sessions ended, expiry on the server's clock) and
//! the audit log.

use crate::{App, Member, ORIGIN, PASSWORD};
use actions_runtime::acl::{Decides, Permission, Policy, ResourceRules};
use actions_runtime::auth::{AuthConfig, RateLimit, RateLimits, Role, User};
use actions_runtime::http::StatusCode;
use actions_runtime::testing::{Backend, ManualClock, TestClient, TestDb, TestResponse};
use actions_runtime::{Server, db::RUNTIME_MIGRATIONS};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const MODERATOR: Role = Role::new("moderator");

/// The blog's policy, plus moderators who may ban and remove accounts (and nothing else): so
/// the last-admin rule can be met by someone other than the last admin.
struct WithModerators;

impl Policy for WithModerators {
    fn decides(&self) -> Decides<'_> {
        Decides::Every
    }

    fn allows(&self, user: &User, permission: Permission, action: &str) -> bool {
        let moderates = user.has_role(&MODERATOR)
            && permission.resource() == "user"
            && matches!(permission.verb(), "ban" | "delete" | "set_role" | "get");
        moderates || example_app::policy::BlogPolicy.allows(user, permission, action)
    }

    fn resources(&self, rules: &mut ResourceRules) {
        example_app::policy::BlogPolicy.resources(rules);
    }
}

/// The app with moderators, on a clock the test moves.
async fn spawn(backend: Backend) -> (App, ManualClock) {
    let db = TestDb::new(backend, &RUNTIME_MIGRATIONS).await;
    db.database()
        .migrate(&example_app::MIGRATIONS)
        .await
        .expect("app migrations");
    let clock = ManualClock::new();
    let server = example_app::configure(
        Server::builder(example_app::actions::registry())
            .database(db.database().clone())
            .auth(config())
            .clock(Arc::new(clock.clone())),
    )
    .policy(WithModerators)
    .build()
    .expect("the app builds");
    let app = App {
        client: TestClient::new(server.router()),
        db,
    };
    (app, clock)
}

fn config() -> AuthConfig {
    // These tests sign in far more often than Better Auth's 3 per 10 s from one address, on a
    // clock that stands still.
    let many = RateLimit::new(1_000, std::time::Duration::from_secs(60));
    AuthConfig::new(ORIGIN)
        .expect("localhost")
        .role(MODERATOR)
        .rate_limits(RateLimits {
            sign_in_per_ip: many,
            sign_up_per_ip: many,
            ..RateLimits::default()
        })
}

async fn call(member: &Member, route: &str, body: Value) -> TestResponse {
    member
        .client
        .post(&format!("/api/auth/admin/{route}"))
        .json(&body)
        .send()
        .await
}

async fn get(member: &Member, route: &str) -> TestResponse {
    member
        .client
        .get(&format!("/api/auth/admin/{route}"))
        .send()
        .await
}

async fn sign_in(app: &App, email: &str, password: &str) -> TestResponse {
    app.client
        .post("/api/auth/sign-in/email")
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
}

async fn session_of(member: &Member) -> Value {
    member
        .client
        .get("/api/auth/get-session")
        .send()
        .await
        .json()
}

fn refused(response: &TestResponse, status: StatusCode, code: &str) {
    assert_eq!(
        (response.status, response.code()),
        (status, code.to_owned()),
        "{}",
        response.json()
    );
}

async fn routes_answer_better_auths_shapes(backend: Backend) {
    let (app, _) = spawn(backend).await;
    let root = app.admin("root").await;
    let ada = app.user("ada").await;
    let bob = app.user("bob").await;

    let response = get(&root, "list-users?sortBy=id").await;
    response.assert_status(StatusCode::OK);
    let list = response.json();
    assert_eq!(
        (
            list["total"].clone(),
            list["limit"].clone(),
            list["offset"].clone()
        ),
        (json!(3), json!(100), json!(0))
    );
    let first = &list["users"][0];
    assert_eq!(first["email"], "root@example.test", "by id");
    assert_eq!(
        (
            first["role"].clone(),
            first["banned"].clone(),
            first["banReason"].clone(),
            first["banExpires"].clone()
        ),
        (json!("admin"), json!(false), Value::Null, Value::Null)
    );
    let page = get(
        &root,
        "list-users?sortBy=email&sortDirection=desc&limit=1&offset=1",
    )
    .await
    .json();
    assert_eq!(
        (
            page["users"].as_array().unwrap().len(),
            page["users"][0]["email"].clone(),
            page["total"].clone()
        ),
        (1, json!("bob@example.test"), json!(3))
    );
    let found = get(
        &root,
        "list-users?searchValue=B&searchField=name&searchOperator=starts_with",
    )
    .await
    .json();
    assert_eq!(
        (found["total"].clone(), found["users"][0]["name"].clone()),
        (json!(1), json!("bob"))
    );
    let filtered = get(&root, "list-users?filterField=role&filterValue=admin")
        .await
        .json();
    assert_eq!(filtered["total"], 1);
    let wildcard = get(&root, "list-users?searchValue=%25").await.json();
    assert_eq!(wildcard["total"], 0, "a % is looked for, not a wildcard");
    refused(
        &get(&root, "list-users?limit=1001").await,
        StatusCode::BAD_REQUEST,
        "VALIDATION_ERROR",
    );
    let response = get(&root, "list-users?sortBy=password").await;
    refused(&response, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(
        response.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("sortBy"),
        "names the field"
    );

    let user = get(&root, &format!("get-user?id={}", ada.id)).await.json();
    assert_eq!(
        (user["id"].clone(), user["name"].clone()),
        (json!(ada.id.to_string()), json!("ada"))
    );
    refused(
        &get(&root, "get-user?id=999999").await,
        StatusCode::NOT_FOUND,
        "USER_NOT_FOUND",
    );
    refused(
        &get(&root, "get-user?id=x").await,
        StatusCode::BAD_REQUEST,
        "VALIDATION_ERROR",
    );

    // create-user: the account signs in with its password; a taken email is refused.
    let response = call(
        &root,
        "create-user",
        json!({"email": "Cy@Example.test", "password": PASSWORD, "name": "Cy", "role": "user"}),
    )
    .await;
    response.assert_status(StatusCode::OK);
    let cy = response.json()["user"].clone();
    assert_eq!(
        (cy["email"].clone(), cy["role"].clone()),
        (json!("cy@example.test"), json!("user"))
    );
    sign_in(&app, "cy@example.test", PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    refused(
        &call(
            &root,
            "create-user",
            json!({"email": "cy@example.test", "password": PASSWORD, "name": "Cy"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
    );
    refused(
        &call(
            &root,
            "create-user",
            json!({"email": "x@example.test", "password": "short", "name": "X"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "PASSWORD_TOO_SHORT",
    );
    refused(
        &call(
            &root,
            "create-user",
            json!({"email": "x@example.test", "name": "X", "role": "emperor"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "YOU_ARE_NOT_ALLOWED_TO_SET_NON_EXISTENT_VALUE",
    );

    // update-user answers the user; an unknown field (a password) is refused, naming it.
    let updated = call(
        &root,
        "update-user",
        json!({"userId": ada.id.to_string(), "data": {"name": "Ada L.", "emailVerified": true}}),
    )
    .await;
    updated.assert_status(StatusCode::OK);
    assert_eq!(
        (
            updated.json()["name"].clone(),
            updated.json()["emailVerified"].clone()
        ),
        (json!("Ada L."), json!(true))
    );
    let response = call(
        &root,
        "update-user",
        json!({"userId": ada.id, "data": {"password": "x"}}),
    )
    .await;
    refused(&response, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(
        response.json()["message"]
            .as_str()
            .unwrap()
            .contains("password")
    );
    refused(
        &call(&root, "update-user", json!({"userId": ada.id, "data": {}})).await,
        StatusCode::BAD_REQUEST,
        "NO_DATA_TO_UPDATE",
    );
    refused(
        &call(
            &root,
            "update-user",
            json!({"userId": ada.id, "data": {"email": "bob@example.test"}}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
    );

    let promoted = call(
        &root,
        "set-role",
        json!({"userId": bob.id.to_string(), "role": ["admin"]}),
    )
    .await;
    assert_eq!(promoted.json()["user"]["role"], "admin");
    let user_again = call(
        &root,
        "set-role",
        json!({"userId": bob.id.to_string(), "role": "user"}),
    )
    .await;
    assert_eq!(user_again.json()["user"]["role"], "user");

    // Sessions: listed by id, revoked one by one or all at once.
    let second = sign_in(&app, "ada@example.test", PASSWORD).await;
    second.assert_status(StatusCode::OK);
    let sessions = call(
        &root,
        "list-user-sessions",
        json!({"userId": ada.id.to_string()}),
    )
    .await
    .json();
    let sessions = sessions["sessions"].as_array().unwrap().clone();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["userId"], ada.id.to_string());
    let revoked = call(
        &root,
        "revoke-user-session",
        json!({"sessionToken": sessions[0]["token"]}),
    )
    .await;
    assert_eq!(revoked.json(), json!({"success": true}));
    assert_eq!(
        session_of(&ada).await,
        Value::Null,
        "the first session is gone"
    );
    let revoked = call(
        &root,
        "revoke-user-sessions",
        json!({"userId": ada.id.to_string()}),
    )
    .await;
    assert_eq!(revoked.json(), json!({"success": true}));
    assert_eq!(
        app.db
            .count(&format!(
                "SELECT count(*) FROM auth_sessions WHERE user_id = {}",
                ada.id
            ))
            .await,
        0
    );

    // set-user-password: the new password works, the old one not, the account's sessions end.
    let bob_session = session_of(&bob).await;
    assert!(bob_session.is_object());
    let response = call(
        &root,
        "set-user-password",
        json!({"userId": bob.id.to_string(), "newPassword": "another long password"}),
    )
    .await;
    assert_eq!(response.json(), json!({"status": true}));
    assert_eq!(session_of(&bob).await, Value::Null);
    refused(
        &sign_in(&app, "bob@example.test", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_EMAIL_OR_PASSWORD",
    );
    sign_in(&app, "bob@example.test", "another long password")
        .await
        .assert_status(StatusCode::OK);

    // remove-user deletes the account and its sessions.
    let removed = call(&root, "remove-user", json!({"userId": bob.id.to_string()})).await;
    assert_eq!(removed.json(), json!({"success": true}));
    assert_eq!(
        app.db
            .count(&format!(
                "SELECT count(*) FROM auth_sessions WHERE user_id = {}",
                bob.id
            ))
            .await,
        0
    );
    refused(
        &get(&root, &format!("get-user?id={}", bob.id)).await,
        StatusCode::NOT_FOUND,
        "USER_NOT_FOUND",
    );
    refused(
        &call(&root, "remove-user", json!({"userId": root.id})).await,
        StatusCode::BAD_REQUEST,
        "YOU_CANNOT_REMOVE_YOURSELF",
    );

    let asked = call(
        &root,
        "has-permission",
        json!({"permissions": {"user": ["list", "set-role"], "session": ["revoke"]}}),
    )
    .await;
    assert_eq!(asked.json(), json!({"error": null, "success": true}));
    let unknown = call(
        &root,
        "has-permission",
        json!({"permissions": {"user": ["impersonate"]}}),
    )
    .await;
    assert_eq!(
        unknown.json(),
        json!({"error": null, "success": false}),
        "not a permission here"
    );
    refused(
        &call(&root, "has-permission", json!({})).await,
        StatusCode::BAD_REQUEST,
        "VALIDATION_ERROR",
    );

    // Every call is audited, with its actor.
    let audited = app.db.count(&format!("SELECT count(*) FROM action_audit_events WHERE action LIKE 'auth.admin.%' AND actor_id = {}", root.id)).await;
    assert!(audited >= 25, "{audited} admin events");
    assert_eq!(
        app.db.count("SELECT count(*) FROM action_audit_events WHERE action = 'auth.admin.remove_user' AND outcome = 'success'").await,
        1
    );
}

async fn the_policy_refuses_everyone_else(backend: Backend) {
    let (app, _) = spawn(backend).await;
    let root = app.admin("root").await;
    let ada = app.user("ada").await;
    let target = json!({"userId": root.id.to_string()});
    let posts: [(&str, Value, &str); 10] = [
        (
            "create-user",
            json!({"email": "x@example.test", "password": PASSWORD, "name": "X"}),
            "YOU_ARE_NOT_ALLOWED_TO_CREATE_USERS",
        ),
        (
            "update-user",
            json!({"userId": root.id, "data": {"name": "x"}}),
            "YOU_ARE_NOT_ALLOWED_TO_UPDATE_USERS",
        ),
        (
            "set-role",
            json!({"userId": ada.id, "role": "admin"}),
            "YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE",
        ),
        (
            "set-user-password",
            json!({"userId": root.id, "newPassword": "a new long password"}),
            "YOU_ARE_NOT_ALLOWED_TO_SET_USERS_PASSWORD",
        ),
        (
            "ban-user",
            target.clone(),
            "YOU_ARE_NOT_ALLOWED_TO_BAN_USERS",
        ),
        (
            "unban-user",
            target.clone(),
            "YOU_ARE_NOT_ALLOWED_TO_BAN_USERS",
        ),
        (
            "list-user-sessions",
            target.clone(),
            "YOU_ARE_NOT_ALLOWED_TO_LIST_USERS_SESSIONS",
        ),
        (
            "revoke-user-session",
            json!({"sessionToken": root.token}),
            "YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS",
        ),
        (
            "revoke-user-sessions",
            target.clone(),
            "YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS",
        ),
        (
            "remove-user",
            target.clone(),
            "YOU_ARE_NOT_ALLOWED_TO_DELETE_USERS",
        ),
    ];
    for (route, body, code) in posts {
        refused(
            &call(&ada, route, body.clone()).await,
            StatusCode::FORBIDDEN,
            code,
        );
        let signed_out = app
            .client
            .post(&format!("/api/auth/admin/{route}"))
            .json(&body)
            .send()
            .await;
        refused(&signed_out, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    }
    refused(
        &get(&ada, "list-users").await,
        StatusCode::FORBIDDEN,
        "YOU_ARE_NOT_ALLOWED_TO_LIST_USERS",
    );
    refused(
        &get(&ada, &format!("get-user?id={}", root.id)).await,
        StatusCode::FORBIDDEN,
        "YOU_ARE_NOT_ALLOWED_TO_GET_USER",
    );
    let asked = call(
        &ada,
        "has-permission",
        json!({"permission": {"user": ["list"]}}),
    )
    .await;
    assert_eq!(asked.json(), json!({"error": null, "success": false}));
    // Nothing changed: root is still an admin with a live session.
    assert_eq!(session_of(&root).await["user"]["role"], "admin");
    let denials = app.db.count(&format!("SELECT count(*) FROM action_audit_events WHERE action LIKE 'auth.admin.%' AND actor_id = {} AND outcome = 'failure'", ada.id)).await;
    assert_eq!(denials, 12, "every refusal is audited");
    // A cross-site request with the admin's cookie reaches nothing.
    let forged = app
        .client
        .with_header(
            "cookie",
            &format!("better-auth.session_token={}", root.token),
        )
        .with_header("origin", "https://evil.example")
        .post("/api/auth/admin/ban-user")
        .json(&json!({"userId": ada.id}))
        .send()
        .await;
    refused(&forged, StatusCode::FORBIDDEN, "INVALID_ORIGIN");
}

async fn the_last_admin_stays(backend: Backend) {
    let (app, _) = spawn(backend).await;
    let root = app.admin("root").await;
    let ada = app.user("ada").await;
    let moderator = app.user("mod").await;
    call(
        &root,
        "set-role",
        json!({"userId": moderator.id, "role": "moderator"}),
    )
    .await
    .assert_status(StatusCode::OK);
    refused(
        &call(
            &root,
            "set-role",
            json!({"userId": root.id, "role": "user"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "LAST_ADMIN",
    );
    refused(
        &call(
            &root,
            "update-user",
            json!({"userId": root.id, "data": {"role": "user"}}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "LAST_ADMIN",
    );
    refused(
        &call(&root, "ban-user", json!({"userId": root.id})).await,
        StatusCode::BAD_REQUEST,
        "YOU_CANNOT_BAN_YOURSELF",
    );
    refused(
        &call(&moderator, "ban-user", json!({"userId": root.id})).await,
        StatusCode::BAD_REQUEST,
        "LAST_ADMIN",
    );
    refused(
        &call(&moderator, "remove-user", json!({"userId": root.id})).await,
        StatusCode::BAD_REQUEST,
        "LAST_ADMIN",
    );
    refused(
        &call(
            &moderator,
            "set-role",
            json!({"userId": root.id, "role": "user"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "LAST_ADMIN",
    );
    assert_eq!(
        session_of(&root).await["user"]["role"],
        "admin",
        "root is untouched"
    );
    // With a second admin, the first may go.
    call(
        &root,
        "set-role",
        json!({"userId": ada.id, "role": "admin"}),
    )
    .await
    .assert_status(StatusCode::OK);
    call(&moderator, "ban-user", json!({"userId": root.id}))
        .await
        .assert_status(StatusCode::OK);
    // A banned admin does not count: ada is now the last.
    refused(
        &call(&moderator, "remove-user", json!({"userId": ada.id})).await,
        StatusCode::BAD_REQUEST,
        "LAST_ADMIN",
    );
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM action_audit_events WHERE code = 'LAST_ADMIN'")
            .await,
        6
    );
}

/// Two admins demoting each other at once: one of them stays an admin.
async fn two_admins_demoting_each_other_leave_one(backend: Backend) {
    let (app, _) = spawn(backend).await;
    for round in 0..5 {
        let (a, b) = (
            app.admin(&format!("a{round}")).await,
            app.admin(&format!("b{round}")).await,
        );
        let (first, second) = tokio::join!(
            call(&a, "set-role", json!({"userId": b.id, "role": "user"})),
            call(&b, "set-role", json!({"userId": a.id, "role": "user"})),
        );
        let succeeded = [&first, &second]
            .iter()
            .filter(|response| response.status == StatusCode::OK)
            .count();
        assert_eq!(succeeded, 1, "{} / {}", first.json(), second.json());
        assert_eq!(
            app.db
                .count("SELECT count(*) FROM auth_users WHERE role = 'admin'")
                .await,
            1
        );
        let left = if first.status == StatusCode::OK {
            &a
        } else {
            &b
        };
        refused(
            &call(left, "set-role", json!({"userId": left.id, "role": "user"})).await,
            StatusCode::BAD_REQUEST,
            "LAST_ADMIN",
        );
        // The next round starts with no admin: remove this one from the outside.
        remove_admin(&app, left.id).await;
    }
}

/// Deletes an admin's account directly (the routes keep the last one).
async fn remove_admin(app: &App, id: i64) {
    execute(
        app,
        &format!(
            "DELETE FROM auth_sessions WHERE user_id = {id}; DELETE FROM auth_users WHERE id = {id}"
        ),
    )
    .await;
}

/// Runs `sql` on the app's database, behind the routes' back.
async fn execute(app: &App, sql: &str) {
    use actions_runtime::diesel_async::SimpleAsyncConnection;
    app.db
        .database()
        .run(async |conn| {
            actions_runtime::db!(conn, |c| c.batch_execute(sql).await).expect(sql);
        })
        .await
        .expect("a connection");
}

async fn a_ban_ends_sessions_and_sign_ins_until_it_expires(backend: Backend) {
    let (app, clock) = spawn(backend).await;
    let root = app.admin("root").await;
    let ada = app.user("ada").await;
    let before = session_of(&ada).await;
    assert!(before.is_object());
    let response = call(
        &root,
        "ban-user",
        json!({"userId": ada.id.to_string(), "banReason": "spam", "banExpiresIn": 3600}),
    )
    .await;
    response.assert_status(StatusCode::OK);
    let user = response.json()["user"].clone();
    assert_eq!(
        (user["banned"].clone(), user["banReason"].clone()),
        (json!(true), json!("spam"))
    );
    assert!(user["banExpires"].is_string());
    assert_eq!(session_of(&ada).await, Value::Null, "the session ended");
    let refused_sign_in = sign_in(&app, "ada@example.test", PASSWORD).await;
    refused(&refused_sign_in, StatusCode::FORBIDDEN, "BANNED_USER");
    assert!(
        refused_sign_in.set_cookies().is_empty(),
        "no session opened"
    );
    refused(
        &sign_in(&app, "ada@example.test", "a wrong password!").await,
        StatusCode::UNAUTHORIZED,
        "INVALID_EMAIL_OR_PASSWORD",
    );
    clock.advance(Duration::from_secs(3599));
    refused(
        &sign_in(&app, "ada@example.test", PASSWORD).await,
        StatusCode::FORBIDDEN,
        "BANNED_USER",
    );
    clock.advance(Duration::from_secs(2));
    let back = sign_in(&app, "ada@example.test", PASSWORD).await;
    back.assert_status(StatusCode::OK);
    let user = get(&root, &format!("get-user?id={}", ada.id)).await.json();
    assert_eq!(
        (
            user["banned"].clone(),
            user["banReason"].clone(),
            user["banExpires"].clone()
        ),
        (json!(false), Value::Null, Value::Null),
        "the expired ban was lifted"
    );

    // A session that outlived a ban (one set behind the routes' back: they revoke sessions) is
    // refused all the same, until the ban is lifted.
    let member = crate::Member {
        id: ada.id,
        token: back.json()["token"].as_str().unwrap().to_owned(),
        client: app
            .client
            .with_header(
                "cookie",
                &format!(
                    "better-auth.session_token={}",
                    back.json()["token"].as_str().unwrap()
                ),
            )
            .with_header("origin", ORIGIN),
    };
    assert!(session_of(&member).await.is_object());
    execute(
        &app,
        &format!("UPDATE auth_users SET banned = TRUE WHERE id = {}", ada.id),
    )
    .await;
    assert_eq!(
        session_of(&member).await,
        Value::Null,
        "refused while banned"
    );
    assert!(
        member
            .client
            .action("post.create", json!({"title": "t", "body": "b"}))
            .await
            .status
            == StatusCode::UNAUTHORIZED,
        "actions too"
    );
    call(&root, "unban-user", json!({"userId": ada.id}))
        .await
        .assert_status(StatusCode::OK);
    assert!(
        session_of(&member).await.is_object(),
        "the session was never revoked"
    );

    // Without an expiry, until unbanned.
    call(&root, "ban-user", json!({"userId": ada.id}))
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        get(&root, &format!("get-user?id={}", ada.id)).await.json()["banReason"],
        "No reason"
    );
    // Six days on (the admin's own session lives seven without use): still banned.
    clock.advance(Duration::from_secs(6 * 86_400));
    refused(
        &sign_in(&app, "ada@example.test", PASSWORD).await,
        StatusCode::FORBIDDEN,
        "BANNED_USER",
    );
    let unbanned = call(&root, "unban-user", json!({"userId": ada.id})).await;
    assert_eq!(unbanned.json()["user"]["banned"], false);
    sign_in(&app, "ada@example.test", PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    refused(
        &call(
            &root,
            "ban-user",
            json!({"userId": ada.id, "banExpiresIn": 0}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "VALIDATION_ERROR",
    );
    refused(
        &call(&root, "ban-user", json!({"userId": "ada"})).await,
        StatusCode::BAD_REQUEST,
        "VALIDATION_ERROR",
    );
    refused(
        &call(&root, "ban-user", json!({"userId": 999_999})).await,
        StatusCode::NOT_FOUND,
        "USER_NOT_FOUND",
    );
    assert_eq!(
        app.db.count("SELECT count(*) FROM action_audit_events WHERE action = 'auth.sign_in' AND code = 'BANNED_USER'").await,
        3
    );
}

actions_runtime::backend_tests!(
    routes_answer_better_auths_shapes,
    the_policy_refuses_everyone_else,
    the_last_admin_stays,
    two_admins_demoting_each_other_leave_one,
    a_ban_ends_sessions_and_sign_ins_until_it_expires,
);
