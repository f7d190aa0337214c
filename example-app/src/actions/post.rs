//! Posts: anyone reads; signed-in users write; only the author (or an admin) changes a post.

use crate::schema::posts;
use actions_runtime::db::{Page, decode_cursor, like_contains};
use actions_runtime::prelude::*;

const BODY_MAX: usize = 10_000;
const DEFAULT_LIMIT: i64 = 20;
const MAX_LIMIT: i64 = 100;

diesel::define_sql_function!(fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// A post, as stored.
#[output]
#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = posts)]
pub struct Post {
    pub id: i64,
    pub author_id: i64,
    pub title: String,
    pub body: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A new post: title and body from the request; author and times from the server.
#[input(table = crate::schema::posts, insert, server(author_id, created_at, updated_at))]
#[derive(Debug, Clone)]
pub struct CreatePost {
    /// 1 to 200 characters (the column's `#[max_length]`), trimmed.
    #[field(trim, min_length = 1)]
    pub title: _,
    /// At most 10,000 characters.
    #[field(max_length = BODY_MAX)]
    pub body: _,
}

/// Names one post.
#[input(table = crate::schema::posts, select, pick(id))]
#[derive(Debug, Clone, Copy)]
pub struct PostId;

/// A patch of a post: only what is sent changes.
#[input(table = crate::schema::posts, update, pick(id, title, body))]
#[derive(Debug, Clone)]
pub struct UpdatePost {
    #[field(trim, min_length = 1)]
    pub title: _,
    #[field(max_length = BODY_MAX)]
    pub body: _,
}

/// A page request.
#[input(validate = Self::check)]
#[derive(Debug, Clone, Default)]
pub struct ListPosts {
    /// Matches titles containing this text, case-insensitively; `%` and `_` are literal.
    #[field(max_length = 200)]
    pub q: Option<String>,
    /// 1 to 100; 20 when absent.
    #[field(min = 1, max = MAX_LIMIT)]
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

impl ListPosts {
    fn check(&self, errors: &mut FieldErrors) {
        if let Err(error) = self.after() {
            errors.merge(error.fields().clone());
        }
    }

    /// What the listing is, so a cursor from another search is refused rather than misread.
    fn listing(&self) -> String {
        format!(
            "posts newest first; q={}",
            self.search().unwrap_or_default()
        )
    }

    /// The lower-cased search text, if any.
    fn search(&self) -> Option<String> {
        self.q
            .as_deref()
            .filter(|q| !q.is_empty())
            .map(str::to_lowercase)
    }

    /// The (created_at, id) of the last post of the previous page.
    fn after(&self) -> Result<Option<(Timestamp, i64)>, ActionError> {
        let Some(cursor) = self.cursor.as_deref() else {
            return Ok(None);
        };
        let (micros, id) = decode_cursor::<(i64, i64)>(cursor, &self.listing())?;
        let created_at = Timestamp::from_timestamp_micros(micros).ok_or_else(|| {
            ActionError::field("cursor", "is not a cursor returned by this listing")
        })?;
        Ok(Some((created_at, id)))
    }
}

/// One page of posts, newest first.
#[output]
#[derive(Debug)]
pub struct PostPage {
    pub items: Vec<Post>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next: Option<String>,
}

/// What a deletion removed.
#[output]
#[derive(Debug)]
pub struct Deleted {
    pub id: i64,
}

/// Writes a post as the signed-in user, then shows it (a browser's form post goes to the
/// post's page). A client retrying with the same `Idempotency-Key` gets the post it already
/// created, not a second one.
#[action(acl = "post:create", tx, idempotent, audit, redirect = "/posts/{id}")]
pub async fn create(ctx: &mut ActionContext, input: CreatePost) -> Result<Post, ActionError> {
    insert(ctx, input).await
}

/// Writing a post's work (`create`).
pub(crate) async fn insert(
    ctx: &mut ActionContext,
    input: CreatePost,
) -> Result<Post, ActionError> {
    let author = ctx.user()?.id;
    let now = Timestamp::now();
    let conn = ctx.db().await?;
    let post = db!(conn, |c| {
        diesel::insert_into(posts::table)
            .values((
                &input,
                posts::author_id.eq(author),
                posts::created_at.eq(now),
                posts::updated_at.eq(now),
            ))
            .returning(Post::as_returning())
            .get_result(c)
            .await
    })?;
    Ok(post)
}

/// Reads one post.
#[action(public)]
pub async fn get(ctx: &mut ActionContext, input: PostId) -> Result<Post, ActionError> {
    let conn = ctx.db().await?;
    find(conn, input.id).await
}

/// Pages through posts, newest first, optionally searching titles.
#[action(public)]
pub async fn list(ctx: &mut ActionContext, input: ListPosts) -> Result<PostPage, ActionError> {
    let limit = input.limit.unwrap_or(DEFAULT_LIMIT);
    let after = input.after()?;
    let pattern = input.search().map(|q| like_contains(&q));
    let conn = ctx.db().await?;
    let rows: Vec<Post> = db!(conn, |c| {
        let mut query = posts::table.select(Post::as_select()).into_boxed();
        if let Some(pattern) = &pattern {
            query = query.filter(lower(posts::title).like(pattern).escape('\\'));
        }
        if let Some((created_at, id)) = after {
            query = query.filter(
                posts::created_at
                    .lt(created_at)
                    .or(posts::created_at.eq(created_at).and(posts::id.lt(id))),
            );
        }
        query
            .order((posts::created_at.desc(), posts::id.desc()))
            .limit(limit + 1)
            .load(c)
            .await
    })?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let Page { items, next } = Page::from_rows(rows, limit, &input.listing(), |last: &Post| {
        (last.created_at.timestamp_micros(), last.id)
    });
    Ok(PostPage { items, next })
}

/// Changes a post's title or body: `post:update` on the post (its author, or an admin); a
/// browser's form post then goes to the post's page.
#[action(
    acl = "post:update",
    load = load_post,
    tx,
    audit,
    redirect = "/posts/{id}"
)]
pub async fn update(ctx: &mut ActionContext, input: UpdatePost) -> Result<Post, ActionError> {
    apply_update(ctx, input).await
}

/// Changing a post's work, on the loaded post (`update`).
pub(crate) async fn apply_update(
    ctx: &mut ActionContext,
    input: UpdatePost,
) -> Result<Post, ActionError> {
    let current = ctx.loaded::<Post>()?.clone();
    if input.title.is_none() && input.body.is_none() {
        return Ok(current);
    }
    let now = Timestamp::now();
    let conn = ctx.db().await?;
    let post = db!(conn, |c| {
        diesel::update(posts::table.find(current.id))
            .set((&input, posts::updated_at.eq(now)))
            .returning(Post::as_returning())
            .get_result(c)
            .await
    })?;
    Ok(post)
}

/// Deletes a post: `post:delete` on the post (its author, or an admin).
#[action(acl = "post:delete", load = load_post, tx, audit)]
pub async fn delete(ctx: &mut ActionContext, input: PostId) -> Result<Deleted, ActionError> {
    let conn = ctx.db().await?;
    db!(conn, |c| diesel::delete(posts::table.find(input.id))
        .execute(c)
        .await)?;
    Ok(Deleted { id: input.id })
}

/// The post an update or a deletion applies to, for the policy (`404` naming it when missing).
pub async fn load_post<I: NamesPost>(
    ctx: &mut ActionContext,
    input: &I,
) -> Result<Option<Post>, ActionError> {
    let id = input.post_id();
    find(ctx.db().await?, id).await.map(Some)
}

/// Inputs that name a post.
pub trait NamesPost {
    fn post_id(&self) -> i64;
}

impl NamesPost for PostId {
    fn post_id(&self) -> i64 {
        self.id
    }
}

impl NamesPost for UpdatePost {
    fn post_id(&self) -> i64 {
        self.id
    }
}

async fn find(conn: &mut DbConn, id: i64) -> Result<Post, ActionError> {
    db!(conn, |c| posts::table
        .find(id)
        .select(Post::as_select())
        .first(c)
        .await
        .optional())?
    .ok_or_else(|| ActionError::not_found(format!("post {id} not found")))
}
