//! Hooks around actions: they run after auth and the ACL (never instead of them), in the order
//! registered, before the body is read, over HTTP and in process, and see the outcome; the
//! per-action `rate_limit` is one of them (`429` with `Retry-After`, per user or per address, in
//! the shared store); and every call has a span with its name, user, outcome and duration.

use actions_runtime::prelude::*;
use actions_runtime::testing::{Backend, ManualClock, TestAuthenticator, TestClient, TestDb};
use actions_runtime::{
    ActionCall, ActionHook, CallOutcome, RateLimitStore, Registry, Server, ServerBuilder,
};
use futures_util::future::BoxFuture;
use http::StatusCode;
use serde_json::json;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub mod hooked {
    use super::*;

    #[input]
    pub struct Ping {
        pub text: String,
    }

    /// How many times `counted` ran (only the hooks test calls it).
    pub static RAN: AtomicUsize = AtomicUsize::new(0);

    #[action(public)]
    pub async fn open(_ctx: &mut ActionContext, input: Ping) -> Result<String, ActionError> {
        Ok(input.text)
    }

    #[action(public)]
    pub async fn counted(_ctx: &mut ActionContext, input: Ping) -> Result<String, ActionError> {
        AtomicUsize::fetch_add(&RAN, 1, Ordering::SeqCst);
        Ok(input.text)
    }

    #[action(acl = "note:purge")]
    pub async fn guarded(_ctx: &mut ActionContext, input: Ping) -> Result<String, ActionError> {
        Ok(input.text)
    }

    #[action(public)]
    pub async fn fails(_ctx: &mut ActionContext, _input: Ping) -> Result<String, ActionError> {
        Err(ActionError::conflict("always"))
    }

    #[action(public, rate_limit = "2/min")]
    pub async fn limited(_ctx: &mut ActionContext, input: Ping) -> Result<String, ActionError> {
        Ok(input.text)
    }

    #[action(auth, rate_limit(ip, "2/min"))]
    pub async fn limited_by_ip(
        _ctx: &mut ActionContext,
        input: Ping,
    ) -> Result<String, ActionError> {
        Ok(input.text)
    }

    #[action(auth, rate_limit(user, "1/10s"))]
    pub async fn limited_by_user(
        _ctx: &mut ActionContext,
        input: Ping,
    ) -> Result<String, ActionError> {
        Ok(input.text)
    }
}

pub(crate) fn registry() -> Registry {
    actions_runtime::registry! {
        hooked: {
            hooked::open,
            hooked::counted,
            hooked::guarded,
            hooked::fails,
            hooked::limited,
            hooked::limited_by_ip,
            hooked::limited_by_user,
        },
    }
}

/// Grants `note:purge` to user 1 only.
pub(crate) struct OnlyOne;

impl actions_runtime::acl::Policy for OnlyOne {
    fn decides(&self) -> actions_runtime::acl::Decides<'_> {
        const PURGE: &[actions_runtime::acl::Permission] =
            &[actions_runtime::acl::Permission::new("note", "purge")];
        actions_runtime::acl::Decides::Only(PURGE)
    }

    fn allows(
        &self,
        user: &actions_runtime::auth::User,
        _: actions_runtime::acl::Permission,
        _: &str,
    ) -> bool {
        user.id == 1
    }
}

pub(crate) fn builder(db: &TestDb) -> ServerBuilder {
    Server::builder(registry())
        .database(db.database().clone())
        .authenticator(TestAuthenticator)
        .policy(OnlyOne)
}

/// Writes what it sees to a shared log; refuses calls carrying `x-refuse: <its name>`.
struct Recorder {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
}

impl ActionHook for Recorder {
    fn before<'a>(&'a self, call: &'a ActionCall<'a>) -> BoxFuture<'a, Result<(), ActionError>> {
        Box::pin(async move {
            let refuse = call
                .request()
                .and_then(|head| head.headers().get("x-refuse"))
                .is_some_and(|value| value == self.name);
            let user = call.user().map(|user| user.id);
            let acl = call.permission().map(|p| p.to_string());
            self.log.lock().unwrap().push(format!(
                "{} before {} {:?} user={user:?} acl={acl:?} http={}",
                self.name,
                call.name(),
                call.posture(),
                call.request().is_some(),
            ));
            if refuse {
                return Err(ActionError::new(
                    actions_runtime::ErrorCode::PAYMENT_REQUIRED,
                    format!("refused by {}", self.name),
                ));
            }
            Ok(())
        })
    }

    fn after(&self, call: &ActionCall<'_>, outcome: &CallOutcome<'_>) {
        assert!(outcome.duration() > Duration::ZERO);
        self.log.lock().unwrap().push(format!(
            "{} after {} {}",
            self.name,
            call.name(),
            outcome
                .error_code()
                .map_or("ok", actions_runtime::ErrorCode::as_str),
        ));
    }
}

fn take(log: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    std::mem::take(&mut *log.lock().unwrap())
}

/// Hooks run in registration order, only for calls past auth and the ACL, with the user and
/// the permission; `after` sees the outcome; a refusal stops the call before its body is read.
async fn hooks_wrap_calls_in_order_after_auth_and_acl(backend: Backend) {
    let db = TestDb::new(backend, &actions_runtime::db::RUNTIME_MIGRATIONS).await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let server = builder(&db)
        .hook(Recorder {
            name: "first",
            log: log.clone(),
        })
        .hook(Recorder {
            name: "second",
            log: log.clone(),
        })
        .build()
        .expect("builds");
    let client = TestClient::new(server.router());

    // Not signed in (401) and not allowed (403): no hook saw either call.
    client
        .action("hooked.guarded", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    client
        .as_user(2)
        .action("hooked.guarded", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    assert_eq!(take(&log), Vec::<String>::new());

    let ok = client
        .as_user(1)
        .action("hooked.guarded", json!({"text": "hi"}))
        .await;
    ok.assert_status(StatusCode::OK);
    assert_eq!(
        take(&log),
        [
            "first before hooked.guarded Authenticated user=Some(1) acl=Some(\"note:purge\") http=true",
            "second before hooked.guarded Authenticated user=Some(1) acl=Some(\"note:purge\") http=true",
            "first after hooked.guarded ok",
            "second after hooked.guarded ok",
        ]
    );

    client
        .action("hooked.fails", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::CONFLICT);
    assert_eq!(
        take(&log)[2..],
        [
            "first after hooked.fails CONFLICT",
            "second after hooked.fails CONFLICT"
        ]
    );

    // The second hook refuses: the handler does not run and the body (not even JSON) is not
    // read — the refusal, not a 400, is the answer; every hook's `after` sees it.
    let ran = std::sync::atomic::AtomicUsize::load(&hooked::RAN, Ordering::SeqCst);
    let refused = client
        .with_header("x-refuse", "second")
        .post("/_actions/hooked.counted")
        .body("application/json", "{ not json")
        .send()
        .await;
    refused.assert_status(StatusCode::PAYMENT_REQUIRED);
    assert_eq!(refused.json()["message"], "refused by second");
    assert_eq!(
        std::sync::atomic::AtomicUsize::load(&hooked::RAN, Ordering::SeqCst),
        ran
    );
    assert_eq!(
        take(&log),
        [
            "first before hooked.counted Public user=None acl=None http=true",
            "second before hooked.counted Public user=None acl=None http=true",
            "first after hooked.counted PAYMENT_REQUIRED",
            "second after hooked.counted PAYMENT_REQUIRED",
        ]
    );
    // The first refuses: the second's `before` never runs.
    client
        .with_header("x-refuse", "first")
        .action("hooked.counted", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::PAYMENT_REQUIRED);
    assert_eq!(
        take(&log),
        [
            "first before hooked.counted Public user=None acl=None http=true",
            "first after hooked.counted PAYMENT_REQUIRED",
            "second after hooked.counted PAYMENT_REQUIRED",
        ]
    );

    // In process: the same hooks, without an HTTP request; the ACL still comes first.
    let mut ctx = server.context(Some(TestAuthenticator::user(
        2,
        actions_runtime::auth::Role::USER,
    )));
    let denied = server
        .call::<hooked::guarded>(&mut ctx, hooked::Ping { text: "x".into() })
        .await
        .expect_err("user 2 may not");
    assert_eq!(denied.code().as_str(), "FORBIDDEN");
    assert_eq!(take(&log), Vec::<String>::new());
    let mut ctx = server.context(Some(TestAuthenticator::user(
        1,
        actions_runtime::auth::Role::USER,
    )));
    let echoed = server
        .call::<hooked::guarded>(&mut ctx, hooked::Ping { text: "in".into() })
        .await
        .expect("user 1 may");
    assert_eq!(echoed, "in");
    assert_eq!(
        take(&log),
        [
            "first before hooked.guarded Authenticated user=Some(1) acl=Some(\"note:purge\") http=false",
            "second before hooked.guarded Authenticated user=Some(1) acl=Some(\"note:purge\") http=false",
            "first after hooked.guarded ok",
            "second after hooked.guarded ok",
        ]
    );
}

fn ip(last: u8) -> IpAddr {
    IpAddr::from([10, 0, 0, last])
}

/// `rate_limit = "2/min"` counts by user when signed in, else by address: the third call is
/// `429` with `Retry-After` and `X-Retry-After`, others are not affected, and the window refills
/// on the server's clock. `rate_limit(ip, …)` counts signed-in users by address;
/// `rate_limit(user, …)` by user whatever the address.
async fn rate_limits_count_per_user_or_address(backend: Backend) {
    let db = TestDb::new(backend, &actions_runtime::db::RUNTIME_MIGRATIONS).await;
    let clock = ManualClock::new();
    let server = builder(&db)
        .clock(Arc::new(clock.clone()))
        .build()
        .expect("builds");
    let client = TestClient::new(server.router());
    let anon = client.from_ip(ip(1));
    for _ in 0..2 {
        anon.action("hooked.limited", json!({"text": "x"}))
            .await
            .assert_status(StatusCode::OK);
    }
    let refused = anon.action("hooked.limited", json!({"text": "x"})).await;
    refused.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.code(), "TOO_MANY_REQUESTS");
    assert_eq!(refused.header("retry-after"), Some("30"));
    assert_eq!(refused.header("x-retry-after"), Some("30"));
    assert!(
        refused.json()["message"]
            .as_str()
            .unwrap()
            .contains("hooked.limited"),
        "{}",
        refused.json()
    );
    // Another address, and a signed-in user on the same address, count apart; so does another
    // action.
    client
        .from_ip(ip(2))
        .action("hooked.limited", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::OK);
    anon.as_user(5)
        .action("hooked.limited", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::OK);
    anon.action("hooked.open", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::OK);
    // The user's own count follows them to another address.
    let user = client.as_user(5);
    user.from_ip(ip(3))
        .action("hooked.limited", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::OK);
    user.from_ip(ip(4))
        .action("hooked.limited", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);
    // Half a minute later one call is back.
    clock.advance(Duration::from_secs(30));
    anon.action("hooked.limited", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::OK);
    anon.action("hooked.limited", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);

    // By address: two users behind one address share the limit.
    let shared = client.from_ip(ip(9));
    shared
        .as_user(1)
        .action("hooked.limited_by_ip", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::OK);
    shared
        .as_user(2)
        .action("hooked.limited_by_ip", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::OK);
    shared
        .as_user(3)
        .action("hooked.limited_by_ip", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);
    // By user: the address does not matter; an unsigned call is 401 before any counting.
    client
        .from_ip(ip(10))
        .as_user(7)
        .action("hooked.limited_by_user", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::OK);
    let again = client
        .from_ip(ip(11))
        .as_user(7)
        .action("hooked.limited_by_user", json!({"text": "x"}))
        .await;
    again.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(again.header("retry-after"), Some("10"));
    client
        .from_ip(ip(10))
        .action("hooked.limited_by_user", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

/// With the PostgreSQL store, two servers (two nodes) share one count; with each its own
/// memory store (the default on SQLite) they do not — the negative control.
async fn rate_limits_hold_across_nodes_with_a_shared_store(backend: Backend) {
    let (store, shared) = match backend {
        Backend::Postgres => (RateLimitStore::Postgres, true),
        Backend::Sqlite => (RateLimitStore::Memory, false),
    };
    two_nodes_share_limits(backend, store, shared).await;
}

/// Two servers on one database and `store`: the first calls from one address (one on each
/// node) pass, and the third is refused if and only if the store is `shared`.
async fn two_nodes_share_limits(backend: Backend, store: RateLimitStore, shared: bool) {
    let db = TestDb::new(backend, &actions_runtime::db::RUNTIME_MIGRATIONS).await;
    let node = || {
        let server = builder(&db)
            .rate_limit_store(store.clone())
            .build()
            .expect("builds");
        TestClient::new(server.router()).from_ip(ip(20))
    };
    let (a, b) = (node(), node());
    a.action("hooked.limited", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::OK);
    b.action("hooked.limited", json!({"text": "x"}))
        .await
        .assert_status(StatusCode::OK);
    let third = a.action("hooked.limited", json!({"text": "x"})).await;
    if shared {
        third.assert_status(StatusCode::TOO_MANY_REQUESTS);
        assert!(third.header("retry-after").is_some(), "no Retry-After");
    } else {
        third.assert_status(StatusCode::OK);
    }
}

/// The Redis store (feature `redis`; `.ci/cluster.sh` runs these against `TEST_REDIS_URL`):
/// per-action limits hold across nodes there too, per address and per user apart.
#[cfg(feature = "redis")]
mod redis {
    use super::*;
    use crate::auth::redis::test_redis;

    #[test]
    #[ignore = "Redis: run with --ignored redis:: (TEST_REDIS_URL, default redis://127.0.0.1:6379)"]
    fn per_action_limits_are_shared_in_redis() {
        actions_runtime::testing::run(two_nodes_share_limits(Backend::Sqlite, test_redis(), true));
    }

    /// `rate_limit(user, "1/10s")` counts the user on every node and every address; another
    /// user still passes.
    #[test]
    #[ignore = "Redis: run with --ignored redis:: (TEST_REDIS_URL, default redis://127.0.0.1:6379)"]
    fn per_user_limits_are_shared_in_redis() {
        actions_runtime::testing::run(async {
            let db = TestDb::new(Backend::Sqlite, &actions_runtime::db::RUNTIME_MIGRATIONS).await;
            let store = test_redis();
            let node = || {
                let server = builder(&db)
                    .rate_limit_store(store.clone())
                    .build()
                    .expect("builds");
                TestClient::new(server.router())
            };
            let (a, b) = (node(), node());
            a.as_user(1)
                .from_ip(ip(30))
                .action("hooked.limited_by_user", json!({"text": "x"}))
                .await
                .assert_status(StatusCode::OK);
            b.as_user(1)
                .from_ip(ip(31))
                .action("hooked.limited_by_user", json!({"text": "x"}))
                .await
                .assert_status(StatusCode::TOO_MANY_REQUESTS);
            b.as_user(2)
                .from_ip(ip(31))
                .action("hooked.limited_by_user", json!({"text": "x"}))
                .await
                .assert_status(StatusCode::OK);
        });
    }
}

/// The PostgreSQL store on SQLite is refused when the server is built, naming the problem.
#[test]
fn the_postgres_store_needs_postgres() {
    actions_runtime::testing::run(async {
        let db = TestDb::new(Backend::Sqlite, &actions_runtime::db::RUNTIME_MIGRATIONS).await;
        let error = builder(&db)
            .rate_limit_store(RateLimitStore::Postgres)
            .build()
            .expect_err("refused");
        assert!(
            error
                .to_string()
                .contains("the postgres rate-limit store needs a PostgreSQL database"),
            "{error}"
        );
    });
}

actions_runtime::backend_tests!(
    hooks_wrap_calls_in_order_after_auth_and_acl,
    rate_limits_count_per_user_or_address,
    rate_limits_hold_across_nodes_with_a_shared_store,
);

/// The manifest and OpenAPI describe each limit (an added field and an extension); actions
/// without one are described as before.
#[test]
fn rate_limits_are_described() {
    let manifest =
        serde_json::to_value(actions_runtime::Manifest::of_registry(&registry())).unwrap();
    let action = |name: &str| {
        manifest["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|action| action["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        action("hooked.limited")["rateLimit"],
        json!({"key": "user_or_ip", "count": 2, "perSeconds": 60})
    );
    assert_eq!(
        action("hooked.limited_by_user")["rateLimit"],
        json!({"key": "user", "count": 1, "perSeconds": 10})
    );
    assert!(action("hooked.open").get("rateLimit").is_none());

    let openapi = serde_json::to_value(actions_runtime::OpenApi::of_registry(&registry())).unwrap();
    let limited = &openapi["paths"]["/_actions/hooked.limited_by_ip"]["post"];
    assert_eq!(
        limited["x-rate-limit"],
        json!({"key": "ip", "count": 2, "perSeconds": 60})
    );
    assert!(limited["responses"]["429"]["headers"]["Retry-After"].is_object());
    let open = &openapi["paths"]["/_actions/hooked.open"]["post"];
    assert!(open.get("x-rate-limit").is_none());
    assert!(open["responses"]["429"].get("headers").is_none());
}
