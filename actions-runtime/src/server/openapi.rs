//! `openapi.json`: the actions (and the account service's routes) as one OpenAPI 3.1 document,
//! served at `GET /_actions/openapi.json` and printed by the app's CLI.
//!
//! Built from the same registry entries and the same JSON Schemas as `schema.json`: each
//! action's input and output become `components/schemas` (`post.update.Input`), with the types
//! schemars put under `$defs` hoisted beside them and every `$ref` rewritten. The objects below
//! are the parts of OpenAPI this document uses, typed, so a misspelt key does not compile.

use super::registry::{ActionEntry, Registry};
#[cfg(feature = "accounts")]
use crate::accounts::AuthConfig;
#[cfg(feature = "accounts")]
use crate::accounts::described::{self, SessionUse};
use crate::base::{Accept, Idempotency, Posture};
use crate::error::ErrorCode;
use crate::pipeline::idempotency::MAX_KEY_CHARS;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The OpenAPI document of a server.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenApi {
    openapi: &'static str,
    info: Info,
    json_schema_dialect: &'static str,
    tags: Vec<Tag>,
    paths: BTreeMap<String, PathItem>,
    components: Components,
}

#[derive(Debug, Clone, Serialize)]
struct Info {
    title: &'static str,
    version: &'static str,
    description: &'static str,
}

#[derive(Debug, Clone, Serialize)]
struct Tag {
    name: String,
}

#[derive(Debug, Clone, Default, Serialize)]
struct PathItem {
    #[serde(skip_serializing_if = "Option::is_none")]
    get: Option<Operation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    post: Option<Operation>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Operation {
    operation_id: String,
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parameters: Vec<Parameter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_body: Option<RequestBody>,
    responses: BTreeMap<String, Response>,
    #[serde(skip_serializing_if = "Option::is_none")]
    security: Option<Vec<Requirement>>,
    /// The per-action rate limit, as the manifest writes it.
    #[serde(rename = "x-rate-limit", skip_serializing_if = "Option::is_none")]
    rate_limit: Option<super::manifest::ManifestRateLimit>,
    /// An action's posture, which says its `security` once the schemes are known.
    #[serde(skip)]
    #[cfg_attr(not(feature = "accounts"), allow(dead_code))]
    posture: Option<Posture>,
}

/// Schemes that together sign a request in; `{}` is "none needed".
type Requirement = BTreeMap<&'static str, [&'static str; 0]>;

#[derive(Debug, Clone, Serialize)]
struct Parameter {
    name: &'static str,
    #[serde(rename = "in")]
    location: &'static str,
    required: bool,
    description: &'static str,
    schema: Value,
}

#[derive(Debug, Clone, Serialize)]
struct RequestBody {
    required: bool,
    content: BTreeMap<&'static str, MediaType>,
}

#[derive(Debug, Clone, Serialize)]
struct MediaType {
    schema: Value,
}

#[derive(Debug, Clone, Serialize)]
struct Response {
    description: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<&'static str, Header>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    content: BTreeMap<&'static str, MediaType>,
}

#[derive(Debug, Clone, Serialize)]
struct Header {
    description: &'static str,
    schema: Value,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Components {
    schemas: BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    security_schemes: BTreeMap<&'static str, SecurityScheme>,
}

#[derive(Debug, Clone, Serialize)]
struct SecurityScheme {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(rename = "in", skip_serializing_if = "Option::is_none")]
    location: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheme: Option<&'static str>,
    description: &'static str,
}

/// The component every action's error answers refer to.
const ERROR: &str = "Error";
const JSON: &str = "application/json";
#[cfg(feature = "accounts")]
const COOKIE_SCHEME: &str = "sessionCookie";
#[cfg(feature = "accounts")]
const BEARER_SCHEME: &str = "bearerToken";

impl OpenApi {
    /// The document of `registry`'s actions, without building a server (no database needed).
    pub fn of_registry(registry: &Registry) -> OpenApi {
        OpenApi::from_entries(registry.entries.iter())
    }

    pub(crate) fn from_entries<'a>(entries: impl Iterator<Item = &'a ActionEntry>) -> OpenApi {
        let mut entries: Vec<&ActionEntry> = entries.collect();
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        let mut document = OpenApi {
            openapi: "3.1.0",
            info: Info {
                title: "Server actions",
                version: "1",
                description: "Every action is `POST /_actions/{name}` with its input as the body; \
                    errors answer `{code, message, fields?, requestId?}`.",
            },
            json_schema_dialect: "https://json-schema.org/draft/2020-12/schema",
            tags: Vec::new(),
            paths: BTreeMap::new(),
            components: Components {
                schemas: BTreeMap::from([(ERROR.to_owned(), error_schema())]),
                security_schemes: BTreeMap::new(),
            },
        };
        for entry in entries {
            let operation = document.action(entry);
            document
                .paths
                .entry(format!("/_actions/{}", entry.name))
                .or_default()
                .post = Some(operation);
        }
        document
            .paths
            .entry("/_actions/health".to_owned())
            .or_default()
            .get = Some(health_operation());
        document.collect_tags();
        document
    }

    /// Adds the account service's `/api/auth/*` routes and its session cookie and bearer token
    /// as security schemes, applied to every action by its posture.
    #[cfg(feature = "accounts")]
    pub fn with_accounts(mut self, config: &AuthConfig) -> OpenApi {
        let schemes = &mut self.components.security_schemes;
        schemes.insert(
            COOKIE_SCHEME,
            SecurityScheme {
                kind: "apiKey",
                name: Some(described::cookie_name(config)),
                location: Some("cookie"),
                scheme: None,
                description: "The session cookie sign-in sets",
            },
        );
        schemes.insert(
            BEARER_SCHEME,
            SecurityScheme {
                kind: "http",
                name: None,
                location: None,
                scheme: Some("bearer"),
                description: "The `token` sign-in answers, as `Authorization: Bearer <token>`",
            },
        );
        for (name, schema) in described::shared() {
            self.hoist_root(name, &schema);
        }
        for route in described::routes()
            .into_iter()
            .chain(described::admin_routes())
        {
            let mut operation = auth_operation(&mut self, route_schema_names(&route), &route);
            operation.parameters = described::query_parameters(route.path)
                .into_iter()
                .map(|(name, required, description, schema)| Parameter {
                    name,
                    location: "query",
                    required,
                    description,
                    schema,
                })
                .collect();
            let item = self.paths.entry(route.path.to_owned()).or_default();
            match route.method {
                "get" => item.get = Some(operation),
                _ => item.post = Some(operation),
            }
        }
        for item in self.paths.values_mut() {
            for operation in [&mut item.get, &mut item.post].into_iter().flatten() {
                if let Some(posture) = operation.posture {
                    operation.security = Some(security(posture != Posture::Public));
                    // The service's cross-site guard answers for every action.
                    operation
                        .responses
                        .entry("403".to_owned())
                        .or_insert_with(|| {
                            error_response(
                                "a request carrying the session cookie came from an origin that is \
                             not trusted",
                                &reference(ERROR),
                            )
                        });
                }
            }
        }
        self.collect_tags();
        self
    }

    /// The document as pretty-printed JSON.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }

    /// The operation of one action. Its `security` waits for the schemes, which only
    /// [`OpenApi::with_accounts`] knows (another authenticator's are the app's own).
    fn action(&mut self, entry: &ActionEntry) -> Operation {
        let name = &*entry.name;
        let meta = &entry.steps.meta;
        let input_schema = match meta.accept {
            Accept::Json => entry.input_schema.clone(),
            Accept::Form => form_schema(&entry.input_schema),
        };
        let input = self.hoist_root(&format!("{name}.Input"), &input_schema);
        let mut responses = BTreeMap::new();
        let (status, mut done) = if entry.no_content {
            ("204", described_only("Done: no content"))
        } else {
            let output = self.hoist_root(&format!("{name}.Output"), &entry.output_schema);
            ("200", json_response("The action's output", output))
        };
        if meta.idempotent.is_some() {
            done.headers.insert(
                "Idempotent-Replayed",
                Header {
                    description: "`true` when this is the stored answer to an earlier request \
                        with the same `Idempotency-Key`",
                    schema: json!({"const": "true"}),
                },
            );
        }
        responses.insert(status.to_owned(), done);
        for (status, when) in action_errors(entry) {
            let mut response = error_response(when, &reference(ERROR));
            if status == 429 && meta.rate_limit.is_some() {
                response.headers.insert("Retry-After", retry_after());
            }
            responses.insert(status.to_string(), response);
        }
        responses.insert(
            "default".to_owned(),
            error_response("another error the action returned", &reference(ERROR)),
        );
        let body_types: &[&'static str] = match meta.accept {
            Accept::Json => &[JSON],
            Accept::Form => &["application/x-www-form-urlencoded", "multipart/form-data"],
        };
        let (summary, description) = split_doc(meta.description);
        Operation {
            operation_id: name.to_owned(),
            tags: vec![namespace(name).to_owned()],
            summary,
            description,
            parameters: meta.idempotent.map(idempotency_key).into_iter().collect(),
            request_body: Some(RequestBody {
                required: true,
                content: body_types
                    .iter()
                    .map(|media_type| {
                        (
                            *media_type,
                            MediaType {
                                schema: input.clone(),
                            },
                        )
                    })
                    .collect(),
            }),
            responses,
            security: None,
            rate_limit: meta.rate_limit.map(super::manifest::ManifestRateLimit::of),
            posture: Some(meta.posture),
        }
    }

    /// Hoists a root schema under `name`, its `$defs` beside it; returns a `$ref` to it.
    fn hoist_root(&mut self, name: &str, schema: &Value) -> Value {
        let mut schema = schema.clone();
        let defs = schema
            .as_object_mut()
            .and_then(|object| {
                object.remove("$schema");
                object.remove("$defs")
            })
            .and_then(|defs| match defs {
                Value::Object(defs) => Some(defs),
                _ => None,
            })
            .unwrap_or_default();
        let mut defs: Vec<(String, Value)> = defs.into_iter().collect();
        defs.sort_by(|a, b| a.0.cmp(&b.0));
        // A def keeps its own name unless another schema already took it for something else;
        // then every def of this schema is named under it, which no other schema can take.
        let renamed = |own: bool| -> BTreeMap<String, String> {
            defs.iter()
                .map(|(def, _)| {
                    let component = if own {
                        def.clone()
                    } else {
                        format!("{name}.{def}")
                    };
                    (def.clone(), component)
                })
                .collect()
        };
        let mut names = renamed(true);
        let rewritten = |names: &BTreeMap<String, String>| -> Vec<(String, Value)> {
            defs.iter()
                .map(|(def, value)| {
                    let mut value = value.clone();
                    rewrite_refs(&mut value, names);
                    (names[def].clone(), value)
                })
                .collect()
        };
        let mut hoisted = rewritten(&names);
        let clash = hoisted.iter().any(|(component, value)| {
            self.components
                .schemas
                .get(component)
                .is_some_and(|existing| existing != value)
                || component == name
        });
        if clash {
            names = renamed(false);
            hoisted = rewritten(&names);
        }
        for (component, value) in hoisted {
            self.components.schemas.insert(component, value);
        }
        rewrite_refs(&mut schema, &names);
        self.components.schemas.insert(name.to_owned(), schema);
        reference(name)
    }

    fn collect_tags(&mut self) {
        let mut names: Vec<String> = self
            .paths
            .values()
            .flat_map(|item| [&item.get, &item.post])
            .flatten()
            .flat_map(|operation| operation.tags.iter().cloned())
            .collect();
        names.sort();
        names.dedup();
        self.tags = names.into_iter().map(|name| Tag { name }).collect();
    }
}

/// The input schema as a form reads it: an unchecked checkbox and an unselected multi-select
/// are not sent at all, and read as `false` and `[]`, so neither is required in a form.
fn form_schema(schema: &Value) -> Value {
    let mut schema = schema.clone();
    let optional: Vec<String> = schema["properties"]
        .as_object()
        .map(|properties| {
            properties
                .iter()
                .filter(|(_, property)| {
                    matches!(property["type"].as_str(), Some("boolean" | "array"))
                })
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default();
    if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
        required.retain(|name| {
            !name
                .as_str()
                .is_some_and(|name| optional.iter().any(|o| o == name))
        });
    }
    schema
}

/// The errors an action's declaration says it can answer, by status, each with when.
fn action_errors(entry: &ActionEntry) -> Vec<(u16, &'static str)> {
    let meta = &entry.steps.meta;
    let mut errors = vec![(
        400,
        "the body or the `Idempotency-Key` header is refused; `fields` names each failing field",
    )];
    if meta.posture == Posture::Authenticated {
        errors.push((401, "the action needs a signed-in user"));
    }
    if meta.acl.is_some() {
        errors.push((403, "the policy does not grant the action's permission"));
    }
    if meta.load {
        errors.push((404, "the resource the action acts on does not exist"));
    }
    if meta.idempotent.is_some() {
        errors.push((
            409,
            "a request with this `Idempotency-Key` is still running (PostgreSQL)",
        ));
        errors.push((
            422,
            "this `Idempotency-Key` was used before with another input",
        ));
    }
    errors.extend([
        (413, "the body is larger than the server's limit"),
        (
            415,
            "the body's `Content-Type` is not one the action accepts",
        ),
        (
            429,
            if meta.rate_limit.is_some() {
                "the caller made too many calls of this action (`rate_limit`); `Retry-After` says when to try again"
            } else {
                "too many requests"
            },
        ),
        (500, "the server failed; `requestId` names the log entry"),
        (
            503,
            "the database is unavailable, or the request took too long",
        ),
    ]);
    errors.sort_by_key(|(status, _)| *status);
    errors
}

/// `post` of `post.update`; `default` for an action outside any namespace.
fn namespace(name: &str) -> &str {
    name.rsplit_once('.')
        .map_or("default", |(namespace, _)| namespace)
}

/// The first paragraph of a doc comment as the summary (on one line), the whole as the
/// description.
fn split_doc(doc: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(doc) = doc.map(str::trim).filter(|doc| !doc.is_empty()) else {
        return (None, None);
    };
    let first = doc.split("\n\n").next().unwrap_or(doc);
    let summary = first.split_whitespace().collect::<Vec<_>>().join(" ");
    (Some(summary), Some(doc.to_owned()))
}

fn idempotency_key(mode: Idempotency) -> Parameter {
    Parameter {
        name: "Idempotency-Key",
        location: "header",
        required: mode == Idempotency::Required,
        description: "A unique value per operation (a UUID), sent again unchanged when retrying \
            it: the first response is stored and replayed",
        schema: json!({
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_KEY_CHARS,
            "pattern": "^[ -~]*[!-~][ -~]*$",
        }),
    }
}

/// The body of every action's error.
fn error_schema() -> Value {
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
    json!({
        "description": "An action's failure: the code names the HTTP status.",
        "type": "object",
        "properties": {
            "code": {"type": "string", "enum": codes},
            "message": {"type": "string"},
            "fields": {
                "description": "Input errors by the field's full path (`items.2.name`)",
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "requestId": {
                "description": "On server errors: the id the details were logged under",
                "type": "string",
            },
        },
        "required": ["code", "message"],
    })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// Points every `#/$defs/X` in `schema` at the component `names` gives `X`.
fn rewrite_refs(schema: &mut Value, names: &BTreeMap<String, String>) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                match (key.as_str(), &*value) {
                    ("$ref", Value::String(target)) => {
                        if let Some(component) = target
                            .strip_prefix("#/$defs/")
                            .and_then(|def| names.get(def))
                        {
                            *value = Value::String(format!("#/components/schemas/{component}"));
                        }
                    }
                    _ => rewrite_refs(value, names),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite_refs(item, names)),
        _ => {}
    }
}

/// `GET /_actions/health`, the readiness route: `200` while the database answers.
fn health_operation() -> Operation {
    let ok = json!({
        "type": "object",
        "properties": {"status": {"const": "ok"}},
        "required": ["status"],
    });
    Operation {
        operation_id: "health".to_owned(),
        tags: vec!["server".to_owned()],
        summary: Some("Whether the server and its database answer".to_owned()),
        description: Some(
            "`SELECT 1` through the server's pool, within 2 seconds. `HEAD` answers the same \
             status without a body."
                .to_owned(),
        ),
        parameters: Vec::new(),
        request_body: None,
        responses: BTreeMap::from([
            ("200".to_owned(), json_response("The database answers", ok)),
            (
                "503".to_owned(),
                error_response("The database does not answer", &reference(ERROR)),
            ),
        ]),
        security: None,
        rate_limit: None,
        posture: None,
    }
}

fn described_only(description: &str) -> Response {
    Response {
        description: description.to_owned(),
        headers: BTreeMap::new(),
        content: BTreeMap::new(),
    }
}

fn json_response(description: &str, schema: Value) -> Response {
    Response {
        content: BTreeMap::from([(JSON, MediaType { schema })]),
        ..described_only(description)
    }
}

fn error_response(description: &str, schema: &Value) -> Response {
    json_response(description, schema.clone())
}

/// The component names a route's schemas take: `auth.signUpEmail.Input`, `….Output`.
#[cfg(feature = "accounts")]
fn route_schema_names(route: &described::AuthRoute) -> (String, String) {
    let id = route.operation_id;
    (format!("{id}.Input"), format!("{id}.Output"))
}

#[cfg(feature = "accounts")]
fn auth_operation(
    document: &mut OpenApi,
    (input, output): (String, String),
    route: &described::AuthRoute,
) -> Operation {
    let request_body = route.request.as_ref().map(|schema| RequestBody {
        required: true,
        content: BTreeMap::from([(
            JSON,
            MediaType {
                schema: document.hoist_root(&input, schema),
            },
        )]),
    });
    let mut ok = json_response("Done", document.hoist_root(&output, &route.response));
    if route.sets_cookie {
        ok.headers.insert(
            "Set-Cookie",
            Header {
                description: "Sets or clears the session cookie",
                schema: json!({"type": "string"}),
            },
        );
    }
    let mut responses = BTreeMap::from([("200".to_owned(), ok)]);
    for (status, when) in &route.errors {
        let mut response = error_response(when, &reference(described::ERROR));
        if *status == 429 {
            response.headers.insert("Retry-After", retry_after());
        }
        responses.insert(status.to_string(), response);
    }
    Operation {
        operation_id: route.operation_id.to_owned(),
        tags: vec!["auth".to_owned()],
        summary: Some(route.summary.to_owned()),
        description: None,
        parameters: Vec::new(),
        request_body,
        responses,
        security: match route.session {
            SessionUse::None => None,
            SessionUse::Optional => Some(security(false)),
            SessionUse::Required => Some(security(true)),
        },
        rate_limit: None,
        posture: None,
    }
}

/// The session cookie or the bearer token; or, when `required` is false, neither.
#[cfg(feature = "accounts")]
fn security(required: bool) -> Vec<Requirement> {
    let anonymous = (!required).then(Requirement::new);
    anonymous
        .into_iter()
        .chain([COOKIE_SCHEME, BEARER_SCHEME].map(|scheme| Requirement::from([(scheme, [])])))
        .collect()
}

/// The `Retry-After` header of a `429`: how long until the limit lets the caller through.
fn retry_after() -> Header {
    Header {
        description: "Seconds to wait",
        schema: json!({"type": "integer", "minimum": 0}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defs_are_hoisted_and_refs_rewritten() {
        let mut document = OpenApi::of_registry(&Registry::new());
        let first = json!({"$schema": "x", "$defs": {"Item": {"type": "string"}},
            "type": "array", "items": {"$ref": "#/$defs/Item"}});
        let same = first.clone();
        let other = json!({"$defs": {"Item": {"type": "integer"}},
            "type": "array", "items": {"$ref": "#/$defs/Item"}});
        assert_eq!(
            document.hoist_root("a.Output", &first),
            reference("a.Output")
        );
        document.hoist_root("b.Output", &same);
        document.hoist_root("c.Output", &other);
        let schemas = &document.components.schemas;
        assert_eq!(schemas["Item"], json!({"type": "string"}));
        assert_eq!(schemas["a.Output"]["items"], reference("Item"));
        assert_eq!(
            schemas["b.Output"]["items"],
            reference("Item"),
            "same type, shared"
        );
        assert_eq!(schemas["c.Output.Item"], json!({"type": "integer"}));
        assert_eq!(schemas["c.Output"]["items"], reference("c.Output.Item"));
        assert!(schemas["a.Output"].get("$schema").is_none());
        assert!(schemas["a.Output"].get("$defs").is_none());
    }

    #[test]
    fn summary_is_the_first_paragraph() {
        assert_eq!(
            split_doc(Some(
                "Moves money\nbetween accounts.\n\nBoth must be yours."
            )),
            (
                Some("Moves money between accounts.".to_owned()),
                Some("Moves money\nbetween accounts.\n\nBoth must be yours.".to_owned())
            )
        );
        assert_eq!(split_doc(None), (None, None));
        assert_eq!(namespace("admin.users.ban"), "admin.users");
        assert_eq!(namespace("health"), "default");
    }
}
