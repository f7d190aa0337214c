//! JSON Schema (draft 2020-12, as schemars and the runtime write it) → TypeScript types.
//!
//! Integers: a JavaScript number holds integers exactly up to 2^53 - 1, so an `integer` whose
//! `minimum` and `maximum` both lie within that is a `number`; any other (an `i64`, a `u64`)
//! is `Int64` (`number | bigint`), which the client's JSON reader and writer keep exact.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

/// `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// How one schema document names its `$defs` (and the document itself, for `"#"`).
#[derive(Debug, Default)]
pub(super) struct Refs {
    /// The TypeScript name of the document's root.
    pub(super) root: String,
    /// `$defs` (or `definitions`) name → TypeScript name.
    pub(super) defs: BTreeMap<String, String>,
}

/// The TypeScript type of `schema`, laid out for `indent` levels of nesting.
pub(super) fn ts_type(schema: &Value, refs: &Refs, indent: usize) -> String {
    let object = match schema {
        Value::Bool(false) => return "never".to_owned(),
        Value::Object(object) => object,
        _ => return UNKNOWN.to_owned(),
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        return reference_name(reference, refs);
    }
    if let Some(value) = object.get("const") {
        return literal(value);
    }
    if let Some(Value::Array(values)) = object.get("enum") {
        return union(values.iter().map(literal).collect());
    }
    let mut parts = Vec::new();
    let mut literals_only = true;
    let mut has_union = false;
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(variants)) = object.get(key) {
            has_union = true;
            let members: Vec<String> = variants
                .iter()
                .map(|variant| ts_type(variant, refs, indent))
                .collect();
            literals_only &= variants
                .iter()
                .all(|variant| variant.get("const").is_some() || variant.get("enum").is_some());
            parts.push(group(union(members)));
        }
    }
    if let Some(Value::Array(all)) = object.get("allOf") {
        parts.extend(all.iter().map(|part| group(ts_type(part, refs, indent))));
    }
    // `{"type": "string", "oneOf": [{"const": "a"}, …]}` is the union alone.
    let bare_type = !["properties", "items", "prefixItems", "additionalProperties"]
        .iter()
        .any(|key| object.contains_key(*key));
    if !(has_union && literals_only && bare_type)
        && let Some(base) = typed(object, refs, indent)
    {
        parts.insert(0, group(base));
    }
    parts.retain(|part| part != UNKNOWN);
    parts.dedup();
    match parts.len() {
        0 => UNKNOWN.to_owned(),
        1 => ungroup(parts.remove(0)),
        _ => parts.join(" & "),
    }
}

const UNKNOWN: &str = "unknown";

/// What `type` (or, without it, `properties` or `items`) says; `None` when nothing does.
fn typed(object: &Map<String, Value>, refs: &Refs, indent: usize) -> Option<String> {
    let types: Vec<&str> = match object.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ if object.contains_key("properties") || object.contains_key("additionalProperties") => {
            vec!["object"]
        }
        _ if object.contains_key("items") || object.contains_key("prefixItems") => vec!["array"],
        _ => return None,
    };
    let members = types
        .into_iter()
        .map(|name| match name {
            "null" => "null".to_owned(),
            "boolean" => "boolean".to_owned(),
            "string" if object.get("format").and_then(Value::as_str) == Some("binary") => {
                "Blob".to_owned()
            }
            "string" => "string".to_owned(),
            "number" => "number".to_owned(),
            "integer" if is_safe_integer(object) => "number".to_owned(),
            "integer" => "Int64".to_owned(),
            "array" => array(object, refs, indent),
            "object" => object_type(object, refs, indent),
            _ => UNKNOWN.to_owned(),
        })
        .collect();
    Some(union(members))
}

/// Whether the schema bounds an integer within what a JavaScript number holds exactly.
fn is_safe_integer(object: &Map<String, Value>) -> bool {
    let bound = |keys: [&str; 2]| {
        keys.iter()
            .filter_map(|key| object.get(*key).and_then(Value::as_f64))
            .any(|bound| bound.abs() <= MAX_SAFE_INTEGER)
    };
    bound(["minimum", "exclusiveMinimum"]) && bound(["maximum", "exclusiveMaximum"])
}

fn array(object: &Map<String, Value>, refs: &Refs, indent: usize) -> String {
    let items = object.get("items");
    let Some(Value::Array(prefix)) = object.get("prefixItems") else {
        return match items {
            Some(items) => list_of(&ts_type(items, refs, indent)),
            None => "unknown[]".to_owned(),
        };
    };
    let mut members: Vec<String> = prefix
        .iter()
        .map(|item| ts_type(item, refs, indent))
        .collect();
    // Closed by `items: false`, or by `maxItems` (schemars writes a Rust tuple that way).
    let closed = object.get("maxItems").and_then(Value::as_u64) == Some(prefix.len() as u64);
    match items {
        Some(Value::Bool(false)) => {}
        _ if closed => {}
        Some(items) => members.push(format!("...{}", list_of(&ts_type(items, refs, indent)))),
        None => members.push("...unknown[]".to_owned()),
    }
    format!("[{}]", members.join(", "))
}

fn list_of(item: &str) -> String {
    if item.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{item}[]")
    } else {
        format!("Array<{item}>")
    }
}

/// `{ name: T; other?: U }`, laid out one member per line.
fn object_type(object: &Map<String, Value>, refs: &Refs, indent: usize) -> String {
    let required: Vec<&str> = match object.get("required") {
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    // By name, whatever order the map keeps (serde_json's `preserve_order` may be on).
    let mut properties: Vec<(&String, &Value)> = match object.get("properties") {
        Some(Value::Object(properties)) => properties.iter().collect(),
        _ => Vec::new(),
    };
    properties.sort_by_key(|(name, _)| *name);
    let extra = match object.get("additionalProperties") {
        Some(extra @ Value::Object(_)) => Some(ts_type(extra, refs, indent + 1)),
        _ => None,
    };
    if properties.is_empty() {
        return match (extra, object.get("additionalProperties")) {
            (Some(extra), _) => format!("Record<string, {extra}>"),
            (None, Some(Value::Bool(false))) => "Record<string, never>".to_owned(),
            (None, _) => "Record<string, unknown>".to_owned(),
        };
    }
    let pad = "  ".repeat(indent + 1);
    let mut text = String::from("{\n");
    let mut member_types = Vec::new();
    for (name, schema) in properties {
        let optional = !required.contains(&name.as_str());
        let ty = ts_type(schema, refs, indent + 1);
        text.push_str(&doc_comment(schema, &pad));
        let _ = writeln!(
            text,
            "{pad}{}{}: {ty};",
            property_name(name),
            if optional { "?" } else { "" }
        );
        member_types.push(ty);
        if optional {
            member_types.push("undefined".to_owned());
        }
    }
    if let Some(extra) = extra {
        // An index signature must admit every named property's type too.
        member_types.insert(0, extra);
        let _ = writeln!(text, "{pad}[key: string]: {};", union(member_types));
    }
    text.push_str(&"  ".repeat(indent));
    text.push('}');
    text
}

/// Whether `schema` is best declared as an `interface` (a plain object with properties).
pub(super) fn is_interface(schema: &Value) -> bool {
    let Value::Object(object) = schema else {
        return false;
    };
    let combinators = ["$ref", "const", "enum", "oneOf", "anyOf", "allOf"];
    object.get("type").and_then(Value::as_str) == Some("object")
        && object
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|properties| !properties.is_empty())
        && !combinators.iter().any(|key| object.contains_key(*key))
}

fn reference_name(reference: &str, refs: &Refs) -> String {
    if reference == "#" {
        return refs.root.clone();
    }
    let name = reference
        .strip_prefix("#/$defs/")
        .or_else(|| reference.strip_prefix("#/definitions/"))
        .map(|name| name.replace("~1", "/").replace("~0", "~"));
    name.and_then(|name| refs.defs.get(&name).cloned())
        .unwrap_or_else(|| UNKNOWN.to_owned())
}

/// A JSON value as a TypeScript literal type (JSON's string syntax is TypeScript's).
fn literal(value: &Value) -> String {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => value.to_string(),
        Value::Array(_) | Value::Object(_) => UNKNOWN.to_owned(),
    }
}

/// `a | b`, each member once; `unknown` absorbs the rest, `never` for none.
fn union(members: Vec<String>) -> String {
    let mut unique: Vec<String> = Vec::new();
    for member in members {
        if member == UNKNOWN {
            return UNKNOWN.to_owned();
        }
        if !unique.contains(&member) {
            unique.push(member);
        }
    }
    if unique.is_empty() {
        return "never".to_owned();
    }
    unique.join(" | ")
}

/// Parenthesized when it is a union or an intersection at the top level.
fn group(ty: String) -> String {
    let mut depth = 0i32;
    let mut top_level_operator = false;
    for c in ty.chars() {
        match c {
            '{' | '(' | '[' | '<' => depth += 1,
            '}' | ')' | ']' | '>' => depth -= 1,
            '|' | '&' if depth == 0 => top_level_operator = true,
            _ => {}
        }
    }
    if top_level_operator {
        format!("({ty})")
    } else {
        ty
    }
}

/// Without the parentheses [`group`] added, when it is all that is left.
fn ungroup(ty: String) -> String {
    match ty
        .strip_prefix('(')
        .and_then(|inner| inner.strip_suffix(')'))
    {
        Some(inner) if group(inner.to_owned()) != inner => inner.to_owned(),
        _ => ty,
    }
}

/// A property's name, quoted unless it is an identifier.
fn property_name(name: &str) -> String {
    let mut chars = name.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        name.to_owned()
    } else {
        Value::from(name).to_string()
    }
}

/// `/** description */` on the lines before an item, or nothing.
pub(super) fn doc_comment(schema: &Value, pad: &str) -> String {
    match schema.get("description").and_then(Value::as_str) {
        Some(text) => doc_text(text, pad),
        None => String::new(),
    }
}

/// `text` as a doc comment at `pad`.
pub(super) fn doc_text(text: &str, pad: &str) -> String {
    let text = text.trim().replace("*/", "*\\/");
    if !text.contains('\n') {
        return format!("{pad}/** {text} */\n");
    }
    let mut comment = format!("{pad}/**\n");
    for line in text.lines() {
        let _ = writeln!(
            comment,
            "{pad} *{}{line}",
            if line.is_empty() { "" } else { " " }
        );
    }
    comment.push_str(pad);
    comment.push_str(" */\n");
    comment
}

/// `post.update` → `PostUpdate`, `Wrapper_for_T` → `WrapperForT`: the segments of `name`
/// between non-alphanumeric characters, each capitalized.
pub(super) fn pascal_case(name: &str) -> String {
    let mut out = String::new();
    for segment in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = segment.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'T');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[allow(clippy::needless_pass_by_value)] // every call passes a fresh `json!`
    fn ts(schema: Value) -> String {
        let refs = Refs {
            root: "Root".to_owned(),
            defs: [("Balance".to_owned(), "Balance".to_owned())].into(),
        };
        ts_type(&schema, &refs, 0)
    }

    #[test]
    fn objects_name_required_and_optional_members() {
        let schema = json!({
            "type": "object",
            "properties": {
                "id": {"type": "integer", "format": "int64",
                       "minimum": i64::MIN, "maximum": i64::MAX},
                "bio": {"type": ["string", "null"], "description": "Shown on the profile."},
                "data-url": {"type": "string"}
            },
            "required": ["id"]
        });
        assert_eq!(
            ts(schema),
            "{\n  /** Shown on the profile. */\n  bio?: string | null;\n  \"data-url\"?: string;\n  id: Int64;\n}"
        );
    }

    #[test]
    fn integers_are_numbers_only_when_bounded_within_2_pow_53() {
        let int =
            |min: Value, max: Value| ts(json!({"type": "integer", "minimum": min, "maximum": max}));
        assert_eq!(int(json!(1), json!(100)), "number");
        assert_eq!(int(json!(i32::MIN), json!(i32::MAX)), "number");
        assert_eq!(int(json!(0), json!(9_007_199_254_740_991_u64)), "number");
        assert_eq!(int(json!(0), json!(9_007_199_254_740_992_u64)), "Int64");
        assert_eq!(int(json!(i64::MIN), json!(i64::MAX)), "Int64");
        assert_eq!(int(json!(1), Value::Null), "Int64", "no upper bound");
        assert_eq!(ts(json!({"type": "integer"})), "Int64");
        assert_eq!(ts(json!({"type": "number"})), "number");
    }

    #[test]
    fn nullable_enum_const_and_unions() {
        assert_eq!(
            ts(json!({"type": ["integer", "null"], "minimum": 1, "maximum": 9})),
            "number | null"
        );
        assert_eq!(
            ts(json!({"enum": ["a", "b", null]})),
            "\"a\" | \"b\" | null"
        );
        assert_eq!(ts(json!({"const": 3})), "3");
        assert_eq!(
            ts(json!({"type": "string", "oneOf": [{"const": "success"}, {"const": "failure"}]})),
            "\"success\" | \"failure\""
        );
        assert_eq!(
            ts(json!({"anyOf": [{"$ref": "#/$defs/Balance"}, {"type": "null"}]})),
            "Balance | null"
        );
        assert_eq!(
            ts(
                json!({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "boolean"}}]})
            ),
            "string | boolean[]"
        );
        assert_eq!(ts(json!({"anyOf": [{"type": "string"}, {}]})), "unknown");
    }

    #[test]
    fn allof_intersects_and_drops_mere_constraints() {
        assert_eq!(
            ts(json!({"type": "string", "format": "email", "allOf": [{"pattern": "^.+$"}]})),
            "string"
        );
        assert_eq!(
            ts(json!({"allOf": [{"$ref": "#/$defs/Balance"}, {"$ref": "#"}]})),
            "Balance & Root"
        );
        assert_eq!(
            ts(
                json!({"allOf": [{"oneOf": [{"const": 1}, {"const": 2}]}, {"$ref": "#/$defs/Balance"}]})
            ),
            "(1 | 2) & Balance"
        );
    }

    #[test]
    fn arrays_tuples_and_maps() {
        assert_eq!(
            ts(json!({"type": "array", "items": {"$ref": "#/$defs/Balance"}})),
            "Balance[]"
        );
        assert_eq!(
            ts(json!({"type": "array", "items": {"type": ["string", "null"]}})),
            "Array<string | null>"
        );
        assert_eq!(
            ts(
                json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "boolean"}], "items": false})
            ),
            "[string, boolean]"
        );
        assert_eq!(
            ts(
                json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}],
                      "minItems": 2, "maxItems": 2})
            ),
            "[number, number]",
            "a Rust tuple"
        );
        assert_eq!(
            ts(
                json!({"type": "array", "prefixItems": [{"type": "number"}], "items": {"type": "string"}})
            ),
            "[number, ...string[]]"
        );
        assert_eq!(
            ts(json!({"type": "array", "prefixItems": [{"type": "number"}]})),
            "[number, ...unknown[]]"
        );
        assert_eq!(
            ts(
                json!({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}})
            ),
            "Record<string, string[]>"
        );
        assert_eq!(ts(json!({"type": "object"})), "Record<string, unknown>");
        assert_eq!(
            ts(
                json!({"type": "object", "properties": {"a": {"type": "boolean"}}, "required": ["a"],
                      "additionalProperties": {"type": "string"}})
            ),
            "{\n  a: boolean;\n  [key: string]: string | boolean;\n}"
        );
    }

    #[test]
    fn files_unknowns_and_unresolved_references() {
        assert_eq!(
            ts(json!({"type": ["string", "null"], "format": "binary"})),
            "Blob | null"
        );
        assert_eq!(ts(json!({"description": "anything"})), "unknown");
        assert_eq!(ts(json!(true)), "unknown");
        assert_eq!(ts(json!(false)), "never");
        assert_eq!(ts(json!({"$ref": "#/$defs/Missing"})), "unknown");
        assert_eq!(ts(json!({"$ref": "https://example.com/schema"})), "unknown");
    }

    #[test]
    fn names_and_comments() {
        assert_eq!(pascal_case("post.update"), "PostUpdate");
        assert_eq!(pascal_case("Wrapper_for_T"), "WrapperForT");
        assert_eq!(pascal_case("account.get_by_id"), "AccountGetById");
        assert_eq!(pascal_case("2fa"), "T2fa");
        assert_eq!(doc_text("Ends */ here", ""), "/** Ends *\\/ here */\n");
        assert_eq!(
            doc_text("One\n\nTwo", "  "),
            "  /**\n   * One\n   *\n   * Two\n   */\n"
        );
    }
}
