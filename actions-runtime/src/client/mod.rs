//! Generated clients: [`typescript`] writes `actions.ts`, a typed TypeScript client of a
//! server's actions, from its [`Manifest`] alone (no Node tooling, no database). The app's
//! command line prints it (`client --lang ts`); a `build.rs` can call it too. How to use the
//! file, and how it keeps 64-bit integers exact: `docs/clients.md`.

mod types;

use crate::error::ErrorCode;
use crate::server::{Manifest, ManifestAction};
use crate::{Accept, Idempotency, Posture};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;
use types::{Refs, doc_comment, doc_text, is_interface, pascal_case, ts_type};

/// What every client shares: the error class, the JSON reader and writer, the call itself and
/// the account routes. It names `ERROR_STATUS` and `ServerErrorCode`, written before it.
const RUNTIME: &str = include_str!("runtime.ts");

/// Names the runtime declares, which a `$defs` type never takes.
const RESERVED: &[&str] = &[
    "Action",
    "ActionArgs",
    "ActionError",
    "ActionErrorCode",
    "ActionResult",
    "ActionSpec",
    "Actions",
    "Auth",
    "AuthError",
    "AuthSession",
    "AuthUser",
    "CallOptions",
    "ClientConfig",
    "ClientErrorCode",
    "FieldErrors",
    "Int64",
    "ServerErrorCode",
    // Globals the file uses.
    "Array",
    "Blob",
    "Error",
    "FormData",
    "Headers",
    "Promise",
    "Record",
    "Response",
];

/// `actions.ts` for `manifest`: an interface per action's input and output (`PostUpdateInput`,
/// `PostUpdateOutput`) and per `$defs` type, the error codes, and `createActions(config)`
/// returning `actions.<namespace>.<name>(input, options?)`.
pub fn typescript(manifest: &Manifest) -> String {
    let mut names = Names::default();
    for name in RESERVED {
        names.taken.insert((*name).to_owned(), None);
    }
    for action in &manifest.actions {
        let prefix = pascal_case(&action.name);
        names.taken.insert(format!("{prefix}Input"), None);
        names.taken.insert(format!("{prefix}Output"), None);
    }

    let mut out = String::from(HEADER);
    error_codes(&mut out);
    out.push_str(RUNTIME);
    out.push_str(
        "\n// ---------------------------------------------------------------------------------------------\n\
         // This server's actions: their inputs and outputs.\n\
         // ---------------------------------------------------------------------------------------------\n\n",
    );
    for action in &manifest.actions {
        let prefix = pascal_case(&action.name);
        let _ = write!(out, "// {}\n\n", action.name);
        let mut defs = String::new();
        for (schema, suffix) in [(&action.input, "Input"), (&action.output, "Output")] {
            let refs = names.document(&prefix, suffix, schema, &mut defs);
            out.push_str(&names.root(&prefix, schema, &refs));
        }
        out.push_str(&defs);
    }
    actions_table(&mut out, manifest);
    out
}

const HEADER: &str = "\
// actions.ts: a typed client of this server's actions, written by actions-runtime from the
// server's registry (`<app> client --lang ts`, or `actions_runtime::client::typescript`).
// Do not edit: regenerate it. How to use it: actions-runtime's guide, docs/clients.md.

";

/// `ERROR_STATUS` and `ServerErrorCode`, from [`ErrorCode::ALL`].
fn error_codes(out: &mut String) {
    out.push_str(
        "/** A code the server answers a failed call with (Astro's `ActionError` codes). */\n",
    );
    out.push_str("export type ServerErrorCode =\n");
    for code in ErrorCode::ALL {
        let _ = writeln!(out, "  | \"{}\"", code.as_str());
    }
    out.pop();
    out.push_str(";\n\n/** The HTTP status of each code. */\n");
    out.push_str("export const ERROR_STATUS: Readonly<Record<ServerErrorCode, number>> = {\n");
    for code in ErrorCode::ALL {
        let _ = writeln!(out, "  {}: {},", code.as_str(), code.status().as_u16());
    }
    out.push_str("};\n\n");
}

/// The TypeScript names of types, unique across the file.
#[derive(Debug, Default)]
struct Names {
    /// Name → the `$defs` schema it was given to (`None`: the runtime's, or an action's).
    taken: BTreeMap<String, Option<Value>>,
}

impl Names {
    /// Names the document `schema` (the input or output of the action `prefix`) and its
    /// `$defs`, writing the declarations of defs not seen before to `defs`.
    fn document(&mut self, prefix: &str, suffix: &str, schema: &Value, defs: &mut String) -> Refs {
        let mut refs = Refs {
            root: format!("{prefix}{suffix}"),
            defs: BTreeMap::new(),
        };
        let found: Vec<(&String, &Value)> = ["$defs", "definitions"]
            .iter()
            .filter_map(|key| schema.get(*key).and_then(Value::as_object))
            .flat_map(|map| map.iter())
            .collect();
        let mut fresh = Vec::new();
        for (name, def) in &found {
            let (ts_name, is_new) = self.def(prefix, name, def);
            refs.defs.insert((*name).clone(), ts_name.clone());
            if is_new {
                fresh.push((ts_name, *def));
            }
        }
        fresh.sort_by(|a, b| a.0.cmp(&b.0));
        for (ts_name, def) in fresh {
            let def_refs = Refs {
                root: refs.root.clone(),
                defs: refs.defs.clone(),
            };
            defs.push_str(&declaration(&ts_name, def, &def_refs));
        }
        refs
    }

    /// The declaration of a document's root. An object the Rust type names (its `title`:
    /// `Post`) is declared once under that name, shared by every action that takes or returns
    /// it, and the action's name is an alias of it (`PostGetOutput = Post`).
    fn root(&mut self, prefix: &str, schema: &Value, refs: &Refs) -> String {
        let title = schema.get("title").and_then(Value::as_str);
        let Some(title) =
            title.filter(|title| is_interface(schema) && pascal_case(title) != refs.root)
        else {
            return declaration(&refs.root, schema, refs);
        };
        // As the same type appears among another document's `$defs`.
        let mut shared = schema.clone();
        if let Some(object) = shared.as_object_mut() {
            for key in ["$schema", "title", "$defs", "definitions"] {
                object.remove(key);
            }
        }
        let (name, is_new) = self.def(prefix, title, &shared);
        let mut text = match is_new {
            true => declaration(&name, schema, refs),
            false => String::new(),
        };
        let _ = writeln!(text, "export type {} = {name};\n", refs.root);
        text
    }

    /// The name of the def `name` of action `prefix`: its own name, unless another schema has it.
    fn def(&mut self, prefix: &str, name: &str, schema: &Value) -> (String, bool) {
        let base = pascal_case(name);
        let mut attempt = 0u64;
        loop {
            let candidate = match attempt {
                0 => base.clone(),
                1 => format!("{prefix}{base}"),
                n => format!("{prefix}{base}{n}"),
            };
            attempt += 1;
            match self.taken.get(&candidate) {
                None => {
                    self.taken.insert(candidate.clone(), Some(schema.clone()));
                    return (candidate, true);
                }
                Some(Some(existing)) if existing == schema => return (candidate, false),
                Some(_) => {}
            }
        }
    }
}

/// `export interface Name { … }` or `export type Name = …;`, with the schema's description.
fn declaration(name: &str, schema: &Value, refs: &Refs) -> String {
    let mut text = doc_comment(schema, "");
    let ty = ts_type(schema, refs, 0);
    if is_interface(schema) {
        let _ = writeln!(text, "export interface {name} {ty}\n");
    } else {
        let _ = writeln!(text, "export type {name} = {ty};\n");
    }
    text
}

/// One namespace of the actions table: the action of that name, if any, and the ones below.
#[derive(Default)]
struct Namespace<'a> {
    action: Option<&'a ManifestAction>,
    children: BTreeMap<&'a str, Namespace<'a>>,
}

/// `createActions`, its type, and the default `actions`.
fn actions_table(out: &mut String, manifest: &Manifest) {
    let mut root = Namespace::default();
    for action in &manifest.actions {
        let mut node = &mut root;
        for segment in action.name.split('.') {
            node = node.children.entry(segment).or_default();
        }
        node.action = Some(action);
    }
    out.push_str(
        "// ---------------------------------------------------------------------------------------------\n\
         // The client.\n\
         // ---------------------------------------------------------------------------------------------\n\n\
         /** This server's actions, called through `config`: `createActions({ baseUrl, fetch, headers })`. */\n\
         export function createActions(config: ClientConfig = {}) {\n  return ",
    );
    members(out, &root, 1);
    out.push_str(
        ";\n}\n\n\
         /** The actions, by namespace: `Actions[\"post\"][\"update\"]`. */\n\
         export type Actions = ReturnType<typeof createActions>;\n\n\
         /** The actions on the page's own origin, cookies included. */\n\
         export const actions: Actions = createActions();\n",
    );
}

/// `{ name: action, namespace: { … } }` at `indent`.
fn members(out: &mut String, node: &Namespace<'_>, indent: usize) {
    let pad = "  ".repeat(indent + 1);
    out.push_str("{\n");
    for (name, child) in &node.children {
        if let Some(action) = child.action {
            out.push_str(&doc_text(&summary(action), &pad));
        }
        let _ = write!(out, "{pad}{name}: ");
        match (child.action, child.children.is_empty()) {
            (Some(action), true) => out.push_str(&define(action)),
            (Some(action), false) => {
                let _ = write!(out, "Object.assign({}, ", define(action));
                members(out, child, indent + 1);
                out.push(')');
            }
            (None, _) => members(out, child, indent + 1),
        }
        out.push_str(",\n");
    }
    out.push_str(&"  ".repeat(indent));
    out.push('}');
}

/// `defineAction<Input, Output>(config, "name", { … })`.
fn define(action: &ManifestAction) -> String {
    let prefix = pascal_case(&action.name);
    let form = action.accept == Accept::Form;
    let input = if form {
        format!("{prefix}Input | FormData")
    } else {
        format!("{prefix}Input")
    };
    let mut spec = Vec::new();
    if form {
        spec.push("form: true".to_owned());
    }
    if let Some(key) = action.idempotency_key {
        spec.push(format!("idempotencyKey: \"{}\"", key.name()));
    }
    let spec = match spec.is_empty() {
        true => "{}".to_owned(),
        false => format!("{{ {} }}", spec.join(", ")),
    };
    format!(
        "defineAction<{input}, {prefix}Output>(config, \"{}\", {spec})",
        action.name
    )
}

/// The doc comment of an action: how it is called and who may.
fn summary(action: &ManifestAction) -> String {
    let mut parts = vec![format!("`POST /_actions/{}`", action.name)];
    parts.push(match action.posture {
        Posture::Public => "public".to_owned(),
        Posture::Authenticated => "signed in".to_owned(),
    });
    if let Some(permission) = action.acl {
        parts.push(if action.resource_check {
            format!("`{permission}` on the loaded resource")
        } else {
            format!("`{permission}`")
        });
    }
    if action.accept == Accept::Form {
        parts.push("a form (an object or `FormData`)".to_owned());
    }
    match action.idempotency_key {
        Some(Idempotency::Required) => {
            parts.push("`Idempotency-Key` required (a random one unless given)".to_owned());
        }
        Some(_) => parts.push("`Idempotency-Key` honoured".to_owned()),
        None => {}
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn action(name: &str, input: Value, output: Value) -> ManifestAction {
        ManifestAction {
            name: name.to_owned(),
            posture: Posture::Authenticated,
            acl: None,
            resource_check: false,
            tx: true,
            isolation: None,
            idempotency_key: Some(Idempotency::Required),
            audit: false,
            accept: Accept::Json,
            rate_limit: None,
            input,
            output,
        }
    }

    fn with_def(name: &str, def: &Value) -> Value {
        json!({"type": "object", "properties": {"x": {"$ref": format!("#/$defs/{name}")}},
               "required": ["x"], "$defs": {name: def}})
    }

    #[test]
    fn defs_of_the_same_name_share_a_type_only_when_equal() {
        let string = json!({"type": "string"});
        let manifest = Manifest {
            actions: vec![
                action("a.one", with_def("Item", &string), json!({"type": "null"})),
                action("a.two", with_def("Item", &string), json!({"type": "null"})),
                action(
                    "b.three",
                    with_def("Item", &json!({"type": "boolean"})),
                    json!({"type": "null"}),
                ),
                action(
                    "c",
                    with_def("Action", &json!({"type": "number"})),
                    json!({"type": "null"}),
                ),
            ],
        };
        let ts = typescript(&manifest);
        assert_eq!(ts.matches("export type Item = string;").count(), 1);
        assert!(ts.contains("export type BThreeItem = boolean;"), "{ts}");
        assert!(ts.contains("export interface BThreeInput {\n  x: BThreeItem;\n}"));
        assert!(
            ts.contains("export type CAction = number;"),
            "a runtime name is never taken"
        );
        assert!(ts.contains("export type AOneOutput = null;"));
    }

    #[test]
    fn a_rust_type_is_declared_once_under_its_name() {
        let post = |schema_key: bool| {
            let mut post = json!({"type": "object", "description": "A post.",
                                  "properties": {"id": {"type": "string"}}, "required": ["id"]});
            if schema_key {
                post["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
                post["title"] = json!("Post");
            }
            post
        };
        let page = json!({"type": "object", "title": "Page", "properties": {
            "items": {"type": "array", "items": {"$ref": "#/$defs/Post"}}}, "required": ["items"],
            "$defs": {"Post": post(false)}});
        let manifest = Manifest {
            actions: vec![
                action("post.get", json!({"type": "null"}), post(true)),
                action("post.list", json!({"type": "null"}), page),
                action("post.save", json!({"type": "null"}), post(true)),
            ],
        };
        let ts = typescript(&manifest);
        assert_eq!(ts.matches("export interface Post {").count(), 1, "{ts}");
        assert!(ts.contains("/** A post. */\nexport interface Post {\n  id: string;\n}\n\nexport type PostGetOutput = Post;\n"));
        assert!(ts.contains("export type PostSaveOutput = Post;"));
        assert!(ts.contains("export interface Page {\n  items: Post[];\n}"));
        assert!(ts.contains("export type PostListOutput = Page;"));
    }

    #[test]
    fn the_table_nests_namespaces_and_states_each_spec() {
        let manifest = Manifest {
            actions: vec![
                action("post", json!({}), json!({})),
                action("post.get", json!({}), json!({})),
                ManifestAction {
                    accept: Accept::Form,
                    idempotency_key: None,
                    ..action("contact.send", json!({}), json!({}))
                },
            ],
        };
        let ts = typescript(&manifest);
        assert!(ts.contains(
            "send: defineAction<ContactSendInput | FormData, ContactSendOutput>(config, \"contact.send\", { form: true }),"
        ));
        assert!(ts.contains(
            "post: Object.assign(defineAction<PostInput, PostOutput>(config, \"post\", { idempotencyKey: \"required\" }), {\n      "
        ), "{ts}");
        assert!(ts.contains("get: defineAction<PostGetInput, PostGetOutput>(config, \"post.get\""));
        assert!(ts.contains("export const ERROR_STATUS: Readonly<Record<ServerErrorCode, number>> = {\n  BAD_REQUEST: 400,"));
        assert!(ts.contains("  | \"NETWORK_AUTHENTICATION_REQUIRED\";\n"));
    }
}
