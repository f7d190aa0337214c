//! `redirect = "/posts/{id}"` checked against the output when the server is built: each
//! placeholder must name a field every successful answer has, as a string, number or boolean —
//! else the form post's page would silently fall back to the `Referer` on every request.
//!
//! The output's JSON Schema is what is read, not the Rust type: it is the only place serde's
//! renames (`rename_all`, `rename`, `flatten`) are known, and the same document `schema.json`
//! serves.

use super::registry::ActionEntry;
use actions_declare::placeholder_names;
use serde_json::Value;
use std::collections::BTreeSet;

/// How deep `$ref`s and combinators are followed before a schema counts as unknown (a
/// recursive type refers to itself).
const MAX_DEPTH: usize = 32;

/// Every placeholder of `entry`'s `redirect` that its output cannot fill, each as
/// `(template, what is wrong)`.
pub(crate) fn check(entry: &ActionEntry) -> Vec<(&'static str, String)> {
    let Some(template) = entry.steps.meta.redirect else {
        return Vec::new();
    };
    problems(template, entry.output_type, &entry.output_schema)
        .into_iter()
        .map(|problem| (template, problem))
        .collect()
}

/// What is wrong with each placeholder of `template` that an output of type `output_type`,
/// described by `schema`, cannot fill.
fn problems(template: &str, output_type: &str, schema: &Value) -> Vec<String> {
    let output = Output { root: schema };
    placeholder_names(template)
        .filter_map(|name| match output.field(schema, name, 0) {
            Field::Usable => None,
            Field::NotObject(kind) => Some(format!(
                "the output `{output_type}` {kind}, not an object with a field {name:?}"
            )),
            Field::Missing => Some(format!(
                "the output has no field {name:?} ({})",
                output.usable()
            )),
            Field::Unusable(why) => Some(format!(
                "the output's field {name:?} {why}: a placeholder needs a field that is always \
                 a string, a number or a boolean ({})",
                output.usable()
            )),
        })
        .collect()
}

/// What a placeholder finds in the output, best first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    /// A field every answer has, a string, number or boolean.
    Usable,
    /// A field that is optional, may be null, or is not a scalar (`is optional`).
    Unusable(String),
    /// No such field.
    Missing,
    /// The output is not always an object (`is null`, `may be null`).
    NotObject(String),
}

/// An output's JSON Schema, the root its `$ref`s point into.
struct Output<'a> {
    root: &'a Value,
}

impl<'a> Output<'a> {
    /// `schema` with its `$ref` followed (to `$defs`, `definitions` or `components/schemas`);
    /// `None` when it points nowhere in this document.
    fn resolve(&self, schema: &'a Value, depth: usize) -> Option<&'a Value> {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) if depth < MAX_DEPTH => {
                let target = self.root.pointer(reference.strip_prefix('#')?)?;
                self.resolve(target, depth + 1)
            }
            Some(_) => None,
            None => Some(schema),
        }
    }

    /// What field `name` is in the object `schema` describes.
    fn field(&self, schema: &'a Value, name: &str, depth: usize) -> Field {
        let Some(schema) = self.resolve(schema, depth).filter(|_| depth < MAX_DEPTH) else {
            return Field::NotObject("may be any JSON value".into());
        };
        let kinds = self.kinds(schema, depth);
        let alternatives = one_of(schema);
        let object = match &kinds {
            Some(kinds) => kinds.contains("object"),
            None => {
                schema.get("properties").is_some()
                    || !all_of(schema).is_empty()
                    || !alternatives.is_empty()
            }
        };
        match kinds {
            None if !object => return Field::NotObject("may be any JSON value".into()),
            Some(kinds) if !object => return Field::NotObject(format!("is {}", a_kind(&kinds))),
            Some(mut kinds) if kinds.len() > 1 => {
                kinds.remove("object");
                return Field::NotObject(format!("may be {}", a_kind(&kinds)));
            }
            _ => {}
        }
        let own = match schema.get("properties").and_then(|p| p.get(name)) {
            Some(property) if is_required(schema, name) => self.value(property, depth + 1),
            Some(_) => Field::Unusable("is optional".into()),
            None => Field::Missing,
        };
        // One of several objects (an enum): the field must be usable in each.
        let in_each = alternatives
            .iter()
            .map(|alternative| self.field(alternative, name, depth + 1))
            .max();
        // The schema's own properties, every part of an `allOf` and one of the alternatives all
        // apply: the field is in whichever has it.
        all_of(schema)
            .iter()
            .map(|part| self.field(part, name, depth + 1))
            .chain(in_each)
            .chain([own])
            .min()
            .unwrap_or(Field::Missing)
    }

    /// Whether a required field of schema `property` always fills a path segment.
    fn value(&self, property: &'a Value, depth: usize) -> Field {
        let Some(kinds) = self.kinds(property, depth) else {
            return Field::Unusable("may be any JSON value".into());
        };
        let scalar = |kind: &&str| matches!(*kind, "string" | "integer" | "number" | "boolean");
        match kinds.iter().find(|kind| !scalar(kind)) {
            None if !kinds.is_empty() => Field::Usable,
            None => Field::Unusable("has no value".into()),
            Some(&"null") if kinds.len() == 1 => Field::Unusable("is null".into()),
            Some(&"null") => Field::Unusable("may be null".into()),
            Some(_) => {
                let others: BTreeSet<_> = kinds.into_iter().filter(|k| !scalar(k)).collect();
                Field::Unusable(format!("is {}", a_kind(&others)))
            }
        }
    }

    /// The JSON types a value of `schema` may have (`"string"`, `"null"`, …); `None` when it
    /// says nothing of them (any value).
    fn kinds(&self, schema: &'a Value, depth: usize) -> Option<BTreeSet<&'a str>> {
        let schema = self.resolve(schema, depth).filter(|_| depth < MAX_DEPTH)?;
        if let Some(kind) = schema.get("type") {
            return Some(match kind {
                Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect(),
                kind => kind.as_str().into_iter().collect(),
            });
        }
        if let Some(value) = schema.get("const") {
            return Some(BTreeSet::from([kind_of(value)]));
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            return Some(values.iter().map(kind_of).collect());
        }
        let alternatives = one_of(schema);
        if !alternatives.is_empty() {
            let mut union = BTreeSet::new();
            for alternative in alternatives {
                union.extend(self.kinds(alternative, depth + 1)?);
            }
            return Some(union);
        }
        // Every part applies: the types all of them allow.
        all_of(schema)
            .iter()
            .filter_map(|part| self.kinds(part, depth + 1))
            .reduce(|a, b| a.intersection(&b).copied().collect())
    }

    /// The fields a placeholder may name, sorted, as the messages list them.
    fn usable(&self) -> String {
        let mut names = BTreeSet::new();
        self.property_names(self.root, &mut names, 0);
        let usable: Vec<_> = names
            .into_iter()
            .filter(|name| self.field(self.root, name, 0) == Field::Usable)
            .collect();
        if usable.is_empty() {
            "it has none a redirect can use".into()
        } else {
            format!("it has: {}", usable.join(", "))
        }
    }

    /// Every property named in the object `schema` or the schemas it combines.
    fn property_names(&self, schema: &'a Value, names: &mut BTreeSet<&'a str>, depth: usize) {
        let Some(schema) = self.resolve(schema, depth).filter(|_| depth < MAX_DEPTH) else {
            return;
        };
        if let Some(Value::Object(properties)) = schema.get("properties") {
            names.extend(properties.keys().map(String::as_str));
        }
        for part in all_of(schema).iter().chain(one_of(schema)) {
            self.property_names(part, names, depth + 1);
        }
    }
}

/// The alternatives of an `anyOf` or a `oneOf`.
fn one_of(schema: &Value) -> &[Value] {
    ["anyOf", "oneOf"]
        .into_iter()
        .find_map(|key| schema.get(key).and_then(Value::as_array))
        .map_or(&[], Vec::as_slice)
}

/// The parts of an `allOf`.
fn all_of(schema: &Value) -> &[Value] {
    schema
        .get("allOf")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn is_required(schema: &Value, name: &str) -> bool {
    schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|required| required.iter().any(|r| r == name))
}

/// The JSON type of `value`.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `an object`, `an array or null`.
fn a_kind(kinds: &BTreeSet<&str>) -> String {
    if kinds.is_empty() {
        // A schema no value matches (an `allOf` of different types).
        return "no value at all".to_owned();
    }
    let named: Vec<_> = kinds
        .iter()
        .map(|kind| match *kind {
            "object" | "array" | "integer" => format!("an {kind}"),
            "null" => "null".to_owned(),
            kind => format!("a {kind}"),
        })
        .collect();
    named.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::problems;
    use crate::server::json_schema::output_schema;
    use schemars::JsonSchema;
    use serde::Serialize;

    #[derive(Serialize, JsonSchema)]
    #[serde(rename_all = "camelCase")]
    struct Author {
        user_id: i64,
    }

    #[derive(Serialize, JsonSchema)]
    #[serde(rename_all = "camelCase")]
    struct Post {
        id: i64,
        #[serde(rename = "permalink")]
        slug: String,
        published: bool,
        score: f64,
        subtitle: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        draft_of: Option<i64>,
        author: Author,
        tags: Vec<String>,
        #[serde(flatten)]
        owner: Author,
        extra: serde_json::Value,
    }

    #[derive(Serialize, JsonSchema)]
    #[serde(tag = "kind", rename_all = "camelCase")]
    #[allow(dead_code)]
    enum Outcome {
        Created { id: i64 },
        Merged { id: i64, into: i64 },
    }

    /// An enum flattened into a struct: the struct's fields and the enum's common ones.
    #[derive(Serialize, JsonSchema)]
    struct Event {
        seq: i64,
        #[serde(flatten)]
        outcome: Outcome,
    }

    fn check<T: JsonSchema>(template: &str) -> Vec<String> {
        problems(template, "T", &output_schema::<T>())
    }

    const USABLE: &str = "it has: id, permalink, published, score, userId";

    #[test]
    fn wire_names_of_scalar_fields_are_accepted() {
        assert_eq!(
            check::<Post>("/u/{userId}/p/{id}/{permalink}/{published}/{score}"),
            Vec::<String>::new()
        );
        assert_eq!(check::<Post>("/done"), Vec::<String>::new());
        assert_eq!(check::<()>("/done"), Vec::<String>::new());
        assert_eq!(check::<Outcome>("/o/{id}/{kind}"), Vec::<String>::new());
        assert_eq!(check::<Event>("/e/{seq}/{id}/{kind}"), Vec::<String>::new());
    }

    #[test]
    fn other_fields_are_refused_with_the_usable_ones() {
        let needs = "a placeholder needs a field that is always a string, a number or a boolean";
        assert_eq!(
            check::<Post>("/p/{slug}/{draftOf}/{subtitle}/{author}/{tags}/{extra}"),
            [
                format!("the output has no field \"slug\" ({USABLE})"),
                format!("the output's field \"draftOf\" is optional: {needs} ({USABLE})"),
                format!("the output's field \"subtitle\" may be null: {needs} ({USABLE})"),
                format!("the output's field \"author\" is an object: {needs} ({USABLE})"),
                format!("the output's field \"tags\" is an array: {needs} ({USABLE})"),
                format!("the output's field \"extra\" may be any JSON value: {needs} ({USABLE})"),
            ]
        );
        assert_eq!(
            check::<Outcome>("/o/{into}"),
            ["the output has no field \"into\" (it has: id, kind)"]
        );
        assert_eq!(
            check::<Event>("/e/{into}"),
            ["the output has no field \"into\" (it has: id, kind, seq)"]
        );
    }

    #[test]
    fn outputs_that_are_not_objects_are_refused() {
        assert_eq!(
            check::<()>("/posts/{id}"),
            ["the output `T` is null, not an object with a field \"id\""]
        );
        assert_eq!(
            check::<i64>("/posts/{id}"),
            ["the output `T` is an integer, not an object with a field \"id\""]
        );
        assert_eq!(
            check::<Option<Post>>("/posts/{id}"),
            ["the output `T` may be null, not an object with a field \"id\""]
        );
        assert_eq!(
            check::<Vec<Post>>("/posts/{id}"),
            ["the output `T` is an array, not an object with a field \"id\""]
        );
    }
}
