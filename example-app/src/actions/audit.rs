//! The audit log, for admins: what every audited action, sign-in and denial left behind.

use actions_runtime::audit::{self, AuditEvent};
use actions_runtime::db::{Page, decode_cursor};
use actions_runtime::prelude::*;

/// What `audit.list` pages through; its cursors are bound to it.
const LISTING: &str = "audit events newest first";

/// A page request.
#[input(validate = Self::check)]
#[derive(Debug, Clone, Default)]
pub struct ListAudit {
    /// 1 to 100; 50 when absent.
    #[field(min = 1, max = 100)]
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

impl ListAudit {
    fn check(&self, errors: &mut FieldErrors) {
        if let Err(error) = self.before() {
            errors.merge(error.fields().clone());
        }
    }

    /// The id of the last event of the previous page.
    fn before(&self) -> Result<Option<i64>, ActionError> {
        self.cursor
            .as_deref()
            .map(|cursor| decode_cursor::<i64>(cursor, LISTING))
            .transpose()
    }
}

/// One page of audit events, newest first.
#[output]
#[derive(Debug)]
pub struct AuditPage {
    pub items: Vec<AuditEvent>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next: Option<String>,
}

/// Lists the audit log, newest first: `audit:list`, which the policy grants to no one, so only
/// admins may.
#[action(acl = "audit:list")]
pub async fn list(ctx: &mut ActionContext, input: ListAudit) -> Result<AuditPage, ActionError> {
    let limit = input.limit.unwrap_or(50);
    let before = input.before()?;
    let rows = audit::events(ctx.db().await?, before, limit + 1).await?;
    let page_size = usize::try_from(limit).unwrap_or(50);
    let Page { items, next } = Page::from_rows(rows, page_size, LISTING, |last| last.id);
    Ok(AuditPage { items, next })
}
