//! The demo site: server-rendered pages over the app's actions. Every form posts to an action
//! (`/_actions/post.create`, which takes a browser's form as well as JSON;
//! `/api/auth/sign-in/email`, …) and works without JavaScript; with it, `static/js/site.js`
//! (compiled from `client/site.ts`) submits the same forms through the generated TypeScript
//! client without a page load. Pages call actions in process with
//! [`Caller`], so the policy that refuses an action refuses its page too.

use crate::actions::account::{self, Account, MyAccounts};
use crate::actions::post::{self, ListPosts, Post, PostId};
use actions_runtime::auth::{Role, User};
use actions_runtime::web::Flash;
use actions_runtime::{ActionError, Caller, ErrorCode, Server};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use headers::{ETag, HeaderMapExt, IfNoneMatch};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Posts per page of the list: small, so that paging shows with a handful of posts.
pub const PAGE_SIZE: i64 = 5;

/// The site's routes, served by `example-app serve` beside the actions.
pub fn pages(server: &Server) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/posts/new", get(new_post))
        .route("/posts/{id}", get(show_post))
        .route("/posts/{id}/edit", get(edit_post))
        .route("/sign-up", get(sign_up))
        .route("/sign-in", get(sign_in))
        .route("/account", get(account_page))
        .route("/contact", get(contact))
        .route(
            "/static/site.css",
            get(asset(CSS, "text/css; charset=utf-8")),
        )
        .route("/static/js/site.js", get(asset(SITE_JS, JS)))
        .route("/static/js/actions.js", get(asset(ACTIONS_JS, JS)))
        .fallback(not_found)
        .with_state(server.clone())
}

const CSS: &str = include_str!("../static/site.css");
const SITE_JS: &str = include_str!("../static/js/site.js");
const ACTIONS_JS: &str = include_str!("../static/js/actions.js");
const JS: &str = "text/javascript; charset=utf-8";

/// What the contact page says once a message is sent (the script says the same).
const CONTACT_SENT: &str = "Thank you: your message was sent.";

/// An embedded file with its content type and an `ETag` (a hash of its bytes): browsers
/// revalidate it on every use (it changes with the binary), and a `304` without a body answers
/// them while it has not changed.
fn asset(
    body: &'static str,
    content_type: &'static str,
) -> impl Fn(HeaderMap) -> std::future::Ready<Response> + Clone {
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(body, &mut hasher);
    let tag = format!("\"{:016x}\"", std::hash::Hasher::finish(&hasher));
    let etag: ETag = tag.parse().expect("a quoted hex string is an entity tag");
    move |request: HeaderMap| {
        let unchanged = request
            .typed_get::<IfNoneMatch>()
            .is_some_and(|known| !known.precondition_passes(&etag));
        let mut headers = HeaderMap::new();
        headers.typed_insert(etag.clone());
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        std::future::ready(if unchanged {
            (StatusCode::NOT_MODIFIED, headers).into_response()
        } else {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            (headers, body).into_response()
        })
    }
}

/// What a form shows: its outcome, the error beside each field and the values typed.
#[derive(Debug, Default)]
pub struct FormState {
    /// What failed, at the top of the form (`role="alert"`).
    pub message: Option<String>,
    /// What succeeded.
    pub notice: Option<String>,
    /// The failing fields, in the order the server named them, each with its first message.
    pub fields: Vec<(String, String)>,
    /// The values typed, by field name, each value of a repeated field (never passwords).
    pub values: BTreeMap<String, Vec<String>>,
}

impl FormState {
    /// What the visitor's last form post left for this page, if it went to one of `actions`
    /// (`post.create`, `auth.sign-in`): its error, field errors and values, or `success`.
    pub fn from_flash(flash: Option<Flash>, actions: &[&str], success: Option<&str>) -> FormState {
        let Some(flash) = flash.filter(|flash| actions.contains(&flash.action.as_str())) else {
            return FormState::default();
        };
        let fields = flash
            .fields
            .iter()
            .filter_map(|(field, messages)| Some((field.clone(), messages.first()?.clone())))
            .collect();
        let notice = flash
            .succeeded()
            .then(|| success.map(str::to_owned))
            .flatten();
        FormState {
            message: flash.error.map(|error| error.message),
            notice,
            fields,
            values: flash.values,
        }
    }

    /// The error of field `name`, if it failed.
    pub fn error(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, error)| error.as_str())
    }

    /// The value typed in field `name`, or nothing.
    pub fn value(&self, name: &str) -> &str {
        self.values
            .get(name)
            .and_then(|values| values.first())
            .map_or("", String::as_str)
    }

    /// Whether `value` was among those of field `name`: a ticked box, a selected option.
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.values
            .get(name)
            .is_some_and(|values| values.iter().any(|v| v == value))
    }
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    title: &'static str,
    user: Option<User>,
    q: String,
    posts: Vec<Post>,
    error: Option<String>,
    /// The previous page's (cursor, back) query values; the first page has an empty cursor.
    previous: Option<(String, String)>,
    next: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "post.html")]
struct PostPage {
    title: String,
    user: Option<User>,
    post: Post,
    can_edit: bool,
}

#[derive(Template)]
#[template(path = "post_form.html")]
struct PostForm {
    title: &'static str,
    user: Option<User>,
    /// The action the form posts to (with JavaScript off) and the script calls.
    action: &'static str,
    submit: &'static str,
    id: Option<i64>,
    form: FormState,
}

#[derive(Template)]
#[template(path = "auth.html")]
struct AuthPage {
    title: &'static str,
    user: Option<User>,
    route: &'static str,
    form: FormState,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    title: &'static str,
    user: Option<User>,
    accounts: Vec<Account>,
    form: FormState,
}

#[derive(Template)]
#[template(path = "contact.html")]
struct ContactPage {
    title: &'static str,
    user: Option<User>,
    form: FormState,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    title: &'static str,
    user: Option<User>,
    message: String,
}

/// `?q=…&cursor=…&back=…`: the search, the page's cursor, and the cursors of the pages before
/// it (`.`-separated: cursors are URL-safe base64), so "previous" needs no server state.
#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    cursor: String,
    #[serde(default)]
    back: String,
}

async fn home(mut caller: Caller, Query(query): Query<ListQuery>) -> Response {
    let input = ListPosts {
        q: Some(query.q.clone()).filter(|q| !q.is_empty()),
        limit: Some(PAGE_SIZE),
        cursor: Some(query.cursor.clone()).filter(|c| !c.is_empty()),
    };
    let user = caller.user().cloned();
    let result = caller.call::<post::list>(input).await;
    let (status, posts, next, error) = match result {
        Ok(page) => (StatusCode::OK, page.items, page.next, None),
        Err(error) => (status_of(&error), Vec::new(), None, Some(describe(&error))),
    };
    // `back` holds the cursors of the pages before this one, the first page's (none) left out:
    // "previous" pops the last, "next" pushes this page's.
    let back: Vec<&str> = query.back.split('.').filter(|c| !c.is_empty()).collect();
    let previous = (!query.cursor.is_empty()).then(|| match back.split_last() {
        Some((last, rest)) => ((*last).to_owned(), rest.join(".")),
        None => (String::new(), String::new()),
    });
    let next = next.map(|cursor| {
        let mut trail = back.clone();
        if !query.cursor.is_empty() {
            trail.push(&query.cursor);
        }
        (cursor, trail.join("."))
    });
    let page = ListPage {
        title: "Posts",
        user,
        q: query.q,
        posts,
        error,
        previous,
        next,
    };
    caller.respond((status, render(&page)))
}

async fn show_post(mut caller: Caller, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return caller.respond(not_found_page(None));
    };
    let user = caller.user().cloned();
    match caller.call::<post::get>(PostId { id }).await {
        Ok(post) => {
            let can_edit = user.as_ref().is_some_and(|user| may_edit(user, &post));
            let page = PostPage {
                title: post.title.clone(),
                user,
                post,
                can_edit,
            };
            caller.respond(render(&page))
        }
        Err(error) => caller.respond(error_page(user, &error)),
    }
}

async fn new_post(mut caller: Caller) -> Response {
    let Some(user) = caller.user().cloned() else {
        return caller.respond(Redirect::to("/sign-in"));
    };
    let page = PostForm {
        title: "New post",
        user: Some(user),
        action: "post.create",
        submit: "Publish",
        id: None,
        form: FormState::from_flash(caller.flash(), &["post.create"], None),
    };
    caller.respond(render(&page))
}

async fn edit_post(mut caller: Caller, Path(id): Path<String>) -> Response {
    let Some(user) = caller.user().cloned() else {
        return caller.respond(Redirect::to("/sign-in"));
    };
    let Ok(id) = id.parse::<i64>() else {
        return caller.respond(not_found_page(Some(user)));
    };
    let post = match caller.call::<post::get>(PostId { id }).await {
        Ok(post) => post,
        Err(error) => return caller.respond(error_page(Some(user), &error)),
    };
    // The page says no before the form is filled in; `post.update` refuses the post anyway
    // (the policy's rule on loaded posts).
    if !may_edit(&user, &post) {
        let page = MessagePage {
            title: "You cannot edit this post",
            user: Some(user),
            message: format!("Only its author may edit “{}”.", post.title),
        };
        return caller.respond((StatusCode::FORBIDDEN, render(&page)));
    }
    // Back from a failed save: what was typed; else the post as stored.
    let mut form = FormState::from_flash(caller.flash(), &["post.update"], None);
    if form.message.is_none() {
        form.values.insert("title".into(), vec![post.title]);
        form.values.insert("body".into(), vec![post.body]);
    }
    let page = PostForm {
        title: "Edit post",
        user: Some(user),
        action: "post.update",
        submit: "Save",
        id: Some(post.id),
        form,
    };
    caller.respond(render(&page))
}

async fn sign_up(caller: Caller) -> Response {
    auth_page(caller, "Sign up", "sign-up/email", "auth.sign-up")
}

async fn sign_in(caller: Caller) -> Response {
    auth_page(caller, "Sign in", "sign-in/email", "auth.sign-in")
}

fn auth_page(
    mut caller: Caller,
    title: &'static str,
    route: &'static str,
    action: &str,
) -> Response {
    let page = AuthPage {
        title,
        user: caller.user().cloned(),
        route,
        form: FormState::from_flash(caller.flash(), &[action], None),
    };
    caller.respond(render(&page))
}

async fn account_page(mut caller: Caller) -> Response {
    let Some(user) = caller.user().cloned() else {
        return caller.respond(Redirect::to("/sign-in"));
    };
    let accounts = match caller.call::<account::mine>(MyAccounts {}).await {
        Ok(list) => list.items,
        Err(error) => return caller.respond(error_page(Some(user), &error)),
    };
    let page = AccountPage {
        title: "Account",
        user: Some(user),
        accounts,
        form: FormState::from_flash(caller.flash(), &["account.transfer", "account.open"], None),
    };
    caller.respond(render(&page))
}

async fn contact(mut caller: Caller) -> Response {
    let page = ContactPage {
        title: "Contact",
        user: caller.user().cloned(),
        form: FormState::from_flash(caller.flash(), &["contact.send"], Some(CONTACT_SENT)),
    };
    caller.respond(render(&page))
}

async fn not_found(caller: Caller) -> Response {
    let user = caller.user().cloned();
    caller.respond(not_found_page(user))
}

/// Whether `user` may edit `post`: what the policy grants on loaded posts.
fn may_edit(user: &User, post: &Post) -> bool {
    post.author_id == user.id || user.has_role(&Role::ADMIN)
}

fn not_found_page(user: Option<User>) -> Response {
    let page = MessagePage {
        title: "Not found",
        user,
        message: "There is no page here.".to_owned(),
    };
    (StatusCode::NOT_FOUND, render(&page)).into_response()
}

/// An action's refusal as a page with its status.
fn error_page(user: Option<User>, error: &ActionError) -> Response {
    let page = MessagePage {
        title: if error.code() == ErrorCode::NOT_FOUND {
            "Not found"
        } else {
            "Something went wrong"
        },
        user,
        message: describe(error),
    };
    (status_of(error), render(&page)).into_response()
}

fn status_of(error: &ActionError) -> StatusCode {
    error.code().status()
}

/// What a visitor reads of an error: its message, and each failing field's.
fn describe(error: &ActionError) -> String {
    let mut text = error.message().to_owned();
    for (field, messages) in error.fields().iter() {
        for message in messages {
            text.push_str(&format!("; {field}: {message}"));
        }
    }
    text
}

/// The page as HTML; a template that fails to render (it cannot, short of a bug) is a 500.
fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(%error, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page failed to render",
            )
                .into_response()
        }
    }
}
