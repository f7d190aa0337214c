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

/// Deepest nesting of a dotted key (`a.b.c` is 3): deeper is refused rather than recursed into.
const MAX_DEPTH: usize = 64;

/// The fields under one key or prefix, while the tree is built.
enum Slot<'a> {
    /// Every value sent under the key, in order.
    Values(Vec<Node<'a>>),
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
        let problem = match key.split('.').count() {
            depth if depth > MAX_DEPTH => Some("is nested too deeply"),
            _ if key.split('.').any(str::is_empty) => Some("is not a valid field name"),
            _ => insert(&mut root, &key, value)
                .err()
                .map(|()| "is sent both as a value and as a group of fields"),
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
    let segments: Vec<Cow<'a, str>> = match key {
        Cow::Borrowed(key) => key.split('.').map(Cow::Borrowed).collect(),
        Cow::Owned(key) => key.split('.').map(|s| Cow::Owned(s.to_owned())).collect(),
    };
    let last = segments.len() - 1;
    let mut branch: &mut BTreeMap<Cow<'a, str>, Slot<'a>> = root;
    for (index, segment) in segments.into_iter().enumerate() {
        let slot = branch.entry(segment).or_insert_with(|| {
            if index == last {
                Slot::Values(Vec::new())
            } else {
                Slot::Group(BTreeMap::new())
            }
        });
        match slot {
            Slot::Values(values) if index == last => {
                values.push(value);
                return Ok(());
            }
            Slot::Group(children) if index < last => branch = children,
            _ => return Err(()),
        }
    }
    Err(())
}

fn group<'a>(children: BTreeMap<Cow<'a, str>, Slot<'a>>) -> Node<'a> {
    Node::Object(
        children
            .into_iter()
            .map(|(key, slot)| {
                let node = match slot {
                    Slot::Values(mut values) if values.len() == 1 => {
                        values.pop().unwrap_or_default()
                    }
                    Slot::Values(values) => Node::List(values),
                    Slot::Group(children) => group(children),
                };
                (key, node)
            })
            .collect(),
    )
}
