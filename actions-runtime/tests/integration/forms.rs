//! Forms without JavaScript: a browser's form post to an action or an auth route is answered
//! `303 See Other` with a signed flash cookie, read once by the next page through
//! `Caller::flash`; scripts keep getting JSON. Open redirects and cross-site posts are refused.

use crate::app::{MIGRATIONS, TestPolicy};
use actions_runtime::auth::AuthConfig;
use actions_runtime::db::RUNTIME_MIGRATIONS;
use actions_runtime::testing::{
    Backend, ManualClock, Multipart, TestAuthenticator, TestClient, TestDb, TestResponse,
};
use actions_runtime::{Caller, Server, ServerBuilder};
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::StreamExt;
use http::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const ORIGIN: &str = "http://localhost:3000";
const FRONT: &str = "https://front.example";
/// What a browser sends with a form post.
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

mod posts {
    use actions_runtime::prelude::*;

    #[input]
    pub struct NewPost {
        #[field(trim, min_length = 3)]
        pub title: String,
        pub slug: String,
        pub password: String,
        pub attachment: Option<UploadedFile>,
    }

    #[output]
    pub struct Post {
        pub id: i64,
        pub slug: String,
    }

    /// Creates a post, then shows it.
    #[action(public, accept = "form", redirect = "/posts/{id}/{slug}")]
    pub async fn create(ctx: &mut ActionContext, input: NewPost) -> Result<Post, ActionError> {
        ctx.db().await?;
        if input.password != "hunter22" {
            return Err(ActionError::field(
                "password",
                "is not the posting password",
            ));
        }
        Ok(Post {
            id: input.title.len() as i64,
            slug: input.slug,
        })
    }

    #[input]
    pub struct Draft {
        #[field(trim, min_length = 3)]
        pub title: String,
        pub words: i64,
    }

    /// A JSON action (no `accept = "form"`): a browser's form may post to it all the same.
    #[action(public, redirect = "/posts/{id}/{slug}")]
    pub async fn publish(ctx: &mut ActionContext, input: Draft) -> Result<Post, ActionError> {
        ctx.db().await?;
        Ok(Post {
            id: input.words,
            slug: input.title,
        })
    }

    #[input]
    pub struct Like {
        pub id: i64,
        /// A note with the like: room for a body of some size.
        pub note: Option<String>,
    }

    /// Likes a post: back to the page it was liked on.
    #[action(auth, accept = "form")]
    pub async fn like(_: &mut ActionContext, input: Like) -> Result<Like, ActionError> {
        Ok(input)
    }
}

fn registry() -> actions_runtime::Registry {
    actions_runtime::registry! { posts: { posts::create, posts::publish, posts::like } }
}

struct FormsApp {
    _db: TestDb,
    client: TestClient,
    clock: ManualClock,
}

/// The page a form's post leads to: what `Caller::flash` reads, twice (once only is there).
async fn page(mut caller: Caller) -> Response {
    let flash = caller.flash().map(|flash| {
        json!({
            "action": flash.action,
            "succeeded": flash.succeeded(),
            "code": flash.error.as_ref().map(|e| e.code.clone()),
            "message": flash.error.as_ref().map(|e| e.message.clone()),
            "fields": flash.fields,
            "values": flash.values,
            "titleError": flash.field_error("title"),
            "titleValue": flash.value("title"),
        })
    });
    let again = caller.flash().is_some();
    let body = json!({"flash": flash, "again": again}).to_string();
    caller.respond(([(http::header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn spawn(backend: Backend) -> FormsApp {
    spawn_with(backend, |builder| builder).await
}

async fn spawn_with(
    backend: Backend,
    configure: impl FnOnce(ServerBuilder) -> ServerBuilder,
) -> FormsApp {
    let db = TestDb::new(backend, &RUNTIME_MIGRATIONS).await;
    db.database()
        .migrate(&MIGRATIONS)
        .await
        .expect("app migrations");
    let clock = ManualClock::new();
    let config = AuthConfig::new(ORIGIN)
        .expect("localhost")
        .trusted_origin(FRONT)
        .expect("an origin")
        .rate_limits(crate::auth::many_attempts());
    let server = configure(
        Server::builder(registry())
            .clock(Arc::new(clock.clone()))
            .database(db.database().clone())
            .auth(config)
            .policy(TestPolicy),
    )
    .build()
    .expect("builds");
    let router = axum::Router::new()
        .route("/page", axum::routing::get(page))
        .with_state(server.clone())
        .merge(server.router());
    FormsApp {
        _db: db,
        client: TestClient::new(router),
        clock,
    }
}

/// A browser on the app's page `from`.
fn browser(client: &TestClient, from: &str) -> TestClient {
    client
        .with_header("accept", BROWSER_ACCEPT)
        .with_header("origin", ORIGIN)
        .with_header("referer", &format!("{ORIGIN}{from}"))
}

/// `flash=…` of a response's `Set-Cookie`, as the browser sends it back.
fn flash_cookie(response: &TestResponse) -> String {
    response
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("flash="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no flash cookie: {:?}", response.headers))
        .to_owned()
}

fn session_cookie(response: &TestResponse) -> Option<String> {
    response
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("better-auth.session_token=") && !c.contains("Max-Age=0"))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

/// The flash `cookie` carries, as the page reads it.
async fn read_flash(client: &TestClient, cookie: &str) -> (Value, TestResponse) {
    let response = client
        .with_header("cookie", cookie)
        .get("/page")
        .send()
        .await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.json()["again"], false, "read once");
    (response.json()["flash"].clone(), response)
}

#[track_caller]
fn assert_see_other(response: &TestResponse, location: &str) {
    response.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(response.header("location"), Some(location));
    assert!(response.body.is_empty());
}

const GOOD_POST: [(&str, &str); 3] = [
    ("title", "Hello"),
    ("slug", "a b/c"),
    ("password", "hunter22"),
];

/// Success: `303` to the declared page, its placeholders filled from the output and
/// percent-encoded; the flash says which action succeeded, is signed, `HttpOnly`, `Lax`, and
/// read once (the page's answer removes it).
async fn success_redirects_to_the_declared_page(backend: Backend) {
    let app = spawn(backend).await;
    let response = browser(&app.client, "/posts/new")
        .post("/_actions/posts.create")
        .form(&GOOD_POST)
        .send()
        .await;
    assert_see_other(&response, "/posts/5/a%20b%2Fc");
    let set = response.set_cookies().join("\n");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=60"] {
        assert!(set.contains(attribute), "{set}");
    }
    let (flash, page) = read_flash(&app.client, &flash_cookie(&response)).await;
    assert_eq!(flash["action"], "posts.create");
    assert_eq!(flash["succeeded"], true);
    assert_eq!(flash["code"], Value::Null);
    let removal = page.set_cookies().join("\n");
    assert!(
        removal.contains("flash=;") && removal.contains("Max-Age=0"),
        "{removal}"
    );
    // Without the cookie (the browser dropped it), the page has no flash.
    let page = app.client.get("/page").send().await;
    assert_eq!(page.json()["flash"], Value::Null);
}

/// `fetch` (`Accept: */*`), the TypeScript client (JSON) and a form body without `Accept`
/// keep getting JSON: no redirect, no flash.
async fn scripts_keep_getting_json(backend: Backend) {
    let app = spawn(backend).await;
    for accept in [
        "*/*",
        "application/json",
        "application/json, text/html;q=0.9",
    ] {
        let response = app
            .client
            .with_header("accept", accept)
            .with_header("origin", ORIGIN)
            .post("/_actions/posts.create")
            .form(&GOOD_POST)
            .send()
            .await;
        response.assert_status(StatusCode::OK);
        assert_eq!(response.json(), json!({"id": 5, "slug": "a b/c"}));
        assert!(response.set_cookies().is_empty());
    }
    let failed = app
        .client
        .with_header("accept", "*/*")
        .post("/_actions/posts.create")
        .form(&[("title", "x")])
        .send()
        .await;
    failed.assert_status(StatusCode::BAD_REQUEST);
    assert!(failed.json()["fields"]["title"].is_array());
}

/// Failure: `303` back to the form's page with the error as the JSON answer has it, the field
/// errors by path, and the values — minus the password.
async fn failure_flashes_errors_and_values(backend: Backend) {
    let app = spawn(backend).await;
    let fields = [
        ("title", " x "),
        ("slug", "draft"),
        ("password", "hunter22"),
    ];
    let json = app
        .client
        .with_header("accept", "*/*")
        .post("/_actions/posts.create")
        .form(&fields)
        .send()
        .await;
    json.assert_status(StatusCode::BAD_REQUEST);
    let response = browser(&app.client, "/posts/new?draft=1")
        .post("/_actions/posts.create")
        .form(&fields)
        .send()
        .await;
    assert_see_other(&response, "/posts/new?draft=1");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&response)).await;
    assert_eq!(flash["action"], "posts.create");
    assert_eq!(flash["succeeded"], false);
    assert_eq!(flash["code"], json.json()["code"]);
    assert_eq!(flash["message"], json.json()["message"]);
    assert_eq!(flash["fields"], json.json()["fields"]);
    assert!(flash["titleError"].is_string(), "{flash}");
    assert_eq!(flash["titleValue"], " x ");
    assert_eq!(
        flash["values"],
        json!({"title": [" x "], "slug": ["draft"]})
    );

    // The handler's own field error, by path.
    let wrong = browser(&app.client, "/posts/new")
        .post("/_actions/posts.create")
        .form(&[("title", "Hello"), ("slug", "s"), ("password", "guess")])
        .send()
        .await;
    assert_see_other(&wrong, "/posts/new");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&wrong)).await;
    assert_eq!(
        flash["fields"],
        json!({"password": ["is not the posting password"]})
    );
    assert_eq!(flash["values"], json!({"title": ["Hello"], "slug": ["s"]}));

    // Every value of a repeated field comes back, in the order sent (checkboxes, a multiple
    // select); `value` is the first.
    let repeated = browser(&app.client, "/posts/new")
        .post("/_actions/posts.create")
        .form(&[
            ("title", "Hello"),
            ("slug", "b"),
            ("slug", "a"),
            ("password", "one"),
            ("password", "two"),
        ])
        .send()
        .await;
    assert_see_other(&repeated, "/posts/new");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&repeated)).await;
    assert_eq!(flash["succeeded"], false);
    assert_eq!(
        flash["values"],
        json!({"title": ["Hello"], "slug": ["b", "a"]})
    );
    assert_eq!(flash["titleValue"], "Hello");
}

/// A JSON action takes a browser's form too, decoded and coerced as a form action's: `303` to
/// its declared page, or back with the field errors; a script's form body (`Accept: */*`) to it
/// is still a `415`.
async fn json_actions_take_browser_forms(backend: Backend) {
    let app = spawn(backend).await;
    let response = browser(&app.client, "/posts/new")
        .post("/_actions/posts.publish")
        .form(&[("title", " Hello "), ("words", "42")])
        .send()
        .await;
    assert_see_other(&response, "/posts/42/Hello");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&response)).await;
    assert_eq!(flash["action"], "posts.publish");
    assert_eq!(flash["succeeded"], true);

    let multipart = browser(&app.client, "/posts/new")
        .post("/_actions/posts.publish")
        .multipart(Multipart::new().text("title", "Multi").text("words", "7"))
        .send()
        .await;
    assert_see_other(&multipart, "/posts/7/Multi");

    let invalid = browser(&app.client, "/posts/new?x=1")
        .post("/_actions/posts.publish")
        .form(&[("title", "ab"), ("words", "many")])
        .send()
        .await;
    assert_see_other(&invalid, "/posts/new?x=1");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&invalid)).await;
    assert_eq!(flash["succeeded"], false);
    assert_eq!(flash["code"], "BAD_REQUEST");
    assert_eq!(
        flash["message"],
        "invalid input: 2 fields failed validation"
    );
    assert!(flash["titleError"].is_string(), "{flash}");
    assert!(flash["fields"]["words"].is_array(), "{flash}");
    assert_eq!(flash["values"], json!({"title": ["ab"], "words": ["many"]}));

    for accept in ["*/*", "application/json"] {
        let script = app
            .client
            .with_header("accept", accept)
            .with_header("origin", ORIGIN)
            .post("/_actions/posts.publish")
            .form(&[("title", "Hello"), ("words", "42")])
            .send()
            .await;
        script.assert_status(StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(script.set_cookies().is_empty());
    }
    // Another site's form gets the JSON action's `415`, even from a server without the account
    // service (whose origin check would refuse it first).
    let bare = Server::builder(registry())
        .database(app._db.database().clone())
        .authenticator(TestAuthenticator)
        .policy(TestPolicy)
        .build()
        .expect("builds");
    let bare = TestClient::new(
        axum::Router::new()
            .route("/page", axum::routing::get(page))
            .with_state(bare.clone())
            .merge(bare.router()),
    );
    for (origin, referer) in [
        (Some("https://evil.example"), "https://evil.example/form"),
        (Some("null"), "http://localhost:3000/posts/new"),
        (None, "https://evil.example/form"),
    ] {
        let mut client = bare
            .with_header("accept", BROWSER_ACCEPT)
            .with_header("referer", referer);
        if let Some(origin) = origin {
            client = client.with_header("origin", origin);
        }
        let response = client
            .post("/_actions/posts.publish")
            .form(&[("title", "Hello"), ("words", "42")])
            .send()
            .await;
        response.assert_status(StatusCode::SEE_OTHER);
        assert_ne!(response.header("location"), Some("/posts/42/Hello"));
        let (flash, _) = read_flash(&bare, &flash_cookie(&response)).await;
        assert_eq!(
            flash["code"], "UNSUPPORTED_MEDIA_TYPE",
            "{origin:?} {referer}"
        );
    }
    // JSON from a script is served as before.
    let json = app
        .client
        .with_header("origin", ORIGIN)
        .post("/_actions/posts.publish")
        .json(&json!({"title": "Hello", "words": 3}))
        .send()
        .await;
    json.assert_status(StatusCode::OK);
    assert_eq!(json.json(), json!({"id": 3, "slug": "Hello"}));
}

/// Without a declared page, success goes back to the form's page (a Referer of this app);
/// with a foreign Referer or none, to `/`. A `401` goes back too, with its flash.
async fn success_without_redirect_goes_back(backend: Backend) {
    let app = spawn(backend).await;
    let anonymous = browser(&app.client, "/posts/7")
        .post("/_actions/posts.like")
        .form(&[("id", "7")])
        .send()
        .await;
    assert_see_other(&anonymous, "/posts/7");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&anonymous)).await;
    assert_eq!(flash["code"], "UNAUTHORIZED");

    let signed_up = app
        .client
        .post("/api/auth/sign-up/email")
        .json(&json!({"name": "Ada", "email": "ada@example.com", "password": "correct horse"}))
        .send()
        .await;
    signed_up.assert_status(StatusCode::OK);
    let session = session_cookie(&signed_up).expect("a session");
    let member = app.client.with_header("cookie", &session);
    let liked = browser(&member, "/posts/7?page=2")
        .post("/_actions/posts.like")
        .form(&[("id", "7")])
        .send()
        .await;
    assert_see_other(&liked, "/posts/7?page=2");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&liked)).await;
    assert_eq!(flash["action"], "posts.like");
    assert_eq!(flash["succeeded"], true);

    // A Referer of another site is never followed (and a cross-site post is refused anyway:
    // the origin below is the app's, the Referer a forged one).
    let elsewhere = member
        .with_header("accept", BROWSER_ACCEPT)
        .with_header("origin", ORIGIN)
        .with_header("referer", "https://evil.example/page")
        .post("/_actions/posts.like")
        .form(&[("id", "7")])
        .send()
        .await;
    assert_see_other(&elsewhere, "/");
    let no_referer = member
        .with_header("accept", BROWSER_ACCEPT)
        .with_header("origin", ORIGIN)
        .post("/_actions/posts.like")
        .form(&[("id", "7")])
        .send()
        .await;
    assert_see_other(&no_referer, "/");
}

/// A multipart form: success redirects; a failure's flash keeps the text fields, never the
/// file nor the password.
async fn multipart_forms(backend: Backend) {
    let app = spawn(backend).await;
    let form = |title: &str| {
        Multipart::new()
            .text("title", title)
            .text("slug", "pic")
            .text("password", "hunter22")
            .file("attachment", "a.png", "image/png", b"\x89PNG")
    };
    let ok = browser(&app.client, "/posts/new")
        .post("/_actions/posts.create")
        .multipart(form("Photo"))
        .send()
        .await;
    assert_see_other(&ok, "/posts/5/pic");
    let failed = browser(&app.client, "/posts/new")
        .post("/_actions/posts.create")
        .multipart(form("x"))
        .send()
        .await;
    assert_see_other(&failed, "/posts/new");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&failed)).await;
    assert_eq!(flash["values"], json!({"title": ["x"], "slug": ["pic"]}));
    assert!(flash["titleError"].is_string());
}

/// A flash whose cookie was changed, or signed with another key, or older than a minute, reads
/// as none.
async fn tampered_or_stale_flashes_are_ignored(backend: Backend) {
    let app = spawn(backend).await;
    let response = browser(&app.client, "/posts/new")
        .post("/_actions/posts.create")
        .form(&[("title", "x")])
        .send()
        .await;
    let cookie = flash_cookie(&response);
    let mut tampered = cookie.clone();
    let last = tampered.pop().expect("a value");
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    let (flash, _) = read_flash(&app.client, &tampered).await;
    assert_eq!(flash, Value::Null);
    // Another server's key (every test server generates its own).
    let other = spawn(backend).await;
    let (flash, _) = read_flash(&other.client, &cookie).await;
    assert_eq!(flash, Value::Null);
    let (flash, _) = read_flash(&app.client, &cookie).await;
    assert_eq!(flash["succeeded"], false);
    app.clock.advance(Duration::from_secs(61));
    let (flash, _) = read_flash(&app.client, &cookie).await;
    assert_eq!(flash, Value::Null, "expired");
}

/// Sign-up, sign-in and sign-out as forms: the session cookie and `303` to `callbackURL` (a
/// page of the app, or a trusted origin); failures back to the form with the email kept and
/// the password never.
async fn auth_forms(backend: Backend) {
    let app = spawn(backend).await;
    let signed_up = browser(&app.client, "/sign-up")
        .post("/api/auth/sign-up/email")
        .form(&[
            ("name", "Ada"),
            ("email", "ada@example.com"),
            ("password", "correct horse"),
            ("callbackURL", "/welcome"),
        ])
        .send()
        .await;
    assert_see_other(&signed_up, "/welcome");
    assert!(session_cookie(&signed_up).is_some());
    let (flash, _) = read_flash(&app.client, &flash_cookie(&signed_up)).await;
    assert_eq!(flash["action"], "auth.sign-up");
    assert_eq!(flash["succeeded"], true);

    let taken = browser(&app.client, "/sign-up")
        .post("/api/auth/sign-up/email")
        .form(&[
            ("name", "Eve"),
            ("email", "ada@example.com"),
            ("password", "another one"),
        ])
        .send()
        .await;
    assert_see_other(&taken, "/sign-up");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&taken)).await;
    assert_eq!(flash["code"], "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL");
    assert_eq!(
        flash["fields"],
        json!({"email": ["User already exists. Use another email."]})
    );
    assert_eq!(
        flash["values"],
        json!({"name": ["Eve"], "email": ["ada@example.com"]})
    );

    let wrong = browser(&app.client, "/sign-in?next=%2Fdrafts")
        .post("/api/auth/sign-in/email")
        .form(&[
            ("email", "ada@example.com"),
            ("password", "wrong password"),
            ("rememberMe", "on"),
        ])
        .send()
        .await;
    assert_see_other(&wrong, "/sign-in?next=%2Fdrafts");
    assert_eq!(session_cookie(&wrong), None);
    let (flash, _) = read_flash(&app.client, &flash_cookie(&wrong)).await;
    assert_eq!(flash["action"], "auth.sign-in");
    assert_eq!(flash["code"], "INVALID_EMAIL_OR_PASSWORD");
    assert_eq!(flash["fields"], json!({}), "which one is wrong is not told");
    assert_eq!(
        flash["values"],
        json!({"email": ["ada@example.com"], "rememberMe": ["on"]})
    );

    // A trusted front end: sent back there, whole URL.
    let signed_in = browser(&app.client, "/sign-in")
        .post("/api/auth/sign-in/email")
        .form(&[
            ("email", "ada@example.com"),
            ("password", "correct horse"),
            ("callbackURL", "https://front.example/app?x=1"),
        ])
        .send()
        .await;
    assert_see_other(&signed_in, "https://front.example/app?x=1");
    let session = session_cookie(&signed_in).expect("a session");

    // No callbackURL: `/`. A multipart sign-in works the same.
    let multipart = browser(&app.client, "/sign-in")
        .post("/api/auth/sign-in/email")
        .multipart(
            Multipart::new()
                .text("email", "ada@example.com")
                .text("password", "correct horse"),
        )
        .send()
        .await;
    assert_see_other(&multipart, "/");
    assert!(session_cookie(&multipart).is_some());

    let member = app.client.with_header("cookie", &session);
    let signed_out = browser(&member, "/account")
        .post("/api/auth/sign-out")
        .form(&[("callbackURL", "/bye")])
        .send()
        .await;
    assert_see_other(&signed_out, "/bye");
    assert!(
        signed_out
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("better-auth.session_token=") && c.contains("Max-Age=0"))
    );
    let session = member.get("/api/auth/get-session").send().await;
    assert_eq!(session.json(), Value::Null);

    // JSON callers are unchanged: `{redirect, token, user}`.
    let json = app
        .client
        .post("/api/auth/sign-in/email")
        .json(&json!({"email": "ada@example.com", "password": "correct horse"}))
        .send()
        .await;
    json.assert_status(StatusCode::OK);
    assert_eq!(json.json()["redirect"], false);
    assert!(json.json()["token"].is_string());
}

/// Open redirects: a callbackURL off the app and its trusted origins is refused before anything
/// is done — `303` back with `INVALID_CALLBACK_URL`, no session opened.
async fn open_redirects_are_refused(backend: Backend) {
    let app = spawn(backend).await;
    app.client
        .post("/api/auth/sign-up/email")
        .json(&json!({"name": "Ada", "email": "ada@example.com", "password": "correct horse"}))
        .send()
        .await
        .assert_status(StatusCode::OK);
    for evil in [
        "//evil.example",
        "https://evil.example/x",
        "/\\evil.example",
        "\\\\evil",
        "javascript:alert(1)",
        "http:evil",
        "%2F%2Fevil.example",
        "/%2F%2Fevil.example",
        "/ok\r\nLocation: https://evil.example",
        "https://localhost:3000@evil.example/",
    ] {
        let response = browser(&app.client, "/sign-in")
            .post("/api/auth/sign-in/email")
            .form(&[
                ("email", "ada@example.com"),
                ("password", "correct horse"),
                ("callbackURL", evil),
            ])
            .send()
            .await;
        assert_see_other(&response, "/sign-in");
        assert_eq!(session_cookie(&response), None, "{evil:?}");
        let (flash, _) = read_flash(&app.client, &flash_cookie(&response)).await;
        assert_eq!(flash["code"], "INVALID_CALLBACK_URL", "{evil:?}");
        assert_eq!(flash["values"]["email"], json!(["ada@example.com"]));
        assert_eq!(flash["values"]["password"], Value::Null);
    }
    // The Referer is where a failure goes back; without one, `/` (a cross-site Referer is
    // refused outright: `cross_site_forms_are_refused`).
    let response = app
        .client
        .with_header("accept", BROWSER_ACCEPT)
        .with_header("origin", ORIGIN)
        .post("/api/auth/sign-in/email")
        .form(&[("email", "ada@example.com"), ("password", "wrong one")])
        .send()
        .await;
    assert_see_other(&response, "/");
}

/// Cross-site form posts are refused (`403`, nothing done): to an action with the session, and
/// to sign-in even without one (login CSRF) — by `Origin`, by `Sec-Fetch-Site`, and by a
/// cross-site `Referer` when there is no `Origin`.
async fn cross_site_forms_are_refused(backend: Backend) {
    let app = spawn(backend).await;
    let signed_up = app
        .client
        .post("/api/auth/sign-up/email")
        .json(&json!({"name": "Ada", "email": "ada@example.com", "password": "correct horse"}))
        .send()
        .await;
    let session = session_cookie(&signed_up).expect("a session");
    let member = app.client.with_header("cookie", &session);
    let sign_in = [("email", "ada@example.com"), ("password", "correct horse")];
    let cross_site: [&[(&str, &str)]; 3] = [
        &[("origin", "https://evil.example")],
        &[("origin", ORIGIN), ("sec-fetch-site", "cross-site")],
        &[("referer", "https://evil.example/page")],
    ];
    for headers in cross_site {
        let with = |client: &TestClient| {
            headers
                .iter()
                .fold(client.with_header("accept", BROWSER_ACCEPT), |c, (n, v)| {
                    c.with_header(n, v)
                })
        };
        let action = with(&member)
            .post("/_actions/posts.like")
            .form(&[("id", "7")])
            .send()
            .await;
        action.assert_status(StatusCode::FORBIDDEN);
        assert_eq!(action.code(), "FORBIDDEN");
        let signed_out = with(&member)
            .post("/api/auth/sign-out")
            .form(&[("callbackURL", "/")])
            .send()
            .await;
        signed_out.assert_status(StatusCode::FORBIDDEN);
        let login = with(&app.client)
            .post("/api/auth/sign-in/email")
            .form(&sign_in)
            .send()
            .await;
        login.assert_status(StatusCode::FORBIDDEN);
        assert_eq!(login.code(), "INVALID_ORIGIN", "{headers:?}");
        assert_eq!(session_cookie(&login), None);
    }
    // Still signed in: the refused sign-out did nothing.
    let session = member.get("/api/auth/get-session").send().await;
    assert!(session.json()["user"].is_object());
    // A same-origin form post without the session is served.
    let login = browser(&app.client, "/sign-in")
        .post("/api/auth/sign-in/email")
        .form(&sign_in)
        .send()
        .await;
    assert_see_other(&login, "/");
}

/// `body` as a stream of `chunk`-byte chunks (no `Content-Length`), with the count of the bytes
/// its reader polled so far.
fn counted(body: &str, chunk: usize) -> (Body, Arc<AtomicUsize>) {
    let polled = Arc::new(AtomicUsize::new(0));
    let chunks: Vec<Result<Bytes, std::io::Error>> = body
        .as_bytes()
        .chunks(chunk)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let counter = polled.clone();
    let stream = futures_util::stream::iter(chunks).inspect(move |chunk| {
        if let Ok(chunk) = chunk {
            counter.fetch_add(chunk.len(), Ordering::SeqCst);
        }
    });
    (Body::from_stream(stream), polled)
}

const URLENCODED: &str = "application/x-www-form-urlencoded";

/// A browser's form body is read after auth and the ACL, as JSON is: an anonymous post to an
/// `auth` action goes back with `UNAUTHORIZED` and not one byte of its body read (nor refilled).
/// Once signed in, the same body reaches the action, and a failure refills what it read.
async fn form_bodies_are_read_after_auth(backend: Backend) {
    let app = spawn(backend).await;
    let note = "n".repeat(4_000);
    let form = format!("id=7&note={note}");
    let (body, polled) = counted(&form, 512);
    let anonymous = browser(&app.client, "/posts/7")
        .post("/_actions/posts.like")
        .body(URLENCODED, body)
        .send()
        .await;
    assert_see_other(&anonymous, "/posts/7");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&anonymous)).await;
    assert_eq!(flash["code"], "UNAUTHORIZED");
    assert_eq!(flash["values"], json!({}));
    assert_eq!(polled.load(Ordering::SeqCst), 0, "the body was read");

    let signed_up = app
        .client
        .post("/api/auth/sign-up/email")
        .json(&json!({"name": "Ada", "email": "ada@example.com", "password": "correct horse"}))
        .send()
        .await;
    let member = app
        .client
        .with_header("cookie", &session_cookie(&signed_up).expect("a session"));
    let (body, polled) = counted(&form, 512);
    let liked = browser(&member, "/posts/7")
        .post("/_actions/posts.like")
        .body(URLENCODED, body)
        .send()
        .await;
    assert_see_other(&liked, "/posts/7");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&liked)).await;
    assert_eq!(flash["succeeded"], true, "{flash}");
    assert_eq!(polled.load(Ordering::SeqCst), form.len());

    let (body, _) = counted("id=seven&note=hi&password=x", 4);
    let invalid = browser(&member, "/posts/7")
        .post("/_actions/posts.like")
        .body(URLENCODED, body)
        .send()
        .await;
    assert_see_other(&invalid, "/posts/7");
    let (flash, _) = read_flash(&app.client, &flash_cookie(&invalid)).await;
    assert_eq!(flash["code"], "BAD_REQUEST");
    assert_eq!(flash["values"], json!({"id": ["seven"], "note": ["hi"]}));
}

/// A form body over the server's limit goes back with `CONTENT_TOO_LARGE` and the JSON answer's
/// message, refilling nothing: refused up front by its `Content-Length`, or once the stream
/// passes the limit.
async fn over_the_limit_forms_go_back(backend: Backend) {
    let app = spawn_with(backend, |builder| builder.body_limit(1024)).await;
    let big = format!("title=Hello&slug={}", "s".repeat(2_000));
    let json = app
        .client
        .with_header("accept", "*/*")
        .post("/_actions/posts.create")
        .body(URLENCODED, big.clone())
        .header("content-length", &big.len().to_string())
        .send()
        .await;
    json.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    let declared = browser(&app.client, "/posts/new")
        .post("/_actions/posts.create")
        .body(URLENCODED, big.clone())
        .header("content-length", &big.len().to_string())
        .send()
        .await;
    let (streamed, polled) = counted(&big, 100);
    let streamed = browser(&app.client, "/posts/new")
        .post("/_actions/posts.create")
        .body(URLENCODED, streamed)
        .send()
        .await;
    assert!(
        polled.load(Ordering::SeqCst) <= 1024 + 100,
        "read past the limit"
    );
    let multipart = Multipart::new()
        .text("title", "Hello")
        .text("slug", &"s".repeat(2_000));
    let multipart = browser(&app.client, "/posts/new")
        .post("/_actions/posts.create")
        .multipart(multipart)
        .send()
        .await;
    for response in [declared, streamed, multipart] {
        assert_see_other(&response, "/posts/new");
        let (flash, _) = read_flash(&app.client, &flash_cookie(&response)).await;
        assert_eq!(flash["code"], "CONTENT_TOO_LARGE");
        assert_eq!(flash["message"], json.json()["message"]);
        assert_eq!(
            flash["message"],
            "the request body is larger than the limit of 1024 bytes"
        );
        assert_eq!(flash["values"], json!({}));
    }
}

/// An account form whose body stalls goes back with `REQUEST_TIMEOUT`, as an action's form
/// does (any read error used to be called `CONTENT_TOO_LARGE`), and no session is opened.
async fn stalled_account_forms_go_back_with_request_timeout(backend: Backend) {
    let app = spawn_with(backend, |builder| {
        builder.body_read_timeout(Duration::from_millis(200))
    })
    .await;
    let start: Result<Bytes, std::io::Error> = Ok(Bytes::from_static(b"email=ada%40example.com"));
    let stalled = futures_util::stream::iter([start]).chain(futures_util::stream::pending());
    let response = browser(&app.client, "/sign-in")
        .post("/api/auth/sign-in/email")
        .body(URLENCODED, Body::from_stream(stalled))
        .send()
        .await;
    assert_see_other(&response, "/sign-in");
    assert!(session_cookie(&response).is_none());
    let (flash, _) = read_flash(&app.client, &flash_cookie(&response)).await;
    assert_eq!(flash["code"], "REQUEST_TIMEOUT");
    assert_eq!(
        flash["message"],
        "the request body stalled for longer than the server waits"
    );
}

actions_runtime::backend_tests!(
    form_bodies_are_read_after_auth,
    over_the_limit_forms_go_back,
    success_redirects_to_the_declared_page,
    scripts_keep_getting_json,
    failure_flashes_errors_and_values,
    json_actions_take_browser_forms,
    success_without_redirect_goes_back,
    multipart_forms,
    tampered_or_stale_flashes_are_ignored,
    auth_forms,
    open_redirects_are_refused,
    cross_site_forms_are_refused,
    stalled_account_forms_go_back_with_request_timeout,
);
