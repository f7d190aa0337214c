//! Decoding a six-field input: a valid and an invalid JSON body, and a form, beside plain
//! `serde_json::from_slice` into an equivalent struct as the baseline of the same run.
//!
//! ```sh
//! cargo bench -p actions-runtime --bench decode
//! ```
//!
//! Uses only what every version of the runtime offers (`InputContract::check`, the router), so
//! the same file measures the code before a change and after it — except `form_valid`, which
//! needs `InputContract::check_form` (not in runtimes before issue 14's decoding work; delete
//! that one function to measure those).

use actions_runtime::prelude::*;
use actions_runtime::testing::{InputContract, TestClient, input_contracts};
use actions_runtime::{Registry, Server};
use serde_json::{Value, json};
use std::sync::LazyLock;

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

#[input]
pub struct Signup {
    #[field(trim, min_length = 1)]
    pub name: String,
    #[field(email)]
    pub email: Option<String>,
    #[field(min = 13)]
    pub age: u8,
    pub tags: Vec<String>,
    pub address: Address,
    pub agree: bool,
}

#[input]
pub struct Address {
    pub city: String,
    pub zip_code: Option<String>,
}

/// The same shape, decoded by serde alone.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct PlainSignup {
    name: String,
    email: Option<String>,
    age: u8,
    tags: Vec<String>,
    address: PlainAddress,
    agree: bool,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct PlainAddress {
    city: String,
    zip_code: Option<String>,
}

#[action(public)]
pub async fn signup(_: &mut ActionContext, input: Signup) -> Result<u8, ActionError> {
    Ok(input.age)
}

#[action(public, accept = "form")]
pub async fn signup_form(_: &mut ActionContext, input: Signup) -> Result<u8, ActionError> {
    Ok(input.age)
}

fn registry() -> Registry {
    actions_runtime::registry! { signup, signup_form }
}

fn valid() -> Value {
    json!({
        "name": " Ada Lovelace ", "email": "ada@example.com", "age": 36,
        "tags": ["math", "engines"], "address": {"city": "London", "zipCode": "W1"}, "agree": true
    })
}

fn invalid() -> Value {
    json!({
        "name": 7, "email": "nope", "age": 300,
        "tags": ["math", 1], "address": {"town": "London"}, "agree": "yes"
    })
}

const FORM: &str = "name=+Ada+Lovelace+&email=ada%40example.com&age=36&tags=math&tags=engines\
    &address.city=London&address.zipCode=W1&agree=on";

/// `FORM`, field by field.
const FORM_FIELDS: &[(&str, &str)] = &[
    ("name", " Ada Lovelace "),
    ("email", "ada@example.com"),
    ("age", "36"),
    ("tags", "math"),
    ("tags", "engines"),
    ("address.city", "London"),
    ("address.zipCode", "W1"),
    ("agree", "on"),
];

static CONTRACT: LazyLock<InputContract> = LazyLock::new(|| {
    input_contracts(&registry())
        .into_iter()
        .find(|contract| contract.name == "signup")
        .expect("the signup contract")
});

static FORM_CONTRACT: LazyLock<InputContract> = LazyLock::new(|| {
    input_contracts(&registry())
        .into_iter()
        .find(|contract| contract.name == "signup_form")
        .expect("the signup_form contract")
});

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
});

static CLIENT: LazyLock<TestClient> = LazyLock::new(|| {
    let server = Server::builder(registry()).build().expect("a server");
    TestClient::new(server.router())
});

#[divan::bench]
fn serde_json_baseline(bencher: divan::Bencher<'_, '_>) {
    let body = serde_json::to_vec(&valid()).expect("json");
    bencher.bench(|| serde_json::from_slice::<PlainSignup>(divan::black_box(&body)).is_ok());
}

#[divan::bench]
fn json_valid(bencher: divan::Bencher<'_, '_>) {
    let body = valid();
    bencher.bench(|| CONTRACT.check(divan::black_box(&body)).is_ok());
}

#[divan::bench]
fn json_invalid(bencher: divan::Bencher<'_, '_>) {
    let body = invalid();
    bencher.bench(|| CONTRACT.check(divan::black_box(&body)).is_err());
}

#[divan::bench]
fn form_valid(bencher: divan::Bencher<'_, '_>) {
    bencher.bench(|| {
        FORM_CONTRACT
            .check_form(divan::black_box(FORM_FIELDS))
            .is_ok()
    });
}

#[divan::bench]
fn http_json_valid(bencher: divan::Bencher<'_, '_>) {
    post_json(bencher, &valid());
}

#[divan::bench]
fn http_json_invalid(bencher: divan::Bencher<'_, '_>) {
    post_json(bencher, &invalid());
}

/// `body` posted to `signup` through the router.
fn post_json(bencher: divan::Bencher<'_, '_>, body: &Value) {
    bencher.bench(|| {
        RUNTIME
            .block_on(CLIENT.post("/_actions/signup").json(body).send())
            .status
    });
}

#[divan::bench]
fn http_form_valid(bencher: divan::Bencher<'_, '_>) {
    bencher.bench(|| {
        RUNTIME
            .block_on(
                CLIENT
                    .post("/_actions/signup_form")
                    .body("application/x-www-form-urlencoded", FORM)
                    .send(),
            )
            .status
    });
}
