//! The tokens emailed links carry: 256 random bits, stored only as their SHA-256 (as session
//! tokens are), bound to one purpose and one account, single use, expiring.

use super::schema::auth_verifications;
use super::session::{new_token, token_hash};
use crate::db;
use crate::db::{DbConn, Timestamp};
use crate::error::ActionError;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use std::time::Duration;

/// What a token lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    ResetPassword,
    VerifyEmail,
    /// Confirms a change to the address the token carries.
    ChangeEmail,
    DeleteAccount,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::ResetPassword => "reset-password",
            Purpose::VerifyEmail => "verify-email",
            Purpose::ChangeEmail => "change-email",
            Purpose::DeleteAccount => "delete-account",
        }
    }
}

/// A live token's row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = auth_verifications)]
pub(crate) struct Verification {
    pub(crate) user_id: i64,
    /// The address it verifies: the account's, or the new one of an email change.
    pub(crate) email: String,
    pub(crate) expires_at: Timestamp,
}

fn after(t: Timestamp, duration: Duration) -> Timestamp {
    let micros = i64::try_from(duration.as_micros()).unwrap_or(i64::MAX);
    Timestamp::from_timestamp_micros(t.timestamp_micros().saturating_add(micros)).unwrap_or(t)
}

/// A new token for `purpose` on `user_id`'s account, living `ttl` from `now`. The account's
/// earlier tokens of the same purpose stop working: only the latest link does.
pub(crate) async fn issue(
    conn: &mut DbConn,
    purpose: Purpose,
    user_id: i64,
    email: &str,
    now: Timestamp,
    ttl: Duration,
) -> Result<String, ActionError> {
    let token = new_token()?;
    let hash = token_hash(&token);
    let expires = after(now, ttl);
    db!(conn, |c| {
        diesel::delete(
            auth_verifications::table
                .filter(auth_verifications::user_id.eq(user_id))
                .filter(auth_verifications::purpose.eq(purpose.as_str())),
        )
        .execute(c)
        .await?;
        diesel::insert_into(auth_verifications::table)
            .values((
                auth_verifications::purpose.eq(purpose.as_str()),
                auth_verifications::token_hash.eq(&hash),
                auth_verifications::user_id.eq(user_id),
                auth_verifications::email.eq(email),
                auth_verifications::created_at.eq(now),
                auth_verifications::expires_at.eq(expires),
            ))
            .execute(c)
            .await
    })?;
    Ok(token)
}

/// The live token `token` of `purpose`, left in place (what a link's redirect checks).
pub(crate) async fn peek(
    conn: &mut DbConn,
    purpose: Purpose,
    token: &str,
    now: Timestamp,
) -> Result<Option<Verification>, ActionError> {
    let hash = token_hash(token);
    let found: Option<Verification> = db!(conn, |c| auth_verifications::table
        .filter(auth_verifications::token_hash.eq(&hash))
        .filter(auth_verifications::purpose.eq(purpose.as_str()))
        .select(Verification::as_select())
        .first(c)
        .await
        .optional())?;
    Ok(found.filter(|v| v.live(now)))
}

/// Takes the token `token` of `purpose`: deleted whether live or expired, so it works once;
/// `None` when unknown, and the row when known (the caller checks [`Verification::live`]). Two
/// requests racing with one token: one gets it.
pub(crate) async fn consume(
    conn: &mut DbConn,
    purpose: Purpose,
    token: &str,
) -> Result<Option<Verification>, ActionError> {
    let hash = token_hash(token);
    let taken: Option<Verification> = db!(conn, |c| diesel::delete(
        auth_verifications::table
            .filter(auth_verifications::token_hash.eq(&hash))
            .filter(auth_verifications::purpose.eq(purpose.as_str()))
    )
    .returning(Verification::as_returning())
    .get_result(c)
    .await
    .optional())?;
    Ok(taken)
}

impl Verification {
    /// Whether the token had not expired at `now`.
    pub(crate) fn live(&self, now: Timestamp) -> bool {
        self.expires_at > now
    }
}
