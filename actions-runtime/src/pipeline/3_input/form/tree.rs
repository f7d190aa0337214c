//! A form's flat fields as a tree: dotted keys nest, repeated keys keep every value in order.

use super::Part;
use crate::error::FieldErrors;
use std::collections::BTreeMap;

/// A form field or group of fields.
#[derive(Debug)]
pub(crate) enum Node {
    /// Every value sent under one key, in order.
    Leaf(Vec<Part>),
    /// The fields under a dotted prefix.
    Branch(BTreeMap<String, Node>),
}

/// Builds the tree of `fields`; a key that is both a value and a prefix (`a` and `a.b`), or has
/// an empty segment (`a..b`), is an error on that key.
pub(crate) fn build(
    fields: Vec<(String, Part)>,
    errors: &mut FieldErrors,
) -> BTreeMap<String, Node> {
    let mut root = BTreeMap::new();
    for (key, part) in fields {
        let segments: Vec<&str> = key.split('.').collect();
        if segments.iter().any(|segment| segment.is_empty()) {
            errors.add_at_path(key.clone(), "is not a valid field name");
            continue;
        }
        if insert(&mut root, &segments, part).is_err() {
            errors.add_at_path(
                key.clone(),
                "is sent both as a value and as a group of fields",
            );
        }
    }
    root
}

fn insert(branch: &mut BTreeMap<String, Node>, segments: &[&str], part: Part) -> Result<(), ()> {
    let (first, rest) = segments.split_first().ok_or(())?;
    let node = branch.entry((*first).to_owned()).or_insert_with(|| {
        if rest.is_empty() {
            Node::Leaf(Vec::new())
        } else {
            Node::Branch(BTreeMap::new())
        }
    });
    match (node, rest.is_empty()) {
        (Node::Leaf(parts), true) => {
            parts.push(part);
            Ok(())
        }
        (Node::Branch(children), false) => insert(children, rest, part),
        _ => Err(()),
    }
}
