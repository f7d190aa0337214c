use actions_runtime::prelude::*;

#[input]
#[derive(Clone)]
pub struct NewPost {
    pub title: String,
}

// The stored response must commit with the action's writes.
#[action(auth, idempotent)]
pub async fn create(_ctx: &mut ActionContext, input: NewPost) -> Result<String, ActionError> {
    Ok(input.title)
}

fn main() {}
