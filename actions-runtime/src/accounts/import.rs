//! A way in for teams leaving Better Auth: [`import_better_auth`] copies the users of a Better
//! Auth PostgreSQL database (its `user` table, and the password of each one's `credential`
//! account) into the account service's tables. The scrypt hashes come along as they are: sign-in
//! accepts them and replaces each with an argon2id hash at the account's first sign-in.
//!
//! Sessions are not copied: Better Auth's cookies are signed with the old app's secret and its
//! tokens stored in clear, and a move is the moment to end every session; each user signs in
//! once with the password they have.

use super::config::AuthConfig;
use super::password::is_supported_hash;
use super::schema::auth_users;
use super::users::{normalize_email, valid_name};
use crate::db::{Backend, Database, DbConn, Timestamp};
use crate::error::ActionError;
use diesel::ExpressionMethods;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use diesel_async::RunQueryDsl;

/// What [`import_better_auth`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportReport {
    /// Users copied in.
    pub imported: usize,
    /// Of them, users without a password this server can check (no `credential` account, or a
    /// hash that is neither Better Auth's scrypt nor argon2): they cannot sign in with a
    /// password until one is set.
    pub without_password: usize,
    /// Users whose email has an account here already (a second run skips every user).
    pub skipped_existing: usize,
    /// Users whose email or name this server refuses (logged, one by one).
    pub skipped_invalid: usize,
}

/// Why [`import_better_auth`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The source is not a PostgreSQL database.
    #[error("the Better Auth database must be PostgreSQL (postgres://…)")]
    NotPostgres,
    /// The source has no `user` table of Better Auth's shape.
    #[error("no Better Auth `user` table in the source database: {0}")]
    NotBetterAuth(String),
    /// A database failed.
    #[error(transparent)]
    Database(#[from] ActionError),
}

/// One user of the source, as the import reads it.
#[derive(Debug, diesel::QueryableByName)]
struct SourceUser {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Bool)]
    email_verified: bool,
    #[diesel(sql_type = Nullable<Text>)]
    image: Option<String>,
    #[diesel(sql_type = BigInt)]
    created_at: i64,
    #[diesel(sql_type = BigInt)]
    updated_at: i64,
    #[diesel(sql_type = Nullable<Text>)]
    role: Option<String>,
    #[diesel(sql_type = Bool)]
    banned: bool,
    #[diesel(sql_type = Nullable<Text>)]
    ban_reason: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    ban_expires: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    password: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// Copies the users of the Better Auth database `from` into `into`: name, email (lower case),
/// `emailVerified`, image, `createdAt`/`updatedAt`, the admin plugin's role and ban when its
/// columns exist (a role the app does not name becomes `user`), and the password hash of the
/// `credential` account. An email that has an account already is skipped, so a second run
/// changes nothing.
pub async fn import_better_auth(
    from: &Database,
    into: &Database,
    config: &AuthConfig,
) -> Result<ImportReport, ImportError> {
    if from.backend() != Backend::Postgres {
        return Err(ImportError::NotPostgres);
    }
    let users = from.run(async |conn| read_users(conn).await).await??;
    let mut report = ImportReport::default();
    for user in users {
        let (Some(email), Some(name)) = (normalize_email(&user.email), valid_name(&user.name))
        else {
            tracing::warn!(
                id = user.id,
                "not imported: the email or name is refused here"
            );
            report.skipped_invalid += 1;
            continue;
        };
        let role = match user.role.as_deref() {
            None => "user",
            Some(role) => match config.roles.iter().find(|known| known.as_str() == role) {
                Some(known) => known.as_str(),
                None => {
                    tracing::warn!(
                        id = user.id,
                        role,
                        "a role the app does not name: imported as `user`"
                    );
                    "user"
                }
            },
        };
        let password = user
            .password
            .as_deref()
            .filter(|hash| is_supported_hash(hash));
        let micros = |t: i64| Timestamp::from_timestamp_micros(t).unwrap_or_else(Timestamp::now);
        let row = (
            auth_users::name.eq(name),
            auth_users::email.eq(&email),
            auth_users::email_verified.eq(user.email_verified),
            auth_users::image.eq(&user.image),
            // No password: a hash nothing verifies against, until one is set.
            auth_users::password_hash.eq(password.unwrap_or_default()),
            auth_users::role.eq(role),
            auth_users::created_at.eq(micros(user.created_at)),
            auth_users::updated_at.eq(micros(user.updated_at)),
            auth_users::banned.eq(user.banned),
            auth_users::ban_reason.eq(&user.ban_reason),
            auth_users::ban_expires.eq(user.ban_expires.map(micros)),
        );
        let inserted = into
            .run(async |conn| {
                crate::db!(conn, |c| diesel::insert_into(auth_users::table)
                    .values(row)
                    .execute(c)
                    .await)
            })
            .await?;
        match inserted {
            Ok(_) => {
                report.imported += 1;
                if password.is_none() {
                    tracing::info!(
                        id = user.id,
                        "imported without a password this server checks"
                    );
                    report.without_password += 1;
                }
            }
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => report.skipped_existing += 1,
            Err(error) => return Err(ActionError::from(error).into()),
        }
    }
    Ok(report)
}

/// Every user of the source with its credential password, oldest first.
async fn read_users(conn: &mut DbConn) -> Result<Vec<SourceUser>, ImportError> {
    let DbConn::Postgres(pg) = conn else {
        return Err(ImportError::NotPostgres);
    };
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT column_name::text AS column_name FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = 'user'",
    )
    .load(&mut **pg)
    .await
    .map_err(ActionError::from)?;
    let has = |name: &str| columns.iter().any(|c| c.column_name == name);
    if ![
        "id",
        "name",
        "email",
        "emailVerified",
        "createdAt",
        "updatedAt",
    ]
    .iter()
    .all(|name| has(name))
    {
        return Err(ImportError::NotBetterAuth(format!(
            "expected the columns id, name, email, emailVerified, createdAt and updatedAt; found {:?}",
            columns.iter().map(|c| &c.column_name).collect::<Vec<_>>()
        )));
    }
    // Optional columns are named only when they exist: these are fixed strings, not input.
    let or_null = |column: &'static str, expression: &'static str, null: &'static str| {
        if has(column) { expression } else { null }
    };
    let epoch = "(extract(epoch from {}) * 1000000)::int8";
    let sql = format!(
        "SELECT u.id::text AS id, u.name, u.email, u.\"emailVerified\" AS email_verified, \
         u.image, {created} AS created_at, {updated} AS updated_at, {role} AS role, \
         {banned} AS banned, {reason} AS ban_reason, {expires} AS ban_expires, \
         (SELECT a.password FROM account a WHERE a.\"userId\" = u.id \
          AND a.\"providerId\" = 'credential' AND a.password IS NOT NULL \
          ORDER BY a.\"createdAt\" LIMIT 1) AS password \
         FROM \"user\" u ORDER BY u.\"createdAt\", u.id",
        created = epoch.replace("{}", "u.\"createdAt\""),
        updated = epoch.replace("{}", "u.\"updatedAt\""),
        role = or_null("role", "u.role", "NULL::text"),
        banned = or_null("banned", "coalesce(u.banned, false)", "false"),
        reason = or_null("banReason", "u.\"banReason\"", "NULL::text"),
        expires = or_null(
            "banExpires",
            "(extract(epoch from u.\"banExpires\") * 1000000)::int8",
            "NULL::int8"
        ),
    );
    Ok(diesel::sql_query(sql)
        .load(&mut **pg)
        .await
        .map_err(ActionError::from)?)
}
