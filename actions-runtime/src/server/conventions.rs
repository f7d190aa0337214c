//! The wire conventions, checked on every action's JSON Schemas when the server is built, so a
//! type declared without `#[input]` / `#[output]` cannot quietly break them:
//!
//! - field names are camelCase, as JS clients expect;
//! - inputs reject unknown fields, so an identity field like `userId` can never be smuggled in.

use super::registry::ActionEntry;
use serde_json::Value;

/// Every convention `entry`'s input and output break, each with its fix.
pub(crate) fn check(entry: &ActionEntry) -> Vec<String> {
    let mut problems = Vec::new();
    walk(&entry.input_schema, &mut |schema| {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        if !properties.is_empty() && schema.get("additionalProperties") != Some(&Value::Bool(false))
        {
            problems.push(format!(
                "input `{}` accepts unknown fields ({}); declare it with #[actions_runtime::input] \
                 (or add #[serde(deny_unknown_fields)]) so they are rejected",
                entry.input_type,
                names(properties),
            ));
        }
        for name in properties.keys().filter(|name| !is_camel_case(name)) {
            problems.push(format!(
                "input field `{name}` of `{}` is not camelCase on the wire; declare the type with \
                 #[actions_runtime::input] (or add #[serde(rename_all = \"camelCase\")])",
                entry.input_type
            ));
        }
    });
    walk(&entry.output_schema, &mut |schema| {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        for name in properties.keys().filter(|name| !is_camel_case(name)) {
            problems.push(format!(
                "output field `{name}` of `{}` is not camelCase on the wire; declare the type with \
                 #[actions_runtime::output] (or add #[serde(rename_all = \"camelCase\")])",
                entry.output_type
            ));
        }
    });
    problems
}

fn names(properties: &serde_json::Map<String, Value>) -> String {
    properties
        .keys()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `title`, `authorId`, `x2`: a lower-case letter, then letters and digits.
fn is_camel_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Visits every subschema of a JSON Schema document.
fn walk(schema: &Value, visit: &mut dyn FnMut(&Value)) {
    let Value::Object(object) = schema else {
        return;
    };
    visit(schema);
    for key in [
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
    ] {
        if let Some(sub) = object.get(key) {
            walk(sub, visit);
        }
    }
    for key in ["properties", "$defs", "definitions", "patternProperties"] {
        if let Some(Value::Object(map)) = object.get(key) {
            map.values().for_each(|sub| walk(sub, visit));
        }
    }
    for key in ["anyOf", "oneOf", "allOf", "prefixItems"] {
        if let Some(Value::Array(list)) = object.get(key) {
            list.iter().for_each(|sub| walk(sub, visit));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_camel_case;

    #[test]
    fn camel_case() {
        for ok in ["id", "authorId", "createdAt", "x2", "initialDeposit"] {
            assert!(is_camel_case(ok), "{ok}");
        }
        for bad in ["author_id", "AuthorId", "", "_id", "a-b"] {
            assert!(!is_camel_case(bad), "{bad}");
        }
    }
}
