//! Public profiles, one per user, written by upsert on the unique `user_id`.

use crate::schema::profiles;
use actions_runtime::prelude::*;
use diesel::upsert::excluded;

/// A profile, as stored.
#[output]
#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = profiles)]
pub struct Profile {
    pub user_id: i64,
    pub display_name: String,
    pub bio: Option<String>,
    pub website: Option<String>,
    pub updated_at: Timestamp,
}

/// The profile as the user writes it: whose and when are the server's.
#[input(table = crate::schema::profiles, insert, server(user_id, updated_at))]
#[derive(Debug, Clone)]
pub struct SaveProfile {
    /// 1 to 100 characters, trimmed.
    #[field(trim, min_length = 1)]
    pub display_name: _,
    /// At most 2,000 characters; absent or `null` clears it.
    #[field(max_length = 2000)]
    pub bio: _,
    /// An http(s) URL of at most 200 characters; absent or `null` clears it.
    #[field(url)]
    pub website: _,
}

/// Whose profile to read.
#[input(table = crate::schema::profiles, select, pick(user_id))]
#[derive(Debug, Clone, Copy)]
pub struct ProfileOf;

/// Creates or replaces the signed-in user's profile, in one statement:
/// `INSERT … ON CONFLICT (user_id) DO UPDATE`, so two concurrent saves cannot both insert.
#[action(acl = "profile:write")]
pub async fn save(ctx: &mut ActionContext, input: SaveProfile) -> Result<Profile, ActionError> {
    let me = ctx.user()?.id;
    let now = Timestamp::now();
    let conn = ctx.db().await?;
    let profile = db!(conn, |c| {
        diesel::insert_into(profiles::table)
            .values((
                &input,
                profiles::user_id.eq(me),
                profiles::updated_at.eq(now),
            ))
            .on_conflict(profiles::user_id)
            .do_update()
            .set((
                profiles::display_name.eq(excluded(profiles::display_name)),
                profiles::bio.eq(excluded(profiles::bio)),
                profiles::website.eq(excluded(profiles::website)),
                profiles::updated_at.eq(excluded(profiles::updated_at)),
            ))
            .returning(Profile::as_returning())
            .get_result(c)
            .await
    })?;
    Ok(profile)
}

/// Reads anyone's profile.
#[action(public)]
pub async fn get(ctx: &mut ActionContext, input: ProfileOf) -> Result<Profile, ActionError> {
    let conn = ctx.db().await?;
    db!(conn, |c| profiles::table
        .filter(profiles::user_id.eq(input.user_id))
        .select(Profile::as_select())
        .first(c)
        .await
        .optional())?
    .ok_or_else(|| ActionError::not_found(format!("user {} has no profile", input.user_id)))
}
