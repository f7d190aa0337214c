//! Better Auth's recovery and management flows: password reset, re-authentication, email
//! verification, profile and address changes, account deletion, and their mail.

use crate::auth::{
    AuthApp, ORIGIN, browser, on, post, session_of, sign_in, sign_up, spawn_with, token_of,
};
use actions_runtime::auth::{AuthConfig, Mail, MailError, Mailer, RateLimit, RateLimits};
use actions_runtime::testing::{Backend, Mailbox, TestClient, TestResponse};
use futures_util::future::BoxFuture;
use http::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

const HOUR: Duration = Duration::from_secs(3600);

/// Limits loose enough for a test that mails and signs in more often than a person would (the
/// test clock stands still, so nothing refills).
pub(crate) fn loose() -> RateLimits {
    let many = RateLimit::new(100, Duration::from_secs(10));
    RateLimits {
        sign_in_per_ip: many,
        sign_up_per_ip: many,
        change_password_per_ip: many,
        mail_per_ip: many,
        mail_per_email: many,
        token_per_ip: many,
        verify_password_per_ip: many,
        change_email_per_ip: many,
        update_user_per_ip: many,
        delete_user_per_ip: many,
        ..RateLimits::default()
    }
}

async fn spawn_mailing(
    backend: Backend,
    configure: impl FnOnce(AuthConfig) -> AuthConfig,
) -> (AuthApp, Mailbox) {
    let mailbox = Mailbox::new();
    let mailer = mailbox.clone();
    let app = spawn_with(backend, |config| {
        configure(config.mailer(mailer).rate_limits(loose()))
    })
    .await;
    (app, mailbox)
}

/// The path and query of a mailed link on the test origin.
pub(crate) fn path_of(link: &str) -> String {
    link.strip_prefix(ORIGIN)
        .unwrap_or_else(|| panic!("{link} is not on {ORIGIN}"))
        .to_owned()
}

pub(crate) fn location(response: &TestResponse) -> String {
    response.assert_status(StatusCode::FOUND);
    response.header("location").expect("a Location").to_owned()
}

/// The `token` parameter of a URL.
pub(crate) fn token_param(url: &str) -> String {
    url.split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("token="))
        .unwrap_or_else(|| panic!("no token in {url}"))
        .to_owned()
}

fn assert_error(response: &TestResponse, status: StatusCode, code: &str) {
    assert_eq!(
        (response.status, response.code()),
        (status, code.to_owned()),
        "{:?}",
        response.json()
    );
}

/// The whole reset: the mail, its link, the new password, and every old session revoked.
async fn password_reset(backend: Backend) {
    let (app, mailbox) = spawn_mailing(backend, |config| config).await;
    let first = token_of(&sign_up(&app.client, "ada@example.com", "old password").await);
    let second = token_of(&sign_in(&app.client, "ada@example.com", "old password").await);

    let known = post(
        &app.client,
        "/api/auth/request-password-reset",
        json!({"email": "Ada@Example.com", "redirectTo": "/reset"}),
    )
    .await;
    let unknown = post(
        &app.client,
        "/api/auth/request-password-reset",
        json!({"email": "nobody@example.com", "redirectTo": "/reset"}),
    )
    .await;
    known.assert_status(StatusCode::OK);
    assert_eq!(
        known.json(),
        json!({"status": true, "message": "If this email exists in our system, check your email for the reset link"})
    );
    assert_eq!(
        (unknown.status, unknown.json()),
        (known.status, known.json()),
        "the same answer"
    );
    let refused = post(
        &app.client,
        "/api/auth/request-password-reset",
        json!({"email": "ada@example.com", "redirectTo": "https://evil.example/steal"}),
    )
    .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "INVALID_CALLBACK_URL");

    let mail = mailbox.latest_to("ada@example.com").await;
    assert_eq!(mail.subject, "Reset your password");
    let link = Mailbox::link(&mail);
    assert!(
        link.starts_with(&format!("{ORIGIN}/api/auth/reset-password/")),
        "{link}"
    );
    assert!(mail.html.contains("href=\""), "an HTML body with the link");
    // The link leads to the app's page with the token.
    let redirect = location(&app.client.get(&path_of(&link)).send().await);
    assert!(
        redirect.starts_with(&format!("{ORIGIN}/reset?token=")),
        "{redirect}"
    );
    let token = token_param(&redirect);
    let bad = location(
        &app.client
            .get("/api/auth/reset-password/not-a-token?callbackURL=%2Freset")
            .send()
            .await,
    );
    assert_eq!(bad, format!("{ORIGIN}/reset?error=INVALID_TOKEN"));

    let short = post(
        &app.client,
        "/api/auth/reset-password",
        json!({"newPassword": "short", "token": token}),
    )
    .await;
    assert_error(&short, StatusCode::BAD_REQUEST, "PASSWORD_TOO_SHORT");
    let reset = post(
        &app.client,
        "/api/auth/reset-password",
        json!({"newPassword": "new password", "token": token}),
    )
    .await;
    reset.assert_status(StatusCode::OK);
    assert_eq!(reset.json(), json!({"status": true}));
    for old in [&first, &second] {
        assert_eq!(
            session_of(&app.client, old).await,
            Value::Null,
            "a reset revokes every session"
        );
    }
    assert_eq!(
        sign_in(&app.client, "ada@example.com", "old password")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    sign_in(&app.client, "ada@example.com", "new password")
        .await
        .assert_status(StatusCode::OK);
    let again = post(
        &app.client,
        "/api/auth/reset-password",
        json!({"newPassword": "third password", "token": token}),
    )
    .await;
    assert_error(&again, StatusCode::BAD_REQUEST, "INVALID_TOKEN");

    // A token expires after an hour.
    post(
        &app.client,
        "/api/auth/request-password-reset",
        json!({"email": "ada@example.com"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let expiring = loop {
        let mail = mailbox.latest_to("ada@example.com").await;
        let link = Mailbox::link(&mail);
        if !link.contains(&token) && mailbox.count_to("ada@example.com") == 2 {
            break link;
        }
        tokio::task::yield_now().await;
    };
    assert!(
        expiring.ends_with("?callbackURL=%2F"),
        "the default callback: {expiring}"
    );
    app.clock.advance(HOUR + Duration::from_secs(1));
    let token = expiring
        .rsplit_once("/reset-password/")
        .and_then(|(_, rest)| rest.split('?').next())
        .expect("a token")
        .to_owned();
    let expired = post(
        &app.client,
        "/api/auth/reset-password",
        json!({"newPassword": "third password", "token": token}),
    )
    .await;
    assert_error(&expired, StatusCode::BAD_REQUEST, "INVALID_TOKEN");
    let missing = post(
        &app.client,
        "/api/auth/reset-password",
        json!({"newPassword": "third password"}),
    )
    .await;
    assert_error(&missing, StatusCode::BAD_REQUEST, "INVALID_TOKEN");
}

async fn verify_password(backend: Backend) {
    let (app, _) = spawn_mailing(backend, |config| config).await;
    let ada = browser(
        &app.client,
        &token_of(&sign_up(&app.client, "ada@example.com", "correct horse").await),
    );
    let wrong = post(
        &ada,
        "/api/auth/verify-password",
        json!({"password": "wrong horse"}),
    )
    .await;
    assert_error(&wrong, StatusCode::BAD_REQUEST, "INVALID_PASSWORD");
    let right = post(
        &ada,
        "/api/auth/verify-password",
        json!({"password": "correct horse"}),
    )
    .await;
    right.assert_status(StatusCode::OK);
    assert_eq!(right.json(), json!({"status": true}));
    let signed_out = post(
        &app.client,
        "/api/auth/verify-password",
        json!({"password": "correct horse"}),
    )
    .await;
    assert_error(&signed_out, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
}

/// `requireEmailVerification`: sign-up opens no session, sign-in is refused with a fresh link
/// until the address is verified.
async fn email_verification(backend: Backend) {
    let (app, mailbox) =
        spawn_mailing(backend, |config| config.require_email_verification(true)).await;
    let response = sign_up(&app.client, "ada@example.com", "correct horse").await;
    assert_eq!(response.json()["token"], Value::Null);
    assert_eq!(response.json()["user"]["emailVerified"], false);
    assert!(response.set_cookies().is_empty(), "no session yet");
    let first = mailbox.latest_to("ada@example.com").await;
    assert_eq!(first.subject, "Verify your email address");

    let refused = sign_in(&app.client, "ada@example.com", "correct horse").await;
    assert_error(&refused, StatusCode::FORBIDDEN, "EMAIL_NOT_VERIFIED");
    // A fresh mail, and only the latest link works.
    let fresh = loop {
        if mailbox.count_to("ada@example.com") == 2 {
            break mailbox.latest_to("ada@example.com").await;
        }
        tokio::task::yield_now().await;
    };
    // The links lead to `/` (no callbackURL was given), with the error when there is one.
    let stale = location(
        &app.client
            .get(&path_of(&Mailbox::link(&first)))
            .send()
            .await,
    );
    assert_eq!(stale, format!("{ORIGIN}/?error=INVALID_TOKEN"));
    let fresh_link = path_of(&Mailbox::link(&fresh));
    let verified = location(&app.client.get(&fresh_link).send().await);
    assert_eq!(verified, format!("{ORIGIN}/"));
    // Without a callback, JSON as Better Auth answers.
    let bare = fresh_link
        .split_once("&callbackURL")
        .expect("a callback")
        .0
        .to_owned();
    let again = app.client.get(&bare).send().await;
    assert_error(&again, StatusCode::UNAUTHORIZED, "INVALID_TOKEN");

    let signed_in = sign_in(&app.client, "ada@example.com", "correct horse").await;
    signed_in.assert_status(StatusCode::OK);
    assert_eq!(signed_in.json()["user"]["emailVerified"], true);
    let ada = browser(&app.client, &token_of(&signed_in));
    let already = post(
        &ada,
        "/api/auth/send-verification-email",
        json!({"email": "ada@example.com"}),
    )
    .await;
    assert_error(&already, StatusCode::BAD_REQUEST, "EMAIL_ALREADY_VERIFIED");
    let mismatch = post(
        &ada,
        "/api/auth/send-verification-email",
        json!({"email": "bob@example.com"}),
    )
    .await;
    assert_error(&mismatch, StatusCode::BAD_REQUEST, "EMAIL_MISMATCH");
}

/// `sendOnSignUp`, `send-verification-email` signed out, and a link with a callback.
async fn verification_mail_on_request(backend: Backend) {
    let (app, mailbox) =
        spawn_mailing(backend, |config| config.send_verification_on_sign_up(true)).await;
    let response = sign_up(&app.client, "ada@example.com", "correct horse").await;
    let ada = browser(&app.client, &token_of(&response));
    mailbox.latest_to("ada@example.com").await;
    let sent = post(
        &app.client,
        "/api/auth/send-verification-email",
        json!({"email": "ada@example.com", "callbackURL": "/welcome"}),
    )
    .await;
    assert_eq!(sent.json(), json!({"status": true}));
    let unknown = post(
        &app.client,
        "/api/auth/send-verification-email",
        json!({"email": "nobody@example.com"}),
    )
    .await;
    assert_eq!(unknown.json(), json!({"status": true}), "the same answer");
    let link = loop {
        let mail = mailbox.latest_to("ada@example.com").await;
        let link = Mailbox::link(&mail);
        if link.contains("welcome") {
            break link;
        }
        tokio::task::yield_now().await;
    };
    let redirect = location(&app.client.get(&path_of(&link)).send().await);
    assert_eq!(redirect, format!("{ORIGIN}/welcome"));
    assert_eq!(
        session_of(&app.client, &token_of(&response)).await["user"]["emailVerified"],
        true
    );
    let bad = location(
        &ada.get("/api/auth/verify-email?token=nope&callbackURL=%2Fwelcome")
            .send()
            .await,
    );
    assert_eq!(bad, format!("{ORIGIN}/welcome?error=INVALID_TOKEN"));
}

async fn update_user_and_change_email(backend: Backend) {
    let (app, mailbox) = spawn_mailing(backend, |config| config).await;
    let token = token_of(&sign_up(&app.client, "ada@example.com", "correct horse").await);
    let ada = browser(&app.client, &token);
    let updated = post(
        &ada,
        "/api/auth/update-user",
        json!({"name": " Ada L. ", "image": "https://img.example/ada.png"}),
    )
    .await;
    assert_eq!(updated.json(), json!({"status": true}));
    let user = session_of(&app.client, &token).await["user"].clone();
    assert_eq!(
        (user["name"].clone(), user["image"].clone()),
        (json!("Ada L."), json!("https://img.example/ada.png"))
    );
    let email = post(
        &ada,
        "/api/auth/update-user",
        json!({"email": "eve@example.com"}),
    )
    .await;
    assert_error(&email, StatusCode::BAD_REQUEST, "EMAIL_CAN_NOT_BE_UPDATED");
    let blank = post(&ada, "/api/auth/update-user", json!({"name": "  "})).await;
    assert_error(&blank, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");

    // An unverified address changes at once; the new one gets a verification link.
    let changed = post(
        &ada,
        "/api/auth/change-email",
        json!({"newEmail": "ada@new.example"}),
    )
    .await;
    assert_eq!(changed.json(), json!({"status": true}));
    let user = session_of(&app.client, &token).await["user"].clone();
    assert_eq!(
        (user["email"].clone(), user["emailVerified"].clone()),
        (json!("ada@new.example"), json!(false))
    );
    let link = Mailbox::link(&mailbox.latest_to("ada@new.example").await);
    let bare = path_of(&link)
        .split_once("&callbackURL")
        .expect("a callback")
        .0
        .to_owned();
    let verified = ada.get(&bare).send().await;
    verified.assert_status(StatusCode::OK);
    assert_eq!(verified.json(), json!({"status": true, "user": null}));
    assert_eq!(
        session_of(&app.client, &token).await["user"]["emailVerified"],
        true
    );

    // A verified address changes only once the new one is confirmed.
    sign_up(&app.client, "bob@example.com", "correct horse").await;
    let taken = post(
        &ada,
        "/api/auth/change-email",
        json!({"newEmail": "bob@example.com"}),
    )
    .await;
    assert_eq!(taken.json(), json!({"status": true}), "nothing revealed");
    let same = post(
        &ada,
        "/api/auth/change-email",
        json!({"newEmail": "ada@new.example"}),
    )
    .await;
    assert_error(&same, StatusCode::BAD_REQUEST, "EMAIL_IS_THE_SAME");
    post(
        &ada,
        "/api/auth/change-email",
        json!({"newEmail": "ada@third.example", "callbackURL": "/settings"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let mail = mailbox.latest_to("ada@third.example").await;
    assert_eq!(mail.subject, "Confirm the change of your email address");
    assert_eq!(
        session_of(&app.client, &token).await["user"]["email"],
        "ada@new.example",
        "unchanged until confirmed"
    );
    let redirect = location(&ada.get(&path_of(&Mailbox::link(&mail))).send().await);
    assert_eq!(redirect, format!("{ORIGIN}/settings"));
    let user = session_of(&app.client, &token).await["user"].clone();
    assert_eq!(
        (user["email"].clone(), user["emailVerified"].clone()),
        (json!("ada@third.example"), json!(true))
    );
    sign_in(&app.client, "ada@third.example", "correct horse")
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        mailbox.count_to("bob@example.com"),
        0,
        "no mail to a taken address"
    );
}

async fn delete_user(backend: Backend) {
    let (app, mailbox) = spawn_mailing(backend, |config| config).await;
    let first = token_of(&sign_up(&app.client, "ada@example.com", "correct horse").await);
    let second = token_of(&sign_in(&app.client, "ada@example.com", "correct horse").await);
    let ada = browser(&app.client, &first);
    let wrong = post(&ada, "/api/auth/delete-user", json!({"password": "wrong"})).await;
    assert_error(&wrong, StatusCode::BAD_REQUEST, "INVALID_PASSWORD");
    let deleted = post(
        &ada,
        "/api/auth/delete-user",
        json!({"password": "correct horse"}),
    )
    .await;
    assert_eq!(
        deleted.json(),
        json!({"success": true, "message": "User deleted"})
    );
    for token in [&first, &second] {
        assert_eq!(
            session_of(&app.client, token).await,
            Value::Null,
            "its sessions go with it"
        );
    }
    assert_eq!(
        sign_in(&app.client, "ada@example.com", "correct horse")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // A fresh session needs no password; a stale one does.
    let bob = browser(
        &app.client,
        &token_of(&sign_up(&app.client, "bob@example.com", "correct horse").await),
    );
    let eve_token = token_of(&sign_up(&app.client, "eve@example.com", "correct horse").await);
    let eve = browser(&app.client, &eve_token);
    post(&bob, "/api/auth/delete-user", json!({}))
        .await
        .assert_status(StatusCode::OK);
    app.clock.advance(2 * 24 * HOUR);
    let stale = post(&eve, "/api/auth/delete-user", json!({})).await;
    assert_error(&stale, StatusCode::BAD_REQUEST, "SESSION_EXPIRED");
    let listed = eve.get("/api/auth/list-sessions").send().await;
    assert_error(&listed, StatusCode::FORBIDDEN, "SESSION_NOT_FRESH");

    // Or, when the app asks for it, a confirmation link.
    let confirming = on(&app.db, &app.clock, |config| {
        config
            .mailer(mailbox.clone())
            .rate_limits(loose())
            .confirm_deletion_by_mail(true)
    });
    let eve = browser(&confirming, &eve_token);
    let sent = post(
        &eve,
        "/api/auth/delete-user",
        json!({"callbackURL": "/goodbye"}),
    )
    .await;
    assert_eq!(
        sent.json(),
        json!({"success": true, "message": "Verification email sent"})
    );
    let mail = mailbox.latest_to("eve@example.com").await;
    assert_eq!(mail.subject, "Confirm the deletion of your account");
    let wrong = post(
        &eve,
        "/api/auth/delete-user",
        json!({"token": "not-the-token"}),
    )
    .await;
    assert_error(&wrong, StatusCode::NOT_FOUND, "INVALID_TOKEN");
    assert!(
        session_of(&confirming, &eve_token).await["user"].is_object(),
        "not yet"
    );
    let redirect = location(&eve.get(&path_of(&Mailbox::link(&mail))).send().await);
    assert_eq!(redirect, format!("{ORIGIN}/goodbye"));
    assert_eq!(session_of(&confirming, &eve_token).await, Value::Null);
    let again = eve.get(&path_of(&Mailbox::link(&mail))).send().await;
    assert_error(&again, StatusCode::NOT_FOUND, "FAILED_TO_GET_USER_INFO");
}

/// `revokeOtherSessions` as sent: absent or false keeps the others (Better Auth's default).
async fn change_password_keeps_others_unless_asked(backend: Backend) {
    let (app, _) = spawn_mailing(backend, |config| config).await;
    let this = token_of(&sign_up(&app.client, "ada@example.com", "old password").await);
    let other = token_of(&sign_in(&app.client, "ada@example.com", "old password").await);
    post(
        &browser(&app.client, &this),
        "/api/auth/change-password",
        json!({"currentPassword": "old password", "newPassword": "new password", "revokeOtherSessions": false}),
    )
    .await
    .assert_status(StatusCode::OK);
    assert!(session_of(&app.client, &other).await["user"].is_object());
}

/// The default limits: 3 mails a minute per address, Better Auth's headers on the 429, and no
/// caching of the session.
async fn mail_limits_and_headers(backend: Backend) {
    let mailbox = Mailbox::new();
    let mailer = mailbox.clone();
    let app = spawn_with(backend, |config| config.mailer(mailer)).await;
    let token = token_of(&sign_up(&app.client, "ada@example.com", "correct horse").await);
    let ask = async |client: &TestClient| {
        post(
            client,
            "/api/auth/request-password-reset",
            json!({"email": "ada@example.com"}),
        )
        .await
    };
    for n in 0..3 {
        // From three addresses: the per-address limit is the one that bites.
        let client = app.client.from_ip([192, 0, 2, n].into());
        ask(&client).await.assert_status(StatusCode::OK);
    }
    let limited = ask(&app.client.from_ip([192, 0, 2, 9].into())).await;
    assert_error(&limited, StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS");
    let retry = limited.header("retry-after").expect("Retry-After");
    assert_eq!(limited.header("x-retry-after"), Some(retry));
    assert!(retry.parse::<u64>().expect("seconds") <= 60);
    // Per client address too: three requests, then 429, whatever the email.
    let client = app.client.from_ip([198, 51, 100, 1].into());
    for n in 0..3 {
        post(
            &client,
            "/api/auth/request-password-reset",
            json!({"email": format!("user{n}@example.com")}),
        )
        .await
        .assert_status(StatusCode::OK);
    }
    let limited = post(
        &client,
        "/api/auth/request-password-reset",
        json!({"email": "user9@example.com"}),
    )
    .await;
    assert_error(&limited, StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS");

    let session = browser(&app.client, &token)
        .get("/api/auth/get-session")
        .send()
        .await;
    assert_eq!(session.header("cache-control"), Some("no-store"));
    let signed_out = app.client.get("/api/auth/get-session").send().await;
    assert_eq!(signed_out.header("cache-control"), Some("no-store"));
    app.clock.advance(Duration::from_secs(61));
    ask(&app.client.from_ip([192, 0, 2, 10].into()))
        .await
        .assert_status(StatusCode::OK);
}

/// A mailer that never finishes: the request that sends a mail answers anyway.
struct Stuck;

impl Mailer for Stuck {
    fn send<'a>(&'a self, _: &'a Mail) -> BoxFuture<'a, Result<(), MailError>> {
        Box::pin(std::future::pending())
    }
}

/// A mailer that always fails: retried, logged, never answered to the client.
struct Failing;

impl Mailer for Failing {
    fn send<'a>(&'a self, _: &'a Mail) -> BoxFuture<'a, Result<(), MailError>> {
        Box::pin(async { Err(MailError::new("the server is down")) })
    }
}

async fn mail_failures_stay_off_the_request(backend: Backend) {
    let app = spawn_with(backend, |config| config.mailer(Stuck).rate_limits(loose())).await;
    sign_up(&app.client, "ada@example.com", "correct horse").await;
    let response = post(
        &app.client,
        "/api/auth/request-password-reset",
        json!({"email": "ada@example.com"}),
    )
    .await;
    response.assert_status(StatusCode::OK);
    let failing = on(&app.db, &app.clock, |config| {
        config.mailer(Failing).rate_limits(loose())
    });
    let response = post(
        &failing,
        "/api/auth/request-password-reset",
        json!({"email": "ada@example.com"}),
    )
    .await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.json()["status"], true);
}

/// `(action, outcome, code)` of every audit event so far, oldest first.
async fn audited(app: &AuthApp) -> Vec<(String, String, Option<String>)> {
    let events = app
        .db
        .database()
        .run(async |conn| actions_runtime::audit::events(conn, None, 100).await)
        .await
        .and_then(|events| events)
        .expect("the log");
    events
        .iter()
        .rev()
        .map(|e| {
            let outcome = serde_json::to_value(e.outcome).unwrap();
            (
                e.action.clone(),
                outcome.as_str().unwrap().to_owned(),
                e.code.clone(),
            )
        })
        .collect()
}

/// Every flow writes its event; the background part of a reset request writes its own, for an
/// address without an account too (as a failure, without a user).
async fn recovery_flows_are_audited(backend: Backend) {
    let (app, mailbox) = spawn_mailing(backend, |config| config).await;
    let token = token_of(&sign_up(&app.client, "ada@example.com", "correct horse").await);
    let ada = browser(&app.client, &token);
    post(
        &app.client,
        "/api/auth/request-password-reset",
        json!({"email": "nobody@example.com"}),
    )
    .await
    .assert_status(StatusCode::OK);
    post(
        &app.client,
        "/api/auth/request-password-reset",
        json!({"email": "ada@example.com"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let link = Mailbox::link(&mailbox.latest_to("ada@example.com").await);
    let reset_token = link
        .rsplit_once("/reset-password/")
        .and_then(|(_, rest)| rest.split('?').next())
        .expect("a token")
        .to_owned();
    // Wait for the unknown address's background event too (no mail to wait for there).
    let mut waited = 0;
    while !audited(&app)
        .await
        .iter()
        .any(|(action, outcome, _)| action == "auth.request_password_reset" && outcome == "failure")
    {
        waited += 1;
        assert!(waited < 3000, "the background event never came");
        tokio::task::yield_now().await;
    }
    post(
        &app.client,
        "/api/auth/reset-password",
        json!({"newPassword": "new horse!", "token": reset_token}),
    )
    .await
    .assert_status(StatusCode::OK);
    let token = token_of(&sign_in(&app.client, "ada@example.com", "new horse!").await);
    let ada2 = browser(&app.client, &token);
    post(
        &ada2,
        "/api/auth/verify-password",
        json!({"password": "wrong"}),
    )
    .await;
    post(
        &ada2,
        "/api/auth/verify-password",
        json!({"password": "new horse!"}),
    )
    .await
    .assert_status(StatusCode::OK);
    post(&ada2, "/api/auth/update-user", json!({"name": "Ada L."}))
        .await
        .assert_status(StatusCode::OK);
    post(
        &ada2,
        "/api/auth/delete-user",
        json!({"password": "new horse!"}),
    )
    .await
    .assert_status(StatusCode::OK);
    drop(ada);

    let actions: Vec<(String, String, Option<String>)> = audited(&app)
        .await
        .into_iter()
        .filter(|(action, _, _)| !matches!(action.as_str(), "auth.sign_up" | "auth.sign_in"))
        .collect();
    let event = |action: &str, outcome: &str, code: Option<&str>| {
        (
            action.to_owned(),
            outcome.to_owned(),
            code.map(str::to_owned),
        )
    };
    let mut requests: Vec<_> = actions[..2].to_vec();
    requests.sort();
    assert_eq!(
        requests,
        [
            event(
                "auth.request_password_reset",
                "failure",
                Some("UNAUTHORIZED")
            ),
            event("auth.request_password_reset", "success", None),
        ],
        "one event per request, in whichever order the background tasks ran"
    );
    assert_eq!(
        actions[2..],
        [
            event("auth.reset_password", "success", None),
            event("auth.verify_password", "failure", Some("INVALID_PASSWORD")),
            event("auth.verify_password", "success", None),
            event("auth.update_user", "success", None),
            event("auth.verify_password", "success", None),
            event("auth.delete_user", "success", None),
        ]
    );
}

/// `request-password-reset` takes the same time whether or not the address has an account:
/// the request does the same work either way, and the rest runs after the answer.
async fn password_reset_requests_take_the_same_time(backend: Backend) {
    let (app, _) = spawn_mailing(backend, |config| {
        config.rate_limits(RateLimits {
            mail_per_ip: RateLimit::UNLIMITED,
            mail_per_email: RateLimit::UNLIMITED,
            ..loose()
        })
    })
    .await;
    sign_up(&app.client, "ada@example.com", "correct horse").await;
    let ask = async |email: &str| {
        let started = std::time::Instant::now();
        post(
            &app.client,
            "/api/auth/request-password-reset",
            json!({"email": email}),
        )
        .await
        .assert_status(StatusCode::OK);
        started.elapsed()
    };
    let mut ratios = Vec::new();
    for _ in 0..3 {
        let (mut known, mut unknown) = (Vec::new(), Vec::new());
        for round in 0..101 {
            let pair = if round % 2 == 0 {
                ["ada@example.com", "nobody@example.com"]
            } else {
                ["nobody@example.com", "ada@example.com"]
            };
            for email in pair {
                let elapsed = ask(email).await;
                if email == "ada@example.com" {
                    known.push(elapsed);
                } else {
                    unknown.push(elapsed);
                }
            }
        }
        known.sort();
        unknown.sort();
        let ratio = unknown[50].as_secs_f64() / known[50].as_secs_f64();
        eprintln!(
            "{backend:?}: median request-password-reset, unknown {:?}, known {:?}, ratio {ratio:.3}",
            unknown[50], known[50]
        );
        ratios.push(ratio);
        if (0.8..=1.25).contains(&ratio) {
            return;
        }
    }
    panic!("known and unknown addresses take measurably different times: ratios {ratios:?}");
}

actions_runtime::backend_tests!(
    recovery_flows_are_audited,
    password_reset,
    verify_password,
    email_verification,
    verification_mail_on_request,
    update_user_and_change_email,
    delete_user,
    change_password_keeps_others_unless_asked,
    mail_limits_and_headers,
    mail_failures_stay_off_the_request;
    timing: password_reset_requests_take_the_same_time,
);
