use actions_runtime::prelude::*;

#[input]
pub struct PostId {
    pub id: i64,
}

pub struct Post {
    pub id: i64,
}

// A loader says whether the resource exists: it returns `Result<Option<Post>, _>`.
pub async fn load_post(_ctx: &mut ActionContext, input: &PostId) -> Result<Post, ActionError> {
    Ok(Post { id: input.id })
}

#[action(acl = "post:read", load = load_post)]
pub async fn read(ctx: &mut ActionContext, _input: PostId) -> Result<i64, ActionError> {
    Ok(ctx.loaded::<Post>()?.id)
}

fn main() {}
