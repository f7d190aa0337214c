use actions_runtime::prelude::*;

#[input]
#[derive(Clone)]
pub struct NewPost {
    pub title: String,
}

// Keys are scoped to the signed-in user: without one, clients would share them.
#[action(public, tx, idempotent)]
pub async fn create(_ctx: &mut ActionContext, input: NewPost) -> Result<String, ActionError> {
    Ok(input.title)
}

fn main() {}
