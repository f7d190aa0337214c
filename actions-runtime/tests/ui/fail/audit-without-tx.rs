use actions_runtime::prelude::*;

#[input]
#[derive(Clone)]
pub struct NewPost {
    pub title: String,
}

// The audit event must commit or roll back with the action's writes.
#[action(auth, audit)]
pub async fn create(_ctx: &mut ActionContext, input: NewPost) -> Result<String, ActionError> {
    Ok(input.title)
}

fn main() {}
