//! An app that brings its own sign-in: API keys, roles it names, claims its policy reads, state
//! of its own, the request and the response in its actions, and its own axum routes calling
//! actions on the visitor's behalf. It needs nothing of the account service, and CI also builds
//! and runs it without it (`--no-default-features --features testing`).

use actions_runtime::acl::{Decides, Permission, Policy};
use actions_runtime::auth::{Authenticator, Role, User};
use actions_runtime::http::request::Parts;
use actions_runtime::prelude::*;
use actions_runtime::testing::TestClient;
use actions_runtime::{BuildProblem, Caller, Registry, Server, SignedIn, State};
use axum::extract::State as RouteState;
use axum::response::{Html, IntoResponse, Response};
use futures_util::future::BoxFuture;
use http::StatusCode;
use serde_json::json;

const EDITOR: Role = Role::new("editor");
const VIEWER: Role = Role::new("viewer");

/// What a key may touch, beside the role.
#[derive(Debug, Clone, PartialEq)]
struct Scopes(Vec<&'static str>);

/// `X-Api-Key: <key>` → a user; unknown or missing keys are signed out.
struct ApiKeys;

impl Authenticator for ApiKeys {
    fn authenticate<'a>(
        &'a self,
        request: &'a Parts,
        _ctx: &'a mut ActionContext,
    ) -> BoxFuture<'a, Result<Option<User>, ActionError>> {
        let user = match request
            .headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
        {
            Some("k-ed") => {
                Some(User::new(1, "Ed", "ed@example.com", EDITOR).with_claim(Scopes(vec!["docs"])))
            }
            Some("k-vi") => Some(User::new(2, "Vi", "vi@example.com", VIEWER)),
            _ => None,
        };
        Box::pin(std::future::ready(Ok(user)))
    }
}

/// Editors with the `docs` scope may edit documents; anyone signed in may read them.
struct DocsPolicy;

const PERMISSIONS: &[Permission] = &[
    Permission::new("doc", "edit"),
    Permission::new("doc", "read"),
];

impl Policy for DocsPolicy {
    fn decides(&self) -> Decides<'_> {
        Decides::Only(PERMISSIONS)
    }

    fn allows(&self, user: &User, permission: Permission, _action: &str) -> bool {
        match permission.verb() {
            "read" => true,
            _ => {
                user.has_role(&EDITOR)
                    && user
                        .claim::<Scopes>()
                        .is_some_and(|s| s.0.contains(&"docs"))
            }
        }
    }
}

/// The app's own state: how documents are titled.
pub struct Titles {
    pub prefix: String,
}

#[input]
#[derive(Clone)]
pub struct Edit {
    pub id: i64,
    pub title: String,
}

#[output]
pub struct Doc {
    pub id: i64,
    pub title: String,
    pub edited_by: String,
    pub client: String,
}

/// Edits a document: titles it with the app's prefix (state the server was given), remembers
/// the editor in a signed cookie, and sends a browser to the document's page.
#[action(acl = "doc:edit")]
pub async fn edit(
    ctx: &mut ActionContext,
    input: Edit,
    titles: State<Titles>,
) -> Result<Doc, ActionError> {
    let client = ctx
        .request()
        .map_or_else(|| "in-process".to_owned(), |r| r.client_ip().to_string());
    let via = ctx
        .request()
        .and_then(|r| r.headers().get("x-via"))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let editor = ctx.user()?.name.clone();
    ctx.signed_cookies()
        .add(actions_runtime::cookie::Cookie::new(
            "last-editor",
            editor.clone(),
        ));
    // A draft only the server can read, and a header of the action's own.
    ctx.private_cookies()
        .add(actions_runtime::cookie::Cookie::new(
            "draft",
            input.title.clone(),
        ));
    ctx.response().insert_header(
        http::HeaderName::from_static("x-doc-id"),
        http::HeaderValue::from(input.id),
    );
    if via.as_deref() == Some("form") {
        ctx.redirect(&format!("/docs/{}", input.id))?;
    }
    Ok(Doc {
        id: input.id,
        title: format!("{}{}", titles.prefix, input.title),
        edited_by: editor,
        client,
    })
}

#[input]
pub struct Whoami {}

#[output]
pub struct Me {
    pub name: String,
    pub role: String,
    pub last_editor: Option<String>,
    pub draft: Option<String>,
}

/// Who the caller is, and who edited last (from the signed cookie, if it checks out).
#[action(acl = "doc:read")]
pub async fn whoami(ctx: &mut ActionContext, _input: Whoami) -> Result<Me, ActionError> {
    let user = ctx.user()?.clone();
    let last_editor = ctx
        .signed_cookies()
        .get("last-editor")
        .map(|c| c.value().to_owned());
    let draft = ctx
        .private_cookies()
        .get("draft")
        .map(|c| c.value().to_owned());
    Ok(Me {
        name: user.name,
        role: user.role.to_string(),
        last_editor,
        draft,
    })
}

fn registry() -> Registry {
    actions_runtime::registry! { docs: { edit, whoami } }
}

fn server() -> Server {
    Server::builder(registry())
        .authenticator(ApiKeys)
        .policy(DocsPolicy)
        .state(Titles {
            prefix: "📄 ".into(),
        })
        .trusted_proxy([10, 0, 0, 1].into())
        .build()
        .expect("the app builds")
}

/// The app's own page: edits on the visitor's behalf, through the same pipeline.
async fn page(RouteState(_server): RouteState<Server>, mut caller: Caller) -> Response {
    let title = match caller.user() {
        Some(user) => format!("edited by {}", user.name),
        None => "anonymous".into(),
    };
    match caller
        .call::<edit>(Edit {
            id: 9,
            title: title.clone(),
        })
        .await
    {
        Ok(doc) => caller.respond(Html(doc.title)),
        Err(error) => caller.respond((error.code().status(), error.message().to_owned())),
    }
}

async fn profile(SignedIn(user): SignedIn) -> impl IntoResponse {
    format!("{} ({})", user.name, user.role)
}

/// A page for everyone, greeting whoever is signed in.
async fn hello(user: Option<SignedIn>) -> impl IntoResponse {
    match user {
        Some(SignedIn(user)) => format!("hello, {}", user.name),
        None => "hello, stranger".to_owned(),
    }
}

fn client() -> TestClient {
    let server = server();
    let app = axum::Router::new()
        .route("/page", axum::routing::post(page))
        .route("/profile", axum::routing::get(profile))
        .route("/hello", axum::routing::get(hello))
        .with_state(server.clone())
        .merge(server.router());
    TestClient::new(app)
}

#[test]
fn keys_roles_claims_and_policy() {
    actions_runtime::testing::run(async {
        let client = client();
        let ed = client.with_header("x-api-key", "k-ed");
        let vi = client.with_header("x-api-key", "k-vi");
        let edit = json!({"id": 3, "title": "Plan"});
        let response = ed.action("docs.edit", edit.clone()).await;
        response.assert_status(StatusCode::OK);
        assert_eq!(response.json()["title"], "📄 Plan", "the app's state");
        assert_eq!(response.json()["editedBy"], "Ed");
        assert_eq!(
            vi.action("docs.edit", edit.clone()).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            client.action("docs.edit", edit).await.status,
            StatusCode::UNAUTHORIZED
        );
        let me = vi.action("docs.whoami", json!({})).await;
        me.assert_status(StatusCode::OK);
        assert_eq!(me.json()["role"], "viewer", "a role the app named");
    });
}

#[test]
fn the_request_and_the_response() {
    actions_runtime::testing::run(async {
        let client = client();
        let ed = client.with_header("x-api-key", "k-ed");
        // The client's address: the peer, or what a trusted proxy forwards.
        let direct = ed
            .from_ip([203, 0, 113, 5].into())
            .with_header("x-forwarded-for", "198.51.100.1")
            .action("docs.edit", json!({"id": 1, "title": "a"}))
            .await;
        assert_eq!(
            direct.json()["client"],
            "203.0.113.5",
            "an untrusted peer's header is ignored"
        );
        let proxied = ed
            .from_ip([10, 0, 0, 1].into())
            .with_header("x-forwarded-for", "198.51.100.1")
            .action("docs.edit", json!({"id": 1, "title": "a"}))
            .await;
        assert_eq!(
            proxied.json()["client"],
            "198.51.100.1",
            "a trusted proxy's header is believed"
        );
        // Cookies set by one action and read by the next: a signed one (readable, but a forged
        // one reads as absent) and a private one (not even readable by the client).
        let cookie = |name: &str| {
            proxied
                .set_cookies()
                .into_iter()
                .map(|c| c.split(';').next().unwrap().to_owned())
                .find(|c| c.starts_with(&format!("{name}=")))
                .unwrap_or_else(|| panic!("the action's {name} cookie"))
        };
        let (signed_cookie, draft_cookie) = (cookie("last-editor"), cookie("draft"));
        assert!(
            signed_cookie.contains("Ed"),
            "signed, not hidden: {signed_cookie}"
        );
        assert_ne!(draft_cookie, "draft=a", "encrypted");
        assert_eq!(
            proxied.header("x-doc-id"),
            Some("1"),
            "the action's own header"
        );
        let vi = client.with_header("x-api-key", "k-vi");
        let both = format!("{signed_cookie}; {draft_cookie}");
        let signed = vi
            .with_header("cookie", &both)
            .action("docs.whoami", json!({}))
            .await;
        assert_eq!(signed.json()["lastEditor"], "Ed");
        assert_eq!(
            signed.json()["draft"],
            "a",
            "the server reads its private cookie"
        );
        let forged = vi
            .with_header("cookie", "last-editor=Mallory; draft=a")
            .action("docs.whoami", json!({}))
            .await;
        assert_eq!(forged.json()["lastEditor"], serde_json::Value::Null);
        assert_eq!(forged.json()["draft"], serde_json::Value::Null);
        // A redirect instead of the JSON output.
        let redirected = ed
            .with_header("x-via", "form")
            .action("docs.edit", json!({"id": 4, "title": "b"}))
            .await;
        assert_eq!(redirected.status, StatusCode::SEE_OTHER);
        assert_eq!(redirected.header("location"), Some("/docs/4"));
        assert!(redirected.body.is_empty(), "no body with a redirect");
        // An action that fails sets nothing.
        let refused = vi
            .with_header("x-via", "form")
            .action("docs.edit", json!({"id": 4, "title": "b"}))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.header("set-cookie"), None);
    });
}

#[test]
fn the_apps_own_routes() {
    actions_runtime::testing::run(async {
        let client = client();
        let page = client
            .with_header("x-api-key", "k-ed")
            .post("/page")
            .send()
            .await;
        page.assert_status(StatusCode::OK);
        assert_eq!(std::str::from_utf8(&page.body).unwrap(), "📄 edited by Ed");
        assert!(
            page.set_cookies()
                .iter()
                .any(|c| c.starts_with("last-editor=")),
            "what the action set reaches the route's answer"
        );
        let refused = client
            .with_header("x-api-key", "k-vi")
            .post("/page")
            .send()
            .await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "the pipeline's ACL, in process"
        );
        let anonymous = client.post("/page").send().await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        let profile = client
            .with_header("x-api-key", "k-vi")
            .get("/profile")
            .send()
            .await;
        assert_eq!(std::str::from_utf8(&profile.body).unwrap(), "Vi (viewer)");
        let hello = |client: TestClient| async move {
            let response = client.get("/hello").send().await;
            String::from_utf8(response.body.to_vec()).unwrap()
        };
        assert_eq!(
            hello(client.with_header("x-api-key", "k-ed")).await,
            "hello, Ed"
        );
        assert_eq!(hello(client.clone()).await, "hello, stranger");
        let signed_out = client.get("/profile").send().await;
        assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);
        assert_eq!(signed_out.code(), "UNAUTHORIZED");
    });
}

#[test]
fn without_the_account_service() {
    actions_runtime::testing::run(async {
        let client = client();
        let response = client.get("/api/auth/get-session").send().await;
        // This server was built without `.auth(…)`: its routes are not there, whether or not
        // the `accounts` feature is compiled in.
        assert_eq!(response.status, StatusCode::NOT_FOUND);
        if cfg!(feature = "accounts") {
            eprintln!("built with the account service (the default features)");
        } else {
            eprintln!("built without the account service");
        }
    });
}

#[test]
fn missing_state_and_undecided_permissions_fail_the_build() {
    let error = Server::builder(registry())
        .authenticator(ApiKeys)
        .build()
        .expect_err("`edit` takes `State<Titles>`, which the server was not given");
    assert!(
        matches!(
            error.problems(),
            [BuildProblem::MissingState { action, state }]
                if action == "docs.edit" && *state == "integration::custom_auth::Titles"
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the server cannot be built:\n  - action `docs.edit` takes `State<integration::custom_auth::Titles>`, but the server has no `integration::custom_auth::Titles`; give it with ServerBuilder::state"
    );
    let titles = || Titles {
        prefix: String::new(),
    };
    Server::builder(registry())
        .authenticator(ApiKeys)
        .state(titles())
        .build()
        .expect("DefaultPolicy decides every permission");
    struct Narrow;
    impl Policy for Narrow {
        fn decides(&self) -> Decides<'_> {
            const ONLY: &[Permission] = &[Permission::new("doc", "read")];
            Decides::Only(ONLY)
        }
    }
    let error = Server::builder(registry())
        .authenticator(ApiKeys)
        .policy(Narrow)
        .state(titles())
        .build()
        .expect_err("doc:edit is decided by no one");
    assert_eq!(
        error.to_string(),
        "the server cannot be built:\n  - action `docs.edit` requires the `doc:edit` permission, which the policy does not decide; add it to Policy::decides (or fix the name)"
    );
}
