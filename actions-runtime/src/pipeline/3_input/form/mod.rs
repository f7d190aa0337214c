//! Form bodies (`application/x-www-form-urlencoded`, `multipart/form-data`) as the tree inputs
//! decode from: dotted keys nest (`author.email`), a key sent several times keeps every value
//! in order, file parts stay files. What each value becomes is the input's type's business
//! (`"3"` → 3, `"on"` → true): see `NodeDeserializer` in form mode.

mod multipart;
mod urlencoded;

pub(crate) use multipart::read as read_multipart;
pub(crate) use urlencoded::parse as parse_urlencoded;

use crate::base::wire::Node;
use crate::error::FieldErrors;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

/// Deepest nesting of a dotted key (`a.b.c` is 3): deeper is refused rather than recursed into.
const MAX_DEPTH: usize = 64;

/// The fields under one key or prefix, while the tree is built.
enum Slot<'a> {
    /// The value of a key sent once: no list for the usual case.
    One(Node<'a>),
    /// Every value sent under the key, in order.
    Many(Vec<Node<'a>>),
    /// The fields under the prefix.
    Group(BTreeMap<Cow<'a, str>, Slot<'a>>),
}

/// The tree of a form's `(key, value)` fields. A key that is both a value and a prefix (`a`
/// and `a.b`), has an empty segment (`a..b`) or nests too deeply is an error on that key; the
/// rest of the form still decodes.
pub(crate) fn tree<'a>(
    fields: Vec<(Cow<'a, str>, Node<'a>)>,
    errors: &mut FieldErrors,
) -> Node<'a> {
    let mut root = BTreeMap::new();
    for (key, value) in fields {
        let mut depth = 0;
        let mut blank = false;
        for segment in key.split('.') {
            depth += 1;
            blank |= segment.is_empty();
        }
        let problem = if depth > MAX_DEPTH {
            Some("is nested too deeply")
        } else if blank {
            Some("is not a valid field name")
        } else {
            insert(&mut root, &key, value)
                .err()
                .map(|()| "is sent both as a value and as a group of fields")
        };
        if let Some(problem) = problem {
            errors.add_at_path(key.into_owned(), problem);
        }
    }
    group(root)
}

fn insert<'a>(
    root: &mut BTreeMap<Cow<'a, str>, Slot<'a>>,
    key: &Cow<'a, str>,
    value: Node<'a>,
) -> Result<(), ()> {
    #![allow(clippy::ptr_arg)] // segments borrow from a borrowed key, and are owned otherwise
    match key {
        Cow::Borrowed(key) => insert_at(root, key.split('.').map(Cow::Borrowed), value),
        Cow::Owned(key) => insert_at(
            root,
            key.split('.').map(|segment| Cow::Owned(segment.to_owned())),
            value,
        ),
    }
}

/// Puts `value` at the path `segments` spell.
fn insert_at<'a>(
    root: &mut BTreeMap<Cow<'a, str>, Slot<'a>>,
    segments: impl Iterator<Item = Cow<'a, str>>,
    value: Node<'a>,
) -> Result<(), ()> {
    let mut segments = segments.peekable();
    let mut branch = root;
    while let Some(segment) = segments.next() {
        if segments.peek().is_some() {
            match branch
                .entry(segment)
                .or_insert_with(|| Slot::Group(BTreeMap::new()))
            {
                Slot::Group(children) => branch = children,
                Slot::One(_) | Slot::Many(_) => return Err(()),
            }
            continue;
        }
        match branch.entry(segment) {
            Entry::Vacant(entry) => {
                entry.insert(Slot::One(value));
            }
            Entry::Occupied(mut entry) => {
                let slot = entry.get_mut();
                match slot {
                    Slot::Group(_) => return Err(()),
                    Slot::Many(values) => values.push(value),
                    Slot::One(first) => {
                        let first = std::mem::take(first);
                        *slot = Slot::Many(vec![first, value]);
                    }
                }
            }
        }
        return Ok(());
    }
    Err(())
}

fn group<'a>(children: BTreeMap<Cow<'a, str>, Slot<'a>>) -> Node<'a> {
    Node::Object(
        children
            .into_iter()
            .map(|(key, slot)| {
                let node = match slot {
                    Slot::One(node) => node,
                    Slot::Many(values) => Node::List(values),
                    Slot::Group(children) => group(children),
                };
                (key, node)
            })
            .collect(),
    )
}
