//! `schema.json`: every action with its posture, permission and JSON Schemas, so clients can
//! generate types (served at `GET /_actions/schema.json`, printed by the app's CLI).

use super::registry::{ActionEntry, Registry};
use crate::base::Permission;
use crate::base::{Accept, ActionRateLimit, Idempotency, Posture, RateLimitKey};
use crate::db::Isolation;
use serde::Serialize;
use std::sync::Arc;

/// The manifest of a server's actions, sorted by name.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Manifest {
    /// Every action.
    pub actions: Vec<ManifestAction>,
}

/// One action in the manifest.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ManifestAction {
    /// The full wire name, served at `POST /_actions/<name>`.
    pub name: String,
    /// `"public"` or `"auth"`.
    pub posture: Posture,
    /// The permission required, as `"resource:verb"`.
    pub acl: Option<Permission>,
    /// Whether the policy also decides on the loaded resource (`load = …`).
    pub resource_check: bool,
    /// Whether the handler runs in a transaction.
    pub tx: bool,
    /// The transaction's isolation level (`"read_committed"`, `"repeatable_read"`,
    /// `"serializable"`); absent without `tx`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isolation: Option<Isolation>,
    /// `"optional"` or `"required"` when the action honours an `Idempotency-Key` header;
    /// absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<Idempotency>,
    /// Whether each call writes an audit event.
    pub audit: bool,
    /// `"json"` or `"form"`.
    pub accept: Accept,
    /// The per-action rate limit (`rate_limit = "10/min"`); absent without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<ManifestRateLimit>,
    /// JSON Schema (draft 2020-12) of the request body.
    pub input: serde_json::Value,
    /// JSON Schema of the response body (`{"type": "null"}` for `204 No Content`).
    pub output: serde_json::Value,
}

/// A per-action rate limit as the manifest (and OpenAPI's `x-rate-limit`) writes it:
/// `{"key": "user_or_ip", "count": 10, "perSeconds": 60}`.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ManifestRateLimit {
    /// Whose calls count together: `"user_or_ip"`, `"ip"` or `"user"`.
    pub key: RateLimitKey,
    /// Calls allowed at once.
    pub count: u32,
    /// The seconds over which `count` calls are replenished.
    pub per_seconds: u64,
}

impl ManifestRateLimit {
    pub(crate) fn of(rate: ActionRateLimit) -> ManifestRateLimit {
        ManifestRateLimit {
            key: rate.key,
            count: rate.limit.burst.get(),
            per_seconds: rate.limit.per.as_secs(),
        }
    }
}

impl Manifest {
    pub(crate) fn of(actions: &[Arc<ActionEntry>]) -> Manifest {
        Manifest::from_entries(actions.iter().map(|entry| &**entry))
    }

    /// The manifest of a registry, without building a server (no database needed).
    pub fn of_registry(registry: &Registry) -> Manifest {
        Manifest::from_entries(registry.entries.iter())
    }

    fn from_entries<'a>(entries: impl Iterator<Item = &'a ActionEntry>) -> Manifest {
        let mut manifest = Manifest {
            actions: entries
                .map(|entry| ManifestAction {
                    name: entry.name.to_string(),
                    posture: entry.steps.meta.posture,
                    acl: entry.steps.meta.acl,
                    resource_check: entry.steps.meta.load,
                    tx: entry.steps.meta.tx.is_some(),
                    isolation: entry.steps.meta.tx,
                    idempotency_key: entry.steps.meta.idempotent,
                    audit: entry.steps.meta.audit,
                    accept: entry.steps.meta.accept,
                    rate_limit: entry.steps.meta.rate_limit.map(ManifestRateLimit::of),
                    input: entry.input_schema.clone(),
                    output: entry.output_schema.clone(),
                })
                .collect(),
        };
        manifest.actions.sort_by(|a, b| a.name.cmp(&b.name));
        manifest
    }

    /// The manifest as pretty-printed JSON.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }
}
