//! Test support for apps built on actions-runtime (feature `testing`): a throw-away database
//! per test on either backend, a test authenticator, an in-process HTTP client, and
//! [`backend_tests!`](crate::backend_tests) to run one test on SQLite and on PostgreSQL.
//!
//! PostgreSQL tests read the server from `TEST_POSTGRES_URL`
//! (`postgres://postgres@127.0.0.1:5432/test`); each test gets its own schema, dropped after.

mod client;
mod database;
#[cfg(feature = "accounts")]
mod mailbox;

pub use client::{Multipart, TestClient, TestRequest, TestResponse};
pub use database::TestDb;
#[cfg(feature = "accounts")]
pub use mailbox::Mailbox;

use crate::base::ActionContext;
use crate::base::{Authenticator, Role, User};
use crate::error::ActionError;
use futures_util::future::BoxFuture;
use http::request::Parts;
use std::future::Future;

pub use crate::base::fault::{Fault, FaultHook, FaultPoint};
pub use crate::db::Backend;

/// The header the [`TestAuthenticator`] reads: `x-test-user: 7` or `x-test-user: 7:admin`.
pub const TEST_USER_HEADER: &str = "x-test-user";

/// Signs requests in as the user named by the `x-test-user` header. For tests only: it
/// trusts the client completely.
#[derive(Debug, Clone, Copy, Default)]
pub struct TestAuthenticator;

impl TestAuthenticator {
    /// The user `x-test-user: <id>` stands for.
    pub fn user(id: i64, role: Role) -> User {
        User::new(
            id,
            format!("User {id}"),
            format!("user{id}@example.test"),
            role,
        )
    }
}

impl Authenticator for TestAuthenticator {
    fn authenticate<'a>(
        &'a self,
        request: &'a Parts,
        _: &'a mut ActionContext,
    ) -> BoxFuture<'a, Result<Option<User>, ActionError>> {
        let user = request
            .headers
            .get(TEST_USER_HEADER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                let (id, role) = value.split_once(':').unwrap_or((value, "user"));
                Some(TestAuthenticator::user(
                    id.trim().parse().ok()?,
                    role.parse().ok()?,
                ))
            });
        Box::pin(std::future::ready(Ok(user)))
    }
}

/// One action's input, to test that a client validating with its JSON Schema and the server
/// agree (see example-app's schema-agreement property test).
#[derive(Debug, Clone)]
pub struct InputContract {
    /// The action's wire name.
    pub name: String,
    /// `"json"` or `"form"`.
    pub accept: crate::Accept,
    /// The input's JSON Schema, as `schema.json` publishes it.
    pub schema: serde_json::Value,
    check: fn(&[u8]) -> Result<(), ActionError>,
    check_form: fn(&[u8]) -> Result<(), ActionError>,
}

impl InputContract {
    /// Whether the server accepts `body` as this input (decoding and validation, exactly as a
    /// JSON request is decoded), and if not, why.
    pub fn check(&self, body: &serde_json::Value) -> Result<(), Refusal> {
        (self.check)(&serde_json::to_vec(body).unwrap_or_default()).map_err(Refusal::of)
    }

    /// Whether the server accepts `fields` as this input sent as an urlencoded form (decoding,
    /// Astro's coercions and validation, exactly as a form request is decoded), and if not, why.
    pub fn check_form(&self, fields: &[(&str, &str)]) -> Result<(), Refusal> {
        use std::fmt::Write as _;
        let mut body = String::new();
        for (key, value) in fields {
            if !body.is_empty() {
                body.push('&');
            }
            // Writing to a `String` cannot fail.
            let _ = write!(body, "{}={}", form_encode(key), form_encode(value));
        }
        (self.check_form)(body.as_bytes()).map_err(Refusal::of)
    }
}

/// `application/x-www-form-urlencoded` escaping.
fn form_encode(text: &str) -> percent_encoding::PercentEncode<'_> {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC)
}

impl Refusal {
    fn of(error: ActionError) -> Refusal {
        Refusal {
            server_only: !error.fields().has_declared() && !error.fields().is_empty(),
            error: Box::new(error),
        }
    }
}

/// Why the server refused an input.
#[derive(Debug)]
pub struct Refusal {
    /// The 400 the client gets.
    pub error: Box<ActionError>,
    /// Whether only checks the JSON Schema cannot state failed (`custom = ...` rules and
    /// `validate = ...` hooks): a body the schema accepts may fail those, and no other.
    pub server_only: bool,
}

/// The input contract of every action of `registry`.
pub fn input_contracts(registry: &crate::Registry) -> Vec<InputContract> {
    registry
        .entries
        .iter()
        .map(|entry| InputContract {
            name: entry.name.to_string(),
            accept: entry.steps.meta.accept,
            schema: entry.input_schema.clone(),
            check: entry.check_input,
            check_form: entry.check_form,
        })
        .collect()
}

/// A clock that moves only when told: for expiry and rate-limit windows.
#[derive(Debug, Clone)]
pub struct ManualClock(std::sync::Arc<std::sync::Mutex<crate::db::Timestamp>>);

impl ManualClock {
    /// Starts at the current time.
    pub fn new() -> ManualClock {
        ManualClock(std::sync::Arc::new(std::sync::Mutex::new(
            crate::db::Timestamp::now(),
        )))
    }

    /// Moves time forward.
    pub fn advance(&self, by: std::time::Duration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let micros = now.timestamp_micros() + i64::try_from(by.as_micros()).unwrap_or(i64::MAX);
        *now = crate::db::Timestamp::from_timestamp_micros(micros).unwrap_or(*now);
    }
}

impl Default for ManualClock {
    fn default() -> ManualClock {
        ManualClock::new()
    }
}

impl crate::Clock for ManualClock {
    fn now(&self) -> crate::db::Timestamp {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Tests share the machine; a timing-sensitive test must have it alone.
static MACHINE: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Holds the machine shared with other tests until dropped: for a test that does not run
/// through [`run`] but loads the CPU (compiling UI tests, say).
pub fn shared() -> impl Drop {
    MACHINE
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs an async test body on a multi-threaded runtime (what the server runs on).
pub fn run<F: Future<Output = ()>>(test: F) {
    let _shared = shared();
    runtime().block_on(test);
}

/// Runs a timing-sensitive test body with no other test running beside it.
pub fn run_alone<F: Future<Output = ()>>(test: F) {
    let _alone = MACHINE
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    runtime().block_on(test);
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime for the test")
}

/// Runs each listed `async fn(Backend)` twice: `sqlite::<name>` always, and
/// `postgres::<name>`, ignored unless run with `--ignored` and `TEST_POSTGRES_URL` set.
/// Tests listed after `timing:` measure time: they leave the default suite (a busy machine
/// would make them fail by luck), run as `timing::sqlite::<name>` and `timing::postgres::<name>`
/// with `--ignored timing::`, and with no other test beside them.
///
/// ```ignore
/// async fn creates_a_post(backend: Backend) { let app = spawn(backend).await; … }
/// actions_runtime::backend_tests!(creates_a_post, lists_posts; timing: same_time_either_way);
/// ```
#[macro_export]
macro_rules! backend_tests {
    ($($test:ident),* $(,)? $(; timing: $($timed:ident),* $(,)?)?) => {
        mod sqlite {
            $(
                #[test]
                fn $test() {
                    $crate::testing::run(super::$test($crate::testing::Backend::Sqlite));
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                #[ignore = "PostgreSQL: set TEST_POSTGRES_URL and run with --ignored"]
                fn $test() {
                    $crate::testing::run(super::$test($crate::testing::Backend::Postgres));
                }
            )*
        }
        $(
            mod timing {
                mod sqlite {
                    $(
                        #[test]
                        #[ignore = "timing: run alone with --ignored timing::"]
                        fn $timed() {
                            $crate::testing::run_alone(super::super::$timed(
                                $crate::testing::Backend::Sqlite,
                            ));
                        }
                    )*
                }
                mod postgres {
                    $(
                        #[test]
                        #[ignore = "timing on PostgreSQL: set TEST_POSTGRES_URL and run with --ignored timing::"]
                        fn $timed() {
                            $crate::testing::run_alone(super::super::$timed(
                                $crate::testing::Backend::Postgres,
                            ));
                        }
                    )*
                }
            }
        )?
    };
}
