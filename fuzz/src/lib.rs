//! What the fuzz targets share: inputs of every shape the decoders meet (scalars, options,
//! lists, nested inputs, enums, maps, rules, files), and the properties every refusal keeps.

use actions_runtime::prelude::*;
use std::collections::BTreeMap;

/// Every shape a JSON body decodes into.
#[input]
#[derive(Debug)]
pub struct Sink {
    pub name: String,
    pub count: u8,
    pub small: i16,
    pub big: i64,
    pub ratio: f64,
    pub flag: bool,
    pub note: Option<String>,
    pub tags: Vec<String>,
    pub address: Address,
    pub lines: Vec<Line>,
    pub spare: Option<Address>,
    pub status: Status,
    pub shape: Option<Shape>,
    pub at: Option<Timestamp>,
    pub amount: Option<actions_runtime::db::Decimal>,
    pub meta: Option<serde_json::Value>,
    pub scores: BTreeMap<String, u8>,
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

/// Field rules and a cross-field check.
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

/// Every shape a form (urlencoded or multipart) decodes into, with Astro's coercions.
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

/// A decoder's refusal is the client's fault: a `4xx` among `allowed`, never a `5xx`, and it
/// says why.
pub fn assert_refusal(error: &ActionError, allowed: &[u16]) {
    let status = error.code().status().as_u16();
    assert!(
        allowed.contains(&status),
        "a decoder answered {status} (allowed: {allowed:?}): {error:?}"
    );
    assert!(!error.message().is_empty(), "a refusal says why: {error:?}");
}
