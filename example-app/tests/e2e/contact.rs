use crate::spawn;
use actions_runtime::http::StatusCode;
use actions_runtime::testing::TestResponse;
use actions_runtime::testing::{Backend, Multipart};
use serde_json::json;

async fn send(app: &crate::App, form: Multipart) -> TestResponse {
    app.client
        .post("/_actions/contact.send")
        .multipart(form)
        .send()
        .await
}

async fn an_html_form_posts_directly(backend: Backend) {
    let app = spawn(backend).await;
    let response = app
        .client
        .post("/_actions/contact.send")
        .form(&[
            ("name", "Ada"),
            ("email", "Ada@Example.com"),
            ("message", "Hi"),
            ("subscribe", "on"),
            ("topics", "rust"),
            ("topics", "sql"),
        ])
        .send()
        .await;
    response.assert_status(StatusCode::OK);
    assert!(response.json()["id"].as_i64().is_some());
    // Unchecked checkbox and no topic selected: not sent at all.
    let response = app
        .client
        .post("/_actions/contact.send")
        .form(&[("name", "B"), ("email", "b@example.com"), ("message", "Hi")])
        .send()
        .await;
    assert_eq!(response.status, StatusCode::OK);
}

async fn with_an_attachment(backend: Backend) {
    let app = spawn(backend).await;
    let form = Multipart::new()
        .text("name", "Ada")
        .text("email", "ada@example.com")
        .text("message", "See attached")
        .file("attachment", "cv.pdf", "application/pdf", b"%PDF-1.7");
    let response = send(&app, form).await;
    response.assert_status(StatusCode::OK);
    let form = Multipart::new()
        .text("name", "Ada")
        .text("email", "ada@example.com")
        .text("message", "Too big")
        .file(
            "attachment",
            "big.bin",
            "application/octet-stream",
            &vec![0; 600 * 1024],
        );
    let response = send(&app, form).await;
    assert_eq!(
        response.json()["fields"],
        json!({"attachment": ["must be at most 512 KiB"]})
    );
}

async fn every_bad_field_is_named(backend: Backend) {
    let app = spawn(backend).await;
    let response = app
        .client
        .post("/_actions/contact.send")
        .form(&[
            ("name", " "),
            ("email", "nope"),
            ("message", ""),
            ("subscribe", "sure"),
        ])
        .send()
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json()["fields"],
        json!({
            "subscribe": ["expected a boolean (true or false)"],
            "email": ["must be an email address"],
            "message": ["must be at least 1 character"],
            "name": ["must be at least 1 character"],
        }),
        "what coercion cannot read and what the rules refuse, at once"
    );
    let response = app
        .client
        .post("/_actions/contact.send")
        .form(&[("email", "nope"), ("topics", "a"), ("surprise", "1")])
        .send()
        .await;
    assert_eq!(
        response.json()["fields"],
        json!({
            "email": ["must be an email address"],
            "message": ["is required"],
            "name": ["is required"],
            "surprise": ["unknown field; expected one of `name`, `email`, `message`, `subscribe`, `topics`, `attachment`"],
        })
    );
    let form = Multipart::new()
        .text("name", "Ada")
        .text("email", "nope")
        .file("attachment", "cv.pdf", "application/pdf", b"%PDF-1.7");
    let response = send(&app, form).await;
    assert_eq!(
        response.json()["fields"],
        json!({"email": ["must be an email address"], "message": ["is required"]}),
        "a file is the form's to judge, not the JSON's"
    );
    let response = app
        .client
        .action("contact.send", json!({"name": "a"}))
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "a form action takes forms"
    );
}

/// What a fuzz of the published schema found the server storing, each refused on its field;
/// and a field sent twice, which is ambiguous as a repeated JSON key is.
async fn addresses_smtp_refuses_and_repeated_fields_are_refused(backend: Backend) {
    let app = spawn(backend).await;
    for email in ["a@b.co\u{0}", "a\u{1}b@c.co", "a(b@c.co", "a@-b.co"] {
        let response = app
            .client
            .post("/_actions/contact.send")
            .form(&[("name", "Ada"), ("email", email), ("message", "Hi")])
            .send()
            .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{email:?}");
        assert!(
            response.json()["fields"]["email"].is_array(),
            "{email:?}: {}",
            response.json()
        );
    }
    let response = app
        .client
        .post("/_actions/contact.send")
        .form(&[
            ("name", "A\u{1b}[31m"),
            ("email", "a@b.co"),
            ("message", "line one\r\n\tline two"),
        ])
        .send()
        .await;
    assert_eq!(
        response.json()["fields"],
        json!({"name": ["must not contain control characters (tabs and line breaks are allowed)"]}),
        "an escape sequence is refused; a tab and line breaks are text"
    );
    let response = app
        .client
        .post("/_actions/contact.send")
        .form(&[
            ("name", "A"),
            ("name", "B"),
            ("email", "a@b.co"),
            ("message", "Hi"),
        ])
        .send()
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json()["fields"],
        json!({"name": ["is given more than once"]})
    );
}

actions_runtime::backend_tests!(
    an_html_form_posts_directly,
    with_an_attachment,
    every_bad_field_is_named,
    addresses_smtp_refuses_and_repeated_fields_are_refused
);
