use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

mod post {
    use super::*;

    #[action(public)]
    pub async fn get(_: &mut ActionContext, input: In) -> Result<i64, ActionError> {
        Ok(input.id)
    }

    #[action(public, name = "get")]
    pub async fn fetch(_: &mut ActionContext, input: In) -> Result<i64, ActionError> {
        Ok(input.id)
    }
}

fn main() {
    let _ = actions_runtime::registry! {
        post: { post::get, post::fetch },
    };
}
