//! Every answer a client gets for a body that does or does not decode, pinned in
//! `tests/integration/decoding.txt`: the messages are a contract, so a change to any of them
//! shows in review. Regenerate with `EXPECTORATE=overwrite` and read the diff.
//!
//! Kitchen-sink inputs cover every shape the decoder meets: scalars of each width, options,
//! lists, nested inputs (alone, in lists, in options), enums, a type that is not `#[input]`,
//! generic inputs, derived inputs of each flavour, forms (urlencoded and multipart) with
//! Astro's coercions, and files.

use actions_runtime::db::Decimal;
use actions_runtime::prelude::*;
use actions_runtime::testing::{Multipart, TestClient};
use actions_runtime::{Registry, Server};
use std::collections::BTreeMap;
use std::fmt::Write as _;

mod schema {
    actions_runtime::diesel::table! {
        use actions_runtime::diesel::sql_types::*;

        people (id) {
            id -> BigInt,
            #[max_length = 20]
            name -> Varchar,
            bio -> Nullable<Text>,
            age -> SmallInt,
            active -> Bool,
        }
    }
}

#[input]
#[derive(Debug)]
pub struct Sink {
    pub name: String,
    pub count: u8,
    pub small: i16,
    pub big: i64,
    pub unsigned: u64,
    pub ratio: f64,
    pub flag: bool,
    pub note: Option<String>,
    pub maybe: Option<u32>,
    pub tags: Vec<String>,
    pub numbers: Vec<i32>,
    pub address: Address,
    pub lines: Vec<Line>,
    pub spare: Option<Address>,
    pub status: Status,
    pub shape: Option<Shape>,
    pub at: Option<Timestamp>,
    pub amount: Option<Decimal>,
    pub day: Option<chrono::NaiveDate>,
    pub meta: Option<serde_json::Value>,
    pub scores: BTreeMap<String, u8>,
    pub plain: Option<Plain>,
}

#[input]
#[derive(Debug)]
pub struct Address {
    #[field(trim, min_length = 2)]
    pub city: String,
    pub zip_code: Option<String>,
}

#[input]
#[derive(Debug)]
pub struct Line {
    pub sku: String,
    #[field(min = 1)]
    pub quantity: u32,
}

#[input]
#[derive(Debug, Clone, Copy)]
pub enum Status {
    Draft,
    Published,
}

#[input]
#[derive(Debug)]
pub enum Shape {
    Circle(f64),
    Rect(f64, f64),
    Square { side_length: f64 },
}

/// Not `#[input]`: decoded by its own derive.
#[derive(Debug, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plain {
    pub x: u8,
    pub y: Option<bool>,
}

#[input(validate = Self::check)]
#[derive(Debug)]
pub struct Rules {
    #[field(trim, min_length = 1, max_length = 5)]
    pub title: String,
    #[field(email)]
    pub email: Option<String>,
    #[field(min = 1, max = 10)]
    pub rating: i32,
    #[field(one_of("a", "b"))]
    pub choice: String,
    pub from: i64,
    pub to: i64,
}

impl Rules {
    fn check(&self, errors: &mut FieldErrors) {
        if self.from == self.to {
            errors.add("to", "must differ from `from`");
        }
    }
}

#[input]
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
}

#[input]
#[derive(Debug)]
pub struct Empty {}

#[input(table = schema::people, insert, schema = "decoding.rs")]
#[derive(Debug)]
pub struct NewPerson;

#[input(table = schema::people, update, schema = "decoding.rs")]
#[derive(Debug)]
pub struct EditPerson;

#[input(table = schema::people, select, pick(id, bio), schema = "decoding.rs")]
#[derive(Debug)]
pub struct PersonBio;

#[input]
#[derive(Debug)]
pub struct Form {
    pub name: String,
    pub age: u8,
    pub score: f64,
    pub agree: bool,
    pub terms: Option<bool>,
    pub nickname: Option<String>,
    pub tags: Vec<String>,
    pub lucky: Vec<i32>,
    pub address: Address,
    pub items: Vec<Line>,
    pub avatar: Option<UploadedFile>,
    pub plan: Status,
}

/// The decoded input, as the handler saw it.
fn seen(input: &impl std::fmt::Debug) -> String {
    format!("{input:?}")
}

macro_rules! echo_actions {
    ($($name:ident: $ty:ty, $accept:literal;)*) => {$(
        #[action(public, accept = $accept)]
        pub async fn $name(_: &mut ActionContext, input: $ty) -> Result<String, ActionError> {
            Ok(seen(&input))
        }
    )*};
}

echo_actions! {
    sink: Sink, "json";
    rules: Rules, "json";
    page: Page<Line>, "json";
    empty: Empty, "json";
    status: Status, "json";
    new_person: NewPerson, "json";
    edit_person: EditPerson, "json";
    person_bio: PersonBio, "json";
    form: Form, "form";
    form_person: EditPerson, "form";
    form_bio: PersonBio, "form";
}

pub fn registry() -> Registry {
    actions_runtime::registry! {
        sink, rules, page, empty, status, new_person, edit_person, person_bio, form, form_person,
        form_bio,
    }
}

fn valid_sink() -> serde_json::Value {
    serde_json::json!({
        "name": "Ada", "count": 3, "small": -2, "big": 5, "unsigned": 7, "ratio": 1.5,
        "flag": true, "tags": ["a"], "numbers": [1, -1], "address": {"city": "Paris"},
        "lines": [{"sku": "ink", "quantity": 2}], "status": "draft", "scores": {"x": 1}
    })
}

/// `(action, content type, body)` for every case, JSON first.
fn cases() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let mut cases = Vec::new();
    let json =
        |action: &'static str, body: &str| (action, "application/json", body.as_bytes().to_vec());
    let sink = |patch: serde_json::Value| {
        let mut body = valid_sink();
        for (key, value) in patch.as_object().unwrap() {
            if value == "<absent>" {
                body.as_object_mut().unwrap().remove(key);
            } else {
                body[key] = value.clone();
            }
        }
        ("sink", "application/json", body.to_string().into_bytes())
    };
    use serde_json::json;
    cases.push(sink(json!({})));
    for (key, values) in [
        ("name", json!([7, null, true, [], {}, 1.5])),
        (
            "count",
            json!([
                300,
                -1,
                1.5,
                "3",
                null,
                1.0,
                255,
                256,
                18446744073709551616_u128 as f64
            ]),
        ),
        ("small", json!([40000, -40000, "x"])),
        (
            "big",
            json!([9223372036854775808_u64, 1e3, -9223372036854775808_i64]),
        ),
        ("unsigned", json!([-1, 18446744073709551615_u64, 1e20])),
        ("ratio", json!([7, -7, "1.5", null, true])),
        ("flag", json!(["true", 1, null, "on"])),
        ("note", json!([7, null, ""])),
        ("maybe", json!([-1, "7", null, 4294967296_u64])),
        ("tags", json!(["a", {}, [1], null, [null]])),
        ("numbers", json!([[2147483648_u64], ["1"], 7])),
        (
            "address",
            json!(["x", [], {"city": 7}, {"city": " P "}, {"zipCode": "1"}, {"city": "Rome", "country": "IT"}, null, 5]),
        ),
        (
            "lines",
            json!([{}, "x", 7, [{"sku": "a"}], [{"sku": 1, "quantity": 0}], [{"quantity": -1, "sku": "b", "userId": 1}], ["x", 7], [[]]]),
        ),
        ("spare", json!([{"city": "Oslo"}, {"city": 1}, 7, "x"])),
        ("status", json!(["nope", 7, null, {"draft": null}, "Draft"])),
        (
            "shape",
            json!(["circle", {"circle": 1}, {"circle": "x"}, {"rect": [2, 3]}, {"rect": [2]}, {"rect": 2}, {"oval": 1}, {"circle": 1, "rect": [2, 3]}, {}, 7, {"square": {"sideLength": 2}}, {"square": {"sideLength": 2, "userId": 1}}, {"square": {"side_length": 2}}, {"square": {}}, {"square": 2}]),
        ),
        ("at", json!(["2026-01-31T12:00:00Z", "yesterday", 7])),
        ("amount", json!(["1.50", 1.5, "1e5", "x"])),
        ("day", json!(["2026-01-31", "2026-02-31", 7])),
        ("meta", json!([{"any": [1, "x"]}, null])),
        ("scores", json!([{"a": 300}, {"a": "x"}, [], "x"])),
        (
            "plain",
            json!([{"x": 1}, {"x": 300}, {"y": true}, {"x": 1, "z": 2}, [1], "x"]),
        ),
        ("userId", json!([1])),
    ] {
        for value in values.as_array().unwrap() {
            cases.push(sink(json!({ key: value })));
        }
    }
    for key in [
        "name", "count", "flag", "tags", "address", "lines", "status", "scores", "note",
    ] {
        cases.push(sink(json!({ key: "<absent>" })));
    }
    cases.push(sink(json!({"name": 1, "count": "x", "address": {"city": 1, "extra": 2}, "lines": [{"sku": 1}], "userId": 3})));
    for body in [
        "",
        "  ",
        "\u{feff}",
        "{",
        "{\"name\": ",
        "[1, 2",
        "{} trailing",
        "[1, 2]",
        "null",
        "\"x\"",
        "7",
        "true",
        "{\"name\": \"a\", \"name\": \"b\"}",
        "{\"a\" 1}",
        "{\"name\": \"\\ud800\"}",
        "{\"userId\": 1, \"userId\": 2}",
        "{\"name\": \"x\", \"name\": 1, \"count\": \"y\"}",
    ] {
        cases.push(json("sink", body));
    }
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(valid_sink().to_string().into_bytes());
    cases.push(("sink", "application/json", bom));
    cases.push(("sink", "application/json", b"{\"name\": \"\xff\"}".to_vec()));
    cases.push((
        "sink",
        "application/json",
        b"{\"name\": 1, \"x\": \xff}".to_vec(),
    ));
    for body in [
        r#"{"title": " ab ", "rating": 5, "choice": "a", "from": 1, "to": 2}"#,
        r#"{"title": "  ", "email": "X@Y.Z", "rating": 0, "choice": "c", "from": 1, "to": 1}"#,
        r#"{"title": "toolong", "email": "nope", "rating": 11, "choice": "a", "from": 1, "to": 1}"#,
        r#"{"title": 7, "email": "nope", "rating": 11, "choice": "a", "from": 1, "to": 1}"#,
        r#"{"title": "ok", "rating": "x", "choice": "z", "from": 1}"#,
        r#"{"title": "ok", "email": null, "rating": 1, "choice": "b", "from": 1, "to": 1}"#,
    ] {
        cases.push(json("rules", body));
    }
    for body in [
        r#"{"items": [{"sku": "a", "quantity": 1}]}"#,
        r#"{"items": [{"sku": "a", "quantity": 0}]}"#,
        r#"{"items": [{"sku": 1}, "x"]}"#,
        r#"{"items": {}}"#,
        r#"{}"#,
    ] {
        cases.push(json("page", body));
    }
    for body in [r#"{}"#, r#"{"a": 1}"#, r#"[]"#] {
        cases.push(json("empty", body));
    }
    for body in [r#""draft""#, r#""nope""#, "7", "{}"] {
        cases.push(json("status", body));
    }
    for body in [
        r#"{"name": "Ada", "age": 3, "active": true}"#,
        r#"{"name": "Ada", "age": 3, "active": true, "bio": null}"#,
        r#"{"name": "Adaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "age": 40000, "active": "yes", "id": 1}"#,
        r#"{}"#,
    ] {
        cases.push(json("new_person", body));
    }
    for body in [
        r#"{"id": 1}"#,
        r#"{"id": 1, "name": null, "bio": null}"#,
        r#"{"id": 1, "name": "x", "bio": "y", "age": 2, "active": false}"#,
        r#"{"id": 1, "name": "Adaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bio": 7}"#,
        r#"{"name": 1}"#,
    ] {
        cases.push(json("edit_person", body));
    }
    for body in [
        r#"{"id": 1, "bio": null}"#,
        r#"{"id": 1}"#,
        r#"{"id": 1, "bio": 2}"#,
    ] {
        cases.push(json("person_bio", body));
    }
    let form = |action: &'static str, body: &str| {
        (
            action,
            "application/x-www-form-urlencoded",
            body.as_bytes().to_vec(),
        )
    };
    let base = "name=Ada&age=36&score=9.5&address.city=London&plan=published";
    for extra in [
        "",
        "&agree=on&nickname=&tags=a&tags=b&lucky=7&lucky=-3&address.zipCode=&items.1.sku=pen&items.1.quantity=2&items.0.sku=ink&items.0.quantity=10",
        "&agree=TRUE&terms=off&tags=&tags=x&lucky=",
        "&agree=yes&terms=1&agree=no",
        "&agree=maybe&terms=sure",
        "&age=old",
        "&items.0.quantity=-&items.x.sku=%3F",
        "&items.0.sku=ink&items.0.quantity=-1",
        "&items.0.sku=ink&items.0.quantity=0",
        "&items=a",
        "&userId=1",
        "&address=x",
        "&a..b=y",
        "&avatar=notafile",
        "&plan=nope",
        "&lucky=x&lucky=2&lucky=y",
        "&score=NaN",
        "&score=inf",
        "&score=1e3",
        "&name.first=A",
        "&address.city=%20x%20",
        "&items.0.sku=a&items.0.quantity=1&items.0.sku=b",
    ] {
        // Keys the case sends replace the base's (a repeated scalar would be refused).
        let sent: Vec<&str> = extra
            .split('&')
            .filter_map(|p| p.split('=').next())
            .collect();
        let kept: Vec<&str> = base
            .split('&')
            .filter(|pair| !sent.contains(&pair.split('=').next().unwrap_or_default()))
            .collect();
        cases.push(form("form", &format!("{}{extra}", kept.join("&"))));
    }
    for body in [
        "age=300",
        "",
        "address.city=Rome&age=1&name=&score=",
        "title=%FF",
        "name=x%FF",
        "name=a&name=b&age=1&score=1&address.city=Ab&plan=draft",
    ] {
        cases.push(form("form", body));
    }
    for body in [
        "id=1",
        "id=1&name=&bio=&age=&active=",
        "id=1&name=x&bio=y&age=7&active=on",
        "id=x&age=a",
    ] {
        cases.push(form("form_person", body));
    }
    for body in ["id=1&bio=", "id=1", "id=1&bio=x"] {
        cases.push(form("form_bio", body));
    }
    cases.push(("sink", "text/plain", b"{}".to_vec()));
    cases.push(("sink", "application/json; charset=latin1", b"{}".to_vec()));
    cases.push(("sink", "application/x-www-form-urlencoded", b"a=1".to_vec()));
    cases.push(("form", "application/json", b"{}".to_vec()));
    cases.push(("form", "multipart/form-data", b"".to_vec()));
    cases.push((
        "form",
        "multipart/form-data; boundary=zz",
        b"garbage".to_vec(),
    ));
    cases.push(("form", "text/plain; charset=utf-8", b"a=1".to_vec()));
    cases.push((
        "sink",
        "Application/JSON; Charset=\"UTF-8\"",
        valid_sink().to_string().into_bytes(),
    ));
    // Content-Type edges: whitespace before `;` (RFC 9110 allows it), a parameter without a
    // value, a charset in capitals, an empty quoted boundary, something that is not a media
    // type, JSON under another name and a type that only starts like JSON.
    for content_type in [
        "application/json ; charset=utf-8",
        "application/json; charset",
        "application/json; charset=Latin1",
        "application/vnd.api+json",
        "application/json+xml",
        "JSON",
    ] {
        cases.push(("sink", content_type, valid_sink().to_string().into_bytes()));
    }
    cases.push(("form", "multipart/form-data; boundary=\"\"", b"".to_vec()));
    cases.push((
        "form",
        "Multipart/Form-Data; Boundary=zz",
        b"garbage".to_vec(),
    ));
    cases
}

fn multipart_cases() -> Vec<(&'static str, Multipart)> {
    let base = || {
        Multipart::new()
            .text("name", "Ada")
            .text("age", "36")
            .text("score", "1")
            .text("address.city", "London")
            .text("plan", "draft")
    };
    vec![
        (
            "a file",
            base().file("avatar", "a.png", "image/png", b"PNG"),
        ),
        (
            "an empty file input",
            base().file("avatar", "", "application/octet-stream", b""),
        ),
        (
            "a file where text is expected",
            base().file("nickname", "n.txt", "text/plain", b"x"),
        ),
        (
            "text where a file is expected",
            base().text("avatar", "{\"bytes\": [1]}"),
        ),
    ]
}

#[test]
fn every_answer_is_pinned() {
    actions_runtime::testing::run(async {
        let server = Server::builder(registry())
            .authenticator(actions_runtime::testing::TestAuthenticator)
            .build()
            .expect("no action needs a database");
        let client = TestClient::new(server.router());
        let mut out = String::new();
        for (action, content_type, body) in cases() {
            let response = client
                .post(&format!("/_actions/{action}"))
                .body(content_type, body.clone())
                .send()
                .await;
            let _ = writeln!(
                out,
                "{action} [{content_type}] {}\n  -> {} {}\n",
                String::from_utf8_lossy(&body).escape_debug(),
                response.status.as_u16(),
                String::from_utf8_lossy(&response.body)
            );
        }
        for (what, multipart) in multipart_cases() {
            let response = client
                .post("/_actions/form")
                .multipart(multipart)
                .send()
                .await;
            let _ = writeln!(
                out,
                "form [multipart: {what}]\n  -> {} {}\n",
                response.status.as_u16(),
                String::from_utf8_lossy(&response.body)
            );
        }
        expectorate::assert_contents("tests/integration/decoding.txt", &out);
    });
}
