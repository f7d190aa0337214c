//! A request body parsed once: a small tree that JSON and forms both parse into, and that every
//! input decodes from.

use bytes::Bytes;
use std::borrow::Cow;

/// How the text of a body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// JSON: every value has its own type, and a type asked for must match it.
    Json,
    /// A form: every value is text, read as the type asked for (`"3"` → 3, `"on"` → true),
    /// with Astro's coercions for what a form cannot say (an unchecked box, an empty input).
    Form,
}

/// One value of a body.
#[derive(Debug, Default)]
pub(crate) enum Node<'de> {
    /// Not sent: a field the body does not have.
    #[default]
    Absent,
    /// JSON `null`.
    Null,
    /// JSON `true` / `false`.
    Bool(bool),
    /// A JSON integer of at least 0.
    U64(u64),
    /// A negative JSON integer.
    I64(i64),
    /// A JSON number with a fraction or an exponent.
    F64(f64),
    /// A JSON string, or the text of a form field.
    Str(Cow<'de, str>),
    /// A file part of a multipart form.
    File(Box<FilePart>),
    /// A JSON array, or every value a form sent under one key, in order.
    List(Vec<Node<'de>>),
    /// A JSON object, or the fields of a form under a dotted prefix, in the order sent. A key
    /// sent twice is kept twice: the input decides whether that is an error.
    Object(Vec<(Cow<'de, str>, Node<'de>)>),
}

impl Node<'_> {
    /// A form field left empty (`name=`) or a file input left blank: absent for a field that
    /// may be absent.
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Node::Str(text) => text.is_empty(),
            Node::File(file) => file.bytes.is_empty() && file.file_name.is_none(),
            _ => false,
        }
    }
}

/// A file as the multipart reader received it.
#[derive(Debug)]
pub(crate) struct FilePart {
    /// The file name the client sent; `None` when it sent none or an empty one.
    pub(crate) file_name: Option<String>,
    /// The content type the client declared.
    pub(crate) content_type: Option<String>,
    /// The contents.
    pub(crate) bytes: Bytes,
}

/// A body to decode: its tree, and how to read its text.
#[derive(Debug)]
pub struct Payload<'de> {
    pub(crate) node: Node<'de>,
    pub(crate) mode: Mode,
}

impl<'de> Payload<'de> {
    /// `node`, read in `mode`.
    pub(crate) fn new(node: Node<'de>, mode: Mode) -> Payload<'de> {
        Payload { node, mode }
    }

    /// How the text is read.
    pub(crate) fn mode(&self) -> Mode {
        self.mode
    }

    /// The tree.
    pub(crate) fn into_node(self) -> Node<'de> {
        self.node
    }
}
