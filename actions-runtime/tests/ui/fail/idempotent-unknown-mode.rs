use actions_runtime::prelude::*;

#[input]
#[derive(Clone)]
pub struct NewPost {
    pub title: String,
}

#[action(auth, tx, idempotent(always))]
pub async fn create(_ctx: &mut ActionContext, input: NewPost) -> Result<String, ActionError> {
    Ok(input.title)
}

fn main() {}
