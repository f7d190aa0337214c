//! Astro's form coercions, one by one, against schemas of real derived types.

use super::super::UploadedFile;
use super::{Part, from_fields};
use crate::error::ActionError;
use bytes::Bytes;
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Signup {
    name: String,
    age: u8,
    score: f64,
    newsletter: bool,
    terms: Option<bool>,
    nickname: Option<String>,
    tags: Vec<String>,
    lucky_numbers: Vec<i32>,
    address: Address,
    items: Vec<Item>,
    avatar: Option<UploadedFile>,
    plan: Plan,
}

#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Address {
    city: String,
    zip_code: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Item {
    name: String,
    quantity: u32,
}

#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
enum Plan {
    Free,
    Pro,
}

impl crate::base::ActionInput for Signup {}

fn text(fields: &[(&str, &str)]) -> Vec<(String, Part)> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Part::Text((*v).to_owned())))
        .collect()
}

fn decode(fields: Vec<(String, Part)>) -> Result<Signup, ActionError> {
    let schema = serde_json::to_value(schemars::schema_for!(Signup)).unwrap();
    from_fields(fields, &schema)
}

fn base() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "Ada"),
        ("age", "36"),
        ("score", "9.5"),
        ("address.city", "London"),
        ("plan", "pro"),
    ]
}

#[test]
fn coerces_like_astro() {
    let mut fields = base();
    fields.extend([
        ("newsletter", "on"),
        ("nickname", ""),
        ("tags", "a"),
        ("tags", "b"),
        ("luckyNumbers", "7"),
        ("luckyNumbers", "-3"),
        ("address.zipCode", ""),
        ("items.1.name", "pen"),
        ("items.1.quantity", "2"),
        ("items.0.name", "ink"),
        ("items.0.quantity", "10"),
    ]);
    let mut fields = text(&fields);
    fields.push((
        "avatar".into(),
        Part::File(UploadedFile::new(
            Some("a.png".into()),
            Some("image/png".into()),
            Bytes::from_static(b"PNG"),
        )),
    ));
    let signup = decode(fields).expect("decodes");
    assert_eq!(signup.name, "Ada");
    assert_eq!(signup.age, 36);
    assert_eq!(signup.score, 9.5);
    assert!(signup.newsletter, "a checked checkbox is true");
    assert_eq!(
        signup.terms, None,
        "an absent optional checkbox stays absent"
    );
    assert_eq!(signup.nickname, None, "an empty optional field is absent");
    assert_eq!(signup.tags, ["a", "b"], "repeated keys are arrays");
    assert_eq!(signup.lucky_numbers, [7, -3]);
    assert_eq!(
        signup.address,
        Address {
            city: "London".into(),
            zip_code: None
        }
    );
    assert_eq!(
        signup.items,
        [
            Item {
                name: "ink".into(),
                quantity: 10
            },
            Item {
                name: "pen".into(),
                quantity: 2
            }
        ],
        "numeric segments index arrays"
    );
    let avatar = signup.avatar.expect("file");
    assert_eq!(
        (
            avatar.file_name(),
            avatar.content_type(),
            &avatar.bytes()[..]
        ),
        (Some("a.png"), Some("image/png"), &b"PNG"[..])
    );
    assert_eq!(signup.plan, Plan::Pro);
}

#[test]
fn missing_checkbox_and_multiselect_are_false_and_empty() {
    let signup = decode(text(&base())).expect("decodes");
    assert!(!signup.newsletter);
    assert!(signup.tags.is_empty() && signup.items.is_empty());
}

#[test]
fn an_empty_file_input_is_absent() {
    let mut fields = text(&base());
    fields.push((
        "avatar".into(),
        Part::File(UploadedFile::new(
            None,
            Some("application/octet-stream".into()),
            Bytes::new(),
        )),
    ));
    assert_eq!(decode(fields).expect("decodes").avatar, None);
}

#[test]
fn every_unreadable_field_is_reported_at_once() {
    let mut fields = base();
    fields.retain(|(k, _)| *k != "age" && *k != "score");
    fields.extend([
        ("age", "old"),
        ("score", "NaN"),
        ("newsletter", "maybe"),
        ("items.0.quantity", "-"),
        ("items.x.name", "?"),
        ("avatar", "not a file"),
    ]);
    let error = decode(text(&fields)).unwrap_err();
    let fields: Vec<(&str, &[String])> = error.fields().iter().collect();
    let paths: Vec<&str> = fields.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        paths,
        ["age", "avatar", "items.x", "newsletter", "score"],
        "{error}"
    );
    assert_eq!(error.fields().get("age").unwrap(), ["expected an integer"]);
    assert_eq!(
        error.fields().get("newsletter").unwrap(),
        ["expected a boolean (true or false)"]
    );
}

#[test]
fn serde_errors_name_the_full_path() {
    let mut fields = base();
    fields.extend([("items.0.name", "ink"), ("items.0.quantity", "-1")]);
    let error = decode(text(&fields)).unwrap_err();
    assert_eq!(
        error.fields().get("items.0.quantity").unwrap(),
        ["invalid value: integer `-1`, expected an integer from 0 to 4294967295"]
    );
    let mut fields = base();
    fields.push(("userId", "1"));
    let error = decode(text(&fields)).unwrap_err();
    assert!(
        error.fields().get("userId").is_some(),
        "unknown fields are rejected by name: {error}"
    );
    let error = decode(text(&[("name", "Ada")])).unwrap_err();
    assert_eq!(
        error.fields().get("age").unwrap(),
        ["is required"],
        "{error}"
    );
}

#[test]
fn conflicting_and_malformed_keys() {
    let mut fields = base();
    fields.extend([("address", "x"), ("a..b", "y")]);
    let error = decode(text(&fields)).unwrap_err();
    assert_eq!(
        error.fields().get("address").unwrap(),
        ["is sent both as a value and as a group of fields"]
    );
    assert_eq!(
        error.fields().get("a..b").unwrap(),
        ["is not a valid field name"]
    );
}
