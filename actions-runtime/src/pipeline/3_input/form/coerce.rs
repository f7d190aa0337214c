//! Form text coerced into typed values by the input's JSON Schema, as Astro coerces `FormData`
//! by the action's zod schema.

use super::Part;
use super::tree::Node;
use super::value::FormValue;
use crate::error::FieldErrors;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// What a schema asks for, as far as coercion cares.
#[derive(Debug, Clone, Copy)]
enum Shape<'s> {
    Object(&'s Value),
    Array(&'s Value),
    Boolean,
    Integer,
    Number,
    String,
    File,
    /// No usable type information: the text goes through as is.
    Any,
}

/// A schema position: the root (for `$ref`s into `$defs`) and the node.
#[derive(Clone, Copy)]
struct At<'s> {
    root: &'s Value,
    schema: &'s Value,
}

impl<'s> At<'s> {
    fn with(self, schema: &'s Value) -> At<'s> {
        At {
            root: self.root,
            schema,
        }
    }

    /// Follows `$ref`s to the schema they name.
    fn resolve(self) -> &'s Value {
        let mut schema = self.schema;
        for _ in 0..32 {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let Some(target) = reference
                .strip_prefix('#')
                .and_then(|pointer| self.root.pointer(pointer))
            else {
                break;
            };
            schema = target;
        }
        schema
    }

    /// The shape asked for, and whether `null` is allowed.
    fn shape(self) -> (Shape<'s>, bool) {
        let schema = self.resolve();
        for key in ["anyOf", "oneOf"] {
            if let Some(variants) = schema.get(key).and_then(Value::as_array) {
                let (nulls, others): (Vec<&Value>, Vec<&Value>) = variants
                    .iter()
                    .partition(|v| v.get("type").and_then(Value::as_str) == Some("null"));
                return match others.as_slice() {
                    [only] => {
                        let (shape, nullable) = self.with(only).shape();
                        (shape, nullable || !nulls.is_empty())
                    }
                    _ => (Shape::Any, !nulls.is_empty()),
                };
            }
        }
        if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            return self.with(only).shape();
        }
        let (types, nullable) = match schema.get("type") {
            Some(Value::String(t)) => (vec![t.as_str()], false),
            Some(Value::Array(ts)) => {
                let types: Vec<&str> = ts.iter().filter_map(Value::as_str).collect();
                let nullable = types.contains(&"null");
                (
                    types.into_iter().filter(|t| *t != "null").collect(),
                    nullable,
                )
            }
            _ if schema.get("properties").is_some() => (vec!["object"], false),
            _ => (vec![], false),
        };
        let shape = match types.as_slice() {
            ["object"] => Shape::Object(schema),
            ["array"] => Shape::Array(schema.get("items").unwrap_or(&Value::Bool(true))),
            ["boolean"] => Shape::Boolean,
            ["integer"] => Shape::Integer,
            ["number"] => Shape::Number,
            ["string"] if schema.get("format").and_then(Value::as_str) == Some("binary") => {
                Shape::File
            }
            ["string"] => Shape::String,
            _ => Shape::Any,
        };
        (shape, nullable)
    }
}

/// Coerces the whole form against the input's root schema.
pub(crate) fn coerce(
    fields: BTreeMap<String, Node>,
    root: &Value,
    errors: &mut FieldErrors,
) -> FormValue {
    let at = At { root, schema: root };
    match at.shape().0 {
        Shape::Object(object) => coerce_object(fields, at.with(object), errors),
        _ => raw(Node::Branch(fields)),
    }
}

fn coerce_object(
    fields: BTreeMap<String, Node>,
    at: At<'_>,
    errors: &mut FieldErrors,
) -> FormValue {
    let empty = serde_json::Map::new();
    let properties = at
        .schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let required: HashSet<&str> = at
        .schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut entries = Vec::new();
    let mut seen = HashSet::new();
    for (key, node) in fields {
        seen.insert(key.clone());
        let value = match properties.get(&key) {
            Some(property) => errors.nested(&key, |errors| {
                coerce_node(
                    node,
                    at.with(property),
                    !required.contains(key.as_str()),
                    errors,
                )
            }),
            // Not a field of the type: passed on for serde to reject by name.
            None => Some(raw(node)),
        };
        if let Some(value) = value {
            entries.push((key, value));
        }
    }
    for (key, property) in properties {
        if seen.contains(key) || !required.contains(key.as_str()) {
            continue;
        }
        match at.with(property).shape() {
            // An unchecked checkbox is not sent at all: it means false.
            (Shape::Boolean, false) => entries.push((key.clone(), FormValue::Bool(false))),
            // A multi-select with nothing selected is not sent either.
            (Shape::Array(_), false) => entries.push((key.clone(), FormValue::Seq(Vec::new()))),
            _ => {}
        }
    }
    FormValue::Map(entries)
}

/// Coerces one field; `None` means absent (an empty optional field).
fn coerce_node(
    node: Node,
    at: At<'_>,
    optional: bool,
    errors: &mut FieldErrors,
) -> Option<FormValue> {
    let (shape, nullable) = at.shape();
    let optional = optional || nullable;
    match (shape, node) {
        (Shape::Object(object), Node::Branch(fields)) => {
            Some(coerce_object(fields, at.with(object), errors))
        }
        (Shape::Object(_), Node::Leaf(_)) => {
            errors.add(
                "",
                "expected a group of fields (name them with dots, like `field.name`)",
            );
            None
        }
        (Shape::Array(items), Node::Leaf(parts)) => {
            let items = at.with(items);
            let values = parts
                .into_iter()
                .enumerate()
                .filter_map(|(index, part)| {
                    errors.nested(index, |errors| {
                        coerce_part(part, items.shape().0, true, errors)
                    })
                })
                .collect();
            Some(FormValue::Seq(values))
        }
        (Shape::Array(items), Node::Branch(fields)) => {
            coerce_indexed(fields, at.with(items), errors)
        }
        (Shape::Any, node) => Some(raw(node)),
        (scalar, Node::Leaf(mut parts)) => {
            // A scalar sent several times takes the first value, as `FormData.get` does.
            if parts.is_empty() {
                return None;
            }
            coerce_part(parts.swap_remove(0), scalar, optional, errors)
        }
        (_, Node::Branch(_)) => {
            errors.add("", "expected a single value, not a group of fields");
            None
        }
    }
}

/// `items.0.name`, `items.1.name`: numeric segments index an array.
fn coerce_indexed(
    fields: BTreeMap<String, Node>,
    items: At<'_>,
    errors: &mut FieldErrors,
) -> Option<FormValue> {
    let mut indexed = Vec::new();
    for (key, node) in fields {
        match key.parse::<usize>() {
            Ok(index) => indexed.push((index, key, node)),
            Err(_) => {
                errors.add(&key, "expected an array index");
                return None;
            }
        }
    }
    indexed.sort_by_key(|(index, _, _)| *index);
    let values = indexed
        .into_iter()
        .filter_map(|(_, key, node)| {
            errors.nested(&key, |errors| coerce_node(node, items, false, errors))
        })
        .collect();
    Some(FormValue::Seq(values))
}

/// Coerces one sent value to `shape`.
fn coerce_part(
    part: Part,
    shape: Shape<'_>,
    optional: bool,
    errors: &mut FieldErrors,
) -> Option<FormValue> {
    let text = match part {
        Part::File(file) => {
            return match shape {
                // A file input left blank still sends an empty, unnamed part.
                Shape::File if file.is_empty() && file.file_name().is_none() && optional => None,
                Shape::File | Shape::Any => Some(FormValue::File(file)),
                _ => {
                    errors.add("", "expected a value, not a file");
                    None
                }
            };
        }
        Part::Text(text) => text,
    };
    if text.is_empty() && optional {
        return None;
    }
    let value = match shape {
        Shape::String | Shape::Any => FormValue::Str(text),
        Shape::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" | "on" | "1" | "yes" => FormValue::Bool(true),
            "false" | "off" | "0" | "no" | "" => FormValue::Bool(false),
            _ => return fail(errors, "expected a boolean (true or false)"),
        },
        Shape::Integer => match parse_integer(text.trim()) {
            Some(value) => value,
            None => return fail(errors, "expected an integer"),
        },
        Shape::Number => match parse_integer(text.trim()) {
            Some(value) => value,
            None => match text.trim().parse::<f64>() {
                Ok(number) if number.is_finite() => FormValue::F64(number),
                _ => return fail(errors, "expected a number"),
            },
        },
        Shape::File => {
            return fail(
                errors,
                "expected a file upload (send the form as multipart/form-data)",
            );
        }
        Shape::Object(_) | Shape::Array(_) => FormValue::Str(text),
    };
    Some(value)
}

fn fail(errors: &mut FieldErrors, message: &str) -> Option<FormValue> {
    errors.add("", message);
    None
}

fn parse_integer(text: &str) -> Option<FormValue> {
    text.parse::<i64>()
        .map(FormValue::I64)
        .or_else(|_| text.parse::<u64>().map(FormValue::U64))
        .ok()
}

/// A field with no schema to follow: text stays text, repeats become arrays.
fn raw(node: Node) -> FormValue {
    match node {
        Node::Leaf(mut parts) if parts.len() == 1 => raw_part(parts.swap_remove(0)),
        Node::Leaf(parts) => FormValue::Seq(parts.into_iter().map(raw_part).collect()),
        Node::Branch(fields) => {
            FormValue::Map(fields.into_iter().map(|(k, n)| (k, raw(n))).collect())
        }
    }
}

fn raw_part(part: Part) -> FormValue {
    match part {
        Part::Text(text) => FormValue::Str(text),
        Part::File(file) => FormValue::File(file),
    }
}
