//! The audit log: who did what, when, with which input, and how it ended — one event per call
//! of an `audit` action, per authentication event, and per access denial.
//!
//! A success is written in the action's own transaction, so the event and the writes it
//! describes commit or roll back together. A failure rolls the action's writes back, then its
//! event is written on its own, outside that transaction, through the server's audit queue,
//! and committed before the client is answered. Inputs are recorded with secrets
//! (passwords, tokens, keys) replaced by `"[redacted]"`.

use crate::base::{ActionContext, AuditJob, AuditQueue, AuditRecord};
use crate::db;
use crate::db::{Database, DbConn, Timestamp};
use crate::error::ActionError;
use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::sql_types::Timestamptz;

    action_audit_events (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        request_id -> Text,
        actor_id -> Nullable<Int8>,
        action -> Text,
        outcome -> Text,
        code -> Nullable<Text>,
        input -> Nullable<Text>,
    }
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AuditOutcome {
    /// It ran and its writes committed.
    Success,
    /// It failed; whatever it wrote was rolled back.
    Failure,
    /// The ACL policy refused it; nothing ran.
    Denied,
    /// An idempotent retry: the stored response was sent again; nothing ran.
    Replayed,
}

impl AuditOutcome {
    fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Success => "success",
            AuditOutcome::Failure => "failure",
            AuditOutcome::Denied => "denied",
            AuditOutcome::Replayed => "replayed",
        }
    }

    fn parse(text: &str) -> AuditOutcome {
        match text {
            "success" => AuditOutcome::Success,
            "denied" => AuditOutcome::Denied,
            "replayed" => AuditOutcome::Replayed,
            _ => AuditOutcome::Failure,
        }
    }
}

/// One event of the audit log, as [`audit_events`] reads it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuditEvent {
    /// Increases with each event written.
    pub id: i64,
    /// When, in UTC.
    pub occurred_at: Timestamp,
    /// The request, as in its `x-request-id` header and the logs.
    pub request_id: String,
    /// Who: the signed-in user's id, or `null` when nobody was signed in.
    pub actor_id: Option<i64>,
    /// What: an action's wire name (`account.transfer`) or an authentication event
    /// (`auth.sign_in`, `auth.sign_out`, `auth.sign_up`, `auth.change_password`).
    pub action: String,
    /// How it ended.
    pub outcome: AuditOutcome,
    /// The error code of a failure or a denial.
    pub code: Option<String>,
    /// The input, secrets redacted; `null` when it never decoded.
    pub input: Option<Value>,
}

#[derive(diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = action_audit_events)]
struct EventRow {
    id: i64,
    occurred_at: Timestamp,
    request_id: String,
    actor_id: Option<i64>,
    action: String,
    outcome: String,
    code: Option<String>,
    input: Option<String>,
}

/// The newest audit events first: at most `limit`, those with an id below `before` when given
/// (the last id of the previous page). Fetch `limit + 1` and hand the rows to
/// [`Page::from_rows`](crate::db::Page::from_rows) to paginate.
pub async fn audit_events(
    conn: &mut DbConn,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEvent>, ActionError> {
    let rows: Vec<EventRow> = db!(conn, |c| {
        let mut query = action_audit_events::table
            .select(EventRow::as_select())
            .order(action_audit_events::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(before) = before {
            query = query.filter(action_audit_events::id.lt(before));
        }
        query.load(c).await
    })?;
    Ok(rows
        .into_iter()
        .map(|row| AuditEvent {
            id: row.id,
            occurred_at: row.occurred_at,
            request_id: row.request_id,
            actor_id: row.actor_id,
            action: row.action,
            outcome: AuditOutcome::parse(&row.outcome),
            code: row.code,
            input: row.input.and_then(|text| serde_json::from_str(&text).ok()),
        })
        .collect())
}

/// An event to write.
pub(crate) struct NewEvent<'a> {
    pub(crate) request_id: &'a str,
    pub(crate) actor_id: Option<i64>,
    pub(crate) action: &'a str,
    pub(crate) outcome: AuditOutcome,
    pub(crate) code: Option<&'a str>,
    /// Already redacted JSON.
    pub(crate) input: Option<&'a str>,
}

impl NewEvent<'_> {
    /// Writes the event on `conn`: inside its transaction if one is open, else on its own.
    pub(crate) async fn write(&self, conn: &mut DbConn, now: Timestamp) -> Result<(), ActionError> {
        let values = (
            action_audit_events::occurred_at.eq(now),
            action_audit_events::request_id.eq(self.request_id),
            action_audit_events::actor_id.eq(self.actor_id),
            action_audit_events::action.eq(self.action),
            action_audit_events::outcome.eq(self.outcome.as_str()),
            action_audit_events::code.eq(self.code),
            action_audit_events::input.eq(self.input),
        );
        db!(conn, |c| diesel::insert_into(action_audit_events::table)
            .values(values)
            .execute(c)
            .await)?;
        Ok(())
    }
}

/// The event of the action `ctx` runs, written on its connection (in its transaction).
pub(crate) async fn write_for(
    ctx: &mut ActionContext,
    outcome: AuditOutcome,
    code: Option<&str>,
    input: Option<&str>,
) -> Result<(), ActionError> {
    let now = ctx.services().clock.now();
    let request_id = ctx.request_id().to_owned();
    let action = ctx.action_name().to_owned();
    let event = NewEvent {
        request_id: &request_id,
        actor_id: ctx.current_user().map(|user| user.id),
        action: &action,
        outcome,
        code,
        input,
    };
    event.write(ctx.db().await?, now).await
}

/// After a call failed, whatever it had written rolled back: its failure event (for an `audit`
/// action) or its denial (for any action), written before the client is answered. An audit
/// write that fails is logged; the client still gets the action's own error.
///
/// Call it once the request's connection went back to the pool: the event goes through the
/// server's audit queue, whose writer commits the events of many requests at once, on a
/// connection of its own (one `INSERT` and one commit for a burst of refusals, rather than a
/// round trip, a statement and a disk flush for each).
pub(crate) async fn record_failure(
    ctx: &ActionContext,
    audited: bool,
    error: &ActionError,
    input: Option<&str>,
) {
    let outcome = if error.is_denial() {
        AuditOutcome::Denied
    } else if audited {
        AuditOutcome::Failure
    } else {
        return;
    };
    let Ok(database) = ctx.database() else {
        return;
    };
    let record = AuditRecord {
        occurred_at: ctx.services().clock.now(),
        request_id: ctx.request_id().to_owned(),
        actor_id: ctx.current_user().map(|user| user.id),
        action: ctx.action_name().to_owned(),
        outcome: outcome.as_str(),
        code: Some(error.code().as_str().to_owned()),
        input: input.map(str::to_owned),
    };
    if let Err(failed) = append(&ctx.services().audit_queue, database, record).await {
        tracing::error!(
            request_id = ctx.request_id(),
            action = ctx.action_name(),
            error = %failed,
            "could not write the audit event"
        );
    }
}

/// How many events the queue holds before callers wait (back-pressure), and the most one
/// statement writes.
const QUEUE_CAPACITY: usize = 1024;
const BATCH: usize = 256;

/// Queues `record` and waits until it is committed (or failed to be).
async fn append(
    queue: &AuditQueue,
    database: &Database,
    record: AuditRecord,
) -> Result<(), ActionError> {
    let (done, committed) = oneshot::channel();
    let mut job = (record, done);
    // Twice at most: a writer whose runtime went away (a server used from another runtime) is
    // replaced by one on the current runtime.
    for _ in 0..2 {
        let sender = {
            let mut sender = queue
                .sender
                .lock()
                .map_err(|_| ActionError::internal("the audit queue's lock is poisoned"))?;
            match &*sender {
                Some(open) if !open.is_closed() => open.clone(),
                _ => {
                    let (open, jobs) = mpsc::channel(QUEUE_CAPACITY);
                    tokio::spawn(write_batches(database.clone(), jobs));
                    *sender = Some(open.clone());
                    open
                }
            }
        };
        match sender.send(job).await {
            Ok(()) => {
                return committed.await.unwrap_or_else(|_| {
                    Err(ActionError::internal(
                        "the audit writer stopped before writing",
                    ))
                });
            }
            Err(mpsc::error::SendError(returned)) => job = returned,
        }
    }
    Err(ActionError::internal("the audit writer is not running"))
}

/// The queue's writer: whatever is waiting, up to [`BATCH`] events, in one statement, then
/// tells each caller how it went. While events keep coming it keeps its connection, rather than
/// queueing for the pool behind the requests whose events it carries. Stops when the server
/// (the queue's last sender) is dropped, after writing what was queued.
async fn write_batches(database: Database, mut jobs: mpsc::Receiver<AuditJob>) {
    let mut batch: Vec<AuditJob> = Vec::with_capacity(BATCH);
    while jobs.recv_many(&mut batch, BATCH).await > 0 {
        let ran = database
            .run(async |conn| {
                while !batch.is_empty() {
                    let records: Vec<&AuditRecord> =
                        batch.iter().map(|(record, _)| record).collect();
                    let written = insert_records(conn, &records).await;
                    acknowledge(&mut batch, &written);
                    while batch.len() < BATCH {
                        match jobs.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                }
            })
            .await;
        if let Err(error) = ran {
            acknowledge(&mut batch, &Err(error));
        }
    }
}

/// Tells the callers of `batch` how their events' write went, and empties it.
fn acknowledge(batch: &mut Vec<AuditJob>, written: &Result<(), ActionError>) {
    for (_, done) in batch.drain(..) {
        let outcome = match written {
            Ok(()) => Ok(()),
            Err(error) => Err(ActionError::internal(error.to_string())),
        };
        // The caller may have gone (its request was dropped): the event stands.
        let _ = done.send(outcome);
    }
}

/// Every record in one statement: on PostgreSQL an `INSERT … SELECT FROM unnest(…)` of one
/// array per column, the same prepared statement whatever the batch's size (a multi-row
/// `VALUES` would be new SQL, parsed and planned, for every size, with 7 parameters a row).
async fn insert_records(conn: &mut DbConn, records: &[&AuditRecord]) -> Result<(), ActionError> {
    match conn {
        DbConn::Postgres(c) => {
            use diesel::sql_types::{Array, Int8, Nullable, Text};
            diesel::sql_query(
                "INSERT INTO action_audit_events \
                 (occurred_at, request_id, actor_id, action, outcome, code, input) \
                 SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::int8[], $4::text[], \
                 $5::text[], $6::text[], $7::text[])",
            )
            .bind::<Array<crate::db::sql_types::Timestamptz>, _>(
                records
                    .iter()
                    .map(|record| record.occurred_at)
                    .collect::<Vec<_>>(),
            )
            .bind::<Array<Text>, _>(
                records
                    .iter()
                    .map(|record| record.request_id.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind::<Array<Nullable<Int8>>, _>(
                records
                    .iter()
                    .map(|record| record.actor_id)
                    .collect::<Vec<_>>(),
            )
            .bind::<Array<Text>, _>(
                records
                    .iter()
                    .map(|record| record.action.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind::<Array<Text>, _>(
                records
                    .iter()
                    .map(|record| record.outcome)
                    .collect::<Vec<_>>(),
            )
            .bind::<Array<Nullable<Text>>, _>(
                records
                    .iter()
                    .map(|record| record.code.as_deref())
                    .collect::<Vec<_>>(),
            )
            .bind::<Array<Nullable<Text>>, _>(
                records
                    .iter()
                    .map(|record| record.input.as_deref())
                    .collect::<Vec<_>>(),
            )
            .execute(&mut **c)
            .await?;
        }
        // One transaction: one commit for the batch.
        DbConn::Sqlite(c) => {
            use diesel_async::AsyncConnection;
            c.transaction(async |c| {
                for record in records {
                    diesel::insert_into(action_audit_events::table)
                        .values((
                            action_audit_events::occurred_at.eq(record.occurred_at),
                            action_audit_events::request_id.eq(&record.request_id),
                            action_audit_events::actor_id.eq(record.actor_id),
                            action_audit_events::action.eq(&record.action),
                            action_audit_events::outcome.eq(record.outcome),
                            action_audit_events::code.eq(&record.code),
                            action_audit_events::input.eq(&record.input),
                        ))
                        .execute(c)
                        .await?;
                }
                Ok::<_, diesel::result::Error>(())
            })
            .await?;
        }
    }
    Ok(())
}

/// `input` as the audit log stores it: JSON, with the value of every secret-looking field
/// replaced by `"[redacted]"` (a `null` stays: it holds no secret).
pub(crate) fn redacted(mut input: Value) -> String {
    redact(&mut input);
    input.to_string()
}

fn redact(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                if is_secret(name) && !field.is_null() {
                    *field = Value::String("[redacted]".to_owned());
                } else {
                    redact(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// Field names that hold secrets, in any case and spelling (`newPassword`, `api_key`,
/// `X-Auth-Token`): the usual filter lists of web frameworks.
fn is_secret(name: &str) -> bool {
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const CONTAINS: [&str; 10] = [
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "privatekey",
        "authorization",
        "cookie",
        "credential",
    ];
    const EXACT: [&str; 6] = ["otp", "pin", "cvv", "cvc", "ssn", "salt"];
    CONTAINS.iter().any(|secret| name.contains(secret)) || EXACT.contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::{is_secret, redacted};
    use serde_json::json;

    #[test]
    fn secrets_are_redacted_at_any_depth() {
        let input = json!({
            "email": "a@example.com",
            "password": "hunter22",
            "nested": {"apiKey": "k", "items": [{"refresh_token": "t", "note": "kept"}]},
            "newPassword": "x",
        });
        let text = redacted(input);
        assert!(!text.contains("hunter22") && !text.contains("\"k\"") && !text.contains("\"t\""));
        assert!(text.contains("a@example.com") && text.contains("kept"));
        assert_eq!(text.matches("[redacted]").count(), 4);
    }

    #[test]
    fn secret_names() {
        for name in [
            "password",
            "currentPassword",
            "X-Auth-Token",
            "api_key",
            "pin",
            "clientSecret",
        ] {
            assert!(is_secret(name), "{name}");
        }
        for name in ["email", "title", "amount", "spinner", "description"] {
            assert!(!is_secret(name), "{name}");
        }
    }
}
