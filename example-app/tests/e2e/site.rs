//! The demo site's pages through the real router (the browser suite, `.ci/browser.sh`, drives
//! them in Chromium): the list renders the posts, escaped, and pages through them; the edit page
//! refuses another user's post; the account page shows only the visitor's accounts; the
//! assets are served with their content types and revalidated by `ETag`.

use crate::spawn_site;
use actions_runtime::http::StatusCode;
use actions_runtime::testing::{Backend, TestClient, TestResponse};
use serde_json::json;

fn html(response: &TestResponse) -> String {
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    String::from_utf8(response.body.to_vec()).expect("UTF-8")
}

async fn get(client: &TestClient, path: &str) -> TestResponse {
    client.get(path).send().await
}

/// The `href` of the link marked `rel="…"`, unescaped.
fn link(page: &str, rel: &str) -> Option<String> {
    let start = page.find(&format!("<a rel=\"{rel}\" href=\""))? + rel.len() + 16;
    let end = start + page[start..].find('"')?;
    Some(page[start..end].replace("&amp;", "&").replace("&#38;", "&"))
}

async fn the_list_shows_the_posts_escaped_and_pages(backend: Backend) {
    let app = spawn_site(backend).await;
    let ada = app.user("ada").await;
    let empty = get(&app.client, "/").await;
    empty.assert_status(StatusCode::OK);
    assert!(html(&empty).contains("No posts yet."));
    for n in 1..=6 {
        ada.client
            .action(
                "post.create",
                json!({"title": format!("Post {n} <b>&</b>"), "body": "x"}),
            )
            .await
            .assert_status(StatusCode::OK);
    }
    let first = get(&app.client, "/").await;
    first.assert_status(StatusCode::OK);
    let first = html(&first);
    assert!(first.contains("<html lang=\"en\">"));
    for n in 2..=6 {
        assert!(
            first.contains(&format!("Post {n} &#60;b&#62;&#38;&#60;/b&#62;")),
            "{first}"
        );
    }
    assert!(!first.contains("<b>&</b>"), "titles are escaped");
    assert!(!first.contains("Post 1 "), "five posts a page");
    assert!(link(&first, "prev").is_none());
    let next = link(&first, "next").expect("a next page");
    let second = html(get(&app.client, &next).await.assert_status(StatusCode::OK));
    assert!(second.contains("Post 1 "));
    assert!(!second.contains("Post 2 "));
    assert!(link(&second, "next").is_none());
    let previous = link(&second, "prev").expect("a previous page");
    let again = html(
        get(&app.client, &previous)
            .await
            .assert_status(StatusCode::OK),
    );
    assert!(again.contains("Post 6 ") && again.contains("Post 2 "));

    let found = html(
        get(&app.client, "/?q=post+3")
            .await
            .assert_status(StatusCode::OK),
    );
    assert!(found.contains("Post 3 ") && !found.contains("Post 4 "));
    let refused = get(&app.client, "/?cursor=not-a-cursor").await;
    refused.assert_status(StatusCode::BAD_REQUEST);
    assert!(html(&refused).contains("role=\"alert\""));
}

async fn the_edit_page_refuses_another_users_post(backend: Backend) {
    let app = spawn_site(backend).await;
    let (ada, bob) = (app.user("ada").await, app.user("bob").await);
    let post = ada
        .client
        .action("post.create", json!({"title": "Ada's", "body": "mine"}))
        .await
        .json();
    let path = format!("/posts/{}/edit", post["id"]);

    let own = html(get(&ada.client, &path).await.assert_status(StatusCode::OK));
    assert!(own.contains("action=\"/_actions/post.update\""));
    assert!(own.contains("value=\"Ada&#39;s\""), "{own}");
    let page = html(
        get(&ada.client, &format!("/posts/{}", post["id"]))
            .await
            .assert_status(StatusCode::OK),
    );
    assert!(page.contains("Edit this post"));

    let refused = get(&bob.client, &path).await;
    refused.assert_status(StatusCode::FORBIDDEN);
    let refused = html(&refused);
    assert!(refused.contains("You cannot edit this post"));
    assert!(!refused.contains("action=\"/_actions/post.update\""));
    let page = html(
        get(&bob.client, &format!("/posts/{}", post["id"]))
            .await
            .assert_status(StatusCode::OK),
    );
    assert!(!page.contains("Edit this post"));
    // The action refuses too, whatever the page shows.
    bob.client
        .action(
            "post.update",
            json!({"id": post["id"], "title": "Bob's now"}),
        )
        .await
        .assert_status(StatusCode::FORBIDDEN);

    // And the form post the page makes with JavaScript off, to the same action: back to the
    // page with the refusal in the flash, the post unchanged.
    let id = post["id"].to_string();
    let form = browser_post(
        &bob.client,
        "/_actions/post.update",
        &path,
        &[("id", &id), ("title", "Bob's now")],
    )
    .await;
    form.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(form.header("location"), Some(path.as_str()));
    let own = ada
        .client
        .action("post.get", json!({"id": post["id"]}))
        .await
        .json();
    assert_eq!(own["title"], "Ada's");
    let saved = browser_post(
        &ada.client,
        "/_actions/post.update",
        &path,
        &[
            ("id", &id),
            ("title", "Ada's, edited"),
            ("body", "still mine"),
        ],
    )
    .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        saved.header("location"),
        Some(format!("/posts/{id}").as_str())
    );

    let signed_out = get(&app.client, &path).await;
    signed_out.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(signed_out.header("location"), Some("/sign-in"));
    get(&app.client, "/posts/999999")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    get(&app.client, "/posts/nope")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

async fn the_account_page_shows_only_ones_own_accounts(backend: Backend) {
    let app = spawn_site(backend).await;
    let (ada, bob) = (app.user("ada").await, app.user("bob").await);
    for (member, name, deposit) in [(&ada, "Ada's savings", 1234), (&bob, "Bob's savings", 99)] {
        member
            .client
            .action(
                "account.open",
                json!({"name": name, "initialDeposit": deposit}),
            )
            .await
            .assert_status(StatusCode::OK);
    }
    let page = html(
        get(&ada.client, "/account")
            .await
            .assert_status(StatusCode::OK),
    );
    assert!(page.contains("Ada&#39;s savings") && page.contains(">1234<"));
    assert!(!page.contains("Bob"), "{page}");
    let mine = bob.client.action("account.mine", json!({})).await;
    mine.assert_status(StatusCode::OK);
    assert_eq!(mine.json()["items"][0]["name"], "Bob's savings");
    assert_eq!(mine.json()["items"].as_array().map(Vec::len), Some(1));
    app.client
        .action("account.mine", json!({}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

async fn the_pages_and_assets_are_served(backend: Backend) {
    let app = spawn_site(backend).await;
    for path in ["/sign-in", "/sign-up", "/contact"] {
        let page = html(get(&app.client, path).await.assert_status(StatusCode::OK));
        assert!(page.contains("<label for=\"email\">"), "{path}");
    }
    let contact = html(
        get(&app.client, "/contact")
            .await
            .assert_status(StatusCode::OK),
    );
    assert!(contact.contains("enctype=\"multipart/form-data\""));
    for path in ["/posts/new", "/account"] {
        let response = get(&app.client, path).await;
        response.assert_status(StatusCode::SEE_OTHER);
        assert_eq!(response.header("location"), Some("/sign-in"), "{path}");
    }
    for (path, content_type, file) in [
        (
            "/static/site.css",
            "text/css; charset=utf-8",
            include_str!("../../static/site.css"),
        ),
        (
            "/static/js/site.js",
            "text/javascript; charset=utf-8",
            include_str!("../../static/js/site.js"),
        ),
        (
            "/static/js/actions.js",
            "text/javascript; charset=utf-8",
            include_str!("../../static/js/actions.js"),
        ),
    ] {
        let response = get(&app.client, path).await;
        response.assert_status(StatusCode::OK);
        assert_eq!(
            response.header("content-type"),
            Some(content_type),
            "{path}"
        );
        assert_eq!(&response.body[..], file.as_bytes(), "{path}");
        // Revalidation: the same tag is `304` without a body; another tag gets the file.
        let etag = response.header("etag").expect("an ETag").to_owned();
        assert_eq!(response.header("cache-control"), Some("no-cache"), "{path}");
        let again = app
            .client
            .get(path)
            .header("if-none-match", &etag)
            .send()
            .await;
        again.assert_status(StatusCode::NOT_MODIFIED);
        assert_eq!(again.header("etag"), Some(etag.as_str()), "{path}");
        assert!(again.body.is_empty(), "{path}");
        let stale = app
            .client
            .get(path)
            .header("if-none-match", "\"0\", W/\"1\"")
            .send()
            .await;
        stale.assert_status(StatusCode::OK);
        assert_eq!(&stale.body[..], file.as_bytes(), "{path}");
    }
    let missing = get(&app.client, "/no/such/page").await;
    missing.assert_status(StatusCode::NOT_FOUND);
    assert!(html(&missing).contains("Not found"));
    // The actions' routes keep answering JSON beside the pages.
    let unknown = get(&app.client, "/_actions/nope").await;
    assert_eq!(unknown.header("content-type"), Some("application/json"));
    get(&app.client, "/_actions/schema.json")
        .await
        .assert_status(StatusCode::OK);
}

/// The flash cookie a browser form post was answered with, as a `Cookie` header.
fn flash_cookie(response: &TestResponse) -> String {
    response
        .set_cookies()
        .into_iter()
        .find(|cookie| cookie.starts_with("flash="))
        .and_then(|cookie| cookie.split(';').next())
        .expect("a flash cookie")
        .to_owned()
}

/// A browser's form post from `page`, as Chromium sends it (JavaScript off); `client` sends the
/// `Origin` (a member's does).
async fn browser_post(
    client: &TestClient,
    path: &str,
    page: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    client
        .post(path)
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("referer", &format!("{}{page}", crate::ORIGIN))
        .form(fields)
        .send()
        .await
}

async fn a_failed_form_post_comes_back_with_its_errors_and_values(backend: Backend) {
    let app = spawn_site(backend).await;
    app.user("ada").await;
    let browser = app.client.with_header("origin", crate::ORIGIN);
    let refused = browser_post(
        &browser,
        "/api/auth/sign-in/email",
        "/sign-in",
        &[
            ("email", "ada@example.test"),
            ("password", "wrong password"),
            ("callbackURL", "/"),
        ],
    )
    .await;
    refused.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(refused.header("location"), Some("/sign-in"));
    let page = app
        .client
        .get("/sign-in")
        .header("cookie", &flash_cookie(&refused))
        .send()
        .await;
    page.assert_status(StatusCode::OK);
    let cleared = page
        .set_cookies()
        .iter()
        .any(|c| c.starts_with("flash=") && c.contains("Max-Age=0"));
    assert!(cleared, "read once: {:?}", page.set_cookies());
    let page = html(&page);
    assert!(page.contains("role=\"alert\""));
    assert!(
        page.to_lowercase().contains("invalid email or password"),
        "{page}"
    );
    assert!(
        page.contains("value=\"ada@example.test\""),
        "the email is kept"
    );
    assert!(!page.contains("wrong password"), "never the password");
    let unflashed = html(
        get(&app.client, "/sign-in")
            .await
            .assert_status(StatusCode::OK),
    );
    assert!(
        !unflashed
            .to_lowercase()
            .contains("invalid email or password")
    );

    // A form action: the contact form's field error beside its field, then its success.
    let refused = browser_post(
        &browser,
        "/_actions/contact.send",
        "/contact",
        &[
            ("name", "Ada"),
            ("email", "not an address"),
            ("message", "Hi <there>"),
            ("topics", "posts"),
            ("topics", "other"),
            ("subscribe", "true"),
        ],
    )
    .await;
    refused.assert_status(StatusCode::SEE_OTHER);
    let page = app
        .client
        .get("/contact")
        .header("cookie", &flash_cookie(&refused))
        .send()
        .await;
    let page = html(page.assert_status(StatusCode::OK));
    assert!(
        page.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""),
        "{page}"
    );
    assert!(page.contains("<p class=\"field-error\" id=\"email-error\">"));
    assert!(
        page.contains("Hi &#60;there&#62;</textarea>"),
        "the message kept, escaped"
    );
    // Every option chosen in the multiple select is selected again, and the box ticked.
    for (option, selected) in [("posts", true), ("accounts", false), ("other", true)] {
        let tag = format!("<option value=\"{option}\" selected>");
        assert_eq!(page.contains(&tag), selected, "{option}: {page}");
    }
    assert!(page.contains("value=\"true\" checked>"), "{page}");
    let sent = browser_post(
        &browser,
        "/_actions/contact.send",
        "/contact",
        &[
            ("name", "Ada"),
            ("email", "ada@example.test"),
            ("message", "Hi"),
        ],
    )
    .await;
    sent.assert_status(StatusCode::SEE_OTHER);
    let page = app
        .client
        .get("/contact")
        .header("cookie", &flash_cookie(&sent))
        .send()
        .await;
    assert!(html(page.assert_status(StatusCode::OK)).contains("your message was sent"));
}

actions_runtime::backend_tests!(
    a_failed_form_post_comes_back_with_its_errors_and_values,
    the_list_shows_the_posts_escaped_and_pages,
    the_edit_page_refuses_another_users_post,
    the_account_page_shows_only_ones_own_accounts,
    the_pages_and_assets_are_served,
);
